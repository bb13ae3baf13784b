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

/// A placeholder's format spec, reduced to what `Display` honours: fill,
/// alignment, sign, `0`, width and precision. Every spec that selects
/// another trait (`?`, `x`, `#`, …) is refused by [`parse_spec`].
/// `F` is how a field is named: by its name as written, then (in the IR)
/// by the field itself.
#[derive(Debug, PartialEq, Eq)]
pub struct Spec<F = String> {
    /// `[[fill]align][sign]['0']`, as written.
    pub flags: String,
    pub width: Option<Count<F>>,
    pub precision: Option<Count<F>>,
}

impl<F> Default for Spec<F> {
    fn default() -> Self {
        Spec { flags: String::new(), width: None, precision: None }
    }
}

/// A width or precision: a number, or a field holding a `usize` (`width$`,
/// `1$`).
#[derive(Debug, PartialEq, Eq)]
pub enum Count<F = String> {
    Number(String),
    Field(F),
}

impl Spec {
    /// The fields the spec reads (`{v:>width$.prec$}` reads `width`, `prec`).
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        [&self.width, &self.precision].into_iter().filter_map(|count| match count {
            Some(Count::Field(name)) => Some(name.as_str()),
            _ => None,
        })
    }

    /// The same spec with each field's name replaced by `field(name)`, or
    /// `None` if one of them is `None`.
    pub fn resolve<G>(self, mut field: impl FnMut(&str) -> Option<G>) -> Option<Spec<G>> {
        let mut count = |count: Option<Count>| -> Option<Option<Count<G>>> {
            Some(match count {
                None => None,
                Some(Count::Number(number)) => Some(Count::Number(number)),
                Some(Count::Field(name)) => Some(Count::Field(field(&name)?)),
            })
        };
        let width = count(self.width)?;
        let precision = count(self.precision)?;
        Some(Spec { flags: self.flags, width, precision })
    }
}

impl<F> Spec<F> {
    /// The spec for `format_args!`, with each field read through `binding`.
    pub fn render(&self, mut binding: impl FnMut(&F) -> String) -> String {
        let mut count = |count: &Count<F>| match count {
            Count::Number(number) => number.clone(),
            Count::Field(name) => format!("{}$", binding(name)),
        };
        let mut out = self.flags.clone();
        if let Some(width) = &self.width {
            out.push_str(&count(width));
        }
        if let Some(precision) = &self.precision {
            out.push('.');
            out.push_str(&count(precision));
        }
        out
    }
}

/// The trait a format spec's type selects, for the error message.
fn trait_of(ty: &str) -> Option<&'static str> {
    Some(match ty {
        "?" => "`Debug`",
        "x?" | "X?" => "hexadecimal `Debug`",
        "x" => "`LowerHex`",
        "X" => "`UpperHex`",
        "o" => "`Octal`",
        "b" => "`Binary`",
        "e" => "`LowerExp`",
        "E" => "`UpperExp`",
        "p" => "`Pointer`",
        _ => return None,
    })
}

/// Parses the spec of `{name:spec}` (`std::fmt`'s grammar). A message is
/// sent to clients, so only `Display` may format a field: every spec that
/// selects another trait, or `Display`'s alternate form `#`, is an error
/// that says which and why.
pub fn parse_spec(name: &str, spec: &str) -> Result<Spec, String> {
    let chars: Vec<char> = spec.chars().collect();
    let mut i = 0;
    let is_align = |c: Option<&char>| matches!(c, Some('<' | '^' | '>'));
    if is_align(chars.get(1)) {
        i = 2;
    } else if is_align(chars.first()) {
        i = 1;
    }
    if matches!(chars.get(i), Some('+' | '-')) {
        i += 1;
    }
    let alternate = chars.get(i) == Some(&'#');
    if alternate {
        i += 1;
    }
    // `0` is the zero-padding flag, unless it is the argument of `0$`.
    if chars.get(i) == Some(&'0') && chars.get(i + 1) != Some(&'$') {
        i += 1;
    }
    let flags: String = chars[..i].iter().filter(|c| **c != '#').collect();
    let rest: String = chars[i..].iter().collect();
    let (width, rest) = count(&rest);
    let (precision, rest) = match rest.strip_prefix('.') {
        Some(rest) if rest.starts_with('*') => {
            return Err(format!(
                "`{{{name}:{spec}}}`: `.*` takes the precision from an argument a message does not have; name a field holding a `usize`: `.prec$`"
            ))
        }
        Some(rest) => match count(rest) {
            (Some(precision), rest) => (Some(precision), rest),
            (None, _) => return Err(format!("`{{{name}:{spec}}}`: expected a precision after `.`")),
        },
        None => (None, rest),
    };
    let example =
        format!("`{{{name}}}`, with fill, alignment, width and precision if needed (`{{{name}:>8}}`)");
    let why = "a message is sent to clients, and only `Display` is meant for them";
    match (trait_of(rest), alternate) {
        (Some(trait_), true) => {
            return Err(format!(
                "`{{{name}:{spec}}}` formats `{name}` with {trait_} in its alternate form (`#`); {why}: write {example}"
            ))
        }
        (Some(trait_), false) => {
            return Err(format!("`{{{name}:{spec}}}` formats `{name}` with {trait_}; {why}: write {example}"))
        }
        (None, true) => {
            return Err(format!(
                "`{{{name}:{spec}}}` asks for the alternate form (`#`), in which a `Display` may print more than it should (`anyhow` prints the whole chain); {why}: write {example}"
            ))
        }
        (None, false) => {}
    }
    if !rest.is_empty() {
        return Err(format!(
            "`{{{name}:{spec}}}`: `{rest}` is not a format spec `Display` takes; write {example}"
        ));
    }
    Ok(Spec { flags, width, precision })
}

/// A count at the start of `text` (`12`, `name$`, `1$`) and what follows.
fn count(text: &str) -> (Option<Count>, &str) {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len());
    let (word, rest) = text.split_at(end);
    if let Some(rest) = rest.strip_prefix('$') {
        if !word.is_empty() {
            return (Some(Count::Field(word.to_owned())), rest);
        }
    }
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    if digits == 0 {
        return (None, text);
    }
    (Some(Count::Number(text[..digits].to_owned())), &text[digits..])
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
    fn display_specs_are_kept() {
        let spec = parse_spec("v", "*^+08.3").unwrap();
        assert_eq!(spec.flags, "*^+0");
        assert_eq!(spec.width, Some(Count::Number("8".into())));
        assert_eq!(spec.render(|name| name.to_owned()), "*^+08.3");
        let spec = parse_spec("v", ">width$.1$").unwrap();
        assert_eq!(spec.fields().collect::<Vec<_>>(), ["width", "1"]);
        assert_eq!(spec.render(|name| format!("__field_{name}")), ">__field_width$.__field_1$");
        assert_eq!(parse_spec("v", "0$").unwrap().width, Some(Count::Field("0".into())));
        assert_eq!(parse_spec("v", "").unwrap(), Spec::default());
    }

    #[test]
    fn other_traits_are_refused() {
        for spec in ["?", "#?", "x", "X", "x?", "X?", "o", "b", "e", "E", "p", "#", ">8?", "08.2e"] {
            assert!(parse_spec("v", spec).is_err(), "{spec}");
        }
        assert!(parse_spec("v", "?").unwrap_err().contains("`Debug`"));
        assert!(parse_spec("v", "#x").unwrap_err().contains("alternate form"));
        assert!(parse_spec("v", ".*").unwrap_err().contains(".prec$"));
        assert!(parse_spec("v", "q").unwrap_err().contains("`q` is not a format spec"));
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
