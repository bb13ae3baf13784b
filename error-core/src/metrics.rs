//! A counter of rendered errors through the [`metrics`](::metrics) facade
//! (feature `metrics`).
#![doc = include_str!("docs/metrics.md")]

use std::sync::OnceLock;

use ::metrics::{Key, KeyName, Label, Level, Metadata, Unit};

/// The counter's name: one increment per error object rendered (see the
/// [module documentation](self) for what counts). Prometheus renders it as
/// is: it is a valid Prometheus name and already ends in `_total`, so
/// neither the exporter's sanitizing nor its recommended naming changes it.
pub const ERRORS_TOTAL: &str = "apierror_errors_total";

/// The label holding the error's `error_code`: a `&'static str` of the
/// [registry](crate::registry), never text from a request.
pub const ERROR_CODE: &str = "error_code";

/// The label holding the error's HTTP status, as three digits: the name of
/// OpenTelemetry's HTTP semantic conventions, which a Prometheus exporter
/// renders `http_response_status_code` (as OpenTelemetry's own Prometheus
/// exporter does).
pub const STATUS_CODE: &str = "http.response.status_code";

/// Describes [`ERRORS_TOTAL`] to the installed recorder (its unit and the
/// `# HELP` line a Prometheus exporter prints). Optional: the counter
/// counts without it. Call it after installing the recorder.
pub fn describe() {
    ::metrics::describe_counter!(
        ERRORS_TOTAL,
        Unit::Count,
        "Errors rendered by apierror: one per error object, by error_code and HTTP status."
    );
}

/// What the facade's `counter!` would pass along: the target and module
/// of the increment.
static METADATA: Metadata<'static> = Metadata::new(module_path!(), Level::INFO, Some(module_path!()));

/// Counts one rendered error object with `code` answered with `status`.
/// The counter's key is made once per (code, status) and kept ([`key`]):
/// an increment allocates nothing and hashes nothing in this crate; the
/// recorder looks the key up as for any `counter!`.
#[inline(never)]
pub(crate) fn rendered(code: &'static str, status: http::StatusCode) {
    let increment = |key: &Key| {
        ::metrics::with_recorder(|recorder| recorder.register_counter(key, &METADATA)).increment(1);
    };
    match key(&KEYS, code, status) {
        Some(key) => increment(key),
        None => increment(&Key::from_parts(
            KeyName::from_const_str(ERRORS_TOTAL),
            pair(code, status.as_u16()).to_vec(),
        )),
    }
}

/// The two labels of one increment.
fn pair(code: &'static str, status: u16) -> [Label; 2] {
    [Label::from_static_parts(ERROR_CODE, code), Label::from_static_parts(STATUS_CODE, status_str(status))]
}

/// Slots of [`KEYS`]: far more than the distinct (code, status) pairs of a
/// program (its registry's codes, each with its status).
const SLOTS: usize = 512;

/// Slots tried for one pair before giving up on the table.
const PROBES: usize = 8;

/// One (code, status) pair and its key.
struct Slot {
    /// The code the key was made for (compared by address).
    code: &'static str,
    /// The status the key was made for.
    status: u16,
    /// The counter's key with the pair as its labels.
    key: Key,
}

/// The counter's keys made so far, one per (code, status), each set once
/// and never freed with its two labels (bounded: at most [`SLOTS`] keys,
/// 44 KiB on 64 bits, and 96 bytes of labels each), found by the address
/// of the code and the status. Codes come from the registry, so the pairs a
/// program can make are few; a pair that finds no free slot in [`PROBES`]
/// tries is counted with a key made for the increment instead.
static KEYS: [OnceLock<Slot>; SLOTS] = [const { OnceLock::new() }; SLOTS];

/// The key of (`code`, `status`), from `table` ([`KEYS`]); `None` when the
/// table has no room for it.
#[inline]
fn key(
    table: &'static [OnceLock<Slot>; SLOTS],
    code: &'static str,
    status: http::StatusCode,
) -> Option<&'static Key> {
    let status = status.as_u16();
    // Fibonacci hashing of the code's address and the status.
    let hash = (code.as_ptr() as u64 ^ u64::from(status)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let start = (hash >> 32) as usize;
    for probe in 0..PROBES {
        let slot = table[(start + probe) % SLOTS].get_or_init(|| Slot {
            code,
            status,
            key: Key::from_static_labels(
                KeyName::from_const_str(ERRORS_TOTAL),
                Box::leak(Box::new(pair(code, status))),
            ),
        });
        if std::ptr::eq(slot.code, code) && slot.status == status {
            return Some(&slot.key);
        }
    }
    None
}

/// Every status's three digits, `000` to `999`, one after the other.
static DIGITS: [u8; 3000] = {
    let mut digits = [0; 3000];
    let mut n = 0;
    while n < 1000 {
        digits[3 * n] = b'0' + (n / 100) as u8;
        digits[3 * n + 1] = b'0' + (n / 10 % 10) as u8;
        digits[3 * n + 2] = b'0' + (n % 10) as u8;
        n += 1;
    }
    digits
};

/// `status` as its three digits, a `'static` string (a `StatusCode` is 100
/// to 999).
fn status_str(status: u16) -> &'static str {
    STATUSES[usize::from(status).min(999)]
}

/// [`DIGITS`] cut into one string per status.
static STATUSES: [&str; 1000] = {
    let mut statuses = [""; 1000];
    let mut n = 0;
    while n < 1000 {
        let (digits, _) = DIGITS.split_at(3 * n + 3);
        let (_, digits) = digits.split_at(3 * n);
        statuses[n] = match std::str::from_utf8(digits) {
            Ok(digits) => digits,
            Err(_) => panic!("digits are ASCII"),
        };
        n += 1;
    }
    statuses
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_44_kib() {
        assert!(std::mem::size_of::<OnceLock<Slot>>() * SLOTS <= 44 * 1024);
    }

    #[test]
    fn every_status_is_its_digits() {
        for n in 100..=999 {
            let status = http::StatusCode::from_u16(n).expect("a status");
            assert_eq!(status_str(n), status.as_str());
        }
    }

    /// The labels of `key`, as (name, value) pairs.
    fn labels(key: &Key) -> Vec<(&str, &str)> {
        key.labels().map(|label| (label.key(), label.value())).collect()
    }

    #[test]
    fn a_key_is_made_once_and_found_again() {
        let first = key(&KEYS, "metrics-test.a", http::StatusCode::CONFLICT).expect("room");
        let again = key(&KEYS, "metrics-test.a", http::StatusCode::CONFLICT).expect("room");
        assert!(std::ptr::eq(first, again));
        assert_eq!(first.name(), "apierror_errors_total");
        assert_eq!(labels(first), [("error_code", "metrics-test.a"), ("http.response.status_code", "409")]);
        let other = key(&KEYS, "metrics-test.a", http::StatusCode::GONE).expect("room");
        assert_eq!(labels(other), [("error_code", "metrics-test.a"), ("http.response.status_code", "410")]);
        // The key a `counter!` with the same name and labels makes.
        let made = Key::from_parts(
            ERRORS_TOTAL,
            vec![Label::new("error_code", "metrics-test.a"), Label::new("http.response.status_code", "410")],
        );
        assert_eq!((other, other.get_hash()), (&made, made.get_hash()));
    }

    #[test]
    fn a_full_table_still_counts_with_the_right_labels() {
        // More pairs than slots (in a table of the test's own): the last
        // ones find no room, and `rendered` allocates their labels instead;
        // none is ever mislabelled.
        let table = Box::leak(Box::new([const { OnceLock::new() }; SLOTS]));
        let codes: Vec<&'static str> =
            (0..SLOTS + 64).map(|n| &*Box::leak(format!("metrics-test.{n}").into_boxed_str())).collect();
        let mut without_room = 0;
        for code in &codes {
            match key(table, code, http::StatusCode::BAD_REQUEST) {
                Some(key) => {
                    assert_eq!(labels(key), [("error_code", *code), ("http.response.status_code", "400")])
                }
                None => without_room += 1,
            }
        }
        assert!(without_room >= 64, "{without_room}");
    }
}
