//! `Format::Problem`: every kind of body in RFC 9457
//! `application/problem+json`, each parsed by a third-party RFC 9457 parser
//! (`http_api_problem::HttpApiProblem`) besides serde_json, and, with the
//! framework features, the built-in rejections and the layers' rewrites
//! over a real HTTP peer on loopback for axum and actix-web.
//!
//! Nothing is configured process-wide: each render is given
//! [`problems`], and the servers' layers carry it
//! (`layer_with`/`middleware_with`), which their extractors, fallbacks,
//! rewrites and `to_response()` read.

use apierror::{ApiError, ApiErrorExt, Config, Errors, Format, RequestId};
use http_api_problem::HttpApiProblem;
use proptest::prelude::*;
use serde_json::{json, Value};

/// The configuration of this binary: production, problems.
fn problems() -> Config {
    Config::production().with_format(Format::Problem)
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api(docs = "https://docs.example.com/errors/{code}")]
pub enum ShopError {
    #[error("item {0} is sold out")]
    #[api(status = 409, code = "shop.sold_out", field = "item", message = "This item is sold out.")]
    SoldOut(u32),

    #[error("quantity {given} over {max}")]
    #[api(
        status = 422,
        code = "shop.quantity",
        field = "quantity",
        message = "Quantity {given} is not allowed."
    )]
    Quantity {
        given: i64,
        #[api(details)]
        max: u32,
    },

    #[error("unknown column {column}")]
    #[api(status = 400, code = "shop.column", message = "This column is unknown.")]
    Column {
        #[api(field)]
        column: String,
    },

    #[error("database down")]
    #[api(status = 503, code = "shop.down", retry_after = 30)]
    Down(#[source] std::io::Error),

    #[error(transparent)]
    #[api(transparent)]
    Plain(#[from] Plain),

    #[error(transparent)]
    #[api(transparent)]
    Several(#[from] Errors),
}

/// A type without `docs`: its problems are `about:blank`.
#[derive(Debug, thiserror::Error, ApiError)]
#[error("nothing at this address")]
#[api(status = 404, code = "shop.plain")]
pub struct Plain;

/// Free text as a message, a field and a detail: what the property test
/// varies.
#[derive(Debug, thiserror::Error, ApiError)]
#[error("free text")]
#[api(status = 400, code = "shop.free", message = "Bad: {text}.")]
pub struct Free {
    text: String,
    #[api(field)]
    field: String,
    #[api(details)]
    note: String,
}

/// The members a problem of this library may have.
const MEMBERS: [&str; 10] =
    ["type", "title", "status", "detail", "instance", "error_code", "field", "details", "errors", "debug"];

/// Checks `response` is an RFC 9457 problem in every way this library
/// promises, with serde_json and with `HttpApiProblem` (which must agree),
/// and returns the body as JSON.
fn problem(response: &http::Response<Vec<u8>>) -> Value {
    let text = String::from_utf8_lossy(response.body());
    assert_eq!(response.headers()["content-type"], "application/problem+json", "{text}");
    assert_problem_body(response.status().as_u16(), response.body())
}

/// [`problem`] for a body and the status it was answered with.
fn assert_problem_body(status: u16, body: &[u8]) -> Value {
    let text = String::from_utf8_lossy(body);
    let value: Value = serde_json::from_slice(body).unwrap_or_else(|e| panic!("JSON ({e}): {text}"));
    let parsed: HttpApiProblem =
        serde_json::from_slice(body).unwrap_or_else(|e| panic!("HttpApiProblem ({e}): {text}"));
    let Value::Object(object) = &value else { panic!("a problem is an object: {text}") };
    for key in object.keys() {
        assert!(MEMBERS.contains(&key.as_str()), "unexpected member {key}: {text}");
    }
    // The standard members, as the third-party parser reads them.
    let status_code = http::StatusCode::from_u16(status).unwrap();
    assert_eq!(parsed.status.map(|s| s.as_u16()), Some(status), "{text}");
    assert_eq!(value["status"], status, "{text}");
    let title =
        status_code.canonical_reason().unwrap_or(if status >= 500 { "Server Error" } else { "Client Error" });
    assert_eq!(parsed.title.as_deref(), Some(title), "{text}");
    let type_url = parsed.type_url.clone().expect("type is always there");
    assert!(type_url == "about:blank" || type_url.starts_with("https://"), "{text}");
    assert_eq!(value["type"], type_url.as_str());
    assert_eq!(parsed.detail.as_deref(), value["detail"].as_str(), "{text}");
    assert!(parsed.detail.is_some(), "detail is always there: {text}");
    assert_eq!(parsed.instance.as_deref(), value.get("instance").and_then(Value::as_str));
    if let Some(instance) = &parsed.instance {
        assert!(instance.starts_with("urn:request:"), "{text}");
    }
    // The extension members, as the third-party parser keeps them.
    let code = parsed.json_value("error_code").and_then(Value::as_str).expect("error_code");
    assert!(!code.is_empty());
    assert_eq!(parsed.json_value("field"), Some(&value["field"]));
    assert!(value["field"].is_null() || value["field"].is_string(), "{text}");
    assert_eq!(parsed.json_value("details"), Some(&value["details"]));
    assert!(value["details"].is_null() || value["details"].is_object(), "{text}");
    if let Some(errors) = value.get("errors") {
        assert_eq!(parsed.json_value("errors"), Some(errors));
        let errors = errors.as_array().expect("errors is an array");
        assert!(!errors.is_empty(), "{text}");
        for error in errors {
            let mut keys: Vec<&str> = error.as_object().unwrap().keys().map(String::as_str).collect();
            keys.retain(|k| *k != "debug");
            keys.sort_unstable();
            assert_eq!(keys, ["detail", "details", "error_code", "field"], "{text}");
        }
    }
    value
}

#[test]
fn a_derived_error_with_docs_is_a_problem_of_that_type() {
    let response = ShopError::SoldOut(3).to_response_with(&problems());
    assert_eq!(response.status(), 409);
    let body = problem(&response);
    assert_eq!(
        body,
        json!({
            "type": "https://docs.example.com/errors/shop.sold_out",
            "title": "Conflict",
            "status": 409,
            "detail": "This item is sold out.",
            "error_code": "shop.sold_out",
            "field": "item",
            "details": null,
        })
    );
    // `detail` is exactly what the array format's `message` is.
    let array = ShopError::SoldOut(3).to_response_with(&Config::production());
    let array: Value = serde_json::from_slice(array.body()).unwrap();
    assert_eq!(array[0]["message"], body["detail"]);
    assert_eq!(array[0]["error_code"], body["error_code"]);
    // Member order as RFC 9457 lists them, then the extensions.
    assert!(std::str::from_utf8(response.body())
        .unwrap()
        .starts_with(r#"{"type":"https://docs.example.com/"#));
}

#[test]
fn an_error_without_docs_is_about_blank() {
    let parsed: HttpApiProblem = serde_json::from_slice(Plain.to_response_with(&problems()).body()).unwrap();
    assert_eq!(parsed.type_url.as_deref(), Some("about:blank"));
    assert_eq!(parsed.title.as_deref(), Some("Not Found"));
    assert_eq!(parsed.detail.as_deref(), Some(apierror::generic_message(404)));
    assert_eq!(parsed.json_value("error_code"), Some(&json!("shop.plain")));
}

#[test]
fn details_and_a_field_from_a_value_are_extension_members() {
    let body = problem(&ShopError::Quantity { given: -2, max: 10 }.to_response_with(&problems()));
    assert_eq!(body["detail"], "Quantity -2 is not allowed.");
    assert_eq!(body["details"], json!({"max": 10}));
    assert_eq!(body["field"], "quantity");
    assert_eq!(body["status"], 422);
    assert_eq!(body["title"], "Unprocessable Entity");

    let body = problem(&ShopError::Column { column: "prce".into() }.to_response_with(&problems()));
    assert_eq!(body["field"], "prce");
    assert_eq!(body["title"], "Bad Request");
    assert_eq!(body["detail"], "This column is unknown.");
}

#[test]
fn a_transparent_variant_is_the_inner_problem() {
    let body = problem(&ShopError::Plain(Plain).to_response_with(&problems()));
    assert_eq!(body["type"], "about:blank", "the inner type's docs: none");
    assert_eq!(body["error_code"], "shop.plain");
    assert_eq!(body["status"], 404);
}

#[test]
fn retry_after_and_the_request_id_header_stay() {
    let id = RequestId::parse("req-7:a/b").unwrap();
    let response =
        ShopError::Down(std::io::Error::other("socket closed")).to_response_with_id(&problems(), &id);
    assert_eq!(response.headers()["retry-after"], "30");
    assert_eq!(response.headers()["x-request-id"], "req-7:a/b");
    let body = problem(&response);
    assert_eq!(body["instance"], "urn:request:req-7:a/b");
    assert_eq!(body["title"], "Service Unavailable");
    assert_eq!(body["detail"], apierror::generic_message(503));
    assert!(!String::from_utf8_lossy(response.body()).contains("socket"), "nothing of the source");
    // Inside a request's scope, as the layers render.
    let scoped = problems().scope(|| id.scope(|| Plain.to_response()));
    assert_eq!(problem(&scoped)["instance"], "urn:request:req-7:a/b");
    // No id, no instance.
    assert!(problem(&Plain.to_response_with(&problems())).get("instance").is_none());
    // The id in the details of a 5xx, when asked, as in the array.
    let config = problems().with_request_id_in_details(true);
    let body = problem(&ShopError::Down(std::io::Error::other("x")).to_response_with_id(&config, &id));
    assert_eq!(body["details"], json!({"request_id": "req-7:a/b"}));
}

#[test]
fn several_errors_are_one_problem_with_errors() {
    let mut errors = Errors::new();
    errors.push(ShopError::SoldOut(1));
    errors.push(ShopError::Quantity { given: 99, max: 10 });
    errors.push(Plain);
    let response = errors.to_response_with(&problems());
    assert_eq!(response.status(), 400, "all 4xx but different: 400");
    let body = problem(&response);
    assert_eq!(
        body,
        json!({
            "type": "about:blank",
            "title": "Bad Request",
            "status": 400,
            "detail": apierror::generic_message(400),
            "error_code": "apierror.bad_request",
            "field": null,
            "details": null,
            "errors": [
                {"detail": "This item is sold out.", "error_code": "shop.sold_out", "field": "item", "details": null},
                {"detail": "Quantity 99 is not allowed.", "error_code": "shop.quantity", "field": "quantity", "details": {"max": 10}},
                {"detail": apierror::generic_message(404), "error_code": "shop.plain", "field": null, "details": null},
            ],
        })
    );
    // A shared status is the problem's; a 5xx among them makes it 500.
    let same: Errors = [ShopError::SoldOut(1), ShopError::SoldOut(2)].into_iter().collect();
    let body = problem(&same.to_response_with(&problems()));
    assert_eq!(
        (body["status"].clone(), body["error_code"].clone()),
        (json!(409), json!("apierror.client_error"))
    );
    assert_eq!(body["title"], "Conflict");
    let mut mixed = Errors::new();
    mixed.push(Plain);
    mixed.push(ShopError::Down(std::io::Error::other("x")));
    let body = problem(&mixed.to_response_with(&problems()));
    assert_eq!(
        (body["status"].clone(), body["error_code"].clone()),
        (json!(500), json!("apierror.internal"))
    );
    // Through a transparent variant of the team's enum, with the request id.
    let id = RequestId::parse("several-1").unwrap();
    let nested = ShopError::Several(errors);
    let body = problem(&nested.to_response_with_id(&problems(), &id));
    assert_eq!(body["errors"].as_array().unwrap().len(), 3);
    assert_eq!(body["instance"], "urn:request:several-1");
    // None: the built-in internal error, never an empty list.
    let body = problem(&Errors::new().to_response_with(&problems()));
    assert_eq!(body["error_code"], "apierror.internal");
    assert!(body.get("errors").is_none());
}

#[test]
fn development_adds_debug_to_each_error() {
    let config = Config::development().with_format(Format::Problem);
    let error = ShopError::Down(std::io::Error::other("socket closed"));
    let body = problem(&error.to_response_with(&config));
    assert_eq!(body["debug"]["type"], "ShopError::Down");
    assert_eq!(body["debug"]["display"], "database down");
    assert_eq!(body["debug"]["sources"], json!(["socket closed"]));

    let errors: Errors = [ShopError::SoldOut(1), ShopError::SoldOut(2)].into_iter().collect();
    let body = problem(&errors.to_response_with(&config));
    assert!(body.get("debug").is_none(), "the top level stands for several: no debug of its own");
    for (error, n) in body["errors"].as_array().unwrap().iter().zip(1..) {
        assert_eq!(error["debug"]["display"], format!("item {n} is sold out"));
    }
}

#[test]
fn the_built_in_errors_are_problems() {
    use apierror::builtin::{BuiltinError, Internal, Kind};
    let body =
        problem(&BuiltinError::new(Kind::MissingField).with_field("name").to_response_with(&problems()));
    assert_eq!(body["error_code"], "apierror.missing_field");
    assert_eq!(body["field"], "name");
    let body =
        problem(&BuiltinError::for_status(http::StatusCode::IM_A_TEAPOT).to_response_with(&problems()));
    assert_eq!((body["status"].clone(), body["title"].clone()), (json!(418), json!("I'm a teapot")));
    let body = problem(&Internal.to_response_with(&problems()));
    assert_eq!(body["title"], "Internal Server Error");
    // A status without a reason phrase still has a title.
    let body = problem(
        &BuiltinError::for_status(http::StatusCode::from_u16(499).unwrap()).to_response_with(&problems()),
    );
    assert_eq!(body["title"], "Client Error");
    let body = problem(
        &BuiltinError::for_status(http::StatusCode::from_u16(599).unwrap()).to_response_with(&problems()),
    );
    assert_eq!(body["title"], "Server Error");
}

/// The bytes of a problem, pinned: what the README's "Formats" section
/// shows.
#[test]
fn the_readme_excerpt_is_what_is_rendered() {
    let id = RequestId::parse("9f1c2e4d7a3b4c5d").unwrap();
    let body = ShopError::Quantity { given: 12, max: 10 }.to_response_with_id(&problems(), &id).into_body();
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let body = String::from_utf8(body).unwrap();
    assert!(readme.contains(&body), "README's Formats section shows, byte for byte:\n{body}");
}

proptest! {
    /// Whatever text goes into the message, the field and the details,
    /// the body is a problem both parsers read back exactly.
    #[test]
    fn any_text_yields_a_problem_both_parsers_read(text in any::<String>(), field in any::<String>(), note in any::<String>()) {
            let error = Free { text: text.clone(), field: field.clone(), note: note.clone() };
        for config in [problems(), Config::development().with_format(Format::Problem)] {
            let response = error.to_response_with(&config);
            let body = problem(&response);
            let expected = format!("Bad: {text}.");
            prop_assert_eq!(body["detail"].as_str(), Some(expected.as_str()));
            prop_assert_eq!(body["field"].as_str(), Some(field.as_str()));
            prop_assert_eq!(body["details"]["note"].as_str(), Some(note.as_str()));
            let parsed: HttpApiProblem = serde_json::from_slice(response.body()).unwrap();
            prop_assert_eq!(parsed.detail.as_deref(), Some(expected.as_str()));
            let several: Errors = [Free { text: text.clone(), field: field.clone(), note: note.clone() }].into_iter().collect();
            let body = problem(&several.to_response_with(&config));
            prop_assert_eq!(body["errors"][0]["detail"].as_str(), Some(expected.as_str()));
        }
    }
}

// --- over loopback: the layers, the extractors, the fallback ---------------

#[cfg(any(feature = "axum", feature = "actix-web"))]
use crate::web;

/// The scenarios both frameworks answer, against a server whose routes are
/// those of [`axum_app`] / [`actix_app`].
#[cfg(any(feature = "axum", feature = "actix-web"))]
mod scenarios {
    use serde_json::{json, Value};

    use super::web::{Client, Reply};

    /// The body limit of both servers.
    pub const BODY_LIMIT: usize = 1024;

    /// A problem answer: `status`, `content-type`, both parsers.
    pub fn problem(reply: &Reply, status: u16) -> Value {
        let text = String::from_utf8_lossy(&reply.body);
        assert_eq!(reply.status, status, "{text}");
        assert_eq!(reply.headers["content-type"], "application/problem+json", "{text}");
        assert!(reply.headers.contains_key("x-request-id"), "{text}");
        let body = super::assert_problem_body(status, &reply.body);
        // Every error response of the layer carries its request id, in the
        // header and as the instance.
        let id = reply.headers["x-request-id"].to_str().unwrap();
        assert_eq!(body["instance"], format!("urn:request:{id}"), "{text}");
        body
    }

    async fn get(c: &Client, path: &str) -> Reply {
        c.send_unchecked("GET", path, &[], "").await
    }

    /// Derived errors, several errors, and the built-in rejections.
    pub async fn rendered(c: &Client) {
        let body = problem(&get(c, "/sold-out").await, 409);
        assert_eq!(body["type"], "https://docs.example.com/errors/shop.sold_out");
        assert_eq!(body["error_code"], "shop.sold_out");

        let reply = c.send_unchecked("GET", "/down", &[("x-request-id", "given-id-1")], "").await;
        let body = problem(&reply, 503);
        assert_eq!(body["instance"], "urn:request:given-id-1");
        assert_eq!(reply.headers["retry-after"], "30");

        let body = problem(&get(c, "/several").await, 400);
        assert_eq!(body["errors"].as_array().unwrap().len(), 2);

        // The extractors' rejections.
        let post = |content_type: &'static str, body: &'static str| async move {
            c.send_unchecked("POST", "/order", &[("content-type", content_type)], body).await
        };
        let body = problem(&post("application/json", r#"{"item": "#).await, 400);
        assert_eq!(body["error_code"], "apierror.invalid_json");
        let body = problem(&post("application/json", r#"{"item": "x", "quantity": 1}"#).await, 400);
        assert_eq!(
            (body["error_code"].clone(), body["field"].clone()),
            (json!("apierror.invalid_type"), json!("item"))
        );
        let body = problem(&post("text/plain", "{}").await, 415);
        assert_eq!(body["error_code"], "apierror.unsupported_media_type");
        let big = format!(r#"{{"item": 1, "quantity": 1, "note": "{}"}}"#, "x".repeat(2 * BODY_LIMIT));
        let reply = c.send_unchecked("POST", "/order", &[("content-type", "application/json")], &big).await;
        assert_eq!(problem(&reply, 413)["error_code"], "apierror.payload_too_large");
        let ok = post("application/json", r#"{"item": 1, "quantity": 2}"#).await;
        assert_eq!((ok.status, ok.body.as_slice()), (200, b"2 of 1".as_slice()));

        let body = problem(&get(c, "/nowhere").await, 404);
        assert_eq!(body["error_code"], "apierror.not_found");
        assert_eq!(body["title"], "Not Found");
    }

    /// What the layers rewrite: a wrong method, a framework's 413, a panic,
    /// bare statuses, a foreign JSON body, and an array body (the other
    /// format: clients see one format).
    pub async fn rewritten(c: &Client) {
        let reply = c.send_unchecked("DELETE", "/sold-out", &[], "").await;
        let body = problem(&reply, 405);
        assert_eq!(body["error_code"], "apierror.method_not_allowed");
        assert!(reply.headers["allow"].to_str().unwrap().contains("GET"));

        let big = "x".repeat(2 * BODY_LIMIT);
        let reply = c.send_unchecked("POST", "/raw", &[("content-type", "text/plain")], &big).await;
        assert_eq!(problem(&reply, 413)["error_code"], "apierror.payload_too_large");

        let reply = get(c, "/panic").await;
        let body = problem(&reply, 500);
        assert_eq!(body["error_code"], "apierror.internal");
        assert!(!String::from_utf8_lossy(&reply.body).contains("hunter2"));

        assert_eq!(problem(&get(c, "/teapot").await, 418)["error_code"], "apierror.client_error");
        assert_eq!(problem(&get(c, "/foreign-json").await, 400)["error_code"], "apierror.bad_request");
        let body = problem(&get(c, "/array").await, 422);
        assert_eq!(body["error_code"], "apierror.client_error", "an array body is not a problem: rewritten");

        // A forwarded problem whose top level is a registered code but one
        // of its `errors` is not (issue 18 item 4): rewritten, nothing of it
        // sent.
        let reply = get(c, "/forwarded-problem").await;
        let body = problem(&reply, 502);
        assert_eq!(body["error_code"], "apierror.server_error");
        let text = String::from_utf8_lossy(&reply.body);
        assert!(!text.contains("alice") && !text.contains("billing") && !text.contains("errors"), "{text}");
    }

    /// What `/forwarded-problem` answers: a problem from an upstream, with
    /// a code of its own in `errors`.
    pub const FORWARDED_PROBLEM: &str = r#"{"type":"about:blank","title":"Bad Gateway","status":502,"detail":"Upstream failed.","error_code":"apierror.server_error","field":null,"details":null,"errors":[{"detail":"pq: duplicate key alice@x","error_code":"billing.internal_db","field":null,"details":null}]}"#;

    /// A problem body passes untouched however produced.
    pub async fn problems_pass_untouched(c: &Client) {
        let reply = c.send_unchecked("GET", "/problem-by-hand", &[("x-request-id", "hand-1")], "").await;
        let id = apierror::RequestId::parse("hand-1").unwrap();
        let expected = id.scope(super::by_hand).into_body();
        assert_eq!(String::from_utf8_lossy(&reply.body), String::from_utf8_lossy(&expected));
        assert!(String::from_utf8_lossy(&reply.body).contains(r#""instance":"urn:request:hand-1""#));
        assert_eq!(reply.status, 409);
        assert_eq!(reply.headers["content-type"], "application/problem+json");
    }

    /// Whatever the client accepts, the answer is the configured problem,
    /// never 406, never empty.
    pub async fn any_accept_gets_the_problem(c: &Client) {
        for accept in ["application/json", "application/problem+json", "text/html", "application/xml", "*/*"]
        {
            let reply = c.send_unchecked("GET", "/sold-out", &[("accept", accept)], "").await;
            assert_eq!(problem(&reply, 409)["error_code"], "shop.sold_out", "{accept}");
            let reply = c.send_unchecked("GET", "/nowhere", &[("accept", accept)], "").await;
            assert_eq!(problem(&reply, 404)["error_code"], "apierror.not_found", "{accept}");
        }
    }
}

/// `ShopError::SoldOut(5)` rendered as a problem, handed to the framework
/// by hand: no marker, so the layer recognises it by its shape.
#[cfg(any(feature = "axum", feature = "actix-web"))]
fn by_hand() -> http::Response<Vec<u8>> {
    ShopError::SoldOut(5).to_response_with(&problems())
}

/// The body of `POST /order`.
#[derive(serde::Deserialize)]
#[cfg(any(feature = "axum", feature = "actix-web"))]
struct Order {
    item: u32,
    quantity: u32,
}

#[cfg(feature = "axum")]
mod on_axum;

#[cfg(feature = "actix-web")]
mod on_actix;
