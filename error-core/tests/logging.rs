//! The log events of rendered errors, captured by a test subscriber, and the
//! correlation id in responses, logs and bodies.
//!
//! The subscriber is hand-written (`Capture`, below): it records each
//! event's level and every field as text, and decides per event whether it is
//! interested. That is all these tests need; `tracing-subscriber` would add a
//! dev-dependency and a formatting layer whose output the tests would then
//! have to parse back.
//!
//! It is installed once as the global default (`Router`), which hands each
//! event to the `Capture` of the current test's thread. Scoped subscribers
//! (`tracing::subscriber::with_default`) on parallel test threads race with
//! `tracing`'s process-wide cache of callsite interest: a callsite first hit
//! on a thread with no subscriber can stay disabled for the others.
#![cfg(feature = "tracing")]

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use apierror::builtin::BuiltinError;
use apierror::{ApiError, ApiErrorExt, Config, Errors, LogLevel, RequestId};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Level, Metadata, Subscriber};

// --- the test subscriber -------------------------------------------------

/// One recorded event.
#[derive(Debug, Clone, PartialEq)]
struct Event {
    level: Level,
    fields: BTreeMap<String, String>,
}

impl Event {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

/// Records every event of its thread up to `max` (none when `max` is
/// `None`).
#[derive(Clone)]
struct Capture {
    max: Option<Level>,
    events: Arc<Mutex<Vec<Event>>>,
}

impl Capture {
    fn up_to(max: Option<Level>) -> Self {
        Self { max, events: Arc::default() }
    }

    fn events(&self) -> Vec<Event> {
        self.events.lock().unwrap().clone()
    }
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Capture {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        self.max.is_some_and(|max| *metadata.level() <= max)
    }

    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        self.events.lock().unwrap().push(Event { level: *event.metadata().level(), fields });
    }
}

thread_local! {
    static CURRENT: std::cell::RefCell<Option<Capture>> = const { std::cell::RefCell::new(None) };
}

/// The global subscriber: interested in what the current thread's `Capture`
/// is interested in, and in nothing on a thread without one.
struct Router;

impl Router {
    fn current() -> Option<Capture> {
        CURRENT.with(|current| current.borrow().clone())
    }
}

impl Subscriber for Router {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        Self::current().is_some_and(|capture| capture.enabled(metadata))
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        None
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        if let Some(capture) = Self::current() {
            capture.event(event);
        }
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// The events `f` emits, with a subscriber interested in every level.
fn capture<T>(f: impl FnOnce() -> T) -> (T, Vec<Event>) {
    capture_up_to(Some(Level::TRACE), f)
}

/// The events `f` emits, with a subscriber interested in levels up to `max`
/// (in none when `None`).
fn capture_up_to<T>(max: Option<Level>, f: impl FnOnce() -> T) -> (T, Vec<Event>) {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL
        .call_once(|| tracing::subscriber::set_global_default(Router).expect("the only global subscriber"));
    struct Uninstall;
    impl Drop for Uninstall {
        fn drop(&mut self) {
            CURRENT.with(|current| current.borrow_mut().take());
        }
    }
    let capture = Capture::up_to(max);
    CURRENT.with(|current| *current.borrow_mut() = Some(capture.clone()));
    let _uninstall = Uninstall;
    let result = f();
    (result, capture.events())
}

fn body(response: &http::Response<Vec<u8>>) -> serde_json::Value {
    serde_json::from_slice(response.body()).expect("the body is JSON")
}

// --- errors under test ---------------------------------------------------

#[derive(Debug, thiserror::Error)]
#[error("connection refused by 10.0.0.7:5432")]
struct Refused;

#[derive(Debug, thiserror::Error)]
#[error("pool exhausted after 3 tries")]
struct PoolExhausted(#[source] Refused);

#[derive(Debug, thiserror::Error, ApiError)]
enum TableError {
    #[error("table {0} not found")]
    #[api(status = 404, code = "log-404", field = "table", message = "No such table.")]
    NotFound(String),

    #[error("database unavailable")]
    #[api(status = 503, code = "log-503")]
    Database(#[source] PoolExhausted),

    #[error("rate limited")]
    #[api(status = 429, code = "log-429-warn", log = "warn")]
    RateLimited,

    #[error("session expired")]
    #[api(status = 401, code = "log-401-info", log = "info")]
    Expired,

    #[error("client went away")]
    #[api(status = 499, code = "log-499-off", log = "off")]
    ClientGone,

    #[error("disk full")]
    #[api(status = 507, code = "log-507-off", log = "off")]
    DiskFull,

    #[error("quota exceeded")]
    #[api(status = 500, code = "log-500-details")]
    Quota {
        #[api(details)]
        limit: u32,
    },

    #[error("upstream said no")]
    #[api(status = 502, code = "log-502-own-id")]
    Upstream {
        #[api(details)]
        request_id: &'static str,
    },
}

#[derive(Debug, thiserror::Error, ApiError)]
enum ServiceError {
    #[error(transparent)]
    #[api(transparent)]
    Table(#[from] TableError),

    #[error("forbidden")]
    #[api(status = 403, code = "log-403")]
    Forbidden,
}

#[derive(Debug, thiserror::Error, ApiError)]
enum AppError {
    #[error(transparent)]
    #[api(transparent)]
    Service(#[from] ServiceError),
}

fn database() -> TableError {
    TableError::Database(PoolExhausted(Refused))
}

const FIELD_NAMES: [&str; 8] = [
    "error.chain",
    "error.code",
    "error.field",
    "error.message",
    "error.status",
    "error.type",
    "message",
    "request_id",
];

// --- levels ----------------------------------------------------------------

#[test]
fn server_errors_log_at_error_and_client_errors_at_debug() {
    let config = Config::production();
    let (_, events) = capture(|| database().to_response_with(&config));
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].level, Level::ERROR);

    let (_, events) = capture(|| TableError::NotFound("users".into()).to_response_with(&config));
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].level, Level::DEBUG);
}

#[test]
fn the_log_attribute_overrides_the_level() {
    let config = Config::production();
    let (_, events) = capture(|| TableError::RateLimited.to_response_with(&config));
    assert_eq!(events.iter().map(|e| e.level).collect::<Vec<_>>(), [Level::WARN]);
    let (_, events) = capture(|| TableError::Expired.to_response_with(&config));
    assert_eq!(events.iter().map(|e| e.level).collect::<Vec<_>>(), [Level::INFO]);
}

#[test]
fn the_client_error_level_is_one_line_of_config() {
    let config = Config::production().with_client_error_level(LogLevel::Info);
    let levels = |config: &Config| {
        let (_, events) = capture(|| {
            TableError::NotFound("users".into()).to_response_with(config);
            TableError::RateLimited.to_response_with(config); // its own `log = "warn"`
            database().to_response_with(config);
            BuiltinError::for_status(http::StatusCode::IM_A_TEAPOT).to_response_with(config);
        });
        events.iter().map(|e| e.level).collect::<Vec<_>>()
    };
    assert_eq!(levels(&config), [Level::INFO, Level::WARN, Level::ERROR, Level::INFO]);
    assert_eq!(levels(&Config::production()), [Level::DEBUG, Level::WARN, Level::ERROR, Level::DEBUG]);
    let off = Config::production().with_client_error_level(LogLevel::Off);
    assert_eq!(levels(&off), [Level::WARN, Level::ERROR]);
}

#[test]
fn the_event_says_the_status_answered() {
    let (response, events) = capture(|| {
        BuiltinError::for_status(http::StatusCode::IM_A_TEAPOT).to_response_with(&Config::production())
    });
    assert_eq!(response.status(), 418);
    assert_eq!(events[0].field("error.status"), Some("418"));
    assert_eq!(events[0].field("message"), Some("418 apierror.client_error"));
}

#[test]
fn log_off_emits_nothing_even_for_a_server_error() {
    for err in [TableError::ClientGone, TableError::DiskFull] {
        let id = RequestId::generate();
        let (response, events) = capture(|| err.to_response_with_id(&Config::production(), &id));
        assert_eq!(events, [], "{err:?}");
        // The response is still complete, id included.
        assert_eq!(response.headers()["x-request-id"], id.as_str());
        assert_eq!(body(&response)[0]["error_code"], err.code());
    }
}

#[test]
fn a_subscriber_that_wants_only_errors_sees_only_5xx() {
    let config = Config::production();
    let (_, events) = capture_up_to(Some(Level::ERROR), || {
        TableError::NotFound("t".into()).to_response_with(&config);
        TableError::RateLimited.to_response_with(&config);
        database().to_response_with(&config);
    });
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].field("error.code"), Some("log-503"));
}

// --- fields ----------------------------------------------------------------

#[test]
fn the_event_carries_every_stable_field() {
    let id = RequestId::parse("req-abc-123").unwrap();
    let (_, events) = capture(|| database().to_response_with_id(&Config::production(), &id));
    let [event] = &events[..] else { panic!("one event expected: {events:?}") };
    let expected: BTreeMap<String, String> = [
        ("error.code", "log-503"),
        ("error.status", "503"),
        ("error.type", "TableError::Database"),
        ("error.message", "database unavailable"),
        ("error.chain", "pool exhausted after 3 tries: connection refused by 10.0.0.7:5432"),
        ("request_id", "req-abc-123"),
        ("message", "503 log-503"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(event.fields, expected);

    let (_, events) =
        capture(|| TableError::NotFound("users".into()).to_response_with_id(&Config::production(), &id));
    assert_eq!(events[0].field("error.field"), Some("table"));
    assert_eq!(events[0].field("error.chain"), Some(""));
    assert_eq!(events[0].field("error.message"), Some("table users not found"));
    // Every field name is one of the documented ones, and all are used.
    let names: std::collections::BTreeSet<&str> = events[0].fields.keys().map(String::as_str).collect();
    assert_eq!(names, FIELD_NAMES.into_iter().collect());
}

#[test]
fn without_an_id_the_event_has_no_request_id_and_the_response_no_header() {
    let (response, events) = capture(|| database().to_response_with(&Config::production()));
    assert_eq!(events[0].field("request_id"), None);
    assert!(response.headers().get("x-request-id").is_none());
}

#[test]
fn production_logs_are_as_complete_as_development_logs() {
    let id = RequestId::generate();
    let (_, production) = capture(|| database().to_response_with_id(&Config::production(), &id));
    let (_, development) = capture(|| database().to_response_with_id(&Config::development(), &id));
    assert_eq!(production, development);
}

#[test]
fn development_debug_and_the_log_agree() {
    let err = AppError::from(ServiceError::from(database()));
    let (response, events) = capture(|| err.to_response_with(&Config::development()));
    let debug = &body(&response)[0]["debug"];
    let sources: Vec<&str> =
        debug["sources"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert_eq!(sources.len(), 2);
    assert_eq!(events[0].field("error.chain"), Some(sources.join(": ").as_str()));
    assert_eq!(events[0].field("error.message"), debug["display"].as_str());
    assert_eq!(events[0].field("error.type"), debug["type"].as_str());
}

/// A chain longer than the cap: body and log cut it at the same place.
#[derive(Debug)]
struct Deep(usize);

impl fmt::Display for Deep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "level {}", self.0)
    }
}

impl std::error::Error for Deep {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // Leaked so that every level can hand out a `'static` source.
        Some(Box::leak(Box::new(Deep(self.0 + 1))))
    }
}

#[derive(Debug, thiserror::Error, ApiError)]
#[error("endless")]
#[api(status = 500, code = "log-endless")]
struct Endless(#[source] Deep);

#[test]
fn an_endless_chain_is_cut_at_the_same_place_in_body_and_log() {
    let (response, events) = capture(|| Endless(Deep(0)).to_response_with(&Config::development()));
    let sources = body(&response)[0]["debug"]["sources"].as_array().unwrap().clone();
    let sources: Vec<&str> = sources.iter().map(|s| s.as_str().unwrap()).collect();
    assert!(sources.len() > 1);
    assert_eq!(events[0].field("error.chain"), Some(sources.join(": ").as_str()));
}

/// sqlx's way: a `Display` that already ends with its source's text.
#[derive(Debug, thiserror::Error)]
#[error("length limit exceeded")]
struct LengthLimit;

#[derive(Debug, thiserror::Error)]
#[error("failed to read the body: {0}")]
struct BodyRead(#[source] LengthLimit);

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Buffered(#[source] BodyRead);

#[derive(Debug, thiserror::Error, ApiError)]
#[error("payload too large")]
#[api(status = 413, code = "log-413-repeated")]
struct TooLarge(#[source] Buffered);

#[test]
fn a_source_its_parent_already_ends_with_is_not_repeated() {
    let err = TooLarge(Buffered(BodyRead(LengthLimit)));
    let (response, events) = capture(|| err.to_response_with(&Config::development()));
    assert_eq!(events.len(), 1, "{events:?}");
    // `Buffered` repeats `BodyRead`, which ends with `LengthLimit`: one each.
    assert_eq!(events[0].field("error.chain"), Some("failed to read the body: length limit exceeded"));
    let sources = body(&response)[0]["debug"]["sources"].clone();
    assert_eq!(sources, serde_json::json!(["failed to read the body: length limit exceeded"]));
}

// --- one event per rendered error ------------------------------------------

#[test]
fn transparent_layers_log_once_as_the_inner_error() {
    let err = AppError::from(ServiceError::from(database()));
    let id = RequestId::generate();
    let (_, events) = capture(|| err.to_response_with_id(&Config::production(), &id));
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].field("error.code"), Some("log-503"));
    assert_eq!(events[0].field("error.type"), Some("TableError::Database"));
    assert_eq!(events[0].field("request_id"), Some(id.as_str()));
}

#[test]
fn errors_log_one_event_per_error_with_the_same_id() {
    let mut errors = Errors::new();
    errors.push(TableError::NotFound("a".into()));
    errors.push(ServiceError::Forbidden);
    errors.push(AppError::from(ServiceError::from(database())));
    errors.push(TableError::ClientGone); // log = "off": in the body, not in the log
    let id = RequestId::generate();
    let (response, events) = capture(|| errors.to_response_with_id(&Config::production(), &id));
    assert_eq!(body(&response).as_array().unwrap().len(), 4);
    assert_eq!(response.headers()["x-request-id"], id.as_str());
    let codes: Vec<_> = events.iter().map(|e| e.field("error.code").unwrap()).collect();
    assert_eq!(codes, ["log-404", "log-403", "log-503"]);
    assert!(events.iter().all(|e| e.field("request_id") == Some(id.as_str())));

    // An empty `Errors` renders (and logs) the built-in internal error once.
    let (_, events) = capture(|| Errors::new().to_response_with_id(&Config::production(), &id));
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].field("error.code"), Some("apierror.internal"));
}

#[derive(Debug, thiserror::Error, ApiError)]
enum HandlerError {
    #[error(transparent)]
    #[api(transparent)]
    Invalid(#[from] Errors),
}

#[test]
fn a_team_error_holding_errors_logs_one_event_per_error() {
    let mut errors = Errors::new();
    errors.push(TableError::NotFound("a".into()));
    errors.push(database());
    let id = RequestId::generate();
    let (response, events) =
        capture(|| HandlerError::from(errors).to_response_with_id(&Config::production(), &id));
    assert_eq!(response.status(), 500);
    assert_eq!(body(&response).as_array().unwrap().len(), 2);
    let codes: Vec<_> = events.iter().map(|e| e.field("error.code").unwrap()).collect();
    assert_eq!(codes, ["log-404", "log-503"]);
    assert_eq!(events[1].field("error.type"), Some("TableError::Database"));
}

// --- cost: nothing is formatted for an uninterested subscriber --------------

static DISPLAYS: AtomicUsize = AtomicUsize::new(0);

#[derive(Debug)]
struct Counted;

impl fmt::Display for Counted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        DISPLAYS.fetch_add(1, Ordering::SeqCst);
        f.write_str("counted")
    }
}

impl std::error::Error for Counted {}

#[derive(Debug, ApiError)]
enum CountedError {
    #[api(status = 500, code = "log-counted-500")]
    Server(Counted),
    #[api(status = 400, code = "log-counted-400")]
    Client(Counted),
}

impl fmt::Display for CountedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        DISPLAYS.fetch_add(1, Ordering::SeqCst);
        f.write_str("counted error")
    }
}

impl std::error::Error for CountedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Server(source) | Self::Client(source) => Some(source),
        }
    }
}

/// One test, so that no other test of this file counts at the same time.
#[test]
fn nothing_is_formatted_unless_a_subscriber_wants_the_event() {
    let config = Config::production();
    let id = RequestId::generate();
    let displays = |f: &dyn Fn()| {
        let before = DISPLAYS.load(Ordering::SeqCst);
        f();
        DISPLAYS.load(Ordering::SeqCst) - before
    };

    // No subscriber at all.
    assert_eq!(displays(&|| drop(CountedError::Server(Counted).to_response_with_id(&config, &id))), 0);
    // A subscriber interested in nothing.
    let none =
        || drop(capture_up_to(None, || CountedError::Server(Counted).to_response_with_id(&config, &id)));
    assert_eq!(displays(&none), 0);
    // A subscriber interested in errors only, and a 4xx (logged at debug).
    let client = || {
        drop(capture_up_to(Some(Level::ERROR), || {
            CountedError::Client(Counted).to_response_with_id(&config, &id)
        }))
    };
    assert_eq!(displays(&client), 0);

    // The control: an interested subscriber formats the message and the chain
    // (the chain reads the error's own text too: a first source that it
    // already ends with is not repeated).
    let server = || {
        let (_, events) = capture_up_to(Some(Level::ERROR), || {
            CountedError::Server(Counted).to_response_with_id(&config, &id)
        });
        assert_eq!(events[0].field("error.message"), Some("counted error"));
        assert_eq!(events[0].field("error.chain"), Some("counted"));
    };
    assert_eq!(displays(&server), 3);
}

// --- a Display that panics -------------------------------------------------

#[derive(Debug, ApiError)]
#[api(status = 500, code = "log-panicky")]
struct Panicky;

impl fmt::Display for Panicky {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        panic!("Display of Panicky")
    }
}

impl std::error::Error for Panicky {}

#[test]
fn a_display_that_panics_is_logged_once_without_escaping() {
    let id = RequestId::generate();
    for config in [Config::production(), Config::development()] {
        // Production renders no `Display`: only the subscriber calls it.
        let (response, events) = capture(|| Panicky.to_response_with_id(&config, &id));
        assert_eq!(response.status(), 500);
        assert_eq!(response.headers()["x-request-id"], id.as_str());
        assert_eq!(body(&response)[0]["error_code"], "log-panicky");
        let panicked: Vec<_> =
            events.iter().filter(|e| e.field("error.code") == Some("log-panicky")).collect();
        assert_eq!(panicked.len(), 1, "{events:?}");
        assert_eq!(panicked[0].level, Level::ERROR);
        assert_eq!(panicked[0].field("request_id"), Some(id.as_str()));
    }
}

// --- the correlation id ----------------------------------------------------

#[test]
fn the_id_goes_in_the_header_and_the_log() {
    let id = RequestId::parse("0f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0").unwrap();
    let (response, events) =
        capture(|| TableError::NotFound("t".into()).to_response_with_id(&Config::production(), &id));
    assert_eq!(response.headers()["x-request-id"], "0f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0");
    assert_eq!(events[0].field("request_id"), Some("0f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0"));
    // The body is unchanged by an id unless asked.
    assert_eq!(
        response.body(),
        TableError::NotFound("t".into()).to_response_with(&Config::production()).body()
    );
}

#[test]
fn the_header_name_is_configurable() {
    let config =
        Config::production().with_request_id_header(http::HeaderName::from_static("x-correlation-id"));
    let id = RequestId::generate();
    let response = database().to_response_with_id(&config, &id);
    assert_eq!(response.headers()["x-correlation-id"], id.as_str());
    assert!(response.headers().get("x-request-id").is_none());

    let mut headers = http::HeaderMap::new();
    headers.insert("x-correlation-id", http::HeaderValue::from_static("from-proxy"));
    headers.insert("x-request-id", http::HeaderValue::from_static("ignored"));
    assert_eq!(RequestId::from_headers(&headers, &config).as_str(), "from-proxy");
}

#[test]
fn inside_a_scope_every_render_uses_the_scope_id() {
    let id = RequestId::parse("scoped-1").unwrap();
    let (responses, events) = capture(|| {
        id.scope(|| {
            let mut errors = Errors::new();
            errors.push(ServiceError::Forbidden);
            [
                database().to_response_with(&Config::production()),
                TableError::NotFound("t".into()).to_response(),
                errors.to_response_with(&Config::production()),
            ]
        })
    });
    for response in &responses {
        assert_eq!(response.headers()["x-request-id"], "scoped-1");
    }
    assert_eq!(events.len(), 3);
    assert!(events.iter().all(|e| e.field("request_id") == Some("scoped-1")));
    // An explicit id wins over the scope's.
    let other = RequestId::parse("explicit").unwrap();
    let response = id.scope(|| database().to_response_with_id(&Config::production(), &other));
    assert_eq!(response.headers()["x-request-id"], "explicit");
}

/// Incoming header values that must never reach a response or a log as they
/// are.
fn hostile_ids() -> Vec<Vec<u8>> {
    vec![
        "x".repeat(RequestId::MAX_LEN + 1).into_bytes(),
        "a".repeat(64 * 1024).into_bytes(),
        b"abc\x01def".to_vec(),
        b"tab\tinside".to_vec(),
        b"abc\x7f".to_vec(),
        b"abc\r\nset-cookie: session=stolen".to_vec(),
        b"abc\r\n\r\n<html>".to_vec(),
        b"abc\nerror.code=\"forged\"".to_vec(),
        "caf\u{e9}-\u{1f600}".as_bytes().to_vec(),
        b"\xff\xfe\xfd".to_vec(),
        b"with space".to_vec(),
        b"quote\"d".to_vec(),
        b"".to_vec(),
    ]
}

#[test]
fn hostile_incoming_ids_are_replaced_by_fresh_ones() {
    let config = Config::production().with_request_id_in_details(true);
    for hostile in hostile_ids() {
        // As a framework sees it: a request header, where `http` accepts the
        // bytes at all (it refuses CR, LF and NUL itself)...
        let mut headers = http::HeaderMap::new();
        if let Ok(value) = http::HeaderValue::from_bytes(&hostile) {
            headers.insert("x-request-id", value);
        }
        let from_headers = RequestId::from_headers(&headers, &config);
        // ...or as raw bytes from elsewhere.
        let from_bytes = RequestId::parse_or_generate(&hostile);
        for id in [from_headers, from_bytes] {
            assert_eq!(id.as_str().len(), 32, "{hostile:?}");
            assert_ne!(id.as_str().as_bytes(), &hostile[..]);
            let (response, events) = capture(|| database().to_response_with_id(&config, &id));
            let header = response.headers()["x-request-id"].as_bytes();
            assert_eq!(header, id.as_str().as_bytes());
            assert_eq!(events[0].field("request_id"), Some(id.as_str()));
            assert_eq!(body(&response)[0]["details"]["request_id"], id.as_str());
            let raw = String::from_utf8_lossy(response.body());
            assert!(!raw.contains("set-cookie") && !raw.contains("forged") && !raw.contains("<html>"));
        }
    }
}

// --- the id in `details` ---------------------------------------------------

#[test]
fn the_id_goes_in_5xx_details_only_when_configured() {
    let id = RequestId::parse("req-9").unwrap();
    let on = Config::production().with_request_id_in_details(true);
    let off = Config::production();

    // Off (the default): bodies are the same as without an id.
    assert_eq!(body(&database().to_response_with_id(&off, &id))[0]["details"], serde_json::Value::Null);

    // On: merged into the 5xx object's details, whatever they hold.
    assert_eq!(
        body(&database().to_response_with_id(&on, &id))[0]["details"],
        serde_json::json!({"request_id": "req-9"})
    );
    assert_eq!(
        body(&TableError::Quota { limit: 3 }.to_response_with_id(&on, &id))[0]["details"],
        serde_json::json!({"limit": 3, "request_id": "req-9"})
    );
    // The error's own `request_id` detail is kept; the key is not repeated.
    let response = TableError::Upstream { request_id: "theirs" }.to_response_with_id(&on, &id);
    assert_eq!(body(&response)[0]["details"], serde_json::json!({"request_id": "theirs"}));
    assert_eq!(String::from_utf8_lossy(response.body()).matches("request_id").count(), 1);
    // Not for 4xx.
    let response = TableError::NotFound("t".into()).to_response_with_id(&on, &id);
    assert_eq!(body(&response)[0]["details"], serde_json::Value::Null);
    // Without an id, nothing to add.
    assert_eq!(body(&database().to_response_with(&on))[0]["details"], serde_json::Value::Null);

    // In `Errors`, each object by its own status.
    let mut errors = Errors::new();
    errors.push(TableError::NotFound("t".into()));
    errors.push(database());
    let response = errors.to_response_with_id(&on, &id);
    let body = body(&response);
    assert_eq!(body[0]["details"], serde_json::Value::Null);
    assert_eq!(body[1]["details"], serde_json::json!({"request_id": "req-9"}));
    // The shape is unchanged: the four keys, and nothing else.
    for object in body.as_array().unwrap() {
        let keys: Vec<&str> = object.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 4, "{keys:?}");
    }
}

#[test]
fn a_panicking_render_still_carries_the_id_in_details() {
    let id = RequestId::parse("req-p").unwrap();
    let config = Config::development().with_request_id_in_details(true);
    let response = Panicky.to_response_with_id(&config, &id);
    assert_eq!(body(&response)[0]["details"], serde_json::json!({"request_id": "req-p"}));
}
