//! `retry_after = N`, and what `transparent` delegates beyond the entry:
//! `status` and `retry_after` (issues 12 and 13).

use super::*;

#[derive(Debug, thiserror::Error, ApiError)]
pub enum QuotaError {
    #[error("rate limited")]
    #[api(status = 429, code = "derive-retry-429", message = "Too many requests.", retry_after = 30)]
    RateLimited,

    #[error("no quota")]
    #[api(status = 403, code = "derive-retry-403")]
    NoQuota,

    #[error(transparent)]
    #[api(transparent)]
    Builtin(#[from] apierror::builtin::BuiltinError),

    #[error(transparent)]
    #[api(transparent)]
    Learned(#[from] Learned),

    #[error(transparent)]
    #[api(transparent)]
    Several(#[from] apierror::Errors),
}

#[derive(Debug, thiserror::Error, ApiError)]
#[error("down for maintenance")]
#[api(status = 503, code = "derive-retry-503", retry_after = 86400)]
pub struct Maintenance;

/// A struct that is one `transparent` field: every method delegated.
#[derive(Debug, thiserror::Error, ApiError)]
#[error(transparent)]
#[api(transparent)]
pub struct Wrapped(QuotaError);

/// A hand-written error that learns its status and `Retry-After` at run
/// time, as `BuiltinError` and `UpstreamError` do: its entry says neither.
#[derive(Debug, thiserror::Error)]
#[error("learned")]
pub struct Learned {
    seconds: u32,
}

apierror::register! {
    static LEARNED: [Entry; 1] = [
        Entry::builder("derive-retry-learned", 503, "Learned")
            .location(module_path!(), file!(), line!())
            .build(),
    ];
}

impl ApiError for Learned {
    fn entry(&self) -> &'static Entry {
        &LEARNED[0]
    }

    fn status(&self) -> StatusCode {
        StatusCode::TOO_MANY_REQUESTS
    }

    fn retry_after(&self) -> Option<u32> {
        Some(self.seconds)
    }
}

fn retry_after_header(err: &dyn ApiError) -> Option<String> {
    let response = err.to_response_with(&Config::production());
    response.headers().get(http::header::RETRY_AFTER).map(|value| value.to_str().unwrap().to_owned())
}

#[test]
fn retry_after_is_in_the_entry_and_the_response() {
    let err = QuotaError::RateLimited;
    assert_eq!(err.entry().retry_after, Some(30));
    assert_eq!(err.retry_after(), Some(30));
    assert_eq!(retry_after_header(&err).as_deref(), Some("30"));

    assert_eq!(QuotaError::NoQuota.entry().retry_after, None);
    assert_eq!(retry_after_header(&QuotaError::NoQuota), None);

    assert_eq!(Maintenance.entry().retry_after, Some(86400));
    assert_eq!(retry_after_header(&Maintenance).as_deref(), Some("86400"));
}

#[test]
fn transparent_delegates_retry_after_and_status() {
    // Through a transparent variant or struct, the entry's `retry_after`.
    let err = Wrapped(QuotaError::RateLimited);
    assert_eq!(err.retry_after(), Some(30));
    assert_eq!(retry_after_header(&err).as_deref(), Some("30"));

    // An inner error's own `status` and `retry_after`, not its entry's.
    let err = QuotaError::from(Learned { seconds: 7 });
    assert_eq!(err.entry().status, 503);
    assert_eq!(err.entry().retry_after, None);
    assert_eq!(err.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(err.retry_after(), Some(7));
    let response = err.to_response_with(&Config::production());
    assert_eq!(response.status(), 429);
    assert_eq!(retry_after_header(&err).as_deref(), Some("7"));
    let err = Wrapped(err);
    assert_eq!(err.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after_header(&err).as_deref(), Some("7"));

    // A built-in error answering a rewritten 418: its entry says 400.
    let err = QuotaError::from(apierror::builtin::BuiltinError::for_status(StatusCode::IM_A_TEAPOT));
    assert_ne!(err.entry().status, 418);
    assert_eq!(err.status(), StatusCode::IM_A_TEAPOT);
    assert_eq!(err.to_response_with(&Config::production()).status(), 418);
    assert_eq!(Wrapped(err).status(), StatusCode::IM_A_TEAPOT);

    // Several errors: `Errors::status`.
    let mut errors = apierror::Errors::new();
    errors.push(QuotaError::NoQuota);
    errors.push(TableError::NotFound("t".into()));
    let err = QuotaError::from(errors);
    assert_eq!(err.status(), StatusCode::BAD_REQUEST);
    assert_eq!(err.to_response_with(&Config::production()).status(), 400);
}

/// Variants with the same message, or the same `details` field, share one
/// arm of the generated `match` (an or-pattern); each still shows its own
/// values. A field of the same name but another type is not merged (the
/// or-pattern would not compile).
#[derive(Debug, thiserror::Error, ApiError)]
pub enum SharedArms {
    #[error("a")]
    #[api(status = 400, code = "derive-shared-1", message = "{given} is not valid.")]
    First {
        given: String,
        #[api(details)]
        allowed: Vec<String>,
    },
    #[error("b")]
    #[api(status = 400, code = "derive-shared-2", message = "{given} is not valid.")]
    Second {
        given: String,
        #[api(details)]
        allowed: Vec<String>,
    },
    #[error("c")]
    #[api(status = 422, code = "derive-shared-3", message = "{given} is not valid.")]
    Third {
        given: u32,
        #[api(details)]
        allowed: u32,
    },
    #[error("d")]
    #[api(status = 422, code = "derive-shared-4", message = "{given} is out of range.")]
    Fourth {
        given: String,
        #[api(details)]
        allowed: Vec<String>,
    },
}

#[test]
fn variants_sharing_a_message_or_details_show_their_own_values() {
    let list = |items: &[&str]| items.iter().map(|item| item.to_string()).collect::<Vec<_>>();
    let cases = [
        (
            SharedArms::First { given: "a".into(), allowed: list(&["x"]) },
            "a is not valid.",
            json!({"allowed": ["x"]}),
        ),
        (
            SharedArms::Second { given: "b".into(), allowed: list(&["y", "z"]) },
            "b is not valid.",
            json!({"allowed": ["y", "z"]}),
        ),
        (SharedArms::Third { given: 7, allowed: 9 }, "7 is not valid.", json!({"allowed": 9})),
        (
            SharedArms::Fourth { given: "d".into(), allowed: list(&[]) },
            "d is out of range.",
            json!({"allowed": []}),
        ),
    ];
    for (err, message, details) in cases {
        assert_eq!(err.public_message(), message);
        let body = production(&err);
        assert_eq!(body[0]["message"], message);
        assert_eq!(body[0]["error_code"], err.entry().code);
        assert_eq!(body[0]["details"], details);
    }
}
