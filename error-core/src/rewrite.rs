//! The rewrite policy of the framework integrations, in one place: which
//! error responses [`axum::layer()`](crate::axum::layer) and
//! [`actix::middleware()`](crate::actix::middleware) replace, with what, and
//! which headers survive. `axum.rs` and `actix.rs` only adapt their
//! framework's response types to the decisions made here.
//!
//! # Which responses are replaced
//!
//! A response is left alone when its status is not 4xx or 5xx, or when its
//! body is already a common body the layer trusts. A body is known to be
//! such a body when:
//!
//! - the library rendered it as the framework's response (the adapters mark
//!   those with [`CommonBody`], an extension, so recognising them costs
//!   nothing), or
//! - it *is* the common body, however it was produced, and could have been
//!   rendered by this program: a handler that returns
//!   `err.to_response_with(&config)` mapped into the framework's body type,
//!   a hand-written `ResponseError`. Such a body carries no marker
//!   (rendering adds nothing to the `http::Response` it returns: the render
//!   path stays allocation-free beyond the body), so it is recognised by
//!   its shape and its codes.
//!
//! Recognition never buffers an arbitrary body. Only an error response
//! without a `Content-Encoding` other than `identity`, whose body announces
//! a length of at most [`INSPECT_LIMIT`] bytes, is read; every other
//! unmarked error response is replaced without reading its body. A body
//! read that is not declared `application/json` (or `application/…+json`)
//! is replaced too: it is read only so that the replacement's log event
//! says what it said (a framework's own rejection, such as axum's `Json`
//! extractor's "Failed to deserialize the JSON body…"). A JSON body read
//! is kept when it is in the configured [`Format`]: for [`Format::Array`], a non-empty
//! JSON array of objects each with exactly `message` (a string),
//! `error_code` (a non-empty string), `field` (a string or `null`) and
//! `details` (an object or `null`), plus development's `debug` (an object);
//! for [`Format::Problem`], one object with those members but `detail` for
//! `message`, plus `type` and `title` (strings), `status` (an integer in
//! 400..=599), and optionally `instance` (a string) and `errors` (a
//! non-empty array of such objects with `detail`). It passes byte for byte,
//! with its status and headers, only if the layer trusts it ([`check`]):
//! every `error_code` in it (each element of the array; a problem's own
//! and those of its `errors`) is in the [registry](crate::registry), and,
//! unless the configuration is development, no object in it has a `debug`
//! member. Anything else is replaced, a body in the other format too:
//! clients see one format.
//!
//! A body kept this way is the application's answer: the layer does not
//! log it again (rendering logged it, if the library rendered it). A body
//! forwarded from elsewhere (an upstream service's error, with its own
//! codes, its text and its `debug`) is not kept: it is replaced, and the
//! replacement's one log event carries it (see below).
//!
//! # The replacement
//!
//! The built-in error for the status ([`Kind::for_status`]; [`Internal`]
//! for a bare 500), answered with the original status (a 418 stays 418, a
//! 502 stays 502). It is rendered, and so logged, like any error: its one
//! log event has `error.status` equal to the status answered and, unless
//! the entry sets a level, the default level of that status. When the
//! body replaced was read, that event's `error.chain` says why it was
//! replaced and what it said (its first [`LOGGED_LIMIT`] bytes, escaped as
//! all foreign text is: [`Foreign`]); the client sees none of it.
//!
//! [`Kind::for_status`]: crate::builtin::Kind::for_status
//!
//! # The headers of a replaced response
//!
//! The replacement keeps the original's status and headers, except those
//! that described the body it replaces ([`keeps_header`]):
//!
//! - framing, replaced by the new body's: `Content-Type`, `Content-Length`,
//!   `Transfer-Encoding`, `Trailer`;
//! - representation metadata (RFC 9110 §8): `Content-Encoding`,
//!   `Content-Language`, `Content-Location`, `Content-Disposition` (a file
//!   name for the old body), and the digests `Content-MD5`,
//!   `Content-Digest`, `Repr-Digest`, `Digest`;
//! - validators (RFC 9110 §8.8): `ETag`, `Last-Modified`; a client
//!   revalidating with them would be told the new body is the old one;
//! - `Content-Range`, except on a 416, where it gives the resource's length
//!   (`bytes */1234`), not the body's.
//!
//! Everything else is kept, in particular what still holds for the new
//! body: `Allow`, `Retry-After`, `WWW-Authenticate`,
//! `Proxy-Authenticate`, `Vary`, `Cache-Control` and `Expires` (how long
//! the response may be cached, not what it contains; `Expires` goes with
//! `Cache-Control`), `Set-Cookie`, `Location`, the CORS headers and the
//! application's own.

use serde_json::Value;

use crate::builtin::{BuiltinError, Internal};
use crate::registry::Entry;
use crate::request_id::Scope;
use crate::{ApiError, ApiErrorExt, Config, Format};

/// Marks a framework response whose body the library rendered, so that the
/// layer or middleware leaves it alone without reading it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CommonBody;

/// The largest body read to recognise the common body, in bytes.
pub(crate) const INSPECT_LIMIT: usize = 64 * 1024;

/// Whether a response passes as it is, without a look at its headers or
/// body: it is not an error status (the only ones the policy touches), or
/// it carries [`CommonBody`]. The adapters ask this first, so that a
/// success costs one comparison.
pub(crate) fn passes(status: u16, marked: bool) -> bool {
    !crate::message::is_error_status(status) || marked
}

/// What to do with an unmarked error response, decided before its body is
/// read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Read the body (at most [`INSPECT_LIMIT`] bytes) and keep it if
    /// [`is_common_body`], else replace it.
    Inspect,
    /// Replace it without reading the body.
    Replace,
}

/// The facts of an unmarked error response the verdict depends on.
pub(crate) struct Head<'a> {
    /// Its `Content-Encoding`.
    pub(crate) content_encoding: Option<&'a [u8]>,
    /// The most bytes its body announces, if it announces a bound.
    pub(crate) body_len: Option<u64>,
}

/// What to do with the unmarked error response described by `head`: read
/// its body when it is bounded and small and not encoded, whatever its
/// type (a JSON body may be kept; any other is read only so that the log
/// event of its replacement says what it said: a framework's rejection
/// text); else replace it unread.
pub(crate) fn verdict(head: &Head<'_>) -> Verdict {
    let identity =
        head.content_encoding.is_none_or(|value| value.trim_ascii().eq_ignore_ascii_case(b"identity"));
    let small = head.body_len.is_some_and(|len| len <= INSPECT_LIMIT as u64);
    if identity && small {
        Verdict::Inspect
    } else {
        Verdict::Replace
    }
}

/// Whether a response's `Content-Type` declares JSON (`application/json`
/// or `application/…+json`), the only bodies the layer may keep.
pub(crate) fn is_json(content_type: Option<&[u8]>) -> bool {
    content_type.is_some_and(crate::extract::is_json_content_type)
}

/// Why a body the layer read is not kept: the start of what the log event
/// of its replacement says (see [`Foreign`]).
pub(crate) type Reason = &'static str;

/// The body is not declared JSON (a framework's text rejection, an HTML
/// page): never kept, read only for the log.
pub(crate) const NOT_JSON: Reason = "not declared JSON";
/// The body is not in the configured format's shape.
pub(crate) const NOT_THE_SHAPE: Reason = "not in the common body";
/// An `error_code` of the body is not in the registry.
pub(crate) const UNREGISTERED: Reason = "an error_code of the body is not registered";
/// The body has a `debug` member, and the configuration is not development.
pub(crate) const DEBUG_IN_PRODUCTION: Reason = "the body has a `debug` member in production";

/// Whether the layer keeps `body`, an unmarked error response's body (see
/// the [module docs](self)): it is in the configured format's shape (the
/// array body for [`Format::Array`], a problem for [`Format::Problem`]; a
/// body in the other format is not, so that clients see one format), every
/// `error_code` in it is registered ([`crate::registry::find`]), and, unless
/// `config` is development, no object in it has a `debug` member. Else why
/// it is replaced. A body not `declared_json` is never kept.
pub(crate) fn check(body: &[u8], declared_json: bool, config: &Config) -> Result<(), Reason> {
    if !declared_json {
        return Err(NOT_JSON);
    }
    let Ok(value) = serde_json::from_slice::<Value>(body) else { return Err(NOT_THE_SHAPE) };
    if !is_common_shape(&value, config.format()) {
        return Err(NOT_THE_SHAPE);
    }
    // The shape is checked: every object below has a string `error_code`.
    let objects: Vec<&Value> = match &value {
        Value::Array(objects) => objects.iter().collect(),
        problem => std::iter::once(problem)
            .chain(problem.get("errors").and_then(Value::as_array).into_iter().flatten())
            .collect(),
    };
    for object in objects {
        if object.get("error_code").and_then(Value::as_str).and_then(crate::registry::find).is_none() {
            return Err(UNREGISTERED);
        }
        if !config.is_development() && object.get("debug").is_some() {
            return Err(DEBUG_IN_PRODUCTION);
        }
    }
    Ok(())
}

/// Whether `value` is in the shape of `format` (see the [module
/// docs](self)), whatever its codes.
fn is_common_shape(value: &Value, format: Format) -> bool {
    match (format, value) {
        (Format::Array, Value::Array(objects)) => {
            !objects.is_empty() && objects.iter().all(|object| fits(object, "message", &[]))
        }
        (Format::Problem, object @ Value::Object(_)) => {
            let errors = |value: &Value| match value {
                Value::Array(members) => {
                    !members.is_empty() && members.iter().all(|member| fits(member, "detail", &[]))
                }
                _ => false,
            };
            let status = |value: &Value| {
                value
                    .as_u64()
                    .and_then(|status| u16::try_from(status).ok())
                    .is_some_and(crate::message::is_error_status)
            };
            fits(
                object,
                "detail",
                &[
                    ("type", true, &Value::is_string),
                    ("title", true, &Value::is_string),
                    ("status", true, &status),
                    ("instance", false, &Value::is_string),
                    ("errors", false, &errors),
                ],
            )
        }
        _ => false,
    }
}

/// A member a problem has besides those of an error object: its name,
/// whether it is required, and what its value must be.
type Extra<'a> = (&'static str, bool, &'a dyn Fn(&Value) -> bool);

/// Whether `object` is one error object whose message is named `message`
/// (`message` in the array, `detail` in a problem): exactly that message
/// (a string), `error_code` (a non-empty string), `field` (a string or
/// `null`) and `details` (an object or `null`), development's `debug` (an
/// object), and the `extra` members.
fn fits(object: &Value, message: &str, extra: &[Extra<'_>]) -> bool {
    let Value::Object(object) = object else { return false };
    let common = [
        (message, true, &Value::is_string as &dyn Fn(&Value) -> bool),
        ("error_code", true, &|v: &Value| v.as_str().is_some_and(|code| !code.is_empty())),
        ("field", true, &|v: &Value| v.is_string() || v.is_null()),
        ("details", true, &|v: &Value| v.is_object() || v.is_null()),
        ("debug", false, &Value::is_object),
    ];
    let mut known = 0;
    for (name, required, valid) in common.iter().chain(extra) {
        match object.get(*name) {
            Some(value) if valid(value) => known += 1,
            Some(_) => return false,
            None if *required => return false,
            None => {}
        }
    }
    known == object.len()
}

/// The most bytes of a replaced body its log event carries.
pub(crate) const LOGGED_LIMIT: usize = 1024;

/// A body the layer read and replaced, as the source of its replacement:
/// why it was replaced and (at most [`LOGGED_LIMIT`] bytes of) what it
/// said, so that the replacement's one log event carries both in its
/// `error.chain`, escaped as every foreign text ([`crate::log::Text`]).
/// Development's `debug.sources` shows it too; production never does.
#[derive(Debug)]
pub(crate) struct Foreign {
    reason: Reason,
    /// The body's first bytes, as text (invalid UTF-8 replaced).
    text: String,
    /// The body's length, in bytes.
    len: usize,
}

impl Foreign {
    /// `body`, replaced for `reason`; `None` for an empty body (nothing to
    /// log).
    pub(crate) fn new(reason: Reason, body: &[u8]) -> Option<Self> {
        if body.is_empty() {
            return None;
        }
        let kept = &body[..body.len().min(LOGGED_LIMIT)];
        let text = match std::str::from_utf8(kept) {
            Ok(text) => text.to_owned(),
            // Cut inside a character: keep the characters before it.
            Err(error) if error.error_len().is_none() => {
                String::from_utf8_lossy(&kept[..error.valid_up_to()]).into_owned()
            }
            Err(_) => String::from_utf8_lossy(kept).into_owned(),
        };
        Some(Self { reason, text, len: body.len() })
    }
}

impl std::fmt::Display for Foreign {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the response's body was replaced ({}; {} bytes): {}", self.reason, self.len, self.text)?;
        if self.len > LOGGED_LIMIT {
            f.write_str("[…]")?;
        }
        Ok(())
    }
}

impl std::error::Error for Foreign {}

/// [`Internal`], caused by a replaced body.
#[derive(Debug)]
struct InternalFrom(Foreign);

impl std::fmt::Display for InternalFrom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&Internal, f)
    }
}

impl std::error::Error for InternalFrom {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl ApiError for InternalFrom {
    fn entry(&self) -> &'static Entry {
        Internal.entry()
    }
}

/// The common-body response that replaces an error response of `status`
/// whose headers were `original`: the built-in error for the status,
/// answered with that status, caused by the `foreign` body it replaces if
/// it was read, rendered (and logged) with the configuration of the
/// current request's scope; with the `original` headers the policy keeps
/// ([`keeps_header`]) that the rendering did not set.
pub(crate) fn replacement(
    status: http::StatusCode,
    foreign: Option<Foreign>,
    original: &http::HeaderMap,
) -> http::Response<Vec<u8>> {
    let mut replacement = match (status == http::StatusCode::INTERNAL_SERVER_ERROR, foreign) {
        (true, None) => Internal.to_response(),
        (true, Some(foreign)) => InternalFrom(foreign).to_response(),
        (false, None) => BuiltinError::for_status(status).to_response(),
        (false, Some(foreign)) => BuiltinError::for_status(status).with_source(foreign).to_response(),
    };
    let headers = replacement.headers_mut();
    for name in original.keys() {
        if !keeps_header(name.as_str(), status.as_u16()) || headers.contains_key(name) {
            continue;
        }
        for value in original.get_all(name) {
            headers.append(name.clone(), value.clone());
        }
    }
    replacement
}

/// The header that carries the request's id on a response of `status`
/// answered in `scope`: every error response carries it, a success unless
/// [`Config::request_id_on_success`] is off
/// ([`crate::correlation::carries_id`]).
#[inline]
pub(crate) fn id_header(status: u16, scope: &Scope) -> Option<(&http::HeaderName, &http::HeaderValue)> {
    let id = scope.id.as_ref()?;
    let config = scope.config();
    crate::correlation::carries_id(status, config).then(|| (config.request_id_header(), id.header_value()))
}

/// Whether a replaced response of `status` keeps its header `name`
/// (lowercase, as both frameworks' `HeaderName::as_str` give it): see the
/// [module docs](self).
pub(crate) fn keeps_header(name: &str, status: u16) -> bool {
    match name {
        "content-type"
        | "content-length"
        | "transfer-encoding"
        | "trailer"
        | "content-encoding"
        | "content-language"
        | "content-location"
        | "content-disposition"
        | "content-md5"
        | "content-digest"
        | "repr-digest"
        | "digest"
        | "etag"
        | "last-modified" => false,
        "content-range" => status == 416,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(body_len: Option<u64>) -> Head<'static> {
        Head { content_encoding: None, body_len }
    }

    #[test]
    fn verdicts() {
        assert!(passes(200, false) && passes(304, false) && passes(404, true));
        assert!(!passes(404, false) && !passes(599, false));
        // Any small body is read, whatever its type: a JSON one may be kept;
        // any other (text/plain, untyped) only for the log of its
        // replacement (issue 18 item 16): `check` never keeps it.
        assert_eq!(verdict(&head(Some(10))), Verdict::Inspect);
        assert!(
            is_json(Some(b"application/problem+json")) && !is_json(Some(b"text/plain")) && !is_json(None)
        );
        let shaped = r#"[{"message":"M.","error_code":"apierror.not_found","field":null,"details":null}]"#;
        assert_eq!(check(shaped.as_bytes(), true, &Config::production()), Ok(()));
        assert_eq!(check(shaped.as_bytes(), false, &Config::production()), Err(NOT_JSON));
        // An unbounded or large body is never read.
        assert_eq!(verdict(&head(None)), Verdict::Replace);
        let limit = INSPECT_LIMIT as u64;
        assert_eq!(verdict(&head(Some(limit))), Verdict::Inspect);
        assert_eq!(verdict(&head(Some(limit + 1))), Verdict::Replace);
        let gzip = Head { content_encoding: Some(b"gzip"), ..head(Some(10)) };
        assert_eq!(verdict(&gzip), Verdict::Replace);
    }

    /// What the layer decides for `body` under production or development
    /// in `format`.
    fn kept(body: &str, format: Format, development: bool) -> Result<(), Reason> {
        let config = if development { Config::development() } else { Config::production() };
        check(body.as_bytes(), true, &config.with_format(format))
    }

    /// Registered codes, for the bodies that are kept.
    fn registered(body: &str) -> String {
        body.replace(r#""error_code":"c""#, r#""error_code":"apierror.not_found""#)
            .replace(r#""error_code":"d""#, r#""error_code":"apierror.bad_request""#)
            .replace(r#""error_code":"e""#, r#""error_code":"apierror.forbidden""#)
    }

    #[test]
    fn the_common_body_is_recognised_and_nothing_else() {
        let one = r#"[{"message":"M.","error_code":"c","field":"f","details":null}]"#;
        let dev =
            r#"[{"message":"M.","error_code":"c","field":null,"details":{"a":1},"debug":{"type":"T"}}]"#;
        let two = r#"[{"message":"M.","error_code":"c","field":null,"details":null},
                      {"message":"N.","error_code":"d","field":"x","details":{}}]"#;
        for yes in [one, dev, two] {
            let yes = registered(yes);
            assert_eq!(kept(&yes, Format::Array, true), Ok(()), "{yes}");
            assert_eq!(kept(&yes, Format::Problem, true), Err(NOT_THE_SHAPE), "{yes}");
            assert_eq!(kept(&yes, Format::Problem, false), Err(NOT_THE_SHAPE), "{yes}");
        }
        assert_eq!(kept(&registered(one), Format::Array, false), Ok(()));
        assert_eq!(kept(&registered(two), Format::Array, false), Ok(()));
        // Trusted only if every code is registered and, in production,
        // without `debug` (issue 18 item 4): `"c"` and `"d"` are no codes of
        // this program.
        for shaped in [one, dev, two] {
            assert_eq!(kept(shaped, Format::Array, true), Err(UNREGISTERED), "{shaped}");
            assert_eq!(kept(shaped, Format::Array, false), Err(UNREGISTERED), "{shaped}");
        }
        let half = r#"[{"message":"M.","error_code":"apierror.not_found","field":null,"details":null},
                       {"message":"N.","error_code":"d","field":null,"details":null}]"#;
        assert_eq!(kept(half, Format::Array, false), Err(UNREGISTERED));
        assert_eq!(kept(&registered(dev), Format::Array, false), Err(DEBUG_IN_PRODUCTION));
        for no in [
            "",
            "[]",
            "{}",
            "not json",
            r#"{"message":"M.","error_code":"c","field":null,"details":null}"#,
            r#"[{"message":"M.","error_code":"c","field":null}]"#,
            r#"[{"message":"M.","error_code":"","field":null,"details":null}]"#,
            r#"[{"message":1,"error_code":"c","field":null,"details":null}]"#,
            r#"[{"message":"M.","error_code":"c","field":3,"details":null}]"#,
            r#"[{"message":"M.","error_code":"c","field":null,"details":[]}]"#,
            r#"[{"message":"M.","error_code":"c","field":null,"details":null,"extra":1}]"#,
            r#"[{"message":"M.","error_code":"c","field":null,"details":null,"debug":"x"}]"#,
            r#"[{"message":"M.","error_code":"c","field":null,"details":null}, 1]"#,
            r#"[{"message":"M.","error_code":"c","field":null,"details":null}] trailing"#,
        ] {
            let no = registered(no);
            assert_eq!(kept(&no, Format::Array, true), Err(NOT_THE_SHAPE), "{no}");
            assert_eq!(kept(&no, Format::Array, false), Err(NOT_THE_SHAPE), "{no}");
        }
    }

    #[test]
    fn a_problem_is_recognised_when_problems_are_configured() {
        let one = r#"{"type":"about:blank","title":"Not Found","status":404,"detail":"M.","error_code":"c","field":null,"details":null}"#;
        let id = r#"{"type":"https://e.x/c","title":"T","status":503,"detail":"M.","instance":"urn:request:r-1","error_code":"c","field":"f","details":{"request_id":"r-1"}}"#;
        let dev = r#"{"type":"about:blank","title":"T","status":400,"detail":"M.","error_code":"c","field":null,"details":null,"debug":{"type":"T"}}"#;
        let several = r#"{"type":"about:blank","title":"Bad Request","status":400,"detail":"M.","error_code":"apierror.bad_request","field":null,"details":null,
            "errors":[{"detail":"N.","error_code":"d","field":"x","details":{}},{"detail":"O.","error_code":"e","field":null,"details":null,"debug":{}}]}"#;
        for yes in [one, id, dev, several] {
            let yes = registered(yes);
            assert_eq!(kept(&yes, Format::Problem, true), Ok(()), "{yes}");
            assert_eq!(kept(&yes, Format::Array, true), Err(NOT_THE_SHAPE), "{yes}");
        }
        assert_eq!(kept(&registered(one), Format::Problem, false), Ok(()));
        assert_eq!(kept(&registered(id), Format::Problem, false), Ok(()));
        // Every code counts, the top level's and those in `errors`; a
        // `debug` anywhere is refused in production.
        for shaped in [one, id, dev, several] {
            assert_eq!(kept(shaped, Format::Problem, true), Err(UNREGISTERED), "{shaped}");
        }
        assert_eq!(kept(&registered(dev), Format::Problem, false), Err(DEBUG_IN_PRODUCTION));
        assert_eq!(kept(&registered(several), Format::Problem, false), Err(DEBUG_IN_PRODUCTION));
        let no_debug = registered(several).replace(r#","debug":{}"#, "");
        assert_eq!(kept(&no_debug, Format::Problem, false), Ok(()));
        let base = r#""type":"about:blank","title":"T","status":400,"detail":"M.","error_code":"c","field":null,"details":null"#;
        for no in [
            "{}".to_owned(),
            "[]".to_owned(),
            r#"[{"message":"M.","error_code":"c","field":"f","details":null}]"#.to_owned(),
            // A problem of another library: no `error_code`.
            r#"{"type":"about:blank","title":"T","status":400,"detail":"M."}"#.to_owned(),
            base.replace(r#""type":"about:blank","#, ""),
            base.replace(r#""title":"T","#, ""),
            base.replace(r#""detail":"M.","#, ""),
            base.replace("400", "200"),
            base.replace("400", "\"400\""),
            base.replace("400", "400.5"),
            base.replace("400", "66000"),
            base.replace(r#""error_code":"c""#, r#""error_code":"""#),
            format!("{{{base},\"instance\":3}}"),
            format!("{{{base},\"errors\":[]}}"),
            format!("{{{base},\"errors\":[{{\"message\":\"M.\",\"error_code\":\"c\",\"field\":null,\"details\":null}}]}}"),
            format!("{{{base},\"extra\":1}}"),
            format!("{{{base}}} trailing"),
        ] {
            let body = registered(&if no.starts_with('"') { format!("{{{no}}}") } else { no });
            assert_eq!(kept(&body, Format::Problem, true), Err(NOT_THE_SHAPE), "{body}");
        }
        assert_eq!(kept(&registered(&format!("{{{base}}}")), Format::Problem, false), Ok(()));
    }

    #[test]
    fn a_replaced_body_is_kept_for_the_log_bounded() {
        assert!(Foreign::new(NOT_THE_SHAPE, b"").is_none());
        let short = Foreign::new(UNREGISTERED, b"[{\"a\":1}]").unwrap().to_string();
        assert_eq!(
            short,
            "the response's body was replaced (an error_code of the body is not registered; 9 bytes): [{\"a\":1}]"
        );
        // Over the limit: cut, on a character boundary, with a mark.
        let long = "é".repeat(LOGGED_LIMIT);
        let cut = Foreign::new(NOT_THE_SHAPE, long.as_bytes()).unwrap().to_string();
        assert!(cut.ends_with("é[…]"), "{cut}");
        assert!(cut.contains(&format!("{} bytes", 2 * LOGGED_LIMIT)), "{cut}");
        assert!(cut.len() < LOGGED_LIMIT + 100, "{}", cut.len());
        assert!(!cut.contains('\u{fffd}'));
    }

    #[test]
    fn representation_headers_are_dropped_the_others_kept() {
        for dropped in [
            "content-type",
            "content-length",
            "content-encoding",
            "content-language",
            "content-location",
            "content-disposition",
            "etag",
            "last-modified",
            "content-md5",
            "trailer",
        ] {
            assert!(!keeps_header(dropped, 503), "{dropped}");
        }
        for kept in [
            "allow",
            "retry-after",
            "www-authenticate",
            "vary",
            "cache-control",
            "expires",
            "set-cookie",
            "access-control-allow-origin",
            "x-custom",
        ] {
            assert!(keeps_header(kept, 503), "{kept}");
        }
        assert!(!keeps_header("content-range", 503));
        assert!(keeps_header("content-range", 416));
    }
}
