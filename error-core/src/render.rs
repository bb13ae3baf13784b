//! Rendering: errors → the common body, written straight into one buffer.

use std::error::Error as StdError;
use std::panic::{catch_unwind, AssertUnwindSafe};

use serde::Serialize;

use crate::registry::Entry;
use crate::{json, log, ApiError, Config, RequestId};

/// Sources listed in `debug.sources` at most; a longer chain is cut (a
/// pathological `source()` could otherwise loop forever).
const MAX_SOURCES: usize = 32;

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
    let known = 64 + entry.production_message().len() + entry.code.len() + entry.field.map_or(0, str::len);
    if config.is_development() {
        known + 256
    } else {
        known
    }
}

/// Writes one error object, `{"message":…,"error_code":…,"field":…,"details":…}`
/// (plus `debug` in development).
fn object<E: ApiError + ?Sized>(
    err: &E,
    entry: &Entry,
    config: &Config,
    id: Option<&RequestId>,
    out: &mut Vec<u8>,
) {
    out.extend_from_slice(b"{\"message\":\"");
    let _ = err.write_public_message(&mut json::StrWriter(out));
    out.extend_from_slice(b"\",\"error_code\":");
    json::string(out, err.code());
    out.extend_from_slice(b",\"field\":");
    json::opt_string(out, err.field());
    out.extend_from_slice(b",\"details\":");
    let mut details = Details::new(out);
    err.write_details(&mut details);
    details.finish(entry, id_for_details(config, id, || err.status().as_u16()));
    if config.is_development() {
        debug_member(err, entry, out);
    }
    out.push(b'}');
}

/// `,"debug":{"type":…,"display":…,"sources":[…]}`.
fn debug_member<E: ApiError + ?Sized>(err: &E, entry: &Entry, out: &mut Vec<u8>) {
    out.extend_from_slice(b",\"debug\":{\"type\":");
    json::display(out, &entry.path());
    out.extend_from_slice(b",\"display\":");
    json::display(out, &err);
    out.extend_from_slice(b",\"sources\":[");
    let mut source = err.source();
    let mut count = 0;
    while let Some(error) = source {
        if count == MAX_SOURCES {
            break;
        }
        if count > 0 {
            out.push(b',');
        }
        json::display(out, &error);
        source = error.source();
        count += 1;
    }
    out.extend_from_slice(b"]}");
}

/// The object rendered when rendering an error panicked (a `Display`,
/// `Serialize` or message argument that panics): only static facts of the
/// entry, so it cannot panic again.
fn fallback_object(entry: &Entry, config: &Config, id: Option<&RequestId>, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"message\":");
    json::string(out, crate::generic_message(entry.status));
    out.extend_from_slice(b",\"error_code\":");
    json::string(out, entry.code);
    out.extend_from_slice(b",\"field\":null,\"details\":");
    details_or_null(out, id_for_details(config, id, || entry.status));
    out.push(b'}');
}

/// Appends one complete error object, whatever the error's own code does,
/// and logs the error: the one place an error is logged, so each error
/// object in a body is one event.
pub(crate) fn object_or_fallback<E: ApiError + ?Sized>(
    err: &E,
    entry: &Entry,
    config: &Config,
    id: Option<&RequestId>,
    out: &mut Vec<u8>,
) {
    let start = out.len();
    let rendered = catch_unwind(AssertUnwindSafe(|| object(err, entry, config, id, out)));
    if rendered.is_err() {
        out.truncate(start);
        fallback_object(entry, config, id, out);
        log::render_panicked(entry, id);
        return;
    }
    // Every foreign `Display` of the event is caught where it is called;
    // this guards the rest (`source()`, `field()`, the subscriber).
    if catch_unwind(AssertUnwindSafe(|| log::rendered(err, entry, config, id))).is_err() {
        log::render_panicked(entry, id);
    }
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
    let mut body = Vec::with_capacity(capacity(entry, config));
    body.push(b'[');
    object_or_fallback(err, entry, config, id, &mut body);
    body.push(b']');
    let mut response = with_request_id(json_response(err.status(), body), config, id);
    if let Some(seconds) = err.retry_after() {
        response.headers_mut().insert(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
    }
    response
}

/// `response` with the request id header, when there is an id.
#[inline]
pub(crate) fn with_request_id(
    mut response: http::Response<Vec<u8>>,
    config: &Config,
    id: Option<&RequestId>,
) -> http::Response<Vec<u8>> {
    if let Some(id) = id {
        response.headers_mut().insert(config.request_id_header().clone(), id.header_value().clone());
    }
    response
}

/// A response with `status`, `content-type: application/json` and `body`.
pub(crate) fn json_response(status: http::StatusCode, body: Vec<u8>) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
    response
}

/// A source chain, for logs: `a: b: c`, starting at the first source. A
/// source whose `Display` panics is cut short where it panicked, and the
/// chain goes on.
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) struct Chain<'a>(pub(crate) Option<&'a (dyn StdError + 'static)>);

impl std::fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut source = self.0;
        let mut count = 0;
        while let Some(error) = source {
            if count == MAX_SOURCES {
                break;
            }
            if count > 0 {
                f.write_str(": ")?;
            }
            log::write_caught(f, error)?;
            source = error.source();
            count += 1;
        }
        Ok(())
    }
}
