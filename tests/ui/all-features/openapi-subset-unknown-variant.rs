// A per-operation subset naming a variant the type does not have: one
// error, on the misspelled name.
use apierror::openapi::{responses, Fallback, JsonBody};
use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("duplicate name")]
    #[api(status = 409, code = "ui.duplicate_name")]
    DuplicateName,
    #[error("database")]
    #[api(status = 503, code = "ui.database")]
    Database,
}

responses! {
    pub struct CreateThing = ThingError::{DuplicateName, Databse} + JsonBody + Fallback;
}

fn main() {}
