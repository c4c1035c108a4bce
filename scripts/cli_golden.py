#!/usr/bin/env python3
"""Writes tests/fixtures/cli_golden.json: what the AWS CLI prints and sends
for the same canned AppFlow answers, for tests/cli_golden.rs to compare the
tool with, byte for byte.

    pip install awscli 'ruamel.yaml<=0.19.1'
    python3 scripts/cli_golden.py

Each case runs `aws appflow ...` (v1 from PyPI: v2 is not published there)
against a local server that answers with the case's replies in order and
records the bodies it is sent. v1 and v2 share the text and table layouts,
`--query` (jmespath.py) and shorthand syntax; the profile sets
`cli_timestamp_format = iso8601`, v2's default. v1 has no YAML output, so
the YAML expected is made as v2 makes it: its YAMLDumper (ruamel.yaml's safe
dumper, block style) over the answer v1 printed as JSON.
"""
import http.server
import io
import json
import os
import subprocess
import sys
import tempfile
import threading

from ruamel.yaml import YAML

ARN = "arn:aws:appflow:us-east-1:123456789012:flow/orders"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:connector"

CONNECTORS_1 = {
    "connectors": [
        {
            "connectorDescription": "Reads orders",
            "connectorName": "orders",
            "connectorOwner": "Acme, Inc.",
            "connectorVersion": "1.0",
            "applicationType": "Orders",
            "connectorType": "CustomConnector",
            "connectorLabel": "orders-v1",
            "registeredAt": 1700000000.123,
            "registeredBy": "admin",
            "connectorProvisioningType": "LAMBDA",
            "connectorModes": ["SOURCE", "DESTINATION"],
            "supportedDataTransferTypes": ["RECORD"],
        },
        {
            "connectorName": "S3",
            "connectorType": "S3",
            "connectorLabel": "s3",
            "registeredAt": 1600000000,
            "connectorModes": [],
        },
    ],
    "nextToken": "page-2",
}
UNICODE = {
    "connectors": [
        {
            "connectorName": "Ünïcode — wide 名前",
            "connectorType": "CustomConnector",
            "connectorLabel": "unicode: yes",
            "registeredAt": 1712345678.5,
            "connectorModes": ["SOURCE"],
        }
    ],
}
FLOWS = {
    "flows": [
        {
            "flowArn": ARN,
            "description": "Nightly orders to S3, with a long description that goes past eighty columns for folding",
            "flowName": "orders",
            "flowStatus": "Active",
            "sourceConnectorType": "Salesforce",
            "destinationConnectorType": "S3",
            "triggerType": "Scheduled",
            "createdAt": 1700000000,
            "lastUpdatedAt": 1700003600.25,
            "createdBy": "alice",
            "tags": {"team": "data", "env": "prod", "empty": ""},
            "lastRunExecutionDetails": {
                "mostRecentExecutionMessage": "ok",
                "mostRecentExecutionTime": 1700007200,
                "mostRecentExecutionStatus": "Successful",
            },
        },
        {
            "flowArn": ARN.replace("orders", "leads"),
            "flowName": "leads",
            "flowStatus": "Suspended",
            "sourceConnectorType": "S3",
            "destinationConnectorType": "Redshift",
            "triggerType": "OnDemand",
            "createdAt": 1600000000,
            "tags": {},
        },
        {
            "flowArn": ARN.replace("orders", "alpha"),
            "flowName": "alpha",
            "flowStatus": "Draft",
            "triggerType": "Event",
            "createdAt": 1650000000.000001,
            "tags": {"yes": "true", "num": "0012", "colon": "a: b", "hash": "#x"},
        },
    ]
}
DESCRIBE_FLOW = {
    "flowArn": ARN,
    "description": "Orders",
    "flowName": "orders",
    "flowStatus": "Active",
    "flowStatusMessage": "",
    "sourceFlowConfig": {
        "connectorType": "S3",
        "sourceConnectorProperties": {
            "S3": {
                "bucketName": "in",
                "bucketPrefix": "orders/",
                "s3InputFormatConfig": {"s3InputFileType": "JSON"},
            }
        },
        "incrementalPullConfig": {"datetimeTypeFieldName": "updated"},
    },
    "destinationFlowConfigList": [
        {
            "connectorType": "S3",
            "destinationConnectorProperties": {
                "S3": {
                    "bucketName": "out",
                    "s3OutputFormatConfig": {
                        "fileType": "PARQUET",
                        "prefixConfig": {
                            "prefixType": "PATH",
                            "pathPrefixHierarchy": ["EXECUTION_ID", "SCHEMA_VERSION"],
                        },
                        "aggregationConfig": {"aggregationType": "None", "targetFileSize": 128},
                        "preserveSourceDataTyping": False,
                    },
                }
            },
        }
    ],
    "triggerConfig": {
        "triggerType": "Scheduled",
        "triggerProperties": {
            "Scheduled": {
                "scheduleExpression": "rate(1hours)",
                "scheduleStartTime": 1700000000,
                "scheduleOffset": 0,
                "flowErrorDeactivationThreshold": 5,
            }
        },
    },
    "tasks": [
        {
            "sourceFields": ["id", "total"],
            "connectorOperator": {"S3": "PROJECTION"},
            "taskType": "Filter",
            "taskProperties": {},
        },
        {
            "sourceFields": ["id"],
            "connectorOperator": {"S3": "NO_OP"},
            "destinationField": "id",
            "taskType": "Map",
            "taskProperties": {"DESTINATION_DATA_TYPE": "string", "SOURCE_DATA_TYPE": "string"},
        },
    ],
    "createdAt": 1700000000.5,
    "lastUpdatedAt": 1700000001,
    "createdBy": "alice",
    "tags": {"team": "data"},
    "schemaVersion": 3,
}
DESCRIBE_CONNECTORS = {
    "connectorConfigurations": {
        "Salesforce": {
            "canUseAsSource": True,
            "canUseAsDestination": False,
            "supportedSchedulingFrequencies": ["BYMINUTE", "HOURLY"],
            "connectorMetadata": {"Salesforce": {"oAuthScopes": ["api", "refresh_token"]}},
            "registeredAt": 1700000000.75,
        },
        "S3": {"canUseAsSource": True, "canUseAsDestination": True, "isPrivateLinkEnabled": False},
    },
    "connectors": [],
}
TEXTY = {
    "flows": [
        {"flowName": "tabs\tand\nnewlines", "description": "quote ' and \" and \\", "flowStatus": "Active", "createdAt": 1},
        {"flowName": "zeros", "description": "", "flowStatus": "Errored", "createdAt": 1.5},
    ]
}
EMPTY_FLOWS = {"flows": []}
REGISTER = {"connectorArn": "arn:aws:appflow:us-east-1:123456789012:connector/orders"}

Q_FLOWS = "flows[?flowStatus=='Active'].{Name: flowName, Created: createdAt, Tags: tags}"

# (name, replies, arguments, outputs): each case runs with every output
# format listed. AppFlow has no paginators in botocore's data, so the AWS CLI
# makes one call and prints its nextToken: one reply is all it reads.
READS = [
    ("list-connectors", [CONNECTORS_1], ["list-connectors"], ["json", "text", "table", "yaml"]),
    ("list-connectors-labels", [CONNECTORS_1], ["list-connectors", "--query", "connectors[].connectorLabel"], ["json", "text", "table", "yaml"]),
    ("list-connectors-pairs", [CONNECTORS_1], ["list-connectors", "--query", "connectors[*].[connectorLabel, registeredAt, connectorModes]"], ["json", "text"]),
    ("list-connectors-unicode", [UNICODE], ["list-connectors"], ["json", "text", "table", "yaml"]),
    ("list-connectors-count", [CONNECTORS_1], ["list-connectors", "--query", "length(connectors)"], ["json", "text", "table", "yaml"]),
    ("list-flows", [FLOWS], ["list-flows"], ["json", "text", "table", "yaml"]),
    ("list-flows-filtered", [FLOWS], ["list-flows", "--query", Q_FLOWS], ["json", "text", "table", "yaml"]),
    ("list-flows-sorted", [FLOWS], ["list-flows", "--query", "sort_by(flows, &createdAt)[].[flowName, to_string(createdAt)]"], ["json", "text", "table"]),
    ("list-flows-functions", [FLOWS], ["list-flows", "--query", "{newest: max_by(flows, &createdAt).flowName, names: join(', ', flows[].flowName), any: contains(flows[].flowStatus, 'Draft'), keys: keys(flows[0].tags), first: flows[0].tags.nope}"], ["json", "text", "table", "yaml"]),
    ("describe-flow", [DESCRIBE_FLOW], ["describe-flow", "--flow-name", "orders"], ["json", "text", "table", "yaml", "yaml-stream"]),
    ("describe-flow-tasks", [DESCRIBE_FLOW], ["describe-flow", "--flow-name", "orders", "--query", "tasks[].{type: taskType, fields: sourceFields, to: destinationField}"], ["json", "text", "table"]),
    ("register-connector", [REGISTER], ["register-connector", "--connector-label", "orders"], ["json", "text", "table", "yaml", "yaml-stream"]),
    ("register-connector-arn", [REGISTER], ["register-connector", "--connector-label", "orders", "--query", "connectorArn"], ["json", "text", "table", "yaml"]),
    ("describe-connectors", [DESCRIBE_CONNECTORS], ["describe-connectors"], ["json", "text", "table", "yaml"]),
    ("describe-connectors-query", [DESCRIBE_CONNECTORS], ["describe-connectors", "--query", "connectorConfigurations.*.[canUseAsSource, length(supportedSchedulingFrequencies || `[]`)]"], ["json", "text", "table"]),
    ("list-flows-texty", [TEXTY], ["list-flows"], ["json", "text", "table", "yaml"]),
    ("list-flows-pipes", [FLOWS], ["list-flows", "--query", "flows[?contains(flowName, `r`)] | [0:2].flowName | reverse(@)"], ["json", "text", "table", "yaml"]),
    ("list-flows-numbers", [FLOWS], ["list-flows", "--query", "{total: sum([length(flows), `2.5`]), avg: avg([`1`, `2`]), big: `1e20`, n: length(flows), none: flows[?flowStatus=='Gone']}"], ["json", "text", "table", "yaml"]),
    ("list-flows-empty", [EMPTY_FLOWS], ["list-flows"], ["json", "text", "table", "yaml"]),
    ("tag-resource-empty", [{}], ["tag-resource", "--resource-arn", ARN, "--tags", "a=b"], ["json", "text", "table", "yaml"]),
]

# Inputs in shorthand syntax and ISO 8601 times: the bodies the AWS CLI
# sends (its client token left out) are what the tool must send.
WRITES = [
    ("shorthand-tags", ["tag-resource", "--resource-arn", ARN, "--tags", "team=data,env=test,spaced=a b"]),
    ("shorthand-nested", ["register-connector", "--connector-label", "orders", "--connector-provisioning-type", "LAMBDA",
                          "--connector-provisioning-config", f"lambda={{lambdaArn={LAMBDA}}}"]),
    ("shorthand-flow", ["update-flow", "--flow-name", "orders",
                        "--trigger-config", "triggerType=Scheduled,triggerProperties={Scheduled={scheduleExpression=rate(1hours),dataPullMode=Incremental,scheduleOffset=5,scheduleStartTime=2026-12-06T10:00:00Z}}",
                        "--source-flow-config", "connectorType=S3,sourceConnectorProperties={S3={bucketName=in-bucket,bucketPrefix='a,b'}}",
                        "--destination-flow-config-list", "connectorType=S3,destinationConnectorProperties={S3={bucketName=out-bucket,s3OutputFormatConfig={fileType=CSV,preserveSourceDataTyping=FALSE,aggregationConfig={targetFileSize=64}}}}",
                        "--tasks", "sourceFields=id,total,taskType=Filter,connectorOperator={S3=PROJECTION}",
                        "sourceFields=[id],taskType=Map,destinationField=id,taskProperties={DESTINATION_DATA_TYPE=string}"]),
    ("shorthand-list-json", ["untag-resource", "--resource-arn", ARN, "--tag-keys", '["a", "b"]']),
    ("iso-times", ["update-flow", "--flow-name", "orders", "--cli-input-json", json.dumps({
        "triggerConfig": {"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {
            "scheduleExpression": "rate(1days)", "scheduleStartTime": "2026-12-06T10:00:00+02:00",
            "scheduleEndTime": "2027-01-01", "firstExecutionFrom": 1800000000}}},
        "sourceFlowConfig": {"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "in-bucket"}}},
        "destinationFlowConfigList": [{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "out"}}}],
        "tasks": [{"sourceFields": ["id"], "taskType": "Map", "destinationField": "id"}]})]),
]


class Server(http.server.ThreadingHTTPServer):
    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.replies = []
        self.bodies = []


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def handle_one(self):
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length)
        self.server.bodies.append((self.command, self.path, json.loads(body) if body else None))
        reply = json.dumps(self.server.replies.pop(0) if self.server.replies else {}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(reply)))
        self.send_header("x-amzn-requestid", "golden-request")
        self.end_headers()
        self.wfile.write(reply)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_one


def aws(server, config, args, output):
    server.replies = list(REPLIES)
    server.bodies = []
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "AWS_CONFIG_FILE": config,
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    url = f"http://127.0.0.1:{server.server_address[1]}"
    command = ["aws", "appflow", *args, "--endpoint-url", url, "--output", output]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        sys.exit(f"{command} failed:\n{done.stderr}")
    return done.stdout


REPLIES = []


def v2_yaml(json_text):
    """v2's YAMLDumper over the answer (a scalar as JSON, as v2 does)."""
    if not json_text.strip():
        return ""
    value = json.loads(json_text)
    out = io.StringIO()
    if value is None or isinstance(value, (int, float, bool, str)):
        json.dump(value, out, ensure_ascii=False)
        out.write("\n")
    else:
        yaml = YAML(typ="safe")
        yaml.encoding = None
        yaml.representer.default_flow_style = False
        yaml.dump(value, out)
    return out.getvalue()


def main():
    global REPLIES
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    server = Server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "config")
        with open(config, "w") as f:
            f.write("[default]\nregion = us-east-1\ncli_timestamp_format = iso8601\n")
        for name, replies, args, outputs in READS:
            REPLIES = replies
            printed = {}
            for output in outputs:
                if output in ("yaml", "yaml-stream"):
                    whole = aws(server, config, args, "json")
                    text = v2_yaml(whole)
                    if output == "yaml-stream":
                        # One page, dumped as a list of one response.
                        text = v2_yaml(json.dumps([json.loads(whole)])) if whole.strip() else ""
                    printed[output] = text
                else:
                    printed[output] = aws(server, config, args, output)
            # As text: the order of members is part of what is compared.
            replies = [json.dumps(r, ensure_ascii=False) for r in replies]
            cases.append({"name": name, "replies": replies, "args": args, "stdout": printed})
        writes = []
        for name, args in WRITES:
            REPLIES = [{}]
            aws(server, config, args, "json")
            method, path, body = server.bodies[0]
            if body is not None:
                body.pop("clientToken", None)
            writes.append({"name": name, "args": args, "method": method, "path": path, "body": body})
    server.shutdown()
    version = subprocess.run(["aws", "--version"], capture_output=True, text=True).stdout.strip()
    path = os.path.join(root, "tests", "fixtures", "cli_golden.json")
    with open(path, "w") as f:
        json.dump({"made_by": version, "reads": cases, "writes": writes}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {path}: {len(cases)} read cases, {len(writes)} write cases ({version})")


if __name__ == "__main__":
    main()
