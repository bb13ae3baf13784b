use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("not found")]
    #[api(status = 404, code = "1001", log = "loud")]
    NotFound,
}

fn main() {}
