//! What the programs of `examples/` share with the tests in `tests/`: the
//! sample types, the things domain, and the example servers as modules (the
//! tests serve the very routes a newcomer runs). Users depend on the
//! `apierror` crate (`error-core/`).

// The programs name this crate `apierror_examples`; so do the server
// modules below, compiled inside it.
extern crate self as apierror_examples;

pub mod sample;
pub mod things;

/// The examples' translation files, `examples/locales/<language>.ftl`
/// (found from the crate's folder, whatever the working directory).
#[cfg(feature = "i18n")]
pub const LOCALES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");

/// The examples' translations (feature `i18n`): `locales/en.ftl` and
/// `locales/de.ftl`, over the crate's own files for the built-in codes.
///
/// # Errors
///
/// A file does not parse or uses a variable its code's message lacks.
#[cfg(feature = "i18n")]
pub fn translations() -> Result<apierror::i18n::Translations, apierror::i18n::LoadError> {
    apierror::i18n::Translations::from_folder(LOCALES)
}

/// The configuration every example server answers with, built once in its
/// `main`: `APP_ENV` (`Config::from_env`) and, with the feature `i18n` (on
/// with `axum` and `actix-web`), the [`translations`], so that
/// `Accept-Language: de` is answered in German.
///
/// # Errors
///
/// The translations do not load.
pub fn config() -> std::io::Result<apierror::Config> {
    let config = apierror::Config::from_env();
    #[cfg(feature = "i18n")]
    let config = config.with_translations(translations().map_err(std::io::Error::other)?);
    Ok(config)
}

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
