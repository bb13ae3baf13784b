//! The counter of rendered errors (feature `metrics`), end to end: real
//! servers on loopback, each framework's and the axum example's, a real
//! Prometheus recorder (`metrics-exporter-prometheus`) installed as the
//! process's recorder, and the counts read back from its text, as a
//! scraper reads them. The servers render on their own threads, so a
//! thread-local recorder would not see them: the recorder is the global
//! one, and this binary is its own process. Its tests share the counts, so
//! they take turns ([`lock`]) and each asserts what its own requests added.

#[cfg(any(feature = "axum", feature = "actix-web"))]
#[path = "../web/mod.rs"]
mod web;

mod actix;
mod axum;

use std::sync::{Mutex, MutexGuard, OnceLock};

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// The process's recorder, installed on first use (`Counters::install`:
/// the facade's recorder), and the [`counters`] on it.
fn installed() -> &'static (PrometheusHandle, apierror::metrics::Counters) {
    static INSTALLED: OnceLock<(PrometheusHandle, apierror::metrics::Counters)> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        (handle, apierror::metrics::Counters::install(recorder).expect("the only recorder"))
    })
}

/// The handle of the process's recorder, for its text.
fn prometheus() -> &'static PrometheusHandle {
    &installed().0
}

/// The counters on the process's recorder, for a configuration that keeps
/// its handles (`Config::with_counters`); a configuration without them
/// counts on the same recorder through the facade.
fn counters() -> apierror::metrics::Counters {
    installed().1.clone()
}

/// One test at a time: each compares the counts before and after its own
/// requests.
fn lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The line of `code` and `status` in the Prometheus text, exactly as the
/// README and the guide show it, without its value.
fn series(code: &str, status: u16) -> String {
    format!("apierror_errors_total{{error_code=\"{code}\",http_response_status_code=\"{status}\"}} ")
}

/// The count of `code` answered with `status` in the Prometheus `text`; 0
/// when it has no line.
fn count_in(text: &str, code: &str, status: u16) -> u64 {
    let series = series(code, status);
    text.lines()
        .find_map(|line| line.strip_prefix(&series))
        .map_or(0, |value| value.parse().expect("a count"))
}

/// The sum of every series of the counter in the Prometheus `text`.
fn total_in(text: &str) -> u64 {
    text.lines()
        .filter(|line| line.starts_with("apierror_errors_total{"))
        .map(|line| line.rsplit(' ').next().expect("a value").parse::<u64>().expect("a count"))
        .sum()
}

/// The counts of every series and their total, before some requests;
/// [`Counts::added`] tells what those requests added.
struct Counts(String);

impl Counts {
    fn now() -> Self {
        Self(prometheus().render())
    }

    /// What was counted since `self` for `code` answered with `status`.
    fn added(&self, code: &str, status: u16) -> u64 {
        count_in(&prometheus().render(), code, status) - count_in(&self.0, code, status)
    }

    /// What was counted since `self`, every series together.
    fn added_in_all(&self) -> u64 {
        total_in(&prometheus().render()) - total_in(&self.0)
    }
}

/// What both frameworks' servers answer, counted: a team's 409, the 404 of
/// the fallback, a 405, an extractor's rejection, the 500 of a panic and
/// the two errors of one `Errors` body (each once, with its own code and
/// status; the body's 400 is no error of its own); a success counts
/// nothing.
#[cfg(any(feature = "axum", feature = "actix-web"))]
async fn scenario(c: &web::Client) {
    let before = Counts::now();
    let created = c.json("POST", "/api/things", r#"{"name": "lamp", "rating_out_of_five": 4}"#).await;
    assert_eq!(created.status, 201);
    assert_eq!(c.get(&format!("/api/things/{}", created.json()["id"])).await.status, 200);
    assert_eq!(before.added_in_all(), 0, "a success counts nothing");

    let duplicate = c.json("POST", "/api/things", r#"{"name": "lamp", "rating_out_of_five": 1}"#).await;
    assert_eq!(duplicate.code().0, 409);
    assert_eq!(c.get("/no/such/route").await.code().0, 404);
    assert_eq!(c.get("/api/things").await.code().0, 405);
    assert_eq!(c.json("POST", "/api/things", "{").await.code().0, 400);
    assert_eq!(c.get("/test/panic").await.code().0, 500);
    let several = c.get("/test/errors").await;
    assert_eq!((several.status, web::assert_common_body(&several).len()), (400, 2));

    assert_eq!(before.added("things.duplicate_name", 409), 2);
    assert_eq!(before.added("apierror.not_found", 404), 1);
    assert_eq!(before.added("apierror.method_not_allowed", 405), 1);
    assert_eq!(before.added("apierror.invalid_json", 400), 1);
    assert_eq!(before.added("apierror.internal", 500), 1);
    assert_eq!(before.added("things.rating_out_of_range", 422), 1);
    assert_eq!(before.added_in_all(), 7, "{}", prometheus().render());
}

/// The `Errors` of the `/test/errors` routes: a 409 and a 422, answered
/// 400.
fn two_errors() -> apierror::Errors {
    use apierror_examples::things::ThingError;
    let mut errors = apierror::Errors::new();
    errors.push(ThingError::DuplicateName);
    errors.push(ThingError::RatingOutOfRange { given: 9 });
    errors
}

#[test]
fn the_counter_is_one_prometheus_series_per_code_and_status() {
    let _turn = lock();
    let prometheus = prometheus();
    let before = Counts::now();
    let err = apierror_examples::things::ThingError::NegativeVotes { id: 1, would_be: -1 };
    // Through the facade, and on the kept handles: one series.
    let kept = apierror::Config::production().with_counters(counters());
    for config in [apierror::Config::production(), kept.clone(), kept] {
        apierror::ApiErrorExt::to_response_with(&err, &config);
    }
    assert_eq!(before.added("things.negative_votes", 422), 3);
    let text = prometheus.render();
    assert!(text.contains("# TYPE apierror_errors_total counter\n"), "{text}");
    // `Counters::install` described the counter.
    assert!(text.contains("# HELP apierror_errors_total Errors rendered by apierror"), "{text}");
    // A second recorder is refused, given back, and changes nothing.
    let refused = apierror::metrics::Counters::install(PrometheusBuilder::new().build_recorder());
    let second = refused.expect_err("one recorder per program").into_inner().handle();
    apierror::ApiErrorExt::to_response_with(&err, &apierror::Config::production());
    assert_eq!(before.added("things.negative_votes", 422), 4);
    assert_eq!(count_in(&second.render(), "things.negative_votes", 422), 0);
}

/// Counters count on their own recorder, wherever the facade's macros go:
/// under a thread's local recorder, a configuration with counters counts
/// on theirs, one without on the local one, like the team's own metric.
#[test]
fn counters_count_on_their_recorder_the_facade_on_the_current_one() {
    let _turn = lock();
    prometheus();
    let before = Counts::now();
    let local = PrometheusBuilder::new().build_recorder();
    let err = apierror_examples::things::ThingError::NegativeVotes { id: 2, would_be: -3 };
    metrics::with_local_recorder(&local, || {
        apierror::ApiErrorExt::to_response_with(
            &err,
            &apierror::Config::production().with_counters(counters()),
        );
        apierror::ApiErrorExt::to_response_with(&err, &apierror::Config::production());
        metrics::counter!("a_team_metric").increment(1);
    });
    assert_eq!(before.added("things.negative_votes", 422), 1);
    let local = local.handle().render();
    assert_eq!(count_in(&local, "things.negative_votes", 422), 1, "{local}");
    assert!(local.contains("a_team_metric 1"), "{local}");
}

/// Counters on a recorder of their own, not the facade's: each counts
/// what its configurations render, and a second `Counters` on another
/// recorder never sees the first one's handles.
#[test]
fn counters_on_two_recorders_keep_apart() {
    use std::sync::Arc;
    let err = apierror_examples::things::ThingError::NegativeVotes { id: 3, would_be: -1 };
    for renders in [2, 1] {
        let recorder = Arc::new(PrometheusBuilder::new().build_recorder());
        let config = apierror::Config::production()
            .with_counters(apierror::metrics::Counters::new(Arc::clone(&recorder)));
        for _ in 0..renders {
            apierror::ApiErrorExt::to_response_with(&err, &config);
        }
        assert_eq!(count_in(&recorder.handle().render(), "things.negative_votes", 422), renders);
    }
}

/// A `Display` that panics, in the message of [`PanicsInMessage`].
#[derive(Debug)]
struct Explodes;

impl std::fmt::Display for Explodes {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        panic!("display exploded (expected by the metrics test)")
    }
}

#[derive(Debug, thiserror::Error, apierror::ApiError)]
#[error("boom")]
#[api(status = 422, code = "metrics-test.panics", message = "Value {0} is invalid.")]
struct PanicsInMessage(Explodes);

#[test]
fn what_counts_is_each_error_object_once() {
    use apierror::{ApiErrorExt as _, Config, Format};
    let _turn = lock();
    prometheus();
    let before = Counts::now();
    // A problem holding two errors: the two, not its top level (a 400
    // `apierror.bad_request`).
    let problem = Config::production().with_format(Format::Problem);
    let errors = two_errors().to_response_with(&problem);
    assert_eq!(errors.status(), 400);
    assert_eq!(before.added("things.duplicate_name", 409), 1);
    assert_eq!(before.added("things.rating_out_of_range", 422), 1);
    assert_eq!(before.added("apierror.bad_request", 400), 0);
    // A render that panics answers the fallback body, counted once.
    let response = PanicsInMessage(Explodes).to_response_with(&Config::production());
    assert_eq!(response.status(), 422);
    assert_eq!(before.added("metrics-test.panics", 422), 1);
    assert_eq!(before.added_in_all(), 3);
}
