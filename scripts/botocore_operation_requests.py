#!/usr/bin/env python3
"""Golden requests for every AppFlow operation, from botocore (AWS's Python
SDK), for tests/operation_requests.rs.

For each case, botocore's own client serialises the input (method, path,
query, headers, body) and resolves the URL; the script checks that the body
appflow-lite is expected to send is the same JSON, members in the same order,
then botocore's SigV4 signer signs those exact bytes at a frozen time.
`cargo test` reads the result and needs no Python.

    pip install botocore && python3 scripts/botocore_operation_requests.py
"""
import datetime
import json
from collections import OrderedDict
from pathlib import Path
from unittest import mock

import botocore
import botocore.config
import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials

OUT = Path(__file__).resolve().parent.parent / "tests/fixtures/botocore/operation_requests.json"
ACCESS_KEY, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
# The headers that tie a call's attempts together. botocore adds them after
# signing (its `add_retry_headers` handler runs after the signer), so they
# travel unsigned; fixed here so the whole wire request is reproducible.
INVOCATION_ID = "0f6e8d2c-4b1a-4c3e-9d7f-2a5b8c1e4f60"
SDK_REQUEST = "attempt=1; max=3"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCWV1LXdlc3QtMSJHMEUCIQ+token/="
TIME = datetime.datetime(2026, 11, 27, 10, 11, 12)
FLOW_ARN = "arn:aws:appflow:us-east-1:123456789012:flow/my-flow"
CONNECTOR_ARN = "arn:aws:appflow:us-east-1:123456789012:connector/my-conn"
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:my-connector"

S3_FLOW = {
    "triggerConfig": {
        "triggerType": "Scheduled",
        "triggerProperties": {"Scheduled": {
            "scheduleExpression": "rate(1hours)", "dataPullMode": "Incremental",
            "scheduleStartTime": 1798761600, "timezone": "Europe/Paris",
            "scheduleOffset": 300, "flowErrorDeactivationThreshold": 5}},
    },
    "sourceFlowConfig": {
        "connectorType": "S3",
        "sourceConnectorProperties": {"S3": {
            "bucketName": "source-bucket", "bucketPrefix": "in/",
            "s3InputFormatConfig": {"s3InputFileType": "JSON"}}},
        "incrementalPullConfig": {"datetimeTypeFieldName": "updated_at"},
    },
    "destinationFlowConfigList": [{
        "connectorType": "S3",
        "destinationConnectorProperties": {"S3": {
            "bucketName": "dest-bucket",
            "s3OutputFormatConfig": {
                "fileType": "PARQUET",
                "prefixConfig": {"prefixType": "PATH", "prefixFormat": "DAY",
                                 "pathPrefixHierarchy": ["EXECUTION_ID", "SCHEMA_VERSION"]},
                "aggregationConfig": {"aggregationType": "SingleFile", "targetFileSize": 128},
                "preserveSourceDataTyping": True}}},
    }],
    "tasks": [
        {"sourceFields": ["id", "name"], "connectorOperator": {"S3": "PROJECTION"}, "taskType": "Filter"},
        {"sourceFields": ["name"], "destinationField": "name", "taskType": "Map",
         "taskProperties": {"DESTINATION_DATA_TYPE": "string", "SOURCE_DATA_TYPE": "string"}},
    ],
}

SALESFORCE_PROFILE = {
    "connectorProfileProperties": {"Salesforce": {
        "instanceUrl": "https://example.my.salesforce.com", "isSandboxEnvironment": False}},
    "connectorProfileCredentials": {"Salesforce": {
        "accessToken": "access-token-value", "refreshToken": "refresh-token-value",
        "oAuthRequest": {"authCode": "code", "redirectUri": "https://login.example.com/callback"},
        "oAuth2GrantType": "AUTHORIZATION_CODE"}},
}

# (operation, input, region, session token?); members in the model's order.
CASES = [
    ("CancelFlowExecutions", {"flowName": "my-flow", "executionIds": ["e-1", "e-2"]}, "us-east-1", False),
    ("CreateConnectorProfile", {
        "connectorProfileName": "sf-profile", "kmsArn": "arn:aws:kms:us-east-1:123456789012:key/abc",
        "connectorType": "Salesforce", "connectionMode": "Public",
        "connectorProfileConfig": SALESFORCE_PROFILE, "clientToken": "token-create-profile"}, "us-east-1", True),
    ("CreateFlow", {"flowName": "my-flow", "description": "Copies caf\u00e9 data",
                    **S3_FLOW, "tags": {"env": "test", "team": "data"},
                    "clientToken": "token-create-flow"}, "eu-west-1", False),
    ("DeleteConnectorProfile", {"connectorProfileName": "sf-profile", "forceDelete": True}, "us-east-1", False),
    ("DeleteFlow", {"flowName": "my-flow", "forceDelete": False}, "us-east-1", False),
    ("DescribeConnector", {"connectorType": "CustomConnector", "connectorLabel": "my-conn"}, "us-west-2", False),
    ("DescribeConnectorEntity", {"connectorEntityName": "Account", "connectorType": "Salesforce",
                                 "connectorProfileName": "sf-profile", "apiVersion": "v1"}, "us-east-1", False),
    ("DescribeConnectorProfiles", {"connectorProfileNames": ["a", "b"], "connectorType": "Salesforce",
                                   "maxResults": 10, "nextToken": "page-2"}, "us-east-1", False),
    ("DescribeConnectors", {"connectorTypes": ["Salesforce", "CustomConnector"], "maxResults": 5}, "us-east-1", False),
    ("DescribeFlow", {"flowName": "my-flow"}, "us-east-1", False),
    ("DescribeFlowExecutionRecords", {"flowName": "my-flow", "maxResults": 20}, "ap-northeast-1", False),
    ("ListConnectorEntities", {"connectorProfileName": "sf-profile", "connectorType": "Salesforce",
                               "entitiesPath": "Account/Contacts", "maxResults": 1000}, "us-east-1", False),
    ("ListConnectors", {"maxResults": 3}, "us-east-1", False),
    ("ListConnectors", {}, "us-east-1", False),
    ("ListFlows", {"maxResults": 100, "nextToken": "tok+/="}, "cn-north-1", False),
    ("ListTagsForResource", {"resourceArn": FLOW_ARN}, "us-east-1", False),
    ("RegisterConnector", {"connectorLabel": "my-conn", "description": "Registers my connector",
                           "connectorProvisioningType": "LAMBDA",
                           "connectorProvisioningConfig": {"lambda": {"lambdaArn": LAMBDA_ARN}},
                           "clientToken": "token-register"}, "us-gov-west-1", True),
    ("ResetConnectorMetadataCache", {"connectorProfileName": "sf-profile", "connectorType": "Salesforce",
                                     "connectorEntityName": "Account", "apiVersion": "v1"}, "us-east-1", False),
    ("StartFlow", {"flowName": "my-flow", "clientToken": "token-start"}, "us-east-1", False),
    ("StopFlow", {"flowName": "my-flow"}, "us-east-1", False),
    ("TagResource", {"resourceArn": CONNECTOR_ARN, "tags": {"cost-center": "42", "owner": "me@example.com"}},
     "us-east-1", True),
    ("UnregisterConnector", {"connectorLabel": "my-conn", "forceDelete": True}, "us-east-1", False),
    ("UntagResource", {"resourceArn": FLOW_ARN, "tagKeys": ["env", "team/sub:key"]}, "us-east-1", False),
    ("UpdateConnectorProfile", {"connectorProfileName": "sf-profile", "connectionMode": "Private",
                                "connectorProfileConfig": SALESFORCE_PROFILE,
                                "clientToken": "token-update-profile"}, "us-east-1", False),
    ("UpdateConnectorRegistration", {"connectorLabel": "my-conn", "description": "v2",
                                     "connectorProvisioningConfig": {"lambda": {"lambdaArn": LAMBDA_ARN + ":2"}},
                                     "clientToken": "token-update-registration"}, "us-east-1", False),
    ("UpdateFlow", {"flowName": "my-flow", "description": "v2", **S3_FLOW,
                    "clientToken": "token-update-flow"}, "us-east-1", False),
]


def snake(name):
    out = ""
    for i, c in enumerate(name):
        if c.isupper() and i > 0 and (name[i - 1].islower() or (i + 1 < len(name) and name[i + 1].islower())):
            out += "_"
        out += c.lower()
    return out


def botocore_request(op, params, region, token):
    """What botocore's own client would send, captured before it leaves."""
    session = botocore.session.get_session()
    client = session.create_client("appflow", region_name=region, aws_access_key_id=ACCESS_KEY,
                                   aws_secret_access_key=SECRET, aws_session_token=token,
                                   config=botocore.config.Config(retries={"max_attempts": 0}))
    captured = {}

    def capture(request, **kwargs):
        captured["request"] = request
        return AWSResponse(request.url, 200, {}, mock.Mock(stream=lambda: iter([b"{}"]), read=lambda *a: b"{}"))

    client.meta.events.register("before-send", capture)
    getattr(client, snake(op))(**params)
    return captured["request"]


def main():
    fixtures = []
    seen = set()
    for op, params, region, with_token in CASES:
        token = TOKEN if with_token else None
        theirs = botocore_request(op, json.loads(json.dumps(params)), region, token)
        body = theirs.body or b""
        if body:
            # Ours: the same members in the same order, compact, UTF-8 as is.
            ordered = json.loads(body, object_pairs_hook=OrderedDict)
            ours = json.dumps(ordered, separators=(",", ":"), ensure_ascii=False).encode()
        else:
            ours = b""
        sent = {k.lower(): v for k, v in theirs.headers.items()}
        assert "amz-sdk-invocation-id" in sent and b"amz-sdk" not in sent["authorization"], sent
        headers = {"User-Agent": "appflow-lite"}
        if "Content-Type" in theirs.headers:
            content_type = theirs.headers["Content-Type"]
            headers["Content-Type"] = content_type.decode() if isinstance(content_type, bytes) else content_type
        request = AWSRequest(method=theirs.method, url=theirs.url, data=ours, headers=headers)
        with mock.patch("botocore.auth.get_current_datetime", return_value=TIME):
            SigV4Auth(Credentials(ACCESS_KEY, SECRET, token), "appflow", region).add_auth(request)
        request.headers["amz-sdk-invocation-id"] = INVOCATION_ID
        request.headers["amz-sdk-request"] = SDK_REQUEST
        name = op if op not in seen else f"{op}-2"
        seen.add(op)
        fixtures.append({
            "name": name, "operation": op, "region": region, "session_token": token,
            "time": TIME.strftime("%Y%m%dT%H%M%SZ"), "invocation_id": INVOCATION_ID, "input": params,
            "expected": {"method": theirs.method, "url": theirs.url, "body": ours.decode(),
                         "headers": [[k, v] for k, v in request.headers.items() if k != "User-Agent"]},
        })
    OUT.write_text(json.dumps({"botocore": botocore.__version__, "cases": fixtures}, indent=1,
                              ensure_ascii=False) + "\n")
    print(f"wrote {len(fixtures)} cases to {OUT}")


if __name__ == "__main__":
    main()
