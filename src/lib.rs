//! The unpublished root package of the apierror workspace: it owns the
//! integration tests in `tests/` and the programs in `examples/`. Users
//! depend on the `apierror` crate (`error-core/`).

pub mod sample;
pub mod things;

/// Every Rust example in README.md compiles and runs as a doctest, so the
/// README cannot drift from the crate.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
