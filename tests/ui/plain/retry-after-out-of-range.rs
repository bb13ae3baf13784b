use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("zero")]
    #[api(status = 429, code = "1001", retry_after = 0)]
    Zero,
    #[error("too long")]
    #[api(status = 503, code = "1002", retry_after = 100000)]
    TooLong,
    #[error("a string")]
    #[api(status = 503, code = "1003", retry_after = "30")]
    Text,
    #[error("negative")]
    #[api(status = 503, code = "1004", retry_after = -1)]
    Negative,
    #[error("inner")]
    #[api(transparent, retry_after = 5)]
    Inner(Box<ThingError>),
}

fn main() {}
