use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("not found")]
    #[api(code = "1001")]
    NotFound,
}

fn main() {}
