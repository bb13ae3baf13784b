//! Server-side logging of rendered errors through `tracing` (feature
//! `tracing`). Without the feature every function here is empty.

use crate::registry::Entry;
use crate::{ApiError, RequestId};

#[cfg(feature = "tracing")]
macro_rules! event_at {
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

/// One event for a rendered error, at its entry's level (at the default
/// level of the status answered when that differs from the entry's, as for
/// a rewritten 418 answered as `apierror.client_error`). Fields are
/// formatted only if a subscriber records the event: when none is
/// interested in the level, nothing is formatted or allocated.
///
/// The field names are a stable interface (log pipelines index them):
/// `error.code`, `error.status` (the status answered), `error.type`, `error.message` (the
/// `Display`), `error.chain` (every source's `Display`, joined with `": "`,
/// the same list as development's `debug.sources`), `error.field` (absent
/// when `None`) and `request_id` (absent when the response has no id).
#[inline]
pub(crate) fn rendered<E: ApiError + ?Sized>(err: &E, entry: &Entry, id: Option<&RequestId>) {
    #[cfg(feature = "tracing")]
    let status = err.status().as_u16();
    #[cfg(feature = "tracing")]
    event_at!(
        if status == entry.status { entry.log } else { crate::registry::LogLevel::for_status(status) },
        error.code = entry.code,
        error.status = status,
        error.r#type = %entry.path(),
        error.message = %DisplayOf(err),
        error.chain = %crate::render::Chain(err.source()),
        error.field = err.field(),
        request_id = id.map(RequestId::as_str),
        "{} {}",
        status,
        entry.code,
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (err, entry, id);
}

/// A `details` member failed to serialize; the body says `null` instead.
pub(crate) fn details_failed(entry: &Entry, member: &str, error: &serde_json::Error) {
    #[cfg(feature = "tracing")]
    ::tracing::warn!(
        error.code = entry.code,
        error.r#type = %entry.path(),
        details.member = member,
        details.error = %error,
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
    #[cfg(feature = "tracing")]
    ::tracing::error!(
        error.code = entry.code,
        error.status = entry.status,
        error.r#type = %entry.path(),
        request_id = id.map(RequestId::as_str),
        "apierror: rendering the error panicked; the response carries the generic message for its status"
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (entry, id);
}

#[cfg(feature = "tracing")]
struct DisplayOf<'a, E: ?Sized>(&'a E);

#[cfg(feature = "tracing")]
impl<E: std::fmt::Display + ?Sized> std::fmt::Display for DisplayOf<'_, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
