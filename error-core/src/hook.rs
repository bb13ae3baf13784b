//! The panic hook: [`panic_hook`] and [`PanicHook`].

use std::fmt;
use std::panic::PanicHookInfo;

use crate::RequestId;

/// Installs [`PanicHook::new()`]: from now on, a panic anywhere in the
/// process is one escaped log event instead of std's default print.
///
/// std's default hook writes a multi-line message to stderr (and, with
/// `RUST_BACKTRACE`, a backtrace of a hundred frames), with no request id,
/// beside the one event the layers log for the 500 they answer. This hook
/// replaces it with one `tracing` event at `error` (target
/// `apierror::log`): `panic.message` (the payload, when it is a string;
/// a panic's text is foreign text, so it is escaped as every log field of
/// the library: a `\n` or a U+202E in it cannot start or forge a line),
/// `panic.location` (`file:line:column`), `thread.name`, and `request_id`:
/// the id of the request whose handler panicked, under
/// `apierror::axum::layer()` or
/// `apierror::actix::middleware()` (see
/// [`RequestId::current`]). When no subscriber records it (none
/// installed, or the `tracing` feature off), the same facts are one
/// escaped line on stderr: a panic is never silent.
///
/// The previous hook (std's default, or one installed before) is dropped:
/// to keep it running after the event, install
/// [`PanicHook::new().chained()`](PanicHook::chained) instead. Call it once
/// at start-up, before serving, like [`configure`](crate::configure); the
/// hook is std's process-wide one ([`std::panic::set_hook`]), and the
/// library keeps no state of its own.
///
/// ```
/// apierror::panic_hook();
/// # let _ = std::panic::take_hook();
/// ```
pub fn panic_hook() {
    PanicHook::new().install();
}

/// The panic hook of [`panic_hook`], to configure before installing it.
///
/// ```
/// // Log the panic, then let the previous hook (here std's default) print it.
/// apierror::PanicHook::new().chained().install();
/// # let _ = std::panic::take_hook();
/// ```
#[derive(Clone, Copy, Debug, Default)]
#[must_use = "a `PanicHook` does nothing until `install` is called"]
pub struct PanicHook {
    chained: bool,
}

impl PanicHook {
    /// The hook of [`panic_hook`]: one event, the previous hook dropped.
    pub const fn new() -> Self {
        Self { chained: false }
    }

    /// Keeps the hook installed before this one (std's default print, a
    /// crash reporter's) and calls it after the event.
    pub const fn chained(self) -> Self {
        Self { chained: true }
    }

    /// Installs the hook with [`std::panic::set_hook`], replacing the
    /// current one (kept and called after the event when
    /// [`chained`](Self::chained)).
    pub fn install(self) {
        let previous = self.chained.then(std::panic::take_hook);
        std::panic::set_hook(Box::new(move |info| {
            event(info);
            if let Some(previous) = &previous {
                previous(info);
            }
        }));
    }
}

/// The one event of a panic described by `info`.
fn event(info: &PanicHookInfo<'_>) {
    let payload = info.payload();
    let message: &dyn fmt::Display = match payload.downcast_ref::<&str>() {
        Some(message) => message,
        None => match payload.downcast_ref::<String>() {
            Some(message) => message,
            None => &"Box<dyn Any>",
        },
    };
    let location = info.location().map(|location| location as &dyn fmt::Display);
    let thread = std::thread::current();
    crate::log::panicked(message, location, thread.name(), RequestId::current().as_ref());
}
