//! A typical program written for `aws-sdk-appflow` 1.121, in the SDK's style:
//! async, `aws_config`, fallible shape builders, per-operation errors,
//! paginators, enums and `DateTime`s. `examples/ported.rs` is its mechanical
//! port to appflow-lite, checked by `tests/sdk_port.rs`; `benches/sdk`
//! builds this file against the real SDK (`cargo build --manifest-path
//! benches/sdk/Cargo.toml --example sdk-port-original`).

// The SDK's stream loop, kept as ported (`for page in pages` is the
// idiomatic form once it is an iterator).
#![allow(clippy::while_let_on_iterator)]
use appflow_lite::Client;
use appflow_lite::error::ProvideErrorMetadata;
use appflow_lite::operation::register_connector::RegisterConnectorError;
use appflow_lite::types::{
    ConnectorOperator, ConnectorProvisioningConfig, ConnectorProvisioningType, ConnectorType,
    DestinationConnectorProperties, DestinationFlowConfig, ExecutionStatus,
    LambdaConnectorProvisioningConfig, OperatorPropertiesKeys, S3ConnectorOperator,
    S3DestinationProperties, S3SourceProperties, SourceConnectorProperties, SourceFlowConfig, Task,
    TaskType, TriggerConfig, TriggerType,
};

const LABEL: &str = "port-demo";
const FLOW: &str = "port-demo-flow";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;

    // Register a custom connector; registering the label again conflicts.
    let lambda = LambdaConnectorProvisioningConfig::builder()
        .lambda_arn("arn:aws:lambda:us-east-1:123456789012:function:port-demo")
        .build()?;
    let provisioning = ConnectorProvisioningConfig::builder()
        .lambda(lambda)
        .build();
    let registered = client
        .register_connector()
        .connector_label(LABEL)
        .connector_provisioning_type(ConnectorProvisioningType::Lambda)
        .connector_provisioning_config(provisioning.clone())
        .send()?;
    println!(
        "registered {}",
        registered.connector_arn().unwrap_or_default()
    );
    match client
        .register_connector()
        .connector_label(LABEL)
        .connector_provisioning_type(ConnectorProvisioningType::Lambda)
        .connector_provisioning_config(provisioning)
        .send()
    {
        Ok(_) => return Err("registering the same label twice should conflict".into()),
        Err(err)
            if err
                .as_service_error()
                .is_some_and(|e| e.is_conflict_exception()) =>
        {
            println!("conflict: {}", err.code().unwrap_or_default());
            match err.into_service_error() {
                RegisterConnectorError::ConflictException(e) => {
                    println!("message: {}", e.message().unwrap_or_default())
                }
                other => return Err(other.into()),
            }
        }
        Err(err) => return Err(err.into()),
    }

    // An S3-to-S3 flow with one task, run on demand.
    let task = Task::builder()
        .source_fields("id")
        .connector_operator(
            ConnectorOperator::builder()
                .s3(S3ConnectorOperator::NoOp)
                .build(),
        )
        .destination_field("id")
        .task_type(TaskType::Map)
        .task_properties(OperatorPropertiesKeys::SourceDataType, "string")
        .build()?;
    let source = SourceFlowConfig::builder()
        .connector_type(ConnectorType::S3)
        .source_connector_properties(
            SourceConnectorProperties::builder()
                .s3(S3SourceProperties::builder()
                    .bucket_name("port-in")
                    .build()?)
                .build(),
        )
        .build()?;
    let destination = DestinationFlowConfig::builder()
        .connector_type(ConnectorType::S3)
        .destination_connector_properties(
            DestinationConnectorProperties::builder()
                .s3(S3DestinationProperties::builder()
                    .bucket_name("port-out")
                    .build()?)
                .build(),
        )
        .build()?;
    let created = client
        .create_flow()
        .flow_name(FLOW)
        .trigger_config(
            TriggerConfig::builder()
                .trigger_type(TriggerType::Ondemand)
                .build()?,
        )
        .source_flow_config(source)
        .destination_flow_config_list(destination)
        .tasks(task)
        .send()?;
    let flow_arn = created.flow_arn().unwrap_or_default().to_owned();
    println!("created {flow_arn} ({:?})", created.flow_status());

    let started = client.start_flow().flow_name(FLOW).send()?;
    println!(
        "started execution {}",
        started.execution_id().unwrap_or_default()
    );
    let records = client
        .describe_flow_execution_records()
        .flow_name(FLOW)
        .send()?;
    for execution in records.flow_executions() {
        let status = execution
            .execution_status()
            .map(|s| s.as_str())
            .unwrap_or("unknown");
        let running = execution.execution_status() == Some(&ExecutionStatus::Inprogress);
        println!("execution status {status} (running: {running})");
    }

    // Tags.
    client
        .tag_resource()
        .resource_arn(&flow_arn)
        .tags("team", "data")
        .tags("env", "test")
        .send()?;
    let tagged = client
        .list_tags_for_resource()
        .resource_arn(&flow_arn)
        .send()?;
    let mut keys: Vec<&String> = tagged
        .tags()
        .map(|t| t.keys().collect())
        .unwrap_or_default();
    keys.sort();
    println!("tags {keys:?}");

    // Page through flows two at a time, and through every connector.
    let mut pages = client.list_flows().into_paginator().page_size(2).send();
    let mut flows = 0;
    while let Some(page) = pages.next() {
        flows += page?.flows().len();
    }
    println!("flows {flows}");
    let pages = client
        .list_connectors()
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()?;
    let connectors: usize = pages.iter().map(|page| page.connectors().len()).sum();
    println!("connectors {connectors}");

    // Enums and times.
    let kind: ConnectorType = "Salesforce".parse()?;
    println!(
        "{} of {} connector types",
        kind.as_str(),
        ConnectorType::values().len()
    );
    let described = client.describe_flow().flow_name(FLOW).send()?;
    println!(
        "created at {:?}",
        described.created_at().map(|t| t.secs() > 0)
    );

    // Clean up.
    client
        .delete_flow()
        .flow_name(FLOW)
        .force_delete(true)
        .send()?;
    client
        .unregister_connector()
        .connector_label(LABEL)
        .send()?;
    println!("done");
    Ok(())
}
