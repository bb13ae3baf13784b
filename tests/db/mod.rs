//! What the database tests share: unique table names, a real `tracing` fmt
//! subscriber writing into a buffer, the servers' addresses (skipped loudly
//! when unreachable, a failure under `CI=true`), and the checks every
//! answer passes: its status and code, and nothing of the database in
//! either environment's `message` or in production's body.
#![allow(dead_code)]

use std::io::{self, Write as _};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use apierror::{ApiError, ApiErrorExt, Config};

/// A table (or constraint) name no other test, process or earlier run uses.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    format!("{prefix}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// PostgreSQL's URL: `APIERROR_TEST_POSTGRES`, else the project machines'.
pub fn postgres_url() -> String {
    std::env::var("APIERROR_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// MariaDB/MySQL's URL: `APIERROR_TEST_MYSQL`, else the project machines'.
pub fn mysql_url() -> String {
    std::env::var("APIERROR_TEST_MYSQL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

/// A server that cannot be reached: under `CI=true` the test fails;
/// elsewhere it says loudly what it skipped and passes.
pub fn unreachable(server: &str, variable: &str, url: &str, error: &dyn std::fmt::Display) {
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("{server} at {url} is unreachable under CI=true: {error}");
    }
    // Straight to stderr, past the test harness's capture: a skip is loud.
    let _ = writeln!(
        io::stderr(),
        "SKIPPED: {server} at {url} is unreachable ({error}); start it or set {variable} to its URL to run this test \
         (under CI=true this fails instead)"
    );
}

/// The log output of a real fmt subscriber, installed for this thread.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    /// Installs a DEBUG fmt subscriber writing here, for this thread, until
    /// the guard is dropped.
    pub fn capture() -> (Self, tracing::subscriber::DefaultGuard) {
        let logs = Self::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(logs.clone())
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        // A callsite another thread registered before this subscriber
        // existed: its cached interest recomputed (a scoped subscriber and
        // a concurrent registration race in tracing-core).
        tracing::callsite::rebuild_interest_cache();
        (logs, guard)
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }

    /// The lines of the rendered errors' events (each error's one event,
    /// with the database's facts as `db.*` fields), each checked to be one
    /// whole event (starting with the timestamp).
    pub fn db_events(&self) -> Vec<String> {
        let text = self.text();
        for line in text.lines() {
            assert!(
                line.starts_with(|c: char| c.is_ascii_digit()),
                "one event is one line: {line:?} in\n{text}"
            );
        }
        text.lines().filter(|line| line.contains(" apierror::log: ")).map(str::to_owned).collect()
    }
}

impl io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Self;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// The answer of `err`, checked: `status`, `code`, the code's own message
/// in both environments, `Retry-After: 1` exactly for `apierror.db.busy`;
/// none of `secrets` in production's body or in development's `message`;
/// development's `debug` shows `driver_message` when there is one. Returns
/// development's body.
pub fn assert_answer<E: ApiError>(
    err: &E,
    status: u16,
    code: &str,
    secrets: &[&str],
    driver_message: Option<&str>,
) -> serde_json::Value {
    let production = err.to_response_with(&Config::production());
    assert_eq!(production.status(), status, "{err}");
    assert_eq!(
        production.headers().get("retry-after").map(|v| v.to_str().unwrap()),
        (code == "apierror.db.busy").then_some("1"),
        "Retry-After of {code}"
    );
    let raw = std::str::from_utf8(production.body()).unwrap();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        assert!(!raw.contains(secret), "production body {raw} holds {secret:?}");
    }
    let body: serde_json::Value = serde_json::from_slice(production.body()).unwrap();
    assert_eq!(body[0]["error_code"], code, "{raw}");
    assert_eq!(body[0]["message"], err.entry().production_message(), "{raw}");
    assert!(body[0].get("debug").is_none(), "{raw}");

    let development = err.to_response_with(&Config::development());
    assert_eq!(development.status(), status);
    let dev: serde_json::Value = serde_json::from_slice(development.body()).unwrap();
    let message = dev[0]["message"].as_str().unwrap();
    assert_eq!(message, body[0]["message"]);
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        assert!(!message.contains(secret), "development message {message:?} holds {secret:?}");
    }
    if let Some(driver_message) = driver_message {
        let sources = dev[0]["debug"]["sources"].to_string();
        assert!(
            sources.contains(&json_text(driver_message)),
            "debug {} lacks {driver_message:?}",
            dev[0]["debug"]
        );
    }
    dev
}

/// `text` as it reads inside a JSON string.
fn json_text(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap();
    quoted[1..quoted.len() - 1].to_owned()
}

/// The one `database error` event: it has each of `fields` (`name=value`
/// as the fmt subscriber writes them).
pub fn assert_logged(logs: &Logs, code: &str, fields: &[String]) -> String {
    let events = logs.db_events();
    assert_eq!(events.len(), 1, "one event: {events:#?} in\n{}", logs.text());
    let text = logs.text();
    let all: Vec<&str> = text.lines().filter(|line| line.contains("error.code=")).collect();
    assert_eq!(all.len(), 1, "nothing else carries an error code: {all:#?}");
    let event = &events[0];
    assert!(event.contains(&format!("error.code=\"{code}\"")), "{event}");
    for field in fields {
        assert!(event.contains(field.as_str()), "{event} lacks {field}");
    }
    event.clone()
}

/// `len` characters that no compression shrinks much (hex digits of a
/// pseudo-random sequence): a value PostgreSQL stores as long as it is.
pub fn incompressible(len: usize) -> String {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            char::from(b"0123456789abcdef"[(state >> 60) as usize])
        })
        .collect()
}
