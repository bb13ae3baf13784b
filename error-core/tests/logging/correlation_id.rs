//! The correlation id in responses and logs.

use super::*;

#[test]
fn the_id_goes_in_the_header_and_the_log() {
    let id = RequestId::parse("0f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0").unwrap();
    let (response, events) =
        capture(|| TableError::NotFound("t".into()).to_response_with_id(&Config::production(), &id));
    assert_eq!(response.headers()["x-request-id"], "0f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0");
    assert_eq!(events[0].field("request_id"), Some("0f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0"));
    // The body is unchanged by an id unless asked.
    assert_eq!(
        response.body(),
        TableError::NotFound("t".into()).to_response_with(&Config::production()).body()
    );
}

#[test]
fn the_header_name_is_configurable() {
    let config =
        Config::production().with_request_id_header(http::HeaderName::from_static("x-correlation-id"));
    let id = RequestId::generate();
    let response = database().to_response_with_id(&config, &id);
    assert_eq!(response.headers()["x-correlation-id"], id.as_str());
    assert!(response.headers().get("x-request-id").is_none());

    let mut headers = http::HeaderMap::new();
    headers.insert("x-correlation-id", http::HeaderValue::from_static("from-proxy"));
    headers.insert("x-request-id", http::HeaderValue::from_static("ignored"));
    assert_eq!(RequestId::from_headers(&headers, &config).as_str(), "from-proxy");
}

#[test]
fn inside_a_scope_every_render_uses_the_scope_id() {
    let id = RequestId::parse("scoped-1").unwrap();
    let (responses, events) = capture(|| {
        id.scope(|| {
            let mut errors = Errors::new();
            errors.push(ServiceError::Forbidden);
            [
                database().to_response_with(&Config::production()),
                TableError::NotFound("t".into()).to_response(),
                errors.to_response_with(&Config::production()),
            ]
        })
    });
    for response in &responses {
        assert_eq!(response.headers()["x-request-id"], "scoped-1");
    }
    assert_eq!(events.len(), 3);
    assert!(events.iter().all(|e| e.field("request_id") == Some("scoped-1")));
    // An explicit id wins over the scope's.
    let other = RequestId::parse("explicit").unwrap();
    let response = id.scope(|| database().to_response_with_id(&Config::production(), &other));
    assert_eq!(response.headers()["x-request-id"], "explicit");
}

/// Incoming header values that must never reach a response or a log as they
/// are.
fn hostile_ids() -> Vec<Vec<u8>> {
    vec![
        "x".repeat(RequestId::MAX_LEN + 1).into_bytes(),
        "a".repeat(64 * 1024).into_bytes(),
        b"abc\x01def".to_vec(),
        b"tab\tinside".to_vec(),
        b"abc\x7f".to_vec(),
        b"abc\r\nset-cookie: session=stolen".to_vec(),
        b"abc\r\n\r\n<html>".to_vec(),
        b"abc\nerror.code=\"forged\"".to_vec(),
        "caf\u{e9}-\u{1f600}".as_bytes().to_vec(),
        b"\xff\xfe\xfd".to_vec(),
        b"with space".to_vec(),
        b"quote\"d".to_vec(),
        b"".to_vec(),
    ]
}

#[test]
fn hostile_incoming_ids_are_replaced_by_fresh_ones() {
    let config = Config::production().with_request_id_in_details(true);
    for hostile in hostile_ids() {
        // As a framework sees it: a request header, where `http` accepts the
        // bytes at all (it refuses CR, LF and NUL itself)...
        let mut headers = http::HeaderMap::new();
        if let Ok(value) = http::HeaderValue::from_bytes(&hostile) {
            headers.insert("x-request-id", value);
        }
        let from_headers = RequestId::from_headers(&headers, &config);
        // ...or as raw bytes from elsewhere.
        let from_bytes = RequestId::parse_or_generate(&hostile);
        for id in [from_headers, from_bytes] {
            assert_eq!(id.as_str().len(), 32, "{hostile:?}");
            assert_ne!(id.as_str().as_bytes(), &hostile[..]);
            let (response, events) = capture(|| database().to_response_with_id(&config, &id));
            let header = response.headers()["x-request-id"].as_bytes();
            assert_eq!(header, id.as_str().as_bytes());
            assert_eq!(events[0].field("request_id"), Some(id.as_str()));
            assert_eq!(body(&response)[0]["details"]["request_id"], id.as_str());
            let raw = String::from_utf8_lossy(response.body());
            assert!(!raw.contains("set-cookie") && !raw.contains("forged") && !raw.contains("<html>"));
        }
    }
}
