//! End to end over loopback HTTP, one binary for both frameworks: every
//! module serves real routes (the example servers' and test routes) and
//! calls them with a real client. They share the `web` harness and the one
//! global it sets up (production bodies, `web::set_up`; the `web::log`
//! capture), so they can share a process; a test that installs another
//! global (configuration, subscriber, panic hook) is its own binary
//! (`tests/Cargo.toml`). Each module is gated on the features it needs.
//!
//! A new end-to-end test of the integrations (say, two routers with their
//! own configuration in one process, for both frameworks) is a module here,
//! `mod two_routers;` below, once it needs no process-wide setting.

#[cfg(any(feature = "axum", feature = "actix-web"))]
#[path = "../web/mod.rs"]
mod web;

#[cfg(all(feature = "axum", feature = "sqlx"))]
#[path = "../db/mod.rs"]
mod db;

mod actix;
mod axum;
mod extract_props;
mod no_response_impl;
mod openapi_example;
mod things_db;
#[cfg(all(feature = "reqwest", feature = "axum"))]
mod upstream_axum;
mod validation_web;
