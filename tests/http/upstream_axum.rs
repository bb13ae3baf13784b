//! An upstream's failure through a real axum gateway: the team's handler
//! calls a misbehaving upstream on loopback and returns its error enum with
//! `?`; a real client sees our status, the upstream's `Retry-After` and the
//! common body, and nothing of the call (issue 13).

use std::net::SocketAddr;
use std::time::Duration;

use apierror::upstream::{self, FromUpstreamError, UpstreamError};
use apierror::ApiError;
use axum::extract::State;
use axum::routing;
use axum::Router;
use reqwest_upstream as reqwest;
use serde_json::Value;
use tokio::net::TcpListener;

const SECRET: &str = "SECRET-5d21b";
const CANARY: &str = "CANARY-e08f3";

#[derive(Debug, thiserror::Error, ApiError)]
pub enum GatewayError {
    #[error("the card was declined")]
    #[api(
        status = 402,
        code = "upstream-axum.card_declined",
        message = "Your card was declined.",
        upstream(service = "billing", status = 402)
    )]
    CardDeclined(#[source] UpstreamError),

    #[error(transparent)]
    #[api(transparent)]
    Upstream(#[from] UpstreamError),
}

/// The team's handler: one call converts.
async fn invoice(State(billing): State<SocketAddr>) -> Result<String, GatewayError> {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(2)).no_proxy().build().unwrap();
    let url = format!("http://{billing}/v1/secret-path?api_key={SECRET}");
    let invoice: Value =
        upstream::json("billing", http.get(url)).await.map_err(GatewayError::from_upstream)?;
    Ok(invoice.to_string())
}

/// A handler that answers the table as is: `?` on the `UpstreamError`.
async fn invoice_direct(State(billing): State<SocketAddr>) -> Result<String, UpstreamError> {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(2)).no_proxy().build().unwrap();
    let url = format!("http://{billing}/v1/secret-path?api_key={SECRET}");
    let invoice: Value = upstream::json("billing", http.get(url)).await?;
    Ok(invoice.to_string())
}

/// An upstream that answers every request with `status` and `headers`, the
/// canary in its body.
async fn upstream_answering(status: &'static str, headers: &'static str) -> SocketAddr {
    let body = format!("{{\"error\":\"{CANARY}\"}}");
    let raw = format!(
        "HTTP/1.1 {status}\r\n{headers}Connection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    crate::recording::answering(raw).await.0
}

/// Starts the gateway in front of `billing`; returns its address.
async fn gateway(billing: SocketAddr) -> SocketAddr {
    let app = Router::new()
        .route("/invoice", routing::get(invoice))
        .route("/direct", routing::get(invoice_direct))
        .with_state(billing)
        .layer(apierror::axum::layer());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    address
}

async fn get_invoice(gateway: SocketAddr) -> (u16, Option<String>, String) {
    get(gateway, "/invoice").await
}

async fn get(gateway: SocketAddr, path: &str) -> (u16, Option<String>, String) {
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let response = client.get(format!("http://{gateway}{path}")).send().await.unwrap();
    let status = response.status().as_u16();
    let retry_after = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    (status, retry_after, response.text().await.unwrap())
}

fn assert_nothing_of_the_call(body: &str, billing: SocketAddr) {
    for leak in
        [SECRET, "api_key", CANARY, "127.0.0.1", &billing.port().to_string(), "secret-path", "billing"]
    {
        assert!(!body.contains(leak), "{leak} in {body}");
    }
    let body: Value = serde_json::from_str(body).expect("JSON");
    assert_eq!(body.as_array().expect("the common body").len(), 1);
}

#[tokio::test]
async fn an_upstream_503_is_our_503_with_its_retry_after_through_axum() {
    let billing = upstream_answering("503 Service Unavailable", "Retry-After: 12\r\n").await;
    let gateway = gateway(billing).await;
    let (status, retry_after, body) = get(gateway, "/direct").await;
    assert_eq!(status, 503);
    assert_eq!(retry_after.as_deref(), Some("12"), "the upstream's Retry-After, through the layer");
    assert_nothing_of_the_call(&body, billing);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body[0]["error_code"], "apierror.upstream.unavailable");

    // Through the team's enum, the status and code are the same.
    let (status, _, body) = get_invoice(gateway).await;
    assert_eq!(status, 503);
    assert_nothing_of_the_call(&body, billing);
    assert!(body.contains("apierror.upstream.unavailable"), "{body}");
}

/// The derive's half of `Retry-After`: `ApiError::retry_after` delegated
/// through the team's `transparent` variant.
#[tokio::test]
async fn the_upstreams_retry_after_goes_through_the_teams_transparent_variant() {
    let billing = upstream_answering("503 Service Unavailable", "Retry-After: 12\r\n").await;
    let gateway = gateway(billing).await;
    let (status, retry_after, body) = get_invoice(gateway).await;
    assert_eq!(status, 503);
    assert_eq!(retry_after.as_deref(), Some("12"), "the upstream's Retry-After, through the layer");
    assert_nothing_of_the_call(&body, billing);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body[0]["error_code"], "apierror.upstream.unavailable");
}

#[tokio::test]
async fn an_upstream_401_is_our_502_and_a_mapped_402_the_teams_variant() {
    let billing = upstream_answering("401 Unauthorized", "WWW-Authenticate: Bearer\r\n").await;
    let (status, retry_after, body) = get_invoice(gateway(billing).await).await;
    assert_eq!((status, retry_after), (502, None));
    assert_nothing_of_the_call(&body, billing);
    assert!(body.contains("apierror.upstream.bad_gateway"), "{body}");

    let billing = upstream_answering("402 Payment Required", "").await;
    let (status, _, body) = get_invoice(gateway(billing).await).await;
    assert_eq!(status, 402);
    assert_nothing_of_the_call(&body, billing);
    assert!(body.contains("upstream-axum.card_declined"), "{body}");
}
