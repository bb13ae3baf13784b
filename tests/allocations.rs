//! Rendering in production allocates no more often than the hand-written
//! `serde` baseline (`benches/fixtures`), and produces the same bytes. A
//! regression guard that counts allocations, not a timing.

use apierror::Config;

// The benches' fixtures (`benches/fixtures/mod.rs`, their library).
use apierror_benches as fixtures;

mod counting;

/// How many times `f` allocates, after one warm-up call (first calls
/// register `tracing` callsites and the like).
fn allocations<T>(mut f: impl FnMut() -> T) -> usize {
    drop(f());
    counting::of(f)
}

#[test]
fn production_bodies_are_byte_identical_to_the_hand_written_baseline() {
    fixtures::assert_same_responses();
}

#[test]
fn production_renders_allocate_no_more_than_the_hand_written_baseline() {
    let production = Config::production();
    let mut report = Vec::new();
    for (name, err) in fixtures::errors() {
        let ours = allocations(|| fixtures::derive(&err, &production));
        let baseline = allocations(|| fixtures::baseline(&err));
        report.push(format!("{name}: derive {ours}, baseline {baseline}"));
        assert!(ours >= 1, "{name}: the counter sees the body buffer");
        assert!(
            ours <= baseline,
            "{name}: the derive allocates {ours} times per render, the hand-written baseline {baseline}"
        );
    }
    println!("allocations per render: {}", report.join("; "));
}

/// The problem format allocates no more than the array (issue 14,
/// Performance): the same one buffer, sized for the problem's envelope, with
/// and without a request id.
#[test]
fn problems_allocate_no_more_than_the_array() {
    let array = Config::production();
    let problem = Config::production().with_format(apierror::Format::Problem);
    let id = apierror::RequestId::generate();
    for (name, err) in fixtures::errors() {
        let ours = allocations(|| fixtures::derive(&err, &problem));
        let theirs = allocations(|| fixtures::derive(&err, &array));
        assert!(ours >= 1, "{name}: the counter sees the body buffer");
        assert!(ours <= theirs, "{name}: a problem allocates {ours} times per render, the array {theirs}");
        let ours = allocations(|| apierror::ApiErrorExt::to_response_with_id(&err, &problem, &id));
        let theirs = allocations(|| apierror::ApiErrorExt::to_response_with_id(&err, &array, &id));
        assert!(ours <= theirs, "{name} with an id: a problem allocates {ours} times, the array {theirs}");
    }
}

// --- logging: foreign text is escaped while it is written -------------------

#[derive(Debug, thiserror::Error)]
#[error("connection to {0} refused")]
struct Refused(String);

#[derive(Debug, thiserror::Error, apierror::ApiError)]
enum LoggedError {
    #[error("no thing {0}")]
    #[api(status = 404, code = "alloc-log-404", log = "info")]
    NotFound(String),
    #[error("store unavailable")]
    #[api(status = 503, code = "alloc-log-503")]
    Store(#[source] Refused),
}

/// A subscriber that formats every field of every event into a buffer it
/// owns (allocated once, up front): any allocation while an event is
/// logged is the library's.
struct Formatting {
    out: std::sync::Mutex<String>,
    events: std::sync::atomic::AtomicUsize,
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        use std::fmt::Write as _;
        let _ = write!(self.0, "{}={value:?} ", field.name());
    }
}

impl tracing::Subscriber for Formatting {
    fn register_callsite(&self, _: &'static tracing::Metadata<'static>) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::always()
    }
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut out = self.out.lock().unwrap();
        out.clear();
        event.record(&mut Fields(&mut out));
        self.events.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn logging_an_error_escapes_its_text_without_allocating() {
    use apierror::ApiErrorExt as _;

    let production = Config::production();
    let plain = || LoggedError::Store(Refused("10.0.0.7:5432".into()));
    let hostile = || LoggedError::NotFound("1\n FORGED ERROR line\0".into());
    let unlogged = (
        allocations(|| plain().to_response_with(&production)),
        allocations(|| hostile().to_response_with(&production)),
    );

    let subscriber = std::sync::Arc::new(Formatting {
        out: std::sync::Mutex::new(String::with_capacity(64 * 1024)),
        events: std::sync::atomic::AtomicUsize::new(0),
    });
    let dispatch = tracing::Dispatch::from(std::sync::Arc::clone(&subscriber));
    let (logged, last) = tracing::dispatcher::with_default(&dispatch, || {
        // A callsite another thread registered before this subscriber
        // existed: its cached interest recomputed (see tests/derive.rs).
        tracing::callsite::rebuild_interest_cache();
        let plain = allocations(|| plain().to_response_with(&production));
        let hostile = allocations(|| hostile().to_response_with(&production));
        ((plain, hostile), subscriber.out.lock().unwrap().clone())
    });
    // Each render was logged (twice: warm-up and measure) and formatted...
    assert_eq!(subscriber.events.load(std::sync::atomic::Ordering::SeqCst), 4);
    assert!(last.contains(r"error.message=no thing 1\n FORGED ERROR line\0 "), "{last}");
    // ...at no allocation beyond the render's own.
    assert_eq!(logged, unlogged, "allocations (plain, hostile) with a formatting subscriber vs without");
}

// --- a success through the layers pays only the request id header ------------

/// A success with the request id header allocates exactly as often as one
/// without (`Config::with_request_id_on_success(false)`): the id is the
/// request's own header value, shared, and inserting it allocates nothing.
#[cfg(feature = "axum")]
#[test]
fn an_axum_success_pays_only_the_request_id_header() {
    use tower_service::Service;

    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let count = |config: Config| {
        let mut app = axum::Router::new()
            .route("/ok", axum::routing::get(|| async { "fine" }))
            .layer(apierror::axum::layer_with(config));
        let mut call = || {
            let request =
                http::Request::get("/ok").header("x-request-id", "req-1").body(axum::body::Body::empty());
            runtime.block_on(app.call(request.unwrap())).unwrap()
        };
        let response = call();
        assert_eq!(response.status(), 200);
        let carried = response.headers().get("x-request-id").map(|id| id.to_str().unwrap().to_owned());
        (allocations(call), carried)
    };
    let (on, carried) = count(Config::production());
    assert_eq!(carried.as_deref(), Some("req-1"));
    let (off, carried) = count(Config::production().with_request_id_on_success(false));
    assert_eq!(carried, None);
    assert_eq!(on, off, "a success with the id allocates {on} times, without {off}");
}

/// As [`an_axum_success_pays_only_the_request_id_header`], through the
/// actix-web middleware.
#[cfg(feature = "actix-web")]
#[test]
fn an_actix_success_pays_only_the_request_id_header() {
    use actix_web::test::{call_service, init_service, TestRequest};

    actix_web::rt::System::new().block_on(async {
        let mut counts = Vec::new();
        for config in [Config::production(), Config::production().with_request_id_on_success(false)] {
            let on = config.request_id_on_success();
            let app = init_service(
                actix_web::App::new()
                    .wrap(apierror::actix::middleware_with(config))
                    .route("/ok", actix_web::web::get().to(|| async { "fine" })),
            )
            .await;
            // A header value that shares its bytes, as one a server parsed
            // does (a fresh `from_str` copies, and its first clone shares).
            let id = actix_web::http::header::HeaderValue::from_static("req-1");
            let request =
                || TestRequest::get().uri("/ok").insert_header(("x-request-id", id.clone())).to_request();
            let response = call_service(&app, request()).await;
            assert_eq!(response.status(), 200);
            let carried = response.headers().get("x-request-id").map(|id| id.to_str().unwrap().to_owned());
            assert_eq!(carried.as_deref(), on.then_some("req-1"));
            // Warmed up (actix-web pools its request and response heads,
            // and fills the pools over the first calls), then counted on
            // this thread, where the future is polled.
            for _ in 0..3 {
                drop(call_service(&app, request()).await);
            }
            let before = counting::so_far();
            drop(call_service(&app, request()).await);
            counts.push(counting::so_far() - before);
        }
        assert_eq!(
            counts[0], counts[1],
            "a success with the id allocates {} times, without {}",
            counts[0], counts[1]
        );
    });
}
