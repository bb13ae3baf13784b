//! Cost: nothing is formatted for an uninterested subscriber.

use super::*;

static DISPLAYS: AtomicUsize = AtomicUsize::new(0);

#[derive(Debug)]
struct Counted;

impl fmt::Display for Counted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        DISPLAYS.fetch_add(1, Ordering::SeqCst);
        f.write_str("counted")
    }
}

impl std::error::Error for Counted {}

#[derive(Debug, ApiError)]
enum CountedError {
    #[api(status = 500, code = "log-counted-500")]
    Server(Counted),
    #[api(status = 400, code = "log-counted-400")]
    Client(Counted),
}

impl fmt::Display for CountedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        DISPLAYS.fetch_add(1, Ordering::SeqCst);
        f.write_str("counted error")
    }
}

impl std::error::Error for CountedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Server(source) | Self::Client(source) => Some(source),
        }
    }
}

/// One test, so that no other test of this file counts at the same time.
#[test]
fn nothing_is_formatted_unless_a_subscriber_wants_the_event() {
    let config = Config::production();
    let id = RequestId::generate();
    let displays = |f: &dyn Fn()| {
        let before = DISPLAYS.load(Ordering::SeqCst);
        f();
        DISPLAYS.load(Ordering::SeqCst) - before
    };

    // No subscriber at all.
    assert_eq!(displays(&|| drop(CountedError::Server(Counted).to_response_with_id(&config, &id))), 0);
    // A subscriber interested in nothing.
    let none =
        || drop(capture_up_to(None, || CountedError::Server(Counted).to_response_with_id(&config, &id)));
    assert_eq!(displays(&none), 0);
    // A subscriber interested in errors only, and a 4xx (logged at debug).
    let client = || {
        drop(capture_up_to(Some(Level::ERROR), || {
            CountedError::Client(Counted).to_response_with_id(&config, &id)
        }))
    };
    assert_eq!(displays(&client), 0);

    // The control: an interested subscriber formats the message and the chain
    // (the chain reads the error's own text too: a first source that it
    // already ends with is not repeated).
    let server = || {
        let (_, events) = capture_up_to(Some(Level::ERROR), || {
            CountedError::Server(Counted).to_response_with_id(&config, &id)
        });
        assert_eq!(events[0].field("error.message"), Some("counted error"));
        assert_eq!(events[0].field("error.chain"), Some("counted"));
    };
    assert_eq!(displays(&server), 3);
}
