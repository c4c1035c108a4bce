#!/usr/bin/env python3
"""Signs random wire-like requests with botocore and writes the results as
fixtures for tests/botocore_sigv4.rs, so `cargo test` can compare with AWS's
Python SDK without needing Python.

    pip install botocore && python3 scripts/botocore_sigv4_fixtures.py
"""
import datetime
import json
import random
import sys
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import botocore
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

OUT = Path(__file__).resolve().parent.parent / "tests/fixtures/botocore/sigv4_random.json"
REGIONS = ["us-east-1", "eu-west-3", "ap-southeast-2", "us-gov-west-1", "cn-north-1"]
SERVICES = ["appflow", "service", "execute-api", "lambda", "dynamodb"]
PIECES = ["a", "Z9", "arn:aws:appflow", "x y", "caf\u00e9", "\u1234", "-_.~", "100%", "a/b", "+", "=", "&", "!*'()"]
HEADER_NAMES = ["Content-Type", "X-Amz-Target", "My-Header", "x-custom", "X-CUSTOM", "Accept", "x-amz-meta-Thing"]


def wire_segment(rng):
    """A path segment as a client would send it: pre-encoded, raw, or mixed."""
    text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 3)))
    style = rng.randrange(3)
    if style == 0:
        return quote(text, safe="")          # fully encoded: %3A, %2F, %25, UTF-8 bytes
    if style == 1:
        return quote(text, safe=":")         # ':' left raw, as many clients send it
    return quote(text, safe=":@!*'()+")      # more sub-delims raw


def wire_query(rng):
    pairs = []
    for _ in range(rng.randint(0, 5)):
        key = rng.choice(["Param", "param", "list", "\u00e9t\u00e9", "a b", "next-token"])
        value = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 2)))
        pairs.append(quote(key, safe="-_.~") + "=" + quote(value, safe="-_.~"))
        if rng.random() < 0.3:                # a repeated key
            pairs.append(quote(key, safe="-_.~") + "=" + quote(value[::-1], safe="-_.~"))
    return "&".join(pairs)


def header_value(rng):
    words = [rng.choice(["value", "Value2", "a,b", "\"q  d\"", "application/json", "x=y"]) for _ in range(rng.randint(1, 3))]
    sep = lambda: " " * rng.randint(1, 3)
    return sep() * rng.randint(0, 1) + sep().join(words) + sep() * rng.randint(0, 1)


def record(signer, *methods):
    """Keeps what add_auth computed in the named steps."""
    seen = {}
    for name in methods:
        original = getattr(signer, name)
        def wrapper(*args, _name=name, _original=original):
            seen[_name] = _original(*args)
            return seen[_name]
        setattr(signer, name, wrapper)
    return seen


def case(rng, index):
    path = "/" + "/".join(wire_segment(rng) for _ in range(rng.randint(0, 4)))
    if rng.random() < 0.2:
        path += "/"
    query = wire_query(rng)
    target = path + ("?" + query if query else "")
    host = rng.choice(["appflow.us-east-1.amazonaws.com", "example.amazonaws.com", "127.0.0.1:8080"])
    headers = [["Host", host]]
    for _ in range(rng.randint(0, 5)):
        headers.append([rng.choice(HEADER_NAMES), header_value(rng)])
    if rng.random() < 0.3:
        headers.append(["User-Agent", "appflow-lite/0.1.0"])
    method = rng.choice(["GET", "POST", "PUT", "DELETE"])
    body = "" if method in ("GET", "DELETE") else json.dumps({"connectorLabel": f"label-{index}", "description": "caf\u00e9"})
    token = rng.choice([None, "IQoJb3JpZ2luX2VjEXAMPLETOKEN//////////wEaCXVzLWVhc3QtMSJ", "short-token"])
    time = datetime.datetime(2015, 8, 30, 12, 36, 0) + datetime.timedelta(seconds=rng.randint(0, 400_000_000))
    region, service = rng.choice(REGIONS), rng.choice(SERVICES)

    creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token)
    request = AWSRequest(method=method, url="https://" + host + target, data=body.encode())
    for name, value in headers:
        request.headers[name] = value           # appends: repeated headers stay
    signer = SigV4Auth(creds, service, region)
    seen = record(signer, "canonical_request", "string_to_sign")
    with mock.patch("botocore.auth.get_current_datetime", return_value=time):
        signer.add_auth(request)
    return {
        "method": method,
        "target": target,
        "headers": headers,
        "body": body,
        "session_token": token,
        "region": region,
        "service": service,
        "time": time.strftime("%Y%m%dT%H%M%SZ"),
        "canonical_request": seen["canonical_request"],
        "string_to_sign": seen["string_to_sign"],
        "authorization": request.headers["Authorization"],
    }


def main():
    rng = random.Random(20261126)
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    cases = [case(rng, i) for i in range(count)]
    lines = ",\n".join(json.dumps(c, ensure_ascii=False) for c in cases)
    OUT.write_text(f'{{"botocore": "{botocore.__version__}", "cases": [\n{lines}\n]}}\n')
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
