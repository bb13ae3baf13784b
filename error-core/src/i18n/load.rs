//! Loading one language: its `.ftl` sources parsed, each message checked
//! against the registry (a variable must be one of the entry's
//! [`args`](crate::Entry::args)) and compiled for rendering.

use std::collections::HashMap;
use std::fmt;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::FluentResource;
use fluent_syntax::ast;

use super::key::{code_of, status_of};
use super::{address, Fast, Language, Message, Piece};

/// Why a [`Translations`](super::Translations) could not be built: every
/// problem found, each naming its file, line and message id.
///
/// ```
/// use apierror::i18n::Translations;
///
/// let error = Translations::from_strings([("de", "e-1 = Gut\nbroken = { $\n")]).unwrap_err();
/// let text = error.to_string();
/// assert!(text.contains("de.ftl:2"), "{text}");
/// assert!(text.contains("`broken`"), "{text}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    problems: Vec<LoadProblem>,
}

/// One problem of a [`LoadError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoadProblem {
    /// The file (`de.ftl`, or the path read by
    /// [`from_folder`](super::Translations::from_folder)).
    pub file: String,
    /// The line, from 1; 0 when the problem is the file's as a whole.
    pub line: usize,
    /// The message id (the key) the problem is in, if known.
    pub id: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl LoadError {
    /// Every problem, in the order found.
    #[must_use]
    pub fn problems(&self) -> &[LoadProblem] {
        &self.problems
    }

    pub(super) fn new(problems: Vec<LoadProblem>) -> Self {
        Self { problems }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "apierror: the translations do not load ({} problem(s))", self.problems.len())?;
        for problem in &self.problems {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

impl fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if let Some(id) = &self.id {
            write!(f, ": message `{id}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for LoadError {}

/// One source of a language: its file name and text.
pub(super) struct Source {
    pub(super) file: String,
    pub(super) text: String,
}

/// Builds the language `tag` from its sources, in order (a later source's
/// message overrides an earlier one's), or adds their problems to
/// `problems`.
pub(super) fn language(tag: &str, sources: Vec<Source>, problems: &mut Vec<LoadProblem>) -> Option<Language> {
    let Ok(id) = tag.parse::<unic_langid::LanguageIdentifier>() else {
        problems.push(problem(&format!("{tag}.ftl"), 0, None, format!("`{tag}` is not a language tag")));
        return None;
    };
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // A body is JSON, not bidirectional text: no isolation marks around
    // the arguments.
    bundle.set_use_isolating(false);
    let mut messages =
        Messages { by_code: HashMap::new(), by_status: HashMap::default(), unknown: Vec::new() };
    let before = problems.len();
    for source in sources {
        let resource = match FluentResource::try_new(source.text) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                for error in errors {
                    let line = line_at(resource.source(), error.pos.start);
                    let id = id_before(resource.source(), error.pos.start);
                    problems.push(problem(&source.file, line, id, error.kind.to_string()));
                }
                continue;
            }
        };
        compile(&resource, &source.file, &mut messages, problems);
        bundle.add_resource_overriding(resource);
    }
    let header = http::HeaderValue::from_str(tag).ok()?;
    // Each registered entry's message by its address: what a render looks
    // up (the code, a string, is hashed only for an entry that is not
    // registered as such, e.g. a hand-written impl's `const` copy).
    let by_entry = crate::registry::entries()
        .filter_map(|entry| Some((address(entry), messages.by_code.get(entry.code)?.clone())))
        .collect();
    (problems.len() == before).then(|| Language {
        header,
        tag: tag.into(),
        bundle,
        by_code: messages.by_code,
        by_entry,
        by_status: messages.by_status,
        unknown: messages.unknown,
    })
}

/// What [`compile`] gathers from a language's sources.
struct Messages {
    by_code: HashMap<Box<str>, Message>,
    by_status: HashMap<u16, Message, Fast>,
    unknown: Vec<String>,
}

/// Whether `key` is a message id of the crate's own files
/// ([`BUILTIN`](super::BUILTIN)), in any language: read only for a key
/// that is not a registered code's, at load time.
fn builtin_key(key: &str) -> bool {
    super::BUILTIN.iter().any(|(_, source)| {
        source
            .lines()
            .any(|line| line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('=')))
    })
}

/// Checks and compiles every message of `resource` into `messages`.
fn compile(resource: &FluentResource, file: &str, messages: &mut Messages, problems: &mut Vec<LoadProblem>) {
    for entry in resource.entries() {
        let ast::Entry::Message(message) = entry else { continue };
        let key = message.id.name;
        let Some(pattern) = &message.value else { continue };
        let mut variables = Vec::new();
        variables_of(resource, pattern, &mut variables, 0);
        let (allowed, slot): (&[&str], Slot) = if let Some(status) = status_of(key) {
            (&[], Slot::Status(status))
        } else if let Some(entry) = code_of(key).and_then(|code| crate::registry::find(&code)) {
            (entry.args, Slot::Code(entry.code))
        } else {
            // A built-in code of an area this build does not compile (its
            // feature is off), from the crate's file or a team's copy of
            // it: not a mistake of the team's.
            if !builtin_key(key) && !messages.unknown.iter().any(|unknown| unknown == key) {
                messages.unknown.push(key.to_owned());
            }
            continue;
        };
        let mut fine = true;
        for variable in variables.iter().filter(|variable| !allowed.contains(variable)) {
            fine = false;
            let may = if allowed.is_empty() {
                "its message names no field, so a translation may use no variable".to_owned()
            } else {
                format!(
                    "it may use: {}",
                    allowed.iter().map(|arg| format!("${arg}")).collect::<Vec<_>>().join(", ")
                )
            };
            let what = match slot {
                Slot::Code(code) => format!("code `{code}`"),
                Slot::Status(status) => format!("the generic message of {status}"),
            };
            problems.push(problem(
                file,
                line_of_message(resource.source(), key),
                Some(key.to_owned()),
                format!("`${variable}` is not an argument of {what}; {may}"),
            ));
        }
        if !fine {
            continue;
        }
        let compiled = compiled(key, pattern);
        match slot {
            Slot::Code(code) => messages.by_code.insert(code.into(), compiled),
            Slot::Status(status) => messages.by_status.insert(status, compiled),
        };
    }
}

/// Where a message goes: a code's, or a status's generic one.
#[derive(Clone, Copy)]
enum Slot {
    Code(&'static str),
    Status(u16),
}

/// A message as rendered: plain text, text and variables, or Fluent's
/// resolver for anything else (selectors, functions, terms, references).
fn compiled(key: &str, pattern: &ast::Pattern<&str>) -> Message {
    let mut pieces = Vec::with_capacity(pattern.elements.len());
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => match pieces.last_mut() {
                Some(Piece::Text(text)) => *text = format!("{text}{value}").into(),
                _ => pieces.push(Piece::Text((*value).into())),
            },
            ast::PatternElement::Placeable {
                expression: ast::Expression::Inline(ast::InlineExpression::VariableReference { id }),
            } => pieces.push(Piece::Var(id.name.into())),
            ast::PatternElement::Placeable { .. } => return Message::Fluent(key.into()),
        }
    }
    // Text is kept JSON-escaped, as the body holds it: a render copies it.
    for piece in &mut pieces {
        if let Piece::Text(text) = piece {
            let mut escaped = Vec::with_capacity(text.len());
            crate::json::escape_into(&mut escaped, text);
            *text = String::from_utf8(escaped).unwrap_or_default().into();
        }
    }
    match pieces.as_slice() {
        [] => Message::Plain("".into()),
        [Piece::Text(text)] => Message::Plain(text.clone()),
        _ => Message::Pieces(pieces),
    }
}

/// The variables `pattern` reads, following message references (bounded).
fn variables_of<'a>(
    resource: &'a FluentResource,
    pattern: &ast::Pattern<&'a str>,
    out: &mut Vec<&'a str>,
    depth: u8,
) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(resource, expression, out, depth);
        }
    }
}

fn expression_variables<'a>(
    resource: &'a FluentResource,
    expression: &ast::Expression<&'a str>,
    out: &mut Vec<&'a str>,
    depth: u8,
) {
    match expression {
        ast::Expression::Inline(inline) => inline_variables(resource, inline, out, depth),
        ast::Expression::Select { selector, variants } => {
            inline_variables(resource, selector, out, depth);
            for variant in variants {
                variables_of(resource, &variant.value, out, depth);
            }
        }
    }
}

fn inline_variables<'a>(
    resource: &'a FluentResource,
    inline: &ast::InlineExpression<&'a str>,
    out: &mut Vec<&'a str>,
    depth: u8,
) {
    match inline {
        ast::InlineExpression::VariableReference { id } if !out.contains(&id.name) => out.push(id.name),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            arguments_variables(resource, arguments, out, depth)
        }
        ast::InlineExpression::TermReference { arguments: Some(arguments), .. } => {
            arguments_variables(resource, arguments, out, depth);
        }
        ast::InlineExpression::MessageReference { id, .. } if depth < 8 => {
            for entry in resource.entries() {
                if let ast::Entry::Message(ast::Message { id: other, value: Some(value), .. }) = entry
                    && other.name == id.name
                {
                    variables_of(resource, value, out, depth + 1);
                }
            }
        }
        ast::InlineExpression::Placeable { expression } => {
            expression_variables(resource, expression, out, depth)
        }
        _ => {}
    }
}

fn arguments_variables<'a>(
    resource: &'a FluentResource,
    arguments: &ast::CallArguments<&'a str>,
    out: &mut Vec<&'a str>,
    depth: u8,
) {
    for value in arguments.positional.iter().chain(arguments.named.iter().map(|named| &named.value)) {
        inline_variables(resource, value, out, depth);
    }
}

pub(super) fn problem(file: &str, line: usize, id: Option<String>, message: String) -> LoadProblem {
    LoadProblem { file: file.to_owned(), line, id, message }
}

/// The line (from 1) of byte `at` in `source`.
fn line_at(source: &str, at: usize) -> usize {
    source.as_bytes()[..at.min(source.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The id of the message a syntax error at byte `at` is in: that of the
/// nearest line at or before it that starts a message (`id =`).
fn id_before(source: &str, at: usize) -> Option<String> {
    let upto = &source[..source.floor_char_boundary_compat(at)];
    upto.lines().rev().find_map(message_id).map(str::to_owned)
}

/// The id a line starts a message with (`id = …`), if it does.
fn message_id(line: &str) -> Option<&str> {
    let (id, _) = line.split_once('=')?;
    let id = id.trim_end();
    let first = id.bytes().next()?;
    (first.is_ascii_alphabetic() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
        .then_some(id)
}

/// The line (from 1) that starts the message `id`; 0 if not found.
fn line_of_message(source: &str, id: &str) -> usize {
    source.lines().position(|line| message_id(line) == Some(id)).map_or(0, |line| line + 1)
}

/// `str::floor_char_boundary`, stable only since Rust 1.91 (the MSRV is
/// lower).
trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, at: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, at: usize) -> usize {
        let mut at = at.min(self.len());
        while !self.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}
