//! Where in a shape a value sits (`tasks[2].sourceFields[0]`), for the
//! messages of validation and response-parsing errors. Built on the stack as
//! the code descends; turned into text only when something is wrong.

use std::fmt;

/// A position inside an input or output, with the model's member names.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    parent: Option<&'a At<'a>>,
    step: Step<'a>,
    /// Unknown members are an error (input given by a user) rather than
    /// skipped (a service answer, which AWS extends).
    pub strict: bool,
}

#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    Root,
    Member(&'a str),
    Index(usize),
    Key(&'a str),
}

impl<'a> At<'a> {
    /// The top of a shape read from a service answer.
    pub const OUTPUT: At<'static> = At {
        parent: None,
        step: Step::Root,
        strict: false,
    };
    /// The top of a shape given by a user.
    pub const INPUT: At<'static> = At {
        parent: None,
        step: Step::Root,
        strict: true,
    };

    fn child(&'a self, step: Step<'a>) -> At<'a> {
        At {
            parent: Some(self),
            step,
            strict: self.strict,
        }
    }

    /// A structure's member.
    pub fn member(&'a self, name: &'a str) -> At<'a> {
        self.child(Step::Member(name))
    }

    /// A list's item.
    pub fn index(&'a self, index: usize) -> At<'a> {
        self.child(Step::Index(index))
    }

    /// A map's entry.
    pub fn key(&'a self, key: &'a str) -> At<'a> {
        self.child(Step::Key(key))
    }

    /// Whether this is the top of the shape.
    pub fn is_root(&self) -> bool {
        matches!(self.step, Step::Root)
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.step {
            Step::Root => Ok(()),
            Step::Member(name) if self.parent.is_some_and(|p| !p.is_root()) => {
                write!(f, ".{name}")
            }
            Step::Member(name) => f.write_str(name),
            Step::Index(index) => write!(f, "[{index}]"),
            Step::Key(key) => write!(f, "[{key:?}]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_the_json_they_point_into() {
        let root = At::INPUT;
        let tasks = root.member("tasks");
        let task = tasks.index(2);
        let field = task.member("sourceFields");
        assert_eq!(field.index(0).to_string(), "tasks[2].sourceFields[0]");
        let tags = root.member("tags");
        assert_eq!(tags.key("team").to_string(), r#"tags["team"]"#);
        assert_eq!(root.to_string(), "");
        assert!(field.strict && !At::OUTPUT.member("x").strict);
    }
}
