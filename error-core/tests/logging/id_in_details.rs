//! The id in `details`.

use super::*;
use crate::display_panics::Panicky;

#[test]
fn the_id_goes_in_5xx_details_only_when_configured() {
    let id = RequestId::parse("req-9").unwrap();
    let on = Config::production().with_request_id_in_details(true);
    let off = Config::production();

    // Off (the default): bodies are the same as without an id.
    assert_eq!(body(&database().to_response_with_id(&off, &id))[0]["details"], serde_json::Value::Null);

    // On: merged into the 5xx object's details, whatever they hold.
    assert_eq!(
        body(&database().to_response_with_id(&on, &id))[0]["details"],
        serde_json::json!({"request_id": "req-9"})
    );
    assert_eq!(
        body(&TableError::Quota { limit: 3 }.to_response_with_id(&on, &id))[0]["details"],
        serde_json::json!({"limit": 3, "request_id": "req-9"})
    );
    // The error's own `request_id` detail is kept; the key is not repeated.
    let response = TableError::Upstream { request_id: "theirs" }.to_response_with_id(&on, &id);
    assert_eq!(body(&response)[0]["details"], serde_json::json!({"request_id": "theirs"}));
    assert_eq!(String::from_utf8_lossy(response.body()).matches("request_id").count(), 1);
    // Not for 4xx.
    let response = TableError::NotFound("t".into()).to_response_with_id(&on, &id);
    assert_eq!(body(&response)[0]["details"], serde_json::Value::Null);
    // Without an id, nothing to add.
    assert_eq!(body(&database().to_response_with(&on))[0]["details"], serde_json::Value::Null);

    // In `Errors`, each object by its own status.
    let mut errors = Errors::new();
    errors.push(TableError::NotFound("t".into()));
    errors.push(database());
    let response = errors.to_response_with_id(&on, &id);
    let body = body(&response);
    assert_eq!(body[0]["details"], serde_json::Value::Null);
    assert_eq!(body[1]["details"], serde_json::json!({"request_id": "req-9"}));
    // The shape is unchanged: the four keys, and nothing else.
    for object in body.as_array().unwrap() {
        let keys: Vec<&str> = object.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 4, "{keys:?}");
    }
}

#[test]
fn a_panicking_render_still_carries_the_id_in_details() {
    let id = RequestId::parse("req-p").unwrap();
    let config = Config::development().with_request_id_in_details(true);
    let response = Panicky.to_response_with_id(&config, &id);
    assert_eq!(body(&response)[0]["details"], serde_json::json!({"request_id": "req-p"}));
}
