//! The fields of the one event.

use super::*;

#[test]
fn the_event_carries_every_stable_field() {
    let id = RequestId::parse("req-abc-123").unwrap();
    let (_, events) = capture(|| database().to_response_with_id(&Config::production(), &id));
    let [event] = &events[..] else { panic!("one event expected: {events:?}") };
    let expected: BTreeMap<String, String> = [
        ("error.code", "log-503"),
        ("error.status", "503"),
        ("error.type", "TableError::Database"),
        ("error.message", "database unavailable"),
        ("error.chain", "pool exhausted after 3 tries: connection refused by 10.0.0.7:5432"),
        ("request_id", "req-abc-123"),
        ("message", "503 log-503"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(event.fields, expected);

    let (_, events) =
        capture(|| TableError::NotFound("users".into()).to_response_with_id(&Config::production(), &id));
    assert_eq!(events[0].field("error.field"), Some("table"));
    assert_eq!(events[0].field("error.chain"), Some(""));
    assert_eq!(events[0].field("error.message"), Some("table users not found"));
    // Every field name is one of the documented ones, and all are used.
    let names: std::collections::BTreeSet<&str> = events[0].fields.keys().map(String::as_str).collect();
    assert_eq!(names, FIELD_NAMES.into_iter().collect());
}

#[test]
fn without_an_id_the_event_has_no_request_id_and_the_response_no_header() {
    let (response, events) = capture(|| database().to_response_with(&Config::production()));
    assert_eq!(events[0].field("request_id"), None);
    assert!(response.headers().get("x-request-id").is_none());
}

#[test]
fn production_logs_are_as_complete_as_development_logs() {
    let id = RequestId::generate();
    let (_, production) = capture(|| database().to_response_with_id(&Config::production(), &id));
    let (_, development) = capture(|| database().to_response_with_id(&Config::development(), &id));
    assert_eq!(production, development);
}

#[test]
fn development_debug_and_the_log_agree() {
    let err = AppError::from(ServiceError::from(database()));
    let (response, events) = capture(|| err.to_response_with(&Config::development()));
    let debug = &body(&response)[0]["debug"];
    let sources: Vec<&str> =
        debug["sources"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert_eq!(sources.len(), 2);
    assert_eq!(events[0].field("error.chain"), Some(sources.join(": ").as_str()));
    assert_eq!(events[0].field("error.message"), debug["display"].as_str());
    assert_eq!(events[0].field("error.type"), debug["type"].as_str());
}

/// A chain longer than the cap: body and log cut it at the same place.
#[derive(Debug)]
struct Deep(usize);

impl fmt::Display for Deep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "level {}", self.0)
    }
}

impl std::error::Error for Deep {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // Leaked so that every level can hand out a `'static` source.
        Some(Box::leak(Box::new(Deep(self.0 + 1))))
    }
}

#[derive(Debug, thiserror::Error, ApiError)]
#[error("endless")]
#[api(status = 500, code = "log-endless")]
struct Endless(#[source] Deep);

#[test]
fn an_endless_chain_is_cut_at_the_same_place_in_body_and_log() {
    let (response, events) = capture(|| Endless(Deep(0)).to_response_with(&Config::development()));
    let sources = body(&response)[0]["debug"]["sources"].as_array().unwrap().clone();
    let sources: Vec<&str> = sources.iter().map(|s| s.as_str().unwrap()).collect();
    assert!(sources.len() > 1);
    assert_eq!(events[0].field("error.chain"), Some(sources.join(": ").as_str()));
}

/// sqlx's way: a `Display` that already ends with its source's text.
#[derive(Debug, thiserror::Error)]
#[error("length limit exceeded")]
struct LengthLimit;

#[derive(Debug, thiserror::Error)]
#[error("failed to read the body: {0}")]
struct BodyRead(#[source] LengthLimit);

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Buffered(#[source] BodyRead);

#[derive(Debug, thiserror::Error, ApiError)]
#[error("payload too large")]
#[api(status = 413, code = "log-413-repeated")]
struct TooLarge(#[source] Buffered);

#[test]
fn a_source_its_parent_already_ends_with_is_not_repeated() {
    let err = TooLarge(Buffered(BodyRead(LengthLimit)));
    let (response, events) = capture(|| err.to_response_with(&Config::development()));
    assert_eq!(events.len(), 1, "{events:?}");
    // `Buffered` repeats `BodyRead`, which ends with `LengthLimit`: one each.
    assert_eq!(events[0].field("error.chain"), Some("failed to read the body: length limit exceeded"));
    let sources = body(&response)[0]["debug"]["sources"].clone();
    assert_eq!(sources, serde_json::json!(["failed to read the body: length limit exceeded"]));
}
