//! OpenTelemetry end to end, on both frameworks, with the real SDK: a
//! server span per request (the team's few lines: a `tracing` span around
//! the app, its remote parent taken from the incoming `traceparent` by the
//! SDK's W3C propagator), the `tracing-opentelemetry` layer, the SDK's
//! in-memory exporter. Through real requests on loopback: the exported
//! span's `error.type`, `http.response.status_code` and status for a 404
//! and a 503; the error's one log event carrying the span's `trace_id` and
//! `span_id`; the request id equal to the trace id when only `traceparent`
//! was sent; a panicking handler under `apierror::panic_hook()`: one
//! event, inside the span, which is marked Error; and (feature `reqwest`)
//! a call to another service made inside the span carrying its context.
//!
//! The subscriber and the tracer provider are the process's (the servers
//! run on their own threads), and the panic hook too: a binary of its own.

#[path = "../web/mod.rs"]
mod web;

#[cfg(feature = "reqwest")]
#[path = "../recording/mod.rs"]
mod recording;

mod actix;
mod axum;
mod upstream;

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::{Status, TracerProvider as _};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use tracing_opentelemetry::OpenTelemetrySpanExt as _;
use tracing_subscriber::layer::SubscriberExt as _;

/// The errors the test handlers answer with.
#[derive(Debug, thiserror::Error, apierror::ApiError)]
pub enum StoreError {
    #[error("the store is down: connection refused\nERROR forged")]
    #[api(status = 503, code = "otel-test.store_unavailable")]
    Unavailable,
}

/// What the panicking handlers panic with.
pub const PANIC_MESSAGE: &str = "the handler gave up";

// --- the team's part --------------------------------------------------------

/// A request's headers as the propagator reads them.
struct Headers<'a>(&'a http::HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|value| value.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(http::HeaderName::as_str).collect()
    }
}

/// The server span of a request: what a team writes (or what tower-http's
/// `TraceLayer` makes), here around each framework's app. Its parent is
/// the caller's span when the request carries a valid `traceparent`.
pub fn server_span(method: &str, path: &str, headers: &http::HeaderMap) -> tracing::Span {
    let span =
        tracing::info_span!("request", otel.kind = "server", http.request.method = method, url.path = path);
    let parent = TraceContextPropagator::new().extract(&Headers(headers));
    let _ = span.set_parent(parent);
    span
}

// --- the harness ------------------------------------------------------------

/// The SDK's exporter of the process's tracer provider.
fn exporter() -> &'static InMemorySpanExporter {
    static STATE: OnceLock<(InMemorySpanExporter, SdkTracerProvider)> = OnceLock::new();
    &STATE
        .get_or_init(|| {
            let exporter = InMemorySpanExporter::default();
            let provider = SdkTracerProvider::builder().with_simple_exporter(exporter.clone()).build();
            let subscriber = tracing_subscriber::registry()
                .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("apierror-tests")))
                .with(Recorder);
            tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
            apierror::PanicHook::new().chained().install();
            (exporter, provider)
        })
        .0
}

/// Installs the subscriber, the tracer provider and the panic hook (once).
pub fn set_up() {
    web::set_up();
    exporter();
}

/// The finished span of the trace `trace_id` (waits for it: the span ends
/// as the server finishes the request, about when the client reads it).
pub fn span_of_trace(trace_id: &str) -> SpanData {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let spans = exporter().get_finished_spans().expect("the exporter's spans");
        let mut ours: Vec<SpanData> = spans
            .into_iter()
            .filter(|span| format!("{:032x}", span.span_context.trace_id()) == trace_id)
            .collect();
        if !ours.is_empty() || Instant::now() > deadline {
            assert_eq!(ours.len(), 1, "one span of trace {trace_id}");
            return ours.remove(0);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The attributes of `span`, by key, as text.
pub fn attributes(span: &SpanData) -> BTreeMap<String, String> {
    span.attributes.iter().map(|kv| (kv.key.to_string(), kv.value.to_string())).collect()
}

/// One recorded event: its fields, as text.
#[derive(Clone, Debug)]
pub struct Event(pub BTreeMap<String, String>);

impl Event {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

static EVENTS: Mutex<Vec<Event>> = Mutex::new(Vec::new());

/// Records every event's fields.
struct Recorder;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Recorder {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        struct Fields(BTreeMap<String, String>);
        impl tracing::field::Visit for Fields {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                self.0.insert(field.name().to_owned(), format!("{value:?}"));
            }
            fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
                self.0.insert(field.name().to_owned(), value.to_owned());
            }
        }
        let mut fields = Fields(BTreeMap::new());
        event.record(&mut fields);
        EVENTS.lock().unwrap().push(Event(fields.0));
    }
}

/// Every event logged so far with `request_id` equal to `id`.
pub fn events_for(id: &str) -> Vec<Event> {
    EVENTS.lock().unwrap().iter().filter(|event| event.field("request_id") == Some(id)).cloned().collect()
}

/// A fresh W3C trace id: 32 lowercase hex digits, not all zero.
pub fn trace_id() -> String {
    apierror::RequestId::generate().as_str().to_owned()
}

// --- the scenarios, run against both frameworks ------------------------------

/// `path` answered with `status` and `code`, sent with only a `traceparent`:
/// the server span, child of the caller's, records the error; the error's
/// one event carries the span's ids; the request id is the trace id.
pub async fn error_on_the_span(c: &web::Client, path: &str, status: u16, code: &str) {
    let trace = trace_id();
    let traceparent = format!("00-{trace}-00f067aa0ba902b7-01");
    let reply = c.send_with("GET", path, &[("traceparent", &traceparent)], "").await;
    assert_eq!(reply.code(), (status, code.to_owned(), serde_json::Value::Null));
    // The request id is the trace's, end to end: the header, the event, the
    // exported span.
    assert_eq!(reply.headers["x-request-id"], trace.as_str());
    let span = span_of_trace(&trace);
    assert_eq!(span.parent_span_id.to_string(), "00f067aa0ba902b7", "the caller's span is the parent");
    let attributes = attributes(&span);
    assert_eq!(attributes.get("error.type").map(String::as_str), Some(code), "{attributes:?}");
    assert_eq!(attributes.get("http.response.status_code"), Some(&status.to_string()), "{attributes:?}");
    // Only what the conventions need from us: no message, no source text.
    assert!(!attributes.values().any(|value| value.contains("connection refused")), "{attributes:?}");
    if status >= 500 {
        assert_eq!(span.status, Status::error(code.to_owned()));
    } else {
        assert_eq!(span.status, Status::Unset, "a 4xx leaves a server span's status unset");
    }
    let events = events_for(&trace);
    assert_eq!(events.len(), 1, "one event: {events:#?}");
    assert_eq!(events[0].field("error.code"), Some(code));
    assert_eq!(events[0].field("trace_id"), Some(trace.as_str()));
    assert_eq!(events[0].field("span_id"), Some(format!("{:016x}", span.span_context.span_id()).as_str()));
}

/// A panicking handler, under the panic hook: one event for the request,
/// inside its span (the span's ids and the request id), with the panic's
/// facts; the span marked Error with `apierror.internal`.
pub async fn panic_on_the_span(c: &web::Client, path: &str) {
    let trace = trace_id();
    let traceparent = format!("00-{trace}-00f067aa0ba902b7-01");
    let reply = c.send_with("GET", path, &[("traceparent", &traceparent)], "").await;
    assert_eq!(reply.code(), (500, "apierror.internal".to_owned(), serde_json::Value::Null));
    let span = span_of_trace(&trace);
    assert_eq!(span.status, Status::error("apierror.internal"));
    assert_eq!(attributes(&span).get("error.type").map(String::as_str), Some("apierror.internal"));
    let events = events_for(&trace);
    assert_eq!(events.len(), 1, "one error, one event: {events:#?}");
    let event = &events[0];
    assert_eq!(event.field("trace_id"), Some(trace.as_str()));
    assert_eq!(event.field("span_id"), Some(format!("{:016x}", span.span_context.span_id()).as_str()));
    assert_eq!(event.field("error.code"), Some("apierror.internal"), "{event:?}");
    assert_eq!(event.field("panic.message"), Some(PANIC_MESSAGE), "{event:?}");
    assert!(event.field("panic.location").is_some_and(|at| at.starts_with("tests/otel/")), "{event:?}");
}

/// Without a `traceparent`, the span is a root: the event still carries its
/// ids, and the request id is a fresh one, not the trace's.
pub async fn root_span(c: &web::Client, path: &str) {
    let id = format!("root-{}", trace_id());
    let reply = c.get_with_id(path, &id).await;
    assert_eq!(reply.status, 404);
    let events = events_for(&id);
    assert_eq!(events.len(), 1, "{events:#?}");
    let trace = events[0].field("trace_id").expect("the span's trace id").to_owned();
    let span = span_of_trace(&trace);
    assert_eq!(span.parent_span_id, opentelemetry::trace::SpanId::INVALID);
    assert_eq!(events[0].field("span_id"), Some(format!("{:016x}", span.span_context.span_id()).as_str()));
    assert_eq!(attributes(&span).get("error.type").map(String::as_str), Some("apierror.not_found"));
}
