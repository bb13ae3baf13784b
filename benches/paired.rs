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
//! format over the array. With the feature `i18n`: (f) is (a) with
//! translations, rendered for a request whose language (German) was
//! negotiated; (g) the same configuration for a request in the default
//! language; (h) is (f) with the request's scope entered and its
//! `Accept-Language` negotiated for every render (what a request pays in
//! all). (f)/(a) is the cost of a translated render.
//!
//! With the feature `metrics`, (m) is (a) counted by a real Prometheus
//! recorder (`metrics-exporter-prometheus`, installed for the render's
//! thread): its ratio against (a) is the counter's cost over a render whose
//! increment finds no recorder.
//!
//! `paired count <a|…|h|m> <error> <n>`: renders one error `n` times with
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
    #[cfg(feature = "i18n")]
    Translated,
    #[cfg(feature = "i18n")]
    TranslationsDefault,
    #[cfg(feature = "i18n")]
    TranslatedPerRequest,
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

    #[cfg(feature = "i18n")]
    const TRANSLATED: [Self; 3] = [Self::Translated, Self::TranslationsDefault, Self::TranslatedPerRequest];
    #[cfg(not(feature = "i18n"))]
    const TRANSLATED: [Self; 0] = [];

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().chain(Self::TRANSLATED).find(|contender| contender.letter() == name)
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
            #[cfg(feature = "i18n")]
            Self::Translated => "f",
            #[cfg(feature = "i18n")]
            Self::TranslationsDefault => "g",
            #[cfg(feature = "i18n")]
            Self::TranslatedPerRequest => "h",
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
            #[cfg(feature = "i18n")]
            Self::Translated => "(f) translated (de)",
            #[cfg(feature = "i18n")]
            Self::TranslationsDefault => "(g) translations, en",
            #[cfg(feature = "i18n")]
            Self::TranslatedPerRequest => "(h) (f) + negotiation",
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
        #[cfg(feature = "i18n")]
        if Self::TRANSLATED.iter().any(|translated| translated.letter() == self.letter()) {
            return self.run_translated(err, n);
        }
        for _ in 0..n {
            let response = match self {
                Self::DeriveProduction => fixtures::derive(black_box(err), black_box(&production)),
                Self::DeriveDevelopment => fixtures::derive(black_box(err), black_box(&development)),
                Self::Baseline => fixtures::baseline(black_box(err)),
                Self::JsonMacro => fixtures::json_macro(black_box(err)),
                Self::DeriveProblem => fixtures::derive(black_box(err), black_box(&problem)),
                #[cfg(feature = "metrics")]
                Self::DeriveCounted => unreachable!("counted above"),
                #[cfg(feature = "i18n")]
                _ => unreachable!("rendered by `run_translated`"),
            };
            black_box(response);
        }
    }

    /// [`run`](Self::run) for (f), (g), (h): a function of its own, so that
    /// the other contenders' loop is compiled as without the feature.
    #[cfg(feature = "i18n")]
    #[inline(never)]
    fn run_translated(self, err: &fixtures::ColumnError, n: usize) {
        match self {
            Self::Translated | Self::TranslationsDefault => {
                let translated = fixtures::translated();
                let language = if matches!(self, Self::Translated) { "de-CH, en;q=0.5" } else { "en-US" };
                apierror::i18n::with_accept_language(language, || {
                    for _ in 0..n {
                        black_box(fixtures::derive(black_box(err), black_box(&translated)));
                    }
                });
            }
            Self::TranslatedPerRequest => {
                let translated = fixtures::translated();
                for _ in 0..n {
                    let response = apierror::i18n::with_accept_language(black_box("de-CH, en;q=0.5"), || {
                        fixtures::derive(black_box(err), black_box(&translated))
                    });
                    black_box(response);
                }
            }
            _ => unreachable!("an untranslated contender"),
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
            println!("{}", summary.line(name, contender.describe()));
        }
        // The problem format against the array, paired the same way.
        let pair = [Contender::DeriveProduction, Contender::DeriveProblem];
        let summaries = rounds::paired(pair.len(), ROUNDS, 0, |index| pair[index].time(&err));
        let summary = &summaries[1];
        println!("{}", summary.line(name, "(e)/(a) problem/array"));
        // The counter against a render whose increment finds no recorder,
        // and a translated render against the same untranslated one.
        #[cfg(feature = "metrics")]
        let counted = [Contender::DeriveCounted];
        #[cfg(not(feature = "metrics"))]
        let counted: [Contender; 0] = [];
        for contender in Contender::TRANSLATED.into_iter().chain(counted) {
            let pair = [Contender::DeriveProduction, contender];
            let summaries = rounds::paired(pair.len(), ROUNDS, 0, |index| pair[index].time(&err));
            let summary = &summaries[1];
            println!("{}", summary.line(name, &format!("{}/(a)", &contender.describe()[..3])));
        }
    }
}

fn main() {
    fixtures::assert_same_responses();
    // `cargo bench` adds `--bench`; flags are not ours.
    let args: Vec<String> = std::env::args().skip(1).filter(|arg| !arg.starts_with("--")).collect();
    match args.as_slice() {
        [] => {
            #[cfg(feature = "i18n")]
            fixtures::assert_translated();
            paired();
        }
        [mode, contender, error, n] if mode == "count" => {
            let contender =
                Contender::parse(contender).expect("contender: a to e (f, g, h with i18n; m with metrics)");
            #[cfg(feature = "metrics")]
            prometheus();
            #[cfg(feature = "i18n")]
            if Contender::TRANSLATED.iter().any(|translated| translated.letter() == contender.letter()) {
                fixtures::assert_translated();
            }
            let (_, err) = fixtures::errors()
                .into_iter()
                .find(|(name, _)| name.starts_with(error.as_str()))
                .expect("error: 409, 400 or 503");
            contender.run(&err, n.parse().expect("n: a count"));
        }
        _ => panic!("usage: paired [count <a|b|c|d|e|f|g|h|m> <409|400|503> <n>]"),
    }
}
