use apierror::ApiError;

// `db(...)` answers the mapped constraints; everything else becomes the
// type's `From<DbError>` variant, which this type lacks.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("duplicate name")]
    #[api(status = 409, code = "1001", db(constraint = "things_name_key"))]
    DuplicateName,
}

fn main() {}
