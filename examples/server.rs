//! A small "things" API on axum whose every error answers in the common body.
//!
//! ```sh
//! cargo run --example server --features axum          # listens on 127.0.0.1:3000, or $PORT
//! curl -s localhost:3000/api/things/notAnId
//! ```
//!
//! - `POST   /api/things`       `{"name": "lamp", "rating_out_of_five": 4}` → 201 and the thing
//! - `GET    /api/things/{id}`  → the thing
//! - `PATCH  /api/things/{id}`  `{"increase_votes_by": 2}` → the thing
//! - `DELETE /api/things/{id}`  → 204
//!
//! Set `APP_ENV=development` to see each error's `debug` member.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use apierror::axum::{Json, Path};
use apierror::ApiError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};

/// The API's own errors: each declares its status, stable code, field and
/// production message next to the variant.
#[derive(Debug, thiserror::Error, ApiError)]
#[api(docs = "https://docs.example.com/errors/{code}")]
pub enum ThingError {
    #[error("thing {0} not found")]
    #[api(
        status = 404,
        code = "things.not_found",
        field = "id",
        message = "There is no thing with this id."
    )]
    NotFound(u64),

    #[error("a thing named {name:?} already exists (id {existing})")]
    #[api(
        status = 409,
        code = "things.duplicate_name",
        field = "name",
        message = "A thing with this name already exists."
    )]
    DuplicateName { name: String, existing: u64 },

    #[error("rating {given} is out of range")]
    #[api(
        status = 422,
        code = "things.rating_out_of_range",
        field = "rating_out_of_five",
        message = "The rating must be between 0 and 5, inclusive."
    )]
    RatingOutOfRange {
        #[api(details)]
        given: i64,
    },

    #[error("votes of thing {id} would become {would_be}")]
    #[api(
        status = 422,
        code = "things.negative_votes",
        field = "increase_votes_by",
        message = "A thing cannot have fewer than zero votes."
    )]
    NegativeVotes { id: u64, would_be: i128 },

    #[error("the store is unavailable: its lock was poisoned")]
    #[api(status = 503, code = "things.store_unavailable")]
    StoreUnavailable,
}

/// A thing, as stored and as answered.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Thing {
    pub id: u64,
    pub name: String,
    pub rating_out_of_five: u8,
    pub votes: u64,
}

/// `POST /api/things`.
#[derive(Debug, Deserialize)]
pub struct NewThing {
    pub name: String,
    pub rating_out_of_five: i64,
}

/// `PATCH /api/things/{id}`.
#[derive(Debug, Deserialize)]
pub struct Votes {
    pub increase_votes_by: i64,
}

/// The in-memory store.
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
}

async fn create(
    State(store): State<Store>,
    Json(new): Json<NewThing>,
) -> Result<(StatusCode, Json<Thing>), ThingError> {
    let rating = u8::try_from(new.rating_out_of_five)
        .ok()
        .filter(|rating| *rating <= 5)
        .ok_or(ThingError::RatingOutOfRange { given: new.rating_out_of_five })?;
    let mut store = store.lock()?;
    if let Some(existing) = store.things.values().find(|thing| thing.name == new.name) {
        return Err(ThingError::DuplicateName { name: new.name, existing: existing.id });
    }
    store.next_id += 1;
    let thing = Thing { id: store.next_id, name: new.name, rating_out_of_five: rating, votes: 0 };
    store.things.insert(thing.id, thing.clone());
    Ok((StatusCode::CREATED, Json(thing)))
}

async fn read(State(store): State<Store>, Path(id): Path<u64>) -> Result<Json<Thing>, ThingError> {
    store.lock()?.things.get(&id).cloned().map(Json).ok_or(ThingError::NotFound(id))
}

async fn vote(
    State(store): State<Store>,
    Path(id): Path<u64>,
    Json(votes): Json<Votes>,
) -> Result<Json<Thing>, ThingError> {
    let mut store = store.lock()?;
    let thing = store.things.get_mut(&id).ok_or(ThingError::NotFound(id))?;
    let would_be = i128::from(thing.votes) + i128::from(votes.increase_votes_by);
    thing.votes = u64::try_from(would_be).map_err(|_| ThingError::NegativeVotes { id, would_be })?;
    Ok(Json(thing.clone()))
}

async fn delete(State(store): State<Store>, Path(id): Path<u64>) -> Result<StatusCode, ThingError> {
    store.lock()?.things.remove(&id).map(|_| StatusCode::NO_CONTENT).ok_or(ThingError::NotFound(id))
}

/// The API's routes, without the fallback and the layer (tests add routes).
pub fn routes() -> Router {
    Router::new()
        .route("/api/things", post(create))
        .route("/api/things/{id}", get(read).patch(vote).delete(delete))
        .with_state(Store::default())
}

/// The whole application: routes, `not_found` for every other path, and the
/// layer that keeps every error (405, 413, panics, …) in the common body.
pub fn app() -> Router {
    routes().fallback(apierror::axum::not_found).layer(apierror::axum::layer())
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    // Every error answered is logged once, with its request id (README, "Logging").
    tracing_subscriber::fmt().with_max_level(tracing::Level::DEBUG).with_ansi(false).init();
    let port = match std::env::var("PORT") {
        Ok(port) => port.parse::<u16>().map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("PORT must be a port number in 0..=65535, got {port:?}"),
            )
        })?,
        Err(_) => 3000,
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("things API on http://{}", listener.local_addr()?);
    axum::serve(listener, app()).await
}
