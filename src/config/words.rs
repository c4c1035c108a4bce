//! Text split into words as Python's `shlex.split` splits it, by its POSIX
//! rules: whitespace separates words; inside `'...'` every character is
//! itself; inside `"..."` a backslash escapes only a backslash, a double
//! quote, a dollar sign, a backtick or a newline; elsewhere it escapes any
//! character. botocore splits `[profile NAME]` headers and
//! `credential_process` commands this way, and so do we.

/// The words of `text`; `None` for an unclosed quote or a trailing `\`.
pub(crate) fn split(text: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => words.extend(word.take()),
            '\'' => {
                let part = word.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => part.push(c),
                    }
                }
            }
            '"' => {
                let part = word.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('\\' | '"' | '$' | '`' | '\n') => part.push(c),
                            c => {
                                part.push('\\');
                                part.push(c);
                            }
                        },
                        c => part.push(c),
                    }
                }
            }
            '\\' => word.get_or_insert_with(String::new).push(chars.next()?),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn splits_as_python_shlex_does() {
        // Each case checked with Python 3.11's shlex.split.
        for (text, words) in [
            ("profile dev", &["profile", "dev"][..]),
            ("  profile   dev  ", &["profile", "dev"]),
            ("profile 'a b'", &["profile", "a b"]),
            (r#"cmd "a \"b\" \x" c"#, &["cmd", r#"a "b" \x"#, "c"]),
            (r"a\ b c\'d", &["a b", "c'd"]),
            ("x'y'\"z\"", &["xyz"]),
            ("''", &[""]),
            ("", &[]),
        ] {
            assert_eq!(split(text).unwrap(), words, "{text:?}");
        }
        for unclosed in ["'open", "\"open", "end\\"] {
            assert_eq!(split(unclosed), None, "{unclosed:?}");
        }
    }
}
