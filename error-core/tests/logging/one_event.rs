//! One event per rendered error.

use super::*;

#[test]
fn transparent_layers_log_once_as_the_inner_error() {
    let err = AppError::from(ServiceError::from(database()));
    let id = RequestId::generate();
    let (_, events) = capture(|| err.to_response_with_id(&Config::production(), &id));
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].field("error.code"), Some("log-503"));
    assert_eq!(events[0].field("error.type"), Some("TableError::Database"));
    assert_eq!(events[0].field("request_id"), Some(id.as_str()));
}

#[test]
fn errors_log_one_event_per_error_with_the_same_id() {
    let mut errors = Errors::new();
    errors.push(TableError::NotFound("a".into()));
    errors.push(ServiceError::Forbidden);
    errors.push(AppError::from(ServiceError::from(database())));
    errors.push(TableError::ClientGone); // log = "off": in the body, not in the log
    let id = RequestId::generate();
    let (response, events) = capture(|| errors.to_response_with_id(&Config::production(), &id));
    assert_eq!(body(&response).as_array().unwrap().len(), 4);
    assert_eq!(response.headers()["x-request-id"], id.as_str());
    let codes: Vec<_> = events.iter().map(|e| e.field("error.code").unwrap()).collect();
    assert_eq!(codes, ["log-404", "log-403", "log-503"]);
    assert!(events.iter().all(|e| e.field("request_id") == Some(id.as_str())));

    // An empty `Errors` renders (and logs) the built-in internal error once.
    let (_, events) = capture(|| Errors::new().to_response_with_id(&Config::production(), &id));
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].field("error.code"), Some("apierror.internal"));
}

#[derive(Debug, thiserror::Error, ApiError)]
enum HandlerError {
    #[error(transparent)]
    #[api(transparent)]
    Invalid(#[from] Errors),
}

#[test]
fn a_team_error_holding_errors_logs_one_event_per_error() {
    let mut errors = Errors::new();
    errors.push(TableError::NotFound("a".into()));
    errors.push(database());
    let id = RequestId::generate();
    let (response, events) =
        capture(|| HandlerError::from(errors).to_response_with_id(&Config::production(), &id));
    assert_eq!(response.status(), 500);
    assert_eq!(body(&response).as_array().unwrap().len(), 2);
    let codes: Vec<_> = events.iter().map(|e| e.field("error.code").unwrap()).collect();
    assert_eq!(codes, ["log-404", "log-503"]);
    assert_eq!(events[1].field("error.type"), Some("TableError::Database"));
}
