//! The domain of the "things" API that `examples/server.rs` (axum) and
//! `examples/server_actix.rs` (actix-web) serve: its errors, its request
//! bodies with their rules, and an in-memory store. Nothing here knows about
//! HTTP frameworks: the bodies declare their rules with `validator` (the
//! handlers take `Valid<Json<NewThing>>`, so a broken rule answers 400
//! before the handler runs), the store raises domain errors, the derive
//! maps them to HTTP, and the handlers just use `?`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use apierror::ApiError;
use serde::{Deserialize, Serialize};
use validator::Validate;

/// The API's own errors: each declares its status, stable code, field and
/// production message next to the variant.
#[derive(Debug, thiserror::Error, ApiError)]
#[api(docs = "https://docs.example.com/errors/{code}")]
pub enum ThingError {
    /// No thing has this id.
    #[error("thing {0} not found")]
    #[api(
        status = 404,
        code = "things.not_found",
        field = "id",
        message = "There is no thing with this id."
    )]
    NotFound(u64),

    /// Names are unique. The in-memory store checks it itself; on a
    /// database (`things::sql`, feature `sqlx`) the schema's unique
    /// constraint `things_name_key` refuses the row and `db(constraint = …)`
    /// makes that refusal this answer.
    #[error("a thing with this name already exists")]
    #[api(
        status = 409,
        code = "things.duplicate_name",
        field = "name",
        message = "A thing with this name already exists."
    )]
    #[cfg_attr(feature = "sqlx", api(db(constraint = "things_name_key")))]
    DuplicateName,

    /// Ratings are out of five. Over HTTP, `NewThing`'s rule answers first
    /// (400, `apierror.validation.range`); this is the store's own check,
    /// for callers that skip validation.
    #[error("rating {given} is out of range")]
    #[api(
        status = 422,
        code = "things.rating_out_of_range",
        field = "rating_out_of_five",
        message = "The rating must be between 0 and 5, inclusive."
    )]
    RatingOutOfRange {
        /// The rating in the request, sent back in `details`.
        #[api(details)]
        given: i64,
    },

    /// Votes never go below zero.
    #[error("votes of thing {id} would become {would_be}")]
    #[api(
        status = 422,
        code = "things.negative_votes",
        field = "increase_votes_by",
        message = "A thing cannot have fewer than zero votes."
    )]
    NegativeVotes {
        /// The thing.
        id: u64,
        /// What its votes would have become.
        would_be: i128,
    },

    /// Votes are counted in 64 bits: a count past `u64::MAX` is refused,
    /// not wrapped (and it is not a negative count).
    #[error("votes of thing {id} would become {would_be}, past the largest count")]
    #[api(
        status = 422,
        code = "things.too_many_votes",
        field = "increase_votes_by",
        message = "A thing cannot have more votes than the largest count the API stores."
    )]
    TooManyVotes {
        /// The thing.
        id: u64,
        /// What its votes would have become.
        would_be: i128,
    },

    /// Any other failure of the database (feature `sqlx`): `DbError`
    /// answers it (503 `apierror.db.unavailable` when the database is down,
    /// 400 `apierror.db.invalid_input` for the rating's `CHECK` backstop, …).
    #[cfg(feature = "sqlx")]
    #[error(transparent)]
    #[api(transparent)]
    Db(#[from] apierror::db::DbError),

    /// The store's lock was poisoned by a panic.
    #[error("the store is unavailable: its lock was poisoned")]
    #[api(status = 503, code = "things.store_unavailable")]
    StoreUnavailable,
}

/// A thing, as stored and as answered.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Thing {
    /// Its id, given by the store.
    pub id: u64,
    /// Its unique name.
    pub name: String,
    /// 0 to 5.
    pub rating_out_of_five: u8,
    /// Votes so far.
    pub votes: u64,
}

/// The body of `POST /api/things`, with its rules: a broken rule is one
/// object of a 400 body (`field` the key, the rule's code, its limits in
/// `details`, the message declared here).
/// Its schema (feature `utoipa`) states the same rules.
#[derive(Debug, Deserialize, Validate)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct NewThing {
    /// The name: 1 to 100 characters.
    #[validate(length(min = 1, max = 100, message = "The name must be 1 to 100 characters long."))]
    #[cfg_attr(feature = "utoipa", schema(min_length = 1, max_length = 100))]
    pub name: String,
    /// The rating, 0 to 5.
    #[validate(range(min = 0, max = 5, message = "The rating must be between 0 and 5, inclusive."))]
    #[cfg_attr(feature = "utoipa", schema(minimum = 0, maximum = 5))]
    pub rating_out_of_five: i64,
}

/// The body of `PATCH /api/things/{id}`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Votes {
    /// Added to the votes (negative to remove some).
    pub increase_votes_by: i64,
}

/// The in-memory store, shared by the handlers.
#[derive(Clone, Default)]
pub struct Store(Arc<Mutex<Inner>>);

#[derive(Default)]
struct Inner {
    next_id: u64,
    things: BTreeMap<u64, Thing>,
}

impl Store {
    fn lock(&self) -> Result<MutexGuard<'_, Inner>, ThingError> {
        self.0.lock().map_err(|_| ThingError::StoreUnavailable)
    }

    /// Stores a new thing. The rating is checked again (`RatingOutOfRange`):
    /// the HTTP handlers pass only validated bodies, other callers may not.
    ///
    /// # Errors
    ///
    /// `RatingOutOfRange`, `DuplicateName`, `StoreUnavailable`.
    pub fn create(&self, new: NewThing) -> Result<Thing, ThingError> {
        let rating = u8::try_from(new.rating_out_of_five)
            .ok()
            .filter(|rating| *rating <= 5)
            .ok_or(ThingError::RatingOutOfRange { given: new.rating_out_of_five })?;
        let mut store = self.lock()?;
        if store.things.values().any(|thing| thing.name == new.name) {
            return Err(ThingError::DuplicateName);
        }
        store.next_id += 1;
        let thing = Thing { id: store.next_id, name: new.name, rating_out_of_five: rating, votes: 0 };
        store.things.insert(thing.id, thing.clone());
        Ok(thing)
    }

    /// The thing `id`.
    ///
    /// # Errors
    ///
    /// `NotFound`, `StoreUnavailable`.
    pub fn get(&self, id: u64) -> Result<Thing, ThingError> {
        self.lock()?.things.get(&id).cloned().ok_or(ThingError::NotFound(id))
    }

    /// Adds votes to the thing `id`.
    ///
    /// # Errors
    ///
    /// `NotFound`, `NegativeVotes`, `TooManyVotes`, `StoreUnavailable`.
    pub fn vote(&self, id: u64, votes: &Votes) -> Result<Thing, ThingError> {
        let mut store = self.lock()?;
        let thing = store.things.get_mut(&id).ok_or(ThingError::NotFound(id))?;
        let would_be = i128::from(thing.votes) + i128::from(votes.increase_votes_by);
        thing.votes = u64::try_from(would_be).map_err(|_| {
            if would_be < 0 {
                ThingError::NegativeVotes { id, would_be }
            } else {
                ThingError::TooManyVotes { id, would_be }
            }
        })?;
        Ok(thing.clone())
    }

    /// Removes the thing `id`.
    ///
    /// # Errors
    ///
    /// `NotFound`, `StoreUnavailable`.
    pub fn delete(&self, id: u64) -> Result<(), ThingError> {
        self.lock()?.things.remove(&id).map(drop).ok_or(ThingError::NotFound(id))
    }
}

/// The port to listen on: `$PORT`, else 3000.
///
/// # Errors
///
/// `$PORT` is set but not a port number.
pub fn port() -> std::io::Result<u16> {
    match std::env::var("PORT") {
        Ok(port) => port.parse::<u16>().map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("PORT must be a port number in 0..=65535, got {port:?}"),
            )
        }),
        Err(_) => Ok(3000),
    }
}

#[cfg(feature = "sqlx")]
pub mod sql;

#[cfg(all(feature = "utoipa", feature = "validator"))]
pub mod openapi;
