//! What invalid input is refused with, before a byte is sent: which member,
//! and which of the model's constraints it broke. The checks themselves walk
//! the model's table, in [`crate::schema`].

use std::fmt;

/// Which constraint a value broke.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// The member is required but was not set.
    Required,
    /// The value has `actual` characters, outside `min..=max`.
    Length {
        /// The smallest length allowed.
        min: usize,
        /// The largest length allowed.
        max: usize,
        /// The value's length in Unicode characters.
        actual: usize,
    },
    /// The list or map has `actual` items, outside `min..=max`.
    Count {
        /// The fewest items allowed.
        min: usize,
        /// The most items allowed.
        max: usize,
        /// How many it has.
        actual: usize,
    },
    /// The number is outside `min..=max`.
    Range {
        /// The smallest value allowed.
        min: i64,
        /// The largest value allowed.
        max: i64,
        /// The value given.
        actual: i64,
    },
    /// The value does not match the model's pattern (given as written there).
    Pattern(&'static str),
    /// The value is not one of the model's enum values.
    Enum(Vec<&'static str>),
    /// Input given as JSON has the wrong JSON type here.
    Type {
        /// What the shape takes, such as `a string`.
        expected: &'static str,
        /// What was given, such as `a number`.
        found: &'static str,
    },
    /// No AppFlow operation has this name (the field holds the name).
    UnknownOperation,
    /// Input given as JSON has a member its structure does not.
    UnknownMember {
        /// The members the structure has.
        allowed: Vec<&'static str>,
    },
}

/// Input that breaks the model's constraints: which member, which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    field: String,
    rule: Rule,
}

impl InvalidInput {
    pub(crate) fn new(field: impl Into<String>, rule: Rule) -> Self {
        InvalidInput {
            field: field.into(),
            rule,
        }
    }

    /// The member's path with the model's names, e.g.
    /// `connectorProvisioningConfig.lambda.lambdaArn`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The constraint it broke.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = if self.field.is_empty() {
            "the input"
        } else {
            &self.field
        };
        match &self.rule {
            Rule::Required => write!(f, "{field} is required"),
            Rule::Length { min, max, actual } => {
                write!(
                    f,
                    "{field} must be {min} to {max} characters long, not {actual}"
                )
            }
            Rule::Count { min, max, actual } => {
                write!(f, "{field} must have {min} to {max} items, not {actual}")
            }
            Rule::Range { min, max, actual } => {
                write!(f, "{field} must be between {min} and {max}, not {actual}")
            }
            Rule::Pattern(pattern) => write!(f, "{field} must match the pattern {pattern}"),
            Rule::Enum(values) => write!(f, "{field} must be one of: {}", values.join(", ")),
            Rule::UnknownOperation => write!(f, "{field} is not an AppFlow operation"),
            Rule::Type { expected, found } => write!(f, "{field} must be {expected}, not {found}"),
            Rule::UnknownMember { allowed } if allowed.is_empty() => {
                write!(f, "{field} is not a member; this structure has none")
            }
            Rule::UnknownMember { allowed } => write!(
                f,
                "{field} is not a member; the members here are: {}",
                allowed.join(", ")
            ),
        }
    }
}

impl std::error::Error for InvalidInput {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_and_the_rule() {
        assert_eq!(
            InvalidInput::new("a.b", Rule::Required).to_string(),
            "a.b is required"
        );
        assert_eq!(
            InvalidInput::new("t", Rule::Enum(vec!["LAMBDA"])).to_string(),
            "t must be one of: LAMBDA"
        );
        assert_eq!(
            InvalidInput::new("x", Rule::Pattern("[ -~]+")).to_string(),
            "x must match the pattern [ -~]+"
        );
    }
}
