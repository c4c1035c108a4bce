//! Tags on connectors, connector profiles and flows, by ARN.

use serde_json::{Map, Value, json};

use super::state::State;
use super::{ErrorAnswer, text};

/// A resource holds at most this many tags (AppFlow's limit).
const MAX_TAGS: usize = 50;

/// Refuses an ARN that names nothing the fake holds.
fn known(state: &State, arn: &str) -> Result<(), ErrorAnswer> {
    let known = state.connectors.values().any(|c| c.connector.arn == arn)
        || state.flows.values().any(|f| f.arn == arn)
        || state.profiles.values().any(|p| p.arn == arn);
    if known {
        Ok(())
    } else {
        Err(ErrorAnswer::not_found(format!(
            "no resource with ARN {arn}"
        )))
    }
}

pub(super) fn tag(state: &mut State, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let arn = text(input, "resourceArn").unwrap_or_default();
    known(state, arn)?;
    let mut merged = state.tags.get(arn).cloned().unwrap_or_default();
    for (key, value) in input
        .get("tags")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        merged.insert(key.clone(), value.clone());
    }
    if merged.len() > MAX_TAGS {
        return Err(ErrorAnswer::validation(format!(
            "a resource can have at most {MAX_TAGS} tags"
        )));
    }
    state.set_tags(arn, merged)?;
    Ok(json!({}))
}

pub(super) fn untag(state: &mut State, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let arn = text(input, "resourceArn").unwrap_or_default();
    known(state, arn)?;
    let mut tags = state.tags.get(arn).cloned().unwrap_or_default();
    for key in input
        .get("tagKeys")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        tags.remove(key.as_str().unwrap_or_default());
    }
    state.set_tags(arn, tags)?;
    Ok(json!({}))
}

pub(super) fn list(state: &mut State, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let arn = text(input, "resourceArn").unwrap_or_default();
    known(state, arn)?;
    let tags = state.tags.get(arn).cloned().unwrap_or_default();
    Ok(json!({ "tags": tags }))
}
