//! Upstream services (issue 13): DESIGN's table over real HTTP, against
//! misbehaving upstreams that each test starts on loopback and controls
//! byte by byte. Every call's URL carries a secret in its query and every
//! upstream body a canary: neither may reach any body or log line, and no
//! production body shows the host, port, path or upstream status.
//!
//! The log is a real `tracing_subscriber::fmt()` subscriber whose writer
//! appends to a buffer of the test's thread; each test runs its calls on a
//! current-thread runtime on that thread, one test at a time (the body
//! logging setting is process-wide).

use std::cell::RefCell;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use apierror::prelude::*;
use apierror::upstream::{self, Failure, FromUpstreamError, UpstreamError, UpstreamErrorKind};
use apierror::Config;
use reqwest_upstream as reqwest;
use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

const SECRET: &str = "SECRET-0f3a9";
const CANARY: &str = "CANARY-7c1e4";
const PATH: &str = "/v1/secret-path";

// ------------------------------------------------------------------ harness

thread_local! {
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

struct ThreadBuffer;

impl io::Write for ThreadBuffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        BUFFER.with(|buffer| buffer.borrow_mut().extend_from_slice(bytes));
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Runs `test` on a current-thread runtime, alone, and returns its output
/// with what it logged.
fn run<T>(test: impl Future<Output = T>) -> (T, String) {
    run_with(&Config::production(), test)
}

/// [`run`], with `config` current while `test` runs (as a layer makes a
/// request's configuration current).
fn run_with<T>(config: &Config, test: impl Future<Output = T>) -> (T, String) {
    static SERIAL: Mutex<()> = Mutex::new(());
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(|| ThreadBuffer)
            .with_max_level(tracing::Level::TRACE)
            .without_time()
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
    });
    let _serial = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    BUFFER.with(|buffer| buffer.borrow_mut().clear());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let output = config.scope(|| runtime.block_on(test));
    drop(runtime);
    let log =
        BUFFER.with(|buffer| String::from_utf8(std::mem::take(&mut *buffer.borrow_mut())).expect("UTF-8"));
    (output, log)
}

/// What a misbehaving upstream does once it has read a request's head.
#[derive(Clone)]
enum Answer {
    /// These bytes, then close.
    Raw(Vec<u8>),
    /// Nothing, ever (the connection stays open).
    Silent,
    /// A redirect to the same URL, forever.
    RedirectLoop,
    /// A chunked 200 whose body is `[0,0,0,…` up to `total` bytes (then cut
    /// off), counting in `sent` what the socket accepted.
    Stream { total: usize, sent: std::sync::Arc<std::sync::atomic::AtomicUsize> },
}

/// A complete HTTP/1.1 response whose body is the canary.
fn answer(status: &str, headers: &[&str]) -> Answer {
    let body = format!("{{\"error\":\"{CANARY}\",\"detail\":\"upstream says {CANARY}\"}}");
    let mut raw = format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\nConnection: close\r\n");
    for header in headers {
        raw.push_str(header);
        raw.push_str("\r\n");
    }
    raw.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    Answer::Raw(raw.into_bytes())
}

/// Starts an upstream on loopback that answers every request with `answer`.
async fn start(answer: Answer) -> SocketAddr {
    let (address, _) = recording::serve(move |mut socket| {
        let answer = answer.clone();
        async move {
            match answer {
                Answer::Raw(bytes) => {
                    let _ = socket.write_all(&bytes).await;
                    let _ = socket.shutdown().await;
                }
                Answer::Silent => tokio::time::sleep(Duration::from_secs(60)).await,
                Answer::Stream { total, sent } => {
                    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
                    if socket.write_all(head.as_bytes()).await.is_err() {
                        return;
                    }
                    let chunk = format!("[{}", "0,".repeat(32 * 1024));
                    let framed = format!("{:x}\r\n{chunk}\r\n", chunk.len());
                    while sent.load(std::sync::atomic::Ordering::SeqCst) < total {
                        if socket.write_all(framed.as_bytes()).await.is_err() {
                            return;
                        }
                        sent.fetch_add(chunk.len(), std::sync::atomic::Ordering::SeqCst);
                    }
                    let _ = socket.write_all(b"0\r\n\r\n").await;
                    let _ = socket.shutdown().await;
                }
                Answer::RedirectLoop => {
                    let redirect = format!(
                        "HTTP/1.1 302 Found\r\nLocation: {PATH}?api_key={SECRET}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                    );
                    let _ = socket.write_all(redirect.as_bytes()).await;
                    let _ = socket.shutdown().await;
                }
            }
        }
    })
    .await;
    address
}

fn url(address: SocketAddr) -> String {
    format!("http://{address}{PATH}?api_key={SECRET}#fragment-{SECRET}")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_millis(500)).no_proxy().build().expect("client")
}

/// The upstream answers `answer`; the call goes through `upstream::json`.
async fn call(answer: Answer) -> (UpstreamError, SocketAddr) {
    let address = start(answer).await;
    let err = upstream::json::<Value>("billing", client().get(url(address)))
        .await
        .expect_err("the upstream misbehaves");
    (err, address)
}

/// Renders `err` in both environments and checks what never leaves the
/// server; returns the production response and the development body.
fn rendered<E: ApiError>(err: &E, address: SocketAddr, log: &str) -> (http::Response<Vec<u8>>, Value) {
    BUFFER.with(|buffer| buffer.borrow_mut().clear());
    let production = err.to_response_with(&Config::production());
    let development = err.to_response_with(&Config::development());
    // What rendering logs (`error.message` is the `Display`), with the call's log.
    let render_log =
        BUFFER.with(|buffer| String::from_utf8(std::mem::take(&mut *buffer.borrow_mut())).unwrap());
    assert_eq!(render_log.lines().filter(|line| line.contains("error.code=")).count(), 2, "{render_log}");
    let log = &format!("{log}{render_log}");
    let production_text = std::str::from_utf8(production.body()).expect("UTF-8");
    let development_text = std::str::from_utf8(development.body()).expect("UTF-8");
    for (name, text) in [("production", production_text), ("development", development_text), ("log", log)] {
        assert!(!text.contains(SECRET), "the query's secret in the {name}: {text}");
        assert!(!text.contains("api_key"), "the query in the {name}: {text}");
        assert!(!text.contains(CANARY), "the upstream's body in the {name}: {text}");
    }
    for leak in ["127.0.0.1", &address.port().to_string(), PATH, "secret-path", "billing"] {
        assert!(!production_text.contains(leak), "{leak} in production: {production_text}");
    }
    let production_body: Value = serde_json::from_slice(production.body()).expect("JSON");
    let development_body: Value = serde_json::from_slice(development.body()).expect("JSON");
    assert_eq!(production_body[0]["message"], development_body[0]["message"], "one message in both");
    assert_eq!(development_body[0]["debug"]["sources"], Value::Array(vec![]), "no source chain");
    assert_eq!(production.headers().get("retry-after"), development.headers().get("retry-after"));
    // One event, one line, whatever the upstream sent.
    for line in log.lines() {
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
    (production, development_body)
}

/// What rendering `err` once in production logs: its one event.
fn render_log<E: ApiError>(err: &E) -> String {
    BUFFER.with(|buffer| buffer.borrow_mut().clear());
    let _ = err.to_response_with(&Config::production());
    BUFFER.with(|buffer| String::from_utf8(std::mem::take(&mut *buffer.borrow_mut())).unwrap())
}

fn code_of(response: &http::Response<Vec<u8>>) -> String {
    let body: Value = serde_json::from_slice(response.body()).expect("JSON");
    body[0]["error_code"].as_str().expect("a code").to_owned()
}

fn retry_after(response: &http::Response<Vec<u8>>) -> Option<u32> {
    response.headers().get("retry-after").map(|value| value.to_str().unwrap().parse().unwrap())
}

/// DESIGN's table, one row per misbehaviour: (answer, status, code,
/// failure, upstream status).
fn assert_row(
    answer: Answer,
    status: u16,
    code: &str,
    failure: Failure,
    upstream_status: Option<u16>,
) -> Value {
    let ((err, address), log) = run(call(answer));
    assert_eq!(err.failure(), failure, "{err}");
    assert_eq!(err.upstream_status().map(|s| s.as_u16()), upstream_status);
    let (production, development) = rendered(&err, address, &log);
    assert_eq!(production.status(), status, "{err}");
    assert_eq!(code_of(&production), code);
    // Making the error logs nothing; rendering it logs its one event, which
    // names the service, the failure and the URL without its query.
    assert!(!log.contains("error.code="), "the call logs no event of its own: {log}");
    let events = render_log(&err);
    let events: Vec<&str> = events.lines().collect();
    assert_eq!(events.len(), 1, "{events:#?}");
    let event = events[0];
    assert!(event.contains(&format!("error.code=\"{code}\"")), "{event}");
    assert!(event.starts_with("ERROR "), "{event}");
    assert!(event.contains("upstream.service=billing"), "{event}");
    assert!(event.contains(&format!("upstream.failure=\"{}\"", failure.as_str())), "{event}");
    assert!(event.contains(&format!("upstream.url=http://{address}{PATH}")), "{event}");
    if let Some(upstream_status) = upstream_status {
        assert!(event.contains(&format!("upstream.status={upstream_status}")), "{event}");
    }
    // Development's debug says what failed, where, without the query.
    let display = development[0]["debug"]["display"].as_str().expect("display");
    assert!(display.contains(&format!("http://{address}{PATH}")), "{display}");
    assert_eq!(
        development[0]["debug"]["type"],
        format!("apierror::upstream::UpstreamError::{}", variant(code))
    );
    development
}

/// A success body over `Config::upstream_body_limit` (4 MiB by default) is
/// not held: declared by `Content-Length` it is not read at all; streamed,
/// reading stops at the limit (the upstream could send no more than the
/// limit and the sockets' buffers), and the call answers 502.
#[test]
fn a_huge_or_endless_success_body_is_not_held() {
    // Declared: a valid 64 MiB JSON string.
    let huge = format!("\"{}\"", "a".repeat(64 << 20));
    let raw = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{huge}",
        huge.len()
    );
    let ((err, address), log) = run(call(Answer::Raw(raw.into_bytes())));
    assert_eq!((err.kind(), err.failure()), (UpstreamErrorKind::BadGateway, Failure::TooLarge), "{err}");
    let (production, _) = rendered(&err, address, &log);
    assert_eq!(
        (production.status().as_u16(), code_of(&production).as_str()),
        (502, "apierror.upstream.bad_gateway")
    );
    let event = render_log(&err);
    assert!(event.contains("upstream.failure=\"too_large\""), "the limit is logged: {event}");

    // Streamed (no length), "endless": 512 MiB if nobody stops reading.
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let total = 512 << 20;
    let answer = Answer::Stream { total, sent: sent.clone() };
    let (err, _) = run(async move {
        let address = start(answer).await;
        let client = reqwest::Client::builder().no_proxy().build().expect("client");
        let call = upstream::json::<Value>("billing", client.get(url(address)));
        tokio::time::timeout(Duration::from_secs(60), call)
            .await
            .expect("the read stops")
            .expect_err("too large")
    });
    assert_eq!((err.kind(), err.failure()), (UpstreamErrorKind::BadGateway, Failure::TooLarge), "{err}");
    let sent = sent.load(std::sync::atomic::Ordering::SeqCst);
    assert!(sent < 64 << 20, "the read stopped near the limit: {sent} bytes sent");
}

fn variant(code: &str) -> &'static str {
    match code {
        "apierror.upstream.timeout" => "Timeout",
        "apierror.upstream.unavailable" => "Unavailable",
        _ => "BadGateway",
    }
}

#[path = "../recording/mod.rs"]
mod recording;

mod catalog;
mod correlation;
mod logged_body;
mod retry_after;
mod table;
mod teams;
