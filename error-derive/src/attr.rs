//! Parsing of `#[api(...)]`, one parser for every place: each attribute is
//! walked key by key (`parse_nested_meta`, as serde and thiserror do), and
//! each key is looked up in the one table of `keys`, which says whether it
//! is valid here, what value it takes and which setter stores it. A key
//! given twice, a key in the wrong place and an unknown key are all errors
//! on that key, and parsing goes on so every mistake is reported.

use proc_macro2::{Literal, TokenStream};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitStr};

use crate::ctxt::Ctxt;
use crate::ir::LogLevel;
use crate::keys::{self, Place, Takes};
use crate::values::{self, code_problem};

/// One key's value with the tokens it came from (for spans).
pub struct Attr<T> {
    name: &'static str,
    value: Option<(TokenStream, T)>,
}

impl<T> Attr<T> {
    fn none(name: &'static str) -> Self {
        Attr { name, value: None }
    }

    /// Sets the value; a second value is an error on the second key.
    fn set<A: ToTokens>(&mut self, cx: &Ctxt, place: Place, obj: A, value: T) {
        let tokens = obj.into_token_stream();
        if self.value.is_none() {
            self.value = Some((tokens, value));
            return;
        }
        let message = match keys::find(self.name).and_then(|key| key.at(place)) {
            Some(used) if place.is_list() => format!("duplicate `{}`: {}", self.name, used.example),
            _ => format!("duplicate api attribute `{}`", self.name),
        };
        cx.error_spanned_by(tokens, message);
    }

    pub fn get(&self) -> Option<&T> {
        self.value.as_ref().map(|(_, value)| value)
    }

    /// The tokens of the key and value, for errors about them.
    pub fn tokens(&self) -> Option<&TokenStream> {
        self.value.as_ref().map(|(tokens, _)| tokens)
    }

    pub fn is_some(&self) -> bool {
        self.value.is_some()
    }

    fn take(&mut self) -> Option<T> {
        self.value.take().map(|(_, value)| value)
    }
}

/// A string value: its literal (for spans, and to re-emit as written) and
/// its value, unescaped once.
pub struct Str {
    pub token: Literal,
    pub value: String,
}

impl Str {
    pub fn new(lit: &LitStr) -> Self {
        Str { token: lit.token(), value: lit.value() }
    }
}

impl ToTokens for Str {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.token.to_tokens(tokens);
    }
}

/// `upstream(service = "billing", status = 402)`.
pub struct Upstream {
    pub service: Str,
    /// The upstream's status, in 400..=599.
    pub status: u16,
}

/// A key's value, checked for its kind, before the key's own rules.
pub enum Value {
    Flag,
    Str(Str),
    /// The literal and its value, already in 400..=599.
    Status(Literal, u16),
    /// The literal and its value, already in 1..=[`keys::MAX_RETRY_AFTER`].
    Seconds(Literal, u32),
    /// A list's keys (`db(...)`), and whether reading them reported an
    /// error (then a missing key is not reported again).
    List(Box<Attrs>, bool),
}

/// Everything `#[api(...)]` may say in any place; [`Place`] decides which
/// keys were accepted.
pub struct Attrs {
    place: Place,
    /// Whether any `#[api]` was present.
    pub present: bool,
    /// Keys that were written, valid or not (and the key a misspelling most
    /// likely meant): a key given with a wrong value is reported once, not
    /// again as missing.
    mentioned: Vec<&'static str>,
    pub docs: Attr<Str>,
    pub free_messages: Attr<()>,
    pub status: Attr<u16>,
    pub code: Attr<Str>,
    /// `field = "name"` (variant) or the `field` flag (field).
    pub field: Attr<Option<Str>>,
    pub message: Attr<Str>,
    pub log: Attr<LogLevel>,
    /// `retry_after = 30`: seconds.
    pub retry_after: Attr<u32>,
    /// `db(constraint = "…")`: the constraint's name.
    pub db: Attr<Str>,
    /// `upstream(service = "…", status = 402)`.
    pub upstream: Attr<Upstream>,
    pub transparent: Attr<()>,
    pub details: Attr<()>,
    pub no_response_impl: Attr<()>,
    /// `crate = "path"`: the path of the apierror crate.
    pub krate: Attr<syn::Path>,
    /// Inside `db(...)`.
    constraint: Attr<Str>,
    /// Inside `upstream(...)`.
    service: Attr<Str>,
}

impl Attrs {
    fn empty(place: Place) -> Self {
        Attrs {
            place,
            present: false,
            mentioned: Vec::new(),
            docs: Attr::none("docs"),
            free_messages: Attr::none("free_messages"),
            status: Attr::none("status"),
            code: Attr::none("code"),
            field: Attr::none("field"),
            message: Attr::none("message"),
            log: Attr::none("log"),
            retry_after: Attr::none("retry_after"),
            db: Attr::none("db"),
            upstream: Attr::none("upstream"),
            transparent: Attr::none("transparent"),
            details: Attr::none("details"),
            no_response_impl: Attr::none("no_response_impl"),
            krate: Attr::none("crate"),
            constraint: Attr::none("constraint"),
            service: Attr::none("service"),
        }
    }

    pub fn parse(cx: &Ctxt, attrs: &[Attribute], place: Place) -> Self {
        let mut out = Attrs::empty(place);
        for attr in attrs.iter().filter(|attr| attr.path().is_ident(keys::API)) {
            out.present = true;
            if let syn::Meta::Path(_) = &attr.meta {
                cx.error_spanned_by(attr, "expected a list of keys: `#[api(status = 404, code = \"...\")]`");
                continue;
            }
            if let Err(err) = attr.parse_nested_meta(|meta| {
                out.parse_key(cx, &meta);
                Ok(())
            }) {
                cx.syn_error(err);
            }
        }
        out
    }

    /// Whether `key` was written, even with a wrong value or misspelled.
    pub fn mentions(&self, key: &str) -> bool {
        self.mentioned.contains(&key)
    }

    /// Parses one `key`, `key = value` or `key(...)`; errors are reported to
    /// `cx` and never stop parsing of the following keys.
    fn parse_key(&mut self, cx: &Ctxt, meta: &ParseNestedMeta) {
        let place = self.place;
        let path = &meta.path;
        let name = path.get_ident().map(ToString::to_string).unwrap_or_default();
        let key = keys::find(&name);
        let Some((key, used)) = key.and_then(|key| Some((key, key.at(place)?))) else {
            match key {
                Some(key) => {
                    let on = if place.is_list() { "in" } else { "on" };
                    cx.error_spanned_by(
                        path,
                        format!("`{name}` is not valid {on} {}; {}", place.name(), key.home),
                    );
                }
                None => {
                    let (message, meant) = keys::unknown(&name, place);
                    self.mentioned.extend(meant);
                    cx.error_spanned_by(path, message);
                }
            }
            values::skip_value(meta);
            return;
        };
        self.mentioned.push(key.name);
        let value = match used.takes {
            Takes::Flag => {
                values::flag(cx, meta, used.example);
                Some(Value::Flag)
            }
            Takes::Str => values::string_value(cx, meta, used.example),
            Takes::Status => values::status(cx, meta),
            Takes::Seconds => values::seconds(cx, meta),
            Takes::List(inner) => list(cx, meta, inner, used.example),
        };
        if let Some(value) = value {
            (used.set)(self, cx, path, value);
        }
    }
}

/// The keys of a list (`db(...)`), parsed as the keys of an attribute are,
/// in the list's own place; `None` when the list is missing or malformed
/// (after an error).
fn list(cx: &Ctxt, meta: &ParseNestedMeta, place: Place, example: &str) -> Option<Value> {
    let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
    if !meta.input.peek(syn::token::Paren) {
        let span = if meta.input.is_empty() || meta.input.peek(syn::Token![,]) {
            syn::spanned::Spanned::span(&meta.path)
        } else {
            meta.input.span()
        };
        values::skip_value(meta);
        cx.error_at(span, format!("`{key}` takes a list: {example}"));
        return None;
    }
    let errors = cx.count();
    let mut inner = Attrs::empty(place);
    if is_empty_list(meta.input) {
        // `db()`: syn's error would say little; the setter says what is
        // missing.
        let _ = meta.parse_nested_meta(|_| Ok(()));
    } else if let Err(err) = meta.parse_nested_meta(|meta| {
        inner.parse_key(cx, &meta);
        Ok(())
    }) {
        cx.syn_error(err);
        return None;
    }
    let failed = cx.count() > errors;
    Some(Value::List(Box::new(inner), failed))
}

/// Whether `input` starts with `()`.
fn is_empty_list(input: syn::parse::ParseStream) -> bool {
    let parens = |input: syn::parse::ParseStream| -> syn::Result<bool> {
        let content;
        syn::parenthesized!(content in input);
        Ok(content.is_empty())
    };
    parens(&input.fork()).unwrap_or(false)
}

// The setters the key table names: each stores a value of its key's kind
// (`Value` of another kind is impossible: the table says which is read),
// after the key's own rules.

pub fn set_docs(attrs: &mut Attrs, cx: &Ctxt, path: &syn::Path, value: Value) {
    if let Value::Str(lit) = value {
        attrs.docs.set(cx, attrs.place, path, lit);
    }
}

pub fn set_free_messages(attrs: &mut Attrs, cx: &Ctxt, path: &syn::Path, _: Value) {
    attrs.free_messages.set(cx, attrs.place, path, ());
}

pub fn set_no_response_impl(attrs: &mut Attrs, cx: &Ctxt, path: &syn::Path, _: Value) {
    attrs.no_response_impl.set(cx, attrs.place, path, ());
}

pub fn set_transparent(attrs: &mut Attrs, cx: &Ctxt, path: &syn::Path, _: Value) {
    attrs.transparent.set(cx, attrs.place, path, ());
}

pub fn set_details(attrs: &mut Attrs, cx: &Ctxt, path: &syn::Path, _: Value) {
    attrs.details.set(cx, attrs.place, path, ());
}

/// Parsed with the literal's span: a path that names nothing is reported
/// on it.
pub fn set_crate(attrs: &mut Attrs, cx: &Ctxt, _: &syn::Path, value: Value) {
    let Value::Str(lit) = value else { return };
    match LitStr::new(&lit.value, lit.token.span()).parse::<syn::Path>() {
        Ok(krate) => attrs.krate.set(cx, attrs.place, lit.token, krate),
        Err(_) => cx.error_spanned_by(
            &lit,
            format!(
                "`crate` takes the path of the apierror crate, such as `crate = \"::apierror\"` or `crate = \"my_facade::apierror\"`; {:?} is not a path",
                lit.value
            ),
        ),
    }
}

pub fn set_status(attrs: &mut Attrs, cx: &Ctxt, _: &syn::Path, value: Value) {
    if let Value::Status(lit, status) = value {
        attrs.status.set(cx, attrs.place, lit, status);
    }
}

pub fn set_retry_after(attrs: &mut Attrs, cx: &Ctxt, _: &syn::Path, value: Value) {
    if let Value::Seconds(lit, seconds) = value {
        attrs.retry_after.set(cx, attrs.place, lit, seconds);
    }
}

pub fn set_code(attrs: &mut Attrs, cx: &Ctxt, _: &syn::Path, value: Value) {
    let Value::Str(lit) = value else { return };
    match code_problem(&lit.value) {
        Some(problem) => cx.error_spanned_by(&lit, problem),
        None => attrs.code.set(cx, attrs.place, lit.token.clone(), lit),
    }
}

/// `field = "name"` on a variant, the `field` flag on a field.
pub fn set_field(attrs: &mut Attrs, cx: &Ctxt, path: &syn::Path, value: Value) {
    match value {
        Value::Str(lit) if lit.value.is_empty() => {
            cx.error_spanned_by(&lit, "field name must not be empty: `field = \"name\"`");
        }
        Value::Str(lit) => attrs.field.set(cx, attrs.place, lit.token.clone(), Some(lit)),
        _ => attrs.field.set(cx, attrs.place, path, None),
    }
}

pub fn set_message(attrs: &mut Attrs, cx: &Ctxt, _: &syn::Path, value: Value) {
    if let Value::Str(lit) = value {
        attrs.message.set(cx, attrs.place, lit.token.clone(), lit);
    }
}

pub fn set_log(attrs: &mut Attrs, cx: &Ctxt, _: &syn::Path, value: Value) {
    let Value::Str(lit) = value else { return };
    match LogLevel::of(&lit.value) {
        Some(level) => attrs.log.set(cx, attrs.place, lit.token, level),
        None => {
            let known: Vec<&str> = LogLevel::ALL.iter().map(|level| level.name()).collect();
            cx.error_spanned_by(
                &lit,
                format!("unknown log level {:?}; expected one of: {}", lit.value, known.join(", ")),
            );
        }
    }
}

/// A non-empty string in a list (`constraint = "…"`, `service = "…"`).
fn list_string(attrs: &mut Attrs, cx: &Ctxt, value: Value, service: bool) {
    let Value::Str(lit) = value else { return };
    let (name, example) =
        if service { ("service", keys::UPSTREAM_EXAMPLE) } else { ("constraint", keys::DB_EXAMPLE) };
    if lit.value.is_empty() {
        cx.error_spanned_by(&lit, format!("`{name}` must not be empty: {example}"));
        return;
    }
    let slot = if service { &mut attrs.service } else { &mut attrs.constraint };
    slot.set(cx, attrs.place, lit.token.clone(), lit);
}

pub fn set_constraint(attrs: &mut Attrs, cx: &Ctxt, _: &syn::Path, value: Value) {
    list_string(attrs, cx, value, false);
}

pub fn set_service(attrs: &mut Attrs, cx: &Ctxt, _: &syn::Path, value: Value) {
    list_string(attrs, cx, value, true);
}

/// `db(constraint = "things_name_key")`: the constraint is required.
pub fn set_db(attrs: &mut Attrs, cx: &Ctxt, path: &syn::Path, value: Value) {
    let Value::List(mut inner, failed) = value else { return };
    match inner.constraint.take() {
        Some(constraint) => attrs.db.set(cx, attrs.place, path, constraint),
        None if !failed => {
            cx.error_spanned_by(path, format!("`db` needs the constraint's name: {}", keys::DB_EXAMPLE))
        }
        None => {}
    }
}

/// `upstream(service = "billing", status = 402)`: both are required.
pub fn set_upstream(attrs: &mut Attrs, cx: &Ctxt, path: &syn::Path, value: Value) {
    let Value::List(mut inner, failed) = value else { return };
    match (inner.service.take(), inner.status.take()) {
        (Some(service), Some(status)) => {
            attrs.upstream.set(cx, attrs.place, path, Upstream { service, status });
        }
        (service, status) => {
            if !failed {
                let missing = match (service, status) {
                    (None, None) => "`service` and `status`",
                    (None, _) => "`service`",
                    _ => "`status`",
                };
                cx.error_spanned_by(path, format!("`upstream` needs {missing}: {}", keys::UPSTREAM_EXAMPLE));
            }
        }
    }
}

/// Whether a field is the source error: `#[source]`, `#[from]`, or named
/// `source` (thiserror's rules).
pub fn is_source(field: &syn::Field) -> bool {
    field.attrs.iter().any(|attr| attr.path().is_ident("source") || attr.path().is_ident("from"))
        || field.ident.as_ref().is_some_and(|ident| ident == "source")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a parse found, comparable.
    fn summary(attrs: &Attrs) -> String {
        format!(
            "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {} {} {} {} {:?}",
            attrs.status.get(),
            attrs.retry_after.get(),
            attrs.code.get().map(|s| &s.value),
            attrs.field.get().map(|f| f.as_ref().map(|s| &s.value)),
            attrs.message.get().map(|s| &s.value),
            attrs.log.get().map(|level| level.name()),
            attrs.docs.get().map(|s| &s.value),
            attrs.transparent.is_some(),
            attrs.free_messages.is_some(),
            attrs.details.is_some(),
            attrs.no_response_impl.is_some(),
            attrs.krate.get().map(|path| path.to_token_stream().to_string()),
        )
    }

    fn parse(tokens: &str, place: Place) -> (Attrs, Result<(), syn::Error>) {
        let input: syn::DeriveInput = syn::parse_str(&format!("#[api({tokens})] struct S;")).unwrap();
        let cx = Ctxt::new();
        let attrs = Attrs::parse(&cx, &input.attrs, place);
        (attrs, cx.check())
    }

    /// Every valid shape (the cases the fast path and the general parser
    /// were once compared on) is read by the one parser, value by value.
    #[test]
    fn valid_shapes() {
        let cases: &[(&str, Place, &str)] = &[
            (
                r#"status = 409, code = "c-1", field = "name", message = "Fine.", log = "warn""#,
                Place::Variant,
                r#"Some(409) None Some("c-1") Some(Some("name")) Some("Fine.") Some("warn") None false false false false None"#,
            ),
            (
                r#"status = 404u16, code = "c.2:x_y-z""#,
                Place::Variant,
                r#"Some(404) None Some("c.2:x_y-z") None None None None false false false false None"#,
            ),
            (
                r#"status = 503, code = "c3", retry_after = 30"#,
                Place::Variant,
                r#"Some(503) Some(30) Some("c3") None None None None false false false false None"#,
            ),
            (
                r#"status = 429, code = "c4", retry_after = 86400u32, log = "info""#,
                Place::Struct,
                r#"Some(429) Some(86400) Some("c4") None None Some("info") None false false false false None"#,
            ),
            (
                r#"transparent"#,
                Place::Variant,
                "None None None None None None None true false false false None",
            ),
            (
                r#"docs = "https://x/{code}", free_messages, no_response_impl, crate = "::errs""#,
                Place::Enum,
                r#"None None None None None None Some("https://x/{code}") false true false true Some(":: errs")"#,
            ),
            (
                r#"details, field"#,
                Place::Field,
                "None None None Some(None) None None None false false true false None",
            ),
            (
                r#"status = 422, code = "s", crate = "crate::facade::apierror", message = "{a} \"q\".""#,
                Place::Struct,
                r#"Some(422) None Some("s") None Some("{a} \"q\".") None None false false false false Some("crate :: facade :: apierror")"#,
            ),
        ];
        for (tokens, place, expected) in cases {
            let (attrs, result) = parse(tokens, *place);
            result.unwrap();
            assert_eq!(summary(&attrs), *expected, "{tokens}");
        }
    }

    /// `db(...)` and `upstream(...)` are lists, read by the same parser in
    /// their own place.
    #[test]
    fn lists() {
        let (attrs, result) = parse(
            r#"status = 409, code = "c", db(constraint = "things_name_key"), upstream(service = "billing", status = 402)"#,
            Place::Variant,
        );
        result.unwrap();
        assert_eq!(attrs.db.get().map(|c| c.value.as_str()), Some("things_name_key"));
        let upstream = attrs.upstream.get().expect("upstream");
        assert_eq!((upstream.service.value.as_str(), upstream.status), ("billing", 402));
        // The list's `status` is the upstream's, not the variant's.
        assert_eq!(attrs.status.get(), Some(&409));
    }

    /// A list's keys get what an attribute's get: a near miss is suggested,
    /// a key of another place says where it goes, a duplicate names the
    /// list's example.
    #[test]
    fn mistakes_in_lists() {
        let message = |tokens: &str| parse(tokens, Place::Variant).1.unwrap_err().to_string();
        assert_eq!(
            message(r#"db(constrant = "k")"#),
            "unknown key `constrant` in `db(...)`; expected: constraint (did you mean `constraint`?)"
        );
        assert_eq!(
            message(r#"db(service = "k")"#),
            "`service` is not valid in `db(...)`; it goes inside `upstream(...)`: `upstream(service = \"billing\", status = 402)`"
        );
        assert_eq!(
            message(r#"upstream(service = "a", service = "b", status = 402)"#),
            "duplicate `service`: `upstream(service = \"billing\", status = 402)`"
        );
    }
}
