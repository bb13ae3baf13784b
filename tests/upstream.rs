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
use tokio::io::{AsyncReadExt, AsyncWriteExt};
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
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0u8; 1024];
                while !head.windows(4).any(|window| window == b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
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
            });
        }
    });
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

// ------------------------------------------------------------------ the table

#[test]
fn an_upstream_500_or_502_is_a_502() {
    for status in ["500 Internal Server Error", "502 Bad Gateway", "504 Gateway Timeout"] {
        let code: u16 = status[..3].parse().unwrap();
        assert_row(answer(status, &[]), 502, "apierror.upstream.bad_gateway", Failure::Status, Some(code));
    }
}

#[test]
fn an_upstream_503_is_a_503_keeping_its_retry_after_seconds() {
    let ((err, address), log) = run(call(answer("503 Service Unavailable", &["Retry-After: 7"])));
    let (production, _) = rendered(&err, address, &log);
    assert_eq!(production.status(), 503);
    assert_eq!(code_of(&production), "apierror.upstream.unavailable");
    assert_eq!(retry_after(&production), Some(7));
    let event = render_log(&err);
    assert!(event.contains("upstream.retry_after=7"), "{event}");
}

#[test]
fn an_upstream_503_with_an_http_date_is_seconds_from_now() {
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
    let header = format!("Retry-After: {date}");
    let ((err, address), log) = run(call(answer("503 Service Unavailable", &[&header])));
    let (production, _) = rendered(&err, address, &log);
    assert_eq!(production.status(), 503);
    let seconds = retry_after(&production).expect("Retry-After");
    assert!((115..=120).contains(&seconds), "{seconds}");

    // A date a year away is clamped to an hour.
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(365 * 86400));
    let header = format!("Retry-After: {date}");
    let ((err, _), _) = run(call(answer("503 Service Unavailable", &[&header])));
    assert_eq!(err.retry_after(), Some(upstream::MAX_RETRY_AFTER));
}

#[test]
fn an_upstream_429_is_a_503_with_an_absurd_retry_after_clamped() {
    let ((err, address), log) =
        run(call(answer("429 Too Many Requests", &["Retry-After: 999999999999999999999999"])));
    let (production, _) = rendered(&err, address, &log);
    assert_eq!(production.status(), 503);
    assert_eq!(code_of(&production), "apierror.upstream.unavailable");
    assert_eq!(retry_after(&production), Some(3600));
    // No Retry-After from the upstream: none from us.
    let ((err, _), _) = run(call(answer("429 Too Many Requests", &[])));
    assert_eq!(err.kind(), UpstreamErrorKind::Unavailable);
    assert_eq!(retry_after(&err.to_response_with(&Config::production())), None);
}

#[test]
fn our_credentials_refused_are_a_502_not_the_clients_401_or_403() {
    for status in ["401 Unauthorized", "403 Forbidden"] {
        let code: u16 = status[..3].parse().unwrap();
        let development = assert_row(
            answer(status, &[]),
            502,
            "apierror.upstream.bad_gateway",
            Failure::Status,
            Some(code),
        );
        assert_eq!(
            development[0]["message"],
            "A service this request depends on failed. Please try again later."
        );
    }
}

#[test]
fn a_body_that_is_not_the_json_expected_is_a_502() {
    let raw = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 27\r\n\r\n<html>{CANARY} oops</html>"
    );
    assert_row(Answer::Raw(raw.into_bytes()), 502, "apierror.upstream.bad_gateway", Failure::Decode, None);
    // JSON, but not the shape expected: serde's message would quote the
    // canary; it is neither kept nor logged.
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Invoice {
        total: u64,
    }
    let body = format!("{{\"total\":\"{CANARY}\"}}");
    let raw = format!("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}", body.len());
    let ((err, address), log) = run(async {
        let address = start(Answer::Raw(raw.into_bytes())).await;
        (upstream::json::<Invoice>("billing", client().get(url(address))).await.unwrap_err(), address)
    });
    assert_eq!(err.failure(), Failure::Decode);
    rendered(&err, address, &log);
}

#[test]
fn a_body_cut_off_midway_is_a_502() {
    let raw = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 500\r\n\r\n{{\"total\":\"{CANARY}"
    );
    assert_row(Answer::Raw(raw.into_bytes()), 502, "apierror.upstream.bad_gateway", Failure::Body, None);
}

#[test]
fn headers_never_sent_before_the_timeout_are_a_504() {
    let development = assert_row(Answer::Silent, 504, "apierror.upstream.timeout", Failure::Timeout, None);
    assert!(development[0]["debug"]["display"].as_str().unwrap().contains("did not answer in time"));
}

#[test]
fn a_refused_connection_is_a_503_without_retry_after() {
    let ((err, address), log) = run(async {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = closed.local_addr().unwrap();
        drop(closed);
        (upstream::json::<Value>("billing", client().get(url(address))).await.unwrap_err(), address)
    });
    assert_eq!(err.failure(), Failure::Connect);
    let (production, development) = rendered(&err, address, &log);
    assert_eq!(production.status(), 503);
    assert_eq!(code_of(&production), "apierror.upstream.unavailable");
    assert_eq!(retry_after(&production), None);
    let display = development[0]["debug"]["display"].as_str().unwrap();
    assert!(display.contains("connection refused"), "the I/O error's kind: {display}");
    let event = render_log(&err);
    assert!(event.contains("upstream.failure=\"connect\""), "{event}");
}

#[test]
fn a_redirect_loop_is_a_502() {
    assert_row(Answer::RedirectLoop, 502, "apierror.upstream.bad_gateway", Failure::Redirect, None);
}

// ------------------------------------------------------------------ the constructors

#[test]
fn from_reqwest_and_from_response_directly() {
    let ((timeout, refused, response), log) = run(async {
        let silent = start(Answer::Silent).await;
        let timeout = client().get(url(silent)).send().await.unwrap_err();
        let timeout = UpstreamError::from_reqwest("billing", timeout);
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = closed.local_addr().unwrap();
        drop(closed);
        let refused = client().get(url(address)).send().await.unwrap_err();
        let refused = UpstreamError::from_reqwest("billing", refused);
        let unavailable = start(answer("503 Service Unavailable", &["Retry-After: 30"])).await;
        let response = client().get(url(unavailable)).send().await.unwrap();
        let response = UpstreamError::from_response("billing", &response);
        (timeout, refused, response)
    });
    assert!(!log.contains(SECRET), "{log}");
    assert_eq!(timeout.kind(), UpstreamErrorKind::Timeout);
    assert_eq!(timeout.to_response_with(&Config::production()).status(), 504);
    assert_eq!(refused.kind(), UpstreamErrorKind::Unavailable);
    assert_eq!(response.kind(), UpstreamErrorKind::Unavailable);
    assert_eq!(response.retry_after(), Some(30));
    assert_eq!(response.service(), "billing");
    assert!(response.url().unwrap().ends_with(PATH), "{:?}", response.url());
    // reqwest's own Display has the query: that is why it is never used.
    let ((), log) = run(async {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = closed.local_addr().unwrap();
        drop(closed);
        let err = client().get(url(address)).send().await.unwrap_err();
        assert!(
            format!("{err} {err:?}").contains(SECRET),
            "reqwest shows the query: the test would catch a leak"
        );
        let err = UpstreamError::from_reqwest("billing", err);
        assert!(!format!("{err} {err:?}").contains(SECRET));
    });
    assert!(!log.contains(SECRET));
}

// ------------------------------------------------------------------ the team's own variants

/// What a team writes: `upstream(service = "billing", status = …)` makes
/// the derive implement `FromUpstreamError`.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum BillingError {
    #[error("the card was declined")]
    #[api(
        status = 402,
        code = "upstream-test.card_declined",
        message = "Your card was declined.",
        upstream(service = "billing", status = 402)
    )]
    CardDeclined(#[source] UpstreamError),

    #[error("no such invoice")]
    #[api(
        status = 404,
        code = "upstream-test.no_invoice",
        message = "There is no such invoice.",
        upstream(service = "billing", status = 404)
    )]
    NoInvoice,

    #[error(transparent)]
    #[api(transparent)]
    Upstream(#[from] UpstreamError),
}

/// A handler: one call converts.
async fn handler(service: &'static str, address: SocketAddr) -> Result<Value, BillingError> {
    let invoice =
        upstream::json(service, client().get(url(address))).await.map_err(BillingError::from_upstream)?;
    Ok(invoice)
}

#[derive(Debug, thiserror::Error, ApiError)]
pub enum OrderError {
    #[error("the order cannot ship")]
    #[api(status = 422, code = "upstream-test.cannot_ship", upstream(service = "orders", status = 422))]
    CannotShip(#[source] UpstreamError),

    #[error(transparent)]
    #[api(transparent)]
    Upstream(#[from] UpstreamError),
}

/// A mapped upstream 422 is one event: the team's code (what the client
/// got) with the upstream's facts; nothing says `bad_gateway`.
#[test]
fn a_mapped_upstream_422_logs_one_event_with_the_teams_code_and_the_upstream_facts() {
    let ((err, address), log) = run(async {
        let address = start(answer("422 Unprocessable Entity", &[])).await;
        let err = upstream::json::<Value>("orders", client().get(url(address))).await.unwrap_err();
        (OrderError::from_upstream(err), address)
    });
    assert!(matches!(err, OrderError::CannotShip(_)), "{err:?}");
    let events = format!("{log}{}", render_log(&err));
    let events: Vec<&str> = events.lines().filter(|line| line.contains("error.code=")).collect();
    assert_eq!(events.len(), 1, "{events:#?}");
    let event = events[0];
    for field in [
        "error.code=\"upstream-test.cannot_ship\"".to_owned(),
        "upstream.service=orders".to_owned(),
        "upstream.status=422".to_owned(),
        "upstream.failure=\"status\"".to_owned(),
        format!("upstream.url=http://{address}{PATH}"),
    ] {
        assert!(event.contains(&field), "{event} lacks {field}");
    }
    assert!(!event.contains("bad_gateway") && !event.contains(SECRET), "{event}");
}

#[test]
fn a_mapped_status_is_the_teams_variant() {
    let (err, log) = run(async {
        let address = start(answer("402 Payment Required", &[])).await;
        handler("billing", address).await.unwrap_err()
    });
    assert!(matches!(err, BillingError::CardDeclined(_)), "{err:?}");
    let response = err.to_response_with(&Config::production());
    assert_eq!(response.status(), 402);
    assert_eq!(code_of(&response), "upstream-test.card_declined");
    assert!(!log.contains("does not map"), "a mapped status asks for nothing: {log}");

    let (err, log) = run(async {
        let address = start(answer("404 Not Found", &[])).await;
        handler("billing", address).await.unwrap_err()
    });
    assert!(matches!(err, BillingError::NoInvoice), "{err:?}");
    assert_eq!(err.to_response_with(&Config::production()).status(), 404);
    assert!(!log.contains("does not map"), "{log}");
}

#[test]
fn an_unmapped_status_is_a_502_and_one_warning_naming_the_attribute() {
    let attribute = "add `#[api(..., upstream(service = \\\"ledger\\\", status = 404))]` to that variant";
    let warnings = |log: &str| log.lines().filter(|line| line.contains("does not map")).count();
    let (err, log) = run(async {
        let address = start(answer("404 Not Found", &[])).await;
        handler("ledger", address).await.unwrap_err()
    });
    assert!(matches!(&err, BillingError::Upstream(inner) if inner.kind() == UpstreamErrorKind::BadGateway));
    let response = err.to_response_with(&Config::production());
    assert_eq!(response.status(), 502);
    assert_eq!(code_of(&response), "apierror.upstream.bad_gateway");
    assert_eq!(warnings(&log), 1, "{log}");
    let warning = log.lines().find(|line| line.contains("does not map")).unwrap();
    assert!(warning.contains(" WARN "), "{warning}");
    assert!(warning.contains(attribute) || warning.contains(&attribute.replace("\\\"", "\"")), "{warning}");
    assert!(warning.contains("BillingError"), "{warning}");
    assert!(!warning.contains("error.code="), "a hint, not an error event: {warning}");
    assert!(!warning.contains(SECRET) && !warning.contains(CANARY), "{warning}");

    // Once per process: the same status again asks nothing more; another
    // status asks again.
    let (_, log) = run(async {
        let address = start(answer("404 Not Found", &[])).await;
        handler("ledger", address).await.unwrap_err()
    });
    assert_eq!(warnings(&log), 0, "{log}");
    let (_, log) = run(async {
        let address = start(answer("409 Conflict", &[])).await;
        handler("ledger", address).await.unwrap_err()
    });
    assert_eq!(warnings(&log), 1, "{log}");
    // A 5xx or a timeout is the table's, not a mapping to ask for.
    let (_, log) = run(async {
        let address = start(answer("500 Internal Server Error", &[])).await;
        handler("ledger", address).await.unwrap_err()
    });
    assert_eq!(warnings(&log), 0, "{log}");
}

/// The runtime half: what a `transparent` variant delegates to carries the
/// upstream's own `Retry-After`.
#[test]
fn the_upstreams_retry_after_is_what_transparent_delegates() {
    let (err, _) = run(async {
        let address = start(answer("503 Service Unavailable", &["Retry-After: 9"])).await;
        handler("billing", address).await.unwrap_err()
    });
    let BillingError::Upstream(inner) = &err else { panic!("{err:?}") };
    assert_eq!(apierror::__private::Transparent::retry_after(inner), Some(9));
    assert_eq!(retry_after(&inner.to_response_with(&Config::production())), Some(9));
}

/// The derive's half: `ApiError::retry_after` delegated through a
/// `transparent` variant, as every other method is.
#[test]
fn the_upstreams_retry_after_goes_through_a_transparent_variant() {
    let (err, _) = run(async {
        let address = start(answer("503 Service Unavailable", &["Retry-After: 9"])).await;
        handler("billing", address).await.unwrap_err()
    });
    let response = err.to_response_with(&Config::production());
    assert_eq!(response.status(), 503);
    assert_eq!(retry_after(&response), Some(9));
}

// ------------------------------------------------------------------ logging the body

#[test]
fn the_body_is_logged_only_when_turned_on_and_only_its_first_bytes() {
    let body = format!("{CANARY}\nFORGED line {SECRET}-in-body-tail");
    let raw = format!(
        "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let (err, log) = run({
        let raw = raw.clone();
        async move {
            let address = start(Answer::Raw(raw.into_bytes())).await;
            upstream::json::<Value>("billing", client().get(url(address))).await.unwrap_err()
        }
    });
    assert!(!log.contains(CANARY), "off by default: {log}");
    assert_eq!(err.kind(), UpstreamErrorKind::BadGateway);

    let logged = Config::production().with_upstream_body_logged(CANARY.len() + 7);
    let (err, log) = run_with(&logged, async move {
        let address = start(Answer::Raw(raw.into_bytes())).await;
        upstream::json::<Value>("billing", client().get(url(address))).await.unwrap_err()
    });
    assert_eq!(err.kind(), UpstreamErrorKind::BadGateway);
    assert!(!log.contains("upstream.body"), "the call logs nothing: {log}");
    let log = render_log(&err);
    let event = log.lines().find(|line| line.contains("upstream.body")).expect(&log);
    assert!(event.contains(&format!("upstream.body={CANARY}\\nFORGED")), "escaped, first bytes: {event}");
    assert!(!log.contains("FORGED line"), "bounded: {log}");
    assert!(!log.contains(SECRET), "{log}");
    for line in log.lines() {
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
    // Never in a body, even when logged.
    let body = err.to_response_with(&Config::development()).into_body();
    assert!(!String::from_utf8(body).unwrap().contains(CANARY));
}

// ------------------------------------------------------------------ the catalog

#[test]
fn the_upstream_codes_are_in_the_catalog_with_their_statuses() {
    let table = apierror::registry::markdown();
    for row in [
        "| `apierror.upstream.bad_gateway` | 502 Bad Gateway | `apierror::upstream::UpstreamError::BadGateway` |",
        "| `apierror.upstream.timeout` | 504 Gateway Timeout | `apierror::upstream::UpstreamError::Timeout` |",
        "| `apierror.upstream.unavailable` | 503 Service Unavailable | `apierror::upstream::UpstreamError::Unavailable` |",
    ] {
        assert!(table.contains(row), "{row} missing from\n{table}");
    }
    let catalog: Value = serde_json::from_str(&apierror::registry::json()).unwrap();
    let statuses: Vec<(String, u64)> = catalog
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["code"].as_str().unwrap().starts_with("apierror.upstream."))
        .map(|entry| (entry["code"].as_str().unwrap().to_owned(), entry["status"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("apierror.upstream.bad_gateway".to_owned(), 502),
            ("apierror.upstream.timeout".to_owned(), 504),
            ("apierror.upstream.unavailable".to_owned(), 503),
        ]
    );
    // The library's own, as every `apierror.*` code: never in a team's lock.
    for code in
        ["apierror.upstream.bad_gateway", "apierror.upstream.timeout", "apierror.upstream.unavailable"]
    {
        assert_eq!(apierror::registry::find(code).unwrap().crate_name(), "apierror");
    }
    apierror::registry::check().unwrap();
}

#[test]
fn an_upstream_that_hangs_up_or_does_not_speak_http_is_a_502() {
    assert_row(Answer::Raw(Vec::new()), 502, "apierror.upstream.bad_gateway", Failure::Request, None);
    let garbage = format!("SSH-2.0-{CANARY}\r\n\r\n").into_bytes();
    assert_row(Answer::Raw(garbage), 502, "apierror.upstream.bad_gateway", Failure::Request, None);
}

// ------------------------------------------------------------------ Retry-After of any error

apierror::register! {
    static QUOTA_ENTRIES: [apierror::Entry; 1] = [
        apierror::Entry::builder("upstream-test.quota", 429, "QuotaError")
            .message("You have used your quota for now.")
            .retry_after(30)
            .location(module_path!(), file!(), line!())
            .build(),
    ];
}

/// A hand-written error with a declared `retry_after` (as the derive's
/// `retry_after = 30`), and one that learns its own at run time.
#[derive(Debug, thiserror::Error)]
#[error("quota")]
struct QuotaError(Option<u32>);

impl ApiError for QuotaError {
    fn entry(&self) -> &'static apierror::Entry {
        &QUOTA_ENTRIES[0]
    }
    fn retry_after(&self) -> Option<u32> {
        self.0.or(self.entry().retry_after)
    }
}

#[test]
fn an_entrys_retry_after_is_the_header_and_an_errors_own_overrides_it() {
    let response = QuotaError(None).to_response_with(&Config::production());
    assert_eq!((response.status().as_u16(), retry_after(&response)), (429, Some(30)));
    let response = QuotaError(Some(5)).to_response_with(&Config::development());
    assert_eq!(retry_after(&response), Some(5));
    // An error without one has no header.
    let response = apierror::builtin::Internal.to_response_with(&Config::production());
    assert_eq!(retry_after(&response), None);
}
