//! Rendering: errors → the common body, written straight into one buffer.

use std::error::Error as StdError;
use std::panic::{catch_unwind, AssertUnwindSafe};

use serde::Serialize;

use crate::registry::Entry;
use crate::{json, log, ApiError, Config};

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
/// use apierror::{ApiError, Config, Details};
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
}

impl<'a> Details<'a> {
    fn new(out: &'a mut Vec<u8>) -> Self {
        let start = out.len();
        Self { out, start, members: 0, failed: None }
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
        }
    }

    /// Closes the member: `{…}`, or `null` when empty or failed.
    fn finish(self, entry: &Entry) {
        if let Some((member, error)) = self.failed {
            self.out.truncate(self.start);
            self.out.extend_from_slice(b"null");
            log::details_failed(entry, member, &error);
        } else if self.members == 0 {
            self.out.extend_from_slice(b"null");
        } else {
            self.out.push(b'}');
        }
    }
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
fn object<E: ApiError + ?Sized>(err: &E, entry: &Entry, config: &Config, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"message\":\"");
    let _ = err.write_public_message(&mut json::StrWriter(out));
    out.extend_from_slice(b"\",\"error_code\":");
    json::string(out, err.code());
    out.extend_from_slice(b",\"field\":");
    json::opt_string(out, err.field());
    out.extend_from_slice(b",\"details\":");
    let mut details = Details::new(out);
    err.write_details(&mut details);
    details.finish(entry);
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
fn fallback_object(entry: &Entry, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"message\":");
    json::string(out, crate::generic_message(entry.status));
    out.extend_from_slice(b",\"error_code\":");
    json::string(out, entry.code);
    out.extend_from_slice(b",\"field\":null,\"details\":null}");
}

/// Appends one complete error object, whatever the error's own code does.
pub(crate) fn object_or_fallback<E: ApiError + ?Sized>(err: &E, config: &Config, out: &mut Vec<u8>) {
    let entry = err.entry();
    let start = out.len();
    let rendered = catch_unwind(AssertUnwindSafe(|| object(err, entry, config, out)));
    if rendered.is_err() {
        out.truncate(start);
        fallback_object(entry, out);
        log::render_panicked(entry);
    }
    log::rendered(err, entry);
}

/// `err` as a complete response.
pub(crate) fn response<E: ApiError + ?Sized>(err: &E, config: &Config) -> http::Response<Vec<u8>> {
    let mut body = Vec::with_capacity(capacity(err.entry(), config));
    body.push(b'[');
    object_or_fallback(err, config, &mut body);
    body.push(b']');
    json_response(err.status(), body)
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

/// A source chain, for logs: `a: b: c`, starting at the first source.
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
            std::fmt::Display::fmt(error, f)?;
            source = error.source();
            count += 1;
        }
        Ok(())
    }
}
