//! Client-side checks of the constraints AppFlow's model states, so that
//! invalid input fails before a byte is sent.
//!
//! Smithy semantics: lengths count Unicode scalar values, and patterns are
//! *not* anchored: a value passes when the pattern matches anywhere in it
//! (see [`crate::pattern`]). The generated shapes call these checks.

use std::fmt;

use crate::path::At;

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
    Enum(&'static [&'static str]),
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
        let field = &self.field;
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
        }
    }
}

impl std::error::Error for InvalidInput {}

/// Implemented by every shape with a constraint somewhere inside it.
pub(crate) trait Validate {
    /// Checks every constraint of the model, members in model order.
    fn validate_at(&self, at: At<'_>) -> Result<(), InvalidInput>;
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, at: At<'_>) -> Result<(), InvalidInput> {
        self.as_ref().map_or(Ok(()), |value| value.validate_at(at))
    }
}

/// A model enum: `Unknown` values are refused before sending.
pub(crate) trait ModelEnum {
    /// The values the model lists.
    const VALUES: &'static [&'static str];
    /// Whether this value is not one of [`VALUES`](Self::VALUES).
    fn is_unknown(&self) -> bool;
}

/// Checks that a member is set.
pub(crate) fn required<T>(value: &Option<T>, at: At<'_>) -> Result<(), InvalidInput> {
    match value {
        Some(_) => Ok(()),
        None => Err(InvalidInput::new(at.to_string(), Rule::Required)),
    }
}

/// Checks a string's length in Unicode characters.
pub(crate) fn length(value: &str, min: usize, max: usize, at: At<'_>) -> Result<(), InvalidInput> {
    let actual = value.chars().count();
    if (min..=max).contains(&actual) {
        Ok(())
    } else {
        Err(InvalidInput::new(
            at.to_string(),
            Rule::Length { min, max, actual },
        ))
    }
}

/// Checks how many items a list or map holds.
pub(crate) fn count(actual: usize, min: usize, max: usize, at: At<'_>) -> Result<(), InvalidInput> {
    if (min..=max).contains(&actual) {
        Ok(())
    } else {
        Err(InvalidInput::new(
            at.to_string(),
            Rule::Count { min, max, actual },
        ))
    }
}

/// Checks a number against the model's range.
pub(crate) fn range(value: i64, min: i64, max: i64, at: At<'_>) -> Result<(), InvalidInput> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(InvalidInput::new(
            at.to_string(),
            Rule::Range {
                min,
                max,
                actual: value,
            },
        ))
    }
}

/// Checks that the pattern matches somewhere in `value` (Smithy patterns
/// are not anchored).
pub(crate) fn pattern(value: &str, pattern: &'static str, at: At<'_>) -> Result<(), InvalidInput> {
    if crate::pattern::search_model(pattern, value) {
        Ok(())
    } else {
        Err(InvalidInput::new(at.to_string(), Rule::Pattern(pattern)))
    }
}

/// Checks that an enum value is one the model lists.
pub(crate) fn known<E: ModelEnum>(value: &E, at: At<'_>) -> Result<(), InvalidInput> {
    if value.is_unknown() {
        Err(InvalidInput::new(at.to_string(), Rule::Enum(E::VALUES)))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters_not_bytes() {
        let at = At::INPUT.member("f");
        assert!(length(&"é".repeat(256), 0, 256, at).is_ok());
        let err = length(&"é".repeat(257), 0, 256, at).unwrap_err();
        assert_eq!(
            err.rule(),
            &Rule::Length {
                min: 0,
                max: 256,
                actual: 257
            }
        );
        assert_eq!(
            err.to_string(),
            "f must be 0 to 256 characters long, not 257"
        );
        assert!(length("", 1, 256, at).is_err());
    }

    #[test]
    fn counts_ranges_and_patterns_name_the_member() {
        let list = At::INPUT.member("tagKeys");
        assert_eq!(
            count(51, 0, 50, list).unwrap_err().to_string(),
            "tagKeys must have 0 to 50 items, not 51"
        );
        let item = list.index(3);
        assert_eq!(
            pattern("aws:x", r"^(?!aws:)[a-zA-Z+-=._:/]+$", item)
                .unwrap_err()
                .field(),
            "tagKeys[3]"
        );
        assert_eq!(
            range(0, 1, 100, At::INPUT.member("maxResults"))
                .unwrap_err()
                .to_string(),
            "maxResults must be between 1 and 100, not 0"
        );
        assert!(range(100, 1, 100, list).is_ok());
        assert_eq!(
            required::<String>(&None, At::INPUT.member("a"))
                .unwrap_err()
                .rule(),
            &Rule::Required
        );
    }

    #[test]
    fn messages_name_the_field_and_the_rule() {
        assert_eq!(
            InvalidInput::new("a.b", Rule::Required).to_string(),
            "a.b is required"
        );
        assert_eq!(
            InvalidInput::new("t", Rule::Enum(&["LAMBDA"])).to_string(),
            "t must be one of: LAMBDA"
        );
        assert_eq!(
            InvalidInput::new("x", Rule::Pattern("[ -~]+")).to_string(),
            "x must match the pattern [ -~]+"
        );
    }
}
