//! What the programs of `examples/` share with the tests in `tests/`: the
//! sample types, the things domain, and the example servers as modules (the
//! tests serve the very routes a newcomer runs). Users depend on the
//! `apierror` crate (`error-core/`).

// The programs name this crate `apierror_examples`; so do the server
// modules below, compiled inside it.
extern crate self as apierror_examples;

pub mod sample;
pub mod things;

/// `examples/server.rs` (axum): its routes and document, for the tests.
#[cfg(feature = "axum")]
#[path = "../server.rs"]
#[allow(dead_code)]
pub mod server;

/// `examples/server_actix.rs` (actix-web): its routes and document, for the
/// tests.
#[cfg(feature = "actix-web")]
#[path = "../server_actix.rs"]
#[allow(dead_code)]
pub mod server_actix;

/// Every Rust example in README.md compiles and runs as a doctest, so the
/// README cannot drift from the crate.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
