//! Correlation ids through `apierror::axum::layer()`, over real HTTP on
//! loopback: the incoming `x-request-id` comes back on every error response
//! and is the `request_id` of the error's one log event; a missing or
//! hostile one is replaced by a fresh id. The scenarios are in
//! `correlation`, shared with `tests/actix_request_id.rs`.
#![cfg(feature = "axum")]

use crate::correlation;

use std::future::Future;
use std::net::SocketAddr;

use apierror::Errors;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use correlation::*;

async fn db() -> Result<&'static str, StoreError> {
    Err(database())
}

async fn wrapped() -> Result<&'static str, HandlerError> {
    Err(transparent())
}

async fn many() -> Errors {
    errors()
}

async fn panics() -> &'static str {
    panic!("handler panicked")
}

async fn bare() -> StatusCode {
    StatusCode::SERVICE_UNAVAILABLE
}

async fn ok() -> &'static str {
    "fine"
}

fn app() -> Router {
    Router::new()
        .route("/db", get(db))
        .route("/wrapped", get(wrapped))
        .route("/many", get(many))
        .route("/panics", get(panics))
        .route("/bare", get(bare))
        .route("/ok", get(ok))
        .fallback(apierror::axum::not_found)
        .layer(apierror::axum::layer())
}

/// Serves `app()` on loopback for the duration of `test`.
async fn with_server<F: Future<Output = ()>>(test: impl FnOnce(SocketAddr) -> F) {
    set_up();
    serve::axum(app(), test).await;
    assert_every_error_event_has_an_id();
}

#[tokio::test]
async fn a_well_formed_incoming_id_comes_back_and_is_logged() {
    with_server(|address| well_formed_id_round_trip(address, "axum")).await;
}

#[tokio::test]
async fn without_an_incoming_id_a_fresh_one_is_made() {
    with_server(fresh_ids).await;
}

#[tokio::test]
async fn every_kind_of_error_response_is_logged_exactly_once_with_the_id() {
    with_server(|address| every_kind_logged_once(address, "axum")).await;
}

#[tokio::test]
async fn hostile_incoming_ids_are_replaced_never_echoed() {
    with_server(|address| hostile_ids_replaced(address, "axum")).await;
}
