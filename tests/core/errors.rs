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

// --- `Errors` is an error ------------------------------------------------------

#[test]
fn errors_go_into_box_dyn_error() {
    fn validate() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let errors: Errors = [FormError::NameTaken, FormError::BadEmail].into_iter().collect();
        Err(errors)?;
        Ok(())
    }
    let err = validate().unwrap_err();
    assert_eq!(err.to_string(), "2 errors: name taken; bad email");
    assert!(err.source().is_none());
    let errors = err.downcast::<Errors>().expect("the same Errors");
    assert_eq!(errors.len(), 2);
    assert_eq!(Errors::from(FormError::NameTaken).to_string(), "1 error: name taken");
    assert_eq!(Errors::new().to_string(), "no errors");
}

/// A team's error type, with several field errors as one of its variants.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum AppError {
    #[error(transparent)]
    #[api(transparent)]
    Invalid(#[from] Errors),

    #[error(transparent)]
    #[api(transparent)]
    Form(#[from] FormError),

    #[error("not found")]
    #[api(status = 404, code = "errors-app-404")]
    NotFound,
}

/// A layer above it, as a service's error wraps a module's.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum ServiceError {
    #[error(transparent)]
    #[api(transparent)]
    App(#[from] AppError),
}

fn signup(name_taken: bool, email_ok: bool) -> Result<(), AppError> {
    let mut errors = Errors::new();
    if name_taken {
        errors.push(FormError::NameTaken);
    }
    if !email_ok {
        errors.push(FormError::BadEmail);
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    Err(AppError::NotFound)
}

#[test]
fn a_variant_of_the_team_enum_renders_every_error_it_holds() {
    let err = signup(true, false).unwrap_err();
    let alone = render(match &err {
        AppError::Invalid(errors) => errors,
        _ => unreachable!(),
    });
    let err = ServiceError::from(err);
    assert_eq!(err.status(), StatusCode::BAD_REQUEST);
    let response = err.to_response_with(&Config::production());
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(body, alone.1);
    assert_eq!(body.as_array().unwrap().len(), 2);
    assert_eq!(body[0]["error_code"], "errors-1");
    assert_eq!(body[1]["error_code"], "errors-2");
    assert_eq!(err.to_string(), "2 errors: name taken; bad email");
    // The per-object view describes the first error.
    assert_eq!(err.code(), "errors-1");
    assert_eq!(err.field(), Some("name"));
    // One error: its own status. None: the built-in internal error.
    let one = ServiceError::from(signup(false, false).unwrap_err());
    assert_eq!(one.to_response_with(&Config::production()).status(), StatusCode::UNPROCESSABLE_ENTITY);
    let none = AppError::Invalid(Errors::new());
    let response = none.to_response_with(&Config::production());
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body: Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(body[0]["error_code"], "apierror.internal");
    // The other variants are unaffected.
    let body: Value = serde_json::from_slice(
        signup(false, true).unwrap_err().to_response_with(&Config::production()).body(),
    )
    .unwrap();
    assert_eq!(body[0]["error_code"], "errors-app-404");
}

#[test]
fn an_errors_holding_a_team_error_with_several_renders_them_all_once() {
    let mut outer = Errors::new();
    outer.push(FormError::BadBackupEmail);
    outer.push(signup(true, false).unwrap_err());
    outer.push(AppError::Invalid(Errors::new())); // holds none: no object
    let (status, body) = render(&outer);
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let codes: Vec<&str> =
        body.as_array().unwrap().iter().map(|o| o["error_code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["errors-3", "errors-1", "errors-2"]);

    let mut hollow = Errors::new();
    hollow.push(AppError::Invalid(Errors::new()));
    let (status, body) = render(&hollow);
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body[0]["error_code"], "apierror.internal");
}
