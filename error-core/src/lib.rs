//! Consistent, safe and documented HTTP API errors from one derive.
//!
//! Annotate an error enum with `#[derive(ApiError)]` and an `#[api(...)]` on
//! each variant; every variant then renders as the same JSON body, with its
//! declared status and stable code, a production message that never leaks
//! internals, one structured log event with everything else, and an entry
//! in the program-wide [`registry`] of codes.
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
//! ```
//!
//! Services construct their errors without any HTTP types; handlers return
//! them and use `?`; the derive holds the HTTP mapping.
//!
//! # Guide
//!
//! This page: [the body](#the-body) and [its formats](#formats),
//! [production and development](#production-and-development),
//! [configuration](#configuration), [the attributes](#the-attributes),
//! [logging](#logging), [languages](#languages) (feature `i18n`), and with the feature
//! `opentelemetry` [observability](#observability-opentelemetry). The modules:
//!
//! - [`registry`]: every code in the program, the catalog, the lock, and the
//!   codes as a front end's TypeScript types and JSON Schema;
//! - [`builtin`]: the library's own errors and their codes;
//! - [`axum`] and [`actix`] (features `axum`,
//!   `actix-web`): extractors, the fallback and the layer that keep every
//!   answer in the common body;
//! - [`validation`] (features `validator`, `garde`): one object
//!   per violation;
//! - [`db`] (features `sqlx`, `sqlx-postgres`, `sqlx-mysql`,
//!   `sqlx-sqlite`, `tokio-postgres`): database failures as 4xx/5xx,
//!   nothing of the database in a body;
//! - [`upstream`] (feature `reqwest`): another service's failure
//!   as 502, 503 or 504;
//! - [`openapi`] (feature `utoipa`): every error an operation can
//!   answer, in its OpenAPI document;
//! - [`metrics`] (feature `metrics`): a counter of rendered errors by code
//!   and status, for Prometheus or any `metrics` recorder.
//! - `i18n` (feature `i18n`): translations keyed by code, the
//!   client's language negotiated per request.
//!
//! The repository's README lists the features and the minimum Rust version
//! each needs, and the performance figures.
//!
#![doc = include_str!("docs/body-and-formats.md")]
#![doc = include_str!("docs/environments.md")]
#![doc = include_str!("docs/configuration.md")]
#![doc = include_str!("docs/attributes.md")]
#![doc = include_str!("docs/logging.md")]
#![cfg_attr(feature = "opentelemetry", doc = include_str!("docs/observability.md"))]
#![cfg_attr(feature = "i18n", doc = include_str!("docs/languages.md"))]
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
mod correlation;
#[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
pub mod db;
mod errors;
#[cfg(any(feature = "axum", feature = "actix-web"))]
mod extract;
mod hook;
#[cfg(feature = "i18n")]
#[cfg_attr(docsrs, doc(cfg(feature = "i18n")))]
pub mod i18n;
mod json;
mod kinds;
mod log;
mod message;
#[cfg(feature = "metrics")]
#[cfg_attr(docsrs, doc(cfg(feature = "metrics")))]
pub mod metrics;
#[cfg(feature = "utoipa")]
#[cfg_attr(docsrs, doc(cfg(feature = "utoipa")))]
pub mod openapi;
#[cfg(feature = "opentelemetry")]
mod otel;
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
