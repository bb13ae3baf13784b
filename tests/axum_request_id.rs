//! Correlation ids through `apierror::axum::layer()`, over real HTTP on
//! loopback: the incoming `x-request-id` comes back on every error response
//! and is the `request_id` of the error's one log event; a missing or
//! hostile one is replaced by a fresh id.
#![cfg(feature = "axum")]

mod correlation;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use apierror::{Config, Errors};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use correlation::*;
use tracing::Level;

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
    apierror::configure(Config::production()).ok();
    record_events();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app()).await });
    tokio::time::timeout(Duration::from_secs(120), test(address)).await.expect("test in time");
    server.abort();
    assert_every_error_event_has_an_id();
}

#[tokio::test]
async fn a_well_formed_incoming_id_comes_back_and_is_logged() {
    with_server(|address| async move {
        let id = "9f1c2e4d-7a3b-4c5d-8e9f-axum00000001";
        let reply = send(address, "GET", "/db", Some(id.as_bytes())).await;
        assert_eq!(reply.status, 503);
        assert_eq!(reply.request_id(), id);
        let event = assert_logged_once(&reply, "corr.database", Level::ERROR);
        assert_eq!(
            event.field("error.chain"),
            Some("pool timed out after 5s: connection refused (os error 111)")
        );
        // The body is the production body: nothing of the chain, no id.
        assert_eq!(reply.json()[0]["details"], serde_json::Value::Null);
        assert!(!String::from_utf8_lossy(&reply.body).contains("pool"));

        let id = "axum-not-found-1";
        let reply = send(address, "GET", "/nowhere", Some(id.as_bytes())).await;
        assert_eq!((reply.status, reply.request_id().as_str()), (404, id));
        assert_logged_once(&reply, "apierror.not_found", Level::DEBUG);
    })
    .await;
}

#[tokio::test]
async fn without_an_incoming_id_a_fresh_one_is_made() {
    with_server(|address| async move {
        let first = send(address, "GET", "/db", None).await;
        let second = send(address, "GET", "/db", None).await;
        assert_fresh(&first.request_id());
        assert_ne!(first.request_id(), second.request_id());
        assert_logged_once(&first, "corr.database", Level::ERROR);
        assert_logged_once(&second, "corr.database", Level::ERROR);
    })
    .await;
}

#[tokio::test]
async fn every_kind_of_error_response_is_logged_exactly_once_with_the_id() {
    with_server(|address| async move {
        // Through `transparent`: one event, as the inner error.
        let reply = send(address, "GET", "/wrapped", Some(b"axum-transparent-1")).await;
        assert_eq!(reply.request_id(), "axum-transparent-1");
        let event = assert_logged_once(&reply, "corr.database", Level::ERROR);
        assert_eq!(event.field("error.type"), Some("StoreError::Database"));

        // A panic, answered by the layer.
        let reply = send(address, "GET", "/panics", Some(b"axum-panic-1")).await;
        assert_eq!((reply.status, reply.request_id().as_str()), (500, "axum-panic-1"));
        assert_logged_once(&reply, "apierror.internal", Level::ERROR);

        // A bare status, rewritten by the layer into the common body.
        let reply = send(address, "GET", "/bare", Some(b"axum-bare-1")).await;
        assert_eq!((reply.status, reply.request_id().as_str()), (503, "axum-bare-1"));
        assert_logged_once(&reply, "apierror.service_unavailable", Level::ERROR);

        // The router's 405, rewritten, keeping `Allow`.
        let reply = send(address, "POST", "/db", Some(b"axum-405-1")).await;
        assert_eq!((reply.status, reply.request_id().as_str()), (405, "axum-405-1"));
        assert!(reply.header("allow").is_some(), "{reply:?}");
        assert_logged_once(&reply, "apierror.method_not_allowed", Level::DEBUG);

        // `Errors`: one event per error, all with the response's id.
        let reply = send(address, "GET", "/many", Some(b"axum-many-1")).await;
        assert_eq!(reply.request_id(), "axum-many-1");
        let events = events_for("axum-many-1");
        assert_eq!(events.len(), 2, "{events:?}");
        assert!(events.iter().all(|e| e.field("error.code") == Some("corr.not_found")));

        // A success is not an error: no event, no header needed.
        let reply = send(address, "GET", "/ok", Some(b"axum-ok-1")).await;
        assert_eq!(reply.status, 200);
        assert!(events_for("axum-ok-1").is_empty());
    })
    .await;
}

#[tokio::test]
async fn hostile_incoming_ids_are_replaced_never_echoed() {
    with_server(|address| async move {
        for hostile in hostile_ids() {
            let reply = send(address, "GET", "/db", Some(&hostile)).await;
            assert_replaced(&hostile, &reply);
        }
        // A CRLF in the value ends the header: the server sees a well-formed
        // `abc` and a separate request header, and no header is injected
        // into the response.
        let reply = send(address, "GET", "/db", Some(b"axum-crlf\r\nset-cookie: stolen=1")).await;
        assert_eq!(reply.request_id(), "axum-crlf");
        assert_eq!(reply.header("set-cookie"), None);
        assert_logged_once(&reply, "corr.database", Level::ERROR);
    })
    .await;
}
