//! A `Display` that panics.

use super::*;

#[derive(Debug, ApiError)]
#[api(status = 500, code = "log-panicky")]
pub(crate) struct Panicky;

impl fmt::Display for Panicky {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        panic!("Display of Panicky")
    }
}

impl std::error::Error for Panicky {}

#[test]
fn a_display_that_panics_is_logged_once_without_escaping() {
    let id = RequestId::generate();
    for config in [Config::production(), Config::development()] {
        // Production renders no `Display`: only the subscriber calls it.
        let (response, events) = capture(|| Panicky.to_response_with_id(&config, &id));
        assert_eq!(response.status(), 500);
        assert_eq!(response.headers()["x-request-id"], id.as_str());
        assert_eq!(body(&response)[0]["error_code"], "log-panicky");
        let panicked: Vec<_> =
            events.iter().filter(|e| e.field("error.code") == Some("log-panicky")).collect();
        assert_eq!(panicked.len(), 1, "{events:?}");
        assert_eq!(panicked[0].level, Level::ERROR);
        assert_eq!(panicked[0].field("request_id"), Some(id.as_str()));
    }
}
