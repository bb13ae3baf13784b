//! OpenTelemetry (feature `opentelemetry`): the rendered error on the
//! current span.
//!
//! When an error is rendered inside a `tracing` span that the team's
//! `tracing_opentelemetry` layer made an OpenTelemetry span (and, entering
//! it, OpenTelemetry's current one: see [`with_current_span`]), that span gets
//! the HTTP semantic conventions' `error.type` (the `error_code`) and
//! `http.response.status_code`; a 5xx sets its status to Error with the
//! code as description, a 4xx leaves it unset (the conventions' rule for
//! server spans). The error's log event carries the span's `trace_id` and
//! `span_id` ([`Ids`]). Nothing else goes on the span: the code is a
//! static string of the registry and the status a number, so no text from
//! outside (no message, path or source) reaches an attribute.
//!
//! Several errors in one body ([`crate::Errors`]) are one response: the
//! span gets the first error's code and the response's status (the one
//! the errors share, else 400 or 500; see [`Several`]); each error's event
//! still carries the ids.

use std::cell::Cell;

use opentelemetry::trace::{SpanContext, SpanId, SpanRef, Status, TraceContextExt, TraceFlags, TraceId};
use opentelemetry::KeyValue;

/// The attribute of the error's class (OpenTelemetry's `error.type`).
pub(crate) const ERROR_TYPE: &str = "error.type";

/// The attribute of the response's status code.
pub(crate) const STATUS_CODE: &str = "http.response.status_code";

/// The ids of the span an error was rendered in, for its log event: the
/// W3C forms, 32 and 16 lowercase hex digits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ids {
    /// The trace's id (`trace_id`).
    pub(crate) trace: TraceId,
    /// The span's own id (`span_id`).
    pub(crate) span: SpanId,
}

impl Ids {
    /// The ids of a valid span context.
    fn of(context: &SpanContext) -> Option<Self> {
        context.is_valid().then(|| Self { trace: context.trace_id(), span: context.span_id() })
    }
}

/// An id of [`Ids`] as the event writes it: lowercase hex digits, 32 for
/// a trace's and 16 for a span's (what `{:032x}` and `{:016x}` write),
/// encoded on the stack and written at once: a subscriber's layer that
/// formats the field (`fmt`, `tracing_opentelemetry`) pays one `write_str`
/// instead of formatting a number through the formatting machinery.
pub(crate) struct Hex<const N: usize>([u8; N]);

impl Hex<16> {
    /// The trace's id, `trace_id`.
    pub(crate) fn trace(ids: Ids) -> Self {
        Self(ids.trace.to_bytes())
    }
}

impl Hex<8> {
    /// The span's id, `span_id`.
    pub(crate) fn span(ids: Ids) -> Self {
        Self(ids.span.to_bytes())
    }
}

impl<const N: usize> std::fmt::Display for Hex<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = [0; 32];
        for (pair, byte) in text.chunks_exact_mut(2).zip(self.0) {
            pair[0] = DIGITS[usize::from(byte >> 4)];
            pair[1] = DIGITS[usize::from(byte & 0xf)];
        }
        f.write_str(std::str::from_utf8(&text[..2 * N]).unwrap_or_default())
    }
}

/// Inside [`several`]: the status of the whole response, and whether an
/// error has already been recorded on the span.
#[derive(Clone, Copy, Debug)]
struct Batch {
    status: u16,
    recorded: bool,
}

thread_local! {
    /// The batch being rendered on this thread, if any.
    static BATCH: Cell<Option<Batch>> = const { Cell::new(None) };
}

/// While one is alive, the errors rendered on this thread are several
/// errors answered with one status, so that the span records one of them:
/// the first error's code, with the response's status (not the error's
/// own). Dropping it restores the previous batch (a render inside a
/// render), even while a panic unwinds.
pub(crate) struct Several(Option<Batch>);

impl Several {
    /// The rendering of several errors answered with `status` begins.
    pub(crate) fn enter(status: http::StatusCode) -> Self {
        let batch = Batch { status: status.as_u16(), recorded: false };
        Self(BATCH.try_with(|current| current.replace(Some(batch))).ok().flatten())
    }
}

impl Drop for Several {
    fn drop(&mut self) {
        let _ = BATCH.try_with(|batch| batch.set(self.0));
    }
}

/// The error of `code`, answered with `status`, was rendered: records it on
/// the current span when that is an OpenTelemetry span (see the [module
/// docs](self)), and returns that span's ids for the log event. `None`
/// outside an OpenTelemetry span (no span, no `tracing_opentelemetry`
/// layer, or an invalid context).
pub(crate) fn rendered(code: &'static str, status: u16) -> Option<Ids> {
    with_current_span(|span| {
        let ids = Ids::of(span.span_context())?;
        let status = match BATCH.try_with(Cell::get) {
            Ok(Some(Batch { recorded: true, .. })) => return Some(ids),
            Ok(Some(batch)) => {
                let _ = BATCH.try_with(|current| current.set(Some(Batch { recorded: true, ..batch })));
                batch.status
            }
            _ => status,
        };
        span.set_attributes([KeyValue::new(ERROR_TYPE, code), KeyValue::new(STATUS_CODE, i64::from(status))]);
        if status >= 500 {
            span.set_status(Status::error(code));
        }
        Some(ids)
    })
}

/// Calls `f` with the current span, as OpenTelemetry sees it: the
/// context `tracing_opentelemetry`'s layer makes current when a span is
/// entered (its default, `with_context_activation(true)`), borrowed,
/// nothing cloned. With the activation turned off there is none: asking
/// `tracing`'s current span for its context instead would cost every
/// render a look-up in the subscriber (a third of the budget), so the
/// guide says to keep it on.
fn with_current_span<R>(f: impl FnOnce(&SpanRef<'_>) -> Option<R>) -> Option<R> {
    opentelemetry::Context::map_current(|context| f(&context.span()))
}

/// The ids of the current span, when it is a valid OpenTelemetry span:
/// for an event that records nothing on the span (a panic's).
pub(crate) fn ids() -> Option<Ids> {
    with_current_span(|span| Ids::of(span.span_context()))
}

/// The current span as W3C Trace Context header values, for a call to
/// another service made inside it: its `traceparent`
/// (`00-<trace id>-<span id>-<flags>`) and its trace state as a
/// `tracestate` (`key=value` list-members joined by `,`; empty when the
/// span has none); `None` outside an OpenTelemetry span. Both as
/// OpenTelemetry's `TraceContextPropagator` writes them: the flags carry
/// the sampled bit alone.
pub(crate) fn current_trace_context() -> Option<(String, String)> {
    with_current_span(|span| {
        let span_context = span.span_context();
        let ids = Ids::of(span_context)?;
        let flags = span_context.trace_flags() & TraceFlags::SAMPLED;
        let parent = format!("00-{}-{}-{:02x}", ids.trace, ids.span, flags);
        Some((parent, span_context.trace_state().header()))
    })
}

#[cfg(test)]
mod tests {
    use opentelemetry::trace::TracerProvider as _;
    use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
    use tracing_subscriber::layer::SubscriberExt as _;

    use super::*;

    /// `f` under a subscriber whose spans are the SDK's, exported in
    /// memory: what it returned and the spans it finished.
    fn traced<R>(f: impl FnOnce() -> R) -> (R, Vec<SpanData>) {
        traced_with(true, f)
    }

    /// [`traced`], the layer's context activation on or off.
    fn traced_with<R>(activation: bool, f: impl FnOnce() -> R) -> (R, Vec<SpanData>) {
        let exporter = InMemorySpanExporter::default();
        // Kept until the spans are read: its shutdown empties the exporter.
        let provider = SdkTracerProvider::builder().with_simple_exporter(exporter.clone()).build();
        let subscriber = tracing_subscriber::registry().with(
            tracing_opentelemetry::layer()
                .with_tracer(provider.tracer("apierror-test"))
                .with_context_activation(activation),
        );
        let result = tracing::subscriber::with_default(subscriber, f);
        let spans = exporter.get_finished_spans().expect("the exporter's spans");
        drop(provider);
        (result, spans)
    }

    #[test]
    fn the_trace_context_is_the_current_spans_in_w3c_form() {
        assert_eq!(current_trace_context(), None, "no subscriber");
        let ((inside, outside), spans) = traced(|| {
            let inside = tracing::info_span!("request").in_scope(current_trace_context);
            (inside, current_trace_context())
        });
        assert_eq!(outside, None, "outside any span");
        let (inside, state) = inside.expect("inside a span");
        assert_eq!(state, "", "a root span has no trace state");
        let context = &spans[0].span_context;
        assert_eq!(inside, format!("00-{:032x}-{:016x}-01", context.trace_id(), context.span_id()));
        assert_eq!(inside.len(), 55);
        assert!(inside.bytes().all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    }

    /// An OpenAPI document renders an example of every error it lists:
    /// serving the document inside a request span records none of them.
    #[cfg(feature = "utoipa")]
    #[test]
    fn documenting_an_error_records_nothing_on_the_span() {
        let ((), spans) = traced(|| {
            tracing::info_span!("serving the document").in_scope(|| {
                let mut set = crate::openapi::ErrorSet::default();
                for entry in crate::registry::entries().filter(|entry| entry.code.starts_with("apierror.")) {
                    set.add(entry);
                }
                assert!(!set.responses(&crate::Config::production()).is_empty());
            })
        });
        assert_eq!(spans.len(), 1);
        let ours = |kv: &&opentelemetry::KeyValue| {
            ["error.type", "http.response.status_code"].contains(&kv.key.as_str())
        };
        assert_eq!(spans[0].attributes.iter().find(ours), None);
        assert_eq!(spans[0].status, opentelemetry::trace::Status::Unset);
    }

    /// `apierror::upstream`'s calls (the seam `correlation::outgoing_trace_context`)
    /// continue the current span, its trace state as the `tracestate`, and
    /// pass the incoming context on outside one.
    #[test]
    fn a_call_to_another_service_carries_the_current_span_not_the_incoming_context() {
        use opentelemetry::trace::TraceState;
        use tracing_opentelemetry::OpenTelemetrySpanExt as _;

        use crate::correlation::{outgoing_trace_context, TraceContext};

        const INCOMING: &str = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        let incoming = TraceContext {
            parent: http::HeaderValue::from_static(INCOMING),
            state: Some(http::HeaderValue::from_static("client=1")),
        };
        let ((sent, current), _) = traced(|| {
            tracing::info_span!("request")
                .in_scope(|| (outgoing_trace_context(Some(&incoming)), current_trace_context()))
        });
        let (current, _) = current.expect("inside a span");
        let sent = sent.expect("a traceparent");
        assert_eq!(sent.parent.to_str().unwrap(), current);
        assert_ne!(current, INCOMING);
        assert_eq!(sent.state, None, "the span's (empty) state, not the client's");

        // A span continuing a remote parent with a trace state: that state goes on.
        let state = TraceState::from_key_value([("vendor", "x1"), ("other@sys", "y2")]).unwrap();
        let remote = SpanContext::new(
            TraceId::from_hex("0af7651916cd43dd8448eb211c80319c").unwrap(),
            SpanId::from_hex("b7ad6b7169203331").unwrap(),
            TraceFlags::SAMPLED,
            true,
            state,
        );
        let (sent, _) = traced(|| {
            let span = tracing::info_span!("request");
            span.set_parent(opentelemetry::Context::new().with_remote_span_context(remote)).unwrap();
            span.in_scope(|| outgoing_trace_context(Some(&incoming)))
        });
        let sent = sent.expect("a traceparent");
        assert!(sent.parent.to_str().unwrap().starts_with("00-0af7651916cd43dd8448eb211c80319c-"));
        assert_eq!(sent.state.expect("the span's trace state"), "vendor=x1,other@sys=y2");

        // Outside any span, the incoming one is passed on, with its state.
        let (outside, _) = traced(|| outgoing_trace_context(Some(&incoming)));
        assert_eq!(outside.expect("the incoming one"), incoming);
    }

    /// The layer's context activation (its default) is what makes the
    /// span OpenTelemetry's current one: without it nothing is recorded.
    #[test]
    fn the_span_is_the_one_the_layer_activates() {
        for activation in [true, false] {
            let (found, spans) = traced_with(activation, || {
                tracing::info_span!("request")
                    .in_scope(|| (rendered("down", 503), ids(), current_trace_context()))
            });
            let context = &spans[0].span_context;
            if activation {
                let (rendered, current, traceparent) = found;
                for ids in [rendered.expect("rendered in a span"), current.expect("in a span")] {
                    assert_eq!((ids.trace, ids.span), (context.trace_id(), context.span_id()));
                }
                assert!(traceparent.is_some());
                assert_eq!(spans[0].status, Status::error("down"));
            } else {
                assert!(found.0.is_none() && found.1.is_none() && found.2.is_none());
                assert_eq!(spans[0].status, Status::Unset);
                assert!(spans[0].attributes.iter().all(|kv| kv.key.as_str() != ERROR_TYPE));
            }
        }
    }

    #[test]
    fn several_errors_record_the_first_code_and_the_responses_status_once() {
        let (_, spans) = traced(|| {
            tracing::info_span!("request").in_scope(|| {
                let several = Several::enter(http::StatusCode::BAD_REQUEST);
                assert!(rendered("first", 409).is_some());
                assert!(rendered("second", 422).is_some());
                drop(several);
            })
        });
        let attributes: Vec<String> =
            spans[0].attributes.iter().map(|kv| format!("{}={}", kv.key, kv.value)).collect();
        assert!(attributes.contains(&"error.type=first".to_owned()), "{attributes:?}");
        assert!(attributes.contains(&"http.response.status_code=400".to_owned()), "{attributes:?}");
        assert!(!attributes.iter().any(|kv| kv.contains("second")), "{attributes:?}");
        assert_eq!(spans[0].status, Status::Unset);
        assert_eq!(BATCH.with(Cell::get).map(|batch| batch.status), None, "restored");
    }

    #[test]
    fn the_ids_text_is_what_display_writes() {
        for (trace, span) in
            [(0x0af7_6519_16cd_43dd_8448_eb21_1c80_319c, 0xb7ad_6b71_6920_3331), (1, u64::MAX)]
        {
            let ids = Ids { trace: TraceId::from(trace), span: SpanId::from(span) };
            let text = (Hex::trace(ids).to_string(), Hex::span(ids).to_string());
            assert_eq!(text, (ids.trace.to_string(), ids.span.to_string()));
        }
    }

    #[test]
    fn a_5xx_sets_the_status_error_with_the_code_and_a_4xx_leaves_it_unset() {
        let (_, spans) = traced(|| {
            tracing::info_span!("a").in_scope(|| rendered("down", 503));
            tracing::info_span!("b").in_scope(|| rendered("missing", 404));
        });
        assert_eq!(spans[0].status, Status::error("down"));
        assert_eq!(spans[1].status, Status::Unset);
    }
}
