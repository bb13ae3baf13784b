//! A call to another service made inside the OpenTelemetry server span
//! (with the feature `reqwest`): the recording upstream receives our span's
//! context, not the caller's: a `traceparent` of the caller's trace whose
//! parent is our server span, and the caller's `tracestate` as the span
//! carries it (the team's propagator extracted it into the span's parent),
//! as OpenTelemetry's `TraceContextPropagator` would inject them.
#![cfg(feature = "reqwest")]

use std::net::SocketAddr;
use std::time::Duration;

use apierror::upstream::{self, UpstreamError};
use axum::extract::State;
use axum::routing::get;
use axum::Router;

use crate::{recording, web};

/// The caller's trace state, in the form the SDK writes it back.
const TRACESTATE: &str = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

async fn charge(State(billing): State<SocketAddr>) -> Result<&'static str, UpstreamError> {
    let http =
        reqwest_upstream::Client::builder().timeout(Duration::from_secs(5)).no_proxy().build().unwrap();
    let _: serde_json::Value =
        upstream::json("billing", http.get(format!("http://{billing}/v1/charges"))).await?;
    Ok("charged")
}

#[tokio::test]
async fn a_call_inside_the_server_span_carries_its_context_and_the_callers_tracestate() {
    crate::set_up();
    let ok = recording::response("200 OK", &["Content-Type: application/json"], "{}");
    let (billing, heads) = recording::answering(ok).await;
    let app = Router::new()
        .route("/charge", get(charge))
        .with_state(billing)
        .layer(apierror::axum::layer())
        .layer(axum::middleware::from_fn(crate::axum::traced));
    let trace = crate::trace_id();
    let traceparent = format!("00-{trace}-00f067aa0ba902b7-01");
    web::serve::axum(app, |address| async move {
        let headers = [("traceparent", traceparent.as_str()), ("tracestate", TRACESTATE)];
        let reply = web::Client::new(address).send_with("GET", "/charge", &headers, "").await;
        assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
    })
    .await;
    let span = crate::span_of_trace(&trace);
    assert_eq!(
        span.parent_span_id.to_string(),
        "00f067aa0ba902b7",
        "the caller's span is the server's parent"
    );
    let ours = format!("00-{trace}-{:016x}-01", span.span_context.span_id());
    assert_eq!(
        recording::received(&heads, "traceparent"),
        [ours],
        "our server span is the upstream's parent"
    );
    assert_eq!(recording::received(&heads, "tracestate"), [TRACESTATE]);
    assert_eq!(recording::received(&heads, "x-request-id"), [trace], "the request id is the trace's");
}
