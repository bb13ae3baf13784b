use apierror::ApiError;

// Each mistake in `db(...)` and `upstream(...)` is reported on its own token.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("empty")]
    #[api(status = 409, code = "1001", db(constraint = ""))]
    Empty,
    #[error("unknown key")]
    #[api(status = 409, code = "1002", db(name = "things_name_key"))]
    UnknownKey,
    #[error("not a list")]
    #[api(status = 409, code = "1003", db = "things_name_key")]
    NotAList,
    #[error("no constraint")]
    #[api(status = 409, code = "1004", db())]
    NoConstraint,
    #[error("no status")]
    #[api(status = 402, code = "1005", upstream(service = "billing"))]
    NoStatus,
    #[error("nothing")]
    #[api(status = 402, code = "1008", upstream())]
    Nothing,
    #[error("a success")]
    #[api(status = 402, code = "1006", upstream(service = "billing", status = 200))]
    Success,
    #[error("two fields")]
    #[api(status = 409, code = "1007", db(constraint = "things_pair_key"))]
    TwoFields(String, String),
    #[error("outside the list")]
    #[api(status = 409, code = "1009", constraint = "things_name_key")]
    Outside,
    #[error(transparent)]
    #[api(transparent, db(constraint = "things_other_key"), upstream(service = "billing", status = 404))]
    Inner(Box<ThingError>),
}

fn main() {}
