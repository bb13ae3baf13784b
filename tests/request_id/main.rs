//! Request ids end to end on both frameworks: a client's `X-Request-Id` (or
//! a fresh one) is the id of the response and of every event logged for
//! the request. Both modules share the `correlation` harness and its one
//! recorder, the process's global subscriber, so they are one binary and
//! no other test joins them.

#[cfg(any(feature = "axum", feature = "actix-web"))]
#[path = "../correlation/mod.rs"]
mod correlation;

mod actix;
mod axum;
mod sources;
