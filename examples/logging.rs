//! What the server logs when it answers an error, and how the response
//! points at the log line: `cargo run --example logging`.
//!
//! Outside axum and actix-web (whose layers do this for every request),
//! take the request's id with `RequestId::from_headers` and render with
//! `to_response_with_id`.

use apierror::{ApiErrorExt, Config, LogLevel, RequestId};
use apierror_examples::sample::ColumnError;

/// The cause a database layer reports; it stays on the server.
#[derive(Debug, thiserror::Error)]
#[error("pool timed out after 5s")]
pub struct PoolTimeout(#[source] std::io::Error);

fn main() {
    // A panic is one escaped event with its request id, not std's
    // multi-line print (README, "Logging").
    apierror::panic_hook();
    // Any subscriber works; this one prints each event on one line (the
    // library escapes line breaks in the text it logs), at `info` and up.
    // 5xx are logged at `error`; 4xx at `debug` unless configured, here
    // `info`, so that this subscriber shows them.
    tracing_subscriber::fmt().with_max_level(tracing::Level::INFO).with_ansi(false).init();
    let config = Config::production().with_client_error_level(LogLevel::Info);

    // A request whose proxy sent an id: the response and the log carry it.
    let mut request = http::HeaderMap::new();
    request.insert("x-request-id", http::HeaderValue::from_static("7f3c9a1e-2b4d-4e8f-9a6b-1c2d3e4f5a6b"));
    let id = RequestId::from_headers(&request, &config);
    let timeout = PoolTimeout(std::io::Error::other("connection refused (os error 111)"));
    let err = ColumnError::Database(std::io::Error::new(std::io::ErrorKind::TimedOut, timeout));
    print(&err.to_response_with_id(&config, &id));

    // A request without one (or with a malformed one): a fresh id.
    let id = RequestId::from_headers(&http::HeaderMap::new(), &config);
    let err = ColumnError::DuplicateName { name: "id".into(), table: "users".into() };
    print(&err.to_response_with_id(&config, &id));
}

fn print(response: &http::Response<Vec<u8>>) {
    println!("HTTP {}", response.status());
    for (name, value) in response.headers() {
        println!("{name}: {}", value.to_str().unwrap_or("<binary>"));
    }
    println!("{}\n", String::from_utf8_lossy(response.body()));
}
