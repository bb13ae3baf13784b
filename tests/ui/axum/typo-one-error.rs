// One typo, one error: the derive's fallback still implements the framework
// response traits, so a handler returning the type reports nothing more.
use apierror::ApiError;
use axum::routing::get;

#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("not found")]
    #[api(status = 404, cdoe = "things-1")]
    NotFound,
}

async fn handler() -> Result<&'static str, ThingError> {
    Err(ThingError::NotFound)
}

fn main() {
    let _app: axum::Router = axum::Router::new().route("/", get(handler));
}
