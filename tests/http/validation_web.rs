//! End to end over loopback: `Valid<Json<T>>`, `Valid<Query<T>>` and
//! `Valid<Path<T>>` of both frameworks, with validator (`Valid<…>`) and
//! garde (`Valid<…, Garde>`) in one server: a handler runs only on valid
//! data; a violation is 400 in the common body; what the client sent is
//! never echoed.
#![cfg(all(feature = "validator", feature = "garde", any(feature = "axum", feature = "actix-web")))]

use crate::web;

use serde_json::{json, Value};
#[allow(unused_imports)] // the validator derive calls `.validate()` on nested values
use validator::Validate as _;
use web::Client;

#[derive(Debug, serde::Deserialize, validator::Validate)]
pub struct NewThing {
    #[validate(length(min = 1, max = 20))]
    pub name: String,
    #[validate(range(min = 0, max = 5))]
    pub rating_out_of_five: i64,
    #[serde(default)]
    #[validate(nested)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, serde::Deserialize, validator::Validate)]
pub struct Tag {
    #[validate(length(min = 2))]
    pub label: String,
}

#[derive(Debug, serde::Deserialize, garde::Validate)]
pub struct Signup {
    #[garde(length(min = 8))]
    pub password: String,
    #[garde(matches(password))]
    pub password_confirmation: String,
}

#[derive(Debug, serde::Deserialize, validator::Validate)]
pub struct Page {
    #[validate(range(min = 1, max = 100))]
    pub per_page: u32,
}

#[derive(Debug, serde::Deserialize, garde::Validate)]
pub struct Id {
    #[garde(range(min = 1))]
    pub id: u64,
}

/// The client's keys (issue 18): a map of lines that must not be empty.
#[derive(Debug, serde::Deserialize, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct Document {
    #[garde(dive)]
    pub m: std::collections::HashMap<String, Lines>,
}

#[derive(Debug, serde::Deserialize, garde::Validate)]
pub struct Lines {
    #[garde(inner(length(min = 1)))]
    pub lines: Vec<String>,
}

fn pair(code: &str, field: Option<&str>) -> (String, Value) {
    (code.to_owned(), field.map_or(Value::Null, Value::from))
}

fn codes(reply: &web::Reply) -> Vec<(String, Value)> {
    web::assert_common_body(reply)
        .into_iter()
        .map(|object| (object["error_code"].as_str().unwrap().to_owned(), object["field"].clone()))
        .collect()
}

/// What both servers answer.
async fn scenario(c: &Client) {
    let ok = c.json("POST", "/things", r#"{"name": "lamp", "rating_out_of_five": 4}"#).await;
    assert_eq!((ok.status, ok.body.as_slice()), (200, b"lamp".as_slice()));

    let invalid = c
        .json(
            "POST",
            "/things",
            r#"{"name": "", "rating_out_of_five": 6, "tags": [{"label": "ok"}, {"label": "Q"}]}"#,
        )
        .await;
    assert_eq!(invalid.status, 400);
    assert_eq!(
        codes(&invalid),
        [
            pair("apierror.validation.length", Some("name")),
            pair("apierror.validation.range", Some("rating_out_of_five")),
            pair("apierror.validation.length", Some("tags[1].label")),
        ]
    );
    assert_eq!(web::assert_common_body(&invalid)[1]["details"], json!({"min": 0, "max": 5}));

    // Deserializing comes first, with its own codes.
    let missing = c.json("POST", "/things", r#"{"name": "lamp"}"#).await;
    assert_eq!(
        (missing.status, codes(&missing)),
        (400, vec![pair("apierror.missing_field", Some("rating_out_of_five"))])
    );

    // A hostile list: capped.
    let tags: Vec<Value> = (0..5_000).map(|_| json!({"label": "Q"})).collect();
    let hostile = json!({"name": "lamp", "rating_out_of_five": 1, "tags": tags}).to_string();
    let capped = c.json("POST", "/things-unlimited", &hostile).await;
    assert_eq!(capped.status, 400);
    let objects = web::assert_common_body(&capped);
    assert_eq!(objects.len(), 101);
    assert_eq!(objects[100]["details"], json!({"omitted": 4_900}));

    // garde, with passwords never echoed.
    let body = r#"{"password": "hunter2-correct-horse", "password_confirmation": "hunter3-battery"}"#;
    let mismatch = c.json("POST", "/signup", body).await;
    assert_eq!(
        (mismatch.status, codes(&mismatch)),
        (400, vec![pair("apierror.validation.must_match", Some("password_confirmation"))])
    );
    assert!(!String::from_utf8_lossy(&mismatch.body).contains("hunter"));
    let same = r#"{"password": "hunter2-correct-horse", "password_confirmation": "hunter2-correct-horse"}"#;
    assert_eq!(c.json("POST", "/signup", same).await.status, 200);

    // Query (validator) and Path (garde).
    assert_eq!(c.get("/page?per_page=10").await.status, 200);
    let page = c.get("/page?per_page=1000").await;
    assert_eq!((page.status, codes(&page)), (400, vec![pair("apierror.validation.range", Some("per_page"))]));
    assert_eq!(codes(&c.get("/page?per_page=x").await), [pair("apierror.invalid_query", Some("per_page"))]);
    assert_eq!(c.get("/items/3").await.status, 200);
    let zero = c.get("/items/0").await;
    assert_eq!((zero.status, codes(&zero)), (400, vec![pair("apierror.validation.range", Some("id"))]));
    assert_eq!(codes(&c.get("/items/abc").await), [pair("apierror.invalid_path", Some("id"))]);

    client_keys_are_bounded(c).await;

    // A top-level list (issue 18 item 2): its index first, no internal key.
    let batch = c
        .json(
            "POST",
            "/things-batch",
            r#"[{"name": "lamp", "rating_out_of_five": 1}, {"name": "", "rating_out_of_five": 1}]"#,
        )
        .await;
    assert_eq!(
        (batch.status, codes(&batch)),
        (400, vec![pair("apierror.validation.length", Some("[1].name"))])
    );
}

/// Issue 18: a 1 MB map key or unknown field name is cut to 64 bytes in
/// `field` (by garde, and by the extractor's own errors), so the body stays
/// small whatever the request.
async fn client_keys_are_bounded(c: &Client) {
    let key = "k".repeat(1_000_000);
    let cut = format!("{}\u{2026}", "k".repeat(61));

    let lines = json!({"m": {&key: {"lines": vec![""; 200]}}}).to_string();
    let reply = c.json("POST", "/documents", &lines).await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.len() < 256 * 1024, "a {} byte body", reply.body.len());
    let objects = web::assert_common_body(&reply);
    assert_eq!(objects.len(), 101);
    let prefix = format!("m.{cut}.lines[");
    for object in &objects[..100] {
        let field = object["field"].as_str().unwrap();
        assert!(field.starts_with(&prefix) && field.ends_with(']'), "{field}");
    }

    let unknown = c.json("POST", "/documents", &json!({"m": {}, &key: 1}).to_string()).await;
    assert!(unknown.body.len() < 1024, "a {} byte body", unknown.body.len());
    assert_eq!(codes(&unknown), [pair("apierror.unknown_field", Some(&cut))]);

    let typed = c.json("POST", "/documents", &json!({"m": {&key: {"lines": 5}}}).to_string()).await;
    assert!(typed.body.len() < 1024, "a {} byte body", typed.body.len());
    assert_eq!(codes(&typed), [pair("apierror.invalid_type", Some(&format!("m.{cut}.lines")))]);

    // A key within the bound is answered whole.
    let short = c.json("POST", "/documents", r#"{"m": {"k\u00e9y": {"lines": [""]}}}"#).await;
    assert_eq!(codes(&short), [pair("apierror.validation.length", Some("m.k\u{e9}y.lines[0]"))]);
}

#[cfg(feature = "axum")]
mod with_axum {
    use apierror::axum::{Json, Path, Query, Valid};
    use apierror::validation::Garde;
    use axum::routing::{get, post};
    use axum::Router;

    use super::*;

    async fn create(Valid(Json(thing)): Valid<Json<NewThing>>) -> String {
        thing.name
    }

    async fn signup(Valid(Json(signup)): Valid<Json<Signup>, Garde>) -> String {
        assert_eq!(signup.password, signup.password_confirmation);
        "welcome".into()
    }

    async fn page(Valid(Query(page)): Valid<Query<Page>>) -> String {
        page.per_page.to_string()
    }

    async fn item(Valid(Path(id)): Valid<Path<Id>, Garde>) -> String {
        id.id.to_string()
    }

    async fn document(Valid(Json(document)): Valid<Json<Document>, Garde>) -> String {
        document.m.len().to_string()
    }

    async fn batch(Valid(Json(things)): Valid<Json<Vec<NewThing>>>) -> String {
        things.len().to_string()
    }

    #[tokio::test]
    async fn valid_extractors_over_loopback() {
        web::set_up();
        let app = Router::new()
            .route("/things", post(create))
            .route("/things-unlimited", post(create))
            .route("/signup", post(signup))
            .route("/page", get(page))
            .route("/items/{id}", get(item))
            .route("/documents", post(document))
            .route("/things-batch", post(batch))
            .layer(axum::extract::DefaultBodyLimit::max(1 << 20))
            .layer(apierror::axum::layer());
        web::serve::axum(app, |address| async move { scenario(&Client::new(address)).await }).await;
    }
}

#[cfg(feature = "actix-web")]
mod with_actix {
    use actix_web::{web as aweb, App};
    use apierror::actix::{Json, Path, Query, Valid};
    use apierror::validation::Garde;

    use super::*;

    async fn create(Valid(Json(thing)): Valid<Json<NewThing>>) -> String {
        thing.name
    }

    async fn signup(Valid(Json(signup)): Valid<Json<Signup>, Garde>) -> String {
        assert_eq!(signup.password, signup.password_confirmation);
        "welcome".into()
    }

    async fn page(Valid(Query(page)): Valid<Query<Page>>) -> String {
        page.per_page.to_string()
    }

    async fn item(Valid(Path(id)): Valid<Path<Id>, Garde>) -> String {
        id.id.to_string()
    }

    async fn document(Valid(Json(document)): Valid<Json<Document>, Garde>) -> String {
        document.m.len().to_string()
    }

    async fn batch(Valid(Json(things)): Valid<Json<Vec<NewThing>>>) -> String {
        things.len().to_string()
    }

    #[actix_web::test]
    async fn valid_extractors_over_loopback() {
        web::set_up();
        let app = || {
            App::new()
                .wrap(apierror::actix::middleware())
                .app_data(aweb::PayloadConfig::new(1 << 20))
                .service(aweb::resource("/things").route(aweb::post().to(create)))
                .service(aweb::resource("/things-unlimited").route(aweb::post().to(create)))
                .service(aweb::resource("/signup").route(aweb::post().to(signup)))
                .service(aweb::resource("/page").route(aweb::get().to(page)))
                .service(aweb::resource("/items/{id}").route(aweb::get().to(item)))
                .service(aweb::resource("/documents").route(aweb::post().to(document)))
                .service(aweb::resource("/things-batch").route(aweb::post().to(batch)))
        };
        web::serve::actix(app, |address| async move { scenario(&Client::new(address)).await }).await;
    }
}
