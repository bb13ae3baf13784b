//! The level of each event: by status, by `log`, by configuration.

use super::*;

#[test]
fn server_errors_log_at_error_and_client_errors_at_debug() {
    let config = Config::production();
    let (_, events) = capture(|| database().to_response_with(&config));
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].level, Level::ERROR);

    let (_, events) = capture(|| TableError::NotFound("users".into()).to_response_with(&config));
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].level, Level::DEBUG);
}

#[test]
fn the_log_attribute_overrides_the_level() {
    let config = Config::production();
    let (_, events) = capture(|| TableError::RateLimited.to_response_with(&config));
    assert_eq!(events.iter().map(|e| e.level).collect::<Vec<_>>(), [Level::WARN]);
    let (_, events) = capture(|| TableError::Expired.to_response_with(&config));
    assert_eq!(events.iter().map(|e| e.level).collect::<Vec<_>>(), [Level::INFO]);
}

#[test]
fn the_client_error_level_is_one_line_of_config() {
    let config = Config::production().with_client_error_level(LogLevel::Info);
    let levels = |config: &Config| {
        let (_, events) = capture(|| {
            TableError::NotFound("users".into()).to_response_with(config);
            TableError::RateLimited.to_response_with(config); // its own `log = "warn"`
            database().to_response_with(config);
            BuiltinError::for_status(http::StatusCode::IM_A_TEAPOT).to_response_with(config);
        });
        events.iter().map(|e| e.level).collect::<Vec<_>>()
    };
    assert_eq!(levels(&config), [Level::INFO, Level::WARN, Level::ERROR, Level::INFO]);
    assert_eq!(levels(&Config::production()), [Level::DEBUG, Level::WARN, Level::ERROR, Level::DEBUG]);
    let off = Config::production().with_client_error_level(LogLevel::Off);
    assert_eq!(levels(&off), [Level::WARN, Level::ERROR]);
}

#[test]
fn the_event_says_the_status_answered() {
    let (response, events) = capture(|| {
        BuiltinError::for_status(http::StatusCode::IM_A_TEAPOT).to_response_with(&Config::production())
    });
    assert_eq!(response.status(), 418);
    assert_eq!(events[0].field("error.status"), Some("418"));
    assert_eq!(events[0].field("message"), Some("418 apierror.client_error"));
}

#[test]
fn log_off_emits_nothing_even_for_a_server_error() {
    for err in [TableError::ClientGone, TableError::DiskFull] {
        let id = RequestId::generate();
        let (response, events) = capture(|| err.to_response_with_id(&Config::production(), &id));
        assert_eq!(events, [], "{err:?}");
        // The response is still complete, id included.
        assert_eq!(response.headers()["x-request-id"], id.as_str());
        assert_eq!(body(&response)[0]["error_code"], err.code());
    }
}

#[test]
fn a_subscriber_that_wants_only_errors_sees_only_5xx() {
    let config = Config::production();
    let (_, events) = capture_up_to(Some(Level::ERROR), || {
        TableError::NotFound("t".into()).to_response_with(&config);
        TableError::RateLimited.to_response_with(&config);
        database().to_response_with(&config);
    });
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].field("error.code"), Some("log-503"));
}
