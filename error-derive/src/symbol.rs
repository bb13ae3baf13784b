//! The `#[api(...)]` keys.

pub const API: &str = "api";

pub const CRATE: &str = "crate";
pub const NO_RESPONSE_IMPL: &str = "no_response_impl";
pub const DOCS: &str = "docs";
pub const FREE_MESSAGES: &str = "free_messages";
pub const STATUS: &str = "status";
pub const CODE: &str = "code";
pub const FIELD: &str = "field";
pub const MESSAGE: &str = "message";
pub const LOG: &str = "log";
pub const TRANSPARENT: &str = "transparent";
pub const DETAILS: &str = "details";
pub const RETRY_AFTER: &str = "retry_after";
pub const DB: &str = "db";
pub const UPSTREAM: &str = "upstream";

/// Inside `db(...)`.
pub const CONSTRAINT: &str = "constraint";
/// Inside `upstream(...)` (with [`STATUS`]).
pub const SERVICE: &str = "service";

/// Keys valid on an enum.
pub const ENUM_KEYS: &[&str] = &[DOCS, FREE_MESSAGES, NO_RESPONSE_IMPL, CRATE];
/// Keys valid on a variant.
pub const VARIANT_KEYS: &[&str] =
    &[STATUS, CODE, FIELD, MESSAGE, LOG, RETRY_AFTER, DB, UPSTREAM, TRANSPARENT];
/// Keys valid on a struct: its own and a variant's.
pub const STRUCT_KEYS: &[&str] = &[
    DOCS,
    FREE_MESSAGES,
    NO_RESPONSE_IMPL,
    CRATE,
    STATUS,
    CODE,
    FIELD,
    MESSAGE,
    LOG,
    RETRY_AFTER,
    DB,
    UPSTREAM,
    TRANSPARENT,
];
/// Keys valid on a field.
pub const FIELD_KEYS: &[&str] = &[DETAILS, FIELD];

/// Values of `log = "…"`.
pub const LOG_LEVELS: &[&str] = &["error", "warn", "info", "debug", "off"];

/// The characters of an error code besides ASCII letters and digits.
pub const CODE_PUNCTUATION: &[char] = &['.', '_', '-', ':'];
/// The prefix of the library's own codes, reserved.
pub const RESERVED_PREFIX: &str = "apierror.";

/// The most seconds `retry_after` takes: one day.
pub const MAX_RETRY_AFTER: u32 = 86_400;
