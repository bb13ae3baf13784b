//! Configuration is a value: routers in one process, each given its own
//! `Config` (`apierror::axum::layer_with`, `apierror::actix::middleware_with`),
//! served on loopback at the same time, each answer in their own format (a
//! derived error, an extractor's rejection, the `not_found` fallback) and
//! with their own validation status. Nothing is configured process-wide.
#![cfg(any(feature = "axum", feature = "actix-web"))]

use crate::web;

use apierror::validation::Options;
use apierror::{ApiError, Config, Format};
use serde_json::Value;
use web::{Client, Reply};

#[derive(Debug, thiserror::Error, ApiError)]
#[error("item {0} is sold out")]
#[api(status = 409, code = "two-configs.sold_out", field = "item", message = "This item is sold out.")]
struct SoldOut(u32);

#[derive(Debug, serde::Deserialize, validator::Validate)]
struct NewThing {
    #[validate(length(min = 1, max = 20))]
    name: String,
}

/// The array router's configuration.
fn arrays() -> Config {
    Config::production()
}

/// The problem router's configuration.
fn problems() -> Config {
    Config::production().with_format(Format::Problem)
}

/// A router answering validation failures with 422.
fn unprocessable() -> Config {
    Config::production().with_validation(Options::new().status(http::StatusCode::UNPROCESSABLE_ENTITY))
}

/// `reply`'s one error, checked to be in the array format: `(status, code)`.
fn array(reply: &Reply) -> (u16, String) {
    let text = String::from_utf8_lossy(&reply.body);
    assert_eq!(reply.headers["content-type"], "application/json", "{text}");
    assert!(reply.headers.contains_key("x-request-id"), "{text}");
    let (status, code, _) = reply.code();
    (status, code)
}

/// `reply`, checked to be a problem: `(status, code)`.
fn problem(reply: &Reply) -> (u16, String) {
    let text = String::from_utf8_lossy(&reply.body);
    assert_eq!(reply.headers["content-type"], "application/problem+json", "{text}");
    let body: Value = reply.json();
    assert_eq!(body["status"], reply.status, "{text}");
    let id = reply.headers["x-request-id"].to_str().unwrap();
    assert_eq!(body["instance"], format!("urn:request:{id}"), "{text}");
    (reply.status, body["error_code"].as_str().expect(&text).to_owned())
}

/// What both frameworks' routers answer, each in its own format, asked at
/// the same time.
async fn each_in_its_own_format(arrays: &Client, problems: &Client) {
    for _ in 0..3 {
        let (a, p) = tokio::join!(get(arrays, "/sold-out"), get(problems, "/sold-out"));
        assert_eq!(array(&a), (409, "two-configs.sold_out".to_owned()));
        assert_eq!(problem(&p), (409, "two-configs.sold_out".to_owned()));

        let (a, p) = tokio::join!(get(arrays, "/things/abc"), get(problems, "/things/abc"));
        assert_eq!(array(&a), (400, "apierror.invalid_path".to_owned()));
        assert_eq!(problem(&p), (400, "apierror.invalid_path".to_owned()));

        let (a, p) = tokio::join!(get(arrays, "/nowhere"), get(problems, "/nowhere"));
        assert_eq!(array(&a), (404, "apierror.not_found".to_owned()));
        assert_eq!(problem(&p), (404, "apierror.not_found".to_owned()));
    }
    // Success stays untouched on both.
    let (a, p) = tokio::join!(get(arrays, "/things/7"), get(problems, "/things/7"));
    assert_eq!((a.status, a.body.as_slice()), (200, &b"7"[..]));
    assert_eq!((p.status, p.body.as_slice()), (200, &b"7"[..]));
}

/// What both frameworks' routers answer to an invalid body, each at its own
/// validation status.
async fn each_at_its_own_validation_status(bad_request: &Client, unprocessable: &Client) {
    let body = r#"{"name": ""}"#;
    for _ in 0..3 {
        let (b, u) = tokio::join!(
            bad_request.json("POST", "/things", body),
            unprocessable.json("POST", "/things", body)
        );
        assert_eq!(array(&b), (400, "apierror.validation.length".to_owned()));
        assert_eq!(array(&u), (422, "apierror.validation.length".to_owned()));
        assert_eq!(b.error()["field"], "name");
        assert_eq!(u.error()["field"], "name");
    }
}

/// `GET path`, its body not checked yet.
async fn get(client: &Client, path: &str) -> Reply {
    client.send_unchecked("GET", path, &[], "").await
}

#[cfg(feature = "axum")]
mod on_axum {
    use apierror::axum::{Json, Path, Valid};
    use apierror::Config;
    use axum::routing::get;
    use axum::Router;

    use super::web::{serve, Client};
    use super::{NewThing, SoldOut};

    fn app(config: Config) -> Router {
        Router::new()
            .route("/sold-out", get(|| async { Err::<String, _>(SoldOut(3)) }))
            .route(
                "/things",
                axum::routing::post(|Valid(Json(thing)): Valid<Json<NewThing>>| async move { thing.name }),
            )
            .route("/things/{id}", get(|Path(id): Path<u32>| async move { id.to_string() }))
            .fallback(apierror::axum::not_found)
            .layer(apierror::axum::layer_with(config))
    }

    #[tokio::test]
    async fn two_routers_answer_each_in_its_own_format() {
        serve::axum(app(super::arrays()), |arrays| async move {
            serve::axum(app(super::problems()), |problems| async move {
                super::each_in_its_own_format(&Client::new(arrays), &Client::new(problems)).await;
            })
            .await;
        })
        .await;
    }

    #[tokio::test]
    async fn two_routers_answer_each_at_its_own_validation_status() {
        serve::axum(app(super::arrays()), |bad_request| async move {
            serve::axum(app(super::unprocessable()), |unprocessable| async move {
                super::each_at_its_own_validation_status(
                    &Client::new(bad_request),
                    &Client::new(unprocessable),
                )
                .await;
            })
            .await;
        })
        .await;
    }
}

#[cfg(feature = "actix-web")]
mod on_actix {
    use actix_web::{web as aweb, App, HttpResponse};
    use apierror::actix::{Json, Path, Valid};
    use apierror::Config;

    use super::web::{serve, Client};
    use super::{NewThing, SoldOut};

    fn routes(config: &mut aweb::ServiceConfig) {
        config
            .service(
                aweb::resource("/sold-out")
                    .route(aweb::get().to(|| async { Err::<HttpResponse, _>(SoldOut(3)) })),
            )
            .service(aweb::resource("/things").route(
                aweb::post().to(|Valid(Json(thing)): Valid<Json<NewThing>>| async move { thing.name }),
            ))
            .service(
                aweb::resource("/things/{id}")
                    .route(aweb::get().to(|Path(id): Path<u32>| async move { id.to_string() })),
            );
    }

    #[actix_web::test]
    async fn two_apps_answer_each_in_its_own_format() {
        serve::actix(actix_app!(super::arrays()), |arrays| async move {
            serve::actix(actix_app!(super::problems()), |problems| async move {
                super::each_in_its_own_format(&Client::new(arrays), &Client::new(problems)).await;
            })
            .await;
        })
        .await;
    }

    #[actix_web::test]
    async fn two_apps_answer_each_at_its_own_validation_status() {
        serve::actix(actix_app!(super::arrays()), |bad_request| async move {
            serve::actix(actix_app!(super::unprocessable()), |unprocessable| async move {
                super::each_at_its_own_validation_status(
                    &Client::new(bad_request),
                    &Client::new(unprocessable),
                )
                .await;
            })
            .await;
        })
        .await;
    }
}
