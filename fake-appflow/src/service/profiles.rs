//! Connector profiles: a connector type's connection settings and
//! credentials. Credentials are checked and then dropped: no answer and no
//! log entry ever holds them.

use serde_json::{Map, Value, json};

use super::connector_types::ConnectorTypes;
use super::state::{ProfileRecord, State, size_of};
use super::{
    Call, ErrorAnswer, MAX_RESOURCES, epoch, flag, page, quota_exceeded, text, with_token,
};

/// A credential value that the fake's connectors refuse, to test
/// `ConnectorAuthenticationException`.
pub(crate) const REFUSED_CREDENTIAL: &str = "invalid";

/// What a redacted credential reads as in the request log.
const REDACTED: &str = "*** redacted by fake-appflow ***";

/// The properties and credentials of `config` for `kind`, checked.
fn checked_config(
    types: &ConnectorTypes,
    kind: &str,
    config: Option<&Value>,
) -> Result<Value, ErrorAnswer> {
    let member = types.profile_member(kind).ok_or_else(|| {
        ErrorAnswer::validation(format!(
            "connector type {kind} does not use connector profiles"
        ))
    })?;
    let config = config
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let properties = config
        .get("connectorProfileProperties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let only = |what: &str, map: &Map<String, Value>| {
        if map.len() == 1 && map.contains_key(member) {
            Ok(())
        } else {
            Err(ErrorAnswer::validation(format!(
                "{what} must hold exactly one member, {member}, for connector type {kind}"
            )))
        }
    };
    only("connectorProfileProperties", &properties)?;
    if let Some(credentials) = config.get("connectorProfileCredentials") {
        let credentials = credentials.as_object().cloned().unwrap_or_default();
        only("connectorProfileCredentials", &credentials)?;
        if holds_text(&credentials[member], REFUSED_CREDENTIAL) {
            return Err(ErrorAnswer::new(
                401,
                "ConnectorAuthenticationException",
                format!("{kind} refused the credentials"),
            ));
        }
    }
    Ok(properties[member].clone())
}

fn holds_text(value: &Value, wanted: &str) -> bool {
    match value {
        Value::String(text) => text == wanted,
        Value::Array(items) => items.iter().any(|v| holds_text(v, wanted)),
        Value::Object(map) => map.values().any(|v| holds_text(v, wanted)),
        _ => false,
    }
}

pub(super) fn create(
    state: &mut State,
    call: &Call<'_>,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let name = text(input, "connectorProfileName").unwrap_or_default();
    let kind = text(input, "connectorType").unwrap_or_default();
    if state.profiles.contains_key(name) {
        return Err(ErrorAnswer::conflict(format!(
            "a connector profile named {name} already exists"
        )));
    }
    if state.profiles.len() >= MAX_RESOURCES {
        return Err(quota_exceeded("connector profiles"));
    }
    let label = text(input, "connectorLabel").map(str::to_owned);
    if kind == "CustomConnector" {
        let label = label.as_deref().ok_or_else(|| {
            ErrorAnswer::validation("a CustomConnector profile needs a connectorLabel")
        })?;
        if !state.connectors.contains_key(label) {
            return Err(ErrorAnswer::validation(format!(
                "no connector labelled {label} is registered"
            )));
        }
    }
    let properties = checked_config(call.types, kind, input.get("connectorProfileConfig"))?;
    let arn = call.arn("connectorprofile", name);
    let mut record = ProfileRecord {
        credentials_arn: format!(
            "arn:aws:secretsmanager:{}:{}:secret:appflow!{}-{name}-{}",
            call.region,
            call.account_id,
            call.account_id,
            epoch(call.now)
        ),
        arn: arn.clone(),
        connector_type: kind.to_owned(),
        label,
        connection_mode: text(input, "connectionMode").unwrap_or("Public").to_owned(),
        properties,
        created_at: call.now,
        updated_at: call.now,
        size: 0,
    };
    record.size = record_size(name, &record);
    state.charge(0, record.size)?;
    state.profiles.insert(name.to_owned(), record);
    Ok(json!({ "connectorProfileArn": arn }))
}

fn record_size(name: &str, record: &ProfileRecord) -> usize {
    name.len() + record.arn.len() + record.credentials_arn.len() + size_of(&record.properties) + 128
}

pub(super) fn update(
    state: &mut State,
    call: &Call<'_>,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let name = text(input, "connectorProfileName").unwrap_or_default();
    let record = state
        .profiles
        .get(name)
        .ok_or_else(|| ErrorAnswer::not_found(format!("no connector profile named {name}")))?;
    let properties = checked_config(
        call.types,
        &record.connector_type,
        input.get("connectorProfileConfig"),
    )?;
    let old = record.size;
    let mode = text(input, "connectionMode").unwrap_or("Public").to_owned();
    let mut size = 0;
    if let Some(record) = state.profiles.get_mut(name) {
        record.properties = properties;
        record.connection_mode = mode;
        record.updated_at = call.now;
        record.size = record_size(name, record);
        size = record.size;
    }
    state.charge(old, size)?;
    Ok(json!({ "connectorProfileArn": state.profiles[name].arn }))
}

/// Deletes a profile; one that a flow uses stays unless forced.
pub(super) fn delete(state: &mut State, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let name = text(input, "connectorProfileName").unwrap_or_default();
    if !state.profiles.contains_key(name) {
        return Err(ErrorAnswer::not_found(format!(
            "no connector profile named {name}"
        )));
    }
    let users: Vec<&String> = state
        .flows
        .iter()
        .filter(|(_, flow)| flow.uses_profile(name))
        .map(|(flow, _)| flow)
        .collect();
    if !users.is_empty() && !flag(input, "forceDelete") {
        return Err(ErrorAnswer::conflict(format!(
            "connector profile {name} is used by flow(s) {users:?}; set forceDelete to delete it anyway"
        )));
    }
    if let Some(record) = state.profiles.remove(name) {
        state.release(record.size);
    }
    Ok(json!({}))
}

fn detail(types: &ConnectorTypes, name: &str, record: &ProfileRecord) -> Value {
    let member = types
        .profile_member(&record.connector_type)
        .unwrap_or("CustomConnector");
    let mut detail = json!({
        "connectorProfileArn": record.arn,
        "connectorProfileName": name,
        "connectorType": record.connector_type,
        "connectionMode": record.connection_mode,
        "credentialsArn": record.credentials_arn,
        "connectorProfileProperties": { member: record.properties },
        "createdAt": epoch(record.created_at),
        "lastUpdatedAt": epoch(record.updated_at),
    });
    if let Some(label) = &record.label {
        detail["connectorLabel"] = json!(label);
    }
    if record.connection_mode == "Private" {
        detail["privateConnectionProvisioningState"] = json!({ "status": "CREATED" });
    }
    detail
}

/// Profiles by name, filtered by the names, connector type and label given.
pub(super) fn describe(
    state: &mut State,
    call: &Call<'_>,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let names: Option<Vec<&str>> = input
        .get("connectorProfileNames")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect());
    let kind = text(input, "connectorType");
    let label = text(input, "connectorLabel");
    let matching: Vec<&String> = state
        .profiles
        .iter()
        .filter(|(name, record)| {
            names
                .as_ref()
                .is_none_or(|names| names.contains(&name.as_str()))
                && kind.is_none_or(|kind| record.connector_type == kind)
                && label.is_none_or(|label| record.label.as_deref() == Some(label))
        })
        .map(|(name, _)| name)
        .collect();
    let (page, next) = page(&matching, input, "profiles")?;
    let details: Vec<Value> = page
        .iter()
        .map(|name| detail(call.types, name, &state.profiles[*name]))
        .collect();
    Ok(with_token(
        json!({ "connectorProfileDetails": details }),
        next,
    ))
}

/// The request body as the log keeps it: a profile's credentials replaced,
/// every other byte as sent.
pub(crate) fn redacted(target: &str, body: Vec<u8>) -> Vec<u8> {
    let path = target.split('?').next().unwrap_or_default();
    if !matches!(
        path,
        "/create-connector-profile" | "/update-connector-profile"
    ) {
        return body;
    }
    let Ok(Value::Object(mut input)) = serde_json::from_slice::<Value>(&body) else {
        // Not JSON, so it was refused; it may still hold a secret.
        return REDACTED.as_bytes().to_vec();
    };
    if let Some(credentials) = input
        .get_mut("connectorProfileConfig")
        .and_then(|c| c.get_mut("connectorProfileCredentials"))
    {
        redact(credentials);
    }
    serde_json::to_vec(&input).unwrap_or_default()
}

fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => map.values_mut().for_each(redact),
        Value::Array(items) => items.iter_mut().for_each(redact),
        other => *other = json!(REDACTED),
    }
}
