//! The library's own errors. They have stable codes, prefixed `apierror.`,
//! and are in the registry like any other.

use crate::ApiError;

/// An unexpected failure with nothing more specific to say: rendered for an
/// empty [`Errors`](crate::Errors), and by the framework integrations for a
/// panic in a handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ApiError)]
#[api(status = 500, code = "apierror.internal")]
pub struct Internal;

impl std::fmt::Display for Internal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("internal server error")
    }
}

impl std::error::Error for Internal {}
