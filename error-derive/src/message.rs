//! The `message = "…"` template: `format!`-style placeholders naming fields.

/// One piece of a message template.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece {
    /// Text, with `{{` and `}}` already unescaped.
    Text(String),
    /// `{name}`, `{0}` or `{name:spec}`.
    Arg { name: String, spec: String },
}

/// Splits a template into pieces, or says what is wrong with it.
pub fn parse(template: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '}' => return Err("unmatched `}` in message; write `}}` for a literal brace".into()),
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => inner.push(c),
                        None => return Err("unclosed `{` in message; write `{{` for a literal brace".into()),
                    }
                }
                let (name, spec) = match inner.split_once(':') {
                    Some((name, spec)) => (name.trim(), spec),
                    None => (inner.trim(), ""),
                };
                if name.is_empty() {
                    return Err(
                        "name the field to interpolate: `{given}`, or `{0}` in a tuple variant".into()
                    );
                }
                let is_index = name.chars().all(|c| c.is_ascii_digit());
                let is_ident = name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
                    && name.chars().all(|c| c.is_alphanumeric() || c == '_');
                if !is_index && !is_ident {
                    return Err(format!("`{{{inner}}}` in message must name a field: `{{given}}`, or `{{0}}` in a tuple variant"));
                }
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(Piece::Arg { name: name.to_owned(), spec: spec.to_owned() });
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

/// The style rule for production messages, or what breaks it.
pub fn style(template: &str) -> Result<(), &'static str> {
    if template.trim().is_empty() {
        return Err(
            "message must not be empty; leave `message` out to use the generic message for the status",
        );
    }
    if template.trim() != template {
        return Err(
            "message must not start or end with whitespace (or put `#[api(free_messages)]` on the type)",
        );
    }
    if !template.ends_with(['.', '!', '?']) {
        return Err("message must be a sentence ending with `.`, `!` or `?` (or put `#[api(free_messages)]` on the type)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Piece {
        Piece::Text(s.into())
    }

    fn arg(name: &str, spec: &str) -> Piece {
        Piece::Arg { name: name.into(), spec: spec.into() }
    }

    #[test]
    fn parses_placeholders_and_escapes() {
        assert_eq!(parse("{given} is not valid.").unwrap(), [arg("given", ""), text(" is not valid.")]);
        assert_eq!(parse("Use {{x}} or {0:?}.").unwrap(), [text("Use {x} or "), arg("0", "?"), text(".")]);
        assert_eq!(parse("Plain.").unwrap(), [text("Plain.")]);
    }

    #[test]
    fn rejects_malformed_templates() {
        assert!(parse("{} is bad.").unwrap_err().contains("name the field"));
        assert!(parse("{oops is bad.").unwrap_err().contains("unclosed"));
        assert!(parse("oops} is bad.").unwrap_err().contains("unmatched"));
        assert!(parse("{a b} is bad.").unwrap_err().contains("must name a field"));
    }

    #[test]
    fn style_rules() {
        assert!(style("Fine.").is_ok());
        assert!(style("Fine?").is_ok());
        assert!(style(" Padded.").is_err());
        assert!(style("No full stop").is_err());
        assert!(style("").is_err());
    }
}
