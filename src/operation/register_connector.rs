//! `RegisterConnector` (`POST /register-connector`): registers a custom
//! connector whose code runs in your account.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::client::{Call, Client};
use crate::error::Error;
use crate::protocol::SignedRequest;
use crate::types::{ConnectorProvisioningConfig, ConnectorProvisioningType};
use crate::validate::{self, InvalidInput, Rule};

const LABEL_PATTERN: &str = r"[a-zA-Z0-9][\w!@#.-]+";
const ARN_PATTERN: &str = "arn:aws:.*:.*:[0-9]+:.*";
const CLIENT_TOKEN_PATTERN: &str = "[ -~]+";

/// The operation's input, with the model's member names on the wire. Parse
/// one from JSON to take input from a file, as `--cli-input-json` does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct RegisterConnectorInput {
    /// The connector's name, unique in the account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connector_label: Option<String>,
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How the connector is provisioned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connector_provisioning_type: Option<ConnectorProvisioningType>,
    /// Where the connector's code lives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connector_provisioning_config: Option<ConnectorProvisioningConfig>,
    /// The idempotency token; the client makes one when it is not set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
}

impl RegisterConnectorInput {
    /// Checks every constraint the model states, in member order.
    pub fn validate(&self) -> Result<(), InvalidInput> {
        if let Some(label) = &self.connector_label {
            validate::length("connectorLabel", label, 0, 256)?;
            validate::pattern(
                "connectorLabel",
                label,
                validate::matches_connector_label,
                LABEL_PATTERN,
            )?;
        }
        if let Some(description) = &self.description {
            // Its pattern `[\s\w/!@#+=.-]*` can match the empty string, so,
            // unanchored, every value matches it: only the length binds.
            validate::length("description", description, 0, 1024)?;
        }
        if let Some(ConnectorProvisioningType::Unknown(_)) = &self.connector_provisioning_type {
            return Err(InvalidInput::new(
                "connectorProvisioningType",
                Rule::Enum(ConnectorProvisioningType::VALUES),
            ));
        }
        if let Some(lambda) = self
            .connector_provisioning_config
            .as_ref()
            .and_then(|c| c.lambda())
        {
            let field = "connectorProvisioningConfig.lambda.lambdaArn";
            let arn = validate::required(field, lambda.lambda_arn())?;
            validate::length(field, arn, 0, 512)?;
            validate::pattern(field, arn, validate::matches_arn, ARN_PATTERN)?;
        }
        if let Some(token) = &self.client_token {
            validate::length("clientToken", token, 1, 256)?;
            validate::pattern(
                "clientToken",
                token,
                validate::matches_client_token,
                CLIENT_TOKEN_PATTERN,
            )?;
        }
        Ok(())
    }

    /// Validates, fills in a client token if none was given, and serialises:
    /// the request every attempt of this call will carry.
    fn into_call(mut self) -> Result<Call, Error> {
        self.validate()?;
        if self.client_token.is_none() {
            let token = crate::token::uuid_v4().map_err(|e| {
                Error::Io(std::io::Error::other(format!(
                    "no randomness for a client token: {e}"
                )))
            })?;
            self.client_token = Some(token);
        }
        let body = serde_json::to_vec(&self).expect("the input serialises to JSON");
        Ok(Call {
            method: "POST",
            path: "/register-connector",
            body,
        })
    }
}

/// What `RegisterConnector` returns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RegisterConnectorOutput {
    #[serde(skip_serializing_if = "Option::is_none")]
    connector_arn: Option<String>,
}

impl RegisterConnectorOutput {
    /// The new connector's ARN.
    pub fn connector_arn(&self) -> Option<&str> {
        self.connector_arn.as_deref()
    }
}

impl Client {
    /// Registers a custom connector. Set the input, then [`send`](RegisterConnectorFluentBuilder::send).
    pub fn register_connector(&self) -> RegisterConnectorFluentBuilder<'_> {
        RegisterConnectorFluentBuilder {
            client: self,
            input: RegisterConnectorInput::default(),
        }
    }
}

/// Sets `RegisterConnector`'s input and sends it.
#[derive(Debug, Clone)]
pub struct RegisterConnectorFluentBuilder<'a> {
    client: &'a Client,
    input: RegisterConnectorInput,
}

impl RegisterConnectorFluentBuilder<'_> {
    /// The connector's name: up to 256 characters, unique in the account.
    pub fn connector_label(mut self, label: impl Into<String>) -> Self {
        self.input.connector_label = Some(label.into());
        self
    }

    /// A description, up to 1024 characters.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.input.description = Some(description.into());
        self
    }

    /// How the connector is provisioned.
    pub fn connector_provisioning_type(mut self, kind: ConnectorProvisioningType) -> Self {
        self.input.connector_provisioning_type = Some(kind);
        self
    }

    /// Where the connector's code lives.
    pub fn connector_provisioning_config(mut self, config: ConnectorProvisioningConfig) -> Self {
        self.input.connector_provisioning_config = Some(config);
        self
    }

    /// The idempotency token: repeating a call with the same token and input
    /// returns the first answer instead of registering twice. One is made
    /// when none is given.
    pub fn client_token(mut self, token: impl Into<String>) -> Self {
        self.input.client_token = Some(token.into());
        self
    }

    /// Replaces the whole input, e.g. one parsed from JSON.
    pub fn set_input(mut self, input: RegisterConnectorInput) -> Self {
        self.input = input;
        self
    }

    /// The input as set so far.
    pub fn as_input(&self) -> &RegisterConnectorInput {
        &self.input
    }

    /// Validates the input and sends it.
    pub fn send(self) -> Result<RegisterConnectorOutput, Error> {
        let call = self.input.into_call()?;
        self.client.send(&call)
    }

    /// The exact request [`send`](Self::send) would make at `time`, signed
    /// with the client's credentials, without sending it.
    pub fn signed_request(self, time: SystemTime) -> Result<SignedRequest, Error> {
        let call = self.input.into_call()?;
        let credentials = self.client.credentials()?;
        self.client.sign(&call, &credentials, time, &[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::LambdaConnectorProvisioningConfig;

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:my-connector";

    fn lambda(arn: Option<&str>) -> ConnectorProvisioningConfig {
        let mut lambda = LambdaConnectorProvisioningConfig::builder();
        if let Some(arn) = arn {
            lambda = lambda.lambda_arn(arn);
        }
        ConnectorProvisioningConfig::builder()
            .lambda(lambda.build())
            .build()
    }

    fn input() -> RegisterConnectorInput {
        RegisterConnectorInput {
            connector_label: Some("my-conn".into()),
            connector_provisioning_type: Some(ConnectorProvisioningType::Lambda),
            connector_provisioning_config: Some(lambda(Some(ARN))),
            ..Default::default()
        }
    }

    fn violation(input: RegisterConnectorInput) -> (String, Rule) {
        let err = input.validate().unwrap_err();
        (err.field().to_owned(), err.rule().clone())
    }

    #[test]
    fn a_well_formed_input_passes() {
        assert_eq!(input().validate(), Ok(()));
        assert_eq!(RegisterConnectorInput::default().validate(), Ok(()));
    }

    #[test]
    fn each_constraint_names_its_field_and_rule() {
        let too_long = RegisterConnectorInput {
            connector_label: Some("a".repeat(257)),
            ..input()
        };
        assert_eq!(
            violation(too_long),
            (
                "connectorLabel".into(),
                Rule::Length {
                    min: 0,
                    max: 256,
                    actual: 257
                }
            )
        );
        let no_match = RegisterConnectorInput {
            connector_label: Some("!".into()),
            ..input()
        };
        assert_eq!(
            violation(no_match),
            ("connectorLabel".into(), Rule::Pattern(LABEL_PATTERN))
        );
        let description = RegisterConnectorInput {
            description: Some("é".repeat(1025)),
            ..input()
        };
        assert_eq!(violation(description).0, "description");
        let kind = RegisterConnectorInput {
            connector_provisioning_type: Some("CONTAINER".into()),
            ..input()
        };
        assert_eq!(
            violation(kind),
            ("connectorProvisioningType".into(), Rule::Enum(&["LAMBDA"]))
        );
        let missing_arn = RegisterConnectorInput {
            connector_provisioning_config: Some(lambda(None)),
            ..input()
        };
        assert_eq!(
            violation(missing_arn),
            (
                "connectorProvisioningConfig.lambda.lambdaArn".into(),
                Rule::Required
            )
        );
        let bad_arn = RegisterConnectorInput {
            connector_provisioning_config: Some(lambda(Some("arn:aws:lambda"))),
            ..input()
        };
        assert_eq!(violation(bad_arn).1, Rule::Pattern(ARN_PATTERN));
        let long_arn = format!("{ARN}{}", "x".repeat(512));
        let long_arn = RegisterConnectorInput {
            connector_provisioning_config: Some(lambda(Some(&long_arn))),
            ..input()
        };
        assert!(matches!(
            violation(long_arn).1,
            Rule::Length { max: 512, .. }
        ));
        let empty_token = RegisterConnectorInput {
            client_token: Some(String::new()),
            ..input()
        };
        assert!(
            matches!(violation(empty_token), (f, Rule::Length { min: 1, .. }) if f == "clientToken")
        );
        let unprintable = RegisterConnectorInput {
            client_token: Some("ééé".into()),
            ..input()
        };
        assert_eq!(
            violation(unprintable),
            ("clientToken".into(), Rule::Pattern(CLIENT_TOKEN_PATTERN))
        );
    }

    #[test]
    fn description_pattern_never_binds_because_it_is_unanchored() {
        let odd = RegisterConnectorInput {
            description: Some("emoji 🚀 and $%^&*".into()),
            ..input()
        };
        assert_eq!(odd.validate(), Ok(()));
    }

    #[test]
    fn body_has_only_set_members_in_model_order_and_a_fresh_token() {
        let call = input().into_call().unwrap();
        let body: serde_json::Value = serde_json::from_slice(&call.body).unwrap();
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "clientToken",
                "connectorLabel",
                "connectorProvisioningConfig",
                "connectorProvisioningType"
            ]
        );
        let text = String::from_utf8(call.body).unwrap();
        assert!(
            text.starts_with(
                r#"{"connectorLabel":"my-conn","connectorProvisioningType":"LAMBDA","#
            ),
            "{text}"
        );
        assert_eq!(body["clientToken"].as_str().unwrap().len(), 36);
        let given = RegisterConnectorInput {
            client_token: Some("tok-1".into()),
            ..input()
        }
        .into_call()
        .unwrap();
        assert!(
            String::from_utf8(given.body)
                .unwrap()
                .ends_with(r#""clientToken":"tok-1"}"#)
        );
    }
}
