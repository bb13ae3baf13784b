use apierror::ApiError;

// A code is visible ASCII: letters, digits, `.`, `_`, `-`, `:`. Anything
// else (a `#` that the lock file would read as a comment, a slash, a
// non-ASCII letter, a control character) is refused, and the `apierror.`
// prefix is the library's.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum ThingError {
    #[error("a")]
    #[api(status = 404, code = "#1001")]
    Comment,
    #[error("b")]
    #[api(status = 404, code = "things/1002")]
    Slash,
    #[error("c")]
    #[api(status = 404, code = "chose-é")]
    NonAscii,
    #[error("d")]
    #[api(status = 404, code = "bell\u{7}")]
    Control,
    #[error("e")]
    #[api(status = 404, code = "apierror.not_found")]
    Reserved,
    #[error("f")]
    #[api(status = 404, code = "things.v2:not_found-1_b")]
    Fine,
}

fn main() {}
