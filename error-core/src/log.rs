//! Server-side logging of rendered errors through `tracing` (feature
//! `tracing`). Without the feature every function here is empty.

use crate::registry::Entry;
use crate::ApiError;

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

/// One event for a rendered error, at its entry's level. Fields are
/// formatted only if a subscriber records the event.
#[inline]
pub(crate) fn rendered<E: ApiError + ?Sized>(err: &E, entry: &Entry) {
    #[cfg(feature = "tracing")]
    event_at!(
        entry.log,
        error.code = entry.code,
        error.status = entry.status,
        error.r#type = %entry.path(),
        error.message = %DisplayOf(err),
        error.chain = %crate::render::Chain(err.source()),
        error.field = err.field(),
        "{} {}",
        entry.status,
        entry.code,
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (err, entry);
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

/// Rendering panicked (in a `Display`, `Serialize` or message argument); the
/// body holds only the entry's static facts.
pub(crate) fn render_panicked(entry: &Entry) {
    #[cfg(feature = "tracing")]
    ::tracing::error!(
        error.code = entry.code,
        error.r#type = %entry.path(),
        "apierror: rendering the error panicked; the response carries the generic message for its status"
    );
    #[cfg(not(feature = "tracing"))]
    let _ = entry;
}

#[cfg(feature = "tracing")]
struct DisplayOf<'a, E: ?Sized>(&'a E);

#[cfg(feature = "tracing")]
impl<E: std::fmt::Display + ?Sized> std::fmt::Display for DisplayOf<'_, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
