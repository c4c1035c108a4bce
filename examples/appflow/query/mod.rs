//! `--query`: JMESPath, as jmespath.py (which the AWS CLI uses) reads and
//! applies it, over [`Ordered`] values so that objects a query builds keep
//! the order it names their keys in. Proved by the JMESPath compliance suite
//! (`tests/fixtures/jmespath/`, run by this module's tests).

mod eval;
mod functions;
mod lex;
mod parse;

use std::fmt;

use crate::Ordered;

/// A compiled `--query` expression.
#[derive(Debug)]
pub(crate) struct Query(parse::Node);

impl Query {
    /// Parses `text`; a syntax error is found here, before any call is made.
    pub fn parse(text: &str) -> Result<Query, Error> {
        Ok(Query(parse::parse(lex::tokens(text)?)?))
    }

    /// The query applied to `value`.
    pub fn search(&self, value: &Ordered) -> Result<Ordered, Error> {
        eval::eval(&self.0, value)
    }
}

/// Why an expression cannot be parsed or applied; the kinds are the
/// compliance suite's.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Error {
    pub kind: ErrorKind,
    pub detail: String,
}

/// The classes of JMESPath error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ErrorKind {
    Syntax,
    InvalidType,
    InvalidValue,
    InvalidArity,
    UnknownFunction,
}

impl Error {
    fn new(kind: ErrorKind, detail: impl Into<String>) -> Error {
        Error {
            kind,
            detail: detail.into(),
        }
    }
    fn syntax(detail: impl Into<String>) -> Error {
        Error::new(ErrorKind::Syntax, detail)
    }
    fn invalid_type(detail: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidType, detail)
    }
    fn invalid_value(detail: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidValue, detail)
    }
    fn arity(detail: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidArity, detail)
    }
    fn unknown_function(name: &str) -> Error {
        Error::new(
            ErrorKind::UnknownFunction,
            format!("unknown function: {name}()"),
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            ErrorKind::Syntax => "Bad value for --query: syntax error",
            ErrorKind::InvalidType => "invalid type",
            ErrorKind::InvalidValue => "invalid value",
            ErrorKind::InvalidArity => "invalid arity",
            ErrorKind::UnknownFunction => "unknown function",
        };
        write!(f, "{kind}: {}", self.detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every case of the compliance suite: each result matches, each error
    /// is of the expected kind, each benchmark expression parses and runs.
    #[test]
    fn passes_the_jmespath_compliance_suite() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jmespath");
        let mut failures = Vec::new();
        let mut cases = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let suites: Vec<serde_json::Value> =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for suite in suites {
                let given: Ordered = serde_json::from_value(suite["given"].clone()).unwrap();
                for case in suite["cases"].as_array().unwrap() {
                    cases += 1;
                    let expression = case["expression"].as_str().unwrap();
                    let got = Query::parse(expression).and_then(|q| q.search(&given));
                    let ok = if let Some(kind) = case.get("error").and_then(|e| e.as_str()) {
                        let want = match kind {
                            "syntax" => ErrorKind::Syntax,
                            "invalid-type" => ErrorKind::InvalidType,
                            "invalid-value" => ErrorKind::InvalidValue,
                            "invalid-arity" => ErrorKind::InvalidArity,
                            _ => ErrorKind::UnknownFunction,
                        };
                        matches!(&got, Err(e) if e.kind == want)
                    } else if case.get("bench").is_some() {
                        got.is_ok()
                    } else {
                        let want: Ordered = serde_json::from_value(case["result"].clone()).unwrap();
                        matches!(&got, Ok(got) if eval::equal(got, &want))
                    };
                    if !ok {
                        failures.push(format!(
                            "{}: {expression}  =>  {got:?}, want {}",
                            path.file_name().unwrap().to_string_lossy(),
                            case.get("result")
                                .or(case.get("error"))
                                .unwrap_or(&"ok".into())
                        ));
                    }
                }
            }
        }
        assert_eq!(cases, 908, "the suite has 908 cases");
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
