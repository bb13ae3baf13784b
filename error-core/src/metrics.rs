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
/// The labels are `'static`: taken from a bounded table of leaked label
/// pairs ([`labels`]), so that an increment allocates nothing in this
/// crate; the recorder looks the key up as for any `counter!`.
#[inline(never)]
pub(crate) fn rendered(code: &'static str, status: http::StatusCode) {
    let name = KeyName::from_const_str(ERRORS_TOTAL);
    let key = match labels(&LABELS, code, status) {
        Some(labels) => Key::from_static_labels(name, labels),
        None => Key::from_parts(name, pair(code, status).to_vec()),
    };
    ::metrics::with_recorder(|recorder| recorder.register_counter(&key, &METADATA)).increment(1);
}

/// The two labels of one increment.
fn pair(code: &'static str, status: http::StatusCode) -> [Label; 2] {
    [Label::from_static_parts(ERROR_CODE, code), Label::from_static_parts(STATUS_CODE, status_str(status))]
}

/// Slots of [`LABELS`]: far more than the distinct (code, status) pairs of
/// a program (its registry's codes, each with its status).
const SLOTS: usize = 512;

/// Slots tried for one pair before giving up on the table.
const PROBES: usize = 8;

/// The label pairs seen so far, each set once and never freed (bounded:
/// at most [`SLOTS`] pairs, about 50 KiB), found by the addresses of their
/// static strings. Codes come from the registry, so the pairs a program can
/// make are few; a pair that finds no free slot in [`PROBES`] tries is
/// counted with labels allocated for the increment instead.
static LABELS: [OnceLock<[Label; 2]>; SLOTS] = [const { OnceLock::new() }; SLOTS];

/// The `'static` labels of (`code`, `status`), from `table` ([`LABELS`]);
/// `None` when the table has no room for them.
#[inline]
fn labels(
    table: &'static [OnceLock<[Label; 2]>; SLOTS],
    code: &'static str,
    status: http::StatusCode,
) -> Option<&'static [Label]> {
    let digits = status_str(status);
    // Fibonacci hashing of the code's address and the status.
    let hash = (code.as_ptr() as u64 ^ u64::from(status.as_u16())).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let start = (hash >> 32) as usize;
    for probe in 0..PROBES {
        let slot = &table[(start + probe) % SLOTS];
        let pair = slot.get_or_init(|| pair(code, status));
        if std::ptr::eq(pair[0].value(), code) && std::ptr::eq(pair[1].value(), digits) {
            return Some(pair);
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

/// `status` as its three digits, a `'static` string (a [`StatusCode`]
/// is 100 to 999).
///
/// [`StatusCode`]: http::StatusCode
fn status_str(status: http::StatusCode) -> &'static str {
    let at = 3 * usize::from(status.as_u16()).min(999);
    std::str::from_utf8(&DIGITS[at..at + 3]).unwrap_or("500")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_its_digits() {
        for n in 100..=999 {
            let status = http::StatusCode::from_u16(n).expect("a status");
            assert_eq!(status_str(status), status.as_str());
        }
    }

    #[test]
    fn a_pair_is_made_once_and_found_again() {
        let first = labels(&LABELS, "metrics-test.a", http::StatusCode::CONFLICT).expect("room");
        let again = labels(&LABELS, "metrics-test.a", http::StatusCode::CONFLICT).expect("room");
        assert!(std::ptr::eq(first, again));
        assert_eq!(first[0].key(), "error_code");
        assert_eq!(first[0].value(), "metrics-test.a");
        assert_eq!(first[1].key(), "http.response.status_code");
        assert_eq!(first[1].value(), "409");
        let other = labels(&LABELS, "metrics-test.a", http::StatusCode::GONE).expect("room");
        assert_eq!(other[1].value(), "410");
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
            match labels(table, code, http::StatusCode::BAD_REQUEST) {
                Some(pair) => assert_eq!((pair[0].value(), pair[1].value()), (*code, "400")),
                None => without_room += 1,
            }
        }
        assert!(without_room >= 64, "{without_room}");
    }
}
