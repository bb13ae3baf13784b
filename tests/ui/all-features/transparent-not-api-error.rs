use apierror::ApiError;

#[derive(Debug, thiserror::Error)]
#[error("plain")]
pub struct Plain;

// `transparent` delegates to the field, which must itself be an `ApiError`:
// the error points at the field.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error(transparent)]
    #[api(transparent)]
    Inner(Plain),
}

fn main() {}
