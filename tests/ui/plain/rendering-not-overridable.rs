// Rendering is not part of what an error says about itself: it cannot be
// overridden in an `ApiError` impl, and `ApiErrorExt` (which renders every
// `ApiError` the same way) cannot be implemented.

use apierror::{ApiError, ApiErrorExt, Config, Entry, RequestId};

#[derive(Debug, thiserror::Error)]
#[error("custom")]
struct Custom;

impl ApiError for Custom {
    fn entry(&self) -> &'static Entry {
        apierror::builtin::Internal.entry()
    }

    fn to_response_with(&self, _: &Config) -> http::Response<Vec<u8>> {
        http::Response::new(b"not the common body".to_vec())
    }

    fn public_message(&self) -> std::borrow::Cow<'_, str> {
        "leaked".into()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("other")]
struct Other;

impl ApiError for Other {
    fn entry(&self) -> &'static Entry {
        apierror::builtin::Internal.entry()
    }
}

impl ApiErrorExt for Other {
    fn public_message(&self) -> std::borrow::Cow<'_, str> {
        "other".into()
    }
    fn to_response(&self) -> http::Response<Vec<u8>> {
        http::Response::new(Vec::new())
    }
    fn to_response_with(&self, _: &Config) -> http::Response<Vec<u8>> {
        http::Response::new(Vec::new())
    }
    fn to_response_with_id(&self, _: &Config, _: &RequestId) -> http::Response<Vec<u8>> {
        http::Response::new(Vec::new())
    }
}

fn main() {}
