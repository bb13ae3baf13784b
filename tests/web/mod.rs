//! What the axum and actix-web end-to-end tests share: serving on loopback
//! ([`serve`]), a real HTTP client, the check that an error body is the
//! common body, the pieces of the test routes, and the scenarios both run
//! (a new case added to a scenario here runs against both frameworks).

#![allow(dead_code)] // each test binary uses its own part

use std::time::Duration;

use serde_json::{Map, Value};

pub mod log;
pub mod raw;
pub mod rewrite;
pub mod serve;

#[allow(unused_imports)] // each test binary uses its own part
pub use rewrite::*;

/// Every request of the end-to-end tests is bounded by this.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// One answer, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The single error object of an error response, after checking the
    /// whole body is the common body (see [`assert_common_body`]).
    pub fn error(&self) -> Map<String, Value> {
        let objects = assert_common_body(self);
        assert_eq!(objects.len(), 1, "one error object: {}", String::from_utf8_lossy(&self.body));
        objects.into_iter().next().unwrap()
    }

    /// `(status, error_code, field)` of a single-error response.
    pub fn code(&self) -> (u16, String, Value) {
        let error = self.error();
        (self.status, error["error_code"].as_str().unwrap().to_owned(), error["field"].clone())
    }
}

/// Checks that an error response is in the common body as production
/// renders it: `content-type: application/json`, a non-empty JSON array of
/// objects with exactly `message`, `error_code`, `field`, `details`.
pub fn assert_common_body(reply: &Reply) -> Vec<Map<String, Value>> {
    let text = String::from_utf8_lossy(&reply.body);
    assert!(reply.status >= 400, "an error status: {} {text}", reply.status);
    assert_eq!(
        reply.headers.get("content-type").map(|v| v.to_str().unwrap()),
        Some("application/json"),
        "{text}"
    );
    let Value::Array(objects) = reply.json() else { panic!("the body is an array: {text}") };
    assert!(!objects.is_empty(), "never an empty array");
    objects
        .into_iter()
        .map(|object| {
            let Value::Object(object) = object else { panic!("each element is an object: {text}") };
            let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["details", "error_code", "field", "message"], "exactly four keys: {text}");
            let message = object["message"].as_str().expect("message is a string");
            assert!(message.ends_with('.'), "message is a sentence: {message}");
            assert!(object["error_code"].as_str().is_some_and(|c| !c.is_empty()), "error_code: {text}");
            assert!(object["field"].is_null() || object["field"].is_string(), "field: {text}");
            assert!(object["details"].is_null() || object["details"].is_object(), "details: {text}");
            object
        })
        .collect()
}

/// A client for one server on loopback.
pub struct Client {
    base: String,
    http: reqwest::Client,
}

impl Client {
    pub fn new(address: std::net::SocketAddr) -> Self {
        assert!(address.ip().is_loopback(), "tests talk to loopback only");
        let http = reqwest::Client::builder().timeout(REQUEST_TIMEOUT).no_proxy().build().expect("client");
        Self { base: format!("http://{address}"), http }
    }

    /// Sends a request; `body` is sent with `content_type` when given.
    /// Every error response is checked to be the common body.
    pub async fn send(&self, method: &str, path: &str, content_type: Option<&str>, body: &str) -> Reply {
        let headers: &[(&str, &str)] = match &content_type {
            Some(content_type) => &[("content-type", content_type)],
            None => &[],
        };
        self.send_with(method, path, headers, body).await
    }

    /// `GET path` with the request id `id`.
    pub async fn get_with_id(&self, path: &str, id: &str) -> Reply {
        self.send_with("GET", path, &[("x-request-id", id)], "").await
    }

    /// Sends a request with `headers`. Every error response is checked to
    /// be the common body.
    pub async fn send_with(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        let reply = self.fetch(method, path, headers, body).await;
        if reply.status >= 400 {
            assert_common_body(&reply);
        }
        reply
    }

    /// `HEAD path`, the answer as it is (a HEAD answer has no body).
    pub async fn head(&self, path: &str) -> Reply {
        self.fetch("HEAD", path, &[], "").await
    }

    /// `GET path`, the answer as it is (no check of the body).
    pub async fn get_unchecked(&self, path: &str) -> Reply {
        self.fetch("GET", path, &[], "").await
    }

    /// A request with `headers`, the answer as it is (no check of the body:
    /// for the tests of another format, `tests/http/problem.rs`).
    pub async fn send_unchecked(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Reply {
        self.fetch(method, path, headers, body).await
    }

    async fn fetch(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if !body.is_empty() {
            request = request.body(body.to_owned());
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.expect("the whole body").to_vec();
        Reply { status, headers, body }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None, "").await
    }

    /// A request with a JSON body and `content-type: application/json`.
    pub async fn json(&self, method: &str, path: &str, body: &str) -> Reply {
        self.send(method, path, Some("application/json"), body).await
    }
}

/// What every test does before serving: checks that the default its
/// `layer()`s render with (nothing is configured: the environment's) is
/// production, as the tests check production bodies; the servers built with
/// `layer_with`/`middleware_with` are given `Config::production()`.
pub fn set_up() {
    assert!(!apierror::config().is_development(), "the tests check production bodies (APP_ENV is set?)");
}

/// The query of the `/test/search` routes (and the body of
/// `/test/framework-json`).
#[derive(serde::Deserialize)]
pub struct Search {
    pub page: u32,
}

/// What the `/test/panic` routes panic with: a secret that must not reach
/// the client (see [`panics`]).
pub const PANIC_MESSAGE: &str = "handler panicked with the database password hunter2";

/// The two errors the `/test/errors` routes answer with.
pub fn two_errors() -> apierror::Errors {
    let mut errors = apierror::Errors::new();
    errors.push(apierror_examples::things::ThingError::NotFound(7));
    errors.push(apierror_examples::things::ThingError::RatingOutOfRange { given: 9 });
    errors
}

/// A generic derived type: each framework's test turns
/// `Lookup::Missing(7u8)` into its response and checks it with
/// [`assert_lookup_response`].
#[derive(Debug, thiserror::Error, apierror::ApiError)]
pub enum Lookup<K: std::fmt::Debug + std::fmt::Display> {
    #[error("nothing at {0}")]
    #[api(status = 404, code = "web-test.lookup_missing", field = "key", message = "Nothing has this key.")]
    Missing(K),
}

/// The response of `Lookup::Missing(_)`: its status, `content-type` and
/// body.
pub fn assert_lookup_response(status: u16, content_type: &str, body: &[u8]) {
    assert_eq!(status, 404);
    assert_eq!(content_type, "application/json");
    assert_eq!(
        std::str::from_utf8(body).unwrap(),
        r#"[{"message":"Nothing has this key.","error_code":"web-test.lookup_missing","field":"key","details":null}]"#
    );
}

/// The body limit both test servers are given, in bytes.
pub const BODY_LIMIT: usize = 1024;

/// A JSON body over [`BODY_LIMIT`], valid otherwise.
pub fn oversized_thing() -> String {
    format!(r#"{{"name": "{}", "rating_out_of_five": 3}}"#, "x".repeat(2 * BODY_LIMIT))
}

fn code(status: u16, code: &str, field: Option<&str>) -> (u16, String, Value) {
    (status, code.to_owned(), field.map_or(Value::Null, |f| Value::String(f.to_owned())))
}

/// The things API works, and its own declared errors answer with their
/// exact status, code, field, message and details.
pub async fn things_and_declared_errors(c: &Client) {
    let created = c.json("POST", "/api/things", r#"{"name": "lamp", "rating_out_of_five": 4}"#).await;
    assert_eq!(created.status, 201, "{:?}", String::from_utf8_lossy(&created.body));
    assert_eq!(
        created.json(),
        serde_json::json!({"id": 1, "name": "lamp", "rating_out_of_five": 4, "votes": 0})
    );

    let read = c.get("/api/things/1").await;
    assert_eq!((read.status, read.json()["name"].clone()), (200, Value::from("lamp")));

    let voted = c.json("PATCH", "/api/things/1", r#"{"increase_votes_by": 2}"#).await;
    assert_eq!((voted.status, voted.json()["votes"].clone()), (200, Value::from(2)));

    let negative = c.json("PATCH", "/api/things/1", r#"{"increase_votes_by": -5}"#).await;
    assert_eq!(
        Value::Object(negative.error()),
        serde_json::json!({
            "message": "A thing cannot have fewer than zero votes.",
            "error_code": "things.negative_votes",
            "field": "increase_votes_by",
            "details": null,
        })
    );
    assert_eq!(negative.status, 422);

    let duplicate = c.json("POST", "/api/things", r#"{"name": "lamp", "rating_out_of_five": 1}"#).await;
    assert_eq!(duplicate.status, 409);
    assert_eq!(
        Value::Object(duplicate.error()),
        serde_json::json!({
            "message": "A thing with this name already exists.",
            "error_code": "things.duplicate_name",
            "field": "name",
            "details": null,
        })
    );

    // The body's rules (`NewThing`, declared with validator) answer before
    // the handler runs: 400, the rule's code, its limits, the declared
    // message, never the value sent (the store's own 422 is not reached).
    for rating in ["6", "9", "-1"] {
        let body = format!(r#"{{"name": "chair", "rating_out_of_five": {rating}}}"#);
        let reply = c.json("POST", "/api/things", &body).await;
        assert_eq!(reply.status, 400, "{rating}");
        assert_eq!(
            Value::Object(reply.error()),
            serde_json::json!({
                "message": "The rating must be between 0 and 5, inclusive.",
                "error_code": "apierror.validation.range",
                "field": "rating_out_of_five",
                "details": {"min": 0, "max": 5},
            }),
            "{rating}"
        );
    }
    let long = format!(r#"{{"name": "{}", "rating_out_of_five": 3}}"#, "n".repeat(101));
    for body in [r#"{"name": "", "rating_out_of_five": 3}"#, long.as_str()] {
        let reply = c.json("POST", "/api/things", body).await;
        assert_eq!(reply.status, 400);
        assert_eq!(
            Value::Object(reply.error()),
            serde_json::json!({
                "message": "The name must be 1 to 100 characters long.",
                "error_code": "apierror.validation.length",
                "field": "name",
                "details": {"min": 1, "max": 100},
            })
        );
    }
    // Every broken rule in one body, in the order of the keys.
    let both = c.json("POST", "/api/things", r#"{"name": "", "rating_out_of_five": 6}"#).await;
    assert_eq!(both.status, 400);
    let objects = assert_common_body(&both);
    let codes: Vec<(&str, &str)> =
        objects.iter().map(|o| (o["error_code"].as_str().unwrap(), o["field"].as_str().unwrap())).collect();
    assert_eq!(
        codes,
        [("apierror.validation.length", "name"), ("apierror.validation.range", "rating_out_of_five")]
    );
    // A name of 100 characters (not bytes) is fine.
    let longest = format!(r#"{{"name": "{}", "rating_out_of_five": 0}}"#, "\\u00e9".repeat(100));
    let created = c.json("POST", "/api/things", &longest).await;
    assert_eq!(created.status, 201, "{:?}", String::from_utf8_lossy(&created.body));
    assert_eq!(
        c.send("DELETE", &format!("/api/things/{}", created.json()["id"]), None, "").await.status,
        204
    );

    assert_eq!(c.send("DELETE", "/api/things/1", None, "").await.status, 204);
    let gone = c.get("/api/things/1").await;
    assert_eq!(gone.status, 404);
    assert_eq!(
        Value::Object(gone.error()),
        serde_json::json!({
            "message": "There is no thing with this id.",
            "error_code": "things.not_found",
            "field": "id",
            "details": null,
        })
    );
    assert_eq!(
        c.send("DELETE", "/api/things/1", None, "").await.code(),
        code(404, "things.not_found", Some("id"))
    );
}

/// Every client mistake is a 4xx in the common body with a useful code and
/// field; none is a 500.
pub async fn client_mistakes(c: &Client) {
    let post = |body: &'static str| c.json("POST", "/api/things", body);
    // Malformed JSON.
    assert_eq!(post(r#"{"name": "#).await.code(), code(400, "apierror.invalid_json", None));
    assert_eq!(
        post(r#"{"name": "a", "rating_out_of_five": 1} trailing"#).await.code(),
        code(400, "apierror.invalid_json", None)
    );
    assert_eq!(post("").await.code(), code(400, "apierror.invalid_json", None));
    // A missing field names it.
    assert_eq!(
        post(r#"{"name": "a"}"#).await.code(),
        code(400, "apierror.missing_field", Some("rating_out_of_five"))
    );
    assert_eq!(post("{}").await.code(), code(400, "apierror.missing_field", Some("name")));
    // A wrong type names the key.
    assert_eq!(
        post(r#"{"name": "a", "rating_out_of_five": "five"}"#).await.code(),
        code(400, "apierror.invalid_type", Some("rating_out_of_five"))
    );
    assert_eq!(
        post(r#"{"name": 5, "rating_out_of_five": 1}"#).await.code(),
        code(400, "apierror.invalid_type", Some("name"))
    );
    // The body itself of the wrong type: no field.
    assert_eq!(post(r#""lamp""#).await.code(), code(400, "apierror.invalid_type", None));
    assert_eq!(post("42").await.code(), code(400, "apierror.invalid_type", None));
    assert_eq!(
        c.json("PATCH", "/api/things/1", r#"{"increase_votes_by": 1.5}"#).await.code(),
        code(400, "apierror.invalid_type", Some("increase_votes_by"))
    );
    // No or wrong content type.
    let body = r#"{"name": "a", "rating_out_of_five": 1}"#;
    let unsupported = code(415, "apierror.unsupported_media_type", None);
    assert_eq!(c.send("POST", "/api/things", None, body).await.code(), unsupported);
    assert_eq!(c.send("POST", "/api/things", Some("text/plain"), body).await.code(), unsupported);
    assert_eq!(
        c.send("POST", "/api/things", Some("application/x-www-form-urlencoded"), "name=a").await.code(),
        unsupported
    );
    // A non-ASCII content type (a character across the cut of the `+json`
    // test) is not JSON: 415, not a panic (issue 9 item 1).
    for content_type in ["application/\u{e9}\u{e9}\u{e9}", "application/x\u{1f600}json", "\u{e9}/json"] {
        assert_eq!(c.send("POST", "/api/things", Some(content_type), body).await.code(), unsupported);
    }
    // Declared JSON with parameters or a +json suffix is fine.
    assert_eq!(
        c.send("POST", "/api/things", Some("application/json; charset=utf-8"), body).await.status,
        201
    );
    // Over the body limit.
    assert_eq!(
        c.json("POST", "/api/things", &oversized_thing()).await.code(),
        code(413, "apierror.payload_too_large", None)
    );
    // A path parameter that does not parse names it.
    for path in
        ["/api/things/notAnId", "/api/things/-1", "/api/things/1.5", "/api/things/99999999999999999999999"]
    {
        assert_eq!(c.get(path).await.code(), code(400, "apierror.invalid_path", Some("id")), "{path}");
    }
    assert_eq!(
        c.send("DELETE", "/api/things/x", None, "").await.code(),
        code(400, "apierror.invalid_path", Some("id"))
    );
    // Query parameters.
    assert_eq!(
        c.get("/test/search?page=two").await.code(),
        code(400, "apierror.invalid_query", Some("page"))
    );
    assert_eq!(c.get("/test/search").await.code(), code(400, "apierror.missing_field", Some("page")));
    let found = c.get("/test/search?page=2").await;
    assert_eq!((found.status, found.body.as_slice()), (200, b"page 2".as_slice()));
}

/// Unknown routes and wrong methods answer in the common body; a 405 keeps
/// its `Allow` header.
pub async fn routing(c: &Client) {
    for path in ["/nope", "/api", "/api/things/1/extra"] {
        assert_eq!(c.get(path).await.code(), code(404, "apierror.not_found", None), "{path}");
    }
    let wrong = c.send("PUT", "/api/things/1", Some("application/json"), "{}").await;
    assert_eq!(wrong.code(), code(405, "apierror.method_not_allowed", None));
    let allow = wrong.headers.get("allow").expect("405 keeps Allow").to_str().unwrap().to_owned();
    for method in ["GET", "PATCH", "DELETE"] {
        assert!(allow.contains(method), "Allow: {allow}");
    }
    let wrong = c.get("/api/things").await;
    assert_eq!(wrong.code(), code(405, "apierror.method_not_allowed", None));
    assert!(wrong.headers["allow"].to_str().unwrap().contains("POST"));
}

/// `HEAD` on a GET route is answered by the GET handler without the body,
/// in both integrations (issue 9 item 12): the same status and headers as
/// the `GET`.
pub async fn head_is_get_without_the_body(c: &Client) {
    let created = c.json("POST", "/api/things", r#"{"name": "head", "rating_out_of_five": 2}"#).await;
    let path = format!("/api/things/{}", created.json()["id"]);
    let get = c.get(&path).await;
    let head = c.head(&path).await;
    assert_eq!((head.status, head.body.as_slice()), (200, b"".as_slice()), "{head:?}");
    assert_eq!(head.headers["content-length"], get.body.len().to_string());
    assert_eq!(head.headers["content-type"], "application/json");

    // An error: the same status, code-less (no body), with the request id.
    let head = c.head("/api/things/999999").await;
    assert_eq!((head.status, head.body.as_slice()), (404, b"".as_slice()), "{head:?}");
    assert_eq!(head.headers["content-type"], "application/json");
    assert!(head.headers.contains_key("x-request-id"));
    assert_eq!(c.send("DELETE", &path, None, "").await.status, 204);
}

/// A panic is a 500 in the common body, without a word of the panic, and
/// the server keeps serving.
pub async fn panics(c: &Client) {
    for _ in 0..3 {
        let reply = c.get("/test/panic").await;
        assert_eq!(reply.code(), code(500, "apierror.internal", None));
        assert_eq!(reply.error()["message"], "An unexpected error occurred. Please try again later.");
        let text = String::from_utf8_lossy(&reply.body);
        assert!(!text.contains("hunter2") && !text.contains("panic"), "{text}");
        // The next request succeeds.
        let created = c.json("POST", "/api/things", r#"{"name": "after", "rating_out_of_five": 5}"#).await;
        assert_eq!(created.status, 201);
        assert_eq!(
            c.send("DELETE", &format!("/api/things/{}", created.json()["id"]), None, "").await.status,
            204
        );
    }
}

/// Error responses that are not in the common body (bare statuses, the
/// framework's own extractors) are rewritten into it, keeping the status and
/// headers such as `Retry-After`.
pub async fn rewrites(c: &Client) {
    let teapot = c.get("/test/teapot").await;
    assert_eq!(teapot.code(), code(418, "apierror.client_error", None));
    assert_eq!(teapot.error()["message"], apierror::generic_message(418));

    let unavailable = c.get("/test/unavailable").await;
    assert_eq!(unavailable.code(), code(503, "apierror.service_unavailable", None));
    assert_eq!(unavailable.headers["retry-after"], "30");
    assert!(!String::from_utf8_lossy(&unavailable.body).contains("maintenance"));

    assert_eq!(c.get("/test/timeout").await.code(), code(408, "apierror.timeout", None));
    assert_eq!(c.get("/test/bare-500").await.code(), code(500, "apierror.internal", None));

    // The framework's own body extractor over the limit.
    let raw = c.send("POST", "/test/raw-body", Some("text/plain"), &"x".repeat(2 * BODY_LIMIT)).await;
    assert_eq!(raw.code(), code(413, "apierror.payload_too_large", None));
    let raw = c.send("POST", "/test/raw-body", Some("text/plain"), "small").await;
    assert_eq!((raw.status, raw.body.as_slice()), (200, b"5 bytes".as_slice()));

    // The framework's own JSON extractor: its text rejection is rewritten,
    // and serde's message does not reach the client.
    let framework = c.json("POST", "/test/framework-json", r#"{"page": "two"}"#).await;
    let (status, error_code, _) = framework.code();
    assert!((400..500).contains(&status), "{status}");
    assert!(["apierror.bad_request", "apierror.client_error"].contains(&error_code.as_str()), "{error_code}");
    assert!(!String::from_utf8_lossy(&framework.body).contains("invalid type"));

    // Several errors in one body.
    let errors = c.get("/test/errors").await;
    assert_eq!(errors.status, 400, "all 4xx but different: 400");
    let objects = assert_common_body(&errors);
    let codes: Vec<&str> = objects.iter().map(|o| o["error_code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["things.not_found", "things.rating_out_of_range"]);
}
