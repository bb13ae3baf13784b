use apierror::db::DbError;
use apierror::ApiError;

// A variant mapped by `db(...)` holds the `DbError` in its one field: a
// field of another type is reported on its type.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("duplicate name")]
    #[api(status = 409, code = "1001", db(constraint = "things_name_key"))]
    DuplicateName(String),
    #[error("declined")]
    #[api(status = 402, code = "1002", upstream(service = "billing", status = 402))]
    Declined { reason: u32 },
    #[error(transparent)]
    #[api(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    #[api(transparent)]
    Upstream(#[from] apierror::upstream::UpstreamError),
}

fn main() {}
