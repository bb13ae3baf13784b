//! The checks of a translation file (issue 20), shared by the crate's own
//! files (`error-core/tests/locales`) and the examples' (`examples/tests/locales.rs`,
//! through `#[path]`): the key of a code, the file parsed by `fluent-syntax`
//! (the parser `fluent-bundle` uses), and each message held against what it
//! translates: its key, its variables and, in the default language, its text.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;

/// The Fluent key of an error code (the shared key rule): letters, digits
/// and `_` stay; `.` → `--`, `-` → `-h`, `:` → `-c`; a code starting with a
/// digit or `_` gets the prefix `e-`, one starting with `.`, `-` or `:` gets
/// `e-x`.
pub fn key(code: &str) -> String {
    let mut key = String::with_capacity(code.len() + 8);
    match code.chars().next() {
        Some(c) if c.is_ascii_digit() || c == '_' => key.push_str("e-"),
        Some('.' | '-' | ':') => key.push_str("e-x"),
        _ => {}
    }
    for c in code.chars() {
        match c {
            '.' => key.push_str("--"),
            '-' => key.push_str("-h"),
            ':' => key.push_str("-c"),
            c => key.push(c),
        }
    }
    key
}

/// The code of a key: the key rule reversed. `None` for a key that no
/// code has (`status-404`, a malformed one).
pub fn code(key: &str) -> Option<String> {
    // `e-x` then `--`, `-h` or `-c`; `e-` then a digit or `_`; else the
    // key is the code's own letters (`e-h1` is the code `e-1`).
    let body = match (key.strip_prefix("e-x"), key.strip_prefix("e-")) {
        (Some(rest), _) if rest.starts_with('-') => rest,
        (_, Some(rest)) if rest.starts_with(|c: char| c.is_ascii_digit() || c == '_') => rest,
        _ => key.starts_with(|c: char| c.is_ascii_alphabetic()).then_some(key)?,
    };
    let mut code = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '-' => code.push(match chars.next()? {
                '-' => '.',
                'h' => '-',
                'c' => ':',
                _ => return None,
            }),
            c if c.is_ascii_alphanumeric() || c == '_' => code.push(c),
            _ => return None,
        }
    }
    (key == self::key(&code)).then_some(code)
}

/// The key of a status's generic message: `status-404`.
pub fn status_key(status: u16) -> String {
    format!("status-{status}")
}

/// The fields a production message template names: `{given}`, and a width
/// or precision taken from a field (`{name:>width$}`); `{{` and `}}` are
/// literal braces.
pub fn placeholders(template: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (name, spec) in pieces(template).into_iter().filter_map(|piece| piece.err()) {
        names.insert(name.to_owned());
        let mut run = String::new();
        for c in spec.chars() {
            match c {
                '$' if !run.is_empty() => {
                    names.insert(std::mem::take(&mut run));
                }
                c if c.is_alphanumeric() || c == '_' => run.push(c),
                _ => run.clear(),
            }
        }
    }
    names
}

/// A template as the default language's file writes it: each placeholder
/// `{name}` without its format spec (Fluent has none), literal braces as
/// `{{` and `}}`.
pub fn without_specs(template: &str) -> String {
    pieces(template)
        .into_iter()
        .map(|piece| match piece {
            Ok(text) => text.replace('{', "{{").replace('}', "}}"),
            Err((name, _)) => format!("{{{name}}}"),
        })
        .collect()
}

/// Text (`Ok`, braces unescaped) and placeholders (`Err((name, spec))`).
fn pieces(template: &str) -> Vec<Result<String, (&str, &str)>> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        text.push_str(&rest[..i]);
        let brace = &rest[i..i + 1];
        if rest[i + 1..].starts_with(brace) {
            text.push_str(brace);
            rest = &rest[i + 2..];
        } else if brace == "{" {
            let Some(end) = rest[i..].find('}') else { break };
            let inner = &rest[i + 1..i + end];
            let (name, spec) = inner.split_once(':').unwrap_or((inner, ""));
            pieces.push(Ok(std::mem::take(&mut text)));
            pieces.push(Err((name.trim(), spec)));
            rest = &rest[i + end + 1..];
        } else {
            text.push_str(brace);
            rest = &rest[i + 1..];
        }
    }
    text.push_str(rest);
    pieces.push(Ok(text));
    pieces
}

/// One message of a file.
pub struct Message {
    /// The line of its key, from 1.
    pub line: usize,
    /// The variables it names, in its value and every variant of a select.
    pub variables: BTreeSet<String>,
    /// Its value as a production template (text, `{name}` for a variable,
    /// literal braces as `{{`/`}}`); `None` when it uses more of Fluent
    /// than text and variables (a select, a function, a reference).
    pub template: Option<String>,
}

/// The messages of a file by key, or every reason it is not a usable
/// translation file: a syntax error (with its line), a key given twice, a
/// message without a value or with attributes.
pub fn parse(name: &str, source: &str) -> Result<BTreeMap<String, Message>, Vec<String>> {
    let line = |offset: usize| source[..offset.min(source.len())].matches('\n').count() + 1;
    let mut problems = Vec::new();
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(resource) => resource,
        Err((resource, errors)) => {
            for error in errors {
                problems.push(format!("{name}:{}: does not parse: {}", line(error.pos.start), error.kind));
            }
            resource
        }
    };
    let mut messages = BTreeMap::new();
    for entry in resource.body {
        let ast::Entry::Message(message) = entry else { continue };
        let key = message.id.name;
        // The parser's `&str`s are slices of the source: a key's address
        // is its offset.
        let at = line((key.as_ptr() as usize).saturating_sub(source.as_ptr() as usize));
        let Some(value) = &message.value else {
            problems.push(format!("{name}:{at}: `{key}` has no value"));
            continue;
        };
        if !message.attributes.is_empty() {
            problems.push(format!("{name}:{at}: `{key}` has attributes, which are never sent"));
        }
        let mut variables = BTreeSet::new();
        collect_pattern(value, &mut variables);
        let parsed = Message { line: at, variables, template: template(value) };
        if let Some(first) = messages.insert(key.to_owned(), parsed) {
            problems.push(format!("{name}:{at}: `{key}` is given twice (first on line {})", first.line));
        }
    }
    if problems.is_empty() {
        Ok(messages)
    } else {
        Err(problems)
    }
}

fn collect_pattern(pattern: &ast::Pattern<&str>, variables: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            collect_expression(expression, variables);
        }
    }
}

fn collect_expression(expression: &ast::Expression<&str>, variables: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            collect_inline(selector, variables);
            for variant in variants {
                collect_pattern(&variant.value, variables);
            }
        }
        ast::Expression::Inline(inline) => collect_inline(inline, variables),
    }
}

fn collect_inline(inline: &ast::InlineExpression<&str>, variables: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            variables.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. }
        | ast::InlineExpression::TermReference { arguments: Some(arguments), .. } => {
            for argument in
                arguments.positional.iter().chain(arguments.named.iter().map(|named| &named.value))
            {
                collect_inline(argument, variables);
            }
        }
        ast::InlineExpression::Placeable { expression } => collect_expression(expression, variables),
        ast::InlineExpression::StringLiteral { .. }
        | ast::InlineExpression::NumberLiteral { .. }
        | ast::InlineExpression::MessageReference { .. }
        | ast::InlineExpression::TermReference { arguments: None, .. } => {}
    }
}

fn template(pattern: &ast::Pattern<&str>) -> Option<String> {
    let mut template = String::new();
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => {
                template.push_str(&value.replace('{', "{{").replace('}', "}}"));
            }
            ast::PatternElement::Placeable {
                expression: ast::Expression::Inline(ast::InlineExpression::VariableReference { id }),
            } => template.push_str(&format!("{{{}}}", id.name)),
            ast::PatternElement::Placeable {
                expression: ast::Expression::Inline(ast::InlineExpression::StringLiteral { value }),
            } if !value.contains('\\') => template.push_str(&value.replace('{', "{{").replace('}', "}}")),
            ast::PatternElement::Placeable { .. } => return None,
        }
    }
    Some(template)
}

/// What a file must translate: each key, with the production message
/// (a template when it names fields) it translates.
pub type Expected = BTreeMap<String, &'static str>;

/// Every problem of the file `name` against `expected`: it does not parse,
/// a key of `expected` has no message, a message's key is not in
/// `expected` (unless `may_be_absent` says its code is not compiled in), a
/// message names other variables than the production message does, and,
/// when `english` (the default language), its text is not the production
/// message.
pub fn check(
    name: &str,
    source: &str,
    expected: &Expected,
    english: bool,
    may_be_absent: impl Fn(&str) -> bool,
) -> Vec<String> {
    let messages = match parse(name, source) {
        Ok(messages) => messages,
        Err(problems) => return problems,
    };
    let mut problems = Vec::new();
    for (key, production) in expected {
        let Some(message) = messages.get(key) else {
            problems.push(format!("{name}: no message `{key}` for {}", what(key)));
            continue;
        };
        let at = message.line;
        let wanted = placeholders(production);
        if message.variables != wanted {
            problems.push(format!(
                "{name}:{at}: `{key}` names the variables {:?}, the production message {wanted:?}",
                message.variables
            ));
        }
        if english {
            // A message without placeholders is stored as sent (braces
            // unescaped); a template as written.
            let production = if wanted.is_empty() {
                production.replace('{', "{{").replace('}', "}}")
            } else {
                without_specs(production)
            };
            if message.template.as_deref() != Some(production.as_str()) {
                let text = message.template.as_deref().unwrap_or("(more of Fluent than text and variables)");
                problems.push(format!(
                    "{name}:{at}: `{key}` says {text:?}, the production message {production:?}"
                ));
            }
        }
    }
    for (key, message) in &messages {
        if !expected.contains_key(key) && !may_be_absent(key) {
            problems.push(format!("{name}:{}: `{key}` ({}) is not expected here", message.line, what(key)));
        }
    }
    problems
}

/// What a key stands for, in a problem.
fn what(key: &str) -> String {
    match code(key) {
        Some(code) => format!("the code `{code}`"),
        None => match key.strip_prefix("status-") {
            Some(status) => format!("the generic message of status {status}"),
            None => "no code: see the key rule".to_owned(),
        },
    }
}
