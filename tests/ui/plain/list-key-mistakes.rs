use apierror::ApiError;

// A key inside `db(...)` or `upstream(...)` gets what a key of `#[api(...)]`
// gets: a near miss is suggested, a key of another place says where it goes.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("near miss")]
    #[api(status = 409, code = "1001", db(constrant = "things_name_key"))]
    NearMiss,
    #[error("another list's key")]
    #[api(status = 402, code = "1002", upstream(service = "billing", constraint = "things_name_key"))]
    OtherList,
    #[error("a variant's key")]
    #[api(status = 409, code = "1003", db(constraint = "things_code_key", code = "1003"))]
    VariantKey,
}

fn main() {}
