//! `Retry-After` of any error.

use super::*;

apierror::register! {
    static QUOTA_ENTRIES: [apierror::Entry; 1] = [
        apierror::Entry::builder("upstream-test.quota", 429, "QuotaError")
            .message("You have used your quota for now.")
            .retry_after(30)
            .location(module_path!(), file!(), line!())
            .build(),
    ];
}

/// A hand-written error with a declared `retry_after` (as the derive's
/// `retry_after = 30`), and one that learns its own at run time.
#[derive(Debug, thiserror::Error)]
#[error("quota")]
struct QuotaError(Option<u32>);

impl ApiError for QuotaError {
    fn entry(&self) -> &'static apierror::Entry {
        &QUOTA_ENTRIES[0]
    }
    fn retry_after(&self) -> Option<u32> {
        self.0.or(self.entry().retry_after)
    }
}

#[test]
fn an_entrys_retry_after_is_the_header_and_an_errors_own_overrides_it() {
    let response = QuotaError(None).to_response_with(&Config::production());
    assert_eq!((response.status().as_u16(), retry_after(&response)), (429, Some(30)));
    let response = QuotaError(Some(5)).to_response_with(&Config::development());
    assert_eq!(retry_after(&response), Some(5));
    // An error without one has no header.
    let response = apierror::builtin::Internal.to_response_with(&Config::production());
    assert_eq!(retry_after(&response), None);
}
