//! The reqwest backend: an [`UpstreamError`] from a `reqwest::Error` or a
//! `reqwest::Response`, read for what they say without their secrets (the
//! URL's query, the body), and the calls [`send`] and [`json`], which carry
//! the request's correlation ([`correlate`]).

use std::borrow::Cow;
use std::error::Error as StdError;
use std::time::SystemTime;

use super::ids;
use super::{kind_for_status, parse_retry_after, Failure, LoggedBody, UpstreamError, UpstreamErrorKind};

impl UpstreamError {
    /// The error for a failed call: [`Failure`] from the error's kind
    /// (`is_timeout`, `is_connect`, …), never from its text. Logs nothing:
    /// rendering the error logs its one event, with these facts (see the
    /// [module documentation](super)).
    ///
    /// An error from `error_for_status()` maps on its status, but has lost
    /// the upstream's `Retry-After`: prefer [`from_response`](Self::from_response).
    #[must_use]
    pub fn from_reqwest(service: impl Into<Cow<'static, str>>, err: reqwest::Error) -> Self {
        Self::classify_reqwest(service.into(), &err)
    }

    /// The error for a response that is not a success: 503 for an upstream
    /// 503 or 429 (keeping its `Retry-After`, seconds or HTTP-date, clamped
    /// to [`MAX_RETRY_AFTER`](super::MAX_RETRY_AFTER)), 502 for anything else. The body is not read:
    /// [`from_response_body`](Self::from_response_body) reads its first
    /// bytes for the log when [`Config::with_upstream_body_logged`](crate::Config::with_upstream_body_logged) asks for them. Keeps the upstream's
    /// request id header ([`upstream_request_id`](Self::upstream_request_id)).
    /// Logs nothing (the render's event carries the facts).
    #[must_use]
    pub fn from_response(service: impl Into<Cow<'static, str>>, response: &reqwest::Response) -> Self {
        Self::classify_response(service.into(), response)
    }

    /// [`from_response`](Self::from_response), taking the response so that,
    /// after [`Config::with_upstream_body_logged`](crate::Config::with_upstream_body_logged)`(n)`, the error keeps the first `n` bytes of the
    /// upstream's body, and the render's event carries them as
    /// `upstream.body` (never more, escaped; never in `Debug` or a body);
    /// and so that, when the upstream sent no request id header, its request
    /// id is looked for in a JSON body of at most 16 KiB (a larger one is
    /// not read for it): see [`upstream_request_id`](Self::upstream_request_id).
    /// Otherwise the body is not read. Reading is bounded by those sizes and
    /// by the client's timeout.
    pub async fn from_response_body(
        service: impl Into<Cow<'static, str>>,
        mut response: reqwest::Response,
    ) -> Self {
        let mut err = Self::classify_response(service.into(), &response);
        let (logged, body_limit) = crate::request_id::with_current(|config, _| {
            (config.upstream_body_logged(), config.upstream_body_limit())
        });
        let for_id = if err.request_id.is_none() {
            ids::body_to_read(response.headers(), response.content_length(), body_limit)
        } else {
            0
        };
        let limit = logged.max(for_id);
        if limit == 0 {
            return err;
        }
        let mut body = Vec::new();
        // Whether the whole body was read (what the id is looked for in).
        let mut whole = false;
        while for_id > 0 || body.len() < limit {
            match response.chunk().await {
                Ok(Some(chunk)) if chunk.len() > limit - body.len() => {
                    body.extend_from_slice(&chunk[..limit - body.len()]);
                    break;
                }
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => {
                    whole = true;
                    break;
                }
                Err(_) => break,
            }
        }
        if whole && for_id > 0 {
            err.request_id = ids::in_body(&body);
        }
        if logged > 0 {
            let logged = &body[..body.len().min(logged)];
            err.body = Some(LoggedBody(String::from_utf8_lossy(logged).into()));
        }
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
            request_id: None,
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
            request_id: ids::in_headers(response.headers()),
        }
    }

    /// A 502 for a success body that is not what was expected (`failure`:
    /// [`Failure::Decode`] for `json` that does not deserialize, whose
    /// serde message, which can quote the body, is not kept).
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
            request_id: None,
        }
    }
}

/// Returns `request` carrying the current request's correlation to the
/// upstream: its id under [`Config::request_id_header`](crate::Config::request_id_header)
/// (`x-request-id`) and its W3C `traceparent` when it brought a valid one
/// and the configuration trusts the client, with its `tracestate` when
/// well-formed (with the feature `opentelemetry`, inside a span, the span's
/// own; the headers of
/// [`RequestId::outgoing_headers`](crate::RequestId::outgoing_headers)).
/// Outside any request (no framework layer's scope, no
/// [`RequestId::scope`](crate::RequestId::scope)), `request` unchanged.
///
/// [`send`] and [`json`] call it themselves: a
/// team's own reqwest calls that do not go through them call it before
/// sending. A header of the same name already on `request` is replaced; one
/// added after it is sent as well.
///
/// ```
/// use apierror::RequestId;
///
/// let http = reqwest::Client::new();
/// let id = RequestId::parse("req-42").unwrap();
/// let request = id.scope(|| apierror::upstream::correlate(http.get("http://billing.internal/v1/invoices")));
/// let request = request.build().unwrap();
/// assert_eq!(request.headers()["x-request-id"], "req-42");
///
/// // Outside a request: nothing added.
/// let request = apierror::upstream::correlate(http.get("http://billing.internal/")).build().unwrap();
/// assert!(request.headers().get("x-request-id").is_none());
/// ```
///
/// The call must be made where the request's scope is current: in the
/// handler (or what it awaits), not in a task it spawned.
#[must_use = "the correlated request is returned, not sent"]
pub fn correlate(request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    let headers = crate::RequestId::outgoing_headers();
    if headers.is_empty() {
        request
    } else {
        request.headers(headers)
    }
}

/// Sends `request`, carrying the current request's id, `traceparent` and
/// `tracestate` ([`correlate`]): a success response as is; a failure, or a response
/// that is not a success, as an [`UpstreamError`] of `service` (reading
/// the body's first bytes for the log after [`Config::with_upstream_body_logged`](crate::Config::with_upstream_body_logged),
/// and the upstream's request id: [`UpstreamError::upstream_request_id`]).
///
/// # Errors
///
/// The [`UpstreamError`] of the failure.
pub async fn send(
    service: impl Into<Cow<'static, str>>,
    request: reqwest::RequestBuilder,
) -> Result<reqwest::Response, UpstreamError> {
    let service = service.into();
    match correlate(request).send().await {
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
    // A failure past the headers keeps the upstream's request id too.
    let request_id = ids::id_header(response.headers());
    let with_id = |mut err: UpstreamError| {
        err.request_id = request_id.as_ref().and_then(|value| ids::bounded(value.as_bytes()));
        err
    };
    let limit = crate::request_id::with_scoped_config(|scoped| match scoped {
        Some(config) => config.upstream_body_limit(),
        None => crate::config::configured()
            .map_or(crate::DEFAULT_UPSTREAM_BODY_LIMIT, crate::Config::upstream_body_limit),
    });
    let too_large = |service| with_id(UpstreamError::bad_body(service, &url, Failure::TooLarge));
    let declared = response.content_length().unwrap_or(0);
    if declared > limit as u64 {
        return Err(too_large(service));
    }
    let mut body = Vec::with_capacity(declared as usize);
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|err| with_id(UpstreamError::from_reqwest(service.clone(), err.with_url(url.clone()))))?
    {
        if chunk.len() > limit - body.len() {
            return Err(too_large(service));
        }
        body.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&body)
        .map_err(|_| with_id(UpstreamError::bad_body(service, &url, Failure::Decode)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_query_fragment_and_user_information() {
        let url =
            reqwest::Url::parse("http://user:pw@127.0.0.1:8080/v1/secret-path?api_key=SECRET#frag").unwrap();
        assert_eq!(redacted(&url), "http://127.0.0.1:8080/v1/secret-path");
    }
}
