//! Client-side checks of the constraints AppFlow's model states, so that
//! invalid input fails before a byte is sent.
//!
//! Smithy semantics: lengths count Unicode scalar values, and patterns are
//! *not* anchored: a value passes when the pattern matches anywhere in it.
//! The few patterns needed are matched by hand rather than with a regex crate.

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
            Rule::Pattern(pattern) => write!(f, "{field} must match the pattern {pattern}"),
            Rule::Enum(values) => write!(f, "{field} must be one of: {}", values.join(", ")),
        }
    }
}

impl std::error::Error for InvalidInput {}

/// Checks a string's length in Unicode characters.
pub(crate) fn length(field: &str, value: &str, min: usize, max: usize) -> Result<(), InvalidInput> {
    let actual = value.chars().count();
    if (min..=max).contains(&actual) {
        Ok(())
    } else {
        Err(InvalidInput::new(field, Rule::Length { min, max, actual }))
    }
}

/// Checks `value` against a pattern, given as a matcher and its text.
pub(crate) fn pattern(
    field: &str,
    value: &str,
    matches: fn(&str) -> bool,
    text: &'static str,
) -> Result<(), InvalidInput> {
    if matches(value) {
        Ok(())
    } else {
        Err(InvalidInput::new(field, Rule::Pattern(text)))
    }
}

/// Checks that an optional member is set.
pub(crate) fn required<'a, T: ?Sized>(
    field: &str,
    value: Option<&'a T>,
) -> Result<&'a T, InvalidInput> {
    value.ok_or_else(|| InvalidInput::new(field, Rule::Required))
}

/// `\w` in the model's patterns: ASCII letters, digits and `_`.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `[a-zA-Z0-9][\w!@#.-]+`, somewhere in the value.
pub(crate) fn matches_connector_label(value: &str) -> bool {
    let chars: Vec<char> = value.chars().collect();
    chars.windows(2).any(|pair| {
        pair[0].is_ascii_alphanumeric() && (is_word(pair[1]) || "!@#.-".contains(pair[1]))
    })
}

/// `[ -~]+`, somewhere in the value: at least one printable ASCII character.
pub(crate) fn matches_client_token(value: &str) -> bool {
    value.chars().any(|c| (' '..='~').contains(&c))
}

/// `arn:aws:.*:.*:[0-9]+:.*`, somewhere in the value.
///
/// `.` does not match line terminators, so the whole match lies on one line:
/// after `arn:aws:` there must be a `:`, later a `:` followed by digits and
/// another `:`.
pub(crate) fn matches_arn(value: &str) -> bool {
    value
        .split(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
        .any(|line| {
            line.match_indices("arn:aws:").any(|(start, prefix)| {
                let rest = &line[start + prefix.len()..];
                let Some(first_colon) = rest.find(':') else {
                    return false;
                };
                let after = &rest[first_colon + 1..];
                after.match_indices(':').any(|(i, _)| {
                    let digits = after[i + 1..]
                        .bytes()
                        .take_while(u8::is_ascii_digit)
                        .count();
                    digits > 0 && after[i + 1 + digits..].starts_with(':')
                })
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(length("f", &"é".repeat(256), 0, 256).is_ok());
        let err = length("f", &"é".repeat(257), 0, 256).unwrap_err();
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
        assert!(length("f", "", 1, 256).is_err());
    }

    #[test]
    fn connector_label_pattern_matches_anywhere() {
        for ok in ["my-conn", "a1", "x.y", "  ab  ", "é-a_b", "-a#"] {
            assert!(matches_connector_label(ok), "{ok:?}");
        }
        for bad in ["", "a", "-_-", "a ", "é", "a b c", "!!"] {
            assert!(!matches_connector_label(bad), "{bad:?}");
        }
    }

    #[test]
    fn client_token_needs_one_printable_ascii_character() {
        assert!(matches_client_token("a"));
        assert!(matches_client_token("\u{7f}~"));
        assert!(matches_client_token(" "));
        assert!(!matches_client_token("\u{7f}"));
        assert!(!matches_client_token("ééé"));
        assert!(!matches_client_token("\t\n"));
    }

    #[test]
    fn arn_pattern_follows_the_model() {
        for ok in [
            "arn:aws:lambda:us-east-1:123456789012:function:f",
            "arn:aws:::1:",
            "prefix arn:aws:x:y:42:z",
            "arn:aws:a:b:c:9:",
            "bad\narn:aws:l:r:1:f",
        ] {
            assert!(matches_arn(ok), "{ok:?}");
        }
        for bad in [
            "",
            "arn:aws:lambda:us-east-1:function:f",
            "arn:aws-cn:lambda:r:1:f",
            "arn:aws:l:r:12x:f",
            "arn:aws::1:",
            "arn:aws:l\n:r:1:f",
        ] {
            assert!(!matches_arn(bad), "{bad:?}");
        }
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
