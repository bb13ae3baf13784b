use apierror::ApiError;

// `crate` takes a path; a string that is not one is reported on it.
#[derive(Debug, thiserror::Error, ApiError)]
#[api(crate = "not a path")]
pub enum ThingError {
    #[error("not found")]
    #[api(status = 404, code = "1001")]
    NotFound,
}

fn main() {}
