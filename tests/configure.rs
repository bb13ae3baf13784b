//! `apierror::configure` at start-up selects the environment used by
//! `to_response()`.

use apierror::{ApiError, ApiErrorExt, Config};

#[derive(Debug, thiserror::Error, ApiError)]
#[error("boom: {0}")]
#[api(status = 500, code = "configure-1")]
struct Boom(&'static str);

#[test]
fn configured_development_is_used_by_to_response() {
    apierror::configure(Config::development()).expect("first configuration");
    let body: serde_json::Value = serde_json::from_slice(Boom("detail").to_response().body()).unwrap();
    assert_eq!(body[0]["debug"]["display"], "boom: detail");
    assert_eq!(body[0]["message"], "An unexpected error occurred. Please try again later.");
    assert!(apierror::configure(Config::production()).is_err());
    assert!(apierror::config().is_development());
}
