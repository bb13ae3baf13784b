use apierror::ApiError;

// A message is sent to clients: only `Display` may format a field. Every
// other trait, and the alternate form, is refused, each on its own message.
#[derive(Debug, thiserror::Error, ApiError)]
#[error("bad token")]
pub enum TokenError {
    #[api(status = 400, code = "1", message = "Bad token {token:?}.")]
    Debug { token: String },
    #[api(status = 400, code = "2", message = "Bad token {token:#?}.")]
    PrettyDebug { token: String },
    #[api(status = 400, code = "3", message = "Bad id {id:x}.")]
    LowerHex { id: u32 },
    #[api(status = 400, code = "4", message = "Bad id {id:#X}.")]
    UpperHex { id: u32 },
    #[api(status = 400, code = "5", message = "Bad id {id:o}.")]
    Octal { id: u32 },
    #[api(status = 400, code = "6", message = "Bad id {id:>8b}.")]
    Binary { id: u32 },
    #[api(status = 400, code = "7", message = "Bad ratio {ratio:e}.")]
    LowerExp { ratio: f64 },
    #[api(status = 400, code = "8", message = "Bad ratio {ratio:.2E}.")]
    UpperExp { ratio: f64 },
    #[api(status = 400, code = "9", message = "Bad pointer {token:p}.")]
    Pointer { token: &'static str },
    #[api(status = 400, code = "10", message = "Bad token {token:#}.")]
    Alternate { token: String },
    #[api(status = 400, code = "11", message = "Bad id {id:x?}.")]
    HexDebug { id: u32 },
    // Fill, alignment, sign, zero, width and precision stay allowed.
    #[api(status = 400, code = "12", message = "Fine {token:*^12.3} {id:+08}.")]
    Fine { token: String, id: i32 },
}

fn main() {}
