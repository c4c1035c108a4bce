//! Flows and their executions.
//!
//! A flow checks what it names: a connector profile must exist and be for
//! the flow's connector type, a custom connector must be registered, and a
//! type that needs a profile must name one. `StartFlow` on an on-demand
//! flow starts an execution that is `InProgress` for the fake's execution
//! time, then `Successful` with fixed counts, unless canceled first.

use std::collections::VecDeque;

use serde_json::{Map, Value, json};

use super::connector_types::ConnectorTypes;
use super::state::{EXECUTION_BYTES, EXECUTIONS_KEPT, End, Execution, FlowRecord, State};
use super::{
    Call, ErrorAnswer, MAX_RESOURCES, epoch, flag, page, page_of, quota_exceeded, text, with_token,
};

/// What a successful execution reports having moved.
const RECORDS_PER_RUN: u64 = 100;
const BYTES_PER_RUN: u64 = 25_600;

/// The members of CreateFlow/UpdateFlow that describe the flow.
const DEFINITION: &[&str] = &[
    "description",
    "kmsArn",
    "triggerConfig",
    "sourceFlowConfig",
    "destinationFlowConfigList",
    "tasks",
    "metadataCatalogConfig",
];

/// Which end of a flow a configuration describes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Source,
    Destination,
}

/// One end of a flow, checked against what the fake holds.
fn end(
    state: &State,
    types: &ConnectorTypes,
    config: &Value,
    role: Role,
) -> Result<End, ErrorAnswer> {
    let kind = config["connectorType"].as_str().unwrap_or_default();
    let (member, properties, name) = match role {
        Role::Source => (
            types.source_member(kind),
            "sourceConnectorProperties",
            "source",
        ),
        Role::Destination => (
            types.destination_member(kind),
            "destinationConnectorProperties",
            "destination",
        ),
    };
    let member = member.ok_or_else(|| {
        ErrorAnswer::validation(format!("connector type {kind} cannot be a flow's {name}"))
    })?;
    let given = config[properties].as_object();
    if given.is_none_or(|p| p.len() != 1 || !p.contains_key(member)) {
        return Err(ErrorAnswer::validation(format!(
            "{properties} must hold exactly one member, {member}, for connector type {kind}"
        )));
    }
    let profile = config["connectorProfileName"].as_str().map(str::to_owned);
    let mut label = None;
    match &profile {
        Some(name) => {
            let record = state.profiles.get(name).ok_or_else(|| {
                ErrorAnswer::not_found(format!("connector profile {name} does not exist"))
            })?;
            if record.connector_type != kind {
                return Err(ErrorAnswer::validation(format!(
                    "connector profile {name} is for {}, not {kind}",
                    record.connector_type
                )));
            }
            label = record.label.clone();
        }
        None if types.profile_member(kind).is_some() => {
            return Err(ErrorAnswer::validation(format!(
                "connector type {kind} needs a connectorProfileName"
            )));
        }
        None => {}
    }
    if let Some(label) = &label {
        if !state.connectors.contains_key(label) {
            return Err(ErrorAnswer::not_found(format!(
                "connector {label}, which profile {} uses, is not registered",
                profile.as_deref().unwrap_or_default()
            )));
        }
    }
    Ok(End {
        connector_type: kind.to_owned(),
        profile,
        label,
    })
}

/// The definition's ends and trigger type, checked.
fn parts(
    state: &State,
    types: &ConnectorTypes,
    definition: &Map<String, Value>,
) -> Result<(End, Vec<End>, String), ErrorAnswer> {
    let source = end(state, types, &definition["sourceFlowConfig"], Role::Source)?;
    let destinations = definition["destinationFlowConfigList"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| end(state, types, d, Role::Destination))
        .collect::<Result<Vec<End>, ErrorAnswer>>()?;
    let trigger = definition["triggerConfig"]["triggerType"]
        .as_str()
        .unwrap_or("OnDemand")
        .to_owned();
    Ok((source, destinations, trigger))
}

fn definition_of(input: &Map<String, Value>) -> Map<String, Value> {
    DEFINITION
        .iter()
        .filter_map(|name| Some((name.to_string(), input.get(*name)?.clone())))
        .collect()
}

fn named<'s>(
    state: &'s mut State,
    input: &Map<String, Value>,
) -> Result<&'s mut FlowRecord, ErrorAnswer> {
    let name = text(input, "flowName").unwrap_or_default();
    state
        .flows
        .get_mut(name)
        .ok_or_else(|| ErrorAnswer::not_found(format!("no flow named {name}")))
}

pub(super) fn create(
    state: &mut State,
    call: &Call<'_>,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let name = text(input, "flowName").unwrap_or_default();
    if state.flows.contains_key(name) {
        return Err(ErrorAnswer::conflict(format!(
            "a flow named {name} already exists"
        )));
    }
    if state.flows.len() >= MAX_RESOURCES {
        return Err(quota_exceeded("flows"));
    }
    let definition = definition_of(input);
    let (source, destinations, trigger_type) = parts(state, call.types, &definition)?;
    let arn = call.arn("flow", name);
    // On-demand flows can run at once; the others wait for StartFlow.
    let status = if trigger_type == "OnDemand" {
        "Active"
    } else {
        "Draft"
    };
    let definition = Value::Object(definition).to_string();
    let size = name.len() + arn.len() + definition.len() + 256;
    state.charge(0, size)?;
    if let Some(Value::Object(tags)) = input.get("tags") {
        if let Err(refused) = state.set_tags(&arn, tags.clone()) {
            state.release(size);
            return Err(refused);
        }
    }
    state.flows.insert(
        name.to_owned(),
        FlowRecord {
            arn: arn.clone(),
            status,
            definition,
            trigger_type,
            source,
            destinations,
            created_at: call.now,
            updated_at: call.now,
            runs: VecDeque::new(),
            size,
        },
    );
    Ok(json!({ "flowArn": arn, "flowStatus": status }))
}

pub(super) fn update(
    state: &mut State,
    call: &Call<'_>,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    named(state, input)?;
    let definition = definition_of(input);
    let (source, destinations, trigger_type) = parts(state, call.types, &definition)?;
    let definition = Value::Object(definition).to_string();
    let flow = named(state, input)?;
    let old = flow.size;
    let size = old - flow.definition.len() + definition.len();
    let status = flow.status;
    state.charge(old, size)?;
    let flow = named(state, input)?;
    flow.definition = definition;
    flow.source = source;
    flow.destinations = destinations;
    flow.trigger_type = trigger_type;
    flow.updated_at = call.now;
    flow.size = size;
    Ok(json!({ "flowStatus": status }))
}

/// `ExecutionDetails` of the newest execution, if any.
fn last_run(flow: &FlowRecord, call: &Call<'_>) -> Option<Value> {
    let run = flow.runs.front()?;
    let status = run.status(call.now);
    Some(json!({
        "mostRecentExecutionStatus": status,
        "mostRecentExecutionTime": epoch(run.updated(call.now)),
        "mostRecentExecutionMessage": format!("execution {} is {status}", run.id),
    }))
}

pub(super) fn describe(
    state: &mut State,
    call: &Call<'_>,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let flow = named(state, input)?;
    let mut answer: Map<String, Value> = match serde_json::from_str(&flow.definition) {
        Ok(Value::Object(definition)) => definition,
        _ => Map::new(),
    };
    answer.insert("flowArn".into(), json!(flow.arn));
    answer.insert("flowName".into(), input["flowName"].clone());
    answer.insert("flowStatus".into(), json!(flow.status));
    answer.insert("createdAt".into(), json!(epoch(flow.created_at)));
    answer.insert("lastUpdatedAt".into(), json!(epoch(flow.updated_at)));
    answer.insert("createdBy".into(), json!("fake-appflow"));
    answer.insert("lastUpdatedBy".into(), json!("fake-appflow"));
    answer.insert("schemaVersion".into(), json!(1));
    if let Some(details) = last_run(flow, call) {
        answer.insert("lastRunExecutionDetails".into(), details);
    }
    let arn = flow.arn.clone();
    answer.insert(
        "tags".into(),
        Value::Object(state.tags.get(&arn).cloned().unwrap_or_default()),
    );
    Ok(Value::Object(answer))
}

pub(super) fn list(
    state: &mut State,
    call: &Call<'_>,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let names: Vec<&String> = state.flows.keys().collect();
    let (page, next) = page(&names, input, "flows")?;
    let flows: Vec<Value> = page
        .iter()
        .map(|name| {
            let flow = &state.flows[*name];
            let first = flow.destinations.first();
            let mut summary = json!({
                "flowArn": flow.arn,
                "flowName": name,
                "flowStatus": flow.status,
                "sourceConnectorType": flow.source.connector_type,
                "triggerType": flow.trigger_type,
                "createdAt": epoch(flow.created_at),
                "lastUpdatedAt": epoch(flow.updated_at),
                "createdBy": "fake-appflow",
                "lastUpdatedBy": "fake-appflow",
                "tags": state.tags.get(&flow.arn).cloned().unwrap_or_default(),
            });
            if let Some(description) = serde_json::from_str::<Value>(&flow.definition)
                .ok()
                .and_then(|d| d.get("description").cloned())
            {
                summary["description"] = description;
            }
            if let Some(label) = &flow.source.label {
                summary["sourceConnectorLabel"] = json!(label);
            }
            if let Some(first) = first {
                summary["destinationConnectorType"] = json!(first.connector_type);
                if let Some(label) = &first.label {
                    summary["destinationConnectorLabel"] = json!(label);
                }
            }
            if let Some(details) = last_run(flow, call) {
                summary["lastRunExecutionDetails"] = details;
            }
            summary
        })
        .collect();
    Ok(with_token(json!({ "flows": flows }), next))
}

/// Runs an on-demand flow; activates a scheduled or event flow.
pub(super) fn start(
    state: &mut State,
    call: &Call<'_>,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let flow = named(state, input)?;
    if flow.trigger_type != "OnDemand" {
        if flow.status == "Active" {
            return Err(ErrorAnswer::conflict("the flow is already active"));
        }
        flow.status = "Active";
        return Ok(json!({ "flowArn": flow.arn, "flowStatus": flow.status }));
    }
    let grows = flow.runs.len() < EXECUTIONS_KEPT;
    if grows {
        state.charge(0, EXECUTION_BYTES)?;
    }
    state.executions += 1;
    let id = format!("fake-execution-{:012}", state.executions);
    let flow = named(state, input)?;
    if !grows {
        flow.runs.pop_back();
    }
    flow.runs.push_front(Execution {
        id: id.clone(),
        started: call.now,
        ends: call.now + call.execution_time,
        canceled_at: None,
    });
    flow.status = "Active";
    Ok(json!({ "flowArn": flow.arn, "flowStatus": flow.status, "executionId": id }))
}

/// Deactivates a scheduled or event flow; on-demand flows cannot be stopped.
pub(super) fn stop(state: &mut State, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let flow = named(state, input)?;
    if flow.trigger_type == "OnDemand" {
        return Err(ErrorAnswer::new(
            400,
            "UnsupportedOperationException",
            "an on-demand flow cannot be stopped",
        ));
    }
    if flow.status != "Active" {
        return Err(ErrorAnswer::conflict(format!(
            "the flow is {}, not Active",
            flow.status
        )));
    }
    flow.status = "Suspended";
    Ok(json!({ "flowArn": flow.arn, "flowStatus": flow.status }))
}

/// Deletes a flow; one with a running execution stays unless forced.
pub(super) fn delete(
    state: &mut State,
    call: &Call<'_>,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let flow = named(state, input)?;
    if flow.is_running(call.now) && !flag(input, "forceDelete") {
        return Err(ErrorAnswer::conflict(
            "the flow has an execution in progress; set forceDelete to delete it anyway",
        ));
    }
    let name = text(input, "flowName").unwrap_or_default();
    if let Some(flow) = state.flows.remove(name) {
        state.release(flow.size + flow.runs.len() * EXECUTION_BYTES);
        state.drop_tags(&flow.arn);
    }
    Ok(json!({}))
}

fn record(run: &Execution, call: &Call<'_>) -> Value {
    let status = run.status(call.now);
    let (records, bytes) = if status == "Successful" {
        (RECORDS_PER_RUN, BYTES_PER_RUN)
    } else {
        (0, 0)
    };
    let mut record = json!({
        "executionId": run.id,
        "executionStatus": status,
        "executionResult": {
            "bytesProcessed": bytes,
            "bytesWritten": bytes,
            "recordsProcessed": records,
            "numParallelProcesses": 1,
            "maxPageSize": RECORDS_PER_RUN,
        },
        "startedAt": epoch(run.started),
        "lastUpdatedAt": epoch(run.updated(call.now)),
        "dataPullStartTime": epoch(run.started),
    });
    if status == "Successful" {
        record["dataPullEndTime"] = json!(epoch(run.ends));
    }
    record
}

/// Execution records, newest first, paged.
pub(super) fn executions(
    state: &mut State,
    call: &Call<'_>,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let flow = named(state, input)?;
    let ids: Vec<&String> = flow.runs.iter().map(|run| &run.id).collect();
    let (page, next) = page_of(&ids, input, "executions", 100, true)?;
    let records: Vec<Value> = page
        .iter()
        .filter_map(|id| flow.runs.iter().find(|run| &run.id == *id))
        .map(|run| record(run, call))
        .collect();
    Ok(with_token(json!({ "flowExecutions": records }), next))
}

/// Cancels the running executions named (all running ones if none is);
/// the ids that name no running execution come back as invalid.
pub(super) fn cancel(
    state: &mut State,
    call: &Call<'_>,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let flow = named(state, input)?;
    if flow.trigger_type == "Event" {
        return Err(ErrorAnswer::validation(
            "executions of an event-triggered flow cannot be canceled",
        ));
    }
    let asked: Option<Vec<&str>> = input
        .get("executionIds")
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(Value::as_str).collect());
    let mut invalid = Vec::new();
    match asked {
        None => {
            for run in flow.runs.iter_mut() {
                if run.status(call.now) == "InProgress" {
                    run.canceled_at = Some(call.now);
                }
            }
        }
        Some(ids) => {
            for id in ids {
                match flow.runs.iter_mut().find(|run| run.id == id) {
                    Some(run) if run.status(call.now) == "InProgress" => {
                        run.canceled_at = Some(call.now);
                    }
                    _ => invalid.push(id),
                }
            }
        }
    }
    Ok(json!({ "invalidExecutions": invalid }))
}
