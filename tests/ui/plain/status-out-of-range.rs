use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("fine")]
    #[api(status = 200, code = "1001")]
    Fine,
}

fn main() {}
