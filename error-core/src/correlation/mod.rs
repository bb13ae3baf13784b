//! Where a request's id comes from, and which responses carry it: the one
//! policy both framework integrations follow (they only look headers up and
//! convert types).
//!
//! The id of a request is, in this order:
//!
//! 1. its [`Config::request_id_header`] (`x-request-id`), when well-formed
//!    ([`RequestId::is_well_formed`]);
//! 2. else the trace id of a valid W3C Trace Context `traceparent` header
//!    ([`trace_id`]), so that a traced request's id is its trace's;
//! 3. else a fresh one ([`RequestId::generate`]).
//!
//! Under `Config::with_client_request_id_trusted(false)` neither 1 nor 2 is
//! used: the id is always fresh, and what the client sent in the request id
//! header (if anything, even malformed) is logged as `request_id.client`.
//!
//! Calls to other services made inside a request carry its correlation on
//! ([`outgoing`]): the request's id under [`Config::request_id_header`], and
//! the `traceparent` and `tracestate` [`outgoing_trace_context`] chooses.

use std::fmt;

use http::{HeaderName, HeaderValue};

use crate::{Config, RequestId};

mod w3c;

pub(crate) use self::w3c::trace_id;

/// The W3C Trace Context header of the trace and the parent span.
pub(crate) const TRACEPARENT: HeaderName = HeaderName::from_static("traceparent");

/// The W3C Trace Context header of the tracing systems' own state, passed
/// on with the `traceparent`.
pub(crate) const TRACESTATE: HeaderName = HeaderName::from_static("tracestate");

/// A W3C trace context as headers: a valid `traceparent`, and the
/// `tracestate` that goes with it, if any (never one without the other's
/// parent: W3C ignores a `tracestate` without a valid `traceparent`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TraceContext {
    /// The `traceparent`: valid, version `00` ([`trace_id`] reads it).
    pub(crate) parent: HeaderValue,
    /// The `tracestate`, when there is one to pass on.
    pub(crate) state: Option<HeaderValue>,
}

/// The most bytes of an id from outside (a distrusted client's, an
/// upstream's) that its log field carries.
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) const CLIENT_LOGGED_LIMIT: usize = 256;

/// The correlation settings of a [`Config`]: see its accessors below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Options {
    /// Whether a success response carries the request id too.
    pub(crate) on_success: bool,
    /// Whether a client's request id (and `traceparent`) may become the
    /// request's id.
    pub(crate) client_trusted: bool,
}

impl Options {
    /// The defaults: every response carries the id; the client's is used.
    pub(crate) const fn new() -> Self {
        Self { on_success: true, client_trusted: true }
    }
}

impl Config {
    /// Whether a response that is not an error (1xx to 3xx) carries the
    /// request id header too, as every error response does: `true` unless
    /// changed with [`with_request_id_on_success`](Self::with_request_id_on_success).
    ///
    /// ```
    /// use apierror::Config;
    /// assert!(Config::production().request_id_on_success());
    /// ```
    #[must_use]
    pub const fn request_id_on_success(&self) -> bool {
        self.correlation.on_success
    }

    /// Returns this configuration with the request id header on every
    /// response the layers answer (`true`, the default), or only on error
    /// responses (`false`). The header is
    /// [`request_id_header`](Self::request_id_header); a success pays only
    /// its insertion.
    ///
    /// ```
    /// use apierror::Config;
    /// let config = Config::production().with_request_id_on_success(false);
    /// assert!(!config.request_id_on_success());
    /// ```
    #[must_use]
    pub const fn with_request_id_on_success(mut self, carried: bool) -> Self {
        self.correlation.on_success = carried;
        self
    }

    /// Whether the layers take the request's id from the client: its
    /// well-formed [`request_id_header`](Self::request_id_header), else the
    /// trace id of its valid W3C `traceparent`. `true` unless changed with
    /// [`with_client_request_id_trusted`](Self::with_client_request_id_trusted).
    ///
    /// ```
    /// use apierror::Config;
    /// assert!(Config::production().client_request_id_trusted());
    /// ```
    #[must_use]
    pub const fn client_request_id_trusted(&self) -> bool {
        self.correlation.client_trusted
    }

    /// Returns this configuration trusting the client's request id
    /// (`true`, the default) or not (`false`): then every request gets a
    /// fresh id ([`RequestId::generate`]), neither the client's request id
    /// header nor its `traceparent`'s trace id is used, and the value the
    /// client sent in the request id header, if any (even a malformed one),
    /// is the field `request_id.client` of the error's log event (at most
    /// 256 bytes, escaped as all foreign text), so that one client cannot
    /// reuse another request's id to confuse support, and support can
    /// still find what the client quoted.
    ///
    /// ```
    /// use apierror::{Config, RequestId};
    ///
    /// let config = Config::production().with_client_request_id_trusted(false);
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("x-request-id", "req-from-client".parse().unwrap());
    /// assert_ne!(RequestId::from_headers(&headers, &config).as_str(), "req-from-client");
    /// assert_eq!(RequestId::from_headers(&headers, &Config::production()).as_str(), "req-from-client");
    /// ```
    #[must_use]
    pub const fn with_client_request_id_trusted(mut self, trusted: bool) -> Self {
        self.correlation.client_trusted = trusted;
        self
    }
}

/// What a request brings for correlation, as [`of_request`] reads it (its
/// id alone without a framework feature: [`RequestId::from_headers`]).
#[derive(Debug)]
#[cfg_attr(not(any(feature = "axum", feature = "actix-web")), allow(dead_code))]
pub(crate) struct Incoming {
    /// The request's id.
    pub(crate) id: RequestId,
    /// The client's own request id header value, when the configuration
    /// distrusts it (to log as `request_id.client`).
    pub(crate) client: Option<HeaderValue>,
    /// The client's trace context, when its `traceparent` is valid and the
    /// configuration trusts the client: what calls to other services carry
    /// on (its `tracestate` only when [forwardable](w3c::tracestate_forwardable)).
    pub(crate) trace: Option<TraceContext>,
}

/// The id of a request under `config`, the client's own request id header
/// value when the configuration distrusts it (to log), and its trace
/// context when it trusts it (to send on: a valid `traceparent`, with its
/// `tracestate` when that is well-formed and at most
/// [`w3c::TRACESTATE_LIMIT`] bytes; the `tracestate` is not looked up
/// without a valid `traceparent`): see the [module docs](self). `header`
/// looks a header up by name in the framework's own header map (and
/// converts its value).
pub(crate) fn of_request(config: &Config, header: impl Fn(&HeaderName) -> Option<HeaderValue>) -> Incoming {
    let asked = header(config.request_id_header());
    if !config.client_request_id_trusted() {
        return Incoming { id: RequestId::generate(), client: asked, trace: None };
    }
    let trace = header(&TRACEPARENT).filter(|value| trace_id(value.as_bytes()).is_some()).map(|parent| {
        let state = header(&TRACESTATE).filter(|value| w3c::tracestate_forwardable(value.as_bytes()));
        TraceContext { parent, state }
    });
    let id = asked
        .as_ref()
        .and_then(RequestId::parse_header)
        .or_else(|| RequestId::parse(trace_id(trace.as_ref()?.parent.as_bytes())?))
        .unwrap_or_else(RequestId::generate);
    Incoming { id, client: None, trace }
}

/// Whether a response of `status` carries the request id under `config`:
/// an error always, any other unless `config` says otherwise.
#[cfg(any(feature = "axum", feature = "actix-web"))]
#[inline]
pub(crate) fn carries_id(status: u16, config: &Config) -> bool {
    config.request_id_on_success() || crate::message::is_error_status(status)
}

/// The headers a call to another service made now carries, passed to
/// `each`: inside a request's scope, its id under the configuration's
/// [`Config::request_id_header`], then the `traceparent` and `tracestate`
/// of [`outgoing_trace_context`] if any; outside any request, nothing
/// (`each` is not called). What [`RequestId::outgoing_headers`] and the
/// upstream calls send.
pub(crate) fn outgoing(mut each: impl FnMut(&HeaderName, HeaderValue)) {
    crate::request_id::with_current_request(|config, id, incoming| {
        each(config.request_id_header(), id.header_value().clone());
        if let Some(trace) = outgoing_trace_context(incoming) {
            each(&TRACEPARENT, trace.parent);
            if let Some(state) = trace.state {
                each(&TRACESTATE, state);
            }
        }
    });
}

/// The trace context a call to another service made inside a request
/// sends (its `traceparent`, and its `tracestate` if any), given the
/// request's own (`incoming`: a valid `traceparent` with its forwardable
/// `tracestate`, and only when the configuration trusts the client; see
/// [`of_request`]). The one place that chooses them.
///
/// Without a tracing system of our own, this process records no span, so it
/// passes the request's trace context on unchanged (W3C Trace Context §3.5:
/// a traceparent received is sent on outgoing requests, and its tracestate
/// with it), and sends none when the request brought none or the client is
/// distrusted: a traceparent made up here would name a parent span nobody
/// recorded and impose a sampling decision on the upstream (`00` switches
/// tracing off in parent-based samplers, OpenTelemetry's default; `01`
/// overrides the upstream's ratio), while an upstream receiving none starts
/// its own trace (W3C's processing model), which is the "restart" a gateway
/// into a trusted network should make of a distrusted client's context. The
/// request id, sent with it, correlates either way. The `tracestate` goes
/// only with the request's own `traceparent`, and only when it was
/// well-formed, at most 32 list-members and [`w3c::TRACESTATE_LIMIT`]
/// bytes (else it was dropped on arrival).
///
/// With the feature `opentelemetry`, a call made inside a span with a valid
/// context carries that span's context instead (its trace id, and its own
/// span id as the parent), so that the upstream's span is a child of ours,
/// with the span's trace state as `tracestate` when it has any, as
/// OpenTelemetry's `TraceContextPropagator` would send them.
#[inline]
pub(crate) fn outgoing_trace_context(incoming: Option<&TraceContext>) -> Option<TraceContext> {
    #[cfg(feature = "opentelemetry")]
    if let Some((parent, state)) = crate::otel::current_trace_context()
        && let Ok(parent) = HeaderValue::try_from(parent)
    {
        let state =
            Some(state).filter(|state| !state.is_empty()).and_then(|state| HeaderValue::try_from(state).ok());
        return Some(TraceContext { parent, state });
    }
    incoming.cloned()
}

impl RequestId {
    /// The headers a call to another service should carry to continue this
    /// request's correlation, for any HTTP client: inside a request (the
    /// framework layers' scope, or [`RequestId::scope`]), its id under the
    /// configuration's [`request_id_header`](Config::request_id_header)
    /// (`x-request-id`) and the request's W3C `traceparent` when it brought
    /// a valid one and the configuration trusts the client, with its
    /// `tracestate` when well-formed (at most 32 list-members and 512
    /// bytes; else none is sent); with the feature `opentelemetry`, inside
    /// a span, that span's `traceparent` and `tracestate` instead; outside
    /// any request, an empty map. The calls of `apierror::upstream` (feature
    /// `reqwest`) send them themselves.
    ///
    /// ```
    /// use apierror::RequestId;
    ///
    /// assert!(RequestId::outgoing_headers().is_empty(), "outside a request");
    ///
    /// let id = RequestId::parse("req-7").unwrap();
    /// let headers = id.scope(RequestId::outgoing_headers);
    /// assert_eq!(headers["x-request-id"], "req-7");
    /// assert!(headers.get("traceparent").is_none(), "this request brought none");
    /// ```
    ///
    /// The id is the one the request is logged and answered with, so an
    /// upstream that logs it (apierror does, as its `request_id`) ties its
    /// events to ours. Work spawned onto another task leaves the request's
    /// scope: take the headers before spawning.
    #[must_use]
    pub fn outgoing_headers() -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        outgoing(|name, value| {
            headers.insert(name.clone(), value);
        });
        headers
    }
}

/// An id from outside as log text (a distrusted client's request id header
/// value, an upstream's own request id): at most [`CLIENT_LOGGED_LIMIT`]
/// bytes, invalid UTF-8 replaced, `[…]` when cut; recorded through
/// [`crate::log::Text`], which escapes it.
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) struct ForeignId<'a>(pub(crate) &'a [u8]);

impl fmt::Display for ForeignId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kept = &self.0[..self.0.len().min(CLIENT_LOGGED_LIMIT)];
        for chunk in kept.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{fffd}")?;
            }
        }
        if self.0.len() > CLIENT_LOGGED_LIMIT {
            f.write_str("[…]")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const STATE: &str = "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE";

    #[test]
    fn the_policy_prefers_the_header_then_the_trace_then_a_fresh_id() {
        fn lookup<'a>(pairs: &'a [(&str, &str)]) -> impl Fn(&HeaderName) -> Option<HeaderValue> + 'a {
            move |name| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name.as_str())
                    .map(|(_, v)| HeaderValue::from_str(v).unwrap())
            }
        }
        let both: &[_] = &[("x-request-id", "req-1"), ("traceparent", VALID), ("tracestate", STATE)];
        let trusted = Config::production();
        let incoming = of_request(&trusted, lookup(both));
        assert_eq!(incoming.id.as_str(), "req-1");
        let trace = incoming.trace.expect("kept to send on");
        assert_eq!(trace.parent, VALID);
        assert_eq!(trace.state.unwrap(), STATE, "unchanged");
        let no_state = of_request(&trusted, lookup(&[("traceparent", VALID)]));
        assert_eq!(no_state.trace.unwrap().state, None);
        let long = format!("k={}", "v".repeat(256)) + &format!(",l={}", "v".repeat(256));
        for dropped in ["rojo=1,rojo=2", "Rojo=1", "rojo=a=b", "", &long] {
            let pairs = [("traceparent", VALID), ("tracestate", dropped)];
            let trace = of_request(&trusted, lookup(&pairs)).trace.expect("the traceparent stays");
            assert_eq!(trace.parent, VALID);
            assert_eq!(trace.state, None, "{dropped}");
        }
        let malformed: &[_] = &[("x-request-id", "a b"), ("traceparent", VALID)];
        assert_eq!(of_request(&trusted, lookup(malformed)).id.as_str(), "4bf92f3577b34da6a3ce929d0e0e4736");
        let fresh = of_request(&trusted, lookup(&[]));
        assert!(fresh.id.as_str().len() == 32 && fresh.client.is_none() && fresh.trace.is_none());
        let invalid: &[_] = &[
            ("traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"),
            ("tracestate", STATE),
        ];
        let incoming = of_request(&trusted, lookup(invalid));
        assert!(
            incoming.trace.is_none(),
            "an invalid traceparent is neither used nor sent on, nor its state"
        );
        let alone: &[_] = &[("tracestate", STATE)];
        assert!(of_request(&trusted, lookup(alone)).trace.is_none(), "a tracestate alone is nothing");

        let distrusted = Config::production().with_client_request_id_trusted(false);
        let incoming = of_request(&distrusted, lookup(both));
        let id = incoming.id.as_str();
        assert!(id != "req-1" && id != "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(incoming.client.unwrap(), "req-1");
        assert!(incoming.trace.is_none(), "a distrusted client's trace is not continued");
        assert_eq!(of_request(&distrusted, lookup(malformed)).client.unwrap(), "a b");
    }

    #[test]
    fn calls_inside_a_request_carry_its_id_and_trace_context_and_outside_nothing() {
        use crate::request_id::Scope;

        assert!(RequestId::outgoing_headers().is_empty());
        let header = |name: &HeaderName| match name.as_str() {
            "x-correlation-id" => Some(HeaderValue::from_static("req-9")),
            "traceparent" => Some(HeaderValue::from_static(VALID)),
            "tracestate" => Some(HeaderValue::from_static(STATE)),
            _ => None,
        };
        // What `Scope::of_request` makes of a request (the frameworks' call).
        let scope_of = |config: Config| {
            let incoming = of_request(&config, header);
            // Field by field: `Scope` has more fields with some features (`i18n`).
            let mut scope = Scope::default();
            (scope.id, scope.client, scope.trace) = (Some(incoming.id), incoming.client, incoming.trace);
            scope.config = Some(std::sync::Arc::new(config));
            scope
        };
        let config = Config::production().with_request_id_header(HeaderName::from_static("x-correlation-id"));
        let mut scope = scope_of(config.clone());
        let headers = scope.enter(RequestId::outgoing_headers);
        assert_eq!(headers.len(), 3, "{headers:?}");
        assert_eq!(headers["x-correlation-id"], "req-9", "under the configured name");
        assert_eq!(headers["traceparent"], VALID);
        assert_eq!(headers["tracestate"], STATE);
        assert!(RequestId::outgoing_headers().is_empty(), "the scope is left");

        let distrusted = config.with_client_request_id_trusted(false);
        let mut scope = scope_of(distrusted);
        let headers = scope.enter(RequestId::outgoing_headers);
        assert_eq!(headers.len(), 1, "no traceparent, no tracestate: {headers:?}");
        assert_eq!(headers["x-correlation-id"], scope.id.as_ref().unwrap().as_str(), "our own id");
        assert_ne!(headers["x-correlation-id"], "req-9");

        let only_config = Config::development();
        assert!(only_config.scope(RequestId::outgoing_headers).is_empty(), "no request, no id");
    }

    #[test]
    fn a_client_id_is_logged_bounded_and_escaped() {
        let text = |bytes: &[u8]| crate::log::Text(ForeignId(bytes)).to_string();
        assert_eq!(text(b"req-1"), "req-1");
        assert_eq!(text("a\u{202e}b\n".as_bytes()), "a\\u{202e}b\\n");
        assert_eq!(text(b"\xff\xfeok"), "\u{fffd}\u{fffd}ok");
        let long = text(&[b'x'; 1000]);
        assert_eq!(long, format!("{}[…]", "x".repeat(CLIENT_LOGGED_LIMIT)));
    }
}
