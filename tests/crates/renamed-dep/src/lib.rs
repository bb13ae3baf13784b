//! Errors derived in a crate that depends on apierror as `errs`, and
//! through a facade module: `#[api(crate = "...")]` roots every generated
//! path, so nothing names `::apierror`.

/// A facade, as a team's internal crate would re-export the library.
pub mod facade {
    pub use errs as apierror;
}

use errs::ApiError;

/// Errors that name the renamed crate.
#[derive(Debug, thiserror::Error, ApiError)]
#[api(crate = "::errs", docs = "https://docs.example.com/errors/{code}")]
pub enum RenamedError {
    /// A static message.
    #[error("thing {0} not found")]
    #[api(status = 404, code = "renamed-1", message = "The thing {0} does not exist.", field = "id")]
    NotFound(u32),
    /// Details and a dynamic field.
    #[error("invalid")]
    #[api(status = 422, code = "renamed-2")]
    Invalid {
        /// The request field.
        #[api(field)]
        field: String,
        /// The allowed maximum.
        #[api(details)]
        max: u32,
    },
    /// Delegation.
    #[error(transparent)]
    #[api(transparent)]
    Facade(#[from] FacadeError),
}

/// An error that names the library through the facade module.
#[derive(Debug, thiserror::Error, ApiError)]
#[error("facade")]
#[api(
    crate = "crate::facade::apierror",
    status = 409,
    code = "renamed-3",
    message = "At most {limit} items."
)]
pub struct FacadeError {
    /// Shown in the message.
    pub limit: u32,
}

/// A generic type, whose bounds name the library too.
#[derive(Debug, thiserror::Error, ApiError)]
#[error("generic")]
#[api(crate = "errs", status = 400, code = "renamed-4", message = "Bad value {value}.")]
pub struct GenericError<T: std::fmt::Display + std::fmt::Debug> {
    /// The value.
    #[api(details)]
    pub value: T,
}

/// Database constraints and upstream answers mapped to variants, a
/// `retry_after` and generics, through the facade: the `FromDbError` and
/// `FromUpstreamError` impls name the library only as `crate = "..."` says.
#[cfg(all(feature = "tokio-postgres", feature = "reqwest"))]
#[derive(Debug, thiserror::Error, ApiError)]
#[api(crate = "crate::facade::apierror")]
pub enum MappedError<T: std::fmt::Display + std::fmt::Debug> {
    /// A constraint, with the database's error.
    #[error("duplicate")]
    #[api(status = 409, code = "renamed-5", db(constraint = "things_name_key"), retry_after = 5)]
    Duplicate(errs::db::DbError),
    /// An upstream's answer.
    #[error("declined")]
    #[api(status = 402, code = "renamed-6", upstream(service = "billing", status = 402))]
    Declined,
    /// A generic field.
    #[error("bad {0}")]
    #[api(status = 400, code = "renamed-7", message = "Bad {0}.")]
    Bad(T),
    /// Every other database failure.
    #[error(transparent)]
    #[api(transparent)]
    Db(#[from] errs::db::DbError),
    /// Every other upstream failure.
    #[error(transparent)]
    #[api(transparent)]
    Upstream(#[from] errs::upstream::UpstreamError),
}

#[cfg(test)]
mod tests {
    use super::*;
    use errs::{ApiErrorExt, Config};
    use serde_json::{json, Value};

    fn production(err: &dyn ApiError) -> Value {
        serde_json::from_slice(err.to_response_with(&Config::production()).body()).unwrap()
    }

    #[cfg(all(feature = "tokio-postgres", feature = "reqwest"))]
    #[test]
    fn mapped_through_a_renamed_dependency() {
        fn maps<E: errs::db::FromDbError + errs::upstream::FromUpstreamError>() {}
        maps::<MappedError<u32>>();
        let err = MappedError::<u32>::Bad(3);
        assert_eq!(err.retry_after(), None);
        assert_eq!(production(&err)[0]["message"], "Bad 3.");
        let entry = errs::registry::find("renamed-5").expect("registered");
        assert_eq!(entry.retry_after, Some(5));
    }

    #[test]
    fn derived_through_a_renamed_dependency() {
        assert_eq!(
            production(&RenamedError::NotFound(7)),
            json!([{"message": "The thing 7 does not exist.", "error_code": "renamed-1", "field": "id", "details": null}])
        );
        let err = RenamedError::Invalid { field: "size".into(), max: 3 };
        assert_eq!(err.status(), 422);
        assert_eq!(production(&err)[0]["field"], "size");
        assert_eq!(production(&err)[0]["details"], json!({"max": 3}));
        assert_eq!(
            errs::registry::find("renamed-1").and_then(|entry| entry.docs),
            Some("https://docs.example.com/errors/renamed-1")
        );
    }

    #[test]
    fn derived_through_a_facade() {
        let err = RenamedError::from(FacadeError { limit: 2 });
        assert_eq!(err.code(), "renamed-3");
        assert_eq!(production(&err)[0]["message"], "At most 2 items.");
        assert_eq!(errs::registry::find("renamed-3").map(|entry| entry.type_name), Some("FacadeError"));
    }

    #[test]
    fn generic_through_a_renamed_dependency() {
        let err = GenericError { value: 5u8 };
        assert_eq!(production(&err)[0]["message"], "Bad value 5.");
        assert_eq!(production(&err)[0]["details"], json!({"value": 5}));
    }
}
