//! The examples' OpenAPI document (`GET /openapi.json`, feature `utoipa`)
//! and the registry agree: both servers serve the same document, every
//! example in it is a registered code answered at its status, every code a
//! route of the example can answer is an example of that route, and what the
//! servers really answer (requests on loopback) is documented for the
//! operation and status it was answered at.
#![cfg(all(feature = "axum", feature = "actix-web", feature = "utoipa"))]

mod web;

#[path = "../examples/server.rs"]
#[allow(dead_code)]
mod server;

#[path = "../examples/server_actix.rs"]
#[allow(dead_code)]
mod server_actix;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use utoipa::OpenApi as _;
use web::Client;

/// The document as the axum example generates it.
fn document() -> Value {
    serde_json::to_value(server::ApiDoc::openapi()).expect("the document serializes")
}

/// Each operation of `document` (`"GET /api/things/{id}"`) with, per
/// documented status, the names of its examples.
fn examples(document: &Value) -> BTreeMap<String, BTreeMap<u16, BTreeSet<String>>> {
    let mut operations = BTreeMap::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            let mut statuses = BTreeMap::new();
            for (status, response) in operation["responses"].as_object().expect("responses") {
                let names = response["content"]
                    .as_object()
                    .into_iter()
                    .flat_map(|content| content.values())
                    .filter_map(|media| media["examples"].as_object())
                    .flat_map(|examples| examples.keys().cloned())
                    .collect();
                statuses.insert(status.parse::<u16>().expect("a status code"), names);
            }
            operations.insert(format!("{} {path}", method.to_uppercase()), statuses);
        }
    }
    operations
}

async fn axum_app() -> axum::Router {
    web::set_up();
    let store = apierror_tests::things::sql::SqlStore::connect("sqlite::memory:", "things")
        .await
        .expect("SQLite in memory");
    server::app(store)
}

fn actix_app() -> actix_web::App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    web::set_up();
    actix_web::App::new()
        .wrap(apierror::actix::middleware())
        .app_data(actix_web::web::Data::new(apierror_tests::things::Store::default()))
        .configure(server_actix::routes)
        .default_service(actix_web::web::to(apierror::actix::not_found))
}

// actix-web's runtime (a tokio runtime with a `LocalSet`) serves both.
#[actix_web::test]
async fn both_servers_serve_the_generated_document() {
    let generated = document();
    assert_eq!(generated, serde_json::to_value(server_actix::ApiDoc::openapi()).unwrap());
    let served = std::sync::Mutex::new(Vec::new());
    let served = &served;
    web::serve::axum(axum_app().await, |address| async move {
        let reply = Client::new(address).get("/openapi.json").await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.headers["content-type"], "application/json");
        served.lock().unwrap().push(reply.json());
    })
    .await;
    web::serve::actix(actix_app, |address| async move {
        let reply = Client::new(address).get("/openapi.json").await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.headers["content-type"], "application/json");
        served.lock().unwrap().push(reply.json());
    })
    .await;
    assert_eq!(*served.lock().unwrap(), [generated.clone(), generated]);
}
