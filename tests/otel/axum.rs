//! The scenarios of `main.rs` on axum: the server span made by a
//! middleware outside `apierror::axum::layer()`, so that the layer
//! renders inside it.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tracing::Instrument as _;

use crate::{web, StoreError, PANIC_MESSAGE};

async fn store() -> Result<&'static str, StoreError> {
    Err(StoreError::Unavailable)
}

async fn panics() -> &'static str {
    panic!("{}", PANIC_MESSAGE)
}

/// The team's middleware: the request runs inside its server span.
pub(crate) async fn traced(req: Request, next: Next) -> Response {
    let span = crate::server_span(req.method().as_str(), req.uri().path(), req.headers());
    next.run(req).instrument(span).await
}

fn app() -> Router {
    Router::new()
        .route("/store", get(store))
        .route("/panic", get(panics))
        .fallback(apierror::axum::not_found)
        .layer(apierror::axum::layer())
        .layer(axum::middleware::from_fn(traced))
}

async fn with_server<F: std::future::Future<Output = ()>>(test: impl FnOnce(web::Client) -> F) {
    crate::set_up();
    web::serve::axum(app(), |address| test(web::Client::new(address))).await;
}

#[tokio::test]
async fn a_404_and_a_503_are_recorded_on_the_server_span() {
    with_server(|c| async move {
        crate::error_on_the_span(&c, "/nowhere", 404, "apierror.not_found").await;
        crate::error_on_the_span(&c, "/store", 503, "otel-test.store_unavailable").await;
        crate::root_span(&c, "/nowhere").await;
    })
    .await;
}

#[tokio::test]
async fn a_panic_is_one_event_inside_the_span_which_is_marked_error() {
    with_server(|c| async move { crate::panic_on_the_span(&c, "/panic").await }).await;
}
