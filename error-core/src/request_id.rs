//! Correlation ids: [`RequestId`].

use std::cell::{Cell, RefCell};
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use http::HeaderValue;

use crate::Config;

/// A request's correlation id: the `x-request-id` that ties an error
/// response to its log line.
///
/// Every response can carry the request's id in a header
/// ([`Config::request_id_header`](crate::Config::request_id_header),
/// `x-request-id` by default; the framework layers put it on every
/// response, a success too unless
/// [`Config::with_request_id_on_success`](crate::Config::with_request_id_on_success)
/// says otherwise), and the same id is the `request_id` field of an error's
/// log event. A user's bug report quoting the header leads support staff
/// straight to the log line.
///
/// The id is the incoming one when the client or a proxy sent a well-formed
/// one ([`RequestId::parse`]: 1 to [`RequestId::MAX_LEN`] characters out of
/// `A-Z a-z 0-9 - _ . : + / = @`), else the trace id of a valid W3C
/// `traceparent` ([`RequestId::from_headers`]), else a fresh random one
/// ([`RequestId::generate`]); always a fresh one under
/// [`Config::with_client_request_id_trusted`](crate::Config::with_client_request_id_trusted)`(false)`. Anything else (too long, control characters,
/// spaces, non-ASCII, an attempt to inject a header) is never echoed nor
/// logged: it is replaced.
///
/// ```
/// use apierror::{ApiError, ApiErrorExt, Config, RequestId};
///
/// #[derive(Debug, thiserror::Error, ApiError)]
/// #[error("database unavailable")]
/// #[api(status = 503, code = "request-id-doc-1")]
/// struct Unavailable;
///
/// let id = RequestId::parse("req-42").expect("well-formed");
/// let response = Unavailable.to_response_with_id(&Config::production(), &id);
/// assert_eq!(response.headers()["x-request-id"], "req-42");
///
/// // A hostile value is replaced by a fresh id.
/// let id = RequestId::parse_or_generate("x\r\nset-cookie: a=b");
/// assert_ne!(id.as_str(), "x\r\nset-cookie: a=b");
/// assert_eq!(id.as_str().len(), 32);
/// ```
///
/// Well-formed by construction, so it is safe to put in a response header,
/// a JSON body and a log line as it is.
///
/// Cloning is cheap (a reference count); an id taken from a request header
/// with [`parse_header`](Self::parse_header) shares that header's bytes.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RequestId(HeaderValue);

impl RequestId {
    /// The longest accepted id, in bytes (UUIDs are 36, W3C trace parents
    /// 55, the generated ids 32).
    pub const MAX_LEN: usize = 128;

    /// Whether `value` is a well-formed id: 1 to [`MAX_LEN`](Self::MAX_LEN)
    /// bytes, each an ASCII letter, digit, or one of `- _ . : + / = @`.
    ///
    /// ```
    /// use apierror::RequestId;
    /// assert!(RequestId::is_well_formed(b"9f1c2e4d-7a3b-4c5d-8e9f-0a1b2c3d4e5f"));
    /// assert!(!RequestId::is_well_formed(b""));
    /// assert!(!RequestId::is_well_formed(b"a b"));
    /// assert!(!RequestId::is_well_formed("é".as_bytes()));
    /// ```
    #[must_use]
    pub fn is_well_formed(value: &[u8]) -> bool {
        (1..=Self::MAX_LEN).contains(&value.len())
            && value.iter().all(|&b| {
                b.is_ascii_alphanumeric()
                    || matches!(b, b'-' | b'_' | b'.' | b':' | b'+' | b'/' | b'=' | b'@')
            })
    }

    /// The id `value`, if it is well-formed (see
    /// [`is_well_formed`](Self::is_well_formed)).
    #[must_use]
    pub fn parse(value: impl AsRef<[u8]>) -> Option<Self> {
        let value = value.as_ref();
        if !Self::is_well_formed(value) {
            return None;
        }
        HeaderValue::from_bytes(value).ok().map(Self)
    }

    /// The id in a request header's value, if it is well-formed; shares the
    /// header's bytes instead of copying them.
    #[must_use]
    pub fn parse_header(value: &HeaderValue) -> Option<Self> {
        if !Self::is_well_formed(value.as_bytes()) {
            return None;
        }
        let mut value = value.clone();
        value.set_sensitive(false);
        Some(Self(value))
    }

    /// The id `value` if it is well-formed, else a fresh one.
    #[must_use]
    pub fn parse_or_generate(value: impl AsRef<[u8]>) -> Self {
        Self::parse(value).unwrap_or_else(Self::generate)
    }

    /// The id of a request with `headers` under `config`, as the framework
    /// layers choose it: its
    /// [`request_id_header`](crate::Config::request_id_header) if present
    /// and well-formed; else the trace id of a valid W3C Trace Context
    /// `traceparent` header (version `00`, lowercase); else a fresh one.
    /// Under [`Config::with_client_request_id_trusted(false)`](crate::Config::with_client_request_id_trusted)
    /// always a fresh one.
    ///
    /// ```
    /// use apierror::{Config, RequestId};
    ///
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert(
    ///     "traceparent",
    ///     "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".parse().unwrap(),
    /// );
    /// let id = RequestId::from_headers(&headers, &Config::production());
    /// assert_eq!(id.as_str(), "4bf92f3577b34da6a3ce929d0e0e4736");
    /// ```
    ///
    /// ```
    /// use apierror::{Config, RequestId};
    ///
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("x-request-id", "abc-123".parse().unwrap());
    /// assert_eq!(RequestId::from_headers(&headers, &Config::production()).as_str(), "abc-123");
    ///
    /// headers.insert("x-request-id", "a very long id with spaces".parse().unwrap());
    /// assert_ne!(RequestId::from_headers(&headers, &Config::production()).as_str(), "a very long id with spaces");
    /// ```
    #[must_use]
    pub fn from_headers(headers: &http::HeaderMap, config: &crate::Config) -> Self {
        crate::correlation::of_request(config, |name| headers.get(name).cloned()).id
    }

    /// A fresh id: 32 lowercase hexadecimal digits (128 bits).
    ///
    /// Ids are unique within the process (a counter) and unpredictable
    /// across processes: the counter and the time are hashed with std's
    /// SipHash under a key drawn at random once per process
    /// ([`RandomState`]). They are for correlation, not secrets: nothing
    /// should depend on an id being unguessable.
    #[must_use]
    pub fn generate() -> Self {
        static KEY: OnceLock<RandomState> = OnceLock::new();
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let key = KEY.get_or_init(RandomState::new);
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_nanos());

        let mut hasher = key.build_hasher();
        hasher.write_u64(count);
        hasher.write_u128(nanos);
        let high = hasher.finish();
        let mut hasher = key.build_hasher();
        hasher.write_u64(high);
        hasher.write_u64(count);
        hasher.write_u8(1);
        let low = hasher.finish();

        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut id = String::with_capacity(32);
        for word in [high, low] {
            for shift in (0..16).rev() {
                id.push(HEX[((word >> (shift * 4)) & 0xf) as usize] as char);
            }
        }
        // Hex digits are always a valid header value; the fallback is never taken.
        Self(HeaderValue::try_from(id).unwrap_or_else(|_| HeaderValue::from_static("0")))
    }

    /// The id as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Well-formed ids are visible ASCII, which `to_str` always accepts.
        self.0.to_str().unwrap_or_default()
    }

    /// The id as a header value, ready to insert into a response.
    #[must_use]
    pub fn header_value(&self) -> &HeaderValue {
        &self.0
    }

    /// Runs `f` with this id as the [`current`](Self::current) one on this
    /// thread; the previous one is restored afterwards, even if `f` panics.
    ///
    /// Inside, [`ApiErrorExt::to_response`](crate::ApiErrorExt::to_response) and
    /// [`to_response_with`](crate::ApiErrorExt::to_response_with) use this id
    /// (header, log event, `details`) as if it had been passed to
    /// [`to_response_with_id`](crate::ApiErrorExt::to_response_with_id). The
    /// framework integrations enter the request's id around every poll of
    /// the handler, so handlers need do nothing.
    ///
    /// ```
    /// use apierror::RequestId;
    ///
    /// let id = RequestId::parse("req-7").unwrap();
    /// assert_eq!(RequestId::current(), None);
    /// id.scope(|| assert_eq!(RequestId::current().as_ref(), Some(&id)));
    /// assert_eq!(RequestId::current(), None);
    /// ```
    pub fn scope<R>(&self, f: impl FnOnce() -> R) -> R {
        Scope { id: Some(self.clone()), ..Scope::default() }.enter(f)
    }

    /// The id of the innermost [`scope`](Self::scope) on this thread, if any.
    #[must_use]
    pub fn current() -> Option<Self> {
        CURRENT
            .try_with(|current| current.try_borrow().ok().and_then(|scope| scope.id.clone()))
            .ok()
            .flatten()
    }
}

/// What a request renders with: its id and its layer's configuration. The
/// framework integrations hold one per request and
/// [`enter`](Self::enter) it around every poll of the request's future;
/// [`with_current`] reads it.
#[derive(Debug, Default)]
pub(crate) struct Scope {
    /// The request's id; `None` keeps the surrounding one.
    pub(crate) id: Option<RequestId>,
    /// What the client sent as its request id when the configuration
    /// distrusts it (logged as `request_id.client`); swapped with `id`.
    pub(crate) client: Option<HeaderValue>,
    /// The request's W3C trace context (a valid `traceparent`, its
    /// `tracestate` when forwardable) when the configuration trusts the
    /// client (see [`crate::correlation::of_request`]): what calls to other
    /// services send on ([`crate::correlation::outgoing_trace_context`]);
    /// swapped with `id`.
    pub(crate) trace: Option<crate::correlation::TraceContext>,
    /// The layer's configuration; `None` keeps the surrounding one (the
    /// installed default outside any layer).
    pub(crate) config: Option<Arc<Config>>,
    /// The request's `Accept-Language`, when its configuration has
    /// translations; negotiated when an error is rendered. `None` keeps
    /// the surrounding one.
    #[cfg(feature = "i18n")]
    pub(crate) language: Option<crate::i18n::RequestLanguage>,
}

impl Scope {
    /// The scope of a request under its layer's `config` (`None`: the
    /// installed default): its id, its trace context when trusted and, when
    /// distrusted, the client's id, as
    /// [`crate::correlation::of_request`] chooses them. `header` looks a
    /// header up by name in the framework's own header map (and converts
    /// its value).
    #[cfg(any(feature = "axum", feature = "actix-web"))]
    pub(crate) fn of_request(
        config: Option<Arc<Config>>,
        header: impl Fn(&http::HeaderName) -> Option<HeaderValue>,
    ) -> Self {
        let mut scope = Self { config, ..Self::default() };
        let incoming = crate::correlation::of_request(scope.config(), &header);
        scope.id = Some(incoming.id);
        scope.client = incoming.client;
        scope.trace = incoming.trace;
        // Only the header is kept (a reference count): it is negotiated if
        // an error is rendered, so a success pays nothing more.
        #[cfg(feature = "i18n")]
        if scope.config().translations().is_some() {
            scope.language = header(&http::header::ACCEPT_LANGUAGE).map(crate::i18n::RequestLanguage::new);
        }
        scope
    }

    /// Runs `f` with this scope current on this thread, the previous one
    /// restored afterwards, even if `f` panics.
    ///
    /// Nothing is cloned: this scope's values are moved into the
    /// thread-local and the surrounding ones kept here meanwhile, then
    /// swapped back.
    pub(crate) fn enter<R>(&mut self, f: impl FnOnce() -> R) -> R {
        struct Exit<'a> {
            scope: &'a mut Scope,
            swapped: Swapped,
        }
        impl Drop for Exit<'_> {
            fn drop(&mut self) {
                exchange(self.scope, self.swapped);
            }
        }
        let wanted = Swapped {
            id: self.id.is_some(),
            config: self.config.is_some(),
            #[cfg(feature = "i18n")]
            language: self.language.is_some(),
        };
        let swapped = exchange(self, wanted);
        let _exit = Exit { scope: self, swapped };
        f()
    }

    /// The configuration in force in this scope.
    pub(crate) fn config(&self) -> &Config {
        match self.config.as_deref() {
            Some(config) => config,
            None => crate::config(),
        }
    }
}

/// Which of a [`Scope`]'s values are swapped with the thread-local's.
#[derive(Clone, Copy, Debug)]
struct Swapped {
    id: bool,
    config: bool,
    #[cfg(feature = "i18n")]
    language: bool,
}

impl Swapped {
    /// Nothing swapped.
    const NOTHING: Self = Self {
        id: false,
        config: false,
        #[cfg(feature = "i18n")]
        language: false,
    };
}

/// Swaps the `which` values of `scope` with the current ones; what was
/// swapped (nothing if the thread-local is gone or being read).
fn exchange(scope: &mut Scope, which: Swapped) -> Swapped {
    let nothing = Swapped::NOTHING;
    #[cfg(feature = "i18n")]
    let any = which.id || which.config || which.language;
    #[cfg(not(feature = "i18n"))]
    let any = which.id || which.config;
    if !any {
        return nothing;
    }
    CURRENT
        .try_with(|current| {
            let Ok(mut current) = current.try_borrow_mut() else { return nothing };
            if which.id {
                std::mem::swap(&mut current.id, &mut scope.id);
                std::mem::swap(&mut current.client, &mut scope.client);
                std::mem::swap(&mut current.trace, &mut scope.trace);
            }
            if which.config {
                std::mem::swap(&mut current.config, &mut scope.config);
            }
            #[cfg(feature = "i18n")]
            if which.language {
                std::mem::swap(&mut current.language, &mut scope.language);
            }
            #[cfg(feature = "i18n")]
            ENTERED.set(current.id.is_some() || current.config.is_some() || current.language.is_some());
            #[cfg(not(feature = "i18n"))]
            ENTERED.set(current.id.is_some() || current.config.is_some());
            which
        })
        .unwrap_or(nothing)
}

/// Calls `f` with the current scope, if one was entered on this thread.
/// Outside any scope (a render that is not a request's, the benchmarks),
/// this is one thread-local load.
#[inline]
fn with_scope<R>(f: impl FnOnce(Option<&Scope>) -> R) -> R {
    if !ENTERED.get() {
        return f(None);
    }
    with_entered(f)
}

/// [`with_scope`] once a scope was entered: borrows it, clones nothing.
fn with_entered<R>(f: impl FnOnce(Option<&Scope>) -> R) -> R {
    let mut f = Some(f);
    let done = CURRENT.try_with(|current| {
        let scope = current.try_borrow().ok()?;
        f.take().map(|f| f(Some(&scope)))
    });
    match (done, f) {
        (Ok(Some(done)), _) => done,
        // The thread-local is gone, or being swapped: no scope.
        (_, Some(f)) => f(None),
        // `f` is taken only to be called, and then `done` is `Some`.
        (_, None) => unreachable!("the scope's closure ran"),
    }
}

/// Calls `f` with the current request's configuration (its layer's, else
/// the installed default, [`crate::config()`]) and id, if any: what every
/// render and conversion without an explicit configuration uses.
#[inline]
pub(crate) fn with_current<R>(f: impl FnOnce(&Config, Option<&RequestId>) -> R) -> R {
    with_scope(|scope| match scope {
        Some(scope) => f(scope.config(), scope.id.as_ref()),
        None => f(crate::config(), None),
    })
}

/// Calls `f` with the current request's id, if any.
#[inline]
pub(crate) fn with_current_id<R>(f: impl FnOnce(Option<&RequestId>) -> R) -> R {
    with_scope(|scope| f(scope.and_then(|scope| scope.id.as_ref())))
}

/// Calls `f` with the current request's distrusted client id, if any
/// (see [`Scope::client`]).
#[cfg(feature = "tracing")]
#[inline]
pub(crate) fn with_current_client<R>(f: impl FnOnce(Option<&HeaderValue>) -> R) -> R {
    with_scope(|scope| f(scope.and_then(|scope| scope.client.as_ref())))
}

/// Calls `f` with the current request's configuration, id and incoming
/// trace context (see [`Scope::trace`]) inside a scope with an id; `None`,
/// without calling `f`, outside any.
pub(crate) fn with_current_request<R>(
    f: impl FnOnce(&Config, &RequestId, Option<&crate::correlation::TraceContext>) -> R,
) -> Option<R> {
    with_scope(|scope| {
        let scope = scope?;
        Some(f(scope.config(), scope.id.as_ref()?, scope.trace.as_ref()))
    })
}

/// Calls `f` with the current request's layer configuration, if any
/// (without falling back on, or fixing, the installed default).
#[cfg(feature = "reqwest")]
pub(crate) fn with_scoped_config<R>(f: impl FnOnce(Option<&Config>) -> R) -> R {
    with_scope(|scope| f(scope.and_then(|scope| scope.config.as_deref())))
}

/// Calls `f` with the current request's `Accept-Language`, if any.
#[cfg(feature = "i18n")]
#[inline]
pub(crate) fn with_language<R>(f: impl FnOnce(Option<&crate::i18n::RequestLanguage>) -> R) -> R {
    with_scope(|scope| f(scope.and_then(|scope| scope.language.as_ref())))
}

thread_local! {
    static CURRENT: RefCell<Scope> = const {
        RefCell::new(Scope {
            id: None,
            client: None,
            trace: None,
            config: None,
            #[cfg(feature = "i18n")]
            language: None,
        })
    };
    /// Whether `CURRENT` holds anything: read first, so that a render
    /// outside any scope does not touch `CURRENT`.
    static ENTERED: Cell<bool> = const { Cell::new(false) };
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RequestId").field(&self.as_str()).finish()
    }
}

impl AsRef<str> for RequestId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::RequestId;

    #[test]
    fn generated_ids_are_well_formed_and_distinct() {
        let ids: std::collections::HashSet<String> =
            (0..10_000).map(|_| RequestId::generate().as_str().to_owned()).collect();
        assert_eq!(ids.len(), 10_000);
        for id in &ids {
            assert_eq!(id.len(), 32);
            assert!(id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "{id}");
            assert!(RequestId::is_well_formed(id.as_bytes()));
        }
    }

    #[test]
    fn well_formed_ids_are_kept_as_they_are() {
        for id in [
            "a",
            "9f1c2e4d-7a3b-4c5d-8e9f-0a1b2c3d4e5f",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "Root=1-5759e988:bd862e3f/x+y@z_w.v",
            &"x".repeat(RequestId::MAX_LEN),
        ] {
            assert_eq!(RequestId::parse(id).expect(id).as_str(), id);
            let header = http::HeaderValue::from_str(id).unwrap();
            assert_eq!(RequestId::parse_header(&header).expect(id).as_str(), id);
        }
    }

    #[test]
    fn malformed_ids_are_refused() {
        for id in [
            "".as_bytes(),
            "x".repeat(RequestId::MAX_LEN + 1).as_bytes(),
            b"a b",
            b"a\tb",
            b"abc\r\nset-cookie: session=1",
            b"abc\n",
            b"\0",
            b"\x7f",
            b"\"quoted\"",
            b"back\\slash",
            b"semi;colon",
            b"<script>",
            "caf\u{e9}".as_bytes(),
            b"\xff\xfe",
            "\u{202e}rtl".as_bytes(),
        ] {
            assert_eq!(RequestId::parse(id), None, "{id:?}");
            assert_ne!(RequestId::parse_or_generate(id).as_str().as_bytes(), id);
            if let Ok(header) = http::HeaderValue::from_bytes(id) {
                assert_eq!(RequestId::parse_header(&header), None, "{id:?}");
            }
        }
    }

    #[test]
    fn scopes_nest_and_restore_even_on_panic() {
        let outer = RequestId::parse("outer").unwrap();
        let inner = RequestId::parse("inner").unwrap();
        outer.scope(|| {
            inner.scope(|| assert_eq!(RequestId::current(), Some(inner.clone())));
            assert_eq!(RequestId::current(), Some(outer.clone()));
            let panicked = std::panic::catch_unwind(|| inner.scope(|| panic!("handler panicked")));
            assert!(panicked.is_err());
            assert_eq!(RequestId::current(), Some(outer.clone()));
        });
        assert_eq!(RequestId::current(), None);
    }

    #[test]
    fn a_configuration_scope_nests_with_id_scopes_and_restores_even_on_panic() {
        use super::{with_current, with_scope, ENTERED};
        use crate::{Config, Format};

        let problems = Config::production().with_format(Format::Problem);
        let id = RequestId::parse("req-1").unwrap();
        problems.scope(|| {
            id.scope(|| {
                with_current(|config, current| {
                    assert_eq!(config.format(), Format::Problem, "an id scope keeps the configuration");
                    assert_eq!(current, Some(&id));
                });
            });
            with_current(|config, current| {
                assert_eq!(config.format(), Format::Problem);
                assert_eq!(current, None, "the id is restored");
            });
            let panicked = std::panic::catch_unwind(|| Config::development().scope(|| panic!("in a scope")));
            assert!(panicked.is_err());
            with_current(|config, _| assert!(!config.is_development(), "restored after the panic"));
        });
        with_scope(|scope| assert!(scope.is_none(), "nothing current afterwards"));
        assert!(!ENTERED.get());
    }
}
