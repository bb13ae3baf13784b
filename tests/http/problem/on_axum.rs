//! The problem format over loopback on axum.

use apierror::axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;

use super::web::Client;
use super::{scenarios, Order, Plain, ShopError};

fn app() -> Router {
    Router::new()
        .route("/sold-out", get(|| async { Err::<(), _>(ShopError::SoldOut(3)) }))
        .route("/down", get(|| async { Err::<(), _>(ShopError::Down(std::io::Error::other("x"))) }))
        .route("/several", get(|| async { Err::<(), _>(ShopError::Several(two())) }))
        .route(
            "/order",
            post(|Json(order): Json<Order>| async move { format!("{} of {}", order.quantity, order.item) }),
        )
        .route("/raw", post(|body: Bytes| async move { body.len().to_string() }))
        .route("/panic", get(|| async { panic!("the password is hunter2") as &'static str }))
        .route("/teapot", get(|| async { StatusCode::IM_A_TEAPOT }))
        .route(
            "/foreign-json",
            get(|| async { (StatusCode::BAD_REQUEST, axum::Json(serde_json::json!({"error": "no"}))) }),
        )
        .route(
            "/array",
            get(|| async {
                apierror::ApiErrorExt::to_response_with(
                    &ShopError::Quantity { given: 1, max: 0 },
                    &apierror::Config::production(),
                )
                .map(Body::from)
            }),
        )
        .route("/problem-by-hand", get(|| async { super::by_hand().map(Body::from).into_response() }))
        .route(
            "/forwarded-problem",
            get(|| async {
                let problem = [("content-type", "application/problem+json")];
                (StatusCode::BAD_GATEWAY, problem, scenarios::FORWARDED_PROBLEM).into_response()
            }),
        )
        .layer(DefaultBodyLimit::max(scenarios::BODY_LIMIT))
        .fallback(apierror::axum::not_found)
        .layer(apierror::axum::layer_with(super::problems()))
}

fn two() -> apierror::Errors {
    let mut errors = apierror::Errors::new();
    errors.push(ShopError::SoldOut(1));
    errors.push(Plain);
    errors
}

async fn serve<F: std::future::Future<Output = ()>>(test: impl FnOnce(Client) -> F) {
    super::web::serve::axum(app(), |address| test(Client::new(address))).await;
}

#[tokio::test]
async fn rendered_errors_and_rejections_are_problems() {
    serve(|c| async move { scenarios::rendered(&c).await }).await;
}

#[tokio::test]
async fn the_layer_rewrites_into_problems() {
    serve(|c| async move { scenarios::rewritten(&c).await }).await;
}

#[tokio::test]
async fn problems_pass_the_layer_untouched() {
    serve(|c| async move { scenarios::problems_pass_untouched(&c).await }).await;
}

#[tokio::test]
async fn any_accept_gets_the_problem() {
    serve(|c| async move { scenarios::any_accept_gets_the_problem(&c).await }).await;
}
