use apierror::ApiError;

// A path that names nothing is reported on the `crate` value.
#[derive(Debug, thiserror::Error, ApiError)]
#[api(crate = "::nowhere")]
pub enum ThingError {
    #[error("not found")]
    #[api(status = 404, code = "1001")]
    NotFound,
}

fn main() {}
