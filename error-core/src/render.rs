//! Rendering: errors → the common body, written straight into one buffer.

use std::panic::{catch_unwind, AssertUnwindSafe};

use serde::Serialize;

use crate::registry::Entry;
use crate::{json, log, text, ApiError, Config, Format, RequestId};

/// The `details` member of one error object, written in place.
///
/// [`ApiError::write_details`] receives one and calls
/// [`member`](Self::member) for each detail; the derive does this for every
/// `#[api(details)]` field. If a value fails to serialize, the whole
/// `details` member becomes `null` (the rest of the body is unaffected) and
/// the failure is logged.
///
/// ```
/// use apierror::{ApiError, ApiErrorExt, Config, Details};
///
/// #[derive(Debug, thiserror::Error, ApiError)]
/// #[error("bad type")]
/// #[api(status = 400, code = "details-doc-1")]
/// struct BadType {
///     #[api(details)]
///     available: Vec<&'static str>,
/// }
///
/// let err = BadType { available: vec!["int", "text"] };
/// let body = err.to_response_with(&Config::production()).into_body();
/// let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
/// assert_eq!(body[0]["details"], serde_json::json!({"available": ["int", "text"]}));
/// ```
pub struct Details<'a> {
    out: &'a mut Vec<u8>,
    start: usize,
    members: usize,
    failed: Option<(&'static str, serde_json::Error)>,
    /// Whether the error's own details have a `request_id` member.
    has_request_id: bool,
}

impl<'a> Details<'a> {
    fn new(out: &'a mut Vec<u8>) -> Self {
        let start = out.len();
        Self { out, start, members: 0, failed: None, has_request_id: false }
    }

    /// Adds `"name": value`. After a failure, further members are ignored.
    pub fn member<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if self.failed.is_none() {
            self.out.push(if self.members == 0 { b'{' } else { b',' });
            json::string(self.out, name);
            self.out.push(b':');
            if let Err(error) = serde_json::to_writer(&mut *self.out, value) {
                self.failed = Some((name, error));
            }
            self.members += 1;
            self.has_request_id |= name == REQUEST_ID_MEMBER;
        }
    }

    /// Adds `"name":` followed by what `write` appends, which must be one
    /// complete JSON value; `name` must need no escaping. The validation
    /// limits' shortcut past serde (an integer's digits, the same bytes as
    /// [`member`](Self::member) writes for it).
    #[cfg(any(feature = "validator", feature = "garde"))]
    #[inline]
    pub(crate) fn raw_member(&mut self, name: &'static str, write: impl FnOnce(&mut Vec<u8>)) {
        debug_assert!(name.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'_'), "{name}");
        if self.failed.is_none() {
            self.out.push(if self.members == 0 { b'{' } else { b',' });
            self.out.push(b'"');
            self.out.extend_from_slice(name.as_bytes());
            self.out.extend_from_slice(b"\":");
            write(self.out);
            self.members += 1;
            self.has_request_id |= name == REQUEST_ID_MEMBER;
        }
    }

    /// Closes the member: `{…}`, or `null` when empty or failed. With
    /// `request_id` (the request id of a 5xx under
    /// [`Config::request_id_in_details`]), adds it as a `request_id` member
    /// unless the error's own details have one.
    fn finish(self, entry: &Entry, request_id: Option<&RequestId>) {
        if let Some((member, error)) = self.failed {
            self.out.truncate(self.start);
            details_or_null(self.out, request_id);
            log::details_failed(entry, member, &error);
        } else if self.members == 0 {
            details_or_null(self.out, request_id);
        } else {
            if let (Some(id), false) = (request_id, self.has_request_id) {
                self.out.push(b',');
                request_id_member(self.out, id);
            }
            self.out.push(b'}');
        }
    }
}

/// The name of the `details` member that carries the request id.
const REQUEST_ID_MEMBER: &str = "request_id";

/// `"request_id":"…"`.
fn request_id_member(out: &mut Vec<u8>, id: &RequestId) {
    json::string(out, REQUEST_ID_MEMBER);
    out.push(b':');
    json::string(out, id.as_str());
}

/// A `details` value with no members of the error's own: `{"request_id":…}`
/// or `null`.
fn details_or_null(out: &mut Vec<u8>, request_id: Option<&RequestId>) {
    if let Some(id) = request_id {
        out.push(b'{');
        request_id_member(out, id);
        out.push(b'}');
    } else {
        out.extend_from_slice(b"null");
    }
}

/// The id to write into the `details` of an error object, if any: only when
/// the configuration asks for it, and only for a 5xx. `status` is asked last,
/// so the default configuration pays nothing for it.
#[inline]
fn id_for_details<'a>(
    config: &Config,
    id: Option<&'a RequestId>,
    status: impl FnOnce() -> u16,
) -> Option<&'a RequestId> {
    id.filter(|_| config.request_id_in_details() && status() >= 500)
}

/// A size for the body buffer that fits the whole body in one allocation in
/// the common case.
#[inline]
fn capacity(entry: &Entry, config: &Config) -> usize {
    // `[{"message":"","error_code":"","field":"","details":null}]` is 58 bytes.
    let mut known =
        64 + entry.production_message().len() + entry.code.len() + entry.field.map_or(0, str::len);
    if let Format::Problem = config.format() {
        // `"type":"about:blank","title":"","status":400,` and the instance.
        known += 112 + entry.docs.map_or(0, str::len);
    }
    // A translation is often longer than the English it replaces (German
    // by a third): room for it, so that the buffer is not grown mid-body.
    #[cfg(feature = "i18n")]
    if config.translations().is_some() {
        known += entry.production_message().len() / 2 + 16;
    }
    if config.is_development() {
        known + 256
    } else {
        known
    }
}

/// The envelope one error object is written in: what comes before its
/// message and what the members are named. Every body of both formats is
/// written by [`open_object`] in one of these shapes.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Shape {
    /// An element of the array body:
    /// `{"message":…,"error_code":…,"field":…,"details":…}`.
    Element,
    /// A whole problem body, answered with `status`:
    /// `{"type":…,"title":…,"status":…,"detail":…,"instance":…,"error_code":…,"field":…,"details":…}`
    /// (`instance` only when there is a request id).
    Problem(http::StatusCode),
    /// An element of a problem's `errors`:
    /// `{"detail":…,"error_code":…,"field":…,"details":…}`.
    ProblemMember,
}

impl Shape {
    /// The shape of a body's element in `format`.
    #[inline]
    pub(crate) fn member(format: Format) -> Self {
        match format {
            Format::Problem => Self::ProblemMember,
            Format::Array => Self::Element,
        }
    }

    /// Writes what comes before the message, up to its opening quote.
    #[inline]
    fn head(self, docs: Option<&str>, out: &mut Vec<u8>) {
        match self {
            Self::Element => out.extend_from_slice(b"{\"message\":\""),
            Self::ProblemMember => out.extend_from_slice(b"{\"detail\":\""),
            Self::Problem(status) => {
                out.extend_from_slice(b"{\"type\":\"");
                json::escape_into(out, docs.unwrap_or(ABOUT_BLANK));
                if let Some(head) = problem_head(status) {
                    out.extend_from_slice(head.as_bytes());
                } else {
                    out.extend_from_slice(b"\",\"title\":");
                    json::string(out, title(status));
                    out.extend_from_slice(b",\"status\":");
                    status_number(out, status);
                    out.extend_from_slice(b",\"detail\":\"");
                }
            }
        }
    }

    /// Writes what comes between the message's closing quote and the
    /// `error_code` member: a problem's `instance`.
    #[inline]
    fn after_message(self, id: Option<&RequestId>, out: &mut Vec<u8>) {
        if let (Self::Problem(_), Some(id)) = (self, id) {
            out.extend_from_slice(b",\"instance\":\"");
            out.extend_from_slice(INSTANCE_PREFIX.as_bytes());
            // A well-formed id is ASCII letters, digits and `-_.:+/=@`:
            // nothing to escape, and every byte allowed in a URN.
            json::escape_into(out, id.as_str());
            out.push(b'"');
        }
    }
}

/// A problem's `type` when the error's entry has no `docs` URL (RFC 9457
/// §4.2.1: the problem has no semantics beyond its status).
pub(crate) const ABOUT_BLANK: &str = "about:blank";

/// What a problem's `instance` is: this prefix, then the request id
/// (`urn:request:9f1c…`). A URI (RFC 9457 §3.1.5 asks for a URI reference)
/// that identifies the occurrence without being dereferenceable; the raw
/// id would not do, since an id such as `a:b` would read as a URI of
/// scheme `a`.
pub(crate) const INSTANCE_PREFIX: &str = "urn:request:";

/// A problem's `title`: the status's reason phrase (`Not Found`), or
/// `Client Error` / `Server Error` for a status without one.
#[inline]
pub(crate) fn title(status: http::StatusCode) -> &'static str {
    match status.canonical_reason() {
        Some(reason) => reason,
        None if status.is_server_error() => "Server Error",
        None => "Client Error",
    }
}

/// What follows a problem's `type` up to its message, for a status with a
/// reason phrase, written once at compile time:
/// `","title":"Not Found","status":404,"detail":"`.
#[inline]
fn problem_head(status: http::StatusCode) -> Option<&'static str> {
    macro_rules! heads {
        ($($code:literal $reason:literal,)*) => {
            match status.as_u16() {
                $($code => Some(concat!(
                    "\",\"title\":\"", $reason, "\",\"status\":", stringify!($code), ",\"detail\":\""
                )),)*
                _ => None,
            }
        };
    }
    heads! {
        400 "Bad Request", 401 "Unauthorized", 402 "Payment Required", 403 "Forbidden",
        404 "Not Found", 405 "Method Not Allowed", 406 "Not Acceptable",
        407 "Proxy Authentication Required", 408 "Request Timeout", 409 "Conflict", 410 "Gone",
        411 "Length Required", 412 "Precondition Failed", 413 "Payload Too Large",
        414 "URI Too Long", 415 "Unsupported Media Type", 416 "Range Not Satisfiable",
        417 "Expectation Failed", 418 "I'm a teapot", 421 "Misdirected Request",
        422 "Unprocessable Entity", 423 "Locked", 424 "Failed Dependency", 425 "Too Early", 426 "Upgrade Required",
        428 "Precondition Required", 429 "Too Many Requests", 431 "Request Header Fields Too Large",
        451 "Unavailable For Legal Reasons", 500 "Internal Server Error", 501 "Not Implemented",
        502 "Bad Gateway", 503 "Service Unavailable", 504 "Gateway Timeout",
        505 "HTTP Version Not Supported", 506 "Variant Also Negotiates", 507 "Insufficient Storage",
        508 "Loop Detected", 510 "Not Extended", 511 "Network Authentication Required",
    }
}

/// Appends a status code as a JSON number.
#[inline]
fn status_number(out: &mut Vec<u8>, status: http::StatusCode) {
    // `StatusCode` is 100..=999: always three digits.
    let n = status.as_u16();
    out.extend_from_slice(&[b'0' + (n / 100) as u8, b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8]);
}

/// Writes one error object in `shape` (plus `debug` in development when
/// `own`), but for its closing brace, so that a caller can add members (a
/// problem's `errors`). The one writer of every body of both formats.
fn open_object<E: ApiError + ?Sized>(
    err: &E,
    entry: &Entry,
    config: &Config,
    id: Option<&RequestId>,
    shape: Shape,
    own: bool,
    out: &mut Vec<u8>,
) {
    shape.head(entry.docs, out);
    #[cfg(feature = "i18n")]
    let translated = crate::i18n::write_message(err, entry, config, out);
    #[cfg(not(feature = "i18n"))]
    let translated = false;
    if !translated {
        let _ = err.write_public_message(&mut json::StrWriter(out));
    }
    out.push(b'"');
    shape.after_message(id, out);
    out.extend_from_slice(b",\"error_code\":");
    // The entry's code, never an overridden `code()` (every code a client
    // sees is registered). Asked of `err` rather than read from `entry`:
    // the same entry, and a derived type's is then known where this is
    // inlined, so its escaping is folded away (41 instructions a render).
    json::string(out, err.entry().code);
    out.extend_from_slice(b",\"field\":");
    json::opt_string(out, err.field());
    out.extend_from_slice(b",\"details\":");
    let mut details = Details::new(out);
    err.write_details(&mut details);
    details.finish(entry, id_for_details(config, id, || err.status().as_u16()));
    if own && config.is_development() {
        debug_member(err, entry, out);
    }
}

/// `,"debug":{"type":…,"display":…,"sources":[…]}`.
// Never inlined: production's path through `open_object` stays as small as
// it was without `debug`.
#[inline(never)]
fn debug_member<E: ApiError + ?Sized>(err: &E, entry: &Entry, out: &mut Vec<u8>) {
    out.extend_from_slice(b",\"debug\":{\"type\":");
    json::display(out, &entry.path());
    out.extend_from_slice(b",\"display\":");
    // Each text is compared, JSON-escaped, where it was written: first with
    // the display's (between its quotes), then each with its parent's.
    let start = out.len() + 1;
    json::display(out, &err);
    let mut parent = start..out.len() - 1;
    out.extend_from_slice(b",\"sources\":[");
    let mut source = err.source();
    let (mut count, mut shown) = (0, 0);
    while let (Some(error), true) = (source, count < text::MAX_SOURCES) {
        let mark = out.len();
        if shown > 0 {
            out.push(b',');
        }
        json::display(out, &error);
        let text = mark + usize::from(shown > 0) + 1..out.len() - 1;
        if text::repeats(out, &parent, &text) {
            parent = parent.end - text.len()..parent.end;
            out.truncate(mark);
        } else {
            parent = text;
            shown += 1;
        }
        source = error.source();
        count += 1;
    }
    out.extend_from_slice(b"]}");
}

/// The object rendered when rendering an error panicked (a `Display`,
/// `Serialize` or message argument that panics): only static facts of the
/// entry, in the same `shape`, so it cannot panic again. Without its
/// closing brace, as [`open_object`].
fn open_fallback_object(
    entry: &Entry,
    config: &Config,
    id: Option<&RequestId>,
    shape: Shape,
    out: &mut Vec<u8>,
) {
    shape.head(entry.docs, out);
    json::escape_into(out, crate::generic_message(entry.status));
    out.push(b'"');
    shape.after_message(id, out);
    out.extend_from_slice(b",\"error_code\":");
    json::string(out, entry.code);
    out.extend_from_slice(b",\"field\":null,\"details\":");
    details_or_null(out, id_for_details(config, id, || entry.status));
}

/// Appends one complete error object in `shape`, whatever the error's own
/// code does. When `own`, the object is an error of its own: it is logged
/// (each error object in a body is one event) and carries `debug` in
/// development; the top level of a problem that holds several errors is
/// not (each of them is). Without its closing brace, as [`open_object`].
pub(crate) fn open_object_or_fallback<E: ApiError + ?Sized>(
    err: &E,
    entry: &Entry,
    config: &Config,
    id: Option<&RequestId>,
    shape: Shape,
    own: bool,
    out: &mut Vec<u8>,
) {
    #[cfg(debug_assertions)]
    assert_registered(entry);
    let start = out.len();
    let rendered = catch_unwind(AssertUnwindSafe(|| open_object(err, entry, config, id, shape, own, out)));
    // Counted once per error object of its own, its fallback body too; a
    // recorder that panics costs the count, not the response.
    #[cfg(feature = "metrics")]
    if own {
        let _ = catch_unwind(AssertUnwindSafe(|| {
            crate::metrics::rendered(&config.counting, entry.code, err.status())
        }));
    }
    if rendered.is_err() {
        out.truncate(start);
        open_fallback_object(entry, config, id, shape, out);
        log::render_panicked(entry, id);
        return;
    }
    // Every foreign `Display` of the event is caught where it is called;
    // this guards the rest (`source()`, `field()`, the subscriber).
    if own && catch_unwind(AssertUnwindSafe(|| log::rendered(err, entry, config, id))).is_err() {
        log::render_panicked(entry, id);
    }
}

/// Debug builds: `entry` is in the registry, as every code a client sees
/// must be (see [`ApiError::entry`]). Asserted before the object is written
/// and outside the catch of [`open_object_or_fallback`], so that it panics
/// the caller (the layers answer 500) instead of yielding a fallback body
/// that would still carry the unregistered code, and no body is half
/// written: the buffer is dropped as the panic unwinds.
#[cfg(debug_assertions)]
fn assert_registered(entry: &Entry) {
    assert!(
        crate::registry::find(entry.code).is_some(),
        "apierror: `{}` renders the entry of code `{}`, which is not registered; declare it with \
         `apierror::register! {{ static ENTRIES: [apierror::Entry; 1] = [apierror::Entry::builder(…).build()]; }}` \
         and return `&ENTRIES[0]` from `entry()` (the derive registers its own)",
        entry.path(),
        entry.code,
    );
}

/// Appends one complete error object, whatever the error's own code does,
/// and logs the error: the one place an error is logged, so each error
/// object in a body is one event.
#[inline]
pub(crate) fn object_or_fallback<E: ApiError + ?Sized>(
    err: &E,
    entry: &Entry,
    config: &Config,
    id: Option<&RequestId>,
    shape: Shape,
    out: &mut Vec<u8>,
) {
    open_object_or_fallback(err, entry, config, id, shape, true, out);
    out.push(b'}');
}

/// `err` as a complete response, with the `id` header when there is one.
pub(crate) fn response<E: ApiError + ?Sized>(
    err: &E,
    config: &Config,
    id: Option<&RequestId>,
) -> http::Response<Vec<u8>> {
    if let Some(several) = err.as_errors() {
        return several.render(config, id);
    }
    let entry = err.entry();
    let status = err.status();
    let mut body = Vec::with_capacity(capacity(entry, config));
    match config.format() {
        Format::Array => {
            body.push(b'[');
            object_or_fallback(err, entry, config, id, Shape::Element, &mut body);
            body.push(b']');
        }
        Format::Problem => object_or_fallback(err, entry, config, id, Shape::Problem(status), &mut body),
    }
    let mut response = with_request_id(json_response(status, config.format(), body), config, id);
    if let Some(seconds) = err.retry_after() {
        response.headers_mut().insert(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
    }
    response
}

/// `response` with the request id header, when there is an id, and (with
/// translations) its language's headers: what every error response gets.
#[inline]
pub(crate) fn with_request_id(
    mut response: http::Response<Vec<u8>>,
    config: &Config,
    id: Option<&RequestId>,
) -> http::Response<Vec<u8>> {
    #[cfg(feature = "i18n")]
    crate::i18n::language_headers(&mut response, config);
    if let Some(id) = id {
        response.headers_mut().insert(config.request_id_header().clone(), id.header_value().clone());
    }
    response
}

/// The `Content-Type` of a body in `format`.
#[inline]
pub(crate) const fn content_type(format: Format) -> &'static str {
    match format {
        Format::Array => "application/json",
        Format::Problem => "application/problem+json",
    }
}

/// A response with `status`, the `content-type` of `format` and `body`.
pub(crate) fn json_response(
    status: http::StatusCode,
    format: Format,
    body: Vec<u8>,
) -> http::Response<Vec<u8>> {
    // Made at compile time: `from_static` checks every byte when called.
    const ARRAY: http::HeaderValue = http::HeaderValue::from_static(content_type(Format::Array));
    const PROBLEM: http::HeaderValue = http::HeaderValue::from_static(content_type(Format::Problem));
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    let value = match format {
        Format::Problem => PROBLEM,
        Format::Array => ARRAY,
    };
    response.headers_mut().insert(http::header::CONTENT_TYPE, value);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prepared heads are what the general path writes: every error
    /// status's reason phrase (`http`'s), status and the `detail` key.
    #[test]
    fn the_prepared_problem_heads_are_the_general_ones() {
        let mut prepared = 0;
        for code in 400..=599 {
            let status = http::StatusCode::from_u16(code).unwrap();
            let mut general = b"\",\"title\":".to_vec();
            json::string(&mut general, title(status));
            general.extend_from_slice(b",\"status\":");
            status_number(&mut general, status);
            general.extend_from_slice(b",\"detail\":\"");
            match problem_head(status) {
                Some(head) => {
                    assert_eq!(head, std::str::from_utf8(&general).unwrap(), "{code}");
                    prepared += 1;
                }
                None => assert!(status.canonical_reason().is_none(), "{code} has a reason: prepare it"),
            }
        }
        assert!(prepared >= 38, "{prepared}");
    }
}
