//! The "things" API of `examples/server.rs`, on actix-web: the same routes,
//! the same errors, the same bodies.
//!
//! ```sh
//! cargo run --example server_actix --features actix-web   # listens on 127.0.0.1:3000, or $PORT
//! curl -s localhost:3000/api/things/notAnId
//! ```
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
//! With the feature `utoipa` (`cargo run --example server_actix --features actix-web,utoipa`)
//! it serves the same OpenAPI document as `examples/server.rs`,
//! `GET /openapi.json`, generated from the handlers' `#[utoipa::path]`
//! below, built once at start-up and served as a clone of that body.

use actix_web::{guard, web, App, HttpResponse, HttpServer};
use apierror::actix::{Json, Path, Valid};
#[cfg(feature = "utoipa")]
use apierror_examples::things::openapi::{CreateErrors, DeleteErrors, ReadErrors, VoteErrors};
#[cfg(feature = "utoipa")]
use apierror_examples::things::Thing;
use apierror_examples::things::{NewThing, Store, ThingError, Votes};

#[cfg_attr(feature = "utoipa", utoipa::path(
    post, path = "/api/things", tag = "things",
    request_body = NewThing,
    responses((status = 201, description = "The thing, created.", body = Thing), CreateErrors),
))]
async fn create(
    store: web::Data<Store>,
    Valid(Json(new)): Valid<Json<NewThing>>,
) -> Result<HttpResponse, ThingError> {
    Ok(HttpResponse::Created().json(store.create(new)?))
}

#[cfg_attr(feature = "utoipa", utoipa::path(
    get, path = "/api/things/{id}", tag = "things",
    params(("id" = u64, Path, description = "The thing's id.")),
    responses((status = 200, description = "The thing.", body = Thing), ReadErrors),
))]
async fn read(store: web::Data<Store>, Path(id): Path<u64>) -> Result<HttpResponse, ThingError> {
    Ok(HttpResponse::Ok().json(store.get(id)?))
}

#[cfg_attr(feature = "utoipa", utoipa::path(
    patch, path = "/api/things/{id}", tag = "things",
    params(("id" = u64, Path, description = "The thing's id.")),
    request_body = Votes,
    responses((status = 200, description = "The thing, with its votes.", body = Thing), VoteErrors),
))]
async fn vote(
    store: web::Data<Store>,
    Path(id): Path<u64>,
    Json(votes): Json<Votes>,
) -> Result<HttpResponse, ThingError> {
    Ok(HttpResponse::Ok().json(store.vote(id, &votes)?))
}

#[cfg_attr(feature = "utoipa", utoipa::path(
    delete, path = "/api/things/{id}", tag = "things",
    params(("id" = u64, Path, description = "The thing's id.")),
    responses((status = 204, description = "The thing is gone."), DeleteErrors),
))]
async fn delete(store: web::Data<Store>, Path(id): Path<u64>) -> Result<HttpResponse, ThingError> {
    store.delete(id)?;
    Ok(HttpResponse::NoContent().finish())
}

/// GET, and HEAD answered by the same handler (actix-http sends the head
/// without the body), as axum does; actix-web's `web::get()` alone answers
/// HEAD with 405.
fn get_and_head() -> actix_web::Route {
    web::route().guard(guard::Any(guard::Get()).or(guard::Head()))
}

/// The API's OpenAPI document (feature `utoipa`): its operations are the
/// handlers above, its schemas collected from their bodies. The same
/// document as `examples/server.rs`'s (`tests/openapi_example.rs`).
#[cfg(feature = "utoipa")]
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "things", description = "The things API of apierror's examples."),
    paths(create, read, vote, delete)
)]
pub struct ApiDoc;

/// The document as served: rendered once (`main` forces it before
/// serving), each request answers a clone of it (a reference count).
#[cfg(feature = "utoipa")]
pub static OPENAPI_JSON: std::sync::LazyLock<web::Bytes> = std::sync::LazyLock::new(|| {
    use utoipa::OpenApi as _;
    ApiDoc::openapi().to_pretty_json().expect("an OpenAPI document serializes").into()
});

#[cfg(feature = "utoipa")]
async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(OPENAPI_JSON.clone())
}

/// The API's routes, for `App::configure` (tests add routes). Each path is
/// one `web::resource` with its methods as routes, so that a wrong method
/// is 405 with `Allow` (with `App::route`, `ServiceConfig::route` or
/// `#[get]`, it would be 404: see the README, "actix-web: HEAD and wrong
/// methods"). With the feature `utoipa`, `GET /openapi.json` too.
pub fn routes(config: &mut web::ServiceConfig) {
    config.service(web::resource("/api/things").route(web::post().to(create))).service(
        web::resource("/api/things/{id}")
            .route(get_and_head().to(read))
            .route(web::patch().to(vote))
            .route(web::delete().to(delete)),
    );
    #[cfg(feature = "utoipa")]
    config.service(web::resource("/openapi.json").route(get_and_head().to(openapi_json)));
}

/// The whole application: the routes, `not_found` for every other path,
/// and, outermost, the middleware that keeps every error (405, 413, panics,
/// …) in the common body, rendered with `config`
/// (`apierror_examples::config()`: in the client's language with the
/// feature `i18n`). One per worker, all on one `store`.
pub fn app(
    store: web::Data<Store>,
    config: apierror::Config,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        // Outermost: sees every resource's 405, the default service and panics.
        .wrap(apierror::actix::middleware_with(config))
        .app_data(store)
        .configure(routes)
        .default_service(web::to(apierror::actix::not_found))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // A panic is one escaped event with its request id, not std's
    // multi-line print (README, "Logging").
    apierror::panic_hook();
    let port = apierror_examples::things::port()?;
    #[cfg(feature = "utoipa")]
    std::sync::LazyLock::force(&OPENAPI_JSON);
    // `APP_ENV`, and the translations of `examples/locales/`.
    let config = apierror_examples::config()?;
    let store = web::Data::new(Store::default());
    let server = HttpServer::new(move || app(store.clone(), config.clone())).bind(("127.0.0.1", port))?;
    for address in server.addrs() {
        println!("things API on http://{address}");
    }
    server.run().await
}
