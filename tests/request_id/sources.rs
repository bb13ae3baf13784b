//! Where a request's id comes from and which responses carry it, over real
//! HTTP on loopback, on both frameworks configured by value
//! (`layer_with` / `middleware_with`): a success carries the id unless
//! `Config::with_request_id_on_success(false)`; a valid `traceparent`
//! alone gives its trace id, an invalid one a fresh id; and under
//! `Config::with_client_request_id_trusted(false)` every id is fresh and
//! the client's is the escaped `request_id.client` of the error's event.

use crate::correlation::*;

use std::net::SocketAddr;

use apierror::Config;
use tracing::Level;

const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";

/// A trace id of the framework `prefix`'s own (the tests of both run at
/// once in this process, and their events are told apart by id), and its
/// `traceparent`.
fn trace(prefix: &str) -> (String, String) {
    let id = format!("{}{:02x}", &TRACE_ID[..30], prefix.len());
    let parent = TRACEPARENT.replace(TRACE_ID, &id);
    (id, parent)
}

/// Sends `GET path` with `headers`.
async fn request(address: SocketAddr, path: &str, headers: &[(&str, &[u8])]) -> Reply {
    let path = path.to_owned();
    let headers: Vec<(String, Vec<u8>)> =
        headers.iter().map(|(n, v)| ((*n).to_owned(), v.to_vec())).collect();
    tokio::task::spawn_blocking(move || {
        let headers: Vec<(&str, &[u8])> = headers.iter().map(|(n, v)| (n.as_str(), v.as_slice())).collect();
        send_headers_blocking(address, "GET", &path, &headers)
    })
    .await
    .expect("the request thread")
}

// --- the scenarios: each against a server of `/ok` (200), `/created` (201)
// and `/db` (503, `database()`) behind the layer or middleware configured
// as the scenario says.

/// Default configuration: a 200 and a 201 carry the incoming id, or a fresh
/// one; an error too.
async fn successes_carry_the_id(address: SocketAddr, prefix: &str) {
    let id = format!("{prefix}-success-1");
    let reply = request(address, "/ok", &[("x-request-id", id.as_bytes())]).await;
    assert_eq!((reply.status, reply.request_id()), (200, id.clone()));
    assert!(events_for(&id).is_empty(), "a success is not logged");
    let id = format!("{prefix}-created-1");
    let reply = request(address, "/created", &[("x-request-id", id.as_bytes())]).await;
    assert_eq!((reply.status, reply.request_id()), (201, id));
    let reply = request(address, "/ok", &[]).await;
    assert_eq!(reply.status, 200);
    assert_fresh(&reply.request_id());
    let id = format!("{prefix}-success-error-1");
    let reply = request(address, "/db", &[("x-request-id", id.as_bytes())]).await;
    assert_eq!((reply.status, reply.request_id()), (503, id));
}

/// `with_request_id_on_success(false)`: a success carries no id, an error
/// still does.
async fn only_errors_carry_the_id(address: SocketAddr, prefix: &str) {
    let id = format!("{prefix}-off-1");
    let reply = request(address, "/ok", &[("x-request-id", id.as_bytes())]).await;
    assert_eq!((reply.status, reply.header("x-request-id")), (200, None), "{reply:?}");
    let reply = request(address, "/created", &[]).await;
    assert_eq!((reply.status, reply.header("x-request-id")), (201, None), "{reply:?}");
    let id = format!("{prefix}-off-error-1");
    let reply = request(address, "/db", &[("x-request-id", id.as_bytes())]).await;
    assert_eq!((reply.status, reply.request_id()), (503, id));
    assert_logged_once(&reply, "corr.database", Level::ERROR);
}

/// A valid `traceparent` alone gives the id its trace id, on a success and
/// on an error (logged with it); a well-formed request-id header wins over
/// it, a malformed one does not.
async fn a_traceparent_gives_its_trace_id(address: SocketAddr, prefix: &str) {
    let (trace_id, traceparent) = trace(prefix);
    let reply = request(address, "/ok", &[("traceparent", traceparent.as_bytes())]).await;
    assert_eq!((reply.status, reply.request_id()), (200, trace_id.clone()), "{reply:?}");
    let reply = request(address, "/db", &[("traceparent", traceparent.as_bytes())]).await;
    assert_eq!((reply.status, reply.request_id()), (503, trace_id.clone()), "{reply:?}");
    assert_logged_once(&reply, "corr.database", Level::ERROR);
    let id = format!("{prefix}-with-trace-1");
    let reply =
        request(address, "/ok", &[("x-request-id", id.as_bytes()), ("traceparent", traceparent.as_bytes())])
            .await;
    assert_eq!(reply.request_id(), id);
    let reply =
        request(address, "/ok", &[("x-request-id", b"two words"), ("traceparent", traceparent.as_bytes())])
            .await;
    assert_eq!(reply.request_id(), trace_id);
}

/// An invalid `traceparent` is ignored: a fresh id.
async fn an_invalid_traceparent_gives_a_fresh_id(address: SocketAddr) {
    for invalid in [
        TRACEPARENT.to_uppercase(),
        TRACEPARENT.replace("4bf9", "4BF9"),
        TRACEPARENT.replace(TRACE_ID, &"0".repeat(32)),
        TRACEPARENT.replace("00f067aa0ba902b7", &"0".repeat(16)),
        TRACEPARENT.replacen("00", "01", 1),
        TRACEPARENT.replacen("00", "ff", 1),
        format!("{TRACEPARENT}-01"),
        TRACEPARENT[..54].to_owned(),
    ] {
        let reply = request(address, "/db", &[("traceparent", invalid.as_bytes())]).await;
        let id = reply.request_id();
        assert_fresh(&id);
        assert_ne!(id, TRACE_ID, "{invalid}");
        assert_ne!(id, invalid.get(3..35).unwrap_or_default(), "{invalid}");
        assert_logged_once(&reply, "corr.database", Level::ERROR);
    }
}

/// `with_client_request_id_trusted(false)`: a fresh id whatever the client
/// sent; the error's one event carries the client's value, bounded and
/// escaped, on one line.
async fn a_distrusted_client_id_is_replaced_and_logged(address: SocketAddr, prefix: &str) {
    let id = format!("{prefix}-distrusted-1");
    let reply =
        request(address, "/db", &[("x-request-id", id.as_bytes()), ("traceparent", TRACEPARENT.as_bytes())])
            .await;
    let fresh = reply.request_id();
    assert_fresh(&fresh);
    assert_ne!(fresh, TRACE_ID);
    let event = assert_logged_once(&reply, "corr.database", Level::ERROR);
    assert_eq!(event.field("request_id.client"), Some(id.as_str()), "{event:?}");

    // A success too gets a fresh id, the traceparent is not trusted either.
    let reply = request(address, "/ok", &[("x-request-id", id.as_bytes())]).await;
    assert_fresh(&reply.request_id());
    assert_ne!(reply.request_id(), id);
    let reply = request(address, "/ok", &[("traceparent", TRACEPARENT.as_bytes())]).await;
    assert_ne!(reply.request_id(), TRACE_ID);

    // A malformed value: a tab, U+202E (right-to-left override) and an
    // obs-text byte that is no UTF-8, all allowed in a header value.
    let hostile =
        format!("{prefix}\t\u{202e}evil").into_bytes().into_iter().chain([0xff]).collect::<Vec<u8>>();
    let reply = request(address, "/db", &[("x-request-id", &hostile)]).await;
    assert_eq!(reply.status, 503, "{reply:?}");
    assert!(!reply.raw.windows(hostile.len()).any(|w| w == hostile), "never echoed");
    let event = assert_logged_once(&reply, "corr.database", Level::ERROR);
    let logged = event.field("request_id.client").expect("the client's id");
    assert_eq!(logged, format!("{prefix}\\t\\u{{202e}}evil\u{fffd}"));
    let line = format!("{:?}", event.fields);
    assert!(!line.contains(['\n', '\r', '\u{202e}']), "one line: {line}");

    // Bounded.
    let long = "x".repeat(1000);
    let reply = request(address, "/db", &[("x-request-id", long.as_bytes())]).await;
    let event = assert_logged_once(&reply, "corr.database", Level::ERROR);
    assert_eq!(event.field("request_id.client"), Some(format!("{}[…]", "x".repeat(256)).as_str()));

    // Nothing sent, nothing logged.
    let reply = request(address, "/db", &[]).await;
    assert_eq!(assert_logged_once(&reply, "corr.database", Level::ERROR).field("request_id.client"), None);
}

/// A trusting configuration never logs `request_id.client`.
async fn a_trusted_client_id_is_not_logged_twice(address: SocketAddr, prefix: &str) {
    let id = format!("{prefix}-trusted-1");
    let reply = request(address, "/db", &[("x-request-id", id.as_bytes())]).await;
    let event = assert_logged_once(&reply, "corr.database", Level::ERROR);
    assert_eq!(event.field("request_id.client"), None);
}

#[cfg(feature = "axum")]
mod with_axum {
    use super::*;

    use std::future::Future;

    use ::axum::http::StatusCode;
    use ::axum::routing::get;
    use ::axum::Router;

    async fn db() -> Result<&'static str, StoreError> {
        Err(database())
    }

    async fn created() -> (StatusCode, &'static str) {
        (StatusCode::CREATED, "made")
    }

    async fn with_server<F: Future<Output = ()>>(config: Config, test: impl FnOnce(SocketAddr) -> F) {
        set_up();
        let app = Router::new()
            .route("/ok", get(|| async { "fine" }))
            .route("/created", get(created))
            .route("/db", get(db))
            .layer(apierror::axum::layer_with(config));
        serve::axum(app, test).await;
        assert_every_error_event_has_an_id();
    }

    #[tokio::test]
    async fn successes_carry_the_id() {
        with_server(Config::production(), |a| super::successes_carry_the_id(a, "axum")).await;
        let config = Config::production().with_request_id_on_success(false);
        with_server(config, |a| super::only_errors_carry_the_id(a, "axum")).await;
    }

    #[tokio::test]
    async fn a_traceparent_gives_its_trace_id_an_invalid_one_a_fresh_id() {
        with_server(Config::production(), move |a| async move {
            super::a_traceparent_gives_its_trace_id(a, "axum").await;
            super::an_invalid_traceparent_gives_a_fresh_id(a).await;
            super::a_trusted_client_id_is_not_logged_twice(a, "axum").await;
        })
        .await;
    }

    #[tokio::test]
    async fn a_distrusted_client_id_is_replaced_and_logged() {
        let config = Config::production().with_client_request_id_trusted(false);
        with_server(config, |a| super::a_distrusted_client_id_is_replaced_and_logged(a, "axum")).await;
    }
}

#[cfg(feature = "actix-web")]
mod with_actix {
    use super::*;

    use std::future::Future;

    use ::actix_web::{web as aweb, App, HttpResponse};

    async fn db() -> Result<&'static str, StoreError> {
        Err(database())
    }

    async fn with_server<F: Future<Output = ()>>(config: Config, test: impl FnOnce(SocketAddr) -> F) {
        set_up();
        let app = move || {
            App::new()
                .wrap(apierror::actix::middleware_with(config.clone()))
                .route("/ok", aweb::get().to(|| async { "fine" }))
                .route("/created", aweb::get().to(|| async { HttpResponse::Created().body("made") }))
                .route("/db", aweb::get().to(db))
        };
        serve::actix(app, test).await;
        assert_every_error_event_has_an_id();
    }

    #[actix_web::test]
    async fn successes_carry_the_id() {
        with_server(Config::production(), |a| super::successes_carry_the_id(a, "actix")).await;
        let config = Config::production().with_request_id_on_success(false);
        with_server(config, |a| super::only_errors_carry_the_id(a, "actix")).await;
    }

    #[actix_web::test]
    async fn a_traceparent_gives_its_trace_id_an_invalid_one_a_fresh_id() {
        with_server(Config::production(), move |a| async move {
            super::a_traceparent_gives_its_trace_id(a, "actix").await;
            super::an_invalid_traceparent_gives_a_fresh_id(a).await;
            super::a_trusted_client_id_is_not_logged_twice(a, "actix").await;
        })
        .await;
    }

    #[actix_web::test]
    async fn a_distrusted_client_id_is_replaced_and_logged() {
        let config = Config::production().with_client_request_id_trusted(false);
        with_server(config, |a| super::a_distrusted_client_id_is_replaced_and_logged(a, "actix")).await;
    }
}
