//! The objects a connector offers, from a small fixed catalog per
//! connector type: the same answers on every run, so tests can rely on them.
//!
//! | Connector type | Group | Entities (nested ones after `/`) |
//! |---|---|---|
//! | Salesforce, Pardot | Objects | Account (Account/Contacts, Account/Opportunities), Contact, Lead, Opportunity |
//! | Zendesk | Objects | organizations, tickets, users |
//! | Servicenow | Tables | change_request, incident, problem |
//! | Marketo | Objects | activities, leads |
//! | S3 | Buckets | fake-appflow-bucket |
//! | every other type | Objects | records |
//!
//! Every entity has the fields `Id` (string, primary key), `Name`
//! (string), `CreatedDate` and `LastModifiedDate` (datetime), `Amount`
//! (double).

use serde_json::{Map, Value, json};

use super::state::State;
use super::{ErrorAnswer, page_of, text, with_token};

struct Entity {
    name: &'static str,
    children: &'static [&'static str],
}

const fn leaf(name: &'static str) -> Entity {
    Entity {
        name,
        children: &[],
    }
}

/// The group and top-level entities of connector type `kind`.
fn catalog(kind: &str) -> (&'static str, &'static [Entity]) {
    const SALESFORCE: &[Entity] = &[
        Entity {
            name: "Account",
            children: &["Contacts", "Opportunities"],
        },
        leaf("Contact"),
        leaf("Lead"),
        leaf("Opportunity"),
    ];
    const ZENDESK: &[Entity] = &[leaf("organizations"), leaf("tickets"), leaf("users")];
    const SERVICENOW: &[Entity] = &[leaf("change_request"), leaf("incident"), leaf("problem")];
    const MARKETO: &[Entity] = &[leaf("activities"), leaf("leads")];
    const S3: &[Entity] = &[leaf("fake-appflow-bucket")];
    const OTHER: &[Entity] = &[leaf("records")];
    match kind {
        "Salesforce" | "Pardot" => ("Objects", SALESFORCE),
        "Zendesk" => ("Objects", ZENDESK),
        "Servicenow" => ("Tables", SERVICENOW),
        "Marketo" => ("Objects", MARKETO),
        "S3" => ("Buckets", S3),
        _ => ("Objects", OTHER),
    }
}

/// The entity names directly under `path` ("" for the top), or `None` if
/// the path names no entity.
fn children(kind: &str, path: &str) -> Option<Vec<String>> {
    let (_, top) = catalog(kind);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments[..] {
        [] => Some(top.iter().map(|e| e.name.to_owned()).collect()),
        [parent] => top
            .iter()
            .find(|e| e.name == parent)
            .map(|e| e.children.iter().map(|c| format!("{parent}/{c}")).collect()),
        [parent, child] => top
            .iter()
            .find(|e| e.name == parent && e.children.contains(&child))
            .map(|_| Vec::new()),
        _ => None,
    }
}

fn has_children(kind: &str, name: &str) -> bool {
    children(kind, name).is_some_and(|c| !c.is_empty())
}

/// The connector type a request is about: its profile's, or the one given.
fn connector_type(state: &State, input: &Map<String, Value>) -> Result<String, ErrorAnswer> {
    let given = text(input, "connectorType");
    match text(input, "connectorProfileName") {
        Some(name) => {
            let profile = state.profiles.get(name).ok_or_else(|| {
                ErrorAnswer::not_found(format!("connector profile {name} does not exist"))
            })?;
            if given.is_some_and(|kind| kind != profile.connector_type) {
                return Err(ErrorAnswer::validation(format!(
                    "connector profile {name} is for {}, not {}",
                    profile.connector_type,
                    given.unwrap_or_default()
                )));
            }
            Ok(profile.connector_type.clone())
        }
        None => given.map(str::to_owned).ok_or_else(|| {
            ErrorAnswer::validation("give a connectorProfileName or a connectorType")
        }),
    }
}

fn no_entity(path: &str, kind: &str) -> ErrorAnswer {
    ErrorAnswer::not_found(format!("{kind} has no entity {path}"))
}

pub(super) fn list(state: &mut State, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let kind = connector_type(state, input)?;
    let path = text(input, "entitiesPath").unwrap_or_default();
    let names = children(&kind, path).ok_or_else(|| no_entity(path, &kind))?;
    let keys: Vec<&String> = names.iter().collect();
    let (page, next) = page_of(&keys, input, "entities", 1000, false)?;
    let entities: Vec<Value> = page
        .iter()
        .map(|name| {
            let label = name.rsplit('/').next().unwrap_or(name);
            json!({ "name": name, "label": label, "hasNestedEntities": has_children(&kind, name) })
        })
        .collect();
    let group = if path.is_empty() {
        catalog(&kind).0.to_owned()
    } else {
        path.to_owned()
    };
    let map = if entities.is_empty() {
        json!({})
    } else {
        json!({ group: entities })
    };
    Ok(with_token(json!({ "connectorEntityMap": map }), next))
}

fn field(identifier: &str, field_type: &str, primary_key: bool) -> Value {
    let operators = match field_type {
        "string" => json!([
            "PROJECTION",
            "EQUAL_TO",
            "NOT_EQUAL_TO",
            "CONTAINS",
            "NO_OP"
        ]),
        _ => json!([
            "PROJECTION",
            "LESS_THAN",
            "GREATER_THAN",
            "BETWEEN",
            "EQUAL_TO",
            "NOT_EQUAL_TO",
            "NO_OP"
        ]),
    };
    json!({
        "identifier": identifier,
        "label": identifier,
        "isPrimaryKey": primary_key,
        "supportedFieldTypeDetails": { "v1": { "fieldType": field_type, "filterOperators": operators } },
        "sourceProperties": {
            "isRetrievable": true,
            "isQueryable": true,
            "isTimestampFieldForIncrementalQueries": identifier == "LastModifiedDate",
        },
        "destinationProperties": {
            "isCreatable": !primary_key,
            "isNullable": !primary_key,
            "isUpsertable": true,
            "isUpdatable": !primary_key,
            "isDefaultedOnCreate": primary_key,
            "supportedWriteOperations": ["INSERT", "UPSERT", "UPDATE"],
        },
    })
}

pub(super) fn describe(
    state: &mut State,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let kind = connector_type(state, input)?;
    let name = text(input, "connectorEntityName").unwrap_or_default();
    if children(&kind, name).is_none() {
        return Err(no_entity(name, &kind));
    }
    Ok(json!({ "connectorEntityFields": [
        field("Id", "string", true),
        field("Name", "string", false),
        field("CreatedDate", "datetime", false),
        field("LastModifiedDate", "datetime", false),
        field("Amount", "double", false),
    ]}))
}

/// Checks what the reset names; the catalog has no cache to drop.
pub(super) fn reset_cache(
    state: &mut State,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let kind = connector_type(state, input)?;
    for member in ["connectorEntityName", "entitiesPath"] {
        if let Some(path) = text(input, member) {
            if children(&kind, path).is_none() {
                return Err(no_entity(path, &kind));
            }
        }
    }
    Ok(json!({}))
}
