//! Consistent, safe and documented HTTP API errors from one derive.
//!
//! Annotate an error enum with `#[derive(ApiError)]` and an `#[api(...)]` on
//! each variant; every variant then renders as the same JSON body, with its
//! declared status and stable code, a production message that never leaks
//! internals, and an entry in the program-wide [`registry`] of codes.
//!
//! ```
//! use apierror::{ApiError, ApiErrorExt, Config};
//!
//! #[derive(Debug, thiserror::Error, ApiError)]
//! #[api(docs = "https://docs.example.com/errors/{code}")]
//! pub enum ColumnError {
//!     #[error("column `{name}` already exists in table {table}")]
//!     #[api(status = 409, code = "crate-doc-1010", field = "name",
//!           message = "There is already a column with the same name.")]
//!     DuplicateName { name: String, table: String },
//!
//!     #[error("type {given} is not a valid type")]
//!     #[api(status = 400, code = "crate-doc-2001", field = "type",
//!           message = "{given} is not a valid type.")]
//!     InvalidType { given: String, #[api(details)] available_types: Vec<String> },
//!
//!     #[error("database unavailable")]
//!     #[api(status = 503, code = "crate-doc-9001")]
//!     Database(#[source] std::io::Error),
//! }
//!
//! let err = ColumnError::InvalidType {
//!     given: "strng".into(),
//!     available_types: vec!["int".into(), "text".into()],
//! };
//! let response = err.to_response_with(&Config::production());
//! assert_eq!(response.status(), 400);
//! assert_eq!(response.headers()["content-type"], "application/json");
//! assert_eq!(
//!     std::str::from_utf8(response.body()).unwrap(),
//!     r#"[{"message":"strng is not a valid type.","error_code":"crate-doc-2001","field":"type","details":{"available_types":["int","text"]}}]"#,
//! );
//!
//! // Production never shows the source error...
//! let err = ColumnError::Database(std::io::Error::other("connection refused on 10.0.0.7"));
//! let body = err.to_response_with(&Config::production()).into_body();
//! let body = String::from_utf8(body).unwrap();
//! assert!(body.contains("An unexpected error occurred. Please try again later."));
//! assert!(!body.contains("10.0.0.7"));
//!
//! // ...development does, in a `debug` member; the `message` is the same.
//! let body = err.to_response_with(&Config::development()).into_body();
//! let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
//! assert_eq!(body[0]["debug"]["type"], "ColumnError::Database");
//! assert_eq!(body[0]["debug"]["sources"][0], "connection refused on 10.0.0.7");
//! ```
//!
//! # The body
//!
//! Every error response is a JSON array of objects, never empty, each with
//! exactly these four keys (plus `debug` in development):
//!
//! | key | value |
//! |---|---|
//! | `message` | the production message: safe for users |
//! | `error_code` | the stable code clients branch on |
//! | `field` | the request field the error is about, or `null` |
//! | `details` | the `#[api(details)]` fields as an object, or `null` |
//!
//! A `field` the library builds from a request (an extractor's rejection,
//! a validation path) may echo the client's own key: an unknown field's
//! name, a map key. It is bounded: each path segment at most 64 bytes, the
//! whole `field` at most 256, cut on a character boundary and ended with
//! `…`, so no request makes a body larger than a fixed size.
//!
//! # The attributes
//!
//! | where | attribute | meaning |
//! |---|---|---|
//! | enum / struct | `docs = "https://…/{code}"` | documentation URL template for every code of the type |
//! | enum / struct | `free_messages` | turns off the message style check (see below) |
//! | enum / struct | `no_response_impl` | do not implement `IntoResponse` / `ResponseError` (nor, with `utoipa`, `IntoResponses` and `openapi::Documented`) for this type (see [axum and actix-web](#axum-and-actix-web)) |
//! | enum / struct | `crate = "path"` | the path of this crate in generated code, when it is not `::apierror` (a renamed dependency, a facade crate): `crate = "errs"` |
//! | variant / struct | `status = 409` | HTTP status, an integer literal in 400..=599 |
//! | variant / struct | `code = "1010"` | stable error code: ASCII letters, digits, `.`, `_`, `-` and `:` only, unique program-wide; the prefix `apierror.` is the library's |
//! | variant / struct | `field = "name"` | the request field the error is about |
//! | variant / struct | `message = "… {given} …"` | production message, **sent to clients**; may name fields (`{given}`, `{0}`) like `format!`, formatted with `Display` only |
//! | variant / struct | `log = "error"`, `"warn"`, `"info"`, `"debug"` or `"off"` | log level override |
//! | variant / struct | `retry_after = 30` | seconds, an integer literal in 1..=86400: the responses carry `Retry-After: 30` |
//! | variant / struct | `db(constraint = "things_name_key")` | this variant answers for that database constraint: the derive implements `db::FromDbError` and `From` the drivers' errors (features `sqlx`, `tokio-postgres`); the variant has no field, or one that holds the `DbError`; a constraint maps to one variant |
//! | variant / struct | `upstream(service = "billing", status = 402)` | this variant answers for that upstream service's status: the derive implements `upstream::FromUpstreamError` (feature `reqwest`); the variant has no field, or one that holds the `UpstreamError`; a (service, status) maps to one variant |
//! | variant / struct | `transparent` | delegate everything to the single field, itself an `ApiError` (or an `Errors`): its status, code, field, message, details and `Retry-After` |
//! | field | `details` | include this field (`serde::Serialize`) in `details` under its name |
//! | field | `field` | this field's value (`AsRef<str>`) is the request field name |
//!
//! A `message` must read as a sentence: no leading or trailing whitespace,
//! ending with `.`, `!` or `?`. Put `#[api(free_messages)]` on the type to
//! turn that check off.
//!
//! **A field interpolated into `message` is sent to every client**, in
//! production too: it must not hold an error, a secret, a token or anything
//! internal. Interpolate what the client may see (an id it sent, a name, a
//! limit). The derive refuses what it can see at compile time:
//!
//! - the source error (a `#[source]` or `#[from]` field, or a field named
//!   `source`), and any field whose type is an error (it implements
//!   `std::error::Error`, or is a `Box<dyn Error>`): its text is internal
//!   by definition. (A field of a generic type is checked only against the
//!   bounds the type declares.)
//! - every format spec that selects another trait than `Display` (`{x:?}`,
//!   `{x:#?}`, `{x:x}`, `{x:X}`, `{x:o}`, `{x:b}`, `{x:e}`, `{x:E}`,
//!   `{x:p}`) or the alternate form (`{x:#}`): a `Debug` prints what a
//!   `Display` redacts. Fill, alignment, sign, width and precision are
//!   kept, and a width or precision may name a `usize` field:
//!   `{name:>width$}`, `{ratio:.digits$}`.
//!
//! Nothing stops a `Display` from printing a secret: a type that holds one
//! must not be interpolated.
//!
//! # Production and development
//!
//! [`Config::from_env`] reads `APP_ENV`: `development` or `dev` selects
//! development; unset or anything else means production. In production,
//! `message` is the declared message or the [`generic_message`] of the
//! status; nothing from `Display`, `Debug` or the source chain is sent. In
//! development each object also has `"debug": {"type", "display", "sources"}`.
//! Install the configuration once with [`configure`], or pass one to
//! [`ApiErrorExt::to_response_with`].
//!
//! # Formats
//!
//! The body is the array of error objects unless the configuration says
//! [`Format::Problem`] ([`Config::with_format`]): then every error
//! response, the framework integrations' included, is an RFC 9457 problem,
//! `application/problem+json` (`type`, `title`, `status`, `detail`,
//! `instance`, plus `error_code`, `field`, `details`; several errors as one
//! problem with an `errors` array), whatever the request's `Accept`. See
//! [`Format`].
//!
//! # Logging
//!
//! With the default `tracing` feature, every rendered error is logged as one
//! event, with its `Display` and source chain: 5xx at `error`, 4xx at
//! `debug` (or [`Config::with_client_error_level`]), or the variant's `log`
//! level (`log = "off"`: not at all). The event's fields are a stable
//! interface that log pipelines can index:
//!
//! | field | value |
//! |---|---|
//! | `error.code` | the error code, as in the body |
//! | `error.status` | the HTTP status answered |
//! | `error.type` | `Type::Variant` (the inner error's, through `transparent`) |
//! | `error.message` | the error's `Display` |
//! | `error.chain` | every source's `Display`, joined with `": "`, but a source whose text its parent's already ends with (sqlx's `Display` includes its source's): development's `debug.sources` |
//! | `error.field` | the request field, when there is one |
//! | `request_id` | the request's [`RequestId`], when there is one |
//! | `db.*`, `upstream.*` | the facts of a database's or an upstream's failure, for an error made at that boundary (see [`db`] and [`upstream`]): one error, one event |
//!
//! One event per error object in a body: an error passing through
//! `transparent` variants is one event (as the inner error); an [`Errors`]
//! is one event per error it holds; the framework layers render each
//! response once and never log it again. When no subscriber is interested
//! in the event's level, nothing is formatted. Production and development
//! log the same fields.
//!
//! One event is one line whatever the text: in `error.message`,
//! `error.chain` and `error.field` (text from sources and requests), line
//! breaks, other control characters, U+2028/U+2029, the bidirectional
//! overrides and the backslash are escaped as they are written (`\n`,
//! `\u{1b}`, `\\`), without allocating. A `Display` that panics is cut short
//! with `<Display panicked>`, in the log and in development's `debug`.
//!
//! A panic is one escaped event too once [`panic_hook()`] is installed (at
//! start-up, as the examples do): `panic.message`, `panic.location` and the
//! `request_id` of the request whose handler panicked, instead of std's
//! multi-line print; [`PanicHook::chained`] keeps the previous hook.
//!
//! Every error response can carry a correlation id in a header
//! (`x-request-id` by default, see [`Config::request_id_header`]), the same
//! id as the event's `request_id`: the framework layers take the request's
//! own `x-request-id` when it is well-formed and make a fresh one otherwise
//! (see [`RequestId`]); elsewhere pass one to
//! [`ApiErrorExt::to_response_with_id`]. A user's report quoting the header
//! leads to the log line.
//!
//! # The registry
//!
//! See [`registry`]: every code in the program, looked up by code, checked
//! for uniqueness ([`registry::check`]), exported as a Markdown or JSON
//! catalog ([`registry::markdown`], [`registry::json`]), and compared with a
//! committed lock file so that a shipped code never changes or comes back
//! ([`registry::verify_lock`]). It sees the crates linked into the binary
//! that reads it: [`registry`] says which those are.
//!
//! # axum and actix-web
//!
//! With the feature `axum` (axum 0.8) or `actix-web` (actix-web 4), every
//! derived type, [`Errors`] and the [`builtin`] errors implement
//! `IntoResponse` / `ResponseError`, handing the rendered body to the
//! framework as is. The modules `apierror::axum` and `apierror::actix` add
//! `Json`, `Path` and `Query` extractors whose rejections answer in the
//! common body (400 with the `field` serde names, 415, 413), a `not_found`
//! handler for unknown routes, and a layer / middleware that turns panics
//! into a 500 and rewrites any other error response (405, 408, 413, a bare
//! status) into the common body, keeping its status and headers. The
//! library's own codes, all prefixed `apierror.`, are listed in [`builtin`].
//!
//! The response impls follow the features of the whole build: once any
//! crate enables `apierror/axum`, every derived type implements
//! `IntoResponse`. A type that answers in its own way puts
//! `#[api(no_response_impl)]` on itself and writes its own impl (it can
//! still render the common body with [`ApiErrorExt::to_response`]):
//!
//! ```
//! use apierror::{ApiError, ApiErrorExt};
//!
//! #[derive(Debug, thiserror::Error, ApiError)]
//! #[api(no_response_impl)]
//! pub enum LegacyError {
//!     #[error("gone")]
//!     #[api(status = 410, code = "legacy-1")]
//!     Gone,
//! }
//! // impl axum::response::IntoResponse for LegacyError { … } compiles
//! // whatever features are on.
//! # let _ = LegacyError::Gone.to_response();
//! ```
//!
//! # Validation
//!
//! With the feature `validator` or `garde`, [`Errors`] converts from
//! `validator::ValidationErrors` and `garde::Report` (one object per
//! violation, `field` the client's path, a stable `apierror.validation.*`
//! code per rule, never the rejected value), and both framework modules
//! have a `Valid<Json<T>>` (`Query`, `Path`) extractor that validates after
//! deserializing. See `apierror::validation` (its table lists the codes).
//!
//! # OpenAPI
//!
//! With the feature `utoipa` (utoipa 6; 5 is accepted too), every derived
//! type, [`Errors`] and the [`builtin`] errors implement
//! `utoipa::IntoResponses`, so a route lists them in
//! `#[utoipa::path(responses(...))]`: one response per status (variants
//! sharing a status are merged, not overwritten), its schema the body with
//! `error_code` restricted to that status's codes, and one example per
//! code rendered by the production renderer. `apierror::openapi` has the
//! sets the framework integrations answer before a handler runs
//! (`JsonBody`, `PathParams`, `QueryParams`, `Fallback`, …) and
//! `responses!`, which declares what one operation answers, some variants
//! of a type plus those sets, checked at compile time:
//!
//! ```ignore
//! apierror::openapi::responses! {
//!     pub struct CreateThing = ThingError::{DuplicateName, Database} + JsonBody + Fallback;
//! }
//! #[utoipa::path(post, path = "/things", responses((status = 201, body = Thing), CreateThing))]
//! async fn create(/* … */) { /* … */ }
//! ```
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "actix-web")]
pub mod actix;
mod api_error;
#[cfg(feature = "axum")]
pub mod axum;
#[cfg(any(feature = "validator", feature = "garde", feature = "axum", feature = "actix-web"))]
mod bound;
pub mod builtin;
mod config;
#[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
pub mod db;
mod errors;
#[cfg(any(feature = "axum", feature = "actix-web"))]
mod extract;
mod hook;
mod json;
mod kinds;
mod log;
mod message;
#[cfg(feature = "utoipa")]
#[cfg_attr(docsrs, doc(cfg(feature = "utoipa")))]
pub mod openapi;
mod probe;
pub mod registry;
mod render;
mod request_id;
#[cfg(any(feature = "axum", feature = "actix-web"))]
mod rewrite;
#[cfg(test)]
mod structure;
mod text;
#[cfg(feature = "reqwest")]
pub mod upstream;
#[cfg(any(feature = "validator", feature = "garde"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "validator", feature = "garde"))))]
pub mod validation;

/// The `http` crate, whose types are in this API (`status()`,
/// [`Config::with_request_id_header`], the rendered `http::Response`):
/// re-exported so that a team names the same version without depending on
/// it, as axum does.
pub use http;

pub use crate::api_error::{ApiError, ApiErrorExt};
#[cfg(feature = "reqwest")]
pub use crate::config::DEFAULT_UPSTREAM_BODY_LIMIT;
pub use crate::config::{config, configure, AlreadyConfigured, Config, Environment, Format};
pub use crate::errors::Errors;
pub use crate::hook::{panic_hook, PanicHook};
pub use crate::message::generic_message;
pub use crate::registry::{Entry, LogLevel};
pub use crate::render::Details;
pub use crate::request_id::RequestId;

/// What code that returns, renders or inspects errors needs in scope:
/// `use apierror::prelude::*;` brings [`ApiError`] (the trait and, with the
/// `derive` feature, the derive), [`ApiErrorExt`] (`to_response*`,
/// `public_message`) and the conversions a handler calls on a boundary's
/// error: [`FromDbError`](crate::db::FromDbError) (`from_db`, features
/// `sqlx`, `tokio-postgres`), [`SqlxResultExt`](crate::db::SqlxResultExt)
/// (`or_unavailable`, feature `sqlx`) and
/// [`FromUpstreamError`](crate::upstream::FromUpstreamError)
/// (`from_upstream`, feature `reqwest`).
pub mod prelude {
    pub use crate::{ApiError, ApiErrorExt};

    #[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
    pub use crate::db::FromDbError;
    #[cfg(feature = "sqlx")]
    pub use crate::db::SqlxResultExt as _;
    #[cfg(feature = "reqwest")]
    pub use crate::upstream::FromUpstreamError;
}

/// `#[derive(ApiError)]`: see the [crate documentation](crate) for the
/// attributes.
#[cfg(feature = "derive")]
pub use apierror_derive::ApiError;

/// What the derive's expansion names. Not public API: no stability promise.
#[doc(hidden)]
pub mod __private {
    pub use crate::api_error::Transparent;
    pub use crate::log::Boundary;
    pub use crate::probe::{
        count, details_member, not_an_error, DetailsValue, Probe, ProbeError, ProbeErrorRef,
        ProbeErrorRefSync, ProbeOther,
    };
    pub use crate::registry::private::{EntryBuilder, ENTRIES};
    pub use crate::registry::{Entry, LogLevel};
    pub use crate::render::Details;
    pub use crate::ApiError;
    pub use crate::Errors;
    pub use ::core::fmt::{Result as FmtResult, Write as FmtWrite};
    pub use ::http::StatusCode;
    pub use ::linkme;
    pub use ::linkme::distributed_slice;
    pub use ::std::borrow::Cow;

    pub use crate::__apierror_impl_actix as impl_actix;
    pub use crate::__apierror_impl_axum as impl_axum;
    pub use crate::__apierror_impl_db as impl_db;
    pub use crate::__apierror_impl_openapi as impl_openapi;
    pub use crate::__apierror_impl_responses as impl_responses;
    pub use crate::__apierror_impl_upstream as impl_upstream;
    #[cfg(feature = "actix-web")]
    pub use crate::actix::__private as actix;
    #[cfg(feature = "axum")]
    pub use crate::axum::__private as axum;
    #[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
    pub use crate::db::__private as db;
    #[cfg(feature = "reqwest")]
    pub use crate::upstream::__private as upstream;
    #[cfg(feature = "utoipa")]
    pub use ::utoipa;
}

/// Emitted by the derive for every type: implements the response traits of
/// the enabled framework features (`axum`, `actix-web`) for it. The derive
/// cannot see this crate's features, so the choice is made here, when the
/// macro is defined. The impls are bounded by `for<'_> Self: ApiError`:
/// higher-ranked, the bound is not a trivial one the compiler checks on its
/// own, so a type whose `ApiError` impl is wrong (no `Display`) is reported
/// once, at that impl, and not again at each framework's impl.
#[doc(hidden)]
#[macro_export]
///
/// The derive also passes what the type documents (feature `utoipa`): its
/// entries and its `transparent` variants' names and inner types,
/// `documents [&__ENTRIES] ["Db" => DbError, …]`.
macro_rules! __apierror_impl_responses {
    (impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*]) => {
        $crate::__private::impl_axum! { impl [$($generics)*] for [$($ty)*] where [$($where)*] }
        $crate::__private::impl_actix! { impl [$($generics)*] for [$($ty)*] where [$($where)*] }
    };
    (impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*] documents $($documents:tt)*) => {
        $crate::__private::impl_axum! { impl [$($generics)*] for [$($ty)*] where [$($where)*] }
        $crate::__private::impl_actix! { impl [$($generics)*] for [$($ty)*] where [$($where)*] }
        $crate::__private::impl_openapi! { impl [$($generics)*] for [$($ty)*] where [$($where)*] documents $($documents)* }
    };
}

/// `apierror::openapi::Documented` and `utoipa::IntoResponses` for a
/// derived type (feature `utoipa`): its entries, plus each `transparent`
/// variant's inner type. The bounds on the inner types are higher-ranked,
/// so that an inner type that documents nothing makes the outer type
/// undocumented rather than failing the derive.
#[cfg(feature = "utoipa")]
#[doc(hidden)]
#[macro_export]
macro_rules! __apierror_impl_openapi {
    (
        impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*]
        documents [$entries:expr] [$($variant:literal => $inner:ty),* $(,)?]
    ) => {
        #[automatically_derived]
        #[allow(unused_qualifications)]
        impl $($generics)* $crate::openapi::Documented for $($ty)*
        where
            for<'__apierror> Self: $crate::__private::ApiError,
            $(for<'__apierror> $inner: $crate::openapi::Documented,)*
            $($where)*
        {
            fn document(set: &mut $crate::openapi::ErrorSet) {
                set.add_all($entries);
                $(set.extend::<$inner>();)*
            }

            fn document_variant(variant: &str, set: &mut $crate::openapi::ErrorSet) {
                match variant {
                    $($variant => { set.extend::<$inner>(); })*
                    _ => { set.add_variant($entries, variant); }
                }
            }
        }

        #[automatically_derived]
        #[allow(unused_qualifications)]
        impl $($generics)* $crate::__private::utoipa::IntoResponses for $($ty)*
        where
            for<'__apierror> Self: $crate::openapi::Documented,
            $($where)*
        {
            fn responses() -> ::std::collections::BTreeMap<
                ::std::string::String,
                $crate::__private::utoipa::openapi::RefOr<$crate::__private::utoipa::openapi::response::Response>,
            > {
                $crate::openapi::responses::<Self>()
            }
        }
    };
}

/// Without the `utoipa` feature: nothing.
#[cfg(not(feature = "utoipa"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __apierror_impl_openapi {
    ($($tokens:tt)*) => {};
}

/// Without the `sqlx` and `tokio-postgres` features, a type with
/// `db(constraint = …)` cannot be converted from a database error: one
/// error naming the features (and not the `FromDbError` impl, whose paths
/// do not exist without them).
#[cfg(not(any(feature = "sqlx", feature = "tokio-postgres")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __apierror_impl_db {
    (fallback impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*]) => {};
    (impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*] { $($body:tt)* }) => {
        ::core::compile_error! { "`db(constraint = …)` needs a database feature of apierror: `sqlx` or `tokio-postgres`" }
    };
}

/// `axum::response::IntoResponse` for a derived type (feature `axum`).
#[cfg(feature = "axum")]
#[doc(hidden)]
#[macro_export]
macro_rules! __apierror_impl_axum {
    (impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*]) => {
        #[automatically_derived]
        #[allow(unused_qualifications)]
        impl $($generics)* $crate::__private::axum::IntoResponse for $($ty)*
        where
            for<'__apierror> Self: $crate::__private::ApiError,
            $($where)*
        {
            fn into_response(self) -> $crate::__private::axum::Response {
                $crate::__private::axum::response(&self)
            }
        }
    };
}

/// Without the `axum` feature: nothing.
#[cfg(not(feature = "axum"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __apierror_impl_axum {
    (impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*]) => {};
}

/// `actix_web::ResponseError` for a derived type (feature `actix-web`).
#[cfg(feature = "actix-web")]
#[doc(hidden)]
#[macro_export]
macro_rules! __apierror_impl_actix {
    (impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*]) => {
        #[automatically_derived]
        #[allow(unused_qualifications)]
        impl $($generics)* $crate::__private::actix::ResponseError for $($ty)*
        where
            for<'__apierror> Self: $crate::__private::ApiError,
            $($where)*
        {
            fn status_code(&self) -> $crate::__private::actix::StatusCode {
                $crate::__private::actix::status_code(self)
            }

            fn error_response(&self) -> $crate::__private::actix::HttpResponse {
                $crate::__private::actix::response(self)
            }
        }
    };
}

/// Without the `actix-web` feature: nothing.
#[cfg(not(feature = "actix-web"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __apierror_impl_actix {
    (impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*]) => {};
}

/// Emitted by the derive around the `FromUpstreamError` impl of a type with
/// `upstream(service = …, status = …)`: the impl as is with the `reqwest`
/// feature, one clear error without it.
///
/// `fallback`: what the derive emits when it reports a mistake, so that
/// `from_upstream` still exists (mapping nothing) and the mistake is the
/// only error; nothing for a type without a `From<UpstreamError>` variant.
#[cfg(feature = "reqwest")]
#[doc(hidden)]
#[macro_export]
macro_rules! __apierror_impl_upstream {
    (fallback impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*]) => {
        #[automatically_derived]
        impl $($generics)* $crate::__private::upstream::FromUpstreamError for $($ty)*
        where
            for<'__apierror> Self: ::core::convert::From<$crate::__private::upstream::UpstreamError>,
            $($where)*
        {
        }
    };
    ($($impl:tt)*) => { $($impl)* };
}

/// Without the `reqwest` feature: one error naming the feature.
#[cfg(not(feature = "reqwest"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __apierror_impl_upstream {
    (fallback impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*]) => {};
    ($($impl:tt)*) => {
        ::core::compile_error! { "`upstream(service = …, status = …)` needs the `reqwest` feature of apierror" }
    };
}

/// The package's README, its crates.io page: its examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct PackageReadme;
