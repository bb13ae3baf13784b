//! Criterion benchmark of the issue 11 budget: converting a validator report
//! of 10 violations into a rendered body, against rendering 10 derived
//! errors through `Errors` (the same number of objects, with fields).
//!
//! `cargo bench --bench validation --features validator`: first paired
//! rounds (each contender timed in turn, the order rotating, the ratio to
//! (b) taken per round: robust to a shared machine's load; see
//! `fixtures/rounds.rs`), then criterion's medians of the same contenders.

use std::hint::black_box;
use std::time::Instant;

use apierror::{ApiError, Config, Errors};
use criterion::{criterion_group, Criterion};
use validator::Validate;

#[path = "fixtures/rounds.rs"]
mod rounds;

#[derive(Debug, Validate)]
struct Item {
    #[validate(length(min = 3, max = 20))]
    sku: String,
    #[validate(range(min = 1, max = 99))]
    quantity: i64,
}

#[derive(Debug, Validate)]
struct Order {
    #[validate(nested)]
    items: Vec<Item>,
}

/// Ten derived errors with a field each: the baseline.
#[derive(Debug, thiserror::Error, ApiError)]
enum OrderError {
    #[error("bad sku")]
    #[api(
        status = 400,
        code = "bench-validation.sku",
        field = "sku",
        message = "The SKU is too short or too long."
    )]
    Sku,
    #[error("bad quantity")]
    #[api(
        status = 400,
        code = "bench-validation.quantity",
        field = "quantity",
        message = "The quantity is out of range."
    )]
    Quantity,
}

/// (f): derived errors whose objects are as long as the violations' (the
/// same message, code and field lengths, `details` with `min` and `max`),
/// to tell the cost of the conversion from that of a bigger body.
#[derive(Debug, thiserror::Error, ApiError)]
enum SameBody {
    #[error("bad sku")]
    #[api(
        status = 400,
        code = "benchval.validation.length",
        field = "items[0].sku",
        message = "The value is too short or too long."
    )]
    Sku {
        #[api(details)]
        min: i64,
        #[api(details)]
        max: i64,
    },
    #[error("bad quantity")]
    #[api(
        status = 400,
        code = "benchval.validation.range",
        field = "items[0].quantity",
        message = "The value is out of the allowed range."
    )]
    Quantity {
        #[api(details)]
        min: i64,
        #[api(details)]
        max: i64,
    },
}

/// The ten errors of (f), pushed through `Errors`.
fn same_body() -> Errors {
    let mut errors = Errors::new();
    for _ in 0..5 {
        errors.push(SameBody::Sku { min: 3, max: 20 });
        errors.push(SameBody::Quantity { min: 1, max: 99 });
    }
    errors
}

/// 5 items, both rules broken: 10 violations.
fn report() -> validator::ValidationErrors {
    let order = Order { items: (0..5).map(|_| Item { sku: "x".into(), quantity: 0 }).collect() };
    let report = order.validate().unwrap_err();
    assert_eq!(Errors::from(&report).len(), 10);
    report
}

/// The ten derived errors of (b), pushed through `Errors`.
fn derived() -> Errors {
    let mut errors = Errors::new();
    for _ in 0..5 {
        errors.push(OrderError::Sku);
        errors.push(OrderError::Quantity);
    }
    errors
}

const ROUNDS: usize = 1001;
const BATCH: usize = 200;

/// Paired rounds of (a) to (e), ratios to (b).
fn paired() {
    let production = Config::production();
    let report = report();
    let converted = Errors::from(&report);
    let prebuilt = derived();
    let same = same_body().to_response_with(&production).into_body();
    assert_eq!(same.len(), converted.to_response_with(&production).body().len(), "(f) as long as (a)");
    let contenders: [(&str, &dyn Fn()); 6] = [
        ("(a) validator report to body", &|| {
            black_box(Errors::from(black_box(&report)).to_response_with(black_box(&production)));
        }),
        ("(b) 10 derived errors to body", &|| {
            black_box(black_box(derived()).to_response_with(black_box(&production)));
        }),
        ("(c) report to Errors only", &|| {
            black_box(Errors::from(black_box(&report)));
        }),
        ("(d) render converted only", &|| {
            black_box(black_box(&converted).to_response_with(black_box(&production)));
        }),
        ("(e) render derived only", &|| {
            black_box(black_box(&prebuilt).to_response_with(black_box(&production)));
        }),
        ("(f) 10 derived, same body as (a)", &|| {
            black_box(black_box(same_body()).to_response_with(black_box(&production)));
        }),
    ];
    let time = |index: usize| {
        let start = Instant::now();
        for _ in 0..BATCH {
            contenders[index].1();
        }
        start.elapsed().as_secs_f64() * 1e9 / BATCH as f64
    };
    for index in 0..contenders.len() {
        time(index); // warm up
    }
    let summaries = rounds::paired(contenders.len(), ROUNDS, 1, time);
    println!("paired rounds: {ROUNDS} rounds of {BATCH} per contender, order rotating");
    println!("{:<32} {:>10} {:>10} {:>17}", "contender", "median ns", "ratio/(b)", "ratio middle half");
    for ((name, _), summary) in contenders.iter().zip(summaries) {
        println!(
            "{name:<32} {:>10.1} {:>10.3} {:>17}",
            summary.median_ns,
            summary.ratio,
            format!("{:.3}..{:.3}", summary.ratio_low, summary.ratio_high),
        );
    }
}

fn validation(c: &mut Criterion) {
    let production = Config::production();
    let report = report();
    let mut group = c.benchmark_group("ten-violations");
    group.bench_function("a-validator-report-to-body", |b| {
        b.iter(|| Errors::from(black_box(&report)).to_response_with(black_box(&production)));
    });
    group.bench_function("b-ten-derived-errors-through-errors", |b| {
        b.iter(|| black_box(derived()).to_response_with(black_box(&production)));
    });
    // Where the time goes: each side's conversion (building the `Errors`)
    // and its rendering, apart.
    group.bench_function("c-validator-report-to-errors", |b| {
        b.iter(|| Errors::from(black_box(&report)));
    });
    let converted = Errors::from(&report);
    group.bench_function("d-render-converted-errors", |b| {
        b.iter(|| black_box(&converted).to_response_with(black_box(&production)));
    });
    let derived = derived();
    group.bench_function("e-render-derived-errors", |b| {
        b.iter(|| black_box(&derived).to_response_with(black_box(&production)));
    });
    group.bench_function("f-ten-derived-errors-same-body", |b| {
        b.iter(|| black_box(same_body()).to_response_with(black_box(&production)));
    });
    group.finish();
}

criterion_group!(benches, validation);

/// Runs contender `letter` (a to f) `n` times and returns: the fixed-count
/// mode that `benches/callgrind.sh validation` runs under callgrind.
#[inline(never)]
fn count(letter: &str, n: usize) {
    let production = Config::production();
    let report = report();
    let converted = Errors::from(&report);
    let prebuilt = derived();
    for _ in 0..n {
        match letter {
            "a" => drop(black_box(Errors::from(black_box(&report)).to_response_with(black_box(&production)))),
            "b" => drop(black_box(black_box(derived()).to_response_with(black_box(&production)))),
            "c" => drop(black_box(Errors::from(black_box(&report)))),
            "d" => drop(black_box(black_box(&converted).to_response_with(black_box(&production)))),
            "e" => drop(black_box(black_box(&prebuilt).to_response_with(black_box(&production)))),
            "f" => drop(black_box(black_box(same_body()).to_response_with(black_box(&production)))),
            _ => panic!("contender: a to f"),
        }
    }
}

fn main() {
    // `cargo bench` adds `--bench`; flags are not ours.
    let args: Vec<String> = std::env::args().skip(1).filter(|arg| !arg.starts_with("--")).collect();
    match args.as_slice() {
        [mode, letter, n] if mode == "count" => count(letter, n.parse().expect("n: a count")),
        [] => {
            paired();
            benches();
            Criterion::default().configure_from_args().final_summary();
        }
        _ => panic!("usage: validation [count <a..f> <n>]"),
    }
}
