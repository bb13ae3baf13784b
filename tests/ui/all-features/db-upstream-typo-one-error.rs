use apierror::db::DbError;
use apierror::upstream::{FromUpstreamError, UpstreamError};
use apierror::ApiError;

// A typo elsewhere in the derive is the one error: the conversions from the
// drivers' and the upstream's errors still exist (mapping nothing), so no
// `?` or `from_upstream` reports them missing.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("duplicate name")]
    #[api(status = 409, cdoe = "1001", db(constraint = "things_name_key"))]
    DuplicateName,
    #[error("declined")]
    #[api(status = 402, code = "1002", upstream(service = "billing", status = 402))]
    Declined,
    #[error(transparent)]
    #[api(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    #[api(transparent)]
    Upstream(#[from] UpstreamError),
}

fn query(err: sqlx::Error) -> Result<(), ThingError> {
    Err(err)?
}

fn call(err: UpstreamError) -> ThingError {
    ThingError::from_upstream(err)
}

fn main() {
    let _ = (query, call);
}
