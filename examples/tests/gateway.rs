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
    log_to_buffer();
    let billing = gateway::misbehaving_billing().await.unwrap();
    let billing_port = billing.rsplit(':').next().unwrap().parse().unwrap();
    let app =
        gateway::app(gateway::Billing::at(billing).await.unwrap(), apierror_examples::config().unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (address, billing_port)
}

/// Installs the binary's subscriber (once), whose events go to [`LOG`].
fn log_to_buffer() {
    let _ = tracing_subscriber::fmt()
        .with_writer(|| LogWriter)
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .try_init();
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
    assert!(
        log.contains("upstream.request_id=billing-declined")
            && log.contains("upstream.request_id=billing-server_error"),
        "billing's own request id is a field of our event, mapped or not: {log}"
    );
}

// ------------------------------------------------------------ correlation

/// What billing fails with, in the recording billing below.
#[derive(Debug, thiserror::Error, apierror::ApiError)]
#[error("the store is down")]
#[api(status = 503, code = "gateway-test.store_down", message = "Billing is down.")]
struct StoreDown;

/// What the recording billing received: (its own request id, our
/// `x-request-id`, our `traceparent`) per call.
type Received = std::sync::Arc<Mutex<Vec<(String, Option<String>, Option<String>)>>>;

/// A billing service built with apierror, on loopback, rendering with
/// `config`: it records the correlation headers of every call and answers
/// 503 in apierror's body, under a request id of its own (it distrusts its
/// callers' ids). Returns its base URL.
async fn recording_billing(config: apierror::Config, received: Received) -> String {
    use axum::http::HeaderMap;
    let charge = move |headers: HeaderMap| {
        let received = received.clone();
        async move {
            let header = |name: &str| headers.get(name).map(|value| value.to_str().unwrap().to_owned());
            let own = apierror::RequestId::current().expect("the layer's id").to_string();
            received.lock().unwrap().push((own, header("x-request-id"), header("traceparent")));
            Err::<(), _>(StoreDown)
        }
    };
    let app = axum::Router::new()
        .route("/v1/charges/{case}", axum::routing::post(charge))
        .layer(apierror::axum::layer_with(config.with_client_request_id_trusted(false)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// The gateway in front of the recording billing under `config`; one
/// charge with `headers`: our response, what billing received, and our
/// one event of the error (found by billing's id).
async fn charge_recorded(
    config: apierror::Config,
    headers: &[(&str, &str)],
) -> (reqwest::Response, (String, Option<String>, Option<String>), String) {
    log_to_buffer();
    let received = Received::default();
    let billing = recording_billing(config, received.clone()).await;
    let app =
        gateway::app(gateway::Billing::at(billing).await.unwrap(), apierror_examples::config().unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut request = client.get(format!("http://{address}/api/charge/anything"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let call = received.lock().unwrap().pop().expect("billing was called");
    let log = String::from_utf8(LOG.lock().unwrap().clone()).unwrap();
    let ours: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("upstream.service=billing") && line.contains(&call.0))
        .collect();
    assert_eq!(ours.len(), 1, "one event of ours names billing's id {}: {log}", call.0);
    (response, call, ours[0].to_owned())
}

const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/// A client's `x-request-id` and `traceparent` reach billing, and billing's
/// own request id (its header) is a field of our event, not of our body.
#[tokio::test]
async fn billing_receives_our_request_id_and_traceparent_and_we_log_its_id() {
    let headers = [("x-request-id", "abc-gw-1"), ("traceparent", TRACEPARENT)];
    let (response, (billings_id, id, traceparent), event) =
        charge_recorded(apierror::Config::production(), &headers).await;
    assert_eq!(id.as_deref(), Some("abc-gw-1"), "billing received our request id");
    assert_eq!(traceparent.as_deref(), Some(TRACEPARENT), "and the client's traceparent");
    assert_ne!(billings_id, "abc-gw-1", "billing's own id is another");
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()["x-request-id"], "abc-gw-1");
    let body = response.text().await.unwrap();
    assert!(body.contains("apierror.upstream.unavailable") && !body.contains(&billings_id), "{body}");
    assert!(event.contains(r#"request_id="abc-gw-1""#), "{event}");
    assert!(event.contains(&format!("upstream.request_id={billings_id}")), "{event}");

    // Only a `traceparent`: our id is its trace id, and billing gets both.
    let (_, (_, id, traceparent), _) =
        charge_recorded(apierror::Config::production(), &[("traceparent", TRACEPARENT)]).await;
    assert_eq!(id.as_deref(), Some("4bf92f3577b34da6a3ce929d0e0e4736"));
    assert_eq!(traceparent.as_deref(), Some(TRACEPARENT));

    // Neither: a fresh id of ours, and no traceparent made up.
    let (response, (_, id, traceparent), _) = charge_recorded(apierror::Config::production(), &[]).await;
    assert_eq!(id.as_deref(), Some(response.headers()["x-request-id"].to_str().unwrap()));
    assert_eq!(traceparent, None);
}

/// Billing names its id in a header we do not read: its id is found in its
/// body (a problem's `instance`), and still never reaches ours.
#[tokio::test]
async fn billings_id_in_its_body_is_logged_too() {
    let billing = apierror::Config::production()
        .with_request_id_header(axum::http::HeaderName::from_static("x-billing-request-id"))
        .with_format(apierror::Format::Problem);
    let (response, (billings_id, id, _), event) =
        charge_recorded(billing, &[("x-request-id", "abc-gw-2")]).await;
    assert_eq!(id.as_deref(), Some("abc-gw-2"));
    assert!(event.contains(&format!("upstream.request_id={billings_id}")), "{event}");
    let body = response.text().await.unwrap();
    assert!(!body.contains(&billings_id), "{body}");
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
