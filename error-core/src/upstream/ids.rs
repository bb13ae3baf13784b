//! Correlation across the call, whatever the client: the upstream's own
//! request id read back from its answer (its request id header, else
//! apierror's body), kept with the error for the log. What a call carries
//! to the upstream is [`RequestId::outgoing_headers`](crate::RequestId::outgoing_headers),
//! which the backend's `correlate` sends.

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::correlation::ForeignId;

/// The most bytes of an error body read to find the upstream's request id
/// in it (never more than [`Config::upstream_body_limit`](crate::Config::upstream_body_limit)
/// either): an apierror body that carries one is a few hundred bytes. A
/// larger declared body is not read for it, a longer one is dropped.
pub(super) const ID_BODY_LIMIT: usize = 16 * 1024;

/// The request id header most services use: looked at after the
/// configured one.
const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The upstream's own request id in its response headers: the configured
/// [`Config::request_id_header`](crate::Config::request_id_header), else
/// `x-request-id`; bounded as [`ForeignId`] (not escaped: the log escapes).
pub(super) fn in_headers(headers: &HeaderMap) -> Option<Box<str>> {
    id_header(headers).and_then(|value| bounded(value.as_bytes()))
}

/// The header value [`in_headers`] reads, not yet made text: a success
/// response keeps it (a reference count) in case its body fails.
pub(super) fn id_header(headers: &HeaderMap) -> Option<HeaderValue> {
    let present =
        |name: &HeaderName| headers.get(name).filter(|value| !value.as_bytes().trim_ascii().is_empty());
    // The request's configuration, else the one given to `configure`,
    // without fixing the installed default on a success path.
    let configured = crate::request_id::with_scoped_config(|scoped| {
        let config = match scoped {
            Some(config) => Some(config),
            None => crate::config::configured(),
        };
        config.and_then(|config| present(config.request_id_header()).cloned())
    });
    configured.or_else(|| present(&X_REQUEST_ID).cloned())
}

/// How many bytes of an error body to read for the upstream's request id:
/// 0 (do not read) unless the body is JSON (`application/json`, a `+json`
/// type such as `application/problem+json`) no larger than declared
/// allows; else at most [`ID_BODY_LIMIT`], and at most `body_limit`.
pub(super) fn body_to_read(headers: &HeaderMap, declared: Option<u64>, body_limit: usize) -> usize {
    let limit = ID_BODY_LIMIT.min(body_limit);
    let json = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .is_some_and(|media| media == "application/json" || media.ends_with("+json"));
    if !json || declared.is_some_and(|declared| declared > limit as u64) {
        return 0;
    }
    limit
}

/// The request id in a whole apierror error body, as render.rs writes it:
/// a problem's `instance` (`urn:request:<id>`), else the `request_id` member
/// of its `details`; in the array body, the first element's
/// `details.request_id` that there is (the id of a 5xx under
/// `Config::with_request_id_in_details`). `None` for any other body.
pub(super) fn in_body(body: &[u8]) -> Option<Box<str>> {
    let body: serde_json::Value = serde_json::from_slice(body).ok()?;
    fn in_details(object: &serde_json::Value) -> Option<&str> {
        object.get("details")?.get("request_id")?.as_str()
    }
    let id = match &body {
        serde_json::Value::Object(problem) => problem
            .get("instance")
            .and_then(serde_json::Value::as_str)
            .and_then(|instance| instance.strip_prefix(crate::render::INSTANCE_PREFIX))
            .or_else(|| in_details(&body)),
        serde_json::Value::Array(elements) => elements.iter().find_map(in_details),
        _ => None,
    }?;
    bounded(id.as_bytes())
}

/// Foreign id bytes as kept text: at most [`crate::correlation::CLIENT_LOGGED_LIMIT`]
/// bytes, invalid UTF-8 replaced, `[…]` when cut; `None` when empty (or
/// only whitespace).
pub(super) fn bounded(bytes: &[u8]) -> Option<Box<str>> {
    let bytes = bytes.trim_ascii();
    (!bytes.is_empty()).then(|| ForeignId(bytes).to_string().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_found_where_render_writes_it() {
        assert_eq!(
            in_body(br#"{"type":"about:blank","instance":"urn:request:up-1","error_code":"x"}"#).as_deref(),
            Some("up-1")
        );
        assert_eq!(
            in_body(br#"{"instance":"/orders/7","details":{"request_id":"up-2"}}"#).as_deref(),
            Some("up-2")
        );
        assert_eq!(
            in_body(br#"[{"message":"m","error_code":"a","field":null,"details":null},{"details":{"request_id":"up-3"}}]"#)
                .as_deref(),
            Some("up-3")
        );
        for other in [
            &br#"{"error":"up-4"}"#[..],
            b"[]",
            b"\"up-5\"",
            b"<html>",
            br#"{"instance":"urn:other:up-6"}"#,
            br#"[{"details":{"request_id":7}}]"#,
        ] {
            assert_eq!(in_body(other), None, "{}", String::from_utf8_lossy(other));
        }
    }

    #[test]
    fn ids_are_bounded_and_never_empty() {
        let long = "x".repeat(1000);
        let kept = bounded(long.as_bytes()).unwrap();
        assert!(kept.len() < 300 && kept.ends_with("[…]"), "{kept}");
        assert_eq!(bounded(b"\xffok").as_deref(), Some("\u{fffd}ok"));
        assert_eq!(bounded(b""), None);
        assert_eq!(bounded(b"  "), None);
    }

    #[test]
    fn only_a_json_body_of_bounded_length_is_read() {
        let mut headers = HeaderMap::new();
        assert_eq!(body_to_read(&headers, Some(10), usize::MAX), 0, "no content type");
        for json in ["application/json", "application/problem+json; charset=utf-8", "Application/JSON"] {
            headers.insert(http::header::CONTENT_TYPE, json.parse().unwrap());
            assert_eq!(body_to_read(&headers, Some(10), usize::MAX), ID_BODY_LIMIT, "{json}");
            assert_eq!(body_to_read(&headers, None, usize::MAX), ID_BODY_LIMIT, "{json}");
            assert_eq!(body_to_read(&headers, Some(ID_BODY_LIMIT as u64 + 1), usize::MAX), 0, "{json}");
            assert_eq!(body_to_read(&headers, None, 100), 100, "the configured limit");
        }
        headers.insert(http::header::CONTENT_TYPE, "text/html".parse().unwrap());
        assert_eq!(body_to_read(&headers, Some(10), usize::MAX), 0);
    }
}
