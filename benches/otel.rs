//! Issue 21's budget for the `opentelemetry` feature: a render inside a
//! request span, with the real SDK's tracer provider installed (the
//! `tracing-opentelemetry` layer over its in-memory exporter), costs at
//! most 1.25 times the same render with no span.
//!
//! Contenders, each rendering the three errors in production:
//! (a) the render alone, no subscriber: what every render costs (the
//! feature's check finds no span); (n) under the SDK's subscriber, outside
//! any span; (o) under the SDK's subscriber, inside an entered span: the
//! render, `error.type`, `http.response.status_code` (and, for the 503, the
//! status) set on the span, and the span's ids read for the event. The
//! subscriber records spans only: the error's log event is whatever the
//! team's subscriber makes of it, the same with the feature off, so it is
//! not part of this budget. One span for the whole run, made before it and
//! ended after it (a request's span is the team's, with or without the
//! feature): past the SDK's limit of 128 attributes a span counts the ones
//! it drops instead of storing them, a cost of the same order as storing.
//!
//! With the feature `metrics` too, the whole of issue 21's budget: (k) is
//! (a) counted by a real Prometheus recorder installed with
//! `apierror::metrics::Counters::install`, the configuration keeping its
//! counter handles (`Config::with_counters`), and (t) is (o)
//! counted so: render + span attributes + counter. Installing is for the
//! whole process, so these two run only in `count` mode, each in its own
//! process (`CALLGRIND_FEATURES=metrics BENCH=otel benches/callgrind.sh a k
//! o t`); the paired rounds compare (a), (n) and (o).
//!
//! (s) is a render in service: the subscriber of the README's setup (a
//! `fmt` layer, here writing to `io::sink`, and the `tracing-opentelemetry`
//! layer), inside an entered span, counted (through `install`) when the
//! feature `metrics` is on: the error's event is written and recorded on
//! the span as a service's is. Built with `--features sdk` alone, the bench
//! has apierror's features off: (s) then is the same service without them,
//! the "render alone" of a service, and the ratio of the two builds' (s) is
//! what the features add to it.
//!
//! `cargo bench --bench otel --features opentelemetry`: paired rounds, (n)
//! and (o) against (a). `otel count <a|n|o|k|t|s> <409|400|503> <n>`: renders
//! one error `n` times and exits, for `benches/callgrind.sh` (`BENCH=otel`).

use std::hint::black_box;
use std::time::Instant;

use apierror::Config;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::Layer as _;

#[path = "fixtures/mod.rs"]
#[allow(dead_code)]
mod fixtures;
#[path = "fixtures/rounds.rs"]
mod rounds;

const ROUNDS: usize = 2001;
const BATCH: usize = 200;

#[derive(Clone, Copy, PartialEq)]
enum Contender {
    Alone,
    NoSpan,
    InSpan,
    Counted,
    Total,
    Service,
}

impl Contender {
    /// The contenders of the paired rounds.
    const PAIRED: [Self; 3] = [Self::Alone, Self::NoSpan, Self::InSpan];
    const ALL: [Self; 6] =
        [Self::Alone, Self::NoSpan, Self::InSpan, Self::Counted, Self::Total, Self::Service];

    fn letter(self) -> &'static str {
        match self {
            Self::Alone => "a",
            Self::NoSpan => "n",
            Self::InSpan => "o",
            Self::Counted => "k",
            Self::Total => "t",
            Self::Service => "s",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::Alone => "(a) render alone",
            Self::NoSpan => "(n) SDK, no span",
            Self::InSpan => "(o) SDK, in a span",
            Self::Counted => "(k) counted, installed",
            Self::Total => "(t) in a span, counted",
            Self::Service => "(s) in service",
        }
    }

    /// Renders `err` `n` times, each response dropped before the next.
    #[inline(never)]
    fn run(self, err: &fixtures::ColumnError, n: usize, sdk: &Sdk) {
        let renders = || {
            for _ in 0..n {
                black_box(fixtures::derive(black_box(err), black_box(&sdk.config)));
            }
        };
        match self {
            Self::Alone | Self::Counted => renders(),
            Self::NoSpan => tracing::dispatcher::with_default(&sdk.dispatch, renders),
            Self::InSpan | Self::Total => {
                tracing::dispatcher::with_default(&sdk.dispatch, || sdk.span.in_scope(renders))
            }
            Self::Service => {
                let (service, span) = sdk.service.as_ref().expect("made for (s)");
                tracing::dispatcher::with_default(service, || span.in_scope(renders))
            }
        }
    }

    fn time(self, err: &fixtures::ColumnError, sdk: &Sdk) -> f64 {
        let start = Instant::now();
        self.run(err, BATCH, sdk);
        start.elapsed().as_secs_f64() * 1e9 / BATCH as f64
    }
}

/// A subscriber as a team installs it, spans exported by the SDK (in
/// memory: the exporter is not what is measured), and the one span (o)
/// renders in, made once so that its creation, export and end are not
/// measured either.
struct Sdk {
    dispatch: tracing::Dispatch,
    span: tracing::Span,
    /// The README's subscriber (events written by `fmt`, to a sink, and
    /// recorded on the span; spans exported) and (s)'s span: made only
    /// for (s), as a live subscriber that takes events makes every other
    /// one's event callsites ask it too.
    service: Option<(tracing::Dispatch, tracing::Span)>,
    /// What the contender renders with: production, counted for (k), (t)
    /// and (s).
    config: Config,
    _provider: SdkTracerProvider,
}

fn sdk(service: bool, config: Config) -> Sdk {
    let provider = SdkTracerProvider::builder().with_simple_exporter(InMemorySpanExporter::default()).build();
    let spans_only = tracing_subscriber::filter::filter_fn(|metadata| metadata.is_span());
    let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("bench")).with_filter(spans_only);
    let dispatch = tracing::Dispatch::new(tracing_subscriber::registry().with(layer));
    let span =
        tracing::dispatcher::with_default(&dispatch, || tracing::info_span!("request", otel.kind = "server"));
    let service = service.then(|| {
        let service = tracing::Dispatch::new(
            tracing_subscriber::registry()
                .with(tracing_subscriber::fmt::layer().with_ansi(false).with_writer(std::io::sink))
                .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("bench"))),
        );
        let span = tracing::dispatcher::with_default(&service, || {
            tracing::info_span!("request", otel.kind = "server")
        });
        (service, span)
    });
    Sdk { dispatch, span, service, config, _provider: provider }
}

fn paired(sdk: &Sdk) {
    println!("paired rounds: {ROUNDS} rounds of {BATCH} renders per contender, order rotating");
    println!(
        "{:<26} {:<24} {:>12} {:>10} {:>19}",
        "error", "contender", "median ns", "ratio/(a)", "ratio middle half"
    );
    for (name, err) in fixtures::errors() {
        for contender in Contender::PAIRED {
            contender.run(&err, BATCH, sdk); // warm up
        }
        let summaries = rounds::paired(Contender::PAIRED.len(), ROUNDS, 0, |index| {
            Contender::PAIRED[index].time(&err, sdk)
        });
        for (contender, summary) in Contender::PAIRED.into_iter().zip(summaries) {
            println!("{}", summary.line(name, contender.describe()));
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|arg| !arg.starts_with("--")).collect();
    match args.as_slice() {
        [] => paired(&sdk(false, Config::production())),
        [mode, contender, error, n] if mode == "count" || mode == "time" => {
            let (contender, err, sdk) = setup(contender, error);
            let n = n.parse().expect("n: a count");
            if mode == "count" {
                contender.run(&err, n, &sdk);
            } else {
                // The median time of one render over `n` batches, for
                // `benches/service.sh`, which alternates two builds.
                contender.run(&err, BATCH, &sdk); // warm up
                let summary = rounds::paired(1, n, 0, |_| contender.time(&err, &sdk));
                println!("{:.1}", summary[0].median_ns);
            }
        }
        _ => panic!("usage: otel [count|time <a|n|o|k|t|s> <409|400|503> <n>]"),
    }
}

/// The contender named `letter`, the error named `error`, and what the
/// contender renders under (its recorder installed, when it is counted).
fn setup(letter: &str, error: &str) -> (Contender, fixtures::ColumnError, Sdk) {
    let contender = Contender::ALL
        .into_iter()
        .find(|c| c.letter() == letter)
        .expect("contender: a, n, o, s (k, t with the feature metrics)");
    let counted = match contender {
        Contender::Counted | Contender::Total => true,
        Contender::Service => cfg!(feature = "metrics"),
        Contender::Alone | Contender::NoSpan | Contender::InSpan => false,
    };
    let config = if counted { counted_config() } else { Config::production() };
    let (_, err) = fixtures::errors()
        .into_iter()
        .find(|(name, _)| name.starts_with(error))
        .expect("error: 409, 400 or 503");
    (contender, err, sdk(contender == Contender::Service, config))
}

/// Installs a Prometheus recorder as a team does, through
/// `apierror::metrics::Counters::install`, before anything is counted: the
/// configuration the counted contenders render with, keeping its handles.
#[cfg(feature = "metrics")]
fn counted_config() -> Config {
    let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
    Config::production()
        .with_counters(apierror::metrics::Counters::install(recorder).expect("the only recorder"))
}

#[cfg(not(feature = "metrics"))]
fn counted_config() -> Config {
    panic!("(k) and (t) need the feature metrics");
}
