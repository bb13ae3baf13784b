use apierror::ApiError;

// A constraint, or an upstream's (service, status), answers with one
// variant: the second is an error naming the first.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("duplicate name")]
    #[api(status = 409, code = "1001", db(constraint = "things_name_key"))]
    DuplicateName,
    #[error("name taken")]
    #[api(status = 409, code = "1002", db(constraint = "things_name_key"))]
    NameTaken,
    #[error("declined")]
    #[api(status = 402, code = "1003", upstream(service = "billing", status = 402))]
    Declined,
    #[error("refused")]
    #[api(status = 402, code = "1004", upstream(service = "billing", status = 402))]
    Refused,
    #[error("another service")]
    #[api(status = 402, code = "1005", upstream(service = "payments", status = 402))]
    OtherService,
}

fn main() {}
