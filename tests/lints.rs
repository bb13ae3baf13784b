//! The expansion is clean under strict lints: users who deny these lints in
//! their crates never see a warning from `#[derive(ApiError)]`.

#![deny(
    warnings,
    missing_docs,
    unused,
    unused_qualifications,
    unreachable_pub,
    non_upper_case_globals,
    trivial_casts,
    trivial_numeric_casts,
    unused_results,
    single_use_lifetimes,
    unsafe_code,
    clippy::all,
    clippy::pedantic
)]

use apierror::ApiError;

/// Errors of a strict crate.
#[derive(Debug, thiserror::Error, ApiError)]
#[api(docs = "https://docs.example.com/errors/{code}")]
pub enum StrictError {
    /// A unit variant.
    #[error("not found")]
    #[api(status = 404, code = "lints-1")]
    NotFound,
    /// Interpolation, details and a dynamic field.
    #[error("invalid {given}")]
    #[api(status = 400, code = "lints-2", message = "{given} is invalid.")]
    Invalid {
        /// The value.
        given: String,
        /// The field.
        #[api(field)]
        field: String,
        /// Allowed values.
        #[api(details)]
        allowed: Vec<String>,
    },
    /// A tuple variant with a source.
    #[error("io")]
    #[api(status = 500, code = "lints-3")]
    Io(#[source] std::io::Error),
    /// Delegation.
    #[error(transparent)]
    #[api(transparent)]
    Inner(#[from] StrictStruct),
}

/// A struct error with a generic parameter.
#[derive(Debug, thiserror::Error, ApiError)]
#[error("limit {limit}")]
#[api(status = 429, code = "lints-4", message = "At most {limit} requests are allowed.")]
pub struct StrictStruct {
    /// The limit.
    #[api(details)]
    pub limit: u32,
}

/// A generic struct.
#[derive(Debug, thiserror::Error, ApiError)]
#[error("wrapped")]
#[api(status = 409, code = "lints-5")]
pub struct Generic<T: std::fmt::Debug> {
    /// The value.
    #[api(details)]
    pub value: T,
}

/// Database constraints and upstream answers mapped to variants, and a
/// `retry_after` (features `tokio-postgres` and `reqwest`, as CI's
/// `--all-features` runs it).
#[cfg(all(feature = "tokio-postgres", feature = "reqwest"))]
#[derive(Debug, thiserror::Error, ApiError)]
pub enum StrictMapped {
    /// A constraint, the database's error kept.
    #[error("duplicate")]
    #[api(status = 409, code = "lints-6", db(constraint = "things_name_key"))]
    Duplicate(#[source] apierror::db::DbError),
    /// A constraint, the database's error dropped.
    #[error("empty")]
    #[api(status = 400, code = "lints-7", db(constraint = "things_name_check"))]
    Empty,
    /// An upstream's answer.
    #[error("declined")]
    #[api(status = 402, code = "lints-8", upstream(service = "billing", status = 402), retry_after = 60)]
    Declined {
        /// The upstream's error.
        source: apierror::upstream::UpstreamError,
    },
    /// Every other database failure.
    #[error(transparent)]
    #[api(transparent)]
    Db(#[from] apierror::db::DbError),
    /// Every other upstream failure.
    #[error(transparent)]
    #[api(transparent)]
    Upstream(#[from] apierror::upstream::UpstreamError),
}

#[test]
fn strict_crates_compile_the_expansion() {
    let err = StrictError::from(StrictStruct { limit: 3 });
    assert_eq!(err.code(), "lints-4");
    assert_eq!(Generic { value: 1u8 }.code(), "lints-5");
}
