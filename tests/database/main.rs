//! `apierror::db` against real databases, one binary for both drivers:
//! sqlx on PostgreSQL, MariaDB and SQLite, and tokio-postgres on
//! PostgreSQL. They share the `db` harness (the servers' addresses, what
//! happens when one is unreachable, the scoped log capture); each test owns
//! its tables. Each module is gated on its feature.

#[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
#[path = "../db/mod.rs"]
mod db;

mod with_sqlx;
mod with_tokio_postgres;
