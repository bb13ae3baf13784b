//! The examples' OpenAPI document (`GET /openapi.json`, feature `utoipa`)
//! and the registry agree: both servers serve the same document, every
//! example in it is a registered code answered at its status, every code a
//! route of the example can answer is an example of that route, and what the
//! servers really answer (requests on loopback) is documented for the
//! operation and status it was answered at.
#![cfg(all(feature = "axum", feature = "actix-web", feature = "utoipa"))]

use crate::web;

use apierror_examples::{server, server_actix};

use std::collections::{BTreeMap, BTreeSet};

use apierror::openapi::ErrorSet;
use apierror_examples::things::openapi::{CreateErrors, DeleteErrors, ReadErrors, VoteErrors};
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
    let store = apierror_examples::things::sql::SqlStore::connect("sqlite::memory:", "things")
        .await
        .expect("SQLite in memory");
    server::app(store, apierror_examples::config().expect("the examples' configuration"))
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
    let store = actix_web::web::Data::new(apierror_examples::things::Store::default());
    server_actix::app(store, apierror_examples::config().expect("the examples' configuration"))
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

/// Each operation's error set, as its handler's `#[utoipa::path]` lists it.
fn operations() -> [(&'static str, ErrorSet); 4] {
    [
        ("POST /api/things", ErrorSet::of::<CreateErrors>()),
        ("GET /api/things/{id}", ErrorSet::of::<ReadErrors>()),
        ("PATCH /api/things/{id}", ErrorSet::of::<VoteErrors>()),
        ("DELETE /api/things/{id}", ErrorSet::of::<DeleteErrors>()),
    ]
}

#[test]
fn every_example_is_a_registered_code_answered_at_its_status() {
    let document = document();
    let mut seen = 0;
    for (operation, statuses) in examples(&document) {
        for (status, names) in statuses {
            let response = &document["paths"][operation.split_once(' ').unwrap().1]
                [operation.split_once(' ').unwrap().0.to_lowercase()]["responses"][status.to_string()];
            for name in names {
                let entry = apierror::registry::find(&name).unwrap_or_else(|| {
                    panic!("{operation} {status}: the example {name:?} is no registered code")
                });
                // The validation codes answer at the configured status (400
                // by default); every other code at its entry's.
                if !name.starts_with("apierror.validation.") {
                    assert_eq!(entry.status, status, "{operation}: {name}");
                }
                let value = &response["content"]["application/json"]["examples"][&name]["value"];
                let objects = value.as_array().unwrap_or_else(|| panic!("{name}: a body, an array: {value}"));
                assert_eq!(objects.len(), 1, "{name}: {value}");
                assert_eq!(objects[0]["error_code"], name.as_str(), "{operation} {status}");
                seen += 1;
            }
        }
    }
    assert!(seen > 40, "the document has the examples of every operation ({seen})");
}

#[test]
fn every_code_an_operation_can_answer_is_one_of_its_examples() {
    let documented = examples(&document());
    let mut codes = BTreeSet::new();
    for (operation, set) in operations() {
        let statuses = &documented[operation];
        assert!(!set.is_empty(), "{operation}");
        for (status, entry) in set.iter() {
            let names = statuses.get(&status.as_u16()).unwrap_or_else(|| panic!("{operation}: no {status}"));
            assert!(
                names.contains(entry.code),
                "{operation} {status}: {} is not an example: {names:?}",
                entry.code
            );
            codes.insert(entry.code);
        }
        // The fallback and the layer answer on every route.
        for code in ["apierror.not_found", "apierror.method_not_allowed", "apierror.internal"] {
            assert!(set.iter().any(|(_, entry)| entry.code == code), "{operation}: {code}");
        }
    }
    // Every code of the team's enum is answered by some operation, but the
    // store's own rating check (the body's rule answers first over HTTP).
    for entry in apierror::registry::entries().filter(|entry| entry.type_name.ends_with("ThingError")) {
        if entry.code != "things.rating_out_of_range" {
            assert!(codes.contains(entry.code), "{} is on no operation", entry.code);
        }
    }
    // And what the extractors answer: the JSON body's, the path's and the
    // validation codes the things' rules use.
    for code in [
        "apierror.invalid_json",
        "apierror.missing_field",
        "apierror.invalid_type",
        "apierror.unsupported_media_type",
        "apierror.payload_too_large",
        "apierror.invalid_path",
        "apierror.validation.length",
        "apierror.validation.range",
        "apierror.db.unavailable",
    ] {
        assert!(codes.contains(code), "{code} is on no operation");
    }
}

/// Requests that make each server answer errors; each answer's code is an
/// example of the operation at the status it was answered with.
async fn answers_are_documented(c: &Client) {
    let documented = examples(&document());
    let check = |operation: &str, reply: web::Reply| {
        let (status, code, _) = reply.code();
        let names =
            documented[operation].get(&status).unwrap_or_else(|| panic!("{operation}: {status} {code}"));
        assert!(names.contains(&code), "{operation}: {status} {code} is not documented: {names:?}");
        code
    };
    let created = c.json("POST", "/api/things", r#"{"name": "lamp", "rating_out_of_five": 4}"#).await;
    assert_eq!(created.status, 201);
    let id = created.json()["id"].as_u64().unwrap();
    let thing = format!("/api/things/{id}");
    let post = "POST /api/things";
    let mut answered = vec![
        check(post, c.json("POST", "/api/things", r#"{"name": "lamp", "rating_out_of_five": 4}"#).await),
        check(post, c.json("POST", "/api/things", r#"{"name": "", "rating_out_of_five": 4}"#).await),
        check(post, c.json("POST", "/api/things", r#"{"name": "chair", "rating_out_of_five": 9}"#).await),
        check(post, c.json("POST", "/api/things", r#"{"name": 7, "rating_out_of_five": 4}"#).await),
        check(post, c.json("POST", "/api/things", r#"{"name": "chair"}"#).await),
        check(post, c.json("POST", "/api/things", "{").await),
        check(post, c.send("POST", "/api/things", None, r#"{"name": "chair"}"#).await),
        check(post, c.json("POST", "/api/things", &"[".repeat(3 << 20)).await),
    ];
    for path in ["/api/things/999", "/api/things/notAnId", "/api/things/-1"] {
        answered.push(check("GET /api/things/{id}", c.get(path).await));
        answered.push(check("DELETE /api/things/{id}", c.send("DELETE", path, None, "").await));
        answered.push(check(
            "PATCH /api/things/{id}",
            c.json("PATCH", path, r#"{"increase_votes_by": 1}"#).await,
        ));
    }
    let patch = "PATCH /api/things/{id}";
    answered.push(check(patch, c.json("PATCH", &thing, r#"{"increase_votes_by": -1}"#).await));
    answered.push(check(patch, c.json("PATCH", &thing, r#"{"increase_votes_by": "one"}"#).await));
    // Past the largest count: i64::MAX at most three times.
    let most = format!(r#"{{"increase_votes_by": {}}}"#, i64::MAX);
    for _ in 0..3 {
        let reply = c.json("PATCH", &thing, &most).await;
        if reply.status != 200 {
            answered.push(check(patch, reply));
            break;
        }
    }
    for code in [
        "things.duplicate_name",
        "apierror.validation.length",
        "apierror.validation.range",
        "apierror.invalid_type",
        "apierror.missing_field",
        "apierror.invalid_json",
        "apierror.unsupported_media_type",
        "apierror.payload_too_large",
        "things.not_found",
        "apierror.invalid_path",
        "things.negative_votes",
        "things.too_many_votes",
    ] {
        assert!(answered.iter().any(|answered| answered == code), "{code} was not answered: {answered:?}");
    }
}

#[actix_web::test]
async fn what_the_axum_server_answers_is_documented() {
    web::serve::axum(axum_app().await, |address| async move {
        answers_are_documented(&Client::new(address)).await
    })
    .await;
}

#[actix_web::test]
async fn what_the_actix_server_answers_is_documented() {
    web::serve::actix(
        actix_app,
        |address| async move { answers_are_documented(&Client::new(address)).await },
    )
    .await;
}
