use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[error("inner")]
#[api(status = 404, code = "1001")]
pub struct Inner;

#[derive(Debug, thiserror::Error, ApiError)]
pub enum OuterError {
    #[error(transparent)]
    #[api(transparent, status = 500, code = "1002")]
    Inner(#[from] Inner),
}

fn main() {}
