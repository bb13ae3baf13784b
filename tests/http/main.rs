//! End to end over loopback HTTP, one binary for both frameworks: every
//! module serves real routes (the example servers' and test routes) and
//! calls them with a real client. They share the `web` harness and the one
//! global it sets up (production bodies, `web::set_up`; the `web::log`
//! capture), so they can share a process; a test that installs another
//! global (configuration, subscriber, panic hook) is its own binary
//! (`tests/Cargo.toml`). Each module is gated on the features it needs.
//!
//! Configuration is a value: `two_configs` serves routers with their own
//! `Config` side by side in this one process.

#[cfg(any(feature = "axum", feature = "actix-web"))]
#[path = "../web/mod.rs"]
mod web;

#[cfg(all(feature = "axum", feature = "sqlx"))]
#[path = "../db/mod.rs"]
mod db;

#[cfg(all(feature = "reqwest", any(feature = "axum", feature = "actix-web")))]
#[path = "../recording/mod.rs"]
mod recording;

/// The actix-web app factory of a server answering with `config`: the
/// calling module's `routes`, apierror's middleware and default service
/// (the modules that serve one app per configuration use it).
#[cfg(feature = "actix-web")]
macro_rules! actix_app {
    ($config:expr) => {{
        let config: Config = $config;
        move || {
            App::new()
                .wrap(apierror::actix::middleware_with(config.clone()))
                .configure(routes)
                .default_service(aweb::to(apierror::actix::not_found))
        }
    }};
}

mod actix;
mod axum;
mod extract_props;
mod languages;
mod no_response_impl;
mod openapi_example;
mod problem;
mod things_db;
mod two_configs;
#[cfg(all(feature = "reqwest", feature = "axum"))]
mod upstream_axum;
mod upstream_forwarding;
mod validation_web;
