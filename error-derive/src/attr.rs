//! Parsing of `#[api(...)]`. Each key is parsed into its own slot; a key
//! given twice, a key in the wrong place and an unknown key are all errors
//! on that key, and parsing goes on so every mistake is reported.

use proc_macro2::TokenStream;
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

/// Everything `#[api(...)]` may say in any place; [`Place`] decides which
/// keys were accepted.
pub struct Attrs {
    /// Whether any `#[api]` was present.
    pub present: bool,
    /// Keys that were written, valid or not (and the key a misspelling most
    /// likely meant): a key given with a wrong value is reported once, not
    /// again as missing.
    mentioned: Vec<&'static str>,
    pub docs: Attr<LitStr>,
    pub free_messages: Attr<()>,
    pub status: Attr<u16>,
    pub code: Attr<LitStr>,
    /// `field = "name"` (variant) or the `field` flag (field).
    pub field: Attr<Option<LitStr>>,
    pub message: Attr<LitStr>,
    pub log: Attr<LitStr>,
    pub transparent: Attr<()>,
    pub details: Attr<()>,
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
            transparent: Attr::none(TRANSPARENT),
            details: Attr::none(DETAILS),
        };
        for attr in attrs.iter().filter(|attr| attr.path().is_ident(API)) {
            out.present = true;
            if let syn::Meta::Path(_) = attr.meta {
                cx.error_spanned_by(attr, "expected a list of keys: `#[api(status = 404, code = \"...\")]`");
                continue;
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
        match key {
            DOCS => {
                if let Some(lit) =
                    string_value(cx, meta, "`docs = \"https://docs.example.com/errors/{code}\"`")
                {
                    self.docs.set(cx, path, lit);
                }
            }
            STATUS => match meta
                .value()
                .and_then(|value| lone_literal(value).map_or_else(|| value.parse::<syn::Expr>(), Ok))
            {
                Ok(expr) => {
                    if let Some(status) = status_literal(&expr) {
                        self.status.set(cx, &expr, status);
                    } else {
                        cx.error_spanned_by(
                            &expr,
                            "expected an integer literal in 400..=599: `status = 404`",
                        );
                    }
                }
                Err(err) => cx.syn_error(syn::Error::new(
                    err.span(),
                    "expected an integer literal in 400..=599: `status = 404`",
                )),
            },
            CODE => {
                if let Some(lit) = string_value(cx, meta, "`code = \"1010\"`") {
                    let value = lit.value();
                    if value.is_empty() {
                        cx.error_spanned_by(&lit, "error code must not be empty: `code = \"1010\"`");
                    } else if value.chars().any(char::is_whitespace) {
                        cx.error_spanned_by(
                            &lit,
                            "error code must not contain whitespace: `code = \"1010\"`",
                        );
                    } else {
                        self.code.set(cx, &lit, lit.clone());
                    }
                }
            }
            FIELD if place == Place::Field => {
                flag(cx, meta, "`#[api(field)]` on the field whose value names the request field");
                self.field.set(cx, path, None);
            }
            FIELD => {
                if let Some(lit) = string_value(cx, meta, "`field = \"name\"`") {
                    if lit.value().is_empty() {
                        cx.error_spanned_by(&lit, "field name must not be empty: `field = \"name\"`");
                    } else {
                        self.field.set(cx, &lit, Some(lit.clone()));
                    }
                }
            }
            MESSAGE => {
                if let Some(lit) =
                    string_value(cx, meta, "`message = \"There is already a column with the same name.\"`")
                {
                    self.message.set(cx, &lit, lit.clone());
                }
            }
            LOG => {
                if let Some(lit) = string_value(cx, meta, "`log = \"warn\"`") {
                    if LOG_LEVELS.contains(&lit.value().as_str()) {
                        self.log.set(cx, &lit, lit.clone());
                    } else {
                        cx.error_spanned_by(
                            &lit,
                            format!(
                                "unknown log level {:?}; expected one of: {}",
                                lit.value(),
                                LOG_LEVELS.join(", ")
                            ),
                        );
                    }
                }
            }
            TRANSPARENT => {
                flag(cx, meta, "`#[api(transparent)]`");
                self.transparent.set(cx, path, ());
            }
            FREE_MESSAGES => {
                flag(cx, meta, "`#[api(free_messages)]`");
                self.free_messages.set(cx, path, ());
            }
            DETAILS => {
                flag(cx, meta, "`#[api(details)]`");
                self.details.set(cx, path, ());
            }
            _ => unreachable!("every key of Place::keys is handled"),
        }
    }
}

/// `key = "string"`; `None` (after an error) otherwise.
fn string_value(cx: &Ctxt, meta: &ParseNestedMeta, example: &str) -> Option<LitStr> {
    let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
    let expr = match meta
        .value()
        .and_then(|value| lone_literal(value).map_or_else(|| value.parse::<syn::Expr>(), Ok))
    {
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
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lit), .. }) => Some(lit),
        other => {
            cx.error_spanned_by(other, format!("expected a string literal for `{key}`: {example}"));
            None
        }
    }
}

/// The value when it is a lone literal followed by `,` or the end (every
/// valid value), parsed without the cost of parsing an expression; `None`
/// otherwise, and nothing consumed.
fn lone_literal(value: syn::parse::ParseStream) -> Option<syn::Expr> {
    let (_, rest) = value.cursor().literal()?;
    if !rest.eof() && rest.punct().is_none_or(|(punct, _)| punct.as_char() != ',') {
        return None;
    }
    value.parse::<syn::Lit>().ok().map(|lit| syn::Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit }))
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

/// The status if `expr` is an integer literal in 400..=599.
fn status_literal(expr: &syn::Expr) -> Option<u16> {
    let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(lit), .. }) = expr else { return None };
    status_value(lit).filter(|status| (400..=599).contains(status))
}

fn status_value(lit: &LitInt) -> Option<u16> {
    match lit.suffix() {
        "" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64" => lit.base10_parse::<u16>().ok(),
        _ => None,
    }
}

/// Where a key that is misplaced belongs.
fn home_of(key: &str) -> Option<&'static str> {
    Some(match key {
        DOCS | FREE_MESSAGES => "it goes on the enum or struct",
        STATUS | CODE | MESSAGE | LOG | TRANSPARENT => "it goes on each variant (or on a struct)",
        FIELD => "use `field = \"name\"` on the variant, or `#[api(field)]` on the field that holds the name",
        DETAILS => "it goes on a field: `#[api(details)]`",
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
    use super::edit_distance;

    #[test]
    fn near_misses() {
        assert_eq!(edit_distance("stauts", "status"), 1);
        assert_eq!(edit_distance("messag", "message"), 1);
        assert_eq!(edit_distance("code", "code"), 0);
        assert_eq!(edit_distance("kind", "status"), 6);
    }
}
