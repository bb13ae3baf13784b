//! A `Display` that panics while the message is rendered still yields a
//! complete body.
//!
//! This test swaps the process-wide panic hook to keep the expected panic
//! quiet. It is alone in its own test binary (one process, one test): in a
//! binary with other tests, which libtest runs on parallel threads, the swap
//! would also silence their panic messages while it lasts. Keep this file
//! to this one test.

use apierror::{ApiError, ApiErrorExt, Config, Errors, Format, RequestId};
use serde_json::{json, Value};

#[derive(Debug)]
pub struct Explodes;

impl std::fmt::Display for Explodes {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        panic!("display exploded")
    }
}

#[derive(Debug, thiserror::Error, ApiError)]
#[error("boom {0}")]
#[api(status = 422, code = "derive-panic-1", message = "Value {0} is invalid.")]
pub struct PanicsInMessage(pub Explodes);

fn body(err: &dyn ApiError, config: &Config) -> Value {
    let response = err.to_response_with(config);
    let content_type = match config.format() {
        Format::Problem => "application/problem+json",
        _ => "application/json",
    };
    assert_eq!(response.headers()["content-type"], content_type);
    serde_json::from_slice(response.body()).expect("the body is valid JSON")
}

#[test]
fn a_panic_while_rendering_yields_the_generic_body() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let dev = body(&PanicsInMessage(Explodes), &Config::development());
    // The same fallback in the problem format, whole and parsed by a
    // third-party RFC 9457 parser; and inside several errors.
    let problem_config = Config::development().with_format(Format::Problem);
    let id = RequestId::parse("panic-1").unwrap();
    let problem = PanicsInMessage(Explodes).to_response_with_id(&problem_config, &id);
    let several: Errors = [PanicsInMessage(Explodes)].into_iter().collect();
    let several: Value = serde_json::from_slice(several.to_response_with(&problem_config).body()).unwrap();
    std::panic::set_hook(previous);
    let parsed: http_api_problem::HttpApiProblem = serde_json::from_slice(problem.body()).unwrap();
    assert_eq!(parsed.detail.as_deref(), Some("The request is well-formed but contains invalid data."));
    assert_eq!(parsed.status, Some(http::StatusCode::UNPROCESSABLE_ENTITY));
    assert_eq!(
        serde_json::from_slice::<Value>(problem.body()).unwrap(),
        json!({"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
               "detail": "The request is well-formed but contains invalid data.", "instance": "urn:request:panic-1",
               "error_code": "derive-panic-1", "field": null, "details": null})
    );
    assert_eq!(
        several["errors"],
        json!([{"detail": "The request is well-formed but contains invalid data.", "error_code": "derive-panic-1", "field": null, "details": null}])
    );
    assert_eq!(
        dev,
        json!([{"message": "The request is well-formed but contains invalid data.", "error_code": "derive-panic-1", "field": null, "details": null}])
    );
}
