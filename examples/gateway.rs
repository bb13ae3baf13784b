//! A small gateway on axum whose handler calls another service, "billing",
//! and answers the team's `BillingError` with `?`: billing's failures
//! become our 502, 503 or 504 (or the team's own 402), and nothing of the
//! call (URL, API key, billing's body) leaves the server.
//!
//! ```sh
//! cargo run --example gateway --features axum,reqwest   # listens on 127.0.0.1:3001, or $PORT
//! curl -si localhost:3001/api/charge/declined
//! ```
//!
//! With no configuration it starts its own misbehaving billing service on
//! loopback; `GET /api/charge/{case}` asks it to misbehave so:
//!
//! | case | billing does | we answer |
//! |---|---|---|
//! | `ok` | 200 and a receipt | 200 and the receipt |
//! | `declined` | 402 | 402 `billing.card_declined` (the team's variant) |
//! | `timeout` | never answers | 504 `apierror.upstream.timeout` |
//! | `refused` | (nothing listens) | 503 `apierror.upstream.unavailable` |
//! | `unavailable` | 503, `Retry-After: 7` | 503 `apierror.upstream.unavailable`, `Retry-After: 7` |
//! | `rate_limited` | 429, `Retry-After: 86400` | 503 `apierror.upstream.unavailable`, `Retry-After: 3600` |
//! | `server_error` | 500 | 502 `apierror.upstream.bad_gateway` |
//! | `unauthorized` | 401 | 502 `apierror.upstream.bad_gateway` (and a warning asking for a mapping) |
//! | `bad_json` | 200 and HTML | 502 `apierror.upstream.bad_gateway` |
//! | `truncated` | 200 and half a body | 502 `apierror.upstream.bad_gateway` |
//! | `redirect_loop` | 302 to itself, forever | 502 `apierror.upstream.bad_gateway` |
//!
//! `BILLING_URL=http://…` calls that service instead. Set
//! `APP_ENV=development` to see each error's `debug` member; the log shows
//! what failed, the URL without its query. Errors answer in the client's
//! language (`locales/`): `curl -si localhost:3001/api/charge/declined -H 'Accept-Language: de'`.
//!
//! Correlation crosses the call: `upstream::json` sends billing our request
//! id (`x-request-id`: the client's, else a fresh one) and the client's
//! W3C `traceparent`, and when billing answers with its own request id (its
//! `x-request-id` header, or apierror's body), our one log event of the
//! error names it as `upstream.request_id`:
//!
//! ```sh
//! curl -si localhost:3001/api/charge/server_error -H 'x-request-id: abc-123' \
//!   -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
//! # log: ERROR 502 apierror.upstream.bad_gateway … request_id="abc-123" … upstream.request_id=billing-server_error
//! ```

use std::net::SocketAddr;
use std::time::Duration;

use apierror::axum::{Json, Path};
use apierror::upstream::{self, FromUpstreamError, UpstreamError};
use apierror::ApiError;
use axum::extract::State;
use axum::routing::get;
use axum::Router;
// In this repository, apierror's reqwest (0.13) is the dependency named
// `reqwest-upstream`; in your crate it is plain `reqwest`.
use reqwest_upstream as reqwest;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The key billing wants in the query string, as many APIs do: it must
/// appear in no response and no log line.
pub const API_KEY: &str = "sk_live_4f9c0d2e";

/// The team's errors.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum BillingError {
    #[error("billing declined the card")]
    #[api(
        status = 402,
        code = "billing.card_declined",
        message = "Your card was declined.",
        upstream(service = "billing", status = 402)
    )]
    CardDeclined(#[source] UpstreamError),

    /// Every other failure of billing: 502, 503 or 504, as apierror's table says.
    #[error(transparent)]
    #[api(transparent)]
    Upstream(#[from] UpstreamError),
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Receipt {
    pub id: String,
    pub amount: u64,
}

/// The handler: one call to billing, one `?`.
async fn charge(
    State(billing): State<Billing>,
    Path(case): Path<String>,
) -> Result<Json<Receipt>, BillingError> {
    let request = billing.http.post(billing.charge_url(&case));
    let receipt = upstream::json("billing", request).await.map_err(BillingError::from_upstream)?;
    Ok(Json(receipt))
}

/// How to reach billing.
#[derive(Clone)]
pub struct Billing {
    http: reqwest::Client,
    url: String,
    /// For the `refused` case: an address nothing listens on.
    closed: String,
}

impl Billing {
    /// Billing at `url`, with a short timeout.
    pub async fn at(url: String) -> std::io::Result<Self> {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(1)).no_proxy().build().unwrap();
        let closed = format!("http://{}", TcpListener::bind("127.0.0.1:0").await?.local_addr()?);
        Ok(Self { http, url, closed })
    }

    fn charge_url(&self, case: &str) -> String {
        let base = if case == "refused" { &self.closed } else { &self.url };
        format!("{base}/v1/charges/{case}?api_key={API_KEY}")
    }
}

/// The whole gateway: the route, `not_found` for every other path, and the
/// layer that answers every error in the common body, rendered with
/// `config` (`apierror_examples::config()`: in the client's language with
/// the feature `i18n`).
pub fn app(billing: Billing, config: apierror::Config) -> Router {
    Router::new()
        .route("/api/charge/{case}", get(charge))
        .with_state(billing)
        .fallback(apierror::axum::not_found)
        .layer(apierror::axum::layer_with(config))
}

/// What billing says when it fails: none of it may reach our client.
pub const BILLING_BODY: &str = r#"{"error":"billing-internal: ledger db-7 at 10.0.3.7 said no"}"#;

/// Starts a billing service on loopback that misbehaves as the request's
/// last path segment asks; returns its base URL.
pub async fn misbehaving_billing() -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0u8; 1024];
                while !head.windows(4).any(|window| window == b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                // "POST /v1/charges/{case}?api_key=… HTTP/1.1"
                let head = String::from_utf8_lossy(&head);
                let target = head.split(' ').nth(1).unwrap_or_default().to_owned();
                let case =
                    target.split('?').next().unwrap_or_default().rsplit('/').next().unwrap_or_default();
                // Billing names each answer with a request id of its own, as
                // a service built with apierror does.
                let reply = |status: &str, headers: &str, body: &str| {
                    format!(
                        "HTTP/1.1 {status}\r\nX-Request-Id: billing-{case}\r\n{headers}Content-Length: {}\r\n\r\n{body}",
                        body.len()
                    )
                };
                let raw = match case {
                    "ok" => reply("200 OK", "", r#"{"id":"ch_1","amount":1200}"#),
                    "declined" => reply("402 Payment Required", "", BILLING_BODY),
                    "timeout" => return tokio::time::sleep(Duration::from_secs(60)).await,
                    "unavailable" => reply("503 Service Unavailable", "Retry-After: 7\r\n", BILLING_BODY),
                    "rate_limited" => reply("429 Too Many Requests", "Retry-After: 86400\r\n", BILLING_BODY),
                    "server_error" => reply("500 Internal Server Error", "", BILLING_BODY),
                    "unauthorized" => reply("401 Unauthorized", "", BILLING_BODY),
                    "bad_json" => reply("200 OK", "", "<html>billing-internal</html>"),
                    "truncated" => "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"id\":\"ch_".to_owned(),
                    "redirect_loop" => reply("302 Found", &format!("Location: {target}\r\n"), ""),
                    _ => reply("404 Not Found", "", BILLING_BODY),
                };
                let _ = socket.write_all(raw.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    Ok(url)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    // A panic is one escaped event with its request id, not std's
    // multi-line print (README, "Logging").
    apierror::panic_hook();
    // Every failure of billing and every error answered is logged once.
    tracing_subscriber::fmt().with_max_level(tracing::Level::INFO).with_ansi(false).init();
    let billing = match std::env::var("BILLING_URL") {
        Ok(url) => url,
        Err(_) => misbehaving_billing().await?,
    };
    let port = std::env::var("PORT").map_or(Ok(3001), |port| port.parse()).map_err(std::io::Error::other)?;
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    println!("gateway on http://{}, billing at {billing}", listener.local_addr()?);
    // `APP_ENV`, and the translations of `examples/locales/`.
    let config = apierror_examples::config()?;
    axum::serve(listener, app(Billing::at(billing).await?, config)).await
}
