//! `Errors`: several errors in one body.

use apierror::{ApiError, ApiErrorExt, Config, Errors};
use http::StatusCode;
use serde_json::{json, Value};

#[derive(Debug, thiserror::Error, ApiError)]
pub enum FormError {
    #[error("name taken")]
    #[api(status = 409, code = "errors-1", field = "name", message = "This name is taken.")]
    NameTaken,
    #[error("bad email")]
    #[api(status = 422, code = "errors-2", field = "email", message = "This is not an email address.")]
    BadEmail,
    #[error("other bad email")]
    #[api(
        status = 422,
        code = "errors-3",
        field = "backup_email",
        message = "This is not an email address."
    )]
    BadBackupEmail,
    #[error("store down")]
    #[api(status = 503, code = "errors-4")]
    StoreDown(#[source] std::io::Error),
}

fn render(errors: &Errors) -> (StatusCode, Value) {
    let response = errors.to_response_with(&Config::production());
    assert_eq!(response.headers()["content-type"], "application/json");
    (response.status(), serde_json::from_slice(response.body()).unwrap())
}

#[test]
fn each_object_is_exactly_what_the_error_renders_alone() {
    let errors: Errors = [FormError::NameTaken, FormError::BadEmail].into_iter().collect();
    assert_eq!(errors.len(), 2);
    assert!(!errors.is_empty());
    assert_eq!(errors.iter().map(|e| e.code()).collect::<Vec<_>>(), ["errors-1", "errors-2"]);
    let (status, body) = render(&errors);
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let alone: Value =
        serde_json::from_slice(FormError::BadEmail.to_response_with(&Config::production()).body()).unwrap();
    assert_eq!(body[1], alone[0]);
    assert_eq!(body.as_array().unwrap().len(), 2);
}

#[test]
fn status_rules() {
    let same: Errors = [FormError::BadEmail, FormError::BadBackupEmail].into_iter().collect();
    assert_eq!(same.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let client: Errors = [FormError::NameTaken, FormError::BadEmail].into_iter().collect();
    assert_eq!(client.status(), StatusCode::BAD_REQUEST);
    let mut mixed = Errors::new();
    mixed.push(FormError::NameTaken);
    mixed.push(FormError::StoreDown(std::io::Error::other("disk on fire")));
    assert_eq!(mixed.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let (status, body) = render(&mixed);
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!body.to_string().contains("disk on fire"));
    let single = Errors::from(FormError::NameTaken);
    assert_eq!(single.status(), StatusCode::CONFLICT);
}

#[test]
fn an_empty_list_is_never_an_empty_body() {
    let (status, body) = render(&Errors::new());
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        body,
        json!([{
            "message": "An unexpected error occurred. Please try again later.",
            "error_code": "apierror.internal",
            "field": null,
            "details": null,
        }])
    );
}

#[test]
fn development_debug_for_each_error() {
    let mut errors = Errors::new();
    errors.push(FormError::StoreDown(std::io::Error::other("disk on fire")));
    errors.push(FormError::NameTaken);
    let body: Value = serde_json::from_slice(errors.to_response_with(&Config::development()).body()).unwrap();
    assert_eq!(body[0]["debug"]["sources"], json!(["disk on fire"]));
    assert_eq!(body[1]["debug"]["type"], "FormError::NameTaken");
}

#[test]
fn the_http_types_are_reachable_through_apierror() {
    let errors: Errors = [FormError::BadEmail].into_iter().collect();
    let status: apierror::http::StatusCode = errors.status();
    assert_eq!(status, apierror::http::StatusCode::UNPROCESSABLE_ENTITY);
    let response: apierror::http::Response<Vec<u8>> = errors.to_response_with(&Config::production());
    assert_eq!(response.headers()[apierror::http::header::CONTENT_TYPE], "application/json");
}
