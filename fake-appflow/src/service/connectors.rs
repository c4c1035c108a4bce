//! Custom connectors: registration, its updates, and the descriptions of
//! both custom and built-in connectors.

use serde_json::{Map, Value, json};

use super::connector_types::ConnectorTypes;
use super::state::{ConnectorRecord, State, size_of};
use super::{
    Call, ErrorAnswer, MAX_RESOURCES, epoch, flag, page, quota_exceeded, text, with_token,
};
use crate::Connector;

fn record_size(record: &ConnectorRecord) -> usize {
    let part = |v: &Option<Value>| v.as_ref().map_or(0, size_of);
    record.connector.label.len() * 2
        + 64
        + part(&record.description)
        + part(&record.provisioning_type)
        + part(&record.provisioning_config)
}

pub(super) fn register(
    state: &mut State,
    call: &Call<'_>,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    // The ARN is made from the label, so the fake needs one although the
    // model does not require it.
    let label = text(input, "connectorLabel").ok_or_else(|| {
        ErrorAnswer::validation("1 validation error detected: Value null at 'connectorLabel' failed to satisfy constraint: Member must not be null")
    })?;
    if state.connectors.contains_key(label) {
        return Err(ErrorAnswer::conflict(format!(
            "a connector labelled {label} is already registered"
        )));
    }
    if state.connectors.len() >= MAX_RESOURCES {
        return Err(quota_exceeded("connectors"));
    }
    let arn = call.arn("connector", label);
    let mut record = ConnectorRecord {
        connector: Connector {
            label: label.to_owned(),
            arn: arn.clone(),
            registered_at: call.now,
        },
        description: input.get("description").cloned(),
        provisioning_type: input.get("connectorProvisioningType").cloned(),
        provisioning_config: input.get("connectorProvisioningConfig").cloned(),
        size: 0,
    };
    record.size = record_size(&record);
    state.charge(0, record.size)?;
    state.connectors.insert(label.to_owned(), record);
    Ok(json!({ "connectorArn": arn }))
}

fn registered<'s>(
    state: &'s mut State,
    input: &Map<String, Value>,
) -> Result<&'s mut ConnectorRecord, ErrorAnswer> {
    let label = text(input, "connectorLabel").unwrap_or_default();
    state
        .connectors
        .get_mut(label)
        .ok_or_else(|| ErrorAnswer::not_found(format!("no connector labelled {label}")))
}

pub(super) fn update(state: &mut State, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let record = registered(state, input)?;
    let old = record.size;
    let mut updated = ConnectorRecord {
        connector: record.connector.clone(),
        description: input
            .get("description")
            .cloned()
            .or_else(|| record.description.clone()),
        provisioning_type: record.provisioning_type.clone(),
        provisioning_config: input
            .get("connectorProvisioningConfig")
            .cloned()
            .or_else(|| record.provisioning_config.clone()),
        size: 0,
    };
    updated.size = record_size(&updated);
    let arn = updated.connector.arn.clone();
    state.charge(old, updated.size)?;
    state
        .connectors
        .insert(updated.connector.label.clone(), updated);
    Ok(json!({ "connectorArn": arn }))
}

/// Unregisters a connector; one that a connector profile uses stays unless
/// the call forces it, as in AppFlow.
pub(super) fn unregister(
    state: &mut State,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let label = registered(state, input)?.connector.label.clone();
    let users: Vec<&String> = state
        .profiles
        .iter()
        .filter(|(_, p)| p.label.as_deref() == Some(label.as_str()))
        .map(|(name, _)| name)
        .collect();
    if !users.is_empty() && !flag(input, "forceDelete") {
        return Err(ErrorAnswer::conflict(format!(
            "connector {label} is used by connector profile(s) {users:?}; set forceDelete to unregister it anyway"
        )));
    }
    if let Some(record) = state.connectors.remove(&label) {
        state.release(record.size);
        state.drop_tags(&record.connector.arn);
    }
    Ok(json!({}))
}

/// `ConnectorDetail`, as lists show a custom connector.
fn detail(record: &ConnectorRecord) -> Value {
    let mut detail = Map::new();
    if let Some(description) = &record.description {
        detail.insert("connectorDescription".into(), description.clone());
    }
    detail.insert("connectorName".into(), json!(record.connector.label));
    detail.insert("connectorOwner".into(), json!("fake-appflow"));
    detail.insert("connectorVersion".into(), json!("1.0"));
    detail.insert("applicationType".into(), json!("CustomConnector"));
    detail.insert("connectorType".into(), json!("CustomConnector"));
    detail.insert("connectorLabel".into(), json!(record.connector.label));
    detail.insert(
        "registeredAt".into(),
        json!(epoch(record.connector.registered_at)),
    );
    detail.insert("registeredBy".into(), json!("fake-appflow"));
    if let Some(kind) = &record.provisioning_type {
        detail.insert("connectorProvisioningType".into(), kind.clone());
    }
    detail.insert("connectorModes".into(), json!(["Public"]));
    Value::Object(detail)
}

/// `ConnectorConfiguration` of a built-in type.
fn built_in_configuration(types: &ConnectorTypes, kind: &str) -> Value {
    let trigger_types = if kind == "Salesforce" || kind == "Zendesk" || kind == "Marketo" {
        json!(["Scheduled", "Event", "OnDemand"])
    } else {
        json!(["Scheduled", "OnDemand"])
    };
    json!({
        "canUseAsSource": types.source_member(kind).is_some(),
        "canUseAsDestination": types.destination_member(kind).is_some(),
        "connectorType": kind,
        "connectorName": kind,
        "connectorOwner": "Amazon AppFlow",
        "supportedTriggerTypes": trigger_types,
        "supportedSchedulingFrequencies": ["ONCE", "HOURLY", "DAILY", "WEEKLY", "MONTHLY"],
        "isPrivateLinkEnabled": false,
        "isPrivateLinkEndpointUrlRequired": false,
        "supportedApiVersions": ["v1"],
    })
}

fn custom_configuration(record: &ConnectorRecord) -> Value {
    let mut config = Map::new();
    config.insert("canUseAsSource".into(), json!(true));
    config.insert("canUseAsDestination".into(), json!(true));
    config.insert("connectorType".into(), json!("CustomConnector"));
    config.insert("connectorLabel".into(), json!(record.connector.label));
    config.insert("connectorName".into(), json!(record.connector.label));
    if let Some(description) = &record.description {
        config.insert("connectorDescription".into(), description.clone());
    }
    config.insert("connectorArn".into(), json!(record.connector.arn));
    if let Some(kind) = &record.provisioning_type {
        config.insert("connectorProvisioningType".into(), kind.clone());
    }
    if let Some(provisioning) = &record.provisioning_config {
        config.insert("connectorProvisioningConfig".into(), provisioning.clone());
    }
    config.insert(
        "registeredAt".into(),
        json!(epoch(record.connector.registered_at)),
    );
    config.insert("registeredBy".into(), json!("fake-appflow"));
    config.insert(
        "supportedTriggerTypes".into(),
        json!(["Scheduled", "OnDemand"]),
    );
    Value::Object(config)
}

pub(super) fn describe(
    state: &mut State,
    call: &Call<'_>,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let kind = text(input, "connectorType").unwrap_or_default();
    if kind != "CustomConnector" {
        return Ok(json!({ "connectorConfiguration": built_in_configuration(call.types, kind) }));
    }
    let label = text(input, "connectorLabel").unwrap_or_default();
    let record = state
        .connectors
        .get(label)
        .ok_or_else(|| ErrorAnswer::not_found(format!("no connector labelled {label:?}")))?;
    Ok(json!({ "connectorConfiguration": custom_configuration(record) }))
}

pub(super) fn list(state: &mut State, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let labels: Vec<&String> = state.connectors.keys().collect();
    let (page, next) = page(&labels, input, "connectors")?;
    let connectors: Vec<Value> = page.iter().map(|l| detail(&state.connectors[*l])).collect();
    Ok(with_token(json!({ "connectors": connectors }), next))
}

/// Built-in types' configurations (all of them, or those asked for), and
/// the registered custom connectors, paged.
pub(super) fn describe_many(
    state: &mut State,
    call: &Call<'_>,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let asked: Vec<&str> = input
        .get("connectorTypes")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let wanted = |kind: &str| asked.is_empty() || asked.contains(&kind);
    let configurations: Map<String, Value> = call
        .types
        .built_in
        .iter()
        .filter(|kind| wanted(kind))
        .map(|kind| (kind.clone(), built_in_configuration(call.types, kind)))
        .collect();
    let labels: Vec<&String> = if wanted("CustomConnector") {
        state.connectors.keys().collect()
    } else {
        Vec::new()
    };
    let (page, next) = page(&labels, input, "connectors")?;
    let connectors: Vec<Value> = page.iter().map(|l| detail(&state.connectors[*l])).collect();
    Ok(with_token(
        json!({ "connectorConfigurations": configurations, "connectors": connectors }),
        next,
    ))
}
