//! A small "things" API on axum whose every error answers in the common body.
//!
//! ```sh
//! cargo run --example server --features axum          # listens on 127.0.0.1:3000, or $PORT
//! curl -s localhost:3000/api/things/notAnId
//!
//! # the things in a real database (the table `things` is created if missing):
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo run --example server --features axum
//! DATABASE_URL=mysql://root@127.0.0.1:3306/test        cargo run --example server --features axum
//! DATABASE_URL=sqlite:things.db?mode=rwc               cargo run --example server --features axum
//! ```
//!
//! Without `DATABASE_URL` the things live in SQLite in memory. The schema
//! enforces the rules (a unique name, `things_name_key`; a `CHECK` on the
//! rating) and every request answers the same body on every backend; a
//! stopped database answers 503 `apierror.db.unavailable` (or 504
//! `apierror.db.timeout` when no connection comes within two seconds).
//!
//! - `POST   /api/things`       `{"name": "lamp", "rating_out_of_five": 4}` → 201 and the thing;
//!   a name of 0 or over 100 characters, or a rating outside 0..=5, → 400
//!   (`Valid<Json<NewThing>>`: the rules are declared on `NewThing`)
//! - `GET    /api/things/{id}`  → the thing
//! - `PATCH  /api/things/{id}`  `{"increase_votes_by": 2}` → the thing
//! - `DELETE /api/things/{id}`  → 204
//!
//! Set `APP_ENV=development` to see each error's `debug` member. Errors
//! answer in the client's language (`locales/`, English and German):
//! `curl -s localhost:3000/api/things/42 -H 'Accept-Language: de'`.
//!
//! With the feature `metrics` (`cargo run --example server --features axum,metrics`)
//! it counts every error it answers and serves the counts in Prometheus
//! text, `GET /metrics`: after `curl -s localhost:3000/api/things/9`,
//! `curl -s localhost:3000/metrics` shows
//! `apierror_errors_total{error_code="things.not_found",http_response_status_code="404"} 1`.
//!
//! With the feature `utoipa` (`cargo run --example server --features axum,utoipa`)
//! it also serves its OpenAPI document, `GET /openapi.json`: generated from
//! the handlers' `#[utoipa::path]` below (every route, its bodies, the errors
//! each can answer), built once at start-up and served as a clone of that
//! body.

use apierror::axum::{Json, Path, Valid};
#[cfg(feature = "utoipa")]
use apierror_examples::things::openapi::{CreateErrors, DeleteErrors, ReadErrors, VoteErrors};
use apierror_examples::things::sql::SqlStore as Store;
use apierror_examples::things::{NewThing, Thing, ThingError, Votes};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;

#[cfg_attr(feature = "utoipa", utoipa::path(
    post, path = "/api/things", tag = "things",
    request_body = NewThing,
    responses((status = 201, description = "The thing, created.", body = Thing), CreateErrors),
))]
async fn create(
    State(store): State<Store>,
    Valid(Json(new)): Valid<Json<NewThing>>,
) -> Result<(StatusCode, Json<Thing>), ThingError> {
    Ok((StatusCode::CREATED, Json(store.create(new).await?)))
}

#[cfg_attr(feature = "utoipa", utoipa::path(
    get, path = "/api/things/{id}", tag = "things",
    params(("id" = u64, Path, description = "The thing's id.")),
    responses((status = 200, description = "The thing.", body = Thing), ReadErrors),
))]
async fn read(State(store): State<Store>, Path(id): Path<u64>) -> Result<Json<Thing>, ThingError> {
    store.get(id).await.map(Json)
}

#[cfg_attr(feature = "utoipa", utoipa::path(
    patch, path = "/api/things/{id}", tag = "things",
    params(("id" = u64, Path, description = "The thing's id.")),
    request_body = Votes,
    responses((status = 200, description = "The thing, with its votes.", body = Thing), VoteErrors),
))]
async fn vote(
    State(store): State<Store>,
    Path(id): Path<u64>,
    Json(votes): Json<Votes>,
) -> Result<Json<Thing>, ThingError> {
    store.vote(id, &votes).await.map(Json)
}

#[cfg_attr(feature = "utoipa", utoipa::path(
    delete, path = "/api/things/{id}", tag = "things",
    params(("id" = u64, Path, description = "The thing's id.")),
    responses((status = 204, description = "The thing is gone."), DeleteErrors),
))]
async fn delete(State(store): State<Store>, Path(id): Path<u64>) -> Result<StatusCode, ThingError> {
    store.delete(id).await.map(|()| StatusCode::NO_CONTENT)
}

/// The API's OpenAPI document (feature `utoipa`): its operations are the
/// handlers above, its schemas collected from their bodies.
#[cfg(feature = "utoipa")]
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "things", description = "The things API of apierror's examples."),
    paths(create, read, vote, delete)
)]
pub struct ApiDoc;

/// The API's routes on `store`, without the fallback and the layer (tests
/// add routes); with the feature `utoipa`, `GET /openapi.json` too.
pub fn routes(store: Store) -> Router {
    let router = Router::new()
        .route("/api/things", post(create))
        .route("/api/things/{id}", get(read).patch(vote).delete(delete))
        .with_state(store);
    #[cfg(feature = "utoipa")]
    let router = router.route("/openapi.json", get(openapi_json()));
    router
}

/// The handler of `GET /openapi.json`: the document is rendered once, here,
/// and each request answers a clone of that body (a reference count).
#[cfg(feature = "utoipa")]
fn openapi_json() -> impl Fn() -> std::future::Ready<axum::response::Response> + Clone + Send + 'static {
    use axum::response::IntoResponse as _;
    use utoipa::OpenApi as _;
    let json = ApiDoc::openapi().to_pretty_json().expect("an OpenAPI document serializes");
    let body = axum::body::Bytes::from(json);
    move || {
        let headers = [(axum::http::header::CONTENT_TYPE, "application/json")];
        std::future::ready((headers, body.clone()).into_response())
    }
}

/// The whole application: routes, `not_found` for every other path, and the
/// layer that keeps every error (405, 413, panics, …) in the common body,
/// rendered with `config` (`apierror_examples::config()`: in the client's
/// language with the feature `i18n`).
pub fn app(store: Store, config: apierror::Config) -> Router {
    finish(routes(store), config)
}

/// `router` with `not_found` for every other path and the layer.
fn finish(router: Router, config: apierror::Config) -> Router {
    router.fallback(apierror::axum::not_found).layer(apierror::axum::layer_with(config))
}

/// [`app`] with `GET /metrics` (feature `metrics`): the counts of the
/// recorder `prometheus` is the handle of, in Prometheus text. The errors
/// answered are counted by apierror itself, whatever answers them (a
/// handler, the fallback, the layer).
#[cfg(feature = "metrics")]
pub fn app_with_metrics(
    store: Store,
    prometheus: metrics_exporter_prometheus::PrometheusHandle,
    config: apierror::Config,
) -> Router {
    let metrics = get(move || std::future::ready(prometheus.render()));
    finish(routes(store).route("/metrics", metrics), config)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    // A panic is one escaped event with its request id, not std's
    // multi-line print (README, "Logging").
    apierror::panic_hook();
    // Every error answered is logged once, with its request id (README, "Logging").
    tracing_subscriber::fmt().with_max_level(tracing::Level::DEBUG).with_ansi(false).init();
    let port = apierror_examples::things::port()?;
    // `APP_ENV`, and the translations of `examples/locales/`.
    let config = apierror_examples::config()?;
    let url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| apierror_examples::things::sql::DEFAULT_URL.into());
    let store = Store::connect(&url, "things").await.map_err(std::io::Error::other)?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("things API on http://{}", listener.local_addr()?);
    // The process's one metrics recorder, and its handle for `GET /metrics`.
    #[cfg(feature = "metrics")]
    let app = {
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        let prometheus = recorder.handle();
        let counters = apierror::metrics::Counters::install(recorder).map_err(std::io::Error::other)?;
        app_with_metrics(store, prometheus, config.with_counters(counters))
    };
    #[cfg(not(feature = "metrics"))]
    let app = app(store, config);
    axum::serve(listener, app).await
}
