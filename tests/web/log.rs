//! A real `tracing_subscriber::fmt` subscriber, installed for the whole test
//! binary (the servers render on their own threads), writing every event as
//! one text line into a buffer the tests read.

use std::io::Write;
use std::sync::{Mutex, Once};

static LINES: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Appends what the subscriber writes to [`LINES`].
struct Buffer;

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LINES.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs the subscriber (once per binary), every level recorded.
pub fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let subscriber =
            tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(|| Buffer).finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    });
}

/// Every line written so far that contains `needle`.
pub fn lines_with(needle: &str) -> Vec<String> {
    let lines = LINES.lock().unwrap();
    String::from_utf8_lossy(&lines).lines().filter(|line| line.contains(needle)).map(str::to_owned).collect()
}

/// The one line that contains `needle` (a request id).
pub fn the_line_with(needle: &str) -> String {
    let lines = lines_with(needle);
    assert_eq!(lines.len(), 1, "one event for {needle}: {lines:#?}");
    lines.into_iter().next().unwrap()
}
