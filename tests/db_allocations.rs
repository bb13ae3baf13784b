//! Classifying a database error and rendering it allocates no more than
//! rendering the equivalent derived variant, for the common cases (unique,
//! foreign key, not null, check, no row), with real SQLite errors. A
//! regression guard that counts allocations, not a timing.
#![cfg(feature = "sqlx")]

use apierror::db::DbError;
use apierror::{ApiError, ApiErrorExt, Config};
use sqlx::Executor;

mod counting;

#[derive(Debug, thiserror::Error, apierror::ApiError)]
enum Derived {
    #[error("not found")]
    #[api(status = 404, code = "db-alloc.not_found", message = "The requested resource was not found.")]
    NotFound,
    #[error("conflict")]
    #[api(
        status = 409,
        code = "db-alloc.conflict",
        message = "The request conflicts with the current state of the data."
    )]
    Conflict,
    #[error("invalid")]
    #[api(
        status = 400,
        code = "db-alloc.invalid",
        message = "The request has a value that cannot be stored."
    )]
    Invalid,
}

/// Two real errors of each common case (one to warm up with), and the
/// derived variant answering the same status.
fn errors() -> Vec<(&'static str, [sqlx::Error; 2], Derived)> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        pool.execute(
            "CREATE TABLE parent (id INTEGER PRIMARY KEY); \
             CREATE TABLE things (name TEXT NOT NULL UNIQUE, rating INTEGER CHECK (rating < 5), \
             parent INTEGER REFERENCES parent(id)); INSERT INTO things (name) VALUES ('taken')",
        )
        .await
        .unwrap();
        let mut cases = Vec::new();
        for (name, sql, derived) in [
            ("unique", "INSERT INTO things (name) VALUES ('taken')", Derived::Conflict),
            ("foreign key", "INSERT INTO things (name, parent) VALUES ('c', 9)", Derived::Conflict),
            ("not null", "INSERT INTO things (name) VALUES (NULL)", Derived::Invalid),
            ("check", "INSERT INTO things (name, rating) VALUES ('r', 9)", Derived::Invalid),
            ("no row", "SELECT name FROM things WHERE name = 'none'", Derived::NotFound),
        ] {
            let fail = async || match sqlx::query(sql).fetch_one(&pool).await {
                Ok(_) => panic!("{sql} succeeded"),
                Err(err) => err,
            };
            cases.push((name, [fail().await, fail().await], derived));
        }
        cases
    })
}

#[test]
fn classifying_and_rendering_allocates_no_more_than_a_derived_variant() {
    let production = Config::production();
    for (name, [warm_up, err], derived) in errors() {
        drop(DbError::from(warm_up).to_response_with(&production));
        drop(derived.to_response_with(&production));
        let before = counting::so_far();
        let db = DbError::from(err);
        let classified = counting::so_far() - before;
        assert_eq!(classified, 0, "{name}: classifying allocates");
        assert_eq!(db.status(), derived.status(), "{name}");
        let ours = counting::of(|| db.to_response_with(&production));
        let baseline = counting::of(|| derived.to_response_with(&production));
        assert!(ours >= 1, "{name}: the counter sees the body buffer");
        assert!(
            ours <= baseline,
            "{name}: DbError renders with {ours} allocations, the derived variant {baseline}"
        );
    }
}
