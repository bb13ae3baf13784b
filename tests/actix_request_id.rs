//! Correlation ids through `apierror::actix::middleware()`, over real HTTP
//! on loopback: the incoming `x-request-id` comes back on every error
//! response and is the `request_id` of the error's one log event; a missing
//! or hostile one is replaced by a fresh id.
#![cfg(feature = "actix-web")]

mod correlation;

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::time::Duration;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::{web as aweb, App, HttpResponse, HttpServer};
use apierror::{Config, Errors};
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
    apierror::configure(Config::production()).ok();
    record_events();
    let server = HttpServer::new(|| {
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
    })
    .workers(1)
    .disable_signals()
    .shutdown_timeout(1)
    .bind(("127.0.0.1", 0))
    .expect("bind a loopback port");
    let address = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    let running = actix_web::rt::spawn(server);
    let outcome = tokio::time::timeout(Duration::from_secs(120), test(address)).await;
    handle.stop(false).await;
    running.await.expect("server task").expect("server ran");
    outcome.expect("test in time");
    assert_every_error_event_has_an_id();
}

#[actix_web::test]
async fn a_well_formed_incoming_id_comes_back_and_is_logged() {
    with_server(|address| async move {
        let id = "9f1c2e4d-7a3b-4c5d-8e9f-actix0000001";
        let reply = send(address, "GET", "/db", Some(id.as_bytes())).await;
        assert_eq!(reply.status, 503);
        assert_eq!(reply.request_id(), id);
        let event = assert_logged_once(&reply, "corr.database", Level::ERROR);
        assert_eq!(
            event.field("error.chain"),
            Some("pool timed out after 5s: connection refused (os error 111)")
        );
        assert_eq!(reply.json()[0]["details"], serde_json::Value::Null);
        assert!(!String::from_utf8_lossy(&reply.body).contains("pool"));

        let id = "actix-not-found-1";
        let reply = send(address, "GET", "/nowhere", Some(id.as_bytes())).await;
        assert_eq!((reply.status, reply.request_id().as_str()), (404, id));
        assert_logged_once(&reply, "apierror.not_found", Level::DEBUG);
    })
    .await;
}

#[actix_web::test]
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

#[actix_web::test]
async fn every_kind_of_error_response_is_logged_exactly_once_with_the_id() {
    with_server(|address| async move {
        // Through `transparent`: one event, as the inner error.
        let reply = send(address, "GET", "/wrapped", Some(b"actix-transparent-1")).await;
        assert_eq!(reply.request_id(), "actix-transparent-1");
        let event = assert_logged_once(&reply, "corr.database", Level::ERROR);
        assert_eq!(event.field("error.type"), Some("StoreError::Database"));

        // A panic, answered by the middleware.
        let reply = send(address, "GET", "/panics", Some(b"actix-panic-1")).await;
        assert_eq!((reply.status, reply.request_id().as_str()), (500, "actix-panic-1"));
        assert_logged_once(&reply, "apierror.internal", Level::ERROR);

        // A bare status, rewritten by the middleware into the common body.
        let reply = send(address, "GET", "/bare", Some(b"actix-bare-1")).await;
        assert_eq!((reply.status, reply.request_id().as_str()), (503, "actix-bare-1"));
        assert_logged_once(&reply, "apierror.service_unavailable", Level::ERROR);

        // A resource's 405, rewritten.
        let reply = send(address, "POST", "/db", Some(b"actix-405-1")).await;
        assert_eq!((reply.status, reply.request_id().as_str()), (405, "actix-405-1"));
        assert_logged_once(&reply, "apierror.method_not_allowed", Level::DEBUG);

        // An error (not a response) from an inner middleware: rendered once,
        // not once by the middleware and again by actix-web.
        let reply = send(address, "GET", "/middleware-error", Some(b"actix-mw-1")).await;
        assert_eq!((reply.status, reply.request_id().as_str()), (503, "actix-mw-1"));
        assert_logged_once(&reply, "corr.database", Level::ERROR);

        // `Errors`: one event per error, all with the response's id.
        let reply = send(address, "GET", "/many", Some(b"actix-many-1")).await;
        assert_eq!(reply.request_id(), "actix-many-1");
        let events = events_for("actix-many-1");
        assert_eq!(events.len(), 2, "{events:?}");
        assert!(events.iter().all(|e| e.field("error.code") == Some("corr.not_found")));

        // A success is not an error: no event.
        let reply = send(address, "GET", "/ok", Some(b"actix-ok-1")).await;
        assert_eq!(reply.status, 200);
        assert!(events_for("actix-ok-1").is_empty());
    })
    .await;
}

#[actix_web::test]
async fn hostile_incoming_ids_are_replaced_never_echoed() {
    with_server(|address| async move {
        for hostile in hostile_ids() {
            let reply = send(address, "GET", "/db", Some(&hostile)).await;
            assert_replaced(&hostile, &reply);
        }
        let reply = send(address, "GET", "/db", Some(b"actix-crlf\r\nset-cookie: stolen=1")).await;
        assert_eq!(reply.request_id(), "actix-crlf");
        assert_eq!(reply.header("set-cookie"), None);
        assert_logged_once(&reply, "corr.database", Level::ERROR);
    })
    .await;
}
