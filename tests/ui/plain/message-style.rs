use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("not found")]
    #[api(status = 404, code = "1001", message = "thing not found")]
    NotFound,
    #[error("gone")]
    #[api(status = 410, code = "1002", message = " The thing is gone. ")]
    Gone,
}

fn main() {}
