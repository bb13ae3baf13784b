//! The library's own errors. They have stable codes, prefixed `apierror.`,
//! and are in the registry like any other.
//!
#![doc = include_str!("docs/builtin.md")]

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

// Implemented by hand, not derived: without the `derive` feature the
// library does not build the proc macro at all. The entries are registered
// with `register!`, as a hand-written impl's are.
use crate::registry::Entry;
use crate::ApiError;

/// The stable names of the library's own errors in `error.type` (logs),
/// `debug.type` (development bodies) and the catalog: their paths, so that
/// they say where they come from.
const KIND_PATH: &str = "apierror::builtin::Kind";
const INTERNAL_PATH: &str = "apierror::builtin::Internal";

crate::register! {
    static INTERNAL_ENTRY: [Entry; 1] = [Entry::builder("apierror.internal", 500, INTERNAL_PATH)
        .location(module_path!(), file!(), line!())
        .build()];
}

/// An unexpected failure with nothing more specific to say: rendered for an
/// empty [`Errors`](crate::Errors), and by the framework integrations for a
/// panic in a handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Internal;

impl fmt::Display for Internal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("internal server error")
    }
}

impl StdError for Internal {}

impl ApiError for Internal {
    fn entry(&self) -> &'static Entry {
        &INTERNAL_ENTRY[0]
    }
}

crate::__private::impl_responses! { impl [] for [Internal] where [] }

crate::kinds::kinds! {
    /// Every stable code the library answers with, besides
    /// [`Internal`]: see the [module documentation](self) for when each is used.
    ///
    /// A `Kind` is itself an [`ApiError`] (without a `field`); a
    /// [`BuiltinError`] adds the request field, the underlying cause (logged,
    /// never sent) and, for [`ClientError`](Kind::ClientError) and
    /// [`ServerError`](Kind::ServerError), the status actually answered.
    pub enum Kind in KIND_ENTRIES: KIND_PATH {
        /// The JSON body does not parse.
        InvalidJson = ("apierror.invalid_json", 400).message("The request body is not valid JSON."),
        /// A required field is missing.
        MissingField = ("apierror.missing_field", 400).message("A required field is missing."),
        /// A field has the wrong type.
        InvalidType = ("apierror.invalid_type", 400).message("A field has the wrong type."),
        /// A field has the right type but an invalid value.
        InvalidValue = ("apierror.invalid_value", 400).message("A field has an invalid value."),
        /// A field is not accepted.
        UnknownField = ("apierror.unknown_field", 400)
            .message("The request has a field that is not accepted."),
        /// The body is not declared as JSON.
        UnsupportedMediaType = ("apierror.unsupported_media_type", 415)
            .message("The request body must be JSON, sent with `Content-Type: application/json`."),
        /// The body is over the size limit.
        PayloadTooLarge = ("apierror.payload_too_large", 413).message("The request body is too large."),
        /// A path parameter does not parse.
        InvalidPath = ("apierror.invalid_path", 400).message("A path parameter is invalid."),
        /// A query parameter does not parse.
        InvalidQuery = ("apierror.invalid_query", 400).message("A query parameter is invalid."),
        /// Another 400: a body that could not be read, or a rewritten 400.
        BadRequest = ("apierror.bad_request", 400),
        /// A rewritten 401.
        Unauthorized = ("apierror.unauthorized", 401),
        /// A rewritten 403.
        Forbidden = ("apierror.forbidden", 403),
        /// No route matches.
        NotFound = ("apierror.not_found", 404),
        /// The route does not answer this method.
        MethodNotAllowed = ("apierror.method_not_allowed", 405),
        /// The request took too long.
        Timeout = ("apierror.timeout", 408),
        /// A rewritten 429.
        TooManyRequests = ("apierror.too_many_requests", 429),
        /// Any other 4xx, rewritten; a [`BuiltinError`] keeps the actual status.
        ClientError = ("apierror.client_error", 400),
        /// A rewritten 503.
        ServiceUnavailable = ("apierror.service_unavailable", 503),
        /// Any other 5xx, rewritten; a [`BuiltinError`] keeps the actual status.
        ServerError = ("apierror.server_error", 500),
    }
}

impl ApiError for Kind {
    fn entry(&self) -> &'static Entry {
        self.registered()
    }
}

crate::__private::impl_responses! { impl [] for [Kind] where [] }

impl Kind {
    /// What the error is, for logs and the development `debug.display`.
    #[must_use]
    pub const fn summary(self) -> &'static str {
        match self {
            Self::InvalidJson => "request body is not valid JSON",
            Self::MissingField => "missing field",
            Self::InvalidType => "field has the wrong type",
            Self::InvalidValue => "field has an invalid value",
            Self::UnknownField => "unknown field",
            Self::UnsupportedMediaType => "request body is not declared as JSON",
            Self::PayloadTooLarge => "request body is over the size limit",
            Self::InvalidPath => "invalid path parameter",
            Self::InvalidQuery => "invalid query parameter",
            Self::BadRequest => "bad request",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "no route matches",
            Self::MethodNotAllowed => "method not allowed",
            Self::Timeout => "request timeout",
            Self::TooManyRequests => "too many requests",
            Self::ClientError => "client error",
            Self::ServiceUnavailable => "service unavailable",
            Self::ServerError => "server error",
        }
    }

    /// The kind used to rewrite an error response of `status` that is not
    /// in the common body: the named kind of the status, else
    /// [`ClientError`](Self::ClientError) or
    /// [`ServerError`](Self::ServerError). (A bare 500 is rewritten as
    /// [`Internal`], not as a `Kind`.)
    #[must_use]
    pub fn for_status(status: http::StatusCode) -> Self {
        match status.as_u16() {
            400 => Self::BadRequest,
            401 => Self::Unauthorized,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            405 => Self::MethodNotAllowed,
            408 => Self::Timeout,
            413 => Self::PayloadTooLarge,
            415 => Self::UnsupportedMediaType,
            429 => Self::TooManyRequests,
            503 => Self::ServiceUnavailable,
            500..=599 => Self::ServerError,
            _ => Self::ClientError,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.summary())
    }
}

impl StdError for Kind {}

/// One of the library's own errors for one request: a [`Kind`], the request
/// field it is about, the status answered, and the underlying cause.
///
/// The cause (serde's message, the framework's rejection) is logged and
/// shown in development's `debug.sources`; in production only the kind's
/// fixed message and the field are sent.
///
/// ```
/// use apierror::builtin::{BuiltinError, Kind};
/// use apierror::{ApiError, ApiErrorExt, Config};
///
/// // A 418 from somewhere, rewritten: the status is kept.
/// let err = BuiltinError::for_status(http::StatusCode::IM_A_TEAPOT);
/// assert_eq!(err.kind(), Kind::ClientError);
/// let response = err.to_response_with(&Config::production());
/// assert_eq!(response.status(), 418);
/// let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
/// assert_eq!(body[0]["error_code"], "apierror.client_error");
/// assert_eq!(body[0]["message"], apierror::generic_message(418));
/// ```
pub struct BuiltinError {
    kind: Kind,
    status: http::StatusCode,
    field: Option<Cow<'static, str>>,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl BuiltinError {
    /// An error of `kind`, with its status, no field and no cause.
    #[must_use]
    pub fn new(kind: Kind) -> Self {
        Self { kind, status: kind.entry().status_code(), field: None, source: None }
    }

    /// The error for an error response of `status` that is not in the
    /// common body: [`Kind::for_status`], answered with `status` itself.
    #[must_use]
    pub fn for_status(status: http::StatusCode) -> Self {
        let mut err = Self::new(Kind::for_status(status));
        if crate::message::is_error_status(status.as_u16()) {
            err.status = status;
        }
        err
    }

    /// Sets the request field the error is about: a name, or a path such as
    /// `items[0].price`.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<Cow<'static, str>>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Sets the underlying cause: logged, and shown in development, never
    /// in production.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The kind, which decides the code and the message.
    #[must_use]
    pub const fn kind(&self) -> Kind {
        self.kind
    }
}

impl fmt::Debug for BuiltinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BuiltinError")
            .field("kind", &self.kind)
            .field("status", &self.status.as_u16())
            .field("field", &self.field)
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for BuiltinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.summary())?;
        if let Some(field) = &self.field {
            write!(f, " `{field}`")?;
        }
        Ok(())
    }
}

impl StdError for BuiltinError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|source| source as &(dyn StdError + 'static))
    }
}

impl ApiError for BuiltinError {
    fn entry(&self) -> &'static Entry {
        self.kind.entry()
    }

    fn status(&self) -> http::StatusCode {
        self.status
    }

    fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    fn write_public_message(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        out.write_str(match self.kind.entry().message {
            Some(message) => message,
            None => crate::generic_message(self.status.as_u16()),
        })
    }
}

crate::__private::impl_responses! { impl [] for [BuiltinError] where [] }

/// A handler panicked: answered as [`Internal`]. The panic message is
/// logged and shown in development's `debug.display`, never in production.
/// With [`crate::panic_hook`] installed, the hook's facts (`panic.message`,
/// `panic.location`, `thread.name`) are fields of the 500's one event.
#[cfg(any(feature = "axum", feature = "actix-web"))]
#[derive(Debug)]
pub(crate) struct Panic(Option<String>, Option<crate::hook::Seen>);

#[cfg(any(feature = "axum", feature = "actix-web"))]
impl Panic {
    /// From what `catch_unwind` caught: a `&str` or `String` message is kept.
    pub(crate) fn from_payload(payload: &(dyn std::any::Any + Send)) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .map(|message| (*message).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned());
        Self(message, None)
    }

    /// From what a layer's [`crate::hook::catch`] caught.
    pub(crate) fn caught(caught: crate::hook::Caught) -> Self {
        Self(Self::from_payload(&*caught.payload).0, caught.seen)
    }
}

#[cfg(any(feature = "axum", feature = "actix-web"))]
impl fmt::Display for Panic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(message) => write!(f, "handler panicked: {message}"),
            None => f.write_str("handler panicked"),
        }
    }
}

#[cfg(any(feature = "axum", feature = "actix-web"))]
impl StdError for Panic {}

#[cfg(any(feature = "axum", feature = "actix-web"))]
impl ApiError for Panic {
    fn entry(&self) -> &'static Entry {
        Internal.entry()
    }

    fn boundary(&self) -> Option<crate::log::Boundary<'_>> {
        self.1.as_ref().map(crate::log::Boundary::Panic)
    }
}

impl From<Kind> for BuiltinError {
    fn from(kind: Kind) -> Self {
        Self::new(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiErrorExt, Config};

    #[test]
    fn every_builtin_code_is_registered_prefixed_and_unique() {
        // The features' own modules (e.g. `apierror::validation`) add theirs.
        let builtin: Vec<&Entry> = crate::registry::entries()
            .filter(|entry| entry.code.starts_with("apierror.") && entry.module == "apierror::builtin")
            .collect();
        assert_eq!(builtin.len(), Kind::ALL.len() + 1, "every Kind and Internal: {builtin:#?}");
        for kind in Kind::ALL {
            let entry = crate::registry::find(kind.code()).expect("registered");
            assert!(std::ptr::eq(entry, kind.entry()));
            assert_eq!(entry.module, "apierror::builtin");
            // `KIND_ENTRIES` is in the order of the variants.
            assert_eq!(entry.variant, Some(format!("{kind:?}").as_str()));
            assert_eq!(entry.log, crate::LogLevel::for_status(entry.status));
        }
        assert!(std::ptr::eq(crate::registry::find("apierror.internal").unwrap(), Internal.entry()));
        crate::registry::check().unwrap();
    }

    /// The built-in codes are a public contract: changing one here must be
    /// deliberate (and noted in the changelog), never a side effect.
    #[test]
    fn builtin_codes_are_stable() {
        let codes: Vec<(&str, u16)> =
            Kind::ALL.iter().map(|kind| (kind.code(), kind.entry().status)).collect();
        assert_eq!(
            codes,
            [
                ("apierror.invalid_json", 400),
                ("apierror.missing_field", 400),
                ("apierror.invalid_type", 400),
                ("apierror.invalid_value", 400),
                ("apierror.unknown_field", 400),
                ("apierror.unsupported_media_type", 415),
                ("apierror.payload_too_large", 413),
                ("apierror.invalid_path", 400),
                ("apierror.invalid_query", 400),
                ("apierror.bad_request", 400),
                ("apierror.unauthorized", 401),
                ("apierror.forbidden", 403),
                ("apierror.not_found", 404),
                ("apierror.method_not_allowed", 405),
                ("apierror.timeout", 408),
                ("apierror.too_many_requests", 429),
                ("apierror.client_error", 400),
                ("apierror.service_unavailable", 503),
                ("apierror.server_error", 500),
            ]
        );
        assert_eq!((Internal.code(), Internal.entry().status), ("apierror.internal", 500));
    }

    /// The names in `error.type` (logs), `debug.type` and the catalog say
    /// where the errors come from, and are as stable as the codes.
    #[test]
    fn builtin_type_names_are_their_paths() {
        assert_eq!(Kind::InvalidJson.entry().path().to_string(), "apierror::builtin::Kind::InvalidJson");
        assert_eq!(Kind::ServerError.entry().path().to_string(), "apierror::builtin::Kind::ServerError");
        assert_eq!(Internal.entry().path().to_string(), "apierror::builtin::Internal");
        let err = BuiltinError::new(Kind::InvalidJson);
        let body = err.to_response_with(&Config::development()).into_body();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body[0]["debug"]["type"], "apierror::builtin::Kind::InvalidJson");
    }

    #[test]
    fn a_kind_for_a_status_answers_with_that_status() {
        for code in 400..=599u16 {
            let Ok(status) = http::StatusCode::from_u16(code) else { continue };
            let err = BuiltinError::for_status(status);
            assert_eq!(err.status(), status);
            let response = err.to_response_with(&Config::production());
            assert_eq!(response.status(), status);
            let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
            if matches!(err.kind(), Kind::ClientError | Kind::ServerError) {
                assert_eq!(body[0]["message"], crate::generic_message(code), "{code}");
                continue;
            }
            assert_eq!(err.kind().entry().status, code, "{code} has a named kind");
            assert_eq!(body[0]["message"], err.kind().entry().production_message(), "{code}");
        }
        assert_eq!(Kind::for_status(http::StatusCode::METHOD_NOT_ALLOWED), Kind::MethodNotAllowed);
        assert_eq!(Kind::for_status(http::StatusCode::IM_A_TEAPOT), Kind::ClientError);
        assert_eq!(Kind::for_status(http::StatusCode::BAD_GATEWAY), Kind::ServerError);
    }

    #[test]
    fn the_cause_is_in_development_only() {
        let err = BuiltinError::new(Kind::InvalidType)
            .with_field("rating")
            .with_source(String::from("invalid type: string \"secret-input\", expected u8"));
        let production = err.to_response_with(&Config::production()).into_body();
        let production = String::from_utf8(production).unwrap();
        assert_eq!(
            production,
            r#"[{"message":"A field has the wrong type.","error_code":"apierror.invalid_type","field":"rating","details":null}]"#
        );
        let development = err.to_response_with(&Config::development()).into_body();
        let development: serde_json::Value = serde_json::from_slice(&development).unwrap();
        assert_eq!(development[0]["debug"]["display"], "field has the wrong type `rating`");
        assert_eq!(
            development[0]["debug"]["sources"][0],
            "invalid type: string \"secret-input\", expected u8"
        );
    }
}
