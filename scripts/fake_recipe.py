#!/usr/bin/env python3
"""The README's recipe for using fake-appflow from other languages, run for
real: boto3 and the AWS CLI drive a life cycle against the fake binary, with
only the endpoint variable, the fake's keys and a region.

    pip install boto3 awscli
    cargo build -p fake-appflow && python3 scripts/fake_recipe.py target/debug/fake-appflow
"""
import json
import os
import subprocess
import sys

import boto3
from botocore.exceptions import ClientError

KEY_ID = "AKIAFAKEAPPFLOW00001"
SECRET = "fake/appflow/secret/key/for/local/tests00"


def start(binary):
    fake = subprocess.Popen(
        [binary, "--execution-time", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
    )
    line = fake.stdout.readline()
    prefix = "fake AppFlow listening on "
    assert line.startswith(prefix), line
    return fake, line[len(prefix):].strip()


def check_boto3(url):
    client = boto3.client(
        "appflow",
        endpoint_url=url,
        region_name="eu-west-1",
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
    )
    arn = client.register_connector(connectorLabel="py-conn")["connectorArn"]
    assert arn == "arn:aws:appflow:eu-west-1:123456789012:connector/py-conn", arn
    client.create_connector_profile(
        connectorProfileName="sf",
        connectorType="Salesforce",
        connectionMode="Public",
        connectorProfileConfig={
            "connectorProfileProperties": {"Salesforce": {"instanceUrl": "https://x.my.salesforce.com"}},
            "connectorProfileCredentials": {"Salesforce": {"accessToken": "secret-token"}},
        },
    )
    profiles = client.describe_connector_profiles(connectorType="Salesforce")
    assert [p["connectorProfileName"] for p in profiles["connectorProfileDetails"]] == ["sf"]
    assert "secret-token" not in json.dumps(profiles, default=str)
    flow = client.create_flow(
        flowName="py-flow",
        triggerConfig={"triggerType": "OnDemand"},
        sourceFlowConfig={
            "connectorType": "Salesforce",
            "connectorProfileName": "sf",
            "sourceConnectorProperties": {"Salesforce": {"object": "Account"}},
        },
        destinationFlowConfigList=[
            {"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "out"}}}
        ],
        tasks=[{"sourceFields": ["Id"], "connectorOperator": {"Salesforce": "PROJECTION"}, "taskType": "Filter"}],
        tags={"team": "data"},
    )
    run = client.start_flow(flowName="py-flow")["executionId"]
    records = client.describe_flow_execution_records(flowName="py-flow")["flowExecutions"]
    assert records[0]["executionId"] == run and records[0]["executionStatus"] == "Successful", records
    # A path label that is an ARN: botocore's encoding must pass the fake's check.
    tags = client.list_tags_for_resource(resourceArn=flow["flowArn"])["tags"]
    assert tags == {"team": "data"}, tags
    entities = client.list_connector_entities(connectorProfileName="sf")["connectorEntityMap"]
    assert [e["name"] for e in entities["Objects"]][:1] == ["Account"], entities
    try:
        client.delete_connector_profile(connectorProfileName="sf")
        raise AssertionError("a profile in use was deleted")
    except ClientError as error:
        assert error.response["Error"]["Code"] == "ConflictException", error.response
    # Paging by nextToken, as AppFlow's list calls do.
    for i in range(5):
        client.register_connector(connectorLabel=f"page-{i}")
    labels, token = [], None
    while True:
        page = client.list_connectors(maxResults=2, **({"nextToken": token} if token else {}))
        labels += [c["connectorLabel"] for c in page["connectors"]]
        token = page.get("nextToken")
        if not token:
            break
    assert len(labels) == 6, labels
    client.delete_flow(flowName="py-flow")
    client.delete_connector_profile(connectorProfileName="sf")


def check_aws_cli(url):
    env = dict(os.environ)
    env.update(
        AWS_ENDPOINT_URL_APPFLOW=url,
        AWS_ACCESS_KEY_ID=KEY_ID,
        AWS_SECRET_ACCESS_KEY=SECRET,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE="/nonexistent",
        AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
    )

    def aws(*args):
        done = subprocess.run(["aws", "appflow", *args], env=env, capture_output=True, text=True)
        return done.returncode, done.stdout, done.stderr

    code, out, err = aws("register-connector", "--connector-label", "cli-conn")
    assert code == 0, err
    assert json.loads(out)["connectorArn"].endswith(":connector/cli-conn"), out
    code, out, err = aws("list-connectors")
    assert code == 0, err
    assert "cli-conn" in [c["connectorLabel"] for c in json.loads(out)["connectors"]], out
    code, out, err = aws("describe-flow", "--flow-name", "missing")
    assert code != 0 and "ResourceNotFoundException" in err, (code, err)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/debug/fake-appflow"
    fake, url = start(binary)
    try:
        check_boto3(url)
        check_aws_cli(url)
    finally:
        fake.kill()
        fake.wait()
    print(f"boto3 and the AWS CLI work against fake-appflow ({url})")


if __name__ == "__main__":
    main()
