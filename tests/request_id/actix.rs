//! Correlation ids through `apierror::actix::middleware()`, over real HTTP
//! on loopback: the incoming `x-request-id` comes back on every error
//! response and is the `request_id` of the error's one log event; a missing
//! or hostile one is replaced by a fresh id. The scenarios are in
//! `correlation`, shared with `tests/axum_request_id.rs`; the inner
//! middleware's error is actix-web's own.
#![cfg(feature = "actix-web")]

use crate::correlation;

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::{web as aweb, App, HttpResponse};
use apierror::Errors;
use correlation::*;
use tracing::Level;

async fn db() -> Result<&'static str, StoreError> {
    Err(database())
}

async fn wrapped() -> Result<&'static str, HandlerError> {
    Err(transparent())
}

async fn many() -> Result<&'static str, Errors> {
    Err(errors())
}

async fn panics() -> &'static str {
    panic!("handler panicked")
}

async fn bare() -> HttpResponse {
    HttpResponse::ServiceUnavailable().body("down")
}

async fn ok() -> &'static str {
    "fine"
}

type Answer = Pin<Box<dyn Future<Output = Result<ServiceResponse, actix_web::Error>>>>;

/// Serves the test routes on loopback, behind an inner middleware that
/// fails `/middleware-error` with an error (an `Err` the apierror
/// middleware receives, not a response), for the duration of `test`.
async fn with_server<F: Future<Output = ()>>(test: impl FnOnce(SocketAddr) -> F) {
    set_up();
    let app = || {
        App::new()
            .wrap_fn(|req, service| -> Answer {
                if req.path() == "/middleware-error" {
                    Box::pin(async { Err(actix_web::Error::from(database())) })
                } else {
                    Box::pin(service.call(req))
                }
            })
            .wrap(apierror::actix::middleware())
            // A resource, so that another method is answered 405.
            .service(aweb::resource("/db").route(aweb::get().to(db)))
            .route("/wrapped", aweb::get().to(wrapped))
            .route("/many", aweb::get().to(many))
            .route("/panics", aweb::get().to(panics))
            .route("/bare", aweb::get().to(bare))
            .route("/ok", aweb::get().to(ok))
            .default_service(aweb::to(apierror::actix::not_found))
    };
    serve::actix(app, test).await;
    assert_every_error_event_has_an_id();
}

#[actix_web::test]
async fn a_well_formed_incoming_id_comes_back_and_is_logged() {
    with_server(|address| well_formed_id_round_trip(address, "actix")).await;
}

#[actix_web::test]
async fn without_an_incoming_id_a_fresh_one_is_made() {
    with_server(fresh_ids).await;
}

#[actix_web::test]
async fn every_kind_of_error_response_is_logged_exactly_once_with_the_id() {
    with_server(|address| every_kind_logged_once(address, "actix")).await;
}

/// An error (not a response) from an inner middleware: rendered once, not
/// once by the apierror middleware and again by actix-web.
#[actix_web::test]
async fn an_inner_middleware_error_is_logged_exactly_once_with_the_id() {
    with_server(|address| async move {
        let reply = send(address, "GET", "/middleware-error", Some(b"actix-mw-1")).await;
        assert_eq!((reply.status, reply.request_id().as_str()), (503, "actix-mw-1"));
        assert_logged_once(&reply, "corr.database", Level::ERROR);
    })
    .await;
}

#[actix_web::test]
async fn hostile_incoming_ids_are_replaced_never_echoed() {
    with_server(|address| hostile_ids_replaced(address, "actix")).await;
}
