//! OpenAPI documents that list every error an operation can answer
//! (feature `utoipa`).
//!
//! Every derived type, [`Errors`](crate::Errors) and the [`builtin`](crate::builtin)
//! errors implement [`utoipa::IntoResponses`], so a route lists them in
//! `#[utoipa::path(responses(...))]` like any response type. What they
//! document:
//!
//! - **one response per status**: the variants that share a status are one
//!   response (utoipa keys responses by status, so one response per variant
//!   would keep only the last), described by its codes:
//!   ``Conflict: `things.duplicate_name`, `things.locked` ``;
//! - its **schema**, inline (`IntoResponses` cannot register components):
//!   the body, with `error_code` restricted (`enum`) to that status's codes;
//!   with [`Format::Problem`](crate::Format::Problem) configured, the
//!   problem details object;
//! - **one named example per code**, named by the code, each the exact body
//!   the production renderer sends, rendered by it (so the document cannot
//!   disagree with the wire on a code, status, static field, message or
//!   shape). A message that interpolates fields is shown as its template,
//!   `"{given} is not a valid type."`; a field named at run time
//!   (`#[api(field)]`) is `null` and `details` is `null`: what a value
//!   would fill in. The content type is the one the renderer answers with.
//! - a `Retry-After` header where a code of the status declares
//!   `retry_after`, and on the 503 of `apierror.upstream.unavailable`
//!   (feature `reqwest`), which passes on an upstream's own, clamped.
//!
//! A `transparent` variant documents the inner type's codes, merged with
//! the outer type's at the same status.
//!
//! Most operations answer only some variants of a type, plus what the
//! framework answers before the handler runs. [`responses!`](crate::openapi::responses)
//! declares what one operation answers, checked at compile time, and
//! [`Merge`] lists several types inline; either merges the responses that
//! share a status (one response listing all their codes and examples),
//! where utoipa's `responses(A, B)` would keep only `B`'s:
//!
//! ```
//! use apierror::openapi::{self, Fallback, JsonBody, Merge};
//! use apierror::ApiError;
//!
//! #[derive(Debug, thiserror::Error, ApiError)]
//! pub enum ThingError {
//!     #[error("duplicate name")]
//!     #[api(status = 409, code = "openapi-doc.duplicate_name", field = "name",
//!           message = "There is already a thing with this name.")]
//!     DuplicateName,
//!     #[error("empty name")]
//!     #[api(status = 400, code = "openapi-doc.empty_name", field = "name",
//!           message = "A thing needs a name.")]
//!     EmptyName,
//!     #[error("no such thing")]
//!     #[api(status = 404, code = "openapi-doc.not_found")]
//!     NotFound,
//! }
//!
//! openapi::responses! {
//!     /// What `POST /things` answers besides 201.
//!     pub struct CreateThing = ThingError::{DuplicateName, EmptyName} + JsonBody + Fallback;
//! }
//!
//! // In `#[utoipa::path(post, path = "/things", responses(
//! //     (status = 201, body = Thing), CreateThing))]`:
//! use utoipa::IntoResponses;
//! let responses = CreateThing::responses();
//! let bad_request = serde_json::to_value(&responses["400"]).unwrap();
//! let examples = bad_request["content"]["application/json"]["examples"].as_object().unwrap();
//! // The team's 400 and the JSON body's 400s, in one response.
//! assert!(examples.contains_key("openapi-doc.empty_name"));
//! assert!(examples.contains_key("apierror.invalid_json"));
//! assert_eq!(
//!     examples["openapi-doc.empty_name"]["value"],
//!     serde_json::json!([{"message": "A thing needs a name.", "error_code": "openapi-doc.empty_name",
//!                         "field": "name", "details": null}]),
//! );
//! assert!(responses.contains_key("409") && responses.contains_key("415"));
//! // 404 is the fallback's `apierror.not_found` only: `NotFound` is not in the subset.
//! let not_found = serde_json::to_value(&responses["404"]).unwrap();
//! let examples = not_found["content"]["application/json"]["examples"].as_object().unwrap();
//! assert_eq!(examples.keys().collect::<Vec<_>>(), ["apierror.not_found"]);
//!
//! // The same, inline: `responses(Merge<(ThingError, JsonBody)>)`.
//! let all = Merge::<(ThingError, JsonBody)>::responses();
//! assert!(all.contains_key("404"));
//! ```
//!
//! The document follows the process-wide [`config()`](crate::config())'s
//! format: build it after [`configure`](crate::configure) (reading it does
//! not fix the configuration, so `configure` still works afterwards, but a
//! document built before it shows the default format). Likewise the
//! validation codes are documented at the status of its
//! [`Config::validation`](crate::Config::validation) options. [`responses_for`] takes a
//! [`Config`] instead.
//!
//! Supported: utoipa 6 (tested) and utoipa 5 (`>=5, <7`: the response
//! types and `IntoResponses` are the same in both). Generating a document
//! is off the request path, and without the feature nothing of this is
//! compiled.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use utoipa::openapi::response::Response;
use utoipa::openapi::RefOr;

use crate::registry::Entry;
use crate::Config;

mod document;
mod sets;

#[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
pub use self::sets::Database;
#[cfg(feature = "reqwest")]
pub use self::sets::Upstream;
#[cfg(any(feature = "validator", feature = "garde"))]
pub use self::sets::Validation;
pub use self::sets::{Fallback, JsonBody, PathParams, QueryParams, Rewritten};

/// A type whose errors can be documented: it lists, into an [`ErrorSet`],
/// the registry entries it can answer with, each at the status answered.
///
/// Implemented by every derived type (its variants' entries, and the
/// inner types' through `transparent` variants), by
/// [`Errors`](crate::Errors), the [`builtin`](crate::builtin) errors, the
/// built-in sets of this module ([`JsonBody`], [`Fallback`], …), the
/// subsets [`responses!`](crate::openapi::responses) declares, [`Merge`]
/// and tuples. A hand-written [`ApiError`](crate::ApiError) documents
/// itself by implementing it:
///
/// ```
/// use apierror::openapi::{Documented, ErrorSet};
/// use apierror::Entry;
///
/// // Registered, as every entry a client can see must be (rendering an
/// // unregistered one panics in debug builds).
/// apierror::register! {
///     static QUOTA: [Entry; 1] = [Entry::builder("documented-doc.quota", 429, "QuotaError")
///         .location(module_path!(), file!(), line!())
///         .build()];
/// }
///
/// struct QuotaError;
/// impl Documented for QuotaError {
///     fn document(set: &mut ErrorSet) {
///         set.add(&QUOTA[0]);
///     }
/// }
///
/// let set = ErrorSet::of::<QuotaError>();
/// assert_eq!(set.iter().map(|(status, entry)| (status.as_u16(), entry.code)).collect::<Vec<_>>(),
///            [(429, "documented-doc.quota")]);
/// ```
pub trait Documented {
    /// Adds every entry this type can answer with to `set`.
    fn document(set: &mut ErrorSet);

    /// Adds the entries of the variant named `variant` only (for
    /// [`responses!`](crate::openapi::responses)'s subsets). The default
    /// keeps the entries of [`document`](Self::document) whose
    /// [`variant`](Entry::variant) is `variant`; the derive adds a
    /// `transparent` variant's inner type.
    fn document_variant(variant: &str, set: &mut ErrorSet) {
        let all = ErrorSet::of::<Self>();
        for (status, entry) in all.items {
            if is_variant(entry, variant) {
                set.push(status, entry);
            }
        }
    }
}

/// Whether `entry` is the entry of the variant named `variant` (raw
/// identifiers or not).
fn is_variant(entry: &Entry, variant: &str) -> bool {
    entry.variant.is_some_and(|name| crate::registry::unraw(name) == crate::registry::unraw(variant))
}

/// The entries an operation can answer with, each at its status: what
/// [`Documented`] types write into, and what becomes the responses.
///
/// An entry added twice at one status is kept once; the order is the
/// status's, then the order of adding.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ErrorSet {
    items: Vec<(u16, &'static Entry)>,
}

impl fmt::Debug for ErrorSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.items.iter().map(|(status, entry)| (status, entry.code))).finish()
    }
}

impl ErrorSet {
    /// An empty set.
    #[must_use]
    pub const fn new() -> Self {
        Self { items: Vec::new() }
    }

    /// The set `T` documents.
    #[must_use]
    pub fn of<T: Documented + ?Sized>() -> Self {
        let mut set = Self::new();
        T::document(&mut set);
        set
    }

    /// Adds `entry`, at its own status.
    pub fn add(&mut self, entry: &'static Entry) -> &mut Self {
        self.push(entry.status, entry);
        self
    }

    /// Adds `entry`, answered with `status` (an error that answers another
    /// status than its entry's: `apierror.client_error` for a rewritten
    /// 418, the validation codes at a configured 422). A status outside
    /// `400..=599` is ignored.
    pub fn add_at(&mut self, status: http::StatusCode, entry: &'static Entry) -> &mut Self {
        if crate::message::is_error_status(status.as_u16()) {
            self.push(status.as_u16(), entry);
        }
        self
    }

    /// Adds every entry of `entries`, each at its own status.
    pub fn add_all(&mut self, entries: &'static [Entry]) -> &mut Self {
        for entry in entries {
            self.add(entry);
        }
        self
    }

    /// Adds what `T` documents.
    pub fn extend<T: Documented + ?Sized>(&mut self) -> &mut Self {
        T::document(self);
        self
    }

    /// Adds what `T`'s variant `variant` documents (see
    /// [`Documented::document_variant`]).
    pub fn extend_variant<T: Documented + ?Sized>(&mut self, variant: &str) -> &mut Self {
        T::document_variant(variant, self);
        self
    }

    /// Adds the entries of `entries` whose variant is `variant`, each at its
    /// own status.
    pub fn add_variant(&mut self, entries: &'static [Entry], variant: &str) -> &mut Self {
        for entry in entries {
            if is_variant(entry, variant) {
                self.add(entry);
            }
        }
        self
    }

    fn push(&mut self, status: u16, entry: &'static Entry) {
        if !self.items.iter().any(|(s, e)| *s == status && e.code == entry.code) {
            self.items.push((status, entry));
        }
    }

    /// Every `(status, entry)`, by status, then in the order added.
    pub fn iter(&self) -> impl Iterator<Item = (http::StatusCode, &'static Entry)> + '_ {
        let mut items: Vec<(u16, &'static Entry)> = self.items.clone();
        items.sort_by_key(|(status, _)| *status);
        items
            .into_iter()
            .filter_map(|(status, entry)| Some((http::StatusCode::from_u16(status).ok()?, entry)))
    }

    /// Whether the set is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The responses, one per status, rendered for `config`'s format (in
    /// production: a document never shows `debug`).
    #[must_use]
    pub fn responses(&self, config: &Config) -> BTreeMap<String, RefOr<Response>> {
        let mut by_status: BTreeMap<u16, Vec<&'static Entry>> = BTreeMap::new();
        for (status, entry) in &self.items {
            by_status.entry(*status).or_default().push(entry);
        }
        by_status
            .into_iter()
            .map(|(status, entries)| {
                (status.to_string(), RefOr::T(document::response(status, &entries, config)))
            })
            .collect()
    }
}

/// The responses `T` documents, rendered for `config` rather than the
/// process-wide configuration (what `T`'s
/// [`IntoResponses`](utoipa::IntoResponses) impl uses).
///
/// ```
/// use apierror::{openapi, Config, Format};
/// let responses = openapi::responses_for::<openapi::Fallback>(&Config::production().with_format(Format::Array));
/// assert_eq!(responses.keys().collect::<Vec<_>>(), ["404", "405", "500"]);
/// ```
#[must_use]
pub fn responses_for<T: Documented + ?Sized>(config: &Config) -> BTreeMap<String, RefOr<Response>> {
    ErrorSet::of::<T>().responses(config)
}

/// The responses `T` documents, for the process-wide configuration: the
/// body of every `IntoResponses` impl of the library.
#[doc(hidden)]
#[must_use]
pub fn responses<T: Documented + ?Sized>() -> BTreeMap<String, RefOr<Response>> {
    responses_for::<T>(&document::configured())
}

/// A boxed error answers what the error it holds answers (a
/// `transparent` variant over a `Box<E>`).
impl<T: Documented + ?Sized> Documented for Box<T> {
    fn document(set: &mut ErrorSet) {
        T::document(set);
    }

    fn document_variant(variant: &str, set: &mut ErrorSet) {
        T::document_variant(variant, set);
    }
}

/// Several documented types as one: `Merge<(ThingError, JsonBody, Fallback)>`
/// documents all of them, merging the responses that share a status.
///
/// For a route's `responses(...)`, where utoipa would keep only the last
/// response of a status listed twice:
/// `#[utoipa::path(get, path = "/things/{id}", responses((status = 200, body = Thing), Merge<(ThingError, PathParams, Fallback)>))]`.
/// Tuples of up to 12 types.
pub struct Merge<T>(PhantomData<T>);

impl<T: Documented> Documented for Merge<T> {
    fn document(set: &mut ErrorSet) {
        T::document(set);
    }
}

impl<T: Documented> utoipa::IntoResponses for Merge<T> {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses::<Self>()
    }
}

macro_rules! tuples {
    ($(($($t:ident),+))*) => {$(
        /// Every type of the tuple, merged.
        impl<$($t: Documented),+> Documented for ($($t,)+) {
            fn document(set: &mut ErrorSet) {
                $($t::document(set);)+
            }
        }
    )*};
}

tuples! {
    (A)
    (A, B)
    (A, B, C)
    (A, B, C, D)
    (A, B, C, D, E)
    (A, B, C, D, E, F)
    (A, B, C, D, E, F, G)
    (A, B, C, D, E, F, G, H)
    (A, B, C, D, E, F, G, H, I)
    (A, B, C, D, E, F, G, H, I, J)
    (A, B, C, D, E, F, G, H, I, J, K)
    (A, B, C, D, E, F, G, H, I, J, K, L)
}

/// Declares what one operation answers: a unit struct implementing
/// [`Documented`] and [`utoipa::IntoResponses`], made of some variants of a
/// type, whole types and built-in sets, joined with `+`:
///
/// ```
/// # use apierror::ApiError;
/// # #[derive(Debug, thiserror::Error, ApiError)]
/// # pub enum ThingError {
/// #     #[error("x")] #[api(status = 409, code = "responses-doc.dup")] DuplicateName,
/// #     #[error("x")] #[api(status = 503, code = "responses-doc.db")] Database,
/// #     #[error("x")] #[api(status = 404, code = "responses-doc.nf")] NotFound,
/// # }
/// use apierror::openapi::{Fallback, JsonBody, PathParams};
///
/// apierror::openapi::responses! {
///     /// `POST /things`: what it answers besides 201.
///     pub struct CreateThing = ThingError::{DuplicateName, Database} + JsonBody + Fallback;
///     /// `GET /things/{id}`.
///     pub struct GetThing = ThingError::{NotFound, Database} + PathParams + Fallback;
/// }
/// let set = apierror::openapi::ErrorSet::of::<GetThing>();
/// assert!(set.iter().any(|(_, entry)| entry.code == "responses-doc.nf"));
/// assert!(!set.iter().any(|(_, entry)| entry.code == "responses-doc.dup"));
/// ```
///
/// `Type::{A, B}` documents the variants `A` and `B` of `Type` (a path to
/// an enum, without generics: name a generic one through a type alias); a
/// `transparent` variant brings its inner type's codes. A variant that does
/// not exist is a compile error on its name:
///
/// ```compile_fail
/// # use apierror::ApiError;
/// # #[derive(Debug, thiserror::Error, ApiError)]
/// # pub enum ThingError { #[error("x")] #[api(status = 409, code = "responses-doc2.dup")] DuplicateName }
/// apierror::openapi::responses! {
///     pub struct CreateThing = ThingError::{DuplicateNam};
/// }
/// ```
///
/// Any other term is a type that implements [`Documented`] (a derived
/// type, a set of this module, another `responses!` struct). Statuses
/// documented by several terms are merged into one response.
#[macro_export]
#[doc(hidden)]
macro_rules! __apierror_openapi_responses {
    () => {};
    ($(#[$attr:meta])* $vis:vis struct $name:ident = $($rest:tt)*) => {
        $crate::__apierror_openapi_responses! { @munch [$(#[$attr])* $vis struct $name] [] [] $($rest)* }
    };
    // A `+` or the `;` ends a term.
    (@munch $head:tt [$($terms:tt)*] [$($term:tt)+] + $($rest:tt)*) => {
        $crate::__apierror_openapi_responses! { @munch $head [$($terms)* [$($term)+]] [] $($rest)* }
    };
    (@munch $head:tt [$($terms:tt)*] [$($term:tt)+] ; $($rest:tt)*) => {
        $crate::__apierror_openapi_responses! { @emit $head [$($terms)* [$($term)+]] }
        $crate::__apierror_openapi_responses! { $($rest)* }
    };
    (@munch $head:tt [$($terms:tt)*] [$($term:tt)*] $token:tt $($rest:tt)*) => {
        $crate::__apierror_openapi_responses! { @munch $head [$($terms)*] [$($term)* $token] $($rest)* }
    };
    (@emit [$(#[$attr:meta])* $vis:vis struct $name:ident] [$($term:tt)+]) => {
        $(#[$attr])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        $vis struct $name;

        impl $crate::openapi::Documented for $name {
            fn document(set: &mut $crate::openapi::ErrorSet) {
                $($crate::__apierror_openapi_responses! { @term set $term })+
            }
        }

        impl $crate::__private::utoipa::IntoResponses for $name {
            fn responses() -> ::std::collections::BTreeMap<
                ::std::string::String,
                $crate::__private::utoipa::openapi::RefOr<$crate::__private::utoipa::openapi::response::Response>,
            > {
                $crate::openapi::responses::<Self>()
            }
        }
    };
    (@term $set:ident [$($segment:ident)::+ :: { $($variant:ident),+ $(,)? }]) => {{
        type __ApierrorSubset = $($segment)::+;
        // Each variant exists (a compile error on its name otherwise).
        let _ = |error: &__ApierrorSubset| ::core::matches!(error, $(__ApierrorSubset::$variant { .. })|+);
        $($set.extend_variant::<__ApierrorSubset>(::core::stringify!($variant));)+
    }};
    (@term $set:ident [$ty:ty]) => {
        $set.extend::<$ty>();
    };
}

#[doc(inline)]
pub use crate::__apierror_openapi_responses as responses;
