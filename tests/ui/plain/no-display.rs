use apierror::ApiError;

// `ApiError` needs `std::error::Error` (and so `Display`): the error says
// so, on the type, and never names the derive's internals.
#[derive(Debug, ApiError)]
pub enum ThingError {
    #[api(status = 404, code = "1001")]
    NotFound,
}

fn main() {}
