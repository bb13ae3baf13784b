//! Criterion benchmark of the issue 11 budget: converting a validator report
//! of 10 violations into a rendered body, against rendering 10 derived
//! errors through `Errors` (the same number of objects, with fields).
//!
//! `cargo bench --bench validation --features validator`.

use std::hint::black_box;

use apierror::{ApiError, Config, Errors};
use criterion::{criterion_group, criterion_main, Criterion};
use validator::Validate;

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

fn validation(c: &mut Criterion) {
    let production = Config::production();
    // 5 items, both rules broken: 10 violations.
    let order = Order { items: (0..5).map(|_| Item { sku: "x".into(), quantity: 0 }).collect() };
    let report = order.validate().unwrap_err();
    assert_eq!(Errors::from(&report).len(), 10);
    let mut group = c.benchmark_group("ten-violations");
    group.bench_function("a-validator-report-to-body", |b| {
        b.iter(|| Errors::from(black_box(&report)).to_response_with(black_box(&production)));
    });
    group.bench_function("b-ten-derived-errors-through-errors", |b| {
        b.iter(|| {
            let mut errors = Errors::new();
            for _ in 0..5 {
                errors.push(OrderError::Sku);
                errors.push(OrderError::Quantity);
            }
            black_box(&errors).to_response_with(black_box(&production))
        });
    });
    group.finish();
}

criterion_group!(benches, validation);
criterion_main!(benches);
