//! Correlation across a call, end to end in both frameworks (issue 21):
//! a real client calls a gateway on loopback with its `x-request-id`,
//! `traceparent` and `tracestate`; the gateway's handler calls a recording
//! upstream three ways (`upstream::json`, `upstream::correlate` on its own
//! reqwest call, the headers of `RequestId::outgoing_headers`), and the
//! upstream is asserted to have received the request's correlation on
//! each, as the layer read it: the id, the traceparent and a well-formed
//! tracestate unchanged; a malformed tracestate dropped, the traceparent
//! kept; from a distrusted client, our own id and no trace context.
#![cfg(all(feature = "reqwest", any(feature = "axum", feature = "actix-web")))]

use std::net::SocketAddr;
use std::time::Duration;

use apierror::upstream::{self, UpstreamError};
use apierror::{ApiError, Config, RequestId};
use reqwest_upstream as reqwest;
use serde_json::Value;

use crate::recording::{self, Head, Heads};
use crate::web::{self, Reply};

const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
/// Passed on byte for byte, the space after the comma included.
const TRACESTATE: &str = "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE";

/// The client's correlation headers.
const CORRELATED: &[(&str, &str)] =
    &[("x-request-id", "req-fwd-1"), ("traceparent", TRACEPARENT), ("tracestate", TRACESTATE)];

/// A tracestate with a key twice (W3C: invalid), with the rest valid.
const DUPLICATE_KEY: &[(&str, &str)] =
    &[("x-request-id", "req-fwd-2"), ("traceparent", TRACEPARENT), ("tracestate", "rojo=1,rojo=2")];

#[derive(Debug, thiserror::Error, ApiError)]
pub enum GatewayError {
    #[error(transparent)]
    #[api(transparent)]
    Upstream(#[from] UpstreamError),
}

/// What the gateway's handler does in either framework: three calls to
/// `billing`, each carrying the request's correlation its own way.
async fn charge(billing: SocketAddr) -> Result<String, GatewayError> {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).no_proxy().build().unwrap();
    let url = format!("http://{billing}/v1/charges");
    let charge: Value = upstream::json("billing", http.post(&url)).await?;
    let failed = |err| UpstreamError::from_reqwest("billing", err);
    let own = upstream::correlate(http.get(&url)).send().await.map_err(failed)?;
    assert_eq!(own.status(), 200);
    let any_client = RequestId::outgoing_headers();
    http.get(&url).headers(any_client).send().await.map_err(failed)?;
    Ok(charge.to_string())
}

/// A billing service that records what it receives and answers a charge.
async fn billing() -> (SocketAddr, Heads) {
    let ok = recording::response("200 OK", &["Content-Type: application/json"], r#"{"id":"ch_1"}"#);
    recording::answering(ok).await
}

/// The value of `name` in `head`, if sent (once at most).
fn value<'a>(head: &'a Head, name: &str) -> Option<&'a str> {
    let mut values = head.iter().filter(|(n, _)| n == name).map(|(_, value)| value.as_str());
    let first = values.next();
    assert_eq!(values.next(), None, "{name} sent once: {head:?}");
    first
}

/// Checks what billing received from the three calls of one request the
/// gateway answered with `reply`: `(request id, traceparent, tracestate)`
/// on each.
fn assert_received(reply: &Reply, heads: &Heads, expected: (&str, Option<&str>, Option<&str>)) {
    assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
    assert_eq!(reply.headers["x-request-id"], expected.0, "our answer's id is the one sent on");
    let heads = heads.lock().unwrap();
    assert_eq!(heads.len(), 3, "three calls: {heads:?}");
    for head in heads.iter() {
        let (id, traceparent, tracestate) = expected;
        assert_eq!(value(head, "x-request-id"), Some(id), "{head:?}");
        assert_eq!(value(head, "traceparent"), traceparent, "{head:?}");
        assert_eq!(value(head, "tracestate"), tracestate, "{head:?}");
    }
}

/// The gateway's answers and billing's records for the three cases, given
/// a way to serve the gateway under a configuration and send it a request.
async fn scenario<F, R>(gateway: F)
where
    F: Fn(Config, SocketAddr, &'static [(&'static str, &'static str)]) -> R,
    R: std::future::Future<Output = Reply>,
{
    let (address, heads) = billing().await;
    let reply = gateway(Config::production(), address, CORRELATED).await;
    assert_received(&reply, &heads, ("req-fwd-1", Some(TRACEPARENT), Some(TRACESTATE)));

    let (address, heads) = billing().await;
    let reply = gateway(Config::production(), address, DUPLICATE_KEY).await;
    assert_received(&reply, &heads, ("req-fwd-2", Some(TRACEPARENT), None));

    let (address, heads) = billing().await;
    let distrusted = Config::production().with_client_request_id_trusted(false);
    let reply = gateway(distrusted, address, CORRELATED).await;
    let ours = reply.headers["x-request-id"].to_str().unwrap().to_owned();
    assert_ne!(ours, "req-fwd-1", "a fresh id");
    assert_received(&reply, &heads, (&ours, None, None));
}

#[cfg(feature = "actix-web")]
#[actix_web::test]
async fn an_actix_gateway_sends_the_request_id_and_trace_context_on() {
    use actix_web::{web as aweb, App};

    async fn handler(billing: aweb::Data<SocketAddr>) -> Result<String, GatewayError> {
        charge(**billing).await
    }
    scenario(|config, billing, headers| async move {
        let app = move || {
            App::new()
                .app_data(aweb::Data::new(billing))
                .route("/charge", aweb::post().to(handler))
                .wrap(apierror::actix::middleware_with(config.clone()))
        };
        let mut reply = None;
        let answered = &mut reply;
        web::serve::actix(app, move |address| async move {
            *answered = Some(web::Client::new(address).send_with("POST", "/charge", headers, "").await);
        })
        .await;
        reply.expect("answered")
    })
    .await;
}

#[cfg(feature = "axum")]
#[tokio::test]
async fn an_axum_gateway_sends_the_request_id_and_trace_context_on() {
    use axum::extract::State;

    async fn handler(State(billing): State<SocketAddr>) -> Result<String, GatewayError> {
        charge(billing).await
    }
    scenario(|config, billing, headers| async move {
        let app = axum::Router::new()
            .route("/charge", axum::routing::post(handler))
            .with_state(billing)
            .layer(apierror::axum::layer_with(config));
        let mut reply = None;
        let answered = &mut reply;
        web::serve::axum(app, move |address| async move {
            *answered = Some(web::Client::new(address).send_with("POST", "/charge", headers, "").await);
        })
        .await;
        reply.expect("answered")
    })
    .await;
}
