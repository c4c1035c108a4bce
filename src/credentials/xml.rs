//! Just enough XML for STS answers: the text of an element found by name,
//! with entities decoded. STS answers are small, flat and machine-written;
//! this is not a general XML parser (no CDATA, no nesting by the same name).

/// The text of the first element called `name` (any namespace prefix),
/// entities decoded; `None` when there is none.
pub(crate) fn element(xml: &str, name: &str) -> Option<String> {
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let end = after.find('>')?;
        let tag = &after[..end];
        rest = &after[end + 1..];
        if tag.starts_with(['/', '?', '!']) {
            continue;
        }
        let tag_name = tag
            .split([' ', '\t', '\r', '\n', '/'])
            .next()
            .unwrap_or_default();
        let local = tag_name.rsplit(':').next().unwrap_or_default();
        if local != name {
            continue;
        }
        if tag.ends_with('/') {
            return Some(String::new());
        }
        let close = format!("</{tag_name}>");
        let text = &rest[..rest.find(&close)?];
        return decode(text);
    }
    None
}

/// Decodes the five named entities and numeric references.
fn decode(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';')?;
        let entity = &after[..semi];
        let decoded = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = match entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => entity.strip_prefix('#')?.parse().ok()?,
                };
                char::from_u32(code)?
            }
        };
        out.push(decoded);
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sts_answers() {
        let answer = r#"<?xml version="1.0"?>
<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
      <SecretAccessKey>se&amp;cret&#x2F;key&#43;</SecretAccessKey>
      <SessionToken>to&lt;ken&gt;</SessionToken>
      <Expiration>2026-11-28T02:00:00Z</Expiration>
    </Credentials>
    <Empty/>
  </AssumeRoleResult>
</AssumeRoleResponse>"#;
        assert_eq!(
            element(answer, "AccessKeyId").as_deref(),
            Some("ASIAEXAMPLE")
        );
        assert_eq!(
            element(answer, "SecretAccessKey").as_deref(),
            Some("se&cret/key+")
        );
        assert_eq!(element(answer, "SessionToken").as_deref(), Some("to<ken>"));
        assert_eq!(element(answer, "Empty").as_deref(), Some(""));
        assert_eq!(element(answer, "Missing"), None);
        let error = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>\
                     <Message>User &quot;x&quot; is not authorized</Message></Error></ErrorResponse>";
        assert_eq!(element(error, "Code").as_deref(), Some("AccessDenied"));
        assert_eq!(
            element(error, "Message").as_deref(),
            Some("User \"x\" is not authorized")
        );
        assert_eq!(element("<a:Code>x</a:Code>", "Code").as_deref(), Some("x"));
    }

    #[test]
    fn broken_xml_is_none_not_a_panic() {
        for broken in [
            "<Code>x",
            "<Code",
            "<Code>&bogus;</Code>",
            "<Code>&#xZZ;</Code>",
            "<Code>&amp</Code>",
            "<<>>",
        ] {
            assert_eq!(element(broken, "Code"), None, "{broken}");
        }
    }
}
