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
//! Set `APP_ENV=development` to see each error's `debug` member.

use actix_web::{guard, web, App, HttpResponse, HttpServer};
use apierror::actix::{Json, Path, Valid};
use apierror_tests::things::{NewThing, Store, ThingError, Votes};

async fn create(
    store: web::Data<Store>,
    Valid(Json(new)): Valid<Json<NewThing>>,
) -> Result<HttpResponse, ThingError> {
    Ok(HttpResponse::Created().json(store.create(new)?))
}

async fn read(store: web::Data<Store>, Path(id): Path<u64>) -> Result<HttpResponse, ThingError> {
    Ok(HttpResponse::Ok().json(store.get(id)?))
}

async fn vote(
    store: web::Data<Store>,
    Path(id): Path<u64>,
    Json(votes): Json<Votes>,
) -> Result<HttpResponse, ThingError> {
    Ok(HttpResponse::Ok().json(store.vote(id, &votes)?))
}

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

/// The API's routes, for `App::configure` (tests add routes). Each path is
/// one `web::resource` with its methods as routes, so that a wrong method
/// is 405 with `Allow` (with `App::route`, `ServiceConfig::route` or
/// `#[get]`, it would be 404: see the README, "actix-web: HEAD and wrong
/// methods").
pub fn routes(config: &mut web::ServiceConfig) {
    config.service(web::resource("/api/things").route(web::post().to(create))).service(
        web::resource("/api/things/{id}")
            .route(get_and_head().to(read))
            .route(web::patch().to(vote))
            .route(web::delete().to(delete)),
    );
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let port = apierror_tests::things::port()?;
    let store = web::Data::new(Store::default());
    let server = HttpServer::new(move || {
        App::new()
            // Outermost: sees every resource's 405, the default service and panics.
            .wrap(apierror::actix::middleware())
            .app_data(store.clone())
            .configure(routes)
            .default_service(web::to(apierror::actix::not_found))
    })
    .bind(("127.0.0.1", port))?;
    for address in server.addrs() {
        println!("things API on http://{address}");
    }
    server.run().await
}
