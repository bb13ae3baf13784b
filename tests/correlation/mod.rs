//! What the correlation-id end-to-end tests of both frameworks share: a
//! global subscriber that records every log event (the servers render on
//! their own threads), a raw HTTP/1.1 client over loopback (so that any
//! bytes can be sent as a header value), the error types the test routes
//! return, the checks, and the scenarios both frameworks' tests run.

#![allow(dead_code)] // each test binary uses its own part

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Mutex, Once};
use std::time::Duration;

use apierror::{ApiError, Errors};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Level, Metadata, Subscriber};

#[path = "../web/serve.rs"]
pub mod serve;

// --- the error types of the test routes -----------------------------------

#[derive(Debug, thiserror::Error)]
#[error("pool timed out after 5s")]
pub struct PoolTimeout(#[source] pub std::io::Error);

#[derive(Debug, thiserror::Error, ApiError)]
pub enum StoreError {
    #[error("database unavailable")]
    #[api(status = 503, code = "corr.database")]
    Database(#[source] PoolTimeout),

    #[error("thing {0} not found")]
    #[api(status = 404, code = "corr.not_found", field = "id", message = "There is no thing with this id.")]
    NotFound(u64),
}

#[derive(Debug, thiserror::Error, ApiError)]
pub enum HandlerError {
    #[error(transparent)]
    #[api(transparent)]
    Store(#[from] StoreError),
}

pub fn database() -> StoreError {
    StoreError::Database(PoolTimeout(std::io::Error::other("connection refused (os error 111)")))
}

pub fn transparent() -> HandlerError {
    HandlerError::from(database())
}

pub fn errors() -> Errors {
    let mut errors = Errors::new();
    errors.push(StoreError::NotFound(1));
    errors.push(StoreError::NotFound(2));
    errors
}

// --- the subscriber ----------------------------------------------------------

/// One recorded event: its level and every field as text.
#[derive(Debug, Clone)]
pub struct Event {
    pub level: Level,
    pub fields: BTreeMap<String, String>,
}

impl Event {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

static EVENTS: Mutex<Vec<Event>> = Mutex::new(Vec::new());

/// Records every event of the process.
struct Recorder;

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Recorder {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::always()
    }
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        EVENTS.lock().unwrap().push(Event { level: *event.metadata().level(), fields });
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// What every test does before serving: production bodies (the default
/// the layers render with is the environment's: nothing is configured), and
/// the recorder installed.
pub fn set_up() {
    assert!(!apierror::config().is_development(), "the tests check production bodies (APP_ENV is set?)");
    record_events();
}

/// Installs the recorder as the global subscriber (once).
pub fn record_events() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| tracing::subscriber::set_global_default(Recorder).expect("the only subscriber"));
}

/// The error events logged so far with `request_id` equal to `id`.
pub fn events_for(id: &str) -> Vec<Event> {
    EVENTS.lock().unwrap().iter().filter(|e| e.field("request_id") == Some(id)).cloned().collect()
}

/// Every error event the servers logged carried a request id: nothing was
/// rendered outside a request's scope (which would be a second, id-less
/// event for a response).
pub fn assert_every_error_event_has_an_id() {
    let events = EVENTS.lock().unwrap();
    let without: Vec<&Event> = events
        .iter()
        .filter(|e| e.field("error.code").is_some() && e.field("request_id").is_none())
        .collect();
    assert!(without.is_empty(), "events without a request id: {without:?}");
}

// --- the raw client -------------------------------------------------------------

/// One answer, read whole.
pub struct Reply {
    pub status: u16,
    /// Every header line, names lowercased, values as sent.
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
    /// The whole answer as received.
    pub raw: Vec<u8>,
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.raw))
    }
}

impl Reply {
    /// The only value of header `name`, as text.
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&Vec<u8>> = self.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v).collect();
        assert!(values.len() <= 1, "one {name} header at most: {values:?}");
        values.first().map(|v| String::from_utf8(v.to_vec()).expect("an ASCII header value"))
    }

    /// The request id the answer carries.
    pub fn request_id(&self) -> String {
        self.header("x-request-id").unwrap_or_else(|| panic!("an x-request-id header: {self:?}"))
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("JSON body ({e}): {self:?}"))
    }
}

/// Sends `method path` to `address` over a new connection, with
/// `x-request-id: <id bytes as they are>` when `id` is given, and reads the
/// whole answer. Blocking: call it from `spawn_blocking`.
pub fn send_blocking(address: SocketAddr, method: &str, path: &str, id: Option<&[u8]>) -> Reply {
    let headers: Vec<(&str, &[u8])> = id.map(|id| ("x-request-id", id)).into_iter().collect();
    send_headers_blocking(address, method, path, &headers)
}

/// Sends `method path` to `address` over a new connection with `headers`
/// (values as bytes, as they are), and reads the whole answer. Blocking.
pub fn send_headers_blocking(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &[u8])],
) -> Reply {
    assert!(address.ip().is_loopback(), "tests talk to loopback only");
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n").into_bytes();
    for (name, value) in headers {
        request.extend_from_slice(format!("{name}: ").as_bytes());
        request.extend_from_slice(value);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"content-length: 0\r\n\r\n");
    stream.write_all(&request).expect("send the request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the answer");
    parse(raw)
}

/// Sends the request from the blocking pool, so that a server on the same
/// runtime keeps running.
pub async fn send(address: SocketAddr, method: &str, path: &str, id: Option<&[u8]>) -> Reply {
    let (method, path, id) = (method.to_owned(), path.to_owned(), id.map(<[u8]>::to_vec));
    tokio::task::spawn_blocking(move || send_blocking(address, &method, &path, id.as_deref()))
        .await
        .expect("the request thread")
}

fn parse(raw: Vec<u8>) -> Reply {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| panic!("a head: {raw:?}"));
    let head = std::str::from_utf8(&raw[..end]).expect("an ASCII head");
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().expect("a status");
    let headers: Vec<(String, Vec<u8>)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect("name: value");
            (name.to_ascii_lowercase(), value.trim().as_bytes().to_vec())
        })
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers.iter().any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case(b"chunked")) {
        body = dechunk(&body);
    }
    Reply { status, headers, body, raw }
}

fn dechunk(mut chunked: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line = chunked.windows(2).position(|w| w == b"\r\n").expect("a chunk size");
        let size = usize::from_str_radix(std::str::from_utf8(&chunked[..line]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&chunked[line + 2..line + 2 + size]);
        chunked = &chunked[line + 2 + size + 2..];
    }
}

// --- the checks -----------------------------------------------------------------

/// A fresh id as the library makes them: 32 lowercase hex digits.
pub fn assert_fresh(id: &str) {
    assert_eq!(id.len(), 32, "{id}");
    assert!(id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{id}");
}

/// `reply` is an error carrying an id, and exactly one event (`count` for
/// an `Errors`) was logged with that id, with `code` and `level`.
pub fn assert_logged_once(reply: &Reply, code: &str, level: Level) -> Event {
    assert!(reply.status >= 400, "{reply:?}");
    let id = reply.request_id();
    let events = events_for(&id);
    assert_eq!(events.len(), 1, "exactly one event for {id}: {events:?}");
    let event = events.into_iter().next().unwrap();
    assert_eq!(event.field("error.code"), Some(code), "{event:?}");
    assert_eq!(event.level, level, "{event:?}");
    event
}

/// Incoming ids that must never come back nor be logged as they are. The
/// server either refuses the request itself (bytes HTTP forbids) or answers
/// with a fresh id.
pub fn hostile_ids() -> Vec<Vec<u8>> {
    vec![
        "a".repeat(1000).into_bytes(),
        "caf\u{e9}-\u{1f600}".as_bytes().to_vec(),
        b"\xff\xfe\xfd".to_vec(),
        b"abc%0d%0aset-cookie:%20stolen=1".to_vec(),
        b"two words".to_vec(),
        b"tab\there".to_vec(),
        b"\"quoted\"".to_vec(),
        b"<script>alert(1)</script>".to_vec(),
        b"abc\x01def".to_vec(),
        b"abc\x7f".to_vec(),
    ]
}

/// The hostile id in `reply` was replaced (or the request refused), and
/// never echoed.
pub fn assert_replaced(hostile: &[u8], reply: &Reply) {
    let echoed = reply.raw.windows(hostile.len()).any(|w| w == hostile);
    assert!(!echoed, "{hostile:?} echoed: {reply:?}");
    match reply.header("x-request-id") {
        Some(id) => {
            assert_fresh(&id);
            assert_eq!(events_for(&id).len(), 1, "the replaced id is logged: {id}");
        }
        // Refused by the HTTP parser before any handler ran.
        None => assert_eq!(reply.status, 400, "{hostile:?}: {reply:?}"),
    }
}

// --- the scenarios -------------------------------------------------------------
//
// Each runs against a server at `address` that serves, behind the
// framework's apierror layer or middleware, `GET /db` (`database()`, and a
// 405 for other methods), `/wrapped` (`transparent()`), `/many`
// (`errors()`), `/panics` (a panic), `/bare` (a bare 503), `/ok` (a
// success) and the not-found fallback. `prefix` names the framework in the
// ids the scenario sends, so that the ids of the tests that run at once in
// one process never meet.

/// A well-formed incoming id comes back on the error response and is the
/// `request_id` of its one log event; the body stays the production body.
pub async fn well_formed_id_round_trip(address: SocketAddr, prefix: &str) {
    // UUID-shaped: `9f1c2e4d-7a3b-4c5d-8e9f-axum00000001`.
    let id = format!("9f1c2e4d-7a3b-4c5d-8e9f-{prefix:0<11}1");
    let reply = send(address, "GET", "/db", Some(id.as_bytes())).await;
    assert_eq!(reply.status, 503);
    assert_eq!(reply.request_id(), id);
    let event = assert_logged_once(&reply, "corr.database", Level::ERROR);
    assert_eq!(
        event.field("error.chain"),
        Some("pool timed out after 5s: connection refused (os error 111)")
    );
    // The body is the production body: nothing of the chain, no id.
    assert_eq!(reply.json()[0]["details"], serde_json::Value::Null);
    assert!(!String::from_utf8_lossy(&reply.body).contains("pool"));

    let id = format!("{prefix}-not-found-1");
    let reply = send(address, "GET", "/nowhere", Some(id.as_bytes())).await;
    assert_eq!((reply.status, reply.request_id()), (404, id));
    assert_logged_once(&reply, "apierror.not_found", Level::DEBUG);
}

/// Without an incoming id, each error response gets a fresh one of its own.
pub async fn fresh_ids(address: SocketAddr) {
    let first = send(address, "GET", "/db", None).await;
    let second = send(address, "GET", "/db", None).await;
    assert_fresh(&first.request_id());
    assert_ne!(first.request_id(), second.request_id());
    assert_logged_once(&first, "corr.database", Level::ERROR);
    assert_logged_once(&second, "corr.database", Level::ERROR);
}

/// Sends `method path` with the incoming id `id`; the answer has `status`
/// and carries that id, which is the `request_id` of its one log event,
/// with `code` and `level`.
async fn logged_once_with_the_id(
    address: SocketAddr,
    method: &str,
    path: &str,
    id: &str,
    status: u16,
    code: &str,
    level: Level,
) -> (Reply, Event) {
    let reply = send(address, method, path, Some(id.as_bytes())).await;
    assert_eq!((reply.status, reply.request_id().as_str()), (status, id));
    let event = assert_logged_once(&reply, code, level);
    (reply, event)
}

/// Every kind of error response the layer or middleware sees carries the
/// incoming id and is logged exactly once with it; a success is not logged.
pub async fn every_kind_logged_once(address: SocketAddr, prefix: &str) {
    // Through `transparent`: one event, as the inner error.
    let id = format!("{prefix}-transparent-1");
    let (_, event) =
        logged_once_with_the_id(address, "GET", "/wrapped", &id, 503, "corr.database", Level::ERROR).await;
    assert_eq!(event.field("error.type"), Some("StoreError::Database"));

    // A panic, answered by the layer or middleware.
    let id = format!("{prefix}-panic-1");
    logged_once_with_the_id(address, "GET", "/panics", &id, 500, "apierror.internal", Level::ERROR).await;

    // A bare status, rewritten into the common body.
    let id = format!("{prefix}-bare-1");
    let code = "apierror.service_unavailable";
    logged_once_with_the_id(address, "GET", "/bare", &id, 503, code, Level::ERROR).await;

    // The router's 405, rewritten, keeping `Allow`.
    let id = format!("{prefix}-405-1");
    let code = "apierror.method_not_allowed";
    let (reply, _) = logged_once_with_the_id(address, "POST", "/db", &id, 405, code, Level::DEBUG).await;
    assert!(reply.header("allow").is_some(), "{reply:?}");

    // `Errors`: one event per error, all with the response's id.
    let id = format!("{prefix}-many-1");
    let reply = send(address, "GET", "/many", Some(id.as_bytes())).await;
    assert_eq!(reply.request_id(), id);
    let events = events_for(&id);
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events.iter().all(|e| e.field("error.code") == Some("corr.not_found")));

    // A success is not an error: no event; it carries the id too.
    let id = format!("{prefix}-ok-1");
    let reply = send(address, "GET", "/ok", Some(id.as_bytes())).await;
    assert_eq!((reply.status, reply.request_id()), (200, id.clone()));
    assert!(events_for(&id).is_empty());
}

/// Hostile incoming ids are replaced by fresh ones (or the request is
/// refused), never echoed; a CRLF cannot inject a response header.
pub async fn hostile_ids_replaced(address: SocketAddr, prefix: &str) {
    for hostile in hostile_ids() {
        let reply = send(address, "GET", "/db", Some(&hostile)).await;
        assert_replaced(&hostile, &reply);
    }
    // A CRLF in the value ends the header: the server sees a well-formed
    // `<prefix>-crlf` and a separate request header, and no header is
    // injected into the response.
    let id = format!("{prefix}-crlf");
    let reply = send(address, "GET", "/db", Some(format!("{id}\r\nset-cookie: stolen=1").as_bytes())).await;
    assert_eq!(reply.request_id(), id);
    assert_eq!(reply.header("set-cookie"), None);
    assert_logged_once(&reply, "corr.database", Level::ERROR);
}
