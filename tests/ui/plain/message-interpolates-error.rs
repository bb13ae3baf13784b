use apierror::ApiError;

// A field whose type is an error has internal text, even when it is not
// the `#[source]`: interpolating it into a message is refused.
#[derive(Debug, thiserror::Error, ApiError)]
#[error("upstream failed")]
pub enum UpstreamError {
    #[api(status = 502, code = "1", message = "The upstream failed: {cause}.")]
    Io { cause: std::io::Error },
    #[api(status = 502, code = "2", message = "The upstream failed: {0}.")]
    Boxed(Box<dyn std::error::Error + Send + Sync>),
    #[api(status = 502, code = "3", message = "The upstream failed: {0}.")]
    BoxedLocal(Box<dyn std::error::Error>),
    #[api(status = 502, code = "4", message = "The upstream {name} failed: {parse}.")]
    Parse { name: String, parse: std::num::ParseIntError },
}

fn main() {}
