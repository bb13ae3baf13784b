//! Criterion benchmark of rendering the three errors, five ways:
//! (a) the derive in production, (b) the derive in development, (c) the
//! hand-written `serde` baseline, (d) `serde_json::json!`, (e) the derive in
//! production with `Format::Problem` (RFC 9457). With the feature
//! `metrics`, (m) is (a) counted by a real Prometheus recorder.
//!
//! `cargo bench --bench render`. Criterion measures the contenders one after
//! the other, so on a shared machine their ratio drifts with the load; the
//! ratio the README reports comes from `benches/paired.rs`.

use std::hint::black_box;

use apierror::{Config, Format};
use criterion::{criterion_group, criterion_main, Criterion};

#[path = "fixtures/mod.rs"]
mod fixtures;

fn render(c: &mut Criterion) {
    fixtures::assert_same_responses();
    let production = Config::production();
    let development = Config::development();
    let problem = Config::production().with_format(Format::Problem);
    for (name, err) in fixtures::errors() {
        let mut group = c.benchmark_group(name);
        group.bench_function("a-derive-production", |b| {
            b.iter(|| fixtures::derive(black_box(&err), black_box(&production)));
        });
        group.bench_function("b-derive-development", |b| {
            b.iter(|| fixtures::derive(black_box(&err), black_box(&development)));
        });
        group.bench_function("c-hand-written-serde", |b| b.iter(|| fixtures::baseline(black_box(&err))));
        group.bench_function("d-serde-json-macro", |b| b.iter(|| fixtures::json_macro(black_box(&err))));
        group.bench_function("e-derive-problem", |b| {
            b.iter(|| fixtures::derive(black_box(&err), black_box(&problem)));
        });
        #[cfg(feature = "metrics")]
        {
            let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
            group.bench_function("m-derive-counted", |b| {
                metrics::with_local_recorder(&recorder, || {
                    b.iter(|| fixtures::derive(black_box(&err), black_box(&production)));
                });
            });
        }
        group.finish();
    }
}

criterion_group!(benches, render);
criterion_main!(benches);
