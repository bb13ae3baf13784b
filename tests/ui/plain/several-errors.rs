use apierror::ApiError;

// Every mistake in one derive is reported in one build.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("a")]
    #[api(status = 200, code = "1001")]
    A,
    #[error("b")]
    #[api(status = 404)]
    B,
    #[error("c")]
    #[api(status = 404, code = "1001", message = "No {thing} here.")]
    C,
}

fn main() {}
