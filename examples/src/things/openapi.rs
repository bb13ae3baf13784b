//! What each operation of the things API can answer besides its success
//! (feature `utoipa`), for the handlers' `#[utoipa::path(responses(...))]`
//! in `examples/server.rs` and `examples/server_actix.rs`: the variants of
//! [`ThingError`] the store raises for that operation, what the store can
//! fail with on any operation ([`Storage`]), what the extractors answer
//! before the handler runs (`JsonBody`, `PathParams`, `Validation`) and what
//! the fallback and the layer answer on every route (`Fallback`). A status
//! listed by several of them is one response with every code.
//!
//! `ThingError::RatingOutOfRange` is on no operation: over HTTP the body's
//! rule (`Valid<Json<NewThing>>`, 400 `apierror.validation.range`) answers
//! before the store could.

use apierror::openapi::{Documented, ErrorSet, Fallback, JsonBody, PathParams, Validation};

use super::ThingError;

/// What the store can fail with on any operation: in memory,
/// `StoreUnavailable` (a poisoned lock); on a database (feature `sqlx`),
/// `ThingError::Db`'s `apierror.db.*` codes. The examples share one
/// document, so it lists both stores' failures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Storage;

impl Documented for Storage {
    fn document(set: &mut ErrorSet) {
        set.extend_variant::<ThingError>("StoreUnavailable");
        #[cfg(feature = "sqlx")]
        set.extend_variant::<ThingError>("Db");
    }
}

apierror::openapi::responses! {
    /// `POST /api/things` (`Valid<Json<NewThing>>`), besides 201.
    pub struct CreateErrors = ThingError::{DuplicateName} + Storage + JsonBody + Validation + Fallback;
    /// `GET /api/things/{id}` (`Path<u64>`), besides 200.
    pub struct ReadErrors = ThingError::{NotFound} + Storage + PathParams + Fallback;
    /// `PATCH /api/things/{id}` (`Path<u64>`, `Json<Votes>`), besides 200.
    pub struct VoteErrors =
        ThingError::{NotFound, NegativeVotes, TooManyVotes} + Storage + PathParams + JsonBody + Fallback;
    /// `DELETE /api/things/{id}` (`Path<u64>`), besides 204.
    pub struct DeleteErrors = ThingError::{NotFound} + Storage + PathParams + Fallback;
}
