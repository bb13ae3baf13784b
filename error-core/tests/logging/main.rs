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

mod correlation_id;
mod cost;
mod display_panics;
mod fields;
mod id_in_details;
mod levels;
mod one_event;
