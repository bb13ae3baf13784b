use apierror::ApiError;

#[derive(Debug)]
pub struct Opaque;

#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("invalid")]
    #[api(status = 400, code = "1001")]
    Invalid {
        #[api(details)]
        opaque: Opaque,
    },
}

fn main() {}
