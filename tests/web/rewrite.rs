//! The rewrite policy (`error-core/src/rewrite.rs`) over loopback: the test
//! routes both servers serve, and the scenarios both run.

use super::*;

/// The test routes of the rewrite policy both servers serve:
///
/// - `/test/bad-gateway`: a bare 502;
/// - `/test/rendered` and `/test/rendered-dev`: [`rendered`] with the
///   production and the development configuration, mapped into the
///   framework's response by hand (no marker);
/// - `/test/foreign-json`: a 400 with a JSON body of another shape;
/// - `/test/shaped-text`: [`rendered`]'s body as `text/plain`, with 409;
/// - `/test/representation`: a 503 with [`REPRESENTATION_HEADERS`] and
///   [`KEPT_HEADERS`];
/// - `/test/range`: a 416 with `content-range: bytes */1234` and an `etag`.
pub fn rendered(config: &apierror::Config) -> http::Response<Vec<u8>> {
    use apierror::ApiErrorExt;
    apierror_examples::things::ThingError::RatingOutOfRange { given: 9 }.to_response_with(config)
}

/// Headers that describe a body: dropped when the body is replaced.
pub const REPRESENTATION_HEADERS: [(&str, &str); 7] = [
    ("content-disposition", "attachment; filename=\"report.csv\""),
    ("etag", "\"v42\""),
    ("last-modified", "Wed, 21 Oct 2015 07:28:00 GMT"),
    ("content-language", "de"),
    ("content-location", "/reports/42.csv"),
    ("content-md5", "Q2hlY2sgSW50ZWdyaXR5IQ=="),
    ("content-range", "bytes 0-99/1234"),
];

/// Headers that still hold for the replacement: kept.
pub const KEPT_HEADERS: [(&str, &str); 8] = [
    ("retry-after", "30"),
    ("www-authenticate", "Bearer realm=\"things\""),
    ("vary", "accept-language"),
    ("cache-control", "no-store"),
    ("expires", "Thu, 01 Dec 1994 16:00:00 GMT"),
    ("set-cookie", "session=1; HttpOnly"),
    ("access-control-allow-origin", "https://app.example"),
    ("x-custom", "kept"),
];

/// The log event of a rewritten response says the status answered, at
/// that status's level (issue 9 item 4), with a real fmt subscriber.
pub async fn rewritten_responses_log_the_status_answered(c: &Client, prefix: &str) {
    log::install();
    for (path, status, level, code) in [
        ("/test/teapot", 418, "DEBUG", "apierror.client_error"),
        ("/test/bad-gateway", 502, "ERROR", "apierror.server_error"),
        ("/test/unavailable", 503, "ERROR", "apierror.service_unavailable"),
    ] {
        let id = format!("{prefix}-log{path}").replace('/', "-");
        let reply = c.get_with_id(path, &id).await;
        assert_eq!(reply.code(), (status, code.to_owned(), Value::Null), "{path}");
        let line = log::the_line_with(&format!("request_id=\"{id}\""));
        assert!(line.contains(&format!("error.status={status}")), "{line}");
        assert!(line.contains(&format!("{status} {code}")), "{line}");
        assert!(line.contains(&format!(" {level} ")), "{line}");
    }
}

/// A body in the common shape reaches the client as it was, however it was
/// produced (issue 9 item 5); anything else is rewritten.
pub async fn common_bodies_pass_untouched(c: &Client) {
    let expected = rendered(&apierror::Config::production()).into_body();
    let reply = c.get("/test/rendered").await;
    assert_eq!(reply.status, 422);
    assert_eq!(String::from_utf8_lossy(&reply.body), String::from_utf8_lossy(&expected));
    assert_eq!(reply.code(), code(422, "things.rating_out_of_range", Some("rating_out_of_five")));

    // Development's `debug` is part of the shape, but a production server
    // does not trust a body that carries one (issue 18 item 4: the layers
    // trust only what they could have rendered): rewritten, `debug` gone.
    let reply = c.get("/test/rendered-dev").await;
    assert_eq!(reply.code(), code(422, "apierror.client_error", None));
    assert!(!String::from_utf8_lossy(&reply.body).contains("debug"));

    // Not the shape, or not declared JSON: rewritten.
    assert_eq!(c.get("/test/foreign-json").await.code(), code(400, "apierror.bad_request", None));
    assert_eq!(c.get("/test/shaped-text").await.code(), code(409, "apierror.client_error", None));
}

/// A rewritten response drops the headers that described the old body and
/// keeps those that still hold (issue 9 item 6).
pub async fn representation_headers_are_dropped(c: &Client) {
    let reply = c.get("/test/representation").await;
    assert_eq!(reply.code(), code(503, "apierror.service_unavailable", None));
    for (name, _) in REPRESENTATION_HEADERS {
        assert!(reply.headers.get(name).is_none(), "{name} dropped: {:?}", reply.headers);
    }
    for (name, value) in KEPT_HEADERS {
        assert_eq!(reply.headers.get(name).map(|v| v.to_str().unwrap()), Some(value), "{name} kept");
    }
    assert_eq!(reply.headers["content-type"], "application/json");
    assert_eq!(reply.headers["content-length"], reply.body.len().to_string());

    // On a 416, `Content-Range` gives the resource's length: kept.
    let reply = c.get("/test/range").await;
    assert_eq!(reply.code(), code(416, "apierror.client_error", None));
    assert_eq!(reply.headers["content-range"], "bytes */1234");
    assert!(reply.headers.get("etag").is_none());
}

/// An upstream's error body forwarded by a handler (what `/test/forwarded`
/// answers, 500 `application/json`): the common shape, but an unregistered
/// code, the upstream's text and a `debug` member. A line break between its
/// tokens and a U+202E in its message: foreign text, for the log.
pub const FORWARDED: &str = "[\n{\"message\":\"pq: duplicate key value violates unique constraint \\\"users_email_key\\\": Key (email)=(alice@x) \u{202e}exists\",\
     \"error_code\":\"billing.internal_db\",\"field\":null,\"details\":null,\
     \"debug\":{\"type\":\"pq.Error\",\"display\":\"dial tcp db.internal:5432\",\"sources\":[]}}]";

/// A body the library did not render is trusted only if every code in it
/// is registered and, in production, it has no `debug` (issue 18 item 4):
/// the forwarded upstream body is rewritten to the built-in error of its
/// status, nothing of it reaches the client, and the replacement's one log
/// event carries it as escaped data.
pub async fn forwarded_bodies_are_rewritten_and_logged(c: &Client, prefix: &str) {
    log::install();
    let id = format!("{prefix}-forwarded");
    let reply = c.get_with_id("/test/forwarded", &id).await;
    assert_eq!(reply.code(), code(500, "apierror.internal", None));
    let text = String::from_utf8_lossy(&reply.body);
    for secret in ["alice", "pq:", "billing", "debug", "db.internal", "\u{202e}"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    let line = log::the_line_with(&format!("request_id=\"{id}\""));
    assert!(line.contains("500 apierror.internal"), "{line}");
    assert!(line.contains("an error_code of the body is not registered"), "{line}");
    // The body, escaped: its line break and its U+202E are escapes, the
    // rest as it was.
    assert!(line.contains("[\\n{\"message\":\"pq: duplicate key"), "{line}");
    assert!(line.contains("(alice@x) \\u{202e}exists"), "{line}");
    assert!(line.contains("\"error_code\":\"billing.internal_db\""), "{line}");
    assert!(!line.contains('\u{202e}'), "{line}");
}

/// The framework's own `Json` extractor, used by mistake (`/test/framework-json`
/// takes axum's `axum::Json` / actix-web's `web::Json`): its text rejection
/// is rewritten, and the rewrite's one log event carries the rejection's
/// reason, escaped (issue 18 item 16). The bad value holds a U+202E, which
/// serde's message quotes.
pub async fn framework_json_rejections_are_logged(c: &Client, prefix: &str) {
    log::install();
    let id = format!("{prefix}-framework-json");
    let headers = [("content-type", "application/json"), ("x-request-id", id.as_str())];
    let reply = c.send_with("POST", "/test/framework-json", &headers, "{\"page\": \"t\u{202e}wo\"}").await;
    let (status, error_code, _) = reply.code();
    assert!(
        [(422, "apierror.client_error"), (400, "apierror.bad_request")]
            .contains(&(status, error_code.as_str())),
        "{status} {error_code}"
    );
    assert!(!String::from_utf8_lossy(&reply.body).contains("invalid type"));
    let line = log::the_line_with(&format!("request_id=\"{id}\""));
    assert!(line.contains("not declared JSON"), "{line}");
    // serde quotes the value with `Debug` (U+202E already `\u{202e}`), and
    // the log escapes that backslash: no raw U+202E either way.
    assert!(line.contains("invalid type: string \"t\\"), "{line}");
    assert!(line.contains("u{202e}wo\", expected u32"), "{line}");
    assert!(!line.contains('\u{202e}'), "{line}");
}

/// A hand-written error whose entry was never registered (issue 18 item
/// 5): what `/test/unlisted` answers with, through the framework's own
/// response trait.
#[derive(Debug, thiserror::Error)]
#[error("unlisted")]
pub struct Unlisted;

static UNLISTED: apierror::Entry = apierror::Entry::builder("web-test.unlisted", 409, "Unlisted").build();

impl apierror::ApiError for Unlisted {
    fn entry(&self) -> &'static apierror::Entry {
        &UNLISTED
    }
}

/// Rendering an unregistered entry panics in debug builds before a byte is
/// written: behind the layer that is a 500 in the common body, whole (and
/// the next request is served); a release build renders the entry.
pub async fn unregistered_entries_are_refused_in_debug_builds(c: &Client) {
    let reply = c.get("/test/unlisted").await;
    if cfg!(debug_assertions) {
        assert_eq!(reply.code(), code(500, "apierror.internal", None));
    } else {
        assert_eq!(reply.code(), code(409, "web-test.unlisted", None));
    }
    assert_eq!(c.get("/test/search?page=3").await.status, 200);
}
