//! `apierror::db` with sqlx against real databases: PostgreSQL and MariaDB
//! (the project machines' servers, see `tests/db/mod.rs` for the addresses
//! and what happens when one is unreachable) and SQLite (embedded, always
//! run). Every row of DESIGN's table is provoked for real on each backend
//! where it can be, and each answer is checked: status, code, nothing of
//! the database in a body, the database event's structured fields.
#![cfg(feature = "sqlx")]

use crate::db;

mod on_mysql;
mod on_postgres;
mod on_sqlite;
mod teams;

use teams::{insert, ThingError};

use std::time::Duration;

use apierror::db::{DbError, DbErrorKind, FromDbError, SqlxResultExt as _};
use apierror::{ApiError, ApiErrorExt};
use db::{
    assert_answer, assert_logged, incompressible, mysql_url, postgres_url, unique_name, unreachable, Logs,
};
use sqlx::mysql::{MySqlConnection, MySqlPool};
use sqlx::pool::PoolOptions;
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqlitePool, SqlitePoolOptions};
use sqlx::{Connection, Executor};

/// Converts `err` under a capturing subscriber and checks the answer and
/// the event: `secrets` (and the driver's message) are never in a body,
/// `logged` are in the event.
fn check(err: sqlx::Error, status: u16, code: &str, secrets: &[&str], logged: &[String]) -> DbError {
    let driver_message = err.as_database_error().map(|db| db.message().to_owned());
    let (logs, guard) = Logs::capture();
    let db = DbError::from(err);
    let _ = db.to_response_with(&apierror::Config::production());
    drop(guard);
    assert_logged(&logs, code, logged);
    let mut secrets = secrets.to_vec();
    secrets.extend(driver_message.as_deref());
    assert_answer(&db, status, code, &secrets, driver_message.as_deref());
    db
}

/// The error of running `sql` (with one bound text, when given).
async fn fails<'e, E>(executor: E, sql: &str, bind: Option<&str>) -> sqlx::Error
where
    E: Executor<'e>,
    for<'q> <E::Database as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, E::Database>,
    for<'q> &'q str: sqlx::Encode<'q, E::Database> + sqlx::Type<E::Database>,
{
    let query = sqlx::query(sql);
    let query = match bind {
        Some(value) => query.bind(value),
        None => query,
    };
    match query.execute(executor).await {
        Ok(_) => panic!("{sql} succeeded"),
        Err(err) => err,
    }
}

fn field(name: &str, value: &str) -> String {
    format!("{name}={value}")
}

/// The database event of converting `err`, with DETAIL logging `detail`.
fn db_event(err: sqlx::Error, detail: bool) -> String {
    let (logs, guard) = Logs::capture();
    let config = apierror::Config::production().with_db_detail_logged(detail);
    let _ = DbError::from(err).to_response_with(&config);
    drop(guard);
    let events = logs.db_events();
    assert_eq!(events.len(), 1, "{}", logs.text());
    events[0].clone()
}

// ------------------------------------------------- the servers

/// A pool on the server at `url`, or `None` (after [`unreachable`]) when it
/// refuses a connection: one attempt first, since the pool would retry a
/// refused connection until its timeout.
async fn pool<DB: sqlx::Database>(server: &str, variable: &str, url: &str) -> Option<sqlx::Pool<DB>> {
    let probe = match DB::Connection::connect(url).await {
        Ok(conn) => conn.close().await,
        Err(err) => Err(err),
    };
    match probe {
        Ok(()) => {
            Some(PoolOptions::<DB>::new().acquire_timeout(Duration::from_secs(5)).connect(url).await.unwrap())
        }
        Err(err) => {
            unreachable(server, variable, url, &err);
            None
        }
    }
}

async fn postgres() -> Option<PgPool> {
    pool("PostgreSQL", "APIERROR_TEST_POSTGRES", &postgres_url()).await
}

async fn mysql() -> Option<MySqlPool> {
    pool("MariaDB/MySQL", "APIERROR_TEST_MYSQL", &mysql_url()).await
}

async fn sqlite() -> SqlitePool {
    SqlitePoolOptions::new().max_connections(1).connect("sqlite::memory:").await.unwrap()
}

/// A lazy pool on `url` (a closed port): every way of converting its
/// timeout, checked.
async fn stopped_database_answers_503<DB: sqlx::Database>(url: &str) {
    let stopped = PoolOptions::<DB>::new()
        .max_connections(3)
        .acquire_timeout(Duration::from_millis(300))
        .connect_lazy(url)
        .unwrap();
    let no_connection = "no connection to the database could be opened";
    let bare = stopped.acquire().await.map(drop).unwrap_err();
    assert!(matches!(bare, sqlx::Error::PoolTimedOut), "{bare:?}");
    check(bare, 504, "apierror.db.timeout", &[], &[]);

    let err = stopped.acquire().await.map(drop).or_unavailable(&stopped).unwrap_err();
    check(err, 503, "apierror.db.unavailable", &["127.0.0.1", no_connection], &[no_connection.to_owned()]);

    let db = DbError::from_pool(&stopped, stopped.acquire().await.unwrap_err());
    let (logs, guard) = Logs::capture();
    let _ = db.to_response_with(&apierror::Config::production());
    drop(guard);
    assert_logged(
        &logs,
        "apierror.db.unavailable",
        &[format!("{no_connection} within the pool's acquire timeout")],
    );
    assert_answer(&db, 503, "apierror.db.unavailable", &[no_connection], None);

    // A query on the pool, into a derived type: the `?` after
    // `or_unavailable` is the derive's `From<sqlx::Error>`.
    async fn query<DB: sqlx::Database>(pool: &sqlx::Pool<DB>) -> Result<(), ThingError> {
        pool.acquire().await.map(drop).or_unavailable(pool)?;
        Ok(())
    }
    let err = query(&stopped).await.unwrap_err();
    assert!(matches!(err, ThingError::Db(ref db) if db.kind() == DbErrorKind::Unavailable), "{err:?}");
    assert_answer(&err, 503, "apierror.db.unavailable", &[no_connection], None);
}
