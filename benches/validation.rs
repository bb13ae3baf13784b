//! Benchmark of the validation budget (issues 11 and 19): converting a
//! validator report of 10 violations into a rendered body, against 10
//! errors rendering the same body, byte for byte (asserted), through
//! `Errors`.
//!
//! `cargo bench --bench validation --features validator`: first paired
//! rounds (each contender timed in turn, the order rotating, the ratio to
//! (f) taken per round: robust to a shared machine's load; see
//! `fixtures/rounds.rs`), then criterion's medians of the same contenders.
//! `validation count <a..g> <n>` runs one contender `n` times, for
//! callgrind (see `benches/README.md`, Validation).

use std::hint::black_box;
use std::time::Instant;

use apierror::{ApiError, Config, Details, Entry, Errors};
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

/// (f), the budget: ten errors rendering exactly (a)'s body, byte for byte
/// (asserted): the library's codes, messages, paths and limits. Written as
/// the derive writes an error type (its entries in one static array, a
/// `match` to the index, the `field` from a field as `#[api(field)]` gives
/// it, each limit through `details_member`'s `Details::member`), by hand
/// only because the derive refuses the library's `apierror.` codes; (g),
/// derived with codes of the same length, counts the same instructions.
#[derive(Debug)]
enum SameBody {
    Length { field: &'static str, min: i64, max: i64 },
    Range { field: &'static str, min: i64, max: i64 },
}

/// `SameBody`'s entries, as the derive declares them (not registered: the
/// library registers these codes).
static SAME_BODY: [Entry; 2] = [
    Entry::builder("apierror.validation.length", 400, "SameBody")
        .variant("Length")
        .message("The value is too short or too long.")
        .location(module_path!(), file!(), line!())
        .build(),
    Entry::builder("apierror.validation.range", 400, "SameBody")
        .variant("Range")
        .message("The value is out of the allowed range.")
        .location(module_path!(), file!(), line!())
        .build(),
];

impl std::fmt::Display for SameBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Length { .. } => "bad length",
            Self::Range { .. } => "out of range",
        })
    }
}

impl std::error::Error for SameBody {}

impl ApiError for SameBody {
    fn entry(&self) -> &'static Entry {
        let index = match self {
            Self::Length { .. } => 0,
            Self::Range { .. } => 1,
        };
        &SAME_BODY[index]
    }

    fn field(&self) -> Option<&str> {
        let (Self::Length { field, .. } | Self::Range { field, .. }) = self;
        Some(field)
    }

    fn write_public_message(&self, out: &mut dyn std::fmt::Write) -> std::fmt::Result {
        out.write_str(self.entry().production_message())
    }

    fn write_details(&self, details: &mut Details<'_>) {
        let (Self::Length { min, max, .. } | Self::Range { min, max, .. }) = self;
        details.member("min", min);
        details.member("max", max);
    }
}

/// The paths of (a)'s violations, in the body's order.
const PATHS: [[&str; 2]; 5] = [
    ["items[0].quantity", "items[0].sku"],
    ["items[1].quantity", "items[1].sku"],
    ["items[2].quantity", "items[2].sku"],
    ["items[3].quantity", "items[3].sku"],
    ["items[4].quantity", "items[4].sku"],
];

/// The ten errors of (f), pushed through `Errors`.
fn same_body() -> Errors {
    let mut errors = Errors::new();
    for [quantity, sku] in PATHS {
        errors.push(SameBody::Range { field: quantity, min: 1, max: 99 });
        errors.push(SameBody::Length { field: sku, min: 3, max: 20 });
    }
    errors
}

/// (g): derived errors whose body is as long as (a)'s, with codes of the
/// same length as the library's (`benchval.` for `apierror.`) and the rest
/// the same: a check that (f)'s hand-written impl costs what derived code
/// costs.
#[derive(Debug, thiserror::Error, ApiError)]
enum Derived {
    #[error("bad length")]
    #[api(
        status = 400,
        code = "benchval.validation.length",
        message = "The value is too short or too long."
    )]
    Length {
        #[api(field)]
        field: &'static str,
        #[api(details)]
        min: i64,
        #[api(details)]
        max: i64,
    },
    #[error("out of range")]
    #[api(
        status = 400,
        code = "benchval.validation.range",
        message = "The value is out of the allowed range."
    )]
    Range {
        #[api(field)]
        field: &'static str,
        #[api(details)]
        min: i64,
        #[api(details)]
        max: i64,
    },
}

/// The ten errors of (g), pushed through `Errors`.
fn derived_same_length() -> Errors {
    let mut errors = Errors::new();
    for [quantity, sku] in PATHS {
        errors.push(Derived::Range { field: quantity, min: 1, max: 99 });
        errors.push(Derived::Length { field: sku, min: 3, max: 20 });
    }
    errors
}

/// The bodies of (a), (f) and (g) (production): (f)'s is (a)'s, byte for
/// byte, and (g)'s the same but for its codes' prefix.
fn assert_same_bodies(report: &validator::ValidationErrors, production: &Config) {
    assert_eq!(Errors::from(report).len(), 10);
    let a = Errors::from(report).to_response_with(production).into_body();
    let f = same_body().to_response_with(production).into_body();
    assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&f), "(f) renders (a)'s body");
    let g = String::from_utf8(derived_same_length().to_response_with(production).into_body()).unwrap();
    assert_eq!(
        g.replace("\"benchval.", "\"apierror."),
        String::from_utf8_lossy(&a),
        "(g): (a)'s body but its codes"
    );
}

/// 5 items, both rules broken: 10 violations.
fn report() -> validator::ValidationErrors {
    let order = Order { items: (0..5).map(|_| Item { sku: "x".into(), quantity: 0 }).collect() };
    order.validate().unwrap_err()
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
    assert_same_bodies(&report, &production);
    let contenders: [(&str, &dyn Fn()); 7] = [
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
        ("(f) 10 errors, (a)'s body (budget)", &|| {
            black_box(black_box(same_body()).to_response_with(black_box(&production)));
        }),
        ("(g) 10 derived, (a)'s length", &|| {
            black_box(black_box(derived_same_length()).to_response_with(black_box(&production)));
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
    // The budget: (a) against (f), the same body.
    let summaries = rounds::paired(contenders.len(), ROUNDS, 5, time);
    println!("paired rounds: {ROUNDS} rounds of {BATCH} per contender, order rotating");
    println!("{:<36} {:>10} {:>10} {:>17}", "contender", "median ns", "ratio/(f)", "ratio middle half");
    for ((name, _), summary) in contenders.iter().zip(summaries) {
        println!(
            "{name:<36} {:>10.1} {:>10.3} {:>17}",
            summary.median_ns,
            summary.ratio,
            summary.middle_half(),
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
    group.bench_function("f-ten-errors-same-body", |b| {
        b.iter(|| black_box(same_body()).to_response_with(black_box(&production)));
    });
    group.bench_function("g-ten-derived-errors-same-length", |b| {
        b.iter(|| black_box(derived_same_length()).to_response_with(black_box(&production)));
    });
    group.finish();
}

criterion_group!(benches, validation);

/// Runs contender `letter` (a to g) `n` times and returns: the fixed-count
/// mode that callgrind counts (see `benches/README.md`, Validation). Only
/// what the contender uses is made before it runs, so that it runs on the
/// same heap whatever the others' data (glibc's cost for an allocation
/// depends on what was freed before it); the bodies are compared after.
#[inline(never)]
fn count(letter: &str, n: usize) {
    let production = Config::production();
    let report = matches!(letter, "a" | "c" | "d").then(report);
    let converted = report.as_ref().filter(|_| letter == "d").map(Errors::from);
    let prebuilt = (letter == "e").then(derived);
    for _ in 0..n {
        match (letter, &report, &converted, &prebuilt) {
            ("a", Some(report), ..) => {
                drop(black_box(Errors::from(black_box(report)).to_response_with(black_box(&production))));
            }
            ("b", ..) => drop(black_box(black_box(derived()).to_response_with(black_box(&production)))),
            ("c", Some(report), ..) => drop(black_box(Errors::from(black_box(report)))),
            ("d", _, Some(converted), _) => {
                drop(black_box(black_box(converted).to_response_with(black_box(&production))));
            }
            ("e", .., Some(prebuilt)) => {
                drop(black_box(black_box(prebuilt).to_response_with(black_box(&production))))
            }
            ("f", ..) => drop(black_box(black_box(same_body()).to_response_with(black_box(&production)))),
            ("g", ..) => {
                drop(black_box(black_box(derived_same_length()).to_response_with(black_box(&production))))
            }
            _ => panic!("contender: a to g"),
        }
    }
    drop((report, converted, prebuilt));
    assert_same_bodies(&self::report(), &production);
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
        _ => panic!("usage: validation [count <a..g> <n>]"),
    }
}
