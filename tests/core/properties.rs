//! Claims about all inputs: whatever text an error carries, the body is
//! valid JSON of the common shape, and a production body never contains the
//! error's `Display`, `Debug`, source text or type name.

use apierror::{ApiError, ApiErrorExt, Config};
use proptest::prelude::*;
use serde_json::Value;

/// A marker that no static message contains: if it shows up in a body, text
/// from the error leaked.
const MARK: &str = "\u{1}LEAK:";

#[derive(Debug, thiserror::Error, ApiError)]
pub enum LeakyError {
    #[error("display {secret}")]
    #[api(status = 500, code = "prop-1")]
    Internal { secret: String },

    #[error("wrapped {0}")]
    #[api(status = 502, code = "prop-2", message = "The upstream service failed.")]
    Upstream(#[source] std::io::Error),

    #[error("opaque")]
    #[api(status = 502, code = "prop-5", message = "The upstream service failed.")]
    Opaque(#[source] std::io::Error),

    #[error("not found {0}")]
    #[api(status = 404, code = "prop-3")]
    NotFound(String),

    #[error("invalid {given} {hidden}")]
    #[api(status = 400, code = "prop-4", message = "{given} is not valid.")]
    Invalid {
        given: String,
        hidden: String,
        #[api(details)]
        options: Vec<String>,
        #[api(field)]
        field: String,
    },
}

fn parse(body: &[u8]) -> Vec<serde_json::Map<String, Value>> {
    let value: Value = serde_json::from_slice(body).expect("valid JSON");
    let Value::Array(objects) = value else { panic!("not an array") };
    assert!(!objects.is_empty());
    objects
        .into_iter()
        .map(|object| match object {
            Value::Object(map) => map,
            other => panic!("not an object: {other}"),
        })
        .collect()
}

/// Every string anywhere in a JSON value.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|item| strings(item, out)),
        Value::Object(map) => map.iter().for_each(|(key, item)| {
            out.push(key.clone());
            strings(item, out);
        }),
        _ => {}
    }
}

fn assert_no_leak(err: &LeakyError) {
    let response = err.to_response_with(&Config::production());
    let raw = std::str::from_utf8(response.body()).expect("UTF-8");
    assert!(!raw.contains("LeakyError"), "type name leaked: {raw}");
    let objects = parse(response.body());
    for object in &objects {
        let keys: Vec<&str> = object.keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 4, "{keys:?}");
        for key in ["message", "error_code", "field", "details"] {
            assert!(object.contains_key(key), "{key} missing");
        }
        let mut texts = Vec::new();
        strings(&Value::Object(object.clone()), &mut texts);
        for text in texts {
            assert!(!text.contains(MARK), "leaked into the body: {text:?}");
        }
    }
}

fn secret(text: &str) -> String {
    format!("{MARK}{text}")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn display_and_sources_never_reach_production(text in any::<String>()) {
        assert_no_leak(&LeakyError::Internal { secret: secret(&text) });
        assert_no_leak(&LeakyError::Upstream(std::io::Error::other(secret(&text))));
        assert_no_leak(&LeakyError::Opaque(std::io::Error::other(secret(&text))));
        assert_no_leak(&LeakyError::NotFound(secret(&text)));
    }

    #[test]
    fn undeclared_fields_never_reach_production(given in any::<String>(), hidden in any::<String>()) {
        let err = LeakyError::Invalid {
            given: given.replace(MARK, ""),
            hidden: secret(&hidden),
            options: vec![],
            field: "name".into(),
        };
        assert_no_leak(&err);
    }

    #[test]
    fn interpolated_text_and_details_round_trip(
        given in any::<String>(),
        options in proptest::collection::vec(any::<String>(), 0..4),
        field in any::<String>(),
    ) {
        let err = LeakyError::Invalid {
            given: given.clone(),
            hidden: String::new(),
            options: options.clone(),
            field: field.clone(),
        };
        for config in [Config::production(), Config::development()] {
            let body = err.to_response_with(&config).into_body();
            let objects = parse(&body);
            let expected = format!("{given} is not valid.");
            prop_assert_eq!(objects[0]["message"].as_str(), Some(expected.as_str()));
            prop_assert_eq!(objects[0]["field"].as_str(), Some(field.as_str()));
            prop_assert_eq!(&objects[0]["details"]["options"], &serde_json::json!(options));
        }
    }

    #[test]
    fn development_shows_display_and_sources_verbatim(text in any::<String>()) {
        let err = LeakyError::Upstream(std::io::Error::other(text.clone()));
        let objects = parse(&err.to_response_with(&Config::development()).into_body());
        let expected = format!("wrapped {text}");
        prop_assert_eq!(objects[0]["debug"]["display"].as_str(), Some(expected.as_str()));
        // The display already ends with the source's text: it is not repeated.
        prop_assert_eq!(&objects[0]["debug"]["sources"], &serde_json::json!([]));
        prop_assert_eq!(objects[0]["message"].as_str(), Some("The upstream service failed."));
        let err = LeakyError::Opaque(std::io::Error::other(text.clone()));
        let objects = parse(&err.to_response_with(&Config::development()).into_body());
        let sources = if "opaque".ends_with(text.as_str()) { serde_json::json!([]) } else { serde_json::json!([text]) };
        prop_assert_eq!(&objects[0]["debug"]["sources"], &sources);
    }
}

/// The leak check above is not vacuous: the same text is found where it is
/// meant to be shown, in development bodies.
#[test]
fn the_leak_check_finds_text_in_development_bodies() {
    let err = LeakyError::Upstream(std::io::Error::other(secret("x")));
    let objects = parse(&err.to_response_with(&Config::development()).into_body());
    let mut texts = Vec::new();
    strings(&Value::Object(objects[0].clone()), &mut texts);
    assert!(texts.iter().any(|text| text.contains(MARK)));
}
