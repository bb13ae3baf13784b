//! Paired ratios of the render contenders, robust to a shared machine's
//! drifting load, and a fixed-count mode for `valgrind --tool=callgrind`.
//!
//! `cargo bench --bench paired`: for each of the three errors, runs
//! rounds in which every contender renders the error `BATCH` times, in an
//! order that rotates from round to round; each round gives each contender's
//! time relative to the hand-written baseline (c) in that same round, and the
//! report is the median of those per-round ratios (with the middle half of
//! them), plus the median time per render. (e) is the derive in production
//! with `Format::Problem`: its ratio against (a) is the cost of the problem
//! format over the array.
//!
//! With the feature `metrics`, (m) is (a) counted by a real Prometheus
//! recorder (`metrics-exporter-prometheus`, installed for the render's
//! thread): its ratio against (a) is the counter's cost over a render whose
//! increment finds no recorder.
//!
//! `paired count <a|b|c|d|e|m> <error> <n>`: renders one error `n` times with
//! one contender and exits; `benches/callgrind.sh` differences two counts to
//! get instructions per render.

use std::hint::black_box;
use std::time::Instant;

use apierror::{Config, Format};

#[path = "fixtures/mod.rs"]
mod fixtures;
#[path = "fixtures/rounds.rs"]
mod rounds;

const ROUNDS: usize = 2001;

/// The recorder of (m), made once, before anything is counted: making one
/// calibrates a clock, for a time that varies from run to run.
#[cfg(feature = "metrics")]
fn prometheus() -> &'static metrics_exporter_prometheus::PrometheusRecorder {
    static RECORDER: std::sync::OnceLock<metrics_exporter_prometheus::PrometheusRecorder> =
        std::sync::OnceLock::new();
    RECORDER.get_or_init(|| metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder())
}
const BATCH: usize = 200;

#[derive(Clone, Copy)]
enum Contender {
    DeriveProduction,
    DeriveDevelopment,
    Baseline,
    JsonMacro,
    DeriveProblem,
    #[cfg(feature = "metrics")]
    DeriveCounted,
}

impl Contender {
    const ALL: &[Self] = &[
        Self::DeriveProduction,
        Self::DeriveDevelopment,
        Self::Baseline,
        Self::JsonMacro,
        Self::DeriveProblem,
        #[cfg(feature = "metrics")]
        Self::DeriveCounted,
    ];

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|contender| contender.letter() == name)
    }

    fn letter(self) -> &'static str {
        match self {
            Self::DeriveProduction => "a",
            Self::DeriveDevelopment => "b",
            Self::Baseline => "c",
            Self::JsonMacro => "d",
            Self::DeriveProblem => "e",
            #[cfg(feature = "metrics")]
            Self::DeriveCounted => "m",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::DeriveProduction => "(a) derive, production",
            Self::DeriveDevelopment => "(b) derive, development",
            Self::Baseline => "(c) hand-written serde",
            Self::JsonMacro => "(d) serde_json::json!",
            Self::DeriveProblem => "(e) derive, problem+json",
            #[cfg(feature = "metrics")]
            Self::DeriveCounted => "(m) derive, counted",
        }
    }

    /// Renders `err` `n` times, each response dropped before the next.
    #[inline(never)]
    fn run(self, err: &fixtures::ColumnError, n: usize) {
        #[cfg(feature = "metrics")]
        if let Self::DeriveCounted = self {
            let production = Config::production();
            metrics::with_local_recorder(prometheus(), || {
                for _ in 0..n {
                    black_box(fixtures::derive(black_box(err), black_box(&production)));
                }
            });
            return;
        }
        let production = Config::production();
        let development = Config::development();
        let problem = Config::production().with_format(Format::Problem);
        for _ in 0..n {
            let response = match self {
                Self::DeriveProduction => fixtures::derive(black_box(err), black_box(&production)),
                Self::DeriveDevelopment => fixtures::derive(black_box(err), black_box(&development)),
                Self::Baseline => fixtures::baseline(black_box(err)),
                Self::JsonMacro => fixtures::json_macro(black_box(err)),
                Self::DeriveProblem => fixtures::derive(black_box(err), black_box(&problem)),
                #[cfg(feature = "metrics")]
                Self::DeriveCounted => unreachable!("counted above"),
            };
            black_box(response);
        }
    }

    fn time(self, err: &fixtures::ColumnError) -> f64 {
        let start = Instant::now();
        self.run(err, BATCH);
        start.elapsed().as_secs_f64() * 1e9 / BATCH as f64
    }
}

fn paired() {
    println!("paired rounds: {ROUNDS} rounds of {BATCH} renders per contender, order rotating");
    println!(
        "{:<26} {:<24} {:>12} {:>10} {:>19}",
        "error", "contender", "median ns", "ratio/(c)", "ratio middle half"
    );
    for (name, err) in fixtures::errors() {
        for &contender in Contender::ALL {
            contender.run(&err, BATCH); // warm up
        }
        let baseline = Contender::ALL.iter().position(|c| matches!(c, Contender::Baseline)).unwrap();
        let summaries =
            rounds::paired(Contender::ALL.len(), ROUNDS, baseline, |index| Contender::ALL[index].time(&err));
        for (contender, summary) in Contender::ALL.iter().zip(summaries) {
            println!(
                "{name:<26} {:<24} {:>12.1} {:>10.3} {:>19}",
                contender.describe(),
                summary.median_ns,
                summary.ratio,
                format!("{:.3}..{:.3}", summary.ratio_low, summary.ratio_high),
            );
        }
        // The problem format against the array, paired the same way.
        let pair = [Contender::DeriveProduction, Contender::DeriveProblem];
        let summaries = rounds::paired(pair.len(), ROUNDS, 0, |index| pair[index].time(&err));
        let summary = &summaries[1];
        println!(
            "{name:<26} {:<24} {:>12.1} {:>10.3} {:>19}",
            "(e)/(a) problem/array",
            summary.median_ns,
            summary.ratio,
            format!("{:.3}..{:.3}", summary.ratio_low, summary.ratio_high),
        );
        // The counter against a render whose increment finds no recorder.
        #[cfg(feature = "metrics")]
        {
            let pair = [Contender::DeriveProduction, Contender::DeriveCounted];
            let summaries = rounds::paired(pair.len(), ROUNDS, 0, |index| pair[index].time(&err));
            let summary = &summaries[1];
            println!(
                "{name:<26} {:<24} {:>12.1} {:>10.3} {:>19}",
                "(m)/(a) counted/not",
                summary.median_ns,
                summary.ratio,
                format!("{:.3}..{:.3}", summary.ratio_low, summary.ratio_high),
            );
        }
    }
}

fn main() {
    fixtures::assert_same_responses();
    // `cargo bench` adds `--bench`; flags are not ours.
    let args: Vec<String> = std::env::args().skip(1).filter(|arg| !arg.starts_with("--")).collect();
    match args.as_slice() {
        [] => paired(),
        [mode, contender, error, n] if mode == "count" => {
            let contender = Contender::parse(contender).expect("contender: a, b, c, d, e or m");
            #[cfg(feature = "metrics")]
            prometheus();
            let (_, err) = fixtures::errors()
                .into_iter()
                .find(|(name, _)| name.starts_with(error.as_str()))
                .expect("error: 409, 400 or 503");
            contender.run(&err, n.parse().expect("n: a count"));
        }
        _ => panic!("usage: paired [count <a|b|c|d|e|m> <409|400|503> <n>]"),
    }
}
