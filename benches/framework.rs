//! What the framework integrations add to rendering: paired ratios of the
//! axum and actix-web responses against `to_response_with` for the same
//! error, and against the way the issue measured as 2× (the body serialized
//! through `axum::Json`).
//!
//! `cargo bench --bench framework --features axum,actix-web`: rounds in
//! which every contender answers the error `BATCH` times, in an order that
//! rotates from round to round; the report is the median per-round ratio to
//! (r), with the middle half of the ratios, and the median time.

use std::hint::black_box;
use std::time::Instant;

use apierror::{ApiError, ApiErrorExt, Config};
use axum::response::IntoResponse;

#[path = "fixtures/mod.rs"]
#[allow(dead_code)]
mod fixtures;
#[path = "fixtures/rounds.rs"]
mod rounds;

const ROUNDS: usize = 1001;
const BATCH: usize = 200;

/// The common body as a serde struct: what a hand-rolled `axum::Json`
/// answer would serialize.
#[derive(serde::Serialize)]
struct Object<'a> {
    message: std::borrow::Cow<'a, str>,
    error_code: &'a str,
    field: Option<&'a str>,
    details: Option<()>,
}

#[derive(Clone, Copy)]
enum Contender {
    Render,
    Axum,
    AxumJson,
    Actix,
}

impl Contender {
    const ALL: [Self; 4] = [Self::Render, Self::Axum, Self::AxumJson, Self::Actix];

    fn describe(self) -> &'static str {
        match self {
            Self::Render => "(r) to_response_with",
            Self::Axum => "(x) apierror::axum",
            Self::AxumJson => "(j) through axum::Json",
            Self::Actix => "(w) apierror::actix",
        }
    }

    #[inline(never)]
    fn run(self, err: &fixtures::ColumnError, n: usize) {
        let production = Config::production();
        for _ in 0..n {
            let err = black_box(err);
            match self {
                Self::Render => drop(black_box(err.to_response_with(black_box(&production)))),
                Self::Axum => drop(black_box(apierror::axum::response(err))),
                Self::AxumJson => {
                    let body = [Object {
                        message: err.public_message(),
                        error_code: err.code(),
                        field: err.field(),
                        details: None,
                    }];
                    drop(black_box((err.status(), axum::Json(body)).into_response()));
                }
                Self::Actix => drop(black_box(apierror::actix::response(err))),
            }
        }
    }

    fn time(self, err: &fixtures::ColumnError) -> f64 {
        let start = Instant::now();
        self.run(err, BATCH);
        start.elapsed().as_secs_f64() * 1e9 / BATCH as f64
    }
}

fn main() {
    apierror::configure(Config::production()).expect("configured once");
    println!("paired rounds: {ROUNDS} rounds of {BATCH} answers per contender, order rotating");
    println!(
        "{:<26} {:<24} {:>12} {:>10} {:>19}",
        "error", "contender", "median ns", "ratio/(r)", "ratio middle half"
    );
    // The 409 with a fixed message and a field: the common case.
    let (name, err) = fixtures::errors().into_iter().next().unwrap();
    for contender in Contender::ALL {
        contender.run(&err, BATCH); // warm up
    }
    let summaries = rounds::paired(Contender::ALL.len(), ROUNDS, 0, |index| Contender::ALL[index].time(&err));
    for (contender, summary) in Contender::ALL.into_iter().zip(summaries) {
        println!("{}", summary.line(name, contender.describe()));
    }
}
