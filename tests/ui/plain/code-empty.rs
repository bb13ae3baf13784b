use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("not found")]
    #[api(status = 404, code = "")]
    NotFound,
}

fn main() {}
