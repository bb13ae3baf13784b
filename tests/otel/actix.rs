//! The scenarios of `main.rs` on actix-web: the server span made by a
//! `wrap_fn` outside `apierror::actix::middleware()`, so that the
//! middleware calls and polls the handler, and renders, inside it.

use actix_web::dev::Service as _;
use actix_web::{web as routes, App, HttpResponse};
use tracing::Instrument as _;

use crate::{web, StoreError, PANIC_MESSAGE};

async fn store() -> Result<HttpResponse, StoreError> {
    Err(StoreError::Unavailable)
}

async fn panics() -> HttpResponse {
    panic!("{}", PANIC_MESSAGE)
}

/// The `http` 1 headers of an actix-web request (actix-web 4 is on `http`
/// 0.2): what the propagator reads.
fn headers(req: &actix_web::dev::ServiceRequest) -> http::HeaderMap {
    req.headers()
        .iter()
        .filter_map(|(name, value)| {
            Some((
                http::HeaderName::from_bytes(name.as_str().as_bytes()).ok()?,
                http::HeaderValue::from_bytes(value.as_bytes()).ok()?,
            ))
        })
        .collect()
}

fn app() -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .wrap(apierror::actix::middleware())
        // The team's middleware: the request runs inside its server span.
        .wrap_fn(|req, srv| {
            let span = crate::server_span(req.method().as_str(), req.path(), &headers(&req));
            let future = span.in_scope(|| srv.call(req));
            future.instrument(span)
        })
        .route("/store", routes::get().to(store))
        .route("/panic", routes::get().to(panics))
        .default_service(routes::to(apierror::actix::not_found))
}

async fn with_server<F: std::future::Future<Output = ()>>(test: impl FnOnce(web::Client) -> F) {
    crate::set_up();
    web::serve::actix(app, |address| test(web::Client::new(address))).await;
}

#[actix_web::test]
async fn a_404_and_a_503_are_recorded_on_the_server_span() {
    with_server(|c| async move {
        crate::error_on_the_span(&c, "/nowhere", 404, "apierror.not_found").await;
        crate::error_on_the_span(&c, "/store", 503, "otel-test.store_unavailable").await;
        crate::root_span(&c, "/nowhere").await;
    })
    .await;
}

#[actix_web::test]
async fn a_panic_is_one_event_inside_the_span_which_is_marked_error() {
    with_server(|c| async move { crate::panic_on_the_span(&c, "/panic").await }).await;
}
