//! Parsing of `#[api(...)]`. Each key is parsed into its own slot; a key
//! given twice, a key in the wrong place and an unknown key are all errors
//! on that key, and parsing goes on so every mistake is reported.

use proc_macro2::{Literal, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitInt, LitStr};

use crate::ctxt::Ctxt;
use crate::symbol::*;

/// Where an `#[api(...)]` sits; decides which keys are valid.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Enum,
    Variant,
    Struct,
    Field,
}

impl Place {
    fn keys(self) -> &'static [&'static str] {
        match self {
            Place::Enum => ENUM_KEYS,
            Place::Variant => VARIANT_KEYS,
            Place::Struct => STRUCT_KEYS,
            Place::Field => FIELD_KEYS,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Place::Enum => "an enum",
            Place::Variant => "a variant",
            Place::Struct => "a struct",
            Place::Field => "a field",
        }
    }
}

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
    fn set<A: ToTokens>(&mut self, cx: &Ctxt, obj: A, value: T) {
        let tokens = obj.into_token_stream();
        if self.value.is_some() {
            cx.error_spanned_by(tokens, format!("duplicate api attribute `{}`", self.name));
        } else {
            self.value = Some((tokens, value));
        }
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
}

/// A string value: its literal (for spans, and to re-emit as written) and
/// its value, unescaped once.
pub struct Str {
    pub token: Literal,
    pub value: String,
}

impl Str {
    fn new(lit: &LitStr) -> Self {
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
enum Value {
    Flag,
    Str(Str),
    /// The literal and its value, already in 400..=599.
    Status(Literal, u16),
    /// The literal and its value, already in 1..=[`MAX_RETRY_AFTER`].
    Seconds(Literal, u32),
    /// `db(constraint = "…")`: the constraint.
    Db(Str),
    Upstream(Upstream),
}

/// Everything `#[api(...)]` may say in any place; [`Place`] decides which
/// keys were accepted.
pub struct Attrs {
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
    pub log: Attr<Str>,
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
}

impl Attrs {
    pub fn parse(cx: &Ctxt, attrs: &[Attribute], place: Place) -> Self {
        let mut out = Attrs {
            present: false,
            mentioned: Vec::new(),
            docs: Attr::none(DOCS),
            free_messages: Attr::none(FREE_MESSAGES),
            status: Attr::none(STATUS),
            code: Attr::none(CODE),
            field: Attr::none(FIELD),
            message: Attr::none(MESSAGE),
            log: Attr::none(LOG),
            retry_after: Attr::none(RETRY_AFTER),
            db: Attr::none(DB),
            upstream: Attr::none(UPSTREAM),
            transparent: Attr::none(TRANSPARENT),
            details: Attr::none(DETAILS),
            no_response_impl: Attr::none(NO_RESPONSE_IMPL),
            krate: Attr::none(CRATE),
        };
        for attr in attrs.iter().filter(|attr| attr.path().is_ident(API)) {
            out.present = true;
            match &attr.meta {
                syn::Meta::Path(_) => {
                    cx.error_spanned_by(
                        attr,
                        "expected a list of keys: `#[api(status = 404, code = \"...\")]`",
                    );
                    continue;
                }
                syn::Meta::List(list) if out.parse_simple(cx, &list.tokens, place) => continue,
                _ => {}
            }
            if let Err(err) = attr.parse_nested_meta(|meta| {
                out.parse_key(cx, &meta, place);
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

    /// Parses one `key` or `key = value`; errors are reported to `cx` and
    /// never stop parsing of the following keys.
    fn parse_key(&mut self, cx: &Ctxt, meta: &ParseNestedMeta, place: Place) {
        let path = &meta.path;
        let Some(key) = path.get_ident().map(ToString::to_string) else {
            cx.error_spanned_by(path, unknown_key("", place).0);
            skip_value(meta);
            return;
        };
        let Some(&key) = place.keys().iter().find(|k| **k == key) else {
            if let Some(home) = home_of(&key) {
                cx.error_spanned_by(path, format!("`{key}` is not valid on {}; {home}", place.name()));
            } else {
                let (message, meant) = unknown_key(&key, place);
                self.mentioned.extend(meant);
                cx.error_spanned_by(path, message);
            }
            skip_value(meta);
            return;
        };
        self.mentioned.push(key);
        let example = example(key, place);
        let value = match kind(key, place) {
            Kind::Flag => {
                flag(cx, meta, example);
                Some(Value::Flag)
            }
            Kind::Str => string_value(cx, meta, example),
            Kind::Status => status(cx, meta),
            Kind::Seconds => seconds(cx, meta),
            Kind::List => match key {
                DB => db(cx, meta),
                _ => upstream(cx, meta),
            },
        };
        if let Some(value) = value {
            self.set_key(cx, key, path, value);
        }
    }

    /// The common shape of `#[api(...)]`, lexed straight from its tokens:
    /// keys valid in `place`, each alone or `= literal` of the [`Kind`] the
    /// key takes, separated by commas. Anything else sets nothing and
    /// returns `false`, and the general parser handles it, with its errors.
    /// Both read the same tables ([`Place::keys`], [`kind`]) and hand the
    /// value to the same [`Attrs::set_key`], so no rule is written twice.
    ///
    /// Measured after the move to syn 3 (a 1,000-variant enum of the four
    /// shapes of `benches/compile.sh`, the derive timed inside rustc, dev
    /// profile, 7 runs each): the derive takes 52 ms with this path and 66
    /// ms with the general parser alone, a fifth of its time.
    fn parse_simple(&mut self, cx: &Ctxt, tokens: &TokenStream, place: Place) -> bool {
        let mut keys = Vec::new();
        let mut tokens = tokens.clone().into_iter();
        while let Some(token) = tokens.next() {
            let TokenTree::Ident(ident) = token else { return false };
            let name = ident.to_string();
            let Some(&key) = place.keys().iter().find(|k| **k == name) else { return false };
            let literal = match tokens.next() {
                None => None,
                Some(TokenTree::Punct(punct)) if punct.as_char() == ',' => None,
                Some(TokenTree::Punct(punct))
                    if punct.as_char() == '=' && punct.spacing() == Spacing::Alone =>
                {
                    let Some(TokenTree::Literal(literal)) = tokens.next() else { return false };
                    match tokens.next() {
                        None => {}
                        Some(TokenTree::Punct(punct)) if punct.as_char() == ',' => {}
                        Some(_) => return false,
                    }
                    Some(literal)
                }
                Some(_) => return false,
            };
            let value = match (kind(key, place), literal) {
                (Kind::Flag, None) => Value::Flag,
                (Kind::Status, Some(literal)) => match Plain::of(literal) {
                    Some(Plain::Int(literal, status)) => match u16::try_from(status) {
                        Ok(status) if is_error_status(status) => Value::Status(literal, status),
                        _ => return false,
                    },
                    _ => return false,
                },
                (Kind::Seconds, Some(literal)) => match Plain::of(literal) {
                    Some(Plain::Int(literal, seconds)) if is_retry_after(seconds) => {
                        Value::Seconds(literal, seconds)
                    }
                    _ => return false,
                },
                (Kind::Str, Some(literal)) => match Plain::of(literal) {
                    Some(Plain::Str(str)) => Value::Str(str),
                    _ => return false,
                },
                _ => return false,
            };
            keys.push((key, ident, value));
        }
        for (key, ident, value) in keys {
            self.mentioned.push(key);
            self.set_key(cx, key, &ident, value);
        }
        true
    }

    /// Applies one key whose value has the right kind: the key's own rules
    /// (a code without whitespace, a known log level, …), then its slot.
    fn set_key<P: ToTokens>(&mut self, cx: &Ctxt, key: &'static str, path: P, value: Value) {
        let lit = match value {
            Value::Flag => {
                match key {
                    TRANSPARENT => self.transparent.set(cx, path, ()),
                    FREE_MESSAGES => self.free_messages.set(cx, path, ()),
                    DETAILS => self.details.set(cx, path, ()),
                    NO_RESPONSE_IMPL => self.no_response_impl.set(cx, path, ()),
                    _ => self.field.set(cx, path, None),
                }
                return;
            }
            Value::Status(lit, status) => return self.status.set(cx, lit, status),
            Value::Seconds(lit, seconds) => return self.retry_after.set(cx, lit, seconds),
            Value::Db(constraint) => return self.db.set(cx, path, constraint),
            Value::Upstream(upstream) => return self.upstream.set(cx, path, upstream),
            Value::Str(str) => str,
        };
        match key {
            DOCS => self.docs.set(cx, path, lit),
            // Parsed with the literal's span: a path that names nothing is
            // reported on it.
            CRATE => match LitStr::new(&lit.value, lit.token.span()).parse::<syn::Path>() {
                Ok(krate) => self.krate.set(cx, lit.token, krate),
                Err(_) => cx.error_spanned_by(
                    &lit,
                    format!(
                        "`crate` takes the path of the apierror crate, such as `crate = \"::apierror\"` or `crate = \"my_facade::apierror\"`; {:?} is not a path",
                        lit.value
                    ),
                ),
            },
            CODE => match code_problem(&lit.value) {
                Some(problem) => cx.error_spanned_by(&lit, problem),
                None => {
                    let tokens = lit.token.clone();
                    self.code.set(cx, tokens, lit);
                }
            },
            FIELD => {
                if lit.value.is_empty() {
                    cx.error_spanned_by(&lit, "field name must not be empty: `field = \"name\"`");
                } else {
                    let tokens = lit.token.clone();
                    self.field.set(cx, tokens, Some(lit));
                }
            }
            MESSAGE => {
                let tokens = lit.token.clone();
                self.message.set(cx, tokens, lit);
            }
            LOG => {
                if LOG_LEVELS.contains(&lit.value.as_str()) {
                    let tokens = lit.token.clone();
                    self.log.set(cx, tokens, lit);
                } else {
                    cx.error_spanned_by(
                        &lit,
                        format!(
                            "unknown log level {:?}; expected one of: {}",
                            lit.value,
                            LOG_LEVELS.join(", ")
                        ),
                    );
                }
            }
            _ => unreachable!("every key that takes a string is handled"),
        }
    }
}

/// The kind of value a key takes: the one table both parsers read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// No value: `transparent`.
    Flag,
    /// A string literal: `code = "1010"`.
    Str,
    /// An integer literal in 400..=599.
    Status,
    /// An integer literal in 1..=[`MAX_RETRY_AFTER`]: `retry_after = 30`.
    Seconds,
    /// A list of its own keys: `db(constraint = "…")`.
    List,
}

fn kind(key: &str, place: Place) -> Kind {
    match key {
        TRANSPARENT | FREE_MESSAGES | DETAILS | NO_RESPONSE_IMPL => Kind::Flag,
        FIELD if place == Place::Field => Kind::Flag,
        STATUS => Kind::Status,
        RETRY_AFTER => Kind::Seconds,
        DB | UPSTREAM => Kind::List,
        _ => Kind::Str,
    }
}

/// How a key is written, for the errors about its value.
fn example(key: &str, place: Place) -> &'static str {
    match key {
        DOCS => "`docs = \"https://docs.example.com/errors/{code}\"`",
        CRATE => "`crate = \"::apierror\"`",
        STATUS => "`status = 404`",
        CODE => "`code = \"1010\"`",
        FIELD if place == Place::Field => "`#[api(field)]` on the field whose value names the request field",
        FIELD => "`field = \"name\"`",
        MESSAGE => "`message = \"There is already a column with the same name.\"`",
        LOG => "`log = \"warn\"`",
        RETRY_AFTER => "`retry_after = 30`",
        DB => DB_EXAMPLE,
        UPSTREAM => UPSTREAM_EXAMPLE,
        TRANSPARENT => "`#[api(transparent)]`",
        FREE_MESSAGES => "`#[api(free_messages)]`",
        DETAILS => "`#[api(details)]`",
        NO_RESPONSE_IMPL => "`#[api(no_response_impl)]`",
        _ => unreachable!("every key of Place::keys has an example"),
    }
}

const DB_EXAMPLE: &str = "`db(constraint = \"things_name_key\")`";
const UPSTREAM_EXAMPLE: &str = "`upstream(service = \"billing\", status = 402)`";

/// `status = 404`; `None` (after an error) otherwise.
fn status(cx: &Ctxt, meta: &ParseNestedMeta) -> Option<Value> {
    match meta.value().and_then(|value| value.parse::<syn::Expr>()) {
        Ok(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(lit), .. })) => match status_value(&lit) {
            Some(status) if is_error_status(status) => Some(Value::Status(lit.token(), status)),
            Some(status) => {
                let kind = match status {
                    100..=199 => "an informational status",
                    200..=299 => "a success status",
                    300..=399 => "a redirection status",
                    _ => "not an HTTP status",
                };
                cx.error_spanned_by(
                    &lit,
                    format!("{status} is {kind}, not an error: `status` must be in 400..=599 (4xx for the client's mistakes, 5xx for the server's)"),
                );
                None
            }
            None => {
                cx.error_spanned_by(&lit, STATUS_EXPECTED);
                None
            }
        },
        Ok(expr) => {
            cx.error_spanned_by(&expr, STATUS_EXPECTED);
            None
        }
        Err(err) => {
            cx.syn_error(syn::Error::new(err.span(), STATUS_EXPECTED));
            None
        }
    }
}

/// `retry_after = 30`; `None` (after an error) otherwise.
fn seconds(cx: &Ctxt, meta: &ParseNestedMeta) -> Option<Value> {
    match meta.value().and_then(|value| value.parse::<syn::Expr>()) {
        Ok(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(lit), .. })) => match int_value(&lit) {
            Some(seconds) if is_retry_after(seconds) => Some(Value::Seconds(lit.token(), seconds)),
            Some(seconds) => {
                cx.error_spanned_by(
                    &lit,
                    format!("`retry_after` is in seconds, from 1 to {MAX_RETRY_AFTER} (a day); {seconds} is out of range: `retry_after = 30`"),
                );
                None
            }
            None => {
                cx.error_spanned_by(&lit, RETRY_AFTER_EXPECTED);
                None
            }
        },
        Ok(expr) => {
            cx.error_spanned_by(&expr, RETRY_AFTER_EXPECTED);
            None
        }
        Err(err) => {
            cx.syn_error(syn::Error::new(err.span(), RETRY_AFTER_EXPECTED));
            None
        }
    }
}

/// The values `retry_after` accepts.
fn is_retry_after(seconds: u32) -> bool {
    (1..=MAX_RETRY_AFTER).contains(&seconds)
}

/// What `retry_after` takes, for a value that is not an integer.
const RETRY_AFTER_EXPECTED: &str =
    "`retry_after` takes seconds as an integer literal, from 1 to 86400, such as `retry_after = 30`";

/// The keys of a list (`db(...)`, `upstream(...)`), each parsed by
/// `parse(key, meta)`: a key it does not know is an error naming `keys`.
/// `None` when the list is missing or malformed (after an error); else
/// whether every key was known.
fn list(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    keys: &[&str],
    example: &str,
    mut parse: impl FnMut(&str, &ParseNestedMeta),
) -> Option<bool> {
    let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
    if !meta.input.peek(syn::token::Paren) {
        let span = if meta.input.is_empty() || meta.input.peek(syn::Token![,]) {
            syn::spanned::Spanned::span(&meta.path)
        } else {
            meta.input.span()
        };
        skip_value(meta);
        cx.error_at(span, format!("`{key}` takes a list: {example}"));
        return None;
    }
    if is_empty_list(meta.input) {
        // `db()`: syn's error would say little; the caller says what is
        // missing.
        let _ = meta.parse_nested_meta(|_| Ok(()));
        return Some(true);
    }
    let mut known = true;
    let result = meta.parse_nested_meta(|inner| {
        match inner.path.get_ident().map(ToString::to_string) {
            Some(name) if keys.contains(&name.as_str()) => parse(&name, &inner),
            name => {
                cx.error_spanned_by(
                    &inner.path,
                    format!(
                        "unknown key `{}` in `{key}(...)`; expected: {}",
                        name.unwrap_or_default(),
                        keys.join(", ")
                    ),
                );
                skip_value(&inner);
                known = false;
            }
        }
        Ok(())
    });
    match result {
        Ok(()) => Some(known),
        Err(err) => {
            cx.syn_error(err);
            None
        }
    }
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

/// A non-empty string in a list (`constraint = "…"`, `service = "…"`), or
/// `None` after an error; a second one is an error on it.
fn list_string(cx: &Ctxt, meta: &ParseNestedMeta, example: &str, slot: &mut Option<Str>, failed: &mut bool) {
    let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
    match string_value(cx, meta, example) {
        Some(Value::Str(str)) if str.value.is_empty() => {
            cx.error_spanned_by(&str, format!("`{key}` must not be empty: {example}"));
            *failed = true;
        }
        Some(Value::Str(str)) if slot.is_some() => {
            cx.error_spanned_by(&str, format!("duplicate `{key}`: {example}"));
        }
        Some(Value::Str(str)) => *slot = Some(str),
        _ => *failed = true,
    }
}

/// `db(constraint = "things_name_key")`; `None` (after an error) otherwise.
fn db(cx: &Ctxt, meta: &ParseNestedMeta) -> Option<Value> {
    let (mut constraint, mut failed) = (None, false);
    let known = list(cx, meta, &[CONSTRAINT], DB_EXAMPLE, |_, inner| {
        list_string(cx, inner, DB_EXAMPLE, &mut constraint, &mut failed);
    })?;
    failed |= !known;
    match constraint {
        Some(constraint) => Some(Value::Db(constraint)),
        None => {
            if !failed {
                cx.error_spanned_by(&meta.path, format!("`db` needs the constraint's name: {DB_EXAMPLE}"));
            }
            None
        }
    }
}

/// `upstream(service = "billing", status = 402)`; `None` (after an error)
/// otherwise.
fn upstream(cx: &Ctxt, meta: &ParseNestedMeta) -> Option<Value> {
    let (mut service, mut upstream_status, mut failed) = (None, None, false);
    let known = list(cx, meta, &[SERVICE, STATUS], UPSTREAM_EXAMPLE, |key, inner| {
        if key == SERVICE {
            list_string(cx, inner, UPSTREAM_EXAMPLE, &mut service, &mut failed);
            return;
        }
        match status(cx, inner) {
            Some(Value::Status(lit, _)) if upstream_status.is_some() => {
                cx.error_spanned_by(lit, format!("duplicate `status`: {UPSTREAM_EXAMPLE}"));
            }
            Some(Value::Status(_, status)) => upstream_status = Some(status),
            _ => failed = true,
        }
    })?;
    failed |= !known;
    match (service, upstream_status) {
        (Some(service), Some(status)) => Some(Value::Upstream(Upstream { service, status })),
        (service, status) => {
            if !failed {
                let missing = match (service, status) {
                    (None, None) => "`service` and `status`",
                    (None, _) => "`service`",
                    _ => "`status`",
                };
                cx.error_spanned_by(&meta.path, format!("`upstream` needs {missing}: {UPSTREAM_EXAMPLE}"));
            }
            None
        }
    }
}

/// The statuses `status` accepts.
fn is_error_status(status: u16) -> bool {
    (400..=599).contains(&status)
}

/// What `status` takes, for a value that is not an integer.
const STATUS_EXPECTED: &str =
    "`status` takes the HTTP status as an integer literal in 400..=599, such as `status = 404`";

/// `key = "string"`; `None` (after an error) otherwise.
fn string_value(cx: &Ctxt, meta: &ParseNestedMeta, example: &str) -> Option<Value> {
    let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
    let expr = match meta.value().and_then(|value| value.parse::<syn::Expr>()) {
        Ok(expr) => expr,
        Err(err) => {
            cx.syn_error(syn::Error::new(
                err.span(),
                format!("expected a string literal for `{key}`: {example}"),
            ));
            return None;
        }
    };
    match expr {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lit), .. }) => Some(Value::Str(Str::new(&lit))),
        other => {
            cx.error_spanned_by(other, format!("expected a string literal for `{key}`: {example}"));
            None
        }
    }
}

/// A literal in the form every valid value has, read from its text alone;
/// other literals (escapes, raw strings, suffixes) go through `syn`.
enum Plain {
    Str(Str),
    Int(Literal, u32),
}

impl Plain {
    fn of(token: Literal) -> Option<Self> {
        let repr = token.to_string();
        if let Some(inner) = repr.strip_prefix('"').and_then(|repr| repr.strip_suffix('"')) {
            // Byte searches (`memchr`, built optimized): a `[char]` pattern
            // runs unoptimized here, and cost a tenth of the derive's time
            // on long messages.
            let bytes = inner.as_bytes();
            if !bytes.contains(&b'\\') && !bytes.contains(&b'"') && !bytes.contains(&b'\r') {
                let value = inner.to_owned();
                return Some(Plain::Str(Str { token, value }));
            }
        } else if !repr.is_empty() && repr.bytes().all(|b| b.is_ascii_digit()) {
            let value = repr.parse().ok()?;
            return Some(Plain::Int(token, value));
        }
        match syn::Lit::new(token) {
            syn::Lit::Str(lit) => Some(Plain::Str(Str::new(&lit))),
            syn::Lit::Int(lit) => int_value(&lit).map(|value| Plain::Int(lit.token(), value)),
            _ => None,
        }
    }
}

/// A key that takes no value. A value is an error, and the key still counts
/// as given so that no follow-up error is reported.
fn flag(cx: &Ctxt, meta: &ParseNestedMeta, example: &str) {
    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
        let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
        let span = meta.input.span();
        skip_value(meta);
        cx.error_at(span, format!("`{key}` takes no value: {example}"));
    }
}

/// Consumes `= value` or `(...)` after a key that is being rejected, so the
/// following keys are still parsed.
fn skip_value(meta: &ParseNestedMeta) {
    if meta.input.peek(syn::Token![=]) {
        let _ = meta.value().and_then(|value| value.parse::<syn::Expr>());
    } else if meta.input.peek(syn::token::Paren) {
        let _ = meta.parse_nested_meta(|inner| {
            skip_value(&inner);
            Ok(())
        });
    }
}

/// What is wrong with an error code, if anything. A code is written as is
/// in bodies, URLs, logs and the lock file: visible ASCII without
/// whitespace, from a small set; the `apierror.` prefix is the library's.
fn code_problem(code: &str) -> Option<String> {
    let allowed = "ASCII letters, digits, `.`, `_`, `-` and `:`";
    if code.is_empty() {
        return Some("error code must not be empty: `code = \"1010\"`".into());
    }
    if code.chars().any(char::is_whitespace) {
        return Some(format!(
            "error code must not contain whitespace; it may hold {allowed}: `code = \"1010\"`"
        ));
    }
    if let Some(bad) = code.chars().find(|c| !c.is_ascii_alphanumeric() && !CODE_PUNCTUATION.contains(c)) {
        return Some(format!(
            "error code {code:?} contains {bad:?}: a code may only hold {allowed} (it is written as is in bodies, logs and the lock file)"
        ));
    }
    // The library derives its own errors with these codes (the package
    // being compiled is the library itself); nobody else may.
    if code.starts_with(RESERVED_PREFIX) && std::env::var("CARGO_PKG_NAME").as_deref() != Ok("apierror") {
        return Some(format!(
            "the `{RESERVED_PREFIX}` prefix is reserved for the library's own codes (`apierror::builtin`); choose a code of your own"
        ));
    }
    None
}

fn status_value(lit: &LitInt) -> Option<u16> {
    int_value(lit).and_then(|value| u16::try_from(value).ok())
}

/// An integer literal's value, when it fits a `u32` and its suffix (if any)
/// is an integer type that holds it.
fn int_value(lit: &LitInt) -> Option<u32> {
    match lit.suffix() {
        "" | "u32" | "u64" | "usize" | "i32" | "i64" => lit.base10_parse::<u32>().ok(),
        "u16" => lit.base10_parse::<u16>().ok().map(u32::from),
        _ => None,
    }
}

/// Where a key that is misplaced belongs.
fn home_of(key: &str) -> Option<&'static str> {
    Some(match key {
        DOCS | FREE_MESSAGES | NO_RESPONSE_IMPL | CRATE => "it goes on the enum or struct",
        STATUS | CODE | MESSAGE | LOG | RETRY_AFTER | DB | UPSTREAM | TRANSPARENT => {
            "it goes on each variant (or on a struct)"
        }
        FIELD => "use `field = \"name\"` on the variant, or `#[api(field)]` on the field that holds the name",
        DETAILS => "it goes on a field: `#[api(details)]`",
        CONSTRAINT => "it goes inside `db(...)`: `db(constraint = \"things_name_key\")`",
        SERVICE => "it goes inside `upstream(...)`: `upstream(service = \"billing\", status = 402)`",
        _ => return None,
    })
}

/// "unknown api attribute `x`; expected one of: …", with a suggestion for
/// near misses, and the key suggested.
fn unknown_key(key: &str, place: Place) -> (String, Option<&'static str>) {
    let keys = place.keys();
    let mut message = format!("unknown api attribute `{key}`; expected one of: {}", keys.join(", "));
    let nearest = keys
        .iter()
        .chain(STRUCT_KEYS)
        .chain(FIELD_KEYS)
        .map(|candidate| (edit_distance(key, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4) && *distance > 0)
        .min();
    let meant = nearest.map(|(_, candidate)| candidate).filter(|candidate| keys.contains(candidate));
    if let Some(candidate) = meant {
        message.push_str(&format!(" (did you mean `{candidate}`?)"));
    }
    (message, meant)
}

/// Optimal string alignment distance: Levenshtein plus adjacent
/// transpositions (`stauts` → `status` is 1).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
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
            attrs.log.get().map(|s| &s.value),
            attrs.docs.get().map(|s| &s.value),
            attrs.transparent.is_some(),
            attrs.free_messages.is_some(),
            attrs.details.is_some(),
            attrs.no_response_impl.is_some(),
            attrs.krate.get().map(|path| path.to_token_stream().to_string()),
        )
    }

    /// The fast path and the general parser agree on every valid shape.
    #[test]
    fn both_parsers_agree() {
        let cases: &[(&str, Place)] = &[
            (
                r#"status = 409, code = "c-1", field = "name", message = "Fine.", log = "warn""#,
                Place::Variant,
            ),
            (r#"status = 404u16, code = "c.2:x_y-z""#, Place::Variant),
            (r#"status = 503, code = "c3", retry_after = 30"#, Place::Variant),
            (r#"status = 429, code = "c4", retry_after = 86400u32, log = "info""#, Place::Struct),
            (r#"transparent"#, Place::Variant),
            (r#"docs = "https://x/{code}", free_messages, no_response_impl, crate = "::errs""#, Place::Enum),
            (r#"details, field"#, Place::Field),
            (
                r#"status = 422, code = "s", crate = "crate::facade::apierror", message = "{a} \"q\".""#,
                Place::Struct,
            ),
        ];
        for (tokens, place) in cases {
            let input: syn::DeriveInput = syn::parse_str(&format!("#[api({tokens})] struct S;")).unwrap();
            let attr = &input.attrs[0];
            let syn::Meta::List(list) = &attr.meta else { panic!("a list") };
            let cx = Ctxt::new();
            let mut fast = Attrs::parse(&cx, &[], *place);
            assert!(fast.parse_simple(&cx, &list.tokens, *place), "{tokens}");
            let mut general = Attrs::parse(&cx, &[], *place);
            attr.parse_nested_meta(|meta| {
                general.parse_key(&cx, &meta, *place);
                Ok(())
            })
            .unwrap();
            cx.check().unwrap();
            assert_eq!(summary(&fast), summary(&general), "{tokens}");
        }
    }

    /// `db(...)` and `upstream(...)` are lists: the general parser reads
    /// them, and the fast path leaves the whole attribute to it.
    #[test]
    fn lists() {
        let input: syn::DeriveInput = syn::parse_str(
            r#"#[api(status = 409, code = "c", db(constraint = "things_name_key"), upstream(service = "billing", status = 402))] struct S;"#,
        )
        .unwrap();
        let cx = Ctxt::new();
        let attrs = Attrs::parse(&cx, &input.attrs, Place::Variant);
        cx.check().unwrap();
        assert_eq!(attrs.db.get().map(|c| c.value.as_str()), Some("things_name_key"));
        let upstream = attrs.upstream.get().expect("upstream");
        assert_eq!((upstream.service.value.as_str(), upstream.status), ("billing", 402));
        let syn::Meta::List(list) = &input.attrs[0].meta else { panic!("a list") };
        let cx = Ctxt::new();
        assert!(!Attrs::parse(&cx, &[], Place::Variant).parse_simple(&cx, &list.tokens, Place::Variant));
        cx.check().unwrap();
    }

    #[test]
    fn near_misses() {
        assert_eq!(edit_distance("stauts", "status"), 1);
        assert_eq!(edit_distance("messag", "message"), 1);
        assert_eq!(edit_distance("code", "code"), 0);
        assert_eq!(edit_distance("kind", "status"), 6);
    }
}
