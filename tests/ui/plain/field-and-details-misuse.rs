use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("invalid {0}")]
    #[api(status = 400, code = "1001", field = "name")]
    Invalid(#[api(field)] String, #[api(details)] u32),
    #[error("failed")]
    #[api(status = 500, code = "1002")]
    Failed {
        #[source]
        #[api(details)]
        source: std::io::Error,
    },
}

fn main() {}
