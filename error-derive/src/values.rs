//! Reading one key's value, checked for the kind the key takes (`keys::Takes`)
//! before the key's own rules; every mistake is an error on its tokens.

use proc_macro2::Literal;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::LitInt;

use crate::attr::{Str, Value};
use crate::ctxt::Ctxt;
use crate::keys::{CODE_PUNCTUATION, MAX_RETRY_AFTER, RESERVED_PREFIX};

/// The statuses `status` accepts.
fn is_error_status(status: u16) -> bool {
    (400..=599).contains(&status)
}

/// What `status` takes, for a value that is not an integer.
const STATUS_EXPECTED: &str =
    "`status` takes the HTTP status as an integer literal in 400..=599, such as `status = 404`";

/// The value after `key =`: every valid value is one literal, read from
/// its token (an expression parser would cost a proc macro built
/// unoptimized far more; see `benches/README.md`); anything else is parsed
/// as an expression, for the error about it.
enum Read {
    Token(Literal),
    Expr(syn::Expr),
}

impl Read {
    fn of(meta: &ParseNestedMeta) -> syn::Result<Self> {
        let value = meta.value()?;
        let token = value.step(|cursor| {
            if let Some((literal, rest)) = cursor.literal() {
                if rest.eof() || rest.punct().is_some_and(|(punct, _)| punct.as_char() == ',') {
                    return Ok((Some(literal), rest));
                }
            }
            Ok((None, *cursor))
        })?;
        match token {
            Some(token) => Ok(Read::Token(token)),
            None => value.parse().map(Read::Expr),
        }
    }

    /// The literal, or the tokens of the expression that is not one.
    fn lit(self) -> Result<syn::Lit, proc_macro2::TokenStream> {
        match self {
            Read::Token(token) => Ok(syn::Lit::new(token)),
            Read::Expr(syn::Expr::Lit(syn::ExprLit { lit, .. })) => Ok(lit),
            Read::Expr(other) => Err(other.into_token_stream()),
        }
    }
}

/// The key's integer literal; `None` after reporting `expected` on any
/// other value.
fn integer(cx: &Ctxt, meta: &ParseNestedMeta, expected: &str) -> Option<LitInt> {
    let other = match Read::of(meta) {
        Ok(read) => match read.lit() {
            Ok(syn::Lit::Int(lit)) => return Some(lit),
            Ok(other) => other.into_token_stream(),
            Err(other) => other,
        },
        Err(err) => {
            cx.syn_error(syn::Error::new(err.span(), expected));
            return None;
        }
    };
    cx.error_spanned_by(other, expected);
    None
}

/// `status = 404`; `None` (after an error) otherwise.
pub fn status(cx: &Ctxt, meta: &ParseNestedMeta) -> Option<Value> {
    let lit = integer(cx, meta, STATUS_EXPECTED)?;
    match status_value(&lit) {
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
    }
}

/// `retry_after = 30`; `None` (after an error) otherwise.
pub fn seconds(cx: &Ctxt, meta: &ParseNestedMeta) -> Option<Value> {
    let lit = integer(cx, meta, RETRY_AFTER_EXPECTED)?;
    match int_value(&lit) {
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
    }
}

/// The values `retry_after` accepts.
fn is_retry_after(seconds: u32) -> bool {
    (1..=MAX_RETRY_AFTER).contains(&seconds)
}

/// What `retry_after` takes, for a value that is not an integer.
const RETRY_AFTER_EXPECTED: &str =
    "`retry_after` takes seconds as an integer literal, from 1 to 86400, such as `retry_after = 30`";

/// `key = "string"`; `None` (after an error) otherwise.
pub fn string_value(cx: &Ctxt, meta: &ParseNestedMeta, example: &str) -> Option<Value> {
    let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
    let read = match Read::of(meta) {
        Ok(read) => read,
        Err(err) => {
            cx.syn_error(syn::Error::new(
                err.span(),
                format!("expected a string literal for `{key}`: {example}"),
            ));
            return None;
        }
    };
    if let Read::Token(token) = &read {
        if let Some(value) = plain_string(token) {
            return Some(Value::Str(Str { token: token.clone(), value }));
        }
    }
    match read.lit() {
        Ok(syn::Lit::Str(lit)) => Some(Value::Str(Str::new(&lit))),
        Ok(other) => {
            cx.error_spanned_by(other, format!("expected a string literal for `{key}`: {example}"));
            None
        }
        Err(other) => {
            cx.error_spanned_by(other, format!("expected a string literal for `{key}`: {example}"));
            None
        }
    }
}

/// The value of a string literal written without escapes, raw quotes or
/// suffix (every usual one), from its text alone; `None` for any other
/// literal, which `syn` reads. Byte searches (`memchr`, built optimized): a
/// `[char]` pattern runs unoptimized in a proc macro.
fn plain_string(token: &Literal) -> Option<String> {
    let repr = token.to_string();
    let inner = repr.strip_prefix('"')?.strip_suffix('"')?;
    let bytes = inner.as_bytes();
    let plain = !bytes.contains(&b'\\') && !bytes.contains(&b'"') && !bytes.contains(&b'\r');
    plain.then(|| inner.to_owned())
}

/// A key that takes no value. A value is an error, and the key still counts
/// as given so that no follow-up error is reported.
pub fn flag(cx: &Ctxt, meta: &ParseNestedMeta, example: &str) {
    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
        let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
        let span = meta.input.span();
        skip_value(meta);
        cx.error_at(span, format!("`{key}` takes no value: {example}"));
    }
}

/// Consumes `= value` or `(...)` after a key that is being rejected, so the
/// following keys are still parsed.
pub fn skip_value(meta: &ParseNestedMeta) {
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
pub fn code_problem(code: &str) -> Option<String> {
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
