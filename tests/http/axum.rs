//! End-to-end tests of the axum integration: `examples/server.rs` and a few
//! test routes, served on 127.0.0.1 (port 0), called with a real HTTP
//! client. Every error response is checked to be the common body. The
//! scenarios are in `web`, shared with `tests/actix.rs`; this file holds how
//! the axum server is built and what is axum's own.
#![cfg(feature = "axum")]

use crate::web;

use apierror_examples::server;

use std::future::Future;

use apierror::axum::Query;
use apierror::Errors;
use axum::body::{Body, Bytes};
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use web::{Client, Search};

async fn search(Query(search): Query<Search>) -> String {
    format!("page {}", search.page)
}

async fn panics() -> &'static str {
    panic!("{}", web::PANIC_MESSAGE)
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

impl IntoResponse for web::Unlisted {
    fn into_response(self) -> Response {
        apierror::axum::response(&self)
    }
}

async fn errors() -> Errors {
    web::two_errors()
}

/// `err.to_response_with(&config)` mapped into axum's body type: no marker.
fn rendered(config: &apierror::Config) -> Response {
    web::rendered(config).map(Body::from)
}

fn with_headers(
    status: StatusCode,
    headers: &[(&'static str, &'static str)],
    body: &'static str,
) -> Response {
    let mut response = (status, body).into_response();
    for (name, value) in headers {
        response.headers_mut().append(*name, HeaderValue::from_static(value));
    }
    response
}

async fn representation() -> Response {
    let headers = [web::REPRESENTATION_HEADERS.as_slice(), web::KEPT_HEADERS.as_slice()].concat();
    with_headers(StatusCode::SERVICE_UNAVAILABLE, &headers, "id,name\n1,lamp\n")
}

/// The example's routes on `store`, the test routes, a 1 KiB body limit,
/// the fallback and the layer.
fn app(store: apierror_examples::things::sql::SqlStore) -> Router {
    server::routes(store)
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
                .route("/test/errors", get(errors))
                .route("/test/unlisted", get(|| async { Err::<(), _>(web::Unlisted) }))
                .route("/test/bad-gateway", get(|| async { StatusCode::BAD_GATEWAY }))
                .route("/test/rendered", get(|| async { rendered(&apierror::Config::production()) }))
                .route("/test/rendered-dev", get(|| async { rendered(&apierror::Config::development()) }))
                .route(
                    "/test/foreign-json",
                    get(|| async {
                        let body = axum::Json(serde_json::json!({"error": "no"}));
                        (StatusCode::BAD_REQUEST, body).into_response()
                    }),
                )
                .route(
                    "/test/shaped-text",
                    get(|| async {
                        let body = web::rendered(&apierror::Config::production()).into_body();
                        (StatusCode::CONFLICT, [("content-type", "text/plain")], body).into_response()
                    }),
                )
                .route(
                    "/test/forwarded",
                    get(|| async {
                        let json = [("content-type", "application/json")];
                        (StatusCode::INTERNAL_SERVER_ERROR, json, web::FORWARDED).into_response()
                    }),
                )
                .route("/test/representation", get(representation))
                .route(
                    "/test/range",
                    get(|| async {
                        let headers = [("content-range", "bytes */1234"), ("etag", "\"v1\"")];
                        with_headers(StatusCode::RANGE_NOT_SATISFIABLE, &headers, "")
                    }),
                ),
        )
        .layer(DefaultBodyLimit::max(web::BODY_LIMIT))
        .fallback(apierror::axum::not_found)
        .layer(apierror::axum::layer_with(apierror::Config::production()))
}

/// The example's default store: SQLite in memory (tests/things_db.rs runs
/// the same scenarios on PostgreSQL, MariaDB and a SQLite file).
async fn store() -> apierror_examples::things::sql::SqlStore {
    let url = apierror_examples::things::sql::DEFAULT_URL;
    apierror_examples::things::sql::SqlStore::connect(url, "things").await.expect("SQLite in memory")
}

/// Serves [`app`] on loopback for the duration of `test`.
async fn with_server<F: Future<Output = ()>>(test: impl FnOnce(Client) -> F) {
    web::set_up();
    web::serve::axum(app(store().await), |address| test(Client::new(address))).await;
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
async fn head_is_answered_by_the_get_handler() {
    with_server(|c| async move { web::head_is_get_without_the_body(&c).await }).await;
}

#[tokio::test]
async fn panics_are_500_and_the_app_keeps_serving() {
    with_server(|c| async move { web::panics(&c).await }).await;
}

#[tokio::test]
async fn other_error_responses_are_rewritten() {
    with_server(|c| async move { web::rewrites(&c).await }).await;
}

#[tokio::test]
async fn rewritten_responses_log_the_status_answered() {
    with_server(|c| async move { web::rewritten_responses_log_the_status_answered(&c, "axum").await }).await;
}

#[tokio::test]
async fn common_bodies_pass_untouched_however_produced() {
    with_server(|c| async move { web::common_bodies_pass_untouched(&c).await }).await;
}

#[tokio::test]
async fn framework_json_rejections_are_logged() {
    with_server(|c| async move { web::framework_json_rejections_are_logged(&c, "axum").await }).await;
}

#[tokio::test]
async fn unregistered_entries_are_refused_in_debug_builds() {
    with_server(|c| async move { web::unregistered_entries_are_refused_in_debug_builds(&c).await }).await;
}

#[tokio::test]
async fn forwarded_bodies_are_rewritten_and_logged() {
    with_server(|c| async move { web::forwarded_bodies_are_rewritten_and_logged(&c, "axum").await }).await;
}

#[tokio::test]
async fn rewritten_responses_drop_representation_headers() {
    with_server(|c| async move { web::representation_headers_are_dropped(&c).await }).await;
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

/// A generic derived type is an axum response.
#[tokio::test]
async fn generic_types_are_responses() {
    use axum::response::IntoResponse;
    web::set_up();
    let response = web::Lookup::Missing(7u8).into_response();
    let (status, content_type) = (response.status().as_u16(), response.headers()["content-type"].clone());
    let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
    web::assert_lookup_response(status, content_type.to_str().unwrap(), &body);
}

/// What hyper answers, before the layer runs, to requests it refuses: the
/// status, an empty body, no request id (README: "Responses outside the
/// library's reach"). Pinned so that a change in hyper or axum is noticed.
#[tokio::test]
async fn requests_hyper_refuses_are_outside_the_layer() {
    web::set_up();
    web::serve::axum(app(store().await), |address| async move {
        let expected = [400, 400, 414, 431, 400];
        let answers = web::raw::send_malformed(address).await;
        assert_eq!(answers.len(), expected.len());
        for ((name, answer), status) in answers.iter().zip(expected) {
            web::raw::assert_outside_reach(name, answer.as_ref(), status);
        }
    })
    .await;
}
