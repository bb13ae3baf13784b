//! Server-side logging of rendered errors through `tracing` (feature
//! `tracing`; without it the event functions here are empty), and the
//! library's one policy for foreign text in logs (see [`Text`]; every
//! foreign `Display` is called through [`write_caught`]).

use std::fmt;

#[cfg(feature = "tracing")]
use ::tracing::error;

use crate::registry::{Entry, LogLevel};
use crate::text::write_caught;
use crate::{ApiError, Config, RequestId};

/// One `tracing` event at a [`LogLevel`] (nothing for `Off`), optionally
/// with a `target:`; every event of the library goes through it.
#[cfg(feature = "tracing")]
macro_rules! event_at {
    (target: $target:expr, $level:expr, $($rest:tt)+) => {
        match $level {
            $crate::registry::LogLevel::Off => {}
            $crate::registry::LogLevel::Error => ::tracing::event!(target: $target, ::tracing::Level::ERROR, $($rest)+),
            $crate::registry::LogLevel::Warn => ::tracing::event!(target: $target, ::tracing::Level::WARN, $($rest)+),
            $crate::registry::LogLevel::Info => ::tracing::event!(target: $target, ::tracing::Level::INFO, $($rest)+),
            $crate::registry::LogLevel::Debug => ::tracing::event!(target: $target, ::tracing::Level::DEBUG, $($rest)+),
        }
    };
    ($level:expr, $($rest:tt)+) => {
        match $level {
            $crate::registry::LogLevel::Off => {}
            $crate::registry::LogLevel::Error => ::tracing::event!(::tracing::Level::ERROR, $($rest)+),
            $crate::registry::LogLevel::Warn => ::tracing::event!(::tracing::Level::WARN, $($rest)+),
            $crate::registry::LogLevel::Info => ::tracing::event!(::tracing::Level::INFO, $($rest)+),
            $crate::registry::LogLevel::Debug => ::tracing::event!(::tracing::Level::DEBUG, $($rest)+),
        }
    };
}

/// `$event!($head [$fields] $rest)`, with the feature `opentelemetry`
/// the fields `trace_id` and `span_id` of `$ids` (an `Option<otel::Ids>`)
/// after `$fields` ([`crate::otel::Hex`]); without it the
/// same event as before, `$ids` not even named.
#[cfg(all(feature = "tracing", feature = "opentelemetry"))]
macro_rules! with_ids {
    ($ids:ident => $event:ident!($($head:tt)*) [$($fields:tt)*] $($rest:tt)*) => {
        $event!(
            $($head)*
            $($fields)*
            trace_id = $ids.map(|ids| ::tracing::field::display(crate::otel::Hex::trace(ids))),
            span_id = $ids.map(|ids| ::tracing::field::display(crate::otel::Hex::span(ids))),
            $($rest)*
        )
    };
}
#[cfg(all(feature = "tracing", not(feature = "opentelemetry")))]
macro_rules! with_ids {
    ($ids:ident => $event:ident!($($head:tt)*) [$($fields:tt)*] $($rest:tt)*) => {
        $event!($($head)* $($fields)* $($rest)*)
    };
}

/// The level of the event for `entry` answered with `status`: the variant's
/// own `log` level when it declares one other than the default of its
/// status; else `error` for a 5xx and [`Config::client_error_level`] for a
/// 4xx. (A `log` level equal to its status's default is indistinguishable
/// from none: `log = "debug"` on a 4xx follows the configuration.)
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) fn level(entry: &Entry, status: http::StatusCode, config: &Config) -> LogLevel {
    if entry.log != LogLevel::for_status(entry.status) {
        entry.log
    } else if status.is_server_error() {
        LogLevel::Error
    } else {
        config.client_error_level()
    }
}

/// The facts of the boundary an error was made at, logged as fields of the
/// render's one event: a database's (`db.*`) or an upstream's
/// (`upstream.*`). Not public API: see [`ApiError::boundary`].
#[doc(hidden)]
#[non_exhaustive]
#[derive(Clone, Copy, Debug)]
pub enum Boundary<'a> {
    /// A database failure.
    #[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
    Db(&'a crate::db::DbError),
    /// A failed call to another service.
    #[cfg(feature = "reqwest")]
    Upstream(&'a crate::upstream::UpstreamError),
    /// A handler's panic, as the panic hook saw it.
    #[cfg(any(feature = "axum", feature = "actix-web"))]
    Panic(&'a crate::hook::Seen),
    #[doc(hidden)]
    __Never(std::convert::Infallible, std::marker::PhantomData<&'a ()>),
}

/// The boundary facts of `err`: its own ([`ApiError::boundary`], through
/// `transparent`), else those of the first `DbError` or `UpstreamError` in
/// its source chain (a team's variant holding one as its `#[source]`).
#[cfg(feature = "tracing")]
fn boundary<'a, E: ApiError + ?Sized>(err: &'a E) -> Option<Boundary<'a>> {
    if let Some(boundary) = err.boundary() {
        return Some(boundary);
    }
    #[cfg(any(feature = "sqlx", feature = "tokio-postgres", feature = "reqwest"))]
    {
        let mut source = err.source();
        let mut depth = 0;
        while let (Some(error), true) = (source, depth < crate::text::MAX_SOURCES) {
            #[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
            if let Some(db) = error.downcast_ref::<crate::db::DbError>() {
                return Some(Boundary::Db(db));
            }
            #[cfg(feature = "reqwest")]
            if let Some(upstream) = error.downcast_ref::<crate::upstream::UpstreamError>() {
                return Some(Boundary::Upstream(upstream));
            }
            source = error.source();
            depth += 1;
        }
    }
    None
}

/// An error's `Display` as a sized `dyn Display`.
#[cfg(feature = "tracing")]
pub(crate) struct DisplayOf<'a, E: ?Sized>(pub(crate) &'a E);

#[cfg(feature = "tracing")]
impl<E: std::fmt::Display + ?Sized> std::fmt::Display for DisplayOf<'_, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The `tracing` level of a [`LogLevel`]; `None` for `Off`.
#[cfg(feature = "tracing")]
const fn tracing_level(level: LogLevel) -> Option<::tracing::Level> {
    match level {
        LogLevel::Off => None,
        LogLevel::Error => Some(::tracing::Level::ERROR),
        LogLevel::Warn => Some(::tracing::Level::WARN),
        LogLevel::Info => Some(::tracing::Level::INFO),
        LogLevel::Debug => Some(::tracing::Level::DEBUG),
    }
}

/// One event for a rendered error, answered with `status`, at [`level`]:
/// the one event of the error, whatever boundary it was made at. Fields are
/// formatted only if a subscriber records the event: when none is
/// interested in the level, nothing is formatted or allocated, and the
/// source chain is not walked.
///
/// The field names are a stable interface (log pipelines index them):
/// `error.code`, `error.status` (the status answered), `error.type`,
/// `error.message` (the `Display`), `error.chain` (every source's
/// `Display`, joined with `": "`, but one whose text its parent's already
/// ends with; the same list as development's `debug.sources`, up to the
/// driver's error of a database failure, whose message is `db.message`),
/// `error.field` (absent when `None`), `request_id` (absent when the
/// response has no id) and `request_id.client` (what the client sent as its
/// request id, when `Config::with_client_request_id_trusted(false)` made
/// the layer ignore it; bounded, absent otherwise), with the feature
/// `opentelemetry` `trace_id` and `span_id` (the current span's, absent
/// outside one). The foreign text among them (message, chain,
/// field) is recorded as [`Text`]: one event, one line.
///
/// An error made at a boundary adds that boundary's facts: a database's
/// `db.backend`, `db.sqlstate`, `db.code`, `db.constraint`, `db.table`,
/// `db.column`, `db.message` (row values `<redacted>` unless
/// `Config::with_db_detail_logged(true)`), `db.detail` (only then); an upstream's
/// `upstream.service`, `upstream.failure`, `upstream.status`,
/// `upstream.url` (without query), `upstream.io`, `upstream.retry_after`,
/// `upstream.body` (only after `Config::with_upstream_body_logged(n)`),
/// `upstream.request_id` (the upstream's own, when its answer carried one).
#[inline]
pub(crate) fn rendered<E: ApiError + ?Sized>(
    err: &E,
    entry: &Entry,
    config: &Config,
    id: Option<&RequestId>,
) {
    #[cfg(feature = "tracing")]
    {
        let status = err.status();
        // The span records the error whatever the event's level.
        #[cfg(feature = "opentelemetry")]
        let ids = crate::otel::rendered(entry.code, status.as_u16());
        let level = level(entry, status, config);
        match tracing_level(level) {
            Some(max) if ::tracing::level_enabled!(max) => {}
            _ => return,
        }
        #[cfg(feature = "opentelemetry")]
        emit(err, entry, config, id, status, level, ids);
        #[cfg(not(feature = "opentelemetry"))]
        emit(err, entry, config, id, status, level);
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (err, entry, config, id);
}

/// The event of [`rendered`], once its level is enabled: out of line, so
/// that a render whose event is off pays only the level check.
#[cfg(feature = "tracing")]
#[inline(never)]
fn emit<E: ApiError + ?Sized>(
    err: &E,
    entry: &Entry,
    #[cfg_attr(not(any(feature = "sqlx", feature = "tokio-postgres")), allow(unused_variables))]
    config: &Config,
    id: Option<&RequestId>,
    status: http::StatusCode,
    level: LogLevel,
    #[cfg(feature = "opentelemetry")] ids: Option<crate::otel::Ids>,
) {
    crate::request_id::with_current_client(|client| {
        let client = client
            .map(|value| ::tracing::field::display(Text(crate::correlation::ForeignId(value.as_bytes()))));
        // One callsite per kind of facts, each with its static field list.
        macro_rules! event {
            (until: $until:expr, $($facts:tt)*) => {
                with_ids!(
                    ids => event_at!(level,)
                    [error.code = entry.code,
                    error.status = status.as_u16(),
                    error.r#type = %entry.path(),
                    error.message = %Text(DisplayOf(err)),
                    error.chain = %Text(crate::text::Chain { parent: &DisplayOf(err), first: err.source(), until: $until }),
                    error.field = err.field().map(|field| ::tracing::field::display(Text(field))),
                    request_id = id.map(RequestId::as_str),
                    request_id.client = client,]
                    $($facts)*
                    "{} {}",
                    status.as_u16(),
                    entry.code,
                )
            };
        }
        match boundary(err) {
            None => event!(until: None,),
            #[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
            Some(Boundary::Db(db)) => {
                let detail = config.db_detail_logged();
                fn text(s: &str) -> ::tracing::field::DisplayValue<Text<&str>> {
                    ::tracing::field::display(Text(s))
                }
                event!(
                    until: std::error::Error::source(db),
                    db.backend = db.backend(),
                    db.sqlstate = db.sqlstate().map(text),
                    db.code = db.backend_code().as_deref().map(text),
                    db.constraint = db.constraint().map(text),
                    db.table = db.table().map(text),
                    db.column = db.column().map(text),
                    db.message = %Text(crate::db::Message { err: db, redact: !detail }),
                    db.detail = db.detail().filter(|_| detail).map(text),
                )
            }
            #[cfg(feature = "reqwest")]
            Some(Boundary::Upstream(upstream)) => event!(
                until: None,
                upstream.service = %Text(upstream.service()),
                upstream.failure = upstream.failure().as_str(),
                upstream.status = upstream.upstream_status().map(|s| s.as_u16()),
                upstream.url = upstream.url().map(|url| ::tracing::field::display(Text(url))),
                upstream.io = upstream.io_kind().map(::tracing::field::display),
                upstream.retry_after = ApiError::retry_after(upstream),
                upstream.body = upstream.logged_body().map(|body| ::tracing::field::display(Text(body))),
                upstream.request_id = upstream.upstream_request_id().map(|id| ::tracing::field::display(Text(id))),
            ),
            #[cfg(any(feature = "axum", feature = "actix-web"))]
            Some(Boundary::Panic(seen)) => event!(
                until: None,
                panic.message = %Text(&seen.message),
                panic.location = seen.location.as_deref().map(|location| ::tracing::field::display(Text(location))),
                thread.name = seen.thread.as_deref().map(|thread| ::tracing::field::display(Text(thread))),
            ),
            Some(_) => {}
        }
    });
}

/// A `details` member failed to serialize; the body says `null` instead.
pub(crate) fn details_failed(entry: &Entry, member: &str, error: &serde_json::Error) {
    #[cfg(feature = "tracing")]
    ::tracing::warn!(
        error.code = entry.code,
        error.r#type = %entry.path(),
        details.member = member,
        details.error = %Text(error),
        "apierror: a `details` member failed to serialize; the response carries `\"details\": null`"
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (entry, member, error);
}

/// Rendering or logging the error panicked (in a `Display`, `Serialize` or
/// message argument); the body holds only the entry's static facts. This
/// event, at `error` whatever the entry's level, stands in for
/// [`rendered`]: the error's own `Display` and chain are not touched again.
pub(crate) fn render_panicked(entry: &Entry, id: Option<&RequestId>) {
    #[cfg(feature = "opentelemetry")]
    let ids = crate::otel::rendered(entry.code, entry.status);
    #[cfg(feature = "tracing")]
    with_ids!(
        ids => error!()
        [error.code = entry.code,
        error.status = entry.status,
        error.r#type = %entry.path(),
        request_id = id.map(RequestId::as_str),]
        "apierror: rendering the error panicked; the response carries the generic message for its status"
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (entry, id);
}

// --- foreign text ------------------------------------------------------------
//
// The one policy for text the library does not control (an error's
// `Display`, its sources, a request field taken from the request, a
// serializer's message): every log field that can hold it is recorded
// through `Text`, and every `Display` of a foreign value is called through
// `text::write_caught` (the body's JSON writer too). The boundary features
// reuse both.

/// Foreign text for a log field: `Display`s the value with every character
/// that could end the event's line, forge another, or hide text escaped, so
/// that one event is one line whatever the text, in any subscriber.
///
/// Escaped: C0 controls (`\n`, `\r`, `\t`, `\0`, others as `\u{1b}`), DEL and
/// C1 controls (`\u{85}`), the line and paragraph separators U+2028/U+2029,
/// the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069),
/// and the backslash itself (`\\`), so that an escape cannot be forged
/// either. Text with nothing to escape goes to the subscriber as is: no
/// allocation, no copy. The value's `Display` is called through
/// [`write_caught`].
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) struct Text<T>(pub(crate) T);

impl<T: fmt::Display> fmt::Display for Text<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_caught(&mut Escaper(f), &self.0)
    }
}

impl<T: fmt::Display> fmt::Debug for Text<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Whether `c` is escaped in log text (see [`Text`]).
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
#[inline]
fn needs_escape(c: char) -> bool {
    c.is_control()
        || c == '\\'
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A `fmt::Write` that escapes what [`Text`] escapes and passes everything
/// else through in as few `write_str` calls as possible.
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) struct Escaper<W>(pub(crate) W);

impl<W: fmt::Write> fmt::Write for Escaper<W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let mut start = 0;
        for (i, c) in s.char_indices() {
            if !needs_escape(c) {
                continue;
            }
            self.0.write_str(&s[start..i])?;
            match c {
                '\n' => self.0.write_str("\\n")?,
                '\r' => self.0.write_str("\\r")?,
                '\t' => self.0.write_str("\\t")?,
                '\0' => self.0.write_str("\\0")?,
                '\\' => self.0.write_str("\\\\")?,
                c => write!(self.0, "\\u{{{:x}}}", u32::from(c))?,
            }
            start = i + c.len_utf8();
        }
        self.0.write_str(&s[start..])
    }
}

/// A thread panicked (the hook of [`crate::panic_hook`]): one event at
/// `error`, the payload and the location recorded as [`Text`], with the
/// request id current on the panicking thread (the layers make it current
/// while a handler runs). When no subscriber records it (none installed,
/// or the `tracing` feature off), the same facts as one escaped line on
/// stderr: a panic is never silent.
pub(crate) fn panicked(
    message: &dyn fmt::Display,
    location: Option<&dyn fmt::Display>,
    thread: Option<&str>,
    id: Option<&RequestId>,
) {
    #[cfg(feature = "tracing")]
    if ::tracing::enabled!(::tracing::Level::ERROR) {
        #[cfg(feature = "opentelemetry")]
        let ids = crate::otel::ids();
        with_ids!(
            ids => error!()
            [panic.message = %Text(message),
            panic.location = location.map(|location| ::tracing::field::display(Text(location))),
            thread.name = thread.map(|thread| ::tracing::field::display(Text(thread))),
            request_id = id.map(RequestId::as_str),]
            "apierror: a thread panicked"
        );
        return;
    }
    use std::io::Write as _;
    let mut line = String::from("apierror: a thread panicked: ");
    let _ = fmt::write(&mut line, format_args!("{}", Text(message)));
    if let Some(location) = location {
        let _ = fmt::write(&mut line, format_args!(" at {}", Text(location)));
    }
    if let Some(thread) = thread {
        let _ = fmt::write(&mut line, format_args!(" thread={}", Text(thread)));
    }
    if let Some(id) = id {
        let _ = fmt::write(&mut line, format_args!(" request_id={}", id.as_str()));
    }
    line.push('\n');
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// Which hints were logged: a bounded memory of keys (hashed), so that a
/// "map this" hint is one `warn` per key and process, and a stream of keys
/// from outside (statuses, service names, constraint names) cannot grow
/// memory: past [`WarnOnce::MAX`] keys nothing more is remembered or
/// warned. Each hint keeps one in a `static`; it is a memory, not a
/// setting.
#[cfg(all(
    feature = "tracing",
    any(feature = "sqlx", feature = "tokio-postgres", feature = "reqwest", feature = "i18n")
))]
pub(crate) struct WarnOnce(std::sync::Mutex<Option<std::collections::HashSet<u64>>>);

#[cfg(all(
    feature = "tracing",
    any(feature = "sqlx", feature = "tokio-postgres", feature = "reqwest", feature = "i18n")
))]
impl WarnOnce {
    /// Keys remembered at most.
    pub(crate) const MAX: usize = 1024;

    /// Nothing warned yet.
    pub(crate) const fn new() -> Self {
        Self(std::sync::Mutex::new(None))
    }

    /// Whether `key` is seen for the first time (and there is room to
    /// remember it).
    pub(crate) fn first_time(&self, key: impl std::hash::Hash) -> bool {
        use std::hash::BuildHasher;
        // A fixed hasher: the same key is the same hash for the whole process.
        let key = std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
            .hash_one(key);
        let mut warned = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let warned = warned.get_or_insert_with(std::collections::HashSet::new);
        if warned.len() >= Self::MAX || warned.contains(&key) {
            return false;
        }
        warned.insert(key)
    }
}
