//! The panic hook: [`panic_hook`] and [`PanicHook`].

#[cfg(any(feature = "axum", feature = "actix-web"))]
use std::cell::Cell;
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
/// `panic.location` (`file:line:column`), `thread.name`, and `request_id`
/// (see [`RequestId::current`]).
///
/// A handler's panic under `apierror::axum::layer()` or
/// `apierror::actix::middleware()` is one error, so one event: the 500
/// `apierror.internal` the layer answers, with these `panic.*` and
/// `thread.name` fields among its own (its `request_id`, and with the
/// feature `opentelemetry` its span's `trace_id` and `span_id`), instead
/// of the hook's event beside it. A panic the handler catches itself is
/// the hook's own event, logged when the handler returns. When no
/// subscriber records it (none installed, or the `tracing` feature off),
/// the hook's event is one escaped line on stderr: a panic is never
/// silent.
///
/// The previous hook (std's default, or one installed before) is dropped:
/// to keep it running after the event, install
/// [`PanicHook::new().chained()`](PanicHook::chained) instead. Call it once
/// at start-up, before serving, like [`configure`](crate::configure); the
/// hook is std's process-wide one ([`std::panic::set_hook`]); the library
/// keeps only a flag that a hook was installed (the layers then hand the
/// hook's facts to their 500).
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
        #[cfg(any(feature = "axum", feature = "actix-web"))]
        INSTALLED.store(true, std::sync::atomic::Ordering::Release);
        std::panic::set_hook(Box::new(move |info| {
            event(info);
            if let Some(previous) = &previous {
                previous(info);
            }
        }));
    }
}

/// The one event of a panic described by `info`; where a layer catches it
/// (see [`catch`]), what the layer's 500 event carries instead.
fn event(info: &PanicHookInfo<'_>) {
    let payload = info.payload();
    let message: &dyn fmt::Display = match payload.downcast_ref::<&str>() {
        Some(message) => message,
        None => match payload.downcast_ref::<String>() {
            Some(message) => message,
            None => &"Box<dyn Any>",
        },
    };
    let thread = std::thread::current();
    #[cfg(any(feature = "axum", feature = "actix-web"))]
    if CATCHING.try_with(Cell::get).unwrap_or(false) {
        let seen = Seen {
            message: message.to_string(),
            location: info.location().map(ToString::to_string),
            thread: thread.name().map(str::to_owned),
        };
        // One the handler caught itself before this one: logged now.
        if let Ok(Some(earlier)) = SEEN.try_with(|current| current.replace(Some(seen))) {
            earlier.log();
        }
        return;
    }
    let location = info.location().map(|location| location as &dyn fmt::Display);
    crate::log::panicked(message, location, thread.name(), RequestId::current().as_ref());
}

/// What the hook saw of a panic on a thread where a layer catches panics:
/// the payload's text, where it was raised and the thread's name, for the
/// event of the 500 the layer answers (one error, one event: not an
/// event of its own beside it).
/// (In [`crate::log::Boundary`], public but unnameable: not public API.)
#[cfg(any(feature = "axum", feature = "actix-web"))]
#[doc(hidden)]
#[derive(Debug)]
pub struct Seen {
    /// The payload, when it is a string (`Box<dyn Any>` otherwise).
    pub(crate) message: String,
    /// `file:line:column`.
    pub(crate) location: Option<String>,
    /// The panicking thread's name.
    pub(crate) thread: Option<String>,
}

#[cfg(any(feature = "axum", feature = "actix-web"))]
impl Seen {
    /// The event the hook would have logged.
    fn log(&self) {
        let location = self.location.as_ref().map(|location| location as &dyn fmt::Display);
        crate::log::panicked(&self.message, location, self.thread.as_deref(), RequestId::current().as_ref());
    }
}

/// Whether a [`PanicHook`] was installed (in this process, ever): only then
/// do the layers' [`catch`]es track what it saw.
#[cfg(any(feature = "axum", feature = "actix-web"))]
static INSTALLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[cfg(any(feature = "axum", feature = "actix-web"))]
thread_local! {
    /// Whether a layer's [`catch`] is on this thread's stack.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// The panic the hook saw there and left to the layer.
    static SEEN: Cell<Option<Seen>> = const { Cell::new(None) };
}

/// A panic a layer caught: its payload and, when [`panic_hook`] is
/// installed, what the hook saw of it (its location).
#[cfg(any(feature = "axum", feature = "actix-web"))]
pub(crate) struct Caught {
    /// What `catch_unwind` returned.
    pub(crate) payload: Box<dyn std::any::Any + Send>,
    /// The hook's facts, if it ran.
    pub(crate) seen: Option<Seen>,
}

/// `catch_unwind(f)` for the layers: a panic in `f` that the hook sees is
/// left to the layer (its facts in the [`Caught`]), which answers 500 and
/// logs them in that error's one event. A panic in `f` that `f` caught
/// itself is logged by the hook's event as soon as `f` returns: a panic is
/// never silent.
#[cfg(any(feature = "axum", feature = "actix-web"))]
pub(crate) fn catch<R>(f: impl FnOnce() -> R) -> Result<R, Caught> {
    // Without the hook, nothing to hand over: a success pays one load.
    if !INSTALLED.load(std::sync::atomic::Ordering::Acquire) {
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .map_err(|payload| Caught { payload, seen: None });
    }
    let outer = CATCHING.try_with(|catching| catching.replace(true)).unwrap_or(false);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    let _ = CATCHING.try_with(|catching| catching.set(outer));
    let seen = SEEN.try_with(Cell::take).ok().flatten();
    match result {
        Ok(value) => {
            if let Some(seen) = seen {
                seen.log();
            }
            Ok(value)
        }
        Err(payload) => Err(Caught { payload, seen }),
    }
}
