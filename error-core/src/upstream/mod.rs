//! Upstream services (feature `reqwest`): another service's failure becomes
//! our 502, 503 or 504, and nothing of the call leaves the server.
//!
#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/docs/upstream.md"))]

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::time::{Duration, SystemTime};

use crate::registry::Entry;
use crate::ApiError;

/// The largest `Retry-After` passed on, in seconds (one hour): an upstream's
/// larger value, or a date further away, is clamped to it.
pub const MAX_RETRY_AFTER: u32 = 3600;

/// The most bytes of an upstream's body [`Config::with_upstream_body_logged`](crate::Config::with_upstream_body_logged) can ask for.
pub const MAX_LOGGED_BODY: usize = 4096;

/// The name of the type in `error.type`, `debug.type`, the catalog and the
/// lock: its path, as the other built-ins.
const TYPE_NAME: &str = "apierror::upstream::UpstreamError";

crate::kinds::kinds! {
    /// What we answer for an upstream failure: decides the status and the code.
    pub enum UpstreamErrorKind in ENTRIES: TYPE_NAME {
        /// 504 `apierror.upstream.timeout`.
        Timeout = ("apierror.upstream.timeout", 504)
            .message("A service this request depends on did not answer in time. Please try again later."),
        /// 503 `apierror.upstream.unavailable`, with the upstream's
        /// `Retry-After` when it sent one.
        Unavailable = ("apierror.upstream.unavailable", 503)
            .message("A service this request depends on is unavailable. Please try again later."),
        /// 502 `apierror.upstream.bad_gateway`.
        BadGateway = ("apierror.upstream.bad_gateway", 502)
            .message("A service this request depends on failed. Please try again later."),
    }
}

impl UpstreamErrorKind {
    /// The registry entry of the kind's code.
    #[must_use]
    pub fn entry(self) -> &'static Entry {
        self.registered()
    }
}

/// What went wrong with the call, as logged (`upstream.failure`) and shown
/// in development's `debug.display`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Failure {
    /// No answer in time.
    Timeout,
    /// No connection: refused, DNS, unreachable.
    Connect,
    /// The upstream answered a status that is not a success.
    Status,
    /// The body could not be decoded (not the JSON expected, bad encoding).
    Decode,
    /// The body could not be read: cut off, malformed.
    Body,
    /// A success body larger than [`Config::upstream_body_limit`](crate::Config::upstream_body_limit):
    /// not read further.
    TooLarge,
    /// Too many redirects, or a loop.
    Redirect,
    /// The request could not be built (an invalid URL).
    Builder,
    /// The request failed otherwise (the connection closed before an answer).
    Request,
}

impl Failure {
    /// The stable name logged as `upstream.failure`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Timeout => "timeout",
            Self::Connect => "connect",
            Self::Status => "status",
            Self::Decode => "decode",
            Self::Body => "body",
            Self::TooLarge => "too_large",
            Self::Redirect => "redirect",
            Self::Builder => "builder",
            Self::Request => "request",
        }
    }
}

/// A failed call to another service, answered as the table of the
/// [module documentation](self) says.
///
/// It holds what the call's failure says without the call's secrets: the
/// service name, the kind of failure, the upstream's status, its
/// `Retry-After` (clamped), the URL without query, fragment or user
/// information, and the I/O error kind when there was one. It holds no
/// `reqwest::Error` (whose `Display` has the full URL) and no body.
#[derive(Debug, Clone)]
pub struct UpstreamError {
    kind: UpstreamErrorKind,
    failure: Failure,
    service: Cow<'static, str>,
    status: Option<http::StatusCode>,
    retry_after: Option<u32>,
    url: Option<String>,
    io: Option<std::io::ErrorKind>,
    body: Option<LoggedBody>,
    /// The upstream's own request id (bounded foreign text).
    request_id: Option<Box<str>>,
}

/// The first bytes of an upstream's body, read for the log after
/// [`Config::with_upstream_body_logged`](crate::Config::with_upstream_body_logged): never in a body, and not in `Debug` either.
#[derive(Clone)]
struct LoggedBody(Box<str>);

impl fmt::Debug for LoggedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes of the upstream's body>", self.0.len())
    }
}

impl UpstreamError {
    /// What we answer: decides the status and the code.
    #[must_use]
    pub const fn kind(&self) -> UpstreamErrorKind {
        self.kind
    }

    /// What went wrong with the call.
    #[must_use]
    pub const fn failure(&self) -> Failure {
        self.failure
    }

    /// The service named when the error was made.
    #[must_use]
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The upstream's status, when it answered one.
    #[must_use]
    pub const fn upstream_status(&self) -> Option<http::StatusCode> {
        self.status
    }

    /// Whether `service` answered `status`: what the derive's
    /// `upstream(service = "…", status = …)` matches on.
    #[must_use]
    pub fn answered(&self, service: &str, status: u16) -> bool {
        self.service == service && self.status.is_some_and(|s| s.as_u16() == status)
    }

    /// The URL called, without query, fragment or user information.
    #[must_use]
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The upstream's own request id, when its answer carried one: its
    /// request id header ([`Config::request_id_header`](crate::Config::request_id_header),
    /// else `x-request-id`), else, in an error body of apierror's (JSON, at
    /// most 16 KiB, read by [`send`], [`json`] and
    /// [`from_response_body`](Self::from_response_body)), a problem's
    /// `instance` (`urn:request:<id>`) or a `details.request_id`. The
    /// render's event logs it as `upstream.request_id`, escaped, so that
    /// support follows the error into the upstream's logs; it is never in a
    /// response body.
    ///
    /// Foreign text: at most 256 bytes (then `[…]`), invalid UTF-8
    /// replaced, not escaped; escape it before writing it anywhere a line
    /// matters.
    #[must_use]
    pub fn upstream_request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The kind of the I/O error under the failure, when there was one.
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub(crate) const fn io_kind(&self) -> Option<std::io::ErrorKind> {
        self.io
    }

    /// The first bytes of the upstream's body read for the log ([`Config::with_upstream_body_logged`](crate::Config::with_upstream_body_logged)).
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub(crate) fn logged_body(&self) -> Option<&str> {
        self.body.as_ref().map(|body| &*body.0)
    }
}

/// 503 for an upstream 503 or 429, 502 for anything else.
fn kind_for_status(status: http::StatusCode) -> UpstreamErrorKind {
    match status.as_u16() {
        429 | 503 => UpstreamErrorKind::Unavailable,
        _ => UpstreamErrorKind::BadGateway,
    }
}

/// `Retry-After` as seconds from `now`: delay-seconds, or an HTTP-date (any
/// of RFC 9110's three formats), clamped to [`MAX_RETRY_AFTER`]; a date
/// in the past is 0. `None` for anything else.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<u32> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is more than an hour too.
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(seconds.min(u64::from(MAX_RETRY_AFTER)) as u32);
    }
    let date = httpdate::parse_http_date(value).ok()?;
    let wait = date.duration_since(now).unwrap_or(Duration::ZERO);
    // Round up: a client retrying early is refused again.
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    Some(seconds.min(u64::from(MAX_RETRY_AFTER)) as u32)
}

impl fmt::Display for UpstreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "upstream service `{}` ", self.service)?;
        match self.failure {
            Failure::Timeout => f.write_str("did not answer in time")?,
            Failure::Connect => f.write_str("could not be reached")?,
            Failure::Status => match self.status {
                Some(status) => write!(f, "answered {status}")?,
                None => f.write_str("answered an error status")?,
            },
            Failure::Decode => f.write_str("answered a body that could not be decoded")?,
            Failure::Body => f.write_str("answered a body that could not be read (cut off or malformed)")?,
            Failure::TooLarge => f.write_str("answered a body larger than `Config::upstream_body_limit`")?,
            Failure::Redirect => f.write_str("redirected too many times")?,
            Failure::Builder => f.write_str("could not be called: the request is invalid")?,
            Failure::Request => f.write_str("failed before answering")?,
        }
        if let Some(io) = self.io {
            write!(f, " ({io})")?;
        }
        if let Some(url) = &self.url {
            write!(f, " at {url}")?;
        }
        Ok(())
    }
}

impl StdError for UpstreamError {}

impl ApiError for UpstreamError {
    fn entry(&self) -> &'static Entry {
        self.kind.entry()
    }

    fn retry_after(&self) -> Option<u32> {
        self.retry_after
    }

    fn boundary(&self) -> Option<crate::log::Boundary<'_>> {
        Some(crate::log::Boundary::Upstream(self))
    }
}

crate::__private::impl_responses! { impl [] for [UpstreamError] where [] }

/// A type whose own variants answer some upstream answers: the derive's
/// `#[api(..., upstream(service = "billing", status = 402))]` implements
/// it, and anything unmapped becomes the type's `From<UpstreamError>`
/// variant (typically `#[error(transparent)] #[api(transparent)]
/// Upstream(#[from] UpstreamError)`).
///
/// A handler converts with [`from_upstream`](Self::from_upstream):
/// `upstream::send("billing", request).await.map_err(BillingError::from_upstream)?`.
/// A bare `?` goes through `From<UpstreamError>`: it answers the table and
/// maps nothing.
///
/// What the derive generates for a type whose variants declare
/// `upstream(service = "billing", status = 402)` (a variant with one field
/// receives the `UpstreamError`, and its event carries the upstream's
/// facts; a unit variant drops it, and them):
///
/// ```text
/// ::apierror::__private::impl_upstream! {
///     #[automatically_derived]
///     #[allow(unused_qualifications)]
///     impl ::apierror::__private::upstream::FromUpstreamError for BillingError {
///         fn from_upstream_status(
///             __err: ::apierror::__private::upstream::UpstreamError,
///         ) -> ::core::result::Result<Self, ::apierror::__private::upstream::UpstreamError> {
///             if ::apierror::__private::upstream::UpstreamError::answered(&__err, "billing", 402u16) {
///                 return ::core::result::Result::Ok(Self::CardDeclined(__err));
///             }
///             ::core::result::Result::Err(__err)
///         }
///     }
/// }
/// ```
pub trait FromUpstreamError: From<UpstreamError> {
    /// The variant declared for the error's (service, status), or the error
    /// back when no variant declares it. Generated by the derive: one
    /// [`UpstreamError::answered`] test per mapped variant.
    ///
    /// # Errors
    ///
    /// `err` itself, when no variant maps it.
    fn from_upstream_status(err: UpstreamError) -> Result<Self, UpstreamError> {
        Err(err)
    }

    /// The answer to an upstream failure: the variant mapped to its
    /// (service, status), else the `From<UpstreamError>` variant. The first
    /// time (per process, type, service and status) an upstream 4xx that no
    /// variant maps is seen, one `warn` event names the attribute to add.
    fn from_upstream(err: UpstreamError) -> Self {
        match Self::from_upstream_status(err) {
            Ok(mapped) => mapped,
            Err(err) => {
                if let Some(status) = err.status.filter(|s| s.is_client_error() && s.as_u16() != 429) {
                    log::unmapped_status(std::any::type_name::<Self>(), &err.service, status.as_u16());
                }
                Self::from(err)
            }
        }
    }
}

/// What the derive's expansion names for `upstream(service = …, status = …)`.
#[doc(hidden)]
pub mod __private {
    pub use super::{FromUpstreamError, UpstreamError};
}

// The reqwest backend: the constructors from a `reqwest::Error` or
// `reqwest::Response`, the calls `send` and `json`, and `correlate`.
mod reqwest;
pub use self::reqwest::{correlate, json, send};

// The upstream's own request id read back from its answer, whatever the
// client.
mod ids;

/// The events of upstream failures (in `upstream/log.rs`).
mod log;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_the_librarys_own_in_kind_order() {
        let expected = [
            (UpstreamErrorKind::Timeout, "apierror.upstream.timeout", 504, "Timeout"),
            (UpstreamErrorKind::Unavailable, "apierror.upstream.unavailable", 503, "Unavailable"),
            (UpstreamErrorKind::BadGateway, "apierror.upstream.bad_gateway", 502, "BadGateway"),
        ];
        for (kind, code, status, variant) in expected {
            let entry = kind.entry();
            assert_eq!((entry.code, entry.status, entry.variant), (code, status, Some(variant)));
            assert_eq!(entry.crate_name(), "apierror");
            assert_eq!(entry.path().to_string(), format!("apierror::upstream::UpstreamError::{variant}"));
            assert_eq!(crate::registry::find(code), Some(entry));
            assert_eq!(entry.retry_after, None, "the upstream's own, per error");
        }
        crate::registry::check().unwrap();
    }

    #[test]
    fn retry_after_is_seconds_or_a_date_clamped() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("7", now), Some(7));
        assert_eq!(parse_retry_after(" 120 ", now), Some(120));
        assert_eq!(parse_retry_after("0", now), Some(0));
        assert_eq!(parse_retry_after("86400", now), Some(MAX_RETRY_AFTER));
        assert_eq!(parse_retry_after("99999999999999999999999999", now), Some(MAX_RETRY_AFTER));
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("", now), None);
        // 1_700_000_000 is Tue, 14 Nov 2023 22:13:20 GMT.
        assert_eq!(parse_retry_after("Tue, 14 Nov 2023 22:13:50 GMT", now), Some(30));
        // RFC 850 and asctime, which recipients must accept too.
        assert_eq!(parse_retry_after("Tuesday, 14-Nov-23 22:14:20 GMT", now), Some(60));
        assert_eq!(parse_retry_after("Tue Nov 14 22:13:25 2023", now), Some(5));
        assert_eq!(parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", now), Some(0), "in the past");
        assert_eq!(parse_retry_after("Fri, 01 Jan 2100 00:00:00 GMT", now), Some(MAX_RETRY_AFTER));
        let just_after = now + Duration::from_millis(1);
        assert_eq!(parse_retry_after("Tue, 14 Nov 2023 22:13:50 GMT", just_after), Some(30), "rounded up");
    }

    #[test]
    fn statuses_map_as_designs_table() {
        for (status, kind) in [
            (503, UpstreamErrorKind::Unavailable),
            (429, UpstreamErrorKind::Unavailable),
            (500, UpstreamErrorKind::BadGateway),
            (502, UpstreamErrorKind::BadGateway),
            (504, UpstreamErrorKind::BadGateway),
            (401, UpstreamErrorKind::BadGateway),
            (403, UpstreamErrorKind::BadGateway),
            (404, UpstreamErrorKind::BadGateway),
            (402, UpstreamErrorKind::BadGateway),
        ] {
            assert_eq!(kind_for_status(http::StatusCode::from_u16(status).unwrap()), kind, "{status}");
        }
    }
}
