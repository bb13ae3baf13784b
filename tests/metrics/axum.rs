//! The counter behind axum: the example's routes with a panicking route and
//! an `Errors` route, served on loopback; and the axum example itself,
//! whose `GET /metrics` shows the count of the 404 it just answered.
#![cfg(feature = "axum")]

use axum::routing::get;
use axum::Router;

use crate::{lock, prometheus, web, Counts};
use apierror_examples::server;

/// The example's default store: SQLite in memory.
async fn store() -> apierror_examples::things::sql::SqlStore {
    let url = apierror_examples::things::sql::DEFAULT_URL;
    apierror_examples::things::sql::SqlStore::connect(url, "things").await.expect("SQLite in memory")
}

async fn panics() -> &'static str {
    panic!("{}", web::PANIC_MESSAGE)
}

async fn errors() -> apierror::Errors {
    crate::two_errors()
}

/// A multi-threaded runtime: the server renders on its worker threads.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime")
}

#[test]
fn errors_are_counted_by_code_and_status() {
    let _turn = lock();
    prometheus();
    runtime().block_on(async {
        let app = server::routes(store().await)
            .merge(Router::new().route("/test/panic", get(panics)).route("/test/errors", get(errors)))
            .fallback(apierror::axum::not_found)
            .layer(apierror::axum::layer_with(
                apierror::Config::production().with_counters(crate::counters()),
            ));
        web::set_up();
        web::serve::axum(app, |address| async move { crate::scenario(&web::Client::new(address)).await })
            .await;
    });
}

/// What the README promises: `cargo run --example server --features
/// axum,metrics`, a 404, then `curl localhost:3000/metrics` shows its
/// count (the example's own app and configuration, with counters on the
/// recorder, as its `main` makes them).
#[test]
fn the_example_serves_the_count_of_its_404_at_metrics() {
    let _turn = lock();
    let handle = prometheus().clone();
    runtime().block_on(async {
        let before = Counts::now();
        web::set_up();
        let config = apierror_examples::config().unwrap().with_counters(crate::counters());
        let app = server::app_with_metrics(store().await, handle, config);
        web::serve::axum(app, |address| async move {
            let c = web::Client::new(address);
            let missing = c.get("/api/things/999").await;
            assert_eq!(missing.code().1, "things.not_found");
            let metrics = c.get("/metrics").await;
            assert_eq!(metrics.status, 200);
            let text = String::from_utf8(metrics.body).expect("text");
            // Exactly this line: nothing else in this process answers
            // `things.not_found`.
            let line =
                "apierror_errors_total{error_code=\"things.not_found\",http_response_status_code=\"404\"} 1";
            assert!(text.lines().any(|l| l == line), "{text}");
            assert_eq!(before.added("things.not_found", 404), 1);
            // Serving the counts is no error, and counts nothing.
            assert_eq!(before.added_in_all(), 1);
        })
        .await;
    });
}
