//! Shapes from the AppFlow model that operations share.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How a custom connector is provisioned.
///
/// AWS may add values; an unrecognised one is kept in [`Unknown`](Self::Unknown).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConnectorProvisioningType {
    /// The connector runs as an AWS Lambda function (`LAMBDA`).
    Lambda,
    /// A value this version of the crate does not know.
    Unknown(String),
}

impl ConnectorProvisioningType {
    /// The values the model lists.
    pub const VALUES: &'static [&'static str] = &["LAMBDA"];

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            ConnectorProvisioningType::Lambda => "LAMBDA",
            ConnectorProvisioningType::Unknown(value) => value,
        }
    }
}

impl From<&str> for ConnectorProvisioningType {
    fn from(value: &str) -> Self {
        match value {
            "LAMBDA" => ConnectorProvisioningType::Lambda,
            other => ConnectorProvisioningType::Unknown(other.to_owned()),
        }
    }
}

impl fmt::Display for ConnectorProvisioningType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ConnectorProvisioningType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ConnectorProvisioningType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Ok(ConnectorProvisioningType::from(value.as_str()))
    }
}

/// Where the connector's code lives; one member per provisioning type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct ConnectorProvisioningConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    lambda: Option<LambdaConnectorProvisioningConfig>,
}

impl ConnectorProvisioningConfig {
    /// A builder.
    pub fn builder() -> ConnectorProvisioningConfigBuilder {
        ConnectorProvisioningConfigBuilder::default()
    }

    /// The Lambda settings, for `LAMBDA` connectors.
    pub fn lambda(&self) -> Option<&LambdaConnectorProvisioningConfig> {
        self.lambda.as_ref()
    }
}

/// Builds a [`ConnectorProvisioningConfig`].
#[derive(Debug, Clone, Default)]
pub struct ConnectorProvisioningConfigBuilder {
    lambda: Option<LambdaConnectorProvisioningConfig>,
}

impl ConnectorProvisioningConfigBuilder {
    /// Sets the Lambda settings.
    pub fn lambda(mut self, lambda: LambdaConnectorProvisioningConfig) -> Self {
        self.lambda = Some(lambda);
        self
    }

    /// The config; its required members are checked when a call is sent.
    pub fn build(self) -> ConnectorProvisioningConfig {
        ConnectorProvisioningConfig {
            lambda: self.lambda,
        }
    }
}

/// The Lambda function behind a `LAMBDA` connector.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct LambdaConnectorProvisioningConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    lambda_arn: Option<String>,
}

impl LambdaConnectorProvisioningConfig {
    /// A builder.
    pub fn builder() -> LambdaConnectorProvisioningConfigBuilder {
        LambdaConnectorProvisioningConfigBuilder::default()
    }

    /// The function's ARN (required by the model).
    pub fn lambda_arn(&self) -> Option<&str> {
        self.lambda_arn.as_deref()
    }
}

/// Builds a [`LambdaConnectorProvisioningConfig`].
#[derive(Debug, Clone, Default)]
pub struct LambdaConnectorProvisioningConfigBuilder {
    lambda_arn: Option<String>,
}

impl LambdaConnectorProvisioningConfigBuilder {
    /// Sets the function's ARN.
    pub fn lambda_arn(mut self, arn: impl Into<String>) -> Self {
        self.lambda_arn = Some(arn.into());
        self
    }

    /// The config; a missing ARN is reported when a call is sent.
    pub fn build(self) -> LambdaConnectorProvisioningConfig {
        LambdaConnectorProvisioningConfig {
            lambda_arn: self.lambda_arn,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_enum_values_survive_a_round_trip() {
        let parsed: ConnectorProvisioningType = serde_json::from_str("\"CONTAINER\"").unwrap();
        assert_eq!(
            parsed,
            ConnectorProvisioningType::Unknown("CONTAINER".into())
        );
        assert_eq!(serde_json::to_string(&parsed).unwrap(), "\"CONTAINER\"");
        let known: ConnectorProvisioningType = serde_json::from_str("\"LAMBDA\"").unwrap();
        assert_eq!(known, ConnectorProvisioningType::Lambda);
    }

    #[test]
    fn config_serialises_with_model_names_and_rejects_unknown_keys() {
        let config = ConnectorProvisioningConfig::builder()
            .lambda(
                LambdaConnectorProvisioningConfig::builder()
                    .lambda_arn("arn:aws:lambda:us-east-1:1:function:f")
                    .build(),
            )
            .build();
        assert_eq!(
            serde_json::to_string(&config).unwrap(),
            r#"{"lambda":{"lambdaArn":"arn:aws:lambda:us-east-1:1:function:f"}}"#
        );
        let err =
            serde_json::from_str::<ConnectorProvisioningConfig>(r#"{"lambda":{"lambdaARN":"x"}}"#)
                .unwrap_err();
        assert!(err.to_string().contains("lambdaARN"), "{err}");
    }
}
