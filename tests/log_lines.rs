//! One event, one line: the library's log events through a real
//! `tracing_subscriber::fmt()` subscriber, whatever text the errors carry
//! (issue 9, items 2 and 7).
//!
//! The subscriber is installed once, globally; its writer appends to a
//! buffer of the current test's thread (events are formatted on the thread
//! that emits them), so parallel tests do not see each other's lines.

use std::cell::RefCell;
use std::fmt;
use std::io;

use apierror::builtin::{BuiltinError, Kind};
use apierror::prelude::*;
use apierror::{Config, Errors, RequestId};
use serde_json::Value;

thread_local! {
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

struct ThreadBuffer;

impl io::Write for ThreadBuffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        BUFFER.with(|buffer| buffer.borrow_mut().extend_from_slice(bytes));
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What `f` logs, as the fmt subscriber writes it.
fn logged(f: impl FnOnce()) -> String {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(|| ThreadBuffer)
            .with_max_level(tracing::Level::TRACE)
            .without_time()
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
    });
    BUFFER.with(|buffer| buffer.borrow_mut().clear());
    f();
    let bytes = BUFFER.with(|buffer| std::mem::take(&mut *buffer.borrow_mut()));
    String::from_utf8(bytes).expect("the log is UTF-8")
}

/// The log's lines, checking that it is `events` complete lines and holds
/// no character that a terminal or a line-based collector would take as a
/// line break or hide.
fn lines(log: &str, events: usize) -> Vec<&str> {
    assert!(log.ends_with('\n'), "the last event is complete: {log:?}");
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), events, "{log}");
    for line in &lines {
        assert!(
            !line.chars().any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')),
            "a raw control or separator character: {line:?}"
        );
    }
    lines
}

fn body(response: &http::Response<Vec<u8>>) -> Value {
    serde_json::from_slice(response.body()).expect("the body is JSON")
}

const HOSTILE: &str =
    "1\n FORGED ERROR line\r\n\0nul \u{1b}[31mred \u{85}nel \u{2028}ls \u{2029}ps \u{202e}rlo";

#[derive(Debug)]
struct Foreign(String);

impl fmt::Display for Foreign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Foreign {}

#[derive(Debug, thiserror::Error, ApiError)]
enum ThingError {
    #[error("no thing {0}")]
    #[api(status = 404, code = "log-lines-404", log = "info")]
    NotFound(String),

    #[error("bad value")]
    #[api(status = 400, code = "log-lines-400", log = "warn")]
    Bad {
        #[api(field)]
        field: String,
    },

    #[error("store unavailable")]
    #[api(status = 503, code = "log-lines-503")]
    Store(#[source] Foreign),
}

#[test]
fn foreign_text_in_every_field_stays_on_one_line() {
    let config = Config::production();
    let log = logged(|| {
        ThingError::NotFound(HOSTILE.into()).to_response_with(&config);
        ThingError::Bad { field: HOSTILE.into() }.to_response_with(&config);
        ThingError::Store(Foreign(HOSTILE.into())).to_response_with(&config);
        // What the framework extractors log for a client's unknown key.
        BuiltinError::new(Kind::UnknownField)
            .with_field(HOSTILE)
            .with_source(HOSTILE)
            .to_response_with(&config);
    });
    let lines = lines(&log, 4);
    assert!(
        lines[0].contains(r"error.message=no thing 1\n FORGED ERROR line\r\n\0nul \u{1b}[31mred"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains(r"\u{85}nel \u{2028}ls \u{2029}ps \u{202e}rlo"), "{}", lines[0]);
    assert!(lines[1].contains(r"error.field=1\n FORGED ERROR line"), "{}", lines[1]);
    assert!(lines[2].contains(r"error.chain=1\n FORGED ERROR line"), "{}", lines[2]);
    assert!(lines[3].contains(r"error.field=1\n FORGED"), "{}", lines[3]);
    assert!(lines[3].contains("error.type=apierror::builtin::Kind::UnknownField"), "{}", lines[3]);
    assert!(lines[3].contains(r"error.chain=1\n FORGED"), "{}", lines[3]);
    // The body is JSON: its own escaping already holds the text on one line.
    let response = ThingError::Store(Foreign(HOSTILE.into())).to_response_with(&Config::development());
    assert_eq!(body(&response)[0]["debug"]["sources"][0], HOSTILE);
}

#[test]
fn a_backslash_is_escaped_so_an_escape_cannot_be_forged() {
    let log = logged(|| {
        ThingError::NotFound(r"a\nb".into()).to_response_with(&Config::production());
    });
    let lines = lines(&log, 1);
    assert!(lines[0].contains(r"error.message=no thing a\\nb"), "{}", lines[0]);
}

#[test]
fn text_without_anything_to_escape_is_logged_as_is() {
    let log = logged(|| {
        ThingError::NotFound("users/42 \"quoted\" café 😀".into()).to_response_with(&Config::production());
    });
    let lines = lines(&log, 1);
    assert!(lines[0].contains("error.message=no thing users/42 \"quoted\" café 😀"), "{}", lines[0]);
}

// --- a Display that panics ----------------------------------------------------

/// Writes some text, then panics.
#[derive(Debug)]
struct Halfway;

impl fmt::Display for Halfway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("got this far")?;
        panic!("Display of Halfway")
    }
}

impl std::error::Error for Halfway {}

#[derive(Debug, thiserror::Error, ApiError)]
enum PanickyError {
    #[error("lookup failed")]
    #[api(status = 502, code = "log-lines-panicky-source", message = "The upstream service failed.")]
    Source(#[source] Halfway),

    #[error("{0}")]
    #[api(status = 422, code = "log-lines-panicky-display", field = "x", message = "The value is invalid.")]
    Display(Halfway),
}

/// Silences the default panic hook's report of the panics these tests
/// provoke (the hook is process-wide: other tests of this binary panic only
/// when they fail, and still fail).
fn quietly<T>(f: impl FnOnce() -> T) -> T {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let provoked = info.payload().downcast_ref::<&str>().is_some_and(|m| m.starts_with("Display of"));
            if !provoked {
                default(info);
            }
        }));
    });
    f()
}

#[test]
fn a_panicking_display_keeps_the_message_and_the_debug_and_the_log_line() {
    quietly(|| {
        for err in [PanickyError::Source(Halfway), PanickyError::Display(Halfway)] {
            let id = RequestId::parse("req-panicky").unwrap();
            let mut responses = Vec::new();
            let log = logged(|| {
                responses.push(err.to_response_with_id(&Config::production(), &id));
                responses.push(err.to_response_with_id(&Config::development(), &id));
                // The next event is a line of its own.
                ThingError::NotFound("next".into()).to_response_with(&Config::production());
            });
            let production = body(&responses[0]);
            let development = body(&responses[1]);
            assert_eq!(production[0]["message"], development[0]["message"], "{err:?}");
            assert_eq!(production[0]["field"], development[0]["field"], "{err:?}");
            assert_ne!(production[0]["message"], apierror::generic_message(502));
            let debug = &development[0]["debug"];
            let lines = lines(&log, 3);
            match err {
                PanickyError::Source(_) => {
                    assert_eq!(debug["display"], "lookup failed");
                    assert_eq!(debug["sources"][0], "got this far<Display panicked>");
                    assert!(lines[0].contains("error.chain=got this far<Display panicked>"), "{}", lines[0]);
                }
                PanickyError::Display(_) => {
                    assert_eq!(debug["display"], "got this far<Display panicked>");
                    assert!(
                        lines[0].contains("error.message=got this far<Display panicked>"),
                        "{}",
                        lines[0]
                    );
                }
            }
            assert_eq!(lines[0], lines[1], "production and development log the same event");
            assert!(lines[0].contains("request_id=\"req-panicky\""), "{}", lines[0]);
            assert!(lines[2].contains("error.code=\"log-lines-404\""), "{}", lines[2]);
        }
    });
}

#[test]
fn a_panicking_display_in_errors_keeps_every_debug() {
    quietly(|| {
        let mut errors = Errors::new();
        errors.push(PanickyError::Display(Halfway));
        errors.push(ThingError::NotFound("a".into()));
        errors.push(PanickyError::Source(Halfway));
        let mut responses = Vec::new();
        let log = logged(|| {
            responses.push(errors.to_response_with(&Config::production()));
            responses.push(errors.to_response_with(&Config::development()));
        });
        let production = body(&responses[0]);
        let development = body(&responses[1]);
        for i in 0..3 {
            assert_eq!(production[i]["message"], development[i]["message"], "object {i}");
            assert!(development[i]["debug"].is_object(), "object {i}: {development}");
        }
        assert_eq!(development[0]["debug"]["display"], "got this far<Display panicked>");
        assert_eq!(development[2]["debug"]["sources"][0], "got this far<Display panicked>");
        lines(&log, 6);
        // `Errors`' own Display, as `Box<dyn Error>` or anyhow print it.
        let display = errors.to_string();
        assert!(display.contains("got this far<Display panicked>"), "{display}");
    });
}
