use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
#[api(status = 404)]
pub enum ThingError {
    #[error("not found")]
    #[api(status = 404, code = "1001", docs = "https://example.com/{code}")]
    NotFound {
        #[api(code = "1002")]
        id: u64,
    },
}

fn main() {}
