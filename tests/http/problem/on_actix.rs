//! The problem format over loopback on actix-web.

use actix_web::http::StatusCode;
use actix_web::{web as aweb, App, HttpResponse};
use apierror::actix::Json;

use super::web::Client;
use super::{scenarios, Order, Plain, ShopError};

fn from_http(rendered: http::Response<Vec<u8>>) -> HttpResponse {
    let mut response = HttpResponse::build(StatusCode::from_u16(rendered.status().as_u16()).unwrap());
    for (name, value) in rendered.headers() {
        response.insert_header((name.as_str(), value.as_bytes()));
    }
    response.body(rendered.into_body())
}

fn two() -> apierror::Errors {
    let mut errors = apierror::Errors::new();
    errors.push(ShopError::SoldOut(1));
    errors.push(Plain);
    errors
}

fn routes(config: &mut aweb::ServiceConfig) {
    config
        .service(
            aweb::resource("/sold-out")
                .route(aweb::get().to(|| async { Err::<HttpResponse, _>(ShopError::SoldOut(3)) })),
        )
        .route(
            "/down",
            aweb::get().to(|| async { Err::<HttpResponse, _>(ShopError::Down(std::io::Error::other("x"))) }),
        )
        .route("/several", aweb::get().to(|| async { Err::<HttpResponse, _>(ShopError::Several(two())) }))
        .route(
            "/order",
            aweb::post().to(|Json(order): Json<Order>| async move {
                format!("{} of {}", order.quantity, order.item)
            }),
        )
        .route("/raw", aweb::post().to(|body: String| async move { body.len().to_string() }))
        .route("/panic", aweb::get().to(|| async { panic!("the password is hunter2") as &'static str }))
        .route("/teapot", aweb::get().to(|| async { HttpResponse::ImATeapot().body("short and stout") }))
        .route(
            "/foreign-json",
            aweb::get().to(|| async { HttpResponse::BadRequest().json(serde_json::json!({"error": "no"})) }),
        )
        .route(
            "/array",
            aweb::get().to(|| async {
                from_http(apierror::ApiErrorExt::to_response_with(
                    &ShopError::Quantity { given: 1, max: 0 },
                    &apierror::Config::production(),
                ))
            }),
        )
        .route("/problem-by-hand", aweb::get().to(|| async { from_http(super::by_hand()) }))
        .route(
            "/forwarded-problem",
            aweb::get().to(|| async {
                HttpResponse::BadGateway()
                    .content_type("application/problem+json")
                    .body(scenarios::FORWARDED_PROBLEM)
            }),
        );
}

async fn serve<F: std::future::Future<Output = ()>>(test: impl FnOnce(Client) -> F) {
    let app = || {
        App::new()
            .wrap(apierror::actix::middleware_with(super::problems()))
            .app_data(aweb::PayloadConfig::new(scenarios::BODY_LIMIT))
            .configure(routes)
            .default_service(aweb::to(apierror::actix::not_found))
    };
    super::web::serve::actix(app, |address| test(Client::new(address))).await;
}

#[actix_web::test]
async fn rendered_errors_and_rejections_are_problems() {
    serve(|c| async move { scenarios::rendered(&c).await }).await;
}

#[actix_web::test]
async fn the_middleware_rewrites_into_problems() {
    serve(|c| async move { scenarios::rewritten(&c).await }).await;
}

#[actix_web::test]
async fn problems_pass_the_middleware_untouched() {
    serve(|c| async move { scenarios::problems_pass_untouched(&c).await }).await;
}

#[actix_web::test]
async fn any_accept_gets_the_problem() {
    serve(|c| async move { scenarios::any_accept_gets_the_problem(&c).await }).await;
}
