//! Upstream services (feature `reqwest`): another service's failure becomes
//! our 502, 503 or 504, and nothing of the call leaves the server.
//!
//! [`UpstreamError`] is a built-in [`ApiError`], made from a
//! `reqwest::Error` ([`UpstreamError::from_reqwest`]) or a non-success
//! `reqwest::Response` ([`UpstreamError::from_response`]), always naming the
//! service (`"billing"`):
//!
//! | failure | status | code |
//! |---|---|---|
//! | timeout (connecting, waiting for the headers, reading the body) | 504 | `apierror.upstream.timeout` |
//! | cannot connect (refused, DNS, unreachable); the upstream answered 503 or 429 | 503 + the upstream's `Retry-After`, clamped to [`MAX_RETRY_AFTER`] | `apierror.upstream.unavailable` |
//! | the upstream answered another 5xx, or a 4xx no variant maps (401 and 403 included: our credentials are not the client's problem); a body that cannot be decoded or is cut off; a success body larger than [`Config::upstream_body_limit`](crate::Config::upstream_body_limit) ([`json`]); a redirect loop; anything else | 502 | `apierror.upstream.bad_gateway` |
//!
//! ```
//! use apierror::upstream::UpstreamError;
//! use apierror::{ApiError, ApiErrorExt, Config};
//!
//! # async fn handler(http: reqwest::Client) -> Result<String, UpstreamError> {
//! let response = apierror::upstream::send("billing", http.get("http://billing.internal/v1/invoices/7")).await?;
//! # let _ = response; Ok(String::new()) }
//! let entry = apierror::registry::find("apierror.upstream.unavailable").unwrap();
//! assert_eq!(entry.status, 503);
//! assert_eq!(entry.path().to_string(), "apierror::upstream::UpstreamError::Unavailable");
//! ```
//!
//! **Never in a body**: the URL (host, port, path, query), the upstream's
//! status and body. The `message` is the fixed sentence of the code, in
//! production and development alike; development's `debug.display` says
//! what failed, with the URL stripped of its query, fragment and user
//! information, and never the upstream's body. `reqwest::Error`'s own
//! `Display` and `Debug` include the full URL, query and all: they are never
//! used; the description is built from the error's kind.
//!
//! **Logged**: one error, one event. Making an `UpstreamError` logs
//! nothing; rendering logs the error's one event (as every error is logged,
//! with the code the client got), whose fields include the upstream's facts:
//! `upstream.service`, `upstream.failure` (see [`Failure::as_str`]),
//! `upstream.status`, `upstream.url` (without its query), `upstream.io`,
//! `upstream.retry_after`; foreign text escaped so that one event is one
//! line. The same for a team's variant holding the `UpstreamError` as its
//! `#[source]`. The upstream's body is logged as `upstream.body` (its first
//! bytes) only after
//! [`Config::with_upstream_body_logged`](crate::Config::with_upstream_body_logged)`(n)`, and only where the response is read
//! ([`send`], [`json`], [`UpstreamError::from_response_body`]).
//!
//! # The team's own variants
//!
//! A type implementing [`FromUpstreamError`] answers chosen (service,
//! status) pairs with its own variants and everything else with its
//! `From<UpstreamError>` variant. The derive's `#[api(..., upstream(service
//! = "billing", status = 402))]` implements it:
//!
//! ```
//! use apierror::upstream::{FromUpstreamError, UpstreamError};
//! use apierror::ApiError;
//!
//! #[derive(Debug, thiserror::Error, ApiError)]
//! pub enum BillingError {
//!     #[error("the card was declined")]
//!     #[api(status = 402, code = "upstream-doc.card_declined",
//!           message = "Your card was declined.",
//!           upstream(service = "billing", status = 402))]
//!     CardDeclined(#[source] UpstreamError),
//!
//!     #[error(transparent)]
//!     #[api(transparent)]
//!     Upstream(#[from] UpstreamError),
//! }
//!
//! # async fn handler(http: reqwest::Client) -> Result<String, BillingError> {
//! // In a handler: one call converts.
//! let response = apierror::upstream::send("billing", http.post("http://billing.internal/v1/charges"))
//!     .await
//!     .map_err(BillingError::from_upstream)?;
//! # let _ = response; Ok(String::new()) }
//! ```
//!
//! The first time (per process, type, service and status) an upstream 4xx
//! that no variant maps goes through [`FromUpstreamError::from_upstream`],
//! one `warn` event names the attribute to add.

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
    /// The error for a failed call: [`Failure`] from the error's kind
    /// (`is_timeout`, `is_connect`, …), never from its text. Logs nothing:
    /// rendering the error logs its one event, with these facts (see the
    /// [module documentation](self)).
    ///
    /// An error from `error_for_status()` maps on its status, but has lost
    /// the upstream's `Retry-After`: prefer [`from_response`](Self::from_response).
    #[must_use]
    pub fn from_reqwest(service: impl Into<Cow<'static, str>>, err: reqwest::Error) -> Self {
        Self::classify_reqwest(service.into(), &err)
    }

    /// The error for a response that is not a success: 503 for an upstream
    /// 503 or 429 (keeping its `Retry-After`, seconds or HTTP-date, clamped
    /// to [`MAX_RETRY_AFTER`]), 502 for anything else. The body is not read:
    /// [`from_response_body`](Self::from_response_body) reads its first
    /// bytes for the log when [`Config::with_upstream_body_logged`](crate::Config::with_upstream_body_logged) asks for them. Logs nothing (the
    /// render's event carries the facts).
    #[must_use]
    pub fn from_response(service: impl Into<Cow<'static, str>>, response: &reqwest::Response) -> Self {
        Self::classify_response(service.into(), response)
    }

    /// [`from_response`](Self::from_response), taking the response so that,
    /// after [`Config::with_upstream_body_logged`](crate::Config::with_upstream_body_logged)`(n)`, the error keeps the first `n` bytes of the
    /// upstream's body, and the render's event carries them as
    /// `upstream.body` (never more, escaped; never in `Debug` or a body). Without it, the body is not
    /// read.
    pub async fn from_response_body(
        service: impl Into<Cow<'static, str>>,
        mut response: reqwest::Response,
    ) -> Self {
        let mut err = Self::classify_response(service.into(), &response);
        let limit = crate::request_id::with_current(|config, _| config.upstream_body_logged());
        if limit == 0 {
            return err;
        }
        let mut body = Vec::new();
        while body.len() < limit {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let take = chunk.len().min(limit - body.len());
                    body.extend_from_slice(&chunk[..take]);
                }
                Ok(None) | Err(_) => break,
            }
        }
        err.body = Some(LoggedBody(String::from_utf8_lossy(&body).into()));
        err
    }

    fn classify_reqwest(service: Cow<'static, str>, err: &reqwest::Error) -> Self {
        let (kind, failure) = if err.is_timeout() {
            (UpstreamErrorKind::Timeout, Failure::Timeout)
        } else if err.is_connect() {
            (UpstreamErrorKind::Unavailable, Failure::Connect)
        } else if let Some(status) = err.status() {
            (kind_for_status(status), Failure::Status)
        } else if err.is_redirect() {
            (UpstreamErrorKind::BadGateway, Failure::Redirect)
        } else if err.is_decode() && !in_chain::<serde_json::Error>(err) {
            // `bytes()`, `text()` and `chunk()` report a body that cannot be
            // read (cut off, malformed framing) as a decode error; only a
            // deserializer's error is one.
            (UpstreamErrorKind::BadGateway, Failure::Body)
        } else if err.is_decode() {
            (UpstreamErrorKind::BadGateway, Failure::Decode)
        } else if err.is_body() {
            (UpstreamErrorKind::BadGateway, Failure::Body)
        } else if err.is_builder() {
            (UpstreamErrorKind::BadGateway, Failure::Builder)
        } else {
            (UpstreamErrorKind::BadGateway, Failure::Request)
        };
        Self {
            kind,
            failure,
            service,
            status: err.status(),
            retry_after: None,
            url: err.url().map(redacted),
            io: io_kind(err),
            body: None,
        }
    }

    fn classify_response(service: Cow<'static, str>, response: &reqwest::Response) -> Self {
        let status = response.status();
        let kind = kind_for_status(status);
        let retry_after = if kind == UpstreamErrorKind::Unavailable {
            response
                .headers()
                .get(http::header::RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| parse_retry_after(value, SystemTime::now()))
        } else {
            None
        };
        Self {
            kind,
            failure: Failure::Status,
            service,
            status: Some(status),
            retry_after,
            url: Some(redacted(response.url())),
            io: None,
            body: None,
        }
    }

    /// The error for a body that is not what the caller expected (`json`
    /// that does not deserialize). serde's message can quote the body: it
    /// is not kept.
    fn decode(service: Cow<'static, str>, url: &reqwest::Url) -> Self {
        Self::bad_body(service, url, Failure::Decode)
    }

    /// A 502 for a success body that is not what was expected (`failure`).
    fn bad_body(service: Cow<'static, str>, url: &reqwest::Url, failure: Failure) -> Self {
        Self {
            kind: UpstreamErrorKind::BadGateway,
            failure,
            service,
            status: None,
            retry_after: None,
            url: Some(redacted(url)),
            io: None,
            body: None,
        }
    }

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

/// The URL without query, fragment, user name or password.
fn redacted(url: &reqwest::Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.into()
}

/// Whether an `E` is in `err`'s source chain.
fn in_chain<E: StdError + 'static>(err: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn StdError + 'static)> = err.source();
    let mut depth = 0;
    while let Some(error) = source {
        if error.is::<E>() {
            return true;
        }
        depth += 1;
        if depth == 32 {
            break;
        }
        source = error.source();
    }
    false
}

/// The kind of the first I/O error in the chain: its name is fixed text
/// ("connection refused"), never the error's own message.
fn io_kind(err: &reqwest::Error) -> Option<std::io::ErrorKind> {
    let mut source: Option<&(dyn StdError + 'static)> = err.source();
    let mut depth = 0;
    while let Some(error) = source {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        depth += 1;
        if depth == 32 {
            break;
        }
        source = error.source();
    }
    None
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

/// Sends `request`: a success response as is; a failure, or a response
/// that is not a success, as an [`UpstreamError`] of `service` (reading
/// the body's first bytes for the log after [`Config::with_upstream_body_logged`](crate::Config::with_upstream_body_logged)).
///
/// # Errors
///
/// The [`UpstreamError`] of the failure.
pub async fn send(
    service: impl Into<Cow<'static, str>>,
    request: reqwest::RequestBuilder,
) -> Result<reqwest::Response, UpstreamError> {
    let service = service.into();
    match request.send().await {
        Err(err) => Err(UpstreamError::from_reqwest(service, err)),
        Ok(response) if response.status().is_success() => Ok(response),
        Ok(response) => Err(UpstreamError::from_response_body(service, response).await),
    }
}

/// [`send`], then the body deserialized from JSON: a body cut off or not
/// the JSON expected is a 502 (serde's message, which can quote the body,
/// is neither kept nor logged). At most
/// [`Config::upstream_body_limit`](crate::Config::upstream_body_limit)
/// bytes (4 MiB by default; the configuration given to
/// [`configure`](crate::configure)) are read: a larger or endless body is a
/// 502 with [`Failure::TooLarge`], and what was read is dropped.
///
/// # Errors
///
/// The [`UpstreamError`] of the failure.
pub async fn json<T: serde::de::DeserializeOwned>(
    service: impl Into<Cow<'static, str>>,
    request: reqwest::RequestBuilder,
) -> Result<T, UpstreamError> {
    let service = service.into();
    let mut response = send(service.clone(), request).await?;
    let url = response.url().clone();
    let limit = crate::request_id::with_scoped_config(|scoped| match scoped {
        Some(config) => config.upstream_body_limit(),
        None => crate::config::configured()
            .map_or(crate::DEFAULT_UPSTREAM_BODY_LIMIT, crate::Config::upstream_body_limit),
    });
    let too_large = |service| UpstreamError::bad_body(service, &url, Failure::TooLarge);
    let declared = response.content_length().unwrap_or(0);
    if declared > limit as u64 {
        return Err(too_large(service));
    }
    let mut body = Vec::with_capacity(declared as usize);
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|err| UpstreamError::from_reqwest(service.clone(), err.with_url(url.clone())))?
    {
        if chunk.len() > limit - body.len() {
            return Err(too_large(service));
        }
        body.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&body).map_err(|_| UpstreamError::decode(service, &url))
}

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

/// The events of upstream failures. Foreign text (the service name, the
/// URL, the body) is recorded through the library's [`Text`](crate::log::Text).
mod log {
    #[cfg(feature = "tracing")]
    use std::collections::HashSet;
    #[cfg(feature = "tracing")]
    use std::sync::Mutex;

    #[cfg(feature = "tracing")]
    use crate::log::Text;

    /// (type, service, status) triples warned about at most: past it,
    /// nothing more is remembered or warned, so a stream of statuses or
    /// service names cannot grow memory.
    #[cfg(feature = "tracing")]
    const MAX_WARNED: usize = 1024;

    #[cfg(feature = "tracing")]
    static WARNED: Mutex<Option<HashSet<u64>>> = Mutex::new(None);

    /// Whether the triple is seen for the first time (and there is room).
    #[cfg(feature = "tracing")]
    fn first_time(type_name: &str, service: &str, status: u16) -> bool {
        use std::hash::BuildHasher;
        // A fixed hasher: the same triple is the same key for the whole process.
        let key = std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
            .hash_one((type_name, service, status));
        let mut warned = WARNED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let warned = warned.get_or_insert_with(HashSet::new);
        if warned.len() >= MAX_WARNED || warned.contains(&key) {
            return false;
        }
        warned.insert(key)
    }

    /// An upstream status no variant of `type_name` maps: one `warn` per
    /// process and triple, naming the attribute to add.
    pub(super) fn unmapped_status(type_name: &'static str, service: &str, status: u16) {
        #[cfg(feature = "tracing")]
        if tracing::enabled!(target: "apierror::upstream", tracing::Level::WARN)
            && first_time(type_name, service, status)
        {
            tracing::event!(
                target: "apierror::upstream",
                tracing::Level::WARN,
                error.r#type = type_name,
                upstream.service = %Text(service),
                upstream.status = status,
                "apierror: upstream `{}` answered {}, which {} does not map: it answers {}; to answer it with \
                 a variant of your own, add `#[api(..., upstream(service = \"{}\", status = {}))]` to that variant",
                Text(service),
                status,
                type_name,
                super::UpstreamErrorKind::BadGateway.entry().code,
                Text(service.escape_default()),
                status,
            );
        }
        #[cfg(not(feature = "tracing"))]
        let _ = (type_name, service, status);
    }
}

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

    #[test]
    fn urls_lose_query_fragment_and_user_information() {
        let url =
            reqwest::Url::parse("http://user:pw@127.0.0.1:8080/v1/secret-path?api_key=SECRET#frag").unwrap();
        assert_eq!(redacted(&url), "http://127.0.0.1:8080/v1/secret-path");
    }
}
