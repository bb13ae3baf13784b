//! `examples/gateway.rs` over real HTTP: its router in front of its own
//! misbehaving billing service, every case of its table answered with the
//! status, code and `Retry-After` the table says, and nothing of the call
//! (the API key, billing's body, host, port or path) in any body or log line.

use std::io;
use std::net::SocketAddr;
use std::sync::Mutex;

use reqwest_upstream as reqwest;
use serde_json::Value;

#[path = "../gateway.rs"]
#[allow(dead_code)]
mod gateway;

/// Everything logged, by every test of this binary.
static LOG: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct LogWriter;

impl io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        LOG.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Starts the example's billing service and gateway on loopback; returns
/// the gateway's address and billing's port.
async fn start() -> (SocketAddr, u16) {
    let _ = tracing_subscriber::fmt()
        .with_writer(|| LogWriter)
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .try_init();
    let billing = gateway::misbehaving_billing().await.unwrap();
    let billing_port = billing.rsplit(':').next().unwrap().parse().unwrap();
    let app = gateway::app(gateway::Billing::at(billing).await.unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (address, billing_port)
}

/// `GET /api/charge/{case}`: status, `Retry-After`, body.
async fn charge(gateway: SocketAddr, case: &str) -> (u16, Option<String>, String) {
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let response = client.get(format!("http://{gateway}/api/charge/{case}")).send().await.unwrap();
    let status = response.status().as_u16();
    let retry_after = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    (status, retry_after, response.text().await.unwrap())
}

fn assert_nothing_of_the_call(text: &str, billing_port: u16) {
    for leak in [gateway::API_KEY, "api_key", "billing-internal", "10.0.3.7", "ledger"] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
    if text.starts_with('[') {
        for leak in ["127.0.0.1", &billing_port.to_string(), "/v1/charges", "`billing`"] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
    }
}

/// The example's table, less the `Retry-After` of its 503s (see below):
/// (case, status, code).
const TABLE: [(&str, u16, &str); 10] = [
    ("declined", 402, "billing.card_declined"),
    ("timeout", 504, "apierror.upstream.timeout"),
    ("refused", 503, "apierror.upstream.unavailable"),
    ("unavailable", 503, "apierror.upstream.unavailable"),
    ("rate_limited", 503, "apierror.upstream.unavailable"),
    ("server_error", 502, "apierror.upstream.bad_gateway"),
    ("unauthorized", 502, "apierror.upstream.bad_gateway"),
    ("bad_json", 502, "apierror.upstream.bad_gateway"),
    ("truncated", 502, "apierror.upstream.bad_gateway"),
    ("redirect_loop", 502, "apierror.upstream.bad_gateway"),
];

#[tokio::test]
async fn every_case_of_the_examples_table() {
    let (gateway, billing_port) = start().await;

    let (status, retry_after, body) = charge(gateway, "ok").await;
    assert_eq!((status, retry_after), (200, None));
    let receipt: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(receipt, serde_json::json!({"id": "ch_1", "amount": 1200}));

    for (case, expected_status, expected_code) in TABLE {
        let (status, retry_after, body) = charge(gateway, case).await;
        assert_eq!(status, expected_status, "{case}: {body}");
        assert_nothing_of_the_call(&body, billing_port);
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body.as_array().map(Vec::len), Some(1), "{case}: the common body");
        assert_eq!(body[0]["error_code"], expected_code, "{case}");
        if !matches!(case, "unavailable" | "rate_limited") {
            assert_eq!(retry_after, None, "{case}");
        }
    }

    // Unknown paths answer the common 404.
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let response = client.get(format!("http://{gateway}/api/nothing")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 404);
    assert!(response.text().await.unwrap().contains("apierror.not_found"));

    let log = String::from_utf8(LOG.lock().unwrap().clone()).unwrap();
    assert_nothing_of_the_call(&log, billing_port);
    assert!(log.contains("upstream.url=http://127.0.0.1:"), "the log says where, without the query: {log}");
    assert!(
        log.contains(r#"add `#[api(..., upstream(service = "billing", status = 401))]`"#),
        "the unmapped 401 asks for a mapping: {log}"
    );
}

/// billing's `Retry-After` (7, and 86400 clamped to an hour) through the
/// team's `transparent` variant and the layer.
#[tokio::test]
async fn billings_retry_after_reaches_the_client() {
    let (gateway, billing_port) = start().await;
    for (case, expected) in [("unavailable", "7"), ("rate_limited", "3600")] {
        let (status, retry_after, body) = charge(gateway, case).await;
        assert_eq!(status, 503, "{case}: {body}");
        assert_eq!(retry_after.as_deref(), Some(expected), "{case}");
        assert_nothing_of_the_call(&body, billing_port);
    }
}
