//! End-to-end tests of the actix-web integration: `examples/server_actix.rs`
//! and a few test routes, served on 127.0.0.1 (port 0), called with a real
//! HTTP client. Every error response is checked to be the common body. The
//! scenarios are in `web`, shared with `tests/axum.rs`; this file holds how
//! the actix-web server is built and what is actix-web's own.
#![cfg(feature = "actix-web")]

use crate::web;

use apierror_examples::server_actix as server;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::{web as aweb, App, HttpResponse};
use apierror::actix::Query;
use apierror::Errors;
use web::{Client, Search};

async fn search(Query(search): Query<Search>) -> String {
    format!("page {}", search.page)
}

async fn panics() -> &'static str {
    panic!("{}", web::PANIC_MESSAGE)
}

async fn unavailable() -> HttpResponse {
    HttpResponse::ServiceUnavailable().insert_header(("retry-after", "30")).body("down for maintenance")
}

async fn raw_body(body: String) -> String {
    format!("{} bytes", body.len())
}

async fn framework_json(search: aweb::Json<Search>) -> String {
    format!("page {}", search.page)
}

impl actix_web::ResponseError for web::Unlisted {
    fn status_code(&self) -> StatusCode {
        apierror::actix::status_code(self)
    }

    fn error_response(&self) -> HttpResponse {
        apierror::actix::response(self)
    }
}

async fn errors() -> Result<HttpResponse, Errors> {
    Err(web::two_errors())
}

/// `err.to_response_with(&config)` mapped into actix-web's response by
/// hand: no marker.
fn rendered(config: &apierror::Config) -> HttpResponse {
    let rendered = web::rendered(config);
    let mut response = HttpResponse::build(StatusCode::from_u16(rendered.status().as_u16()).unwrap());
    for (name, value) in rendered.headers() {
        response.insert_header((name.as_str(), value.as_bytes()));
    }
    response.body(rendered.into_body())
}

fn with_headers(
    status: StatusCode,
    headers: &[(&'static str, &'static str)],
    body: &'static str,
) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    for header in headers {
        response.append_header(*header);
    }
    response.body(body)
}

async fn representation() -> HttpResponse {
    let headers = [web::REPRESENTATION_HEADERS.as_slice(), web::KEPT_HEADERS.as_slice()].concat();
    with_headers(StatusCode::SERVICE_UNAVAILABLE, &headers, "id,name\n1,lamp\n")
}

/// A route declared with actix-web's macro: the method guard is on the
/// resource.
#[actix_web::get("/test/macro-get")]
async fn macro_get() -> &'static str {
    "macro"
}

fn test_routes(config: &mut aweb::ServiceConfig) {
    config
        .route("/test/app-route", aweb::get().to(|| async { "app route" }))
        .service(aweb::resource("/test/get-only").route(aweb::get().to(|| async { "get only" })))
        .service(macro_get)
        .route("/test/search", aweb::get().to(search))
        .route("/test/panic", aweb::get().to(panics))
        .route("/test/teapot", aweb::get().to(|| async { HttpResponse::ImATeapot().body("short and stout") }))
        .route("/test/unavailable", aweb::get().to(unavailable))
        .route("/test/timeout", aweb::get().to(|| async { HttpResponse::RequestTimeout().finish() }))
        .route("/test/bare-500", aweb::get().to(|| async { HttpResponse::InternalServerError().finish() }))
        .route("/test/raw-body", aweb::post().to(raw_body))
        .route("/test/framework-json", aweb::post().to(framework_json))
        .route("/test/errors", aweb::get().to(errors))
        .route("/test/unlisted", aweb::get().to(|| async { Err::<HttpResponse, _>(web::Unlisted) }))
        // The same error from a middleware inside the library's: it reaches
        // it as an error, rendered by the middleware itself.
        .service(
            aweb::resource("/test/unlisted-middleware")
                .wrap_fn(|_, _| async {
                    Err::<actix_web::dev::ServiceResponse, _>(actix_web::Error::from(web::Unlisted))
                })
                .route(aweb::get().to(|| async { "never" })),
        )
        .route("/test/bad-gateway", aweb::get().to(|| async { HttpResponse::BadGateway().finish() }))
        .route("/test/rendered", aweb::get().to(|| async { rendered(&apierror::Config::production()) }))
        .route("/test/rendered-dev", aweb::get().to(|| async { rendered(&apierror::Config::development()) }))
        // The shaped body as an error from the handler (the error path).
        .route(
            "/test/rendered-error",
            aweb::get().to(|| async {
                let response = rendered(&apierror::Config::production());
                Err::<HttpResponse, _>(InternalError::from_response("rendered", response))
            }),
        )
        .route(
            "/test/foreign-json",
            aweb::get().to(|| async { HttpResponse::BadRequest().json(serde_json::json!({"error": "no"})) }),
        )
        .route(
            "/test/shaped-text",
            aweb::get().to(|| async {
                let body = web::rendered(&apierror::Config::production()).into_body();
                HttpResponse::Conflict().content_type("text/plain").body(body)
            }),
        )
        .route(
            "/test/forwarded",
            aweb::get().to(|| async {
                HttpResponse::InternalServerError().content_type("application/json").body(web::FORWARDED)
            }),
        )
        .route("/test/representation", aweb::get().to(representation))
        .route(
            "/test/range",
            aweb::get().to(|| async {
                let headers = [("content-range", "bytes */1234"), ("etag", "\"v1\"")];
                with_headers(StatusCode::RANGE_NOT_SATISFIABLE, &headers, "")
            }),
        );
}

/// Serves the example's routes and the test routes on loopback, with a
/// 1 KiB body limit, the default service and the middleware, for the
/// duration of `test`; then stops the server.
async fn with_server<F: Future<Output = ()>>(test: impl FnOnce(Client) -> F) {
    with_server_at(Duration::from_secs(5), |address| test(Client::new(address))).await;
}

/// As [`with_server`], with the server's `client_request_timeout`, and the
/// test given the address.
async fn with_server_at<F: Future<Output = ()>>(timeout: Duration, test: impl FnOnce(SocketAddr) -> F) {
    web::set_up();
    let store = aweb::Data::new(apierror_examples::things::Store::default());
    let app = move || {
        App::new()
            .wrap(apierror::actix::middleware_with(apierror::Config::production()))
            .app_data(store.clone())
            .app_data(aweb::PayloadConfig::new(web::BODY_LIMIT))
            .configure(server::routes)
            .configure(test_routes)
            .default_service(aweb::to(apierror::actix::not_found))
    };
    web::serve::actix_with_request_timeout(app, timeout, test).await;
}

#[actix_web::test]
async fn things_and_declared_errors() {
    with_server(|c| async move { web::things_and_declared_errors(&c).await }).await;
}

#[actix_web::test]
async fn client_mistakes_are_4xx_with_a_field() {
    with_server(|c| async move { web::client_mistakes(&c).await }).await;
}

#[actix_web::test]
async fn unknown_routes_and_wrong_methods() {
    with_server(|c| async move { web::routing(&c).await }).await;
}

#[actix_web::test]
async fn head_is_answered_by_the_get_handler() {
    with_server(|c| async move { web::head_is_get_without_the_body(&c).await }).await;
}

/// Where actix-web's routing differs from axum's, as the README says
/// ("actix-web: HEAD and wrong methods"); pinned so that a change in
/// actix-web is noticed.
#[actix_web::test]
async fn where_actix_web_routing_differs_from_axum() {
    with_server(|c| async move {
        // `web::get()` alone does not answer HEAD: 405 with `Allow: GET`.
        let head = c.head("/test/get-only").await;
        assert_eq!(head.status, 405, "{head:?}");
        assert_eq!(head.headers["allow"], "GET");
        // A wrong method on a resource's route: 405 with `Allow`.
        let put = c.send("PUT", "/test/get-only", None, "").await;
        assert_eq!(put.code().0, 405);
        assert_eq!(put.code().1, "apierror.method_not_allowed");
        assert_eq!(put.headers["allow"], "GET");
        // `ServiceConfig::route` / `App::route` and `#[get]` guard the
        // resource itself: a wrong method matches no resource, and the
        // default service answers 404, without `Allow`.
        for path in ["/test/app-route", "/test/macro-get"] {
            assert_eq!(c.get(path).await.status, 200, "{path}");
            let put = c.send("PUT", path, None, "").await;
            assert_eq!(put.code().1, "apierror.not_found", "{path}");
            assert_eq!(put.status, 404, "{path}");
            assert!(put.headers.get("allow").is_none(), "{path}");
            assert_eq!(c.head(path).await.status, 404, "{path}");
        }
    })
    .await;
}

#[actix_web::test]
async fn panics_are_500_and_the_app_keeps_serving() {
    with_server(|c| async move { web::panics(&c).await }).await;
}

#[actix_web::test]
async fn other_error_responses_are_rewritten() {
    with_server(|c| async move { web::rewrites(&c).await }).await;
}

#[actix_web::test]
async fn rewritten_responses_log_the_status_answered() {
    with_server(|c| async move { web::rewritten_responses_log_the_status_answered(&c, "actix").await }).await;
}

#[actix_web::test]
async fn framework_json_rejections_are_logged() {
    with_server(|c| async move { web::framework_json_rejections_are_logged(&c, "actix").await }).await;
}

#[actix_web::test]
async fn unregistered_entries_are_refused_in_debug_builds() {
    with_server(|c| async move {
        web::unregistered_entries_are_refused_in_debug_builds(&c).await;
        let reply = c.get("/test/unlisted-middleware").await;
        if cfg!(debug_assertions) {
            assert_eq!(reply.code(), (500, "apierror.internal".to_owned(), serde_json::Value::Null));
        } else {
            assert_eq!(reply.code(), (409, "web-test.unlisted".to_owned(), serde_json::Value::Null));
        }
    })
    .await;
}

#[actix_web::test]
async fn forwarded_bodies_are_rewritten_and_logged() {
    with_server(|c| async move { web::forwarded_bodies_are_rewritten_and_logged(&c, "actix").await }).await;
}

#[actix_web::test]
async fn common_bodies_pass_untouched_however_produced() {
    with_server(|c| async move {
        web::common_bodies_pass_untouched(&c).await;
        // Also as the handler's error.
        let reply = c.get("/test/rendered-error").await;
        let expected = web::rendered(&apierror::Config::production()).into_body();
        assert_eq!(String::from_utf8_lossy(&reply.body), String::from_utf8_lossy(&expected));
        assert_eq!(reply.status, 422);
    })
    .await;
}

#[actix_web::test]
async fn rewritten_responses_drop_representation_headers() {
    with_server(|c| async move { web::representation_headers_are_dropped(&c).await }).await;
}

/// A generic derived type is an actix-web error response.
#[actix_web::test]
async fn generic_types_are_responses() {
    use actix_web::ResponseError;
    web::set_up();
    let error = web::Lookup::Missing(7u8);
    assert_eq!(error.status_code(), actix_web::http::StatusCode::NOT_FOUND);
    let response = error.error_response();
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").unwrap().clone();
    let body = actix_web::body::to_bytes(response.into_body()).await.unwrap();
    web::assert_lookup_response(status, content_type.to_str().unwrap(), &body);
}

/// What actix-http answers, before the middleware runs, to requests it
/// refuses, and to a client that sends nothing within the
/// `client_request_timeout`: the status, an empty body, no request id
/// (README: "Responses outside the library's reach"). Pinned so that a
/// change in actix-web is noticed.
#[actix_web::test]
async fn requests_actix_http_refuses_are_outside_the_middleware() {
    with_server_at(Duration::from_millis(300), |address| async move {
        let expected = [400, 400, 400, 431, 400];
        let answers = web::raw::send_malformed(address).await;
        assert_eq!(answers.len(), expected.len());
        for ((name, answer), status) in answers.iter().zip(expected) {
            web::raw::assert_outside_reach(name, answer.as_ref(), status);
        }
        let silent =
            tokio::task::spawn_blocking(move || web::raw::exchange(address, b"", Duration::from_secs(5)))
                .await
                .expect("the request thread");
        web::raw::assert_outside_reach("a silent client", silent.as_ref(), 408);
    })
    .await;
}
