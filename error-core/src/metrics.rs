//! A counter of rendered errors through the [`metrics`](::metrics) facade
//! (feature `metrics`).
#![doc = include_str!("docs/metrics.md")]

use std::sync::{Arc, OnceLock};

use ::metrics::{Counter, Key, KeyName, Label, Level, Metadata, Recorder, SetRecorderError, Unit};

use crate::Config;

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

/// The counter's description: the `# HELP` line of a Prometheus exporter.
const DESCRIPTION: &str = "Errors rendered by apierror: one per error object, by error_code and HTTP status.";

/// Describes [`ERRORS_TOTAL`] to the facade's recorder (its unit and the
/// `# HELP` line a Prometheus exporter prints). Optional: the counter
/// counts without it. Call it after installing the recorder;
/// [`Counters::new`] describes it on its own recorder.
pub fn describe() {
    ::metrics::describe_counter!(ERRORS_TOTAL, Unit::Count, DESCRIPTION);
}

/// A recorder to count rendered errors on, with the counter's handles
/// kept: given to [`Config::with_counters`], each (code, status) is
/// registered on it once and its handle kept, so counting an error is an
/// atomic add on the recorder's counter instead of a look-up of its key
/// and a new handle (about a tenth of the cost; see the [module
/// documentation](self#cost)). Without it, a configuration counts through
/// the facade's current recorder, registering on every increment as
/// `counter!` does.
///
/// The handles belong to the recorder these counters hold, which lives as
/// long as they do: no handle of a recorder that is gone, or of another
/// one, is ever used. Clones share the recorder and the handles (one per
/// program is enough: give a clone to each configuration).
///
/// Keeping handles assumes a recorder that never forgets a series: one set
/// to drop the series idle for a while (`PrometheusBuilder::idle_timeout`
/// with counters in its mask) would keep counting a forgotten (code,
/// status) on a handle it no longer exports. Leave such a recorder to the
/// facade (no `with_counters`).
#[derive(Clone)]
pub struct Counters(Arc<Held>);

/// The recorder of [`Counters`] and its handles.
struct Held {
    recorder: Arc<dyn Recorder + Send + Sync>,
    /// Registered at their first increment: slot for slot those of
    /// [`KEYS`] (12 KiB on 64 bits).
    handles: [OnceLock<Counter>; SLOTS],
}

impl Counters {
    /// Counters on `recorder` (which stays the caller's too: install it
    /// for the facade, serve its text), with the counter
    /// [described](describe) on it.
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// let recorder = Arc::new(metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder());
    /// let config = apierror::Config::production().with_counters(apierror::metrics::Counters::new(Arc::clone(&recorder)));
    /// assert!(config.counters().is_some());
    /// ```
    #[must_use]
    pub fn new<R: Recorder + Send + Sync + 'static>(recorder: Arc<R>) -> Self {
        recorder.describe_counter(
            KeyName::from_const_str(ERRORS_TOTAL),
            Some(Unit::Count),
            DESCRIPTION.into(),
        );
        Self(Arc::new(Held { recorder, handles: [const { OnceLock::new() }; SLOTS] }))
    }

    /// Installs `recorder` as the program's recorder of the `metrics`
    /// facade (what [`metrics::set_global_recorder`]
    /// does), and returns [`Counters`] on it for [`Config::with_counters`]:
    /// the start-up of a program whose metrics all go to one recorder.
    ///
    /// # Errors
    ///
    /// A recorder is installed already: `recorder` is given back and
    /// nothing changes.
    pub fn install<R: Recorder + Send + Sync + 'static>(recorder: R) -> Result<Self, SetRecorderError<R>> {
        let recorder = Arc::new(recorder);
        if let Err(SetRecorderError(facades)) = ::metrics::set_global_recorder(Arc::clone(&recorder)) {
            drop(facades);
            return match Arc::try_unwrap(recorder) {
                Ok(recorder) => Err(SetRecorderError(recorder)),
                // The facade gave its clone back: ours is the only one.
                Err(_) => unreachable!("the recorder has no other owner"),
            };
        }
        Ok(Self::new(recorder))
    }

    /// Counts one error in the slot `index` of [`KEYS`], whose key is `key`.
    #[inline]
    fn increment(&self, index: usize, key: &'static Key) {
        let Held { recorder, handles } = &*self.0;
        handles[index].get_or_init(|| recorder.register_counter(key, &METADATA)).increment(1);
    }
}

impl PartialEq for Counters {
    /// The same counters: clones of one [`Counters::new`].
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Counters {}

impl std::fmt::Debug for Counters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Counters").finish_non_exhaustive()
    }
}

impl Config {
    /// Counts the errors rendered with this configuration on `counters`'
    /// recorder, its handles kept (see [`Counters`]), instead of through the
    /// facade's current recorder.
    #[must_use]
    pub fn with_counters(mut self, counters: Counters) -> Self {
        self.counting = Counting::Kept(counters);
        self
    }

    /// The counters given to [`with_counters`](Self::with_counters), if any.
    #[must_use]
    pub fn counters(&self) -> Option<&Counters> {
        match &self.counting {
            Counting::Kept(counters) => Some(counters),
            Counting::Facade | Counting::Off => None,
        }
    }
}

/// How a configuration counts the errors it renders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Counting {
    /// Through the facade's current recorder, registered per increment.
    Facade,
    /// On the recorder of these counters, their handles kept.
    Kept(Counters),
    /// Not at all: an OpenAPI document renders examples, not errors.
    #[cfg_attr(not(feature = "utoipa"), allow(dead_code))]
    Off,
}

/// What the facade's `counter!` would pass along: the target and module
/// of the increment.
static METADATA: Metadata<'static> = Metadata::new(module_path!(), Level::INFO, Some(module_path!()));

/// Counts one rendered error object with `code` answered with `status`,
/// as `counting` says. The counter's key is made once per (code, status)
/// and kept ([`slot`]): an increment allocates nothing and hashes nothing
/// in this crate.
#[inline(never)]
pub(crate) fn rendered(counting: &Counting, code: &'static str, status: http::StatusCode) {
    match counting {
        Counting::Off => {}
        Counting::Kept(counters) => match slot(&KEYS, code, status) {
            Some((index, key)) => counters.increment(index, key),
            None => counters.0.recorder.register_counter(&made(code, status), &METADATA).increment(1),
        },
        Counting::Facade => match slot(&KEYS, code, status) {
            Some((_, key)) => facade(key),
            None => facade(&made(code, status)),
        },
    }
}

/// One increment of the counter of `key` on the facade's current recorder.
fn facade(key: &Key) {
    ::metrics::with_recorder(|recorder| recorder.register_counter(key, &METADATA)).increment(1);
}

/// The key of (`code`, `status`) made for one increment, when the table
/// has no room for it.
#[cold]
fn made(code: &'static str, status: http::StatusCode) -> Key {
    Key::from_parts(KeyName::from_const_str(ERRORS_TOTAL), pair(code, status.as_u16()).to_vec())
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

/// The slot of (`code`, `status`) in `table` ([`KEYS`]) and its key, made
/// if it had none; `None` when the table has no room for it.
#[inline]
fn slot(
    table: &'static [OnceLock<Slot>; SLOTS],
    code: &'static str,
    status: http::StatusCode,
) -> Option<(usize, &'static Key)> {
    let status = status.as_u16();
    // Fibonacci hashing of the code's address and the status.
    let hash = (code.as_ptr() as u64 ^ u64::from(status)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let start = (hash >> 32) as usize;
    for probe in 0..PROBES {
        let index = (start + probe) % SLOTS;
        let slot = table[index].get_or_init(|| Slot {
            code,
            status,
            key: Key::from_static_labels(
                KeyName::from_const_str(ERRORS_TOTAL),
                Box::leak(Box::new(pair(code, status))),
            ),
        });
        if std::ptr::eq(slot.code, code) && slot.status == status {
            return Some((index, &slot.key));
        }
    }
    None
}

/// The key of (`code`, `status`) in `table`; `None` when it has no room.
#[cfg(test)]
fn key(
    table: &'static [OnceLock<Slot>; SLOTS],
    code: &'static str,
    status: http::StatusCode,
) -> Option<&'static Key> {
    slot(table, code, status).map(|(_, key)| key)
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

    /// Through the facade, an increment goes to the current recorder: here
    /// a thread's local recorder, a real Prometheus one, sees each render,
    /// and a recorder made later at the same place sees only its own.
    #[test]
    fn through_the_facade_each_recorder_counts_its_own() {
        use metrics_exporter_prometheus::PrometheusBuilder;
        let series =
            r#"apierror_errors_total{error_code="metrics-test.facade",http_response_status_code="409"} "#;
        for renders in [2, 1] {
            let recorder = PrometheusBuilder::new().build_recorder();
            ::metrics::with_local_recorder(&recorder, || {
                for _ in 0..renders {
                    rendered(&Counting::Facade, "metrics-test.facade", http::StatusCode::CONFLICT);
                }
            });
            let text = recorder.handle().render();
            assert!(text.contains(&format!("{series}{renders}\n")), "{text}");
        }
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
