use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
pub enum ColumnError {
    #[error("type {given} is not valid")]
    #[api(status = 400, code = "2001", message = "{gvien} is not a valid type.")]
    InvalidType { given: String },
}

fn main() {}
