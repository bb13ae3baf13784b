//! `#[api(no_response_impl)]`: a derived type without the framework impls,
//! so a team can write its own `IntoResponse` / `ResponseError` whatever
//! features the build enables (issue 10 item 5).
#![cfg(any(feature = "axum", feature = "actix-web"))]

use apierror::{ApiError, ApiErrorExt, Config};

/// Answers in its own way in both frameworks: a 418 with a plain-text body.
#[derive(Debug, thiserror::Error, ApiError)]
#[api(no_response_impl)]
pub enum TeapotError {
    #[error("short and stout")]
    #[api(status = 400, code = "no-response-impl-1", message = "The request is invalid.")]
    Stout,
}

#[cfg(feature = "axum")]
impl axum::response::IntoResponse for TeapotError {
    fn into_response(self) -> axum::response::Response {
        (axum::http::StatusCode::IM_A_TEAPOT, format!("own answer: {}", self.code())).into_response()
    }
}

#[cfg(feature = "actix-web")]
impl actix_web::ResponseError for TeapotError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::IM_A_TEAPOT
    }

    fn error_response(&self) -> actix_web::HttpResponse {
        actix_web::HttpResponse::build(self.status_code()).body(format!("own answer: {}", self.code()))
    }
}

/// Without the opt-out, the same type gets the library's impls.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum Default {
    #[error("short and stout")]
    #[api(status = 400, code = "no-response-impl-2", message = "The request is invalid.")]
    Stout,
}

#[cfg(feature = "axum")]
#[tokio::test]
async fn axum_uses_the_types_own_impl() {
    use axum::response::IntoResponse;
    let response = TeapotError::Stout.into_response();
    assert_eq!(response.status(), 418);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    assert_eq!(&body[..], b"own answer: no-response-impl-1");

    let response = Default::Stout.into_response();
    assert_eq!(response.status(), 400);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let expected = Default::Stout.to_response_with(&Config::production()).into_body();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
        serde_json::from_slice::<serde_json::Value>(&expected).unwrap()
    );
}

#[cfg(feature = "actix-web")]
#[test]
fn actix_uses_the_types_own_impl() {
    use actix_web::ResponseError;
    let response = TeapotError::Stout.error_response();
    assert_eq!(response.status(), 418);
    let body = actix_web::body::to_bytes(response.into_body());
    let body = block_on(body).unwrap();
    assert_eq!(&body[..], b"own answer: no-response-impl-1");

    assert_eq!(Default::Stout.status_code(), 400);
}

#[cfg(feature = "actix-web")]
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(future)
}
