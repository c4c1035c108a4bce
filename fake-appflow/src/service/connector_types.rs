//! The connector types, read from the model: which are built in, which use
//! a connector profile, which can be a flow's source or destination, and
//! how each is spelled as a member (`Googleanalytics` is `GoogleAnalytics`).

use crate::model::Model;

pub(crate) struct ConnectorTypes {
    /// `ConnectorType`'s values other than `CustomConnector`.
    pub built_in: Vec<String>,
    /// The members of `ConnectorProfileProperties`.
    profiles: Vec<String>,
    /// The members of `SourceConnectorProperties`.
    sources: Vec<String>,
    /// The members of `DestinationConnectorProperties`.
    destinations: Vec<String>,
}

fn spelled<'a>(members: &'a [String], kind: &str) -> Option<&'a str> {
    members
        .iter()
        .find(|member| member.eq_ignore_ascii_case(kind))
        .map(String::as_str)
}

impl ConnectorTypes {
    pub fn from_model(model: &Model) -> ConnectorTypes {
        let mut built_in = model.names_in("ConnectorType");
        built_in.retain(|kind| kind != "CustomConnector");
        ConnectorTypes {
            built_in,
            profiles: model.names_in("ConnectorProfileProperties"),
            sources: model.names_in("SourceConnectorProperties"),
            destinations: model.names_in("DestinationConnectorProperties"),
        }
    }

    /// The profile member for `kind`, or `None` if the type takes no profile.
    pub fn profile_member(&self, kind: &str) -> Option<&str> {
        spelled(&self.profiles, kind)
    }

    /// The source properties member for `kind`, if it can be a source.
    pub fn source_member(&self, kind: &str) -> Option<&str> {
        spelled(&self.sources, kind)
    }

    /// The destination properties member for `kind`, if it can be one.
    pub fn destination_member(&self, kind: &str) -> Option<&str> {
        spelled(&self.destinations, kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_their_spellings_come_from_the_model() {
        let types = ConnectorTypes::from_model(&Model::load());
        assert_eq!(types.built_in.len(), 23);
        assert!(!types.built_in.iter().any(|k| k == "CustomConnector"));
        assert_eq!(
            types.profile_member("Googleanalytics"),
            Some("GoogleAnalytics")
        );
        assert_eq!(types.profile_member("S3"), None);
        assert_eq!(types.source_member("Redshift"), None);
        assert_eq!(types.destination_member("Redshift"), Some("Redshift"));
    }
}
