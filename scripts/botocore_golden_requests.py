#!/usr/bin/env python3
"""Golden RegisterConnector requests from botocore (AWS's Python SDK), for
tests/golden_requests.rs.

For each case, botocore's own client serialises the input and resolves the
endpoint (checked against ours), then botocore's SigV4 signer signs the exact
bytes appflow-lite sends, at a frozen time. `cargo test` reads the result and
needs no Python.

    pip install botocore && python3 scripts/botocore_golden_requests.py
"""
import datetime
import json
from pathlib import Path
from unittest import mock

import botocore
import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials

OUT = Path(__file__).resolve().parent.parent / "tests/fixtures/botocore/register_connector_golden.json"
ACCESS_KEY, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
# The headers that tie a call's attempts together. botocore adds them after
# signing (its `add_retry_headers` handler runs after the signer), so they
# travel unsigned; fixed here so the whole wire request is reproducible.
INVOCATION_ID = "0f6e8d2c-4b1a-4c3e-9d7f-2a5b8c1e4f60"
SDK_REQUEST = "attempt=1; max=3"
ARN = "arn:aws:lambda:us-east-1:123456789012:function:my-connector"

# Members in the model's order, which is the order appflow-lite writes them.
CASES = [
    dict(name="all-members", region="us-east-1", input={
        "connectorLabel": "my-conn", "description": "Registers my connector",
        "connectorProvisioningType": "LAMBDA",
        "connectorProvisioningConfig": {"lambda": {"lambdaArn": ARN}},
        "clientToken": "3f2a6c1e-8d4b-4a7e-9c2d-5b1e0f7a9c3d"}),
    dict(name="session-token", region="eu-west-1", token="IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCWV1LXdlc3QtMSJHMEUCIQ+token/=",
         input={"connectorLabel": "sessioned", "connectorProvisioningType": "LAMBDA",
                "connectorProvisioningConfig": {"lambda": {"lambdaArn": ARN}}, "clientToken": "tok-1"}),
    dict(name="utf8-description", region="cn-north-1", input={
        "connectorLabel": "caf\u00e9-conn", "description": "Caf\u00e9 \u2013 \u65e5\u672c \"quoted\" \\ back/slash",
        "clientToken": "tok-2"}),
    dict(name="fips-gov", region="us-gov-west-1", fips=True, input={"connectorLabel": "gov", "clientToken": "tok-3"}),
    dict(name="dual-stack", region="ap-southeast-2", dual_stack=True, input={"connectorLabel": "ds", "clientToken": "tok-4"}),
]
TIME = datetime.datetime(2026, 11, 26, 9, 54, 48)


def botocore_request(case):
    """What botocore's own client would send, captured before it leaves."""
    session = botocore.session.get_session()
    config = botocore.config.Config(use_fips_endpoint=case.get("fips", False),
                                    use_dualstack_endpoint=case.get("dual_stack", False))
    client = session.create_client("appflow", region_name=case["region"], aws_access_key_id=ACCESS_KEY,
                                   aws_secret_access_key=SECRET, aws_session_token=case.get("token"), config=config)
    captured = {}

    def capture(request, **kwargs):
        captured["request"] = request
        return AWSResponse(request.url, 200, {}, mock.Mock(stream=lambda: iter([b"{}"]), read=lambda *a: b"{}"))

    client.meta.events.register("before-send", capture)
    client.register_connector(**case["input"])
    return captured["request"]


def main():
    import botocore.config  # noqa: F401
    fixtures = []
    for case in CASES:
        body = json.dumps(case["input"], separators=(",", ":"), ensure_ascii=False).encode()
        theirs = botocore_request(case)
        assert json.loads(theirs.body) == json.loads(body), (case["name"], theirs.body, body)
        assert theirs.method == "POST" and theirs.url.endswith("/register-connector"), theirs.url

        sent = {k.lower(): v for k, v in theirs.headers.items()}
        assert "amz-sdk-invocation-id" in sent and b"amz-sdk" not in sent["authorization"], sent
        request = AWSRequest(method="POST", url=theirs.url, data=body,
                             headers={"Content-Type": "application/json", "User-Agent": "appflow-lite"})
        creds = Credentials(ACCESS_KEY, SECRET, case.get("token"))
        with mock.patch("botocore.auth.get_current_datetime", return_value=TIME):
            SigV4Auth(creds, "appflow", case["region"]).add_auth(request)
        request.headers["amz-sdk-invocation-id"] = INVOCATION_ID
        request.headers["amz-sdk-request"] = SDK_REQUEST
        fixtures.append({
            "name": case["name"], "region": case["region"],
            "use_fips": case.get("fips", False), "use_dual_stack": case.get("dual_stack", False),
            "session_token": case.get("token"), "time": TIME.strftime("%Y%m%dT%H%M%SZ"),
            "invocation_id": INVOCATION_ID,
            "input": case["input"],
            "expected": {"url": theirs.url, "body": body.decode(),
                         "headers": [[k, v] for k, v in request.headers.items() if k != "User-Agent"]},
        })
    OUT.write_text(json.dumps({"botocore": botocore.__version__, "cases": fixtures}, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(fixtures)} cases to {OUT}")


if __name__ == "__main__":
    main()
