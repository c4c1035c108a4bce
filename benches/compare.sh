#!/bin/sh
# appflow-lite beside aws-sdk-appflow: see benches/compare.py for what is
# measured and how. Needs cargo, python3 and strip; the SDK's first build
# downloads about 200 crates and takes minutes.
set -eu
exec python3 "$(dirname "$0")/compare.py" "$@"
