//! The library without a framework, a database or a process-wide setting:
//! errors and their bodies, properties of rendering, the lock of codes, the
//! package as crates.io shows it, the things domain. A test that sets a
//! global (configuration, subscriber, panic hook, allocator) or inspects the
//! registry of its binary is its own binary (`tests/Cargo.toml`).

mod errors;
mod layout;
mod lock;
mod package;
mod properties;
mod things;
