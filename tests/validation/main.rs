//! Behaviour of `Errors: From<validator::ValidationErrors>` and
//! `From<garde::Report>` (features `validator`, `garde`): one object per
//! violation in the common body, the client's paths, stable codes, the
//! team's codes only when registered, allow-listed limits, the cap, and
//! never anything the client sent, in production or development.
#![cfg(any(feature = "validator", feature = "garde"))]

#[path = "../web/log.rs"]
#[allow(dead_code)]
mod log;

use apierror::validation::{Options, RenameAll};
use apierror::{ApiError, Config, Errors};
use serde_json::{json, Value};

/// A team's own code for a custom rule, declared in the registry.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum OrderError {
    #[error("unknown sku")]
    #[api(
        status = 400,
        code = "validation-test.sku_unknown",
        message = "There is no product with this SKU."
    )]
    SkuUnknown,
}

/// The whole body, production.
fn rendered(errors: &Errors) -> (u16, Value) {
    let response = errors.to_response_with(&Config::production());
    (response.status().as_u16(), serde_json::from_slice(response.body()).unwrap())
}

/// Each object as `(error_code, field)`.
fn codes(body: &Value) -> Vec<(String, Value)> {
    body.as_array()
        .unwrap()
        .iter()
        .map(|object| (object["error_code"].as_str().unwrap().to_owned(), object["field"].clone()))
        .collect()
}

fn pair(code: &str, field: Option<&str>) -> (String, Value) {
    (code.to_owned(), field.map_or(Value::Null, Value::from))
}

/// Both environments' bodies as text: `secret` appears in neither (in
/// development, nowhere at all: not even `debug`, since the library never
/// puts validator's or garde's text there).
fn assert_nowhere(errors: &Errors, secrets: &[&str]) {
    for config in [Config::production(), Config::development()] {
        let text = String::from_utf8(errors.to_response_with(&config).into_body()).unwrap();
        for secret in secrets {
            assert!(!text.contains(secret), "{secret:?} echoed in {:?}: {text}", config.environment());
        }
    }
}

#[cfg(feature = "validator")]
mod with_validator;

#[cfg(feature = "garde")]
mod with_garde;
