//! End-to-end tests of the axum integration: `examples/server.rs` and a few
//! test routes, served on 127.0.0.1 (port 0), called with a real HTTP
//! client. Every error response is checked to be the common body.
#![cfg(feature = "axum")]

mod web;

#[path = "../examples/server.rs"]
#[allow(dead_code)]
mod server;

use std::future::Future;
use std::time::Duration;

use apierror::axum::Query;
use apierror::{Config, Errors};
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use web::Client;

#[derive(serde::Deserialize)]
struct Search {
    page: u32,
}

async fn search(Query(search): Query<Search>) -> String {
    format!("page {}", search.page)
}

async fn panics() -> &'static str {
    panic!("handler panicked with the database password hunter2")
}

async fn unavailable() -> impl axum::response::IntoResponse {
    (StatusCode::SERVICE_UNAVAILABLE, [("retry-after", "30")], "down for maintenance")
}

async fn raw_body(body: Bytes) -> String {
    format!("{} bytes", body.len())
}

async fn framework_json(axum::Json(search): axum::Json<Search>) -> String {
    format!("page {}", search.page)
}

async fn errors() -> Errors {
    let mut errors = Errors::new();
    errors.push(apierror_tests::things::ThingError::NotFound(7));
    errors.push(apierror_tests::things::ThingError::RatingOutOfRange { given: 9 });
    errors
}

/// The example's routes, the test routes, a 1 KiB body limit, the fallback
/// and the layer.
fn app() -> Router {
    server::routes()
        .merge(
            Router::new()
                .route("/test/search", get(search))
                .route("/test/panic", get(panics))
                .route("/test/teapot", get(|| async { StatusCode::IM_A_TEAPOT }))
                .route("/test/unavailable", get(unavailable))
                .route("/test/timeout", get(|| async { StatusCode::REQUEST_TIMEOUT }))
                .route("/test/bare-500", get(|| async { StatusCode::INTERNAL_SERVER_ERROR }))
                .route("/test/raw-body", post(raw_body))
                .route("/test/framework-json", post(framework_json))
                .route("/test/errors", get(errors)),
        )
        .layer(DefaultBodyLimit::max(web::BODY_LIMIT))
        .fallback(apierror::axum::not_found)
        .layer(apierror::axum::layer())
}

/// Serves [`app`] on loopback for the duration of `test` (bounded: the
/// server task ends with the test's runtime).
async fn with_server<F: Future<Output = ()>>(test: impl FnOnce(Client) -> F) {
    apierror::configure(Config::production()).ok();
    assert!(!apierror::config().is_development(), "the tests check production bodies");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app()).await });
    tokio::time::timeout(Duration::from_secs(120), test(Client::new(address))).await.expect("test in time");
    server.abort();
}

#[tokio::test]
async fn things_and_declared_errors() {
    with_server(|c| async move { web::things_and_declared_errors(&c).await }).await;
}

#[tokio::test]
async fn client_mistakes_are_4xx_with_a_field() {
    with_server(|c| async move { web::client_mistakes(&c).await }).await;
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods() {
    with_server(|c| async move { web::routing(&c).await }).await;
}

#[tokio::test]
async fn panics_are_500_and_the_app_keeps_serving() {
    with_server(|c| async move { web::panics(&c).await }).await;
}

#[tokio::test]
async fn other_error_responses_are_rewritten() {
    with_server(|c| async move { web::rewrites(&c).await }).await;
}

/// The built-in codes answered above are in the registry, like any code.
#[test]
fn builtin_codes_are_in_the_registry() {
    for code in [
        "apierror.invalid_json",
        "apierror.missing_field",
        "apierror.invalid_type",
        "apierror.unsupported_media_type",
        "apierror.payload_too_large",
        "apierror.invalid_path",
        "apierror.invalid_query",
        "apierror.not_found",
        "apierror.method_not_allowed",
        "apierror.timeout",
        "apierror.internal",
    ] {
        let entry = apierror::registry::find(code).unwrap_or_else(|| panic!("{code} is registered"));
        assert_eq!(entry.crate_name(), "apierror");
    }
    apierror::registry::check().expect("codes are unique, with the example's");
}

/// A generic derived type.
#[derive(Debug, thiserror::Error, apierror::ApiError)]
enum Lookup<K: std::fmt::Debug + std::fmt::Display> {
    #[error("nothing at {0}")]
    #[api(status = 404, code = "axum-test.lookup_missing", field = "key", message = "Nothing has this key.")]
    Missing(K),
}

#[tokio::test]
async fn generic_types_are_responses() {
    use axum::response::IntoResponse;
    apierror::configure(Config::production()).ok();
    let response = Lookup::Missing(7u8).into_response();
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
    assert_eq!(
        std::str::from_utf8(&body).unwrap(),
        r#"[{"message":"Nothing has this key.","error_code":"axum-test.lookup_missing","field":"key","details":null}]"#
    );
}
