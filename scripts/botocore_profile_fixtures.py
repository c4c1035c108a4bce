#!/usr/bin/env python3
"""Reads tricky shared config and credentials files with botocore, as the AWS
CLI reads them, and writes what it found as fixtures for the profile parser's
tests (src/config/profile.rs), so `cargo test` compares with the CLI without
needing Python.

    pip install botocore && python3 scripts/botocore_profile_fixtures.py
"""
import json
import tempfile
from pathlib import Path

import botocore.configloader as loader
from botocore.exceptions import ConfigParseError

# Beside the parser, so its unit test also runs from the published crate.
OUT = Path(__file__).resolve().parent.parent / "src/config/botocore_profiles.json"

# (config file, credentials file): each pair is read as the CLI reads it.
CASES = [
    ("[default]\nregion = us-east-1\n", ""),
    ("[default]\nregion: us-east-1\noutput:json\n", ""),
    ("[default]\nRegion = eu-west-1\nAWS_Access_Key_ID = AK\n", ""),
    ("[default]\nregion = us-east-1 # a comment\noutput = json;text\n", ""),
    ("# top\n; also\n[profile dev] ; trailing\nregion=eu-west-1\n", ""),
    ("[profile  spaced]\nregion = a\n[ profile lead]\nregion = b\n[default ]\nregion = c\n", ""),
    ("[profile a b]\nregion = a\n[profile]\nregion = b\n[profilex y]\nregion = c\n", ""),
    ("[profile 'quoted name']\nregion = a\n[profile \"dq\"]\nregion = b\n[profile 'open]\nregion = c\n", ""),
    ("[default]\nregion = a\n[default]\nregion = b\n", ""),
    ("[default]\nregion = a\nregion = b\n", ""),
    ("[default]\nregion = a\nREGION = b\n", ""),
    ("[profile x]\nregion = a\n[profile  x]\noutput = json\n", ""),
    ("[default]\nregion = a\n[profile default]\noutput = json\n", ""),
    ("[default]\ns3 =\n  max_concurrent_requests = 10 # kept\n  Addressing_Style = path\n", ""),
    ("[default]\ns3 =\n  no equals sign\n", ""),
    ("[default]\nrole_arn = arn:aws:iam::123456789012:role/r\nsso_start_url: https://x.awsapps.com/start\n", ""),
    ("[default]\ncont = first\n  second\n\n  third\n\nregion = r\n", ""),
    ("[default]\n  region = indented\noutput = json\n", ""),
    ("[default]\nregion = a\n  [profile p]\n", ""),
    ("[default]\n= value\n", ""),
    ("[default]\nthis is not a property\n", ""),
    ("region = x\n[default]\n", ""),
    ("[]\nregion = x\n", ""),
    ("[default\nregion = x\n", ""),
    ("[DEFAULT]\nregion = from-defaults\n[default]\noutput = json\n[profile p]\nregion = own\n", ""),
    ("[sso-session corp]\nsso_region = us-east-1\n[services local]\nappflow =\n  endpoint_url = http://localhost:4566\n", ""),
    ("[default]\nregion = a\n", "[default]\naws_access_key_id = AK\naws_secret_access_key = s3cr#t ; not a comment\n"),
    ("[profile dev]\nregion = a\n", "[dev]\nregion = b\naws_access_key_id = AK\n[profile dev]\naws_access_key_id = other\n"),
    ("", "[ spaced ]\naws_access_key_id = AK\n[default]\naws_access_key_id = one\naws_access_key_id = two\n"),
    ("[default]\nkey = value with = and : inside\nurl = http://h:1/p?a=b\n", ""),
    ("[default]\nempty =\nregion = r\n", ""),
    ("[default]\r\nregion = crlf\r\n", ""),
]


def read(text, kind):
    """The file as botocore reads it, or None when it refuses the file."""
    with tempfile.NamedTemporaryFile("w", suffix=kind, delete=False) as f:
        f.write(text)
    try:
        if kind == "config":
            return loader.load_config(f.name)
        return loader.raw_config_parse(f.name)
    except (ConfigParseError, ValueError):
        return None
    finally:
        Path(f.name).unlink()


def main():
    cases = []
    for config, credentials in CASES:
        parsed = read(config, "config")
        creds = read(credentials, "credentials")
        if parsed is None or creds is None:
            cases.append({"config": config, "credentials": credentials, "error": True})
            continue
        profiles = parsed["profiles"]
        # As botocore's Session.full_config lays the credentials file over it.
        for name, values in creds.items():
            profiles.setdefault(name, {}).update(values)
        cases.append({
            "config": config,
            "credentials": credentials,
            "profiles": profiles,
            "sso_sessions": parsed["sso_sessions"],
            "services": parsed["services"],
        })
    OUT.write_text(json.dumps({"botocore": __import__("botocore").__version__, "cases": cases}, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
