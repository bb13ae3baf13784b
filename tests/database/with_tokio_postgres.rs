//! `apierror::db` with tokio-postgres against a real PostgreSQL (see
//! `tests/db/mod.rs` for the address and what happens when it is
//! unreachable): the rows of DESIGN's table it can produce, nothing of the
//! database in a body (tokio-postgres's own `Display` appends DETAIL and
//! HINT: development's `debug` must not show them), the database event's
//! structured fields, and the team's own variants.
#![cfg(feature = "tokio-postgres")]

use crate::db;

use apierror::db::{DbError, DbErrorKind, FromDbError};
use apierror::{ApiError, ApiErrorExt};
use db::{assert_answer, assert_logged, incompressible, postgres_url, unique_name, unreachable, Logs};
use tokio_postgres::{Client, NoTls};

/// A connection, or `None` (skipped) when the server is unreachable.
async fn connect() -> Option<(Client, tokio::task::JoinHandle<()>)> {
    let url = postgres_url();
    match tokio_postgres::connect(&url, NoTls).await {
        Ok((client, connection)) => Some((
            client,
            tokio::spawn(async move {
                let _ = connection.await;
            }),
        )),
        Err(err) => {
            unreachable("PostgreSQL", "APIERROR_TEST_POSTGRES", &url, &err);
            None
        }
    }
}

/// Converts `err` under a capturing subscriber and checks the answer and
/// the event.
fn check(
    err: tokio_postgres::Error,
    status: u16,
    code: &str,
    secrets: &[&str],
    logged: &[String],
) -> DbError {
    let driver_message = err.as_db_error().map(|db| db.message().to_owned());
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

fn field(name: &str, value: &str) -> String {
    format!("{name}={value}")
}

#[tokio::test]
async fn refused_rows_answer_designs_table() {
    let Some((client, _connection)) = connect().await else { return };
    let parent = unique_name("parent");
    let table = unique_name("things");
    client
        .batch_execute(&format!(
            "CREATE TABLE {parent} (id int PRIMARY KEY); \
             CREATE TABLE {table} (id serial PRIMARY KEY, name text NOT NULL CONSTRAINT {table}_name_key UNIQUE, \
             rating int CONSTRAINT {table}_rating_check CHECK (rating BETWEEN 1 AND 5), \
             parent int CONSTRAINT {table}_parent_fkey REFERENCES {parent}(id), code varchar(3))"
        ))
        .await
        .unwrap();
    let row_value = unique_name("secret-row-value");
    let insert_name = format!("INSERT INTO {table} (name) VALUES ($1)");
    client.execute(&insert_name, &[&row_value]).await.unwrap();

    // Unique: 23505 → 409; DETAIL (the row's value) is in no body, not
    // even development's `debug`.
    let unique_key = format!("{table}_name_key");
    let err = client.execute(&insert_name, &[&row_value]).await.unwrap_err();
    let own = std::error::Error::source(&err).map(ToString::to_string).unwrap_or_default();
    assert!(own.contains(&row_value), "tokio-postgres's own DbError Display holds DETAIL: {own}");
    let db = check(
        err,
        409,
        "apierror.db.conflict",
        &[&table, &unique_key, "23505", &row_value, "DETAIL"],
        &[
            field("db.backend", "\"postgres\""),
            field("db.sqlstate", "23505"),
            field("db.constraint", &unique_key),
            field("db.table", &table),
        ],
    );
    assert_eq!(db.constraint(), Some(unique_key.as_str()));
    let dev = db.to_response_with(&apierror::Config::development());
    let dev = std::str::from_utf8(dev.body()).unwrap();
    assert!(!dev.contains(&row_value) && !dev.contains("DETAIL"), "{dev}");

    // Foreign key, not null, check, too long, invalid input, out of range.
    let fkey = format!("{table}_parent_fkey");
    let err = client
        .execute(&format!("INSERT INTO {table} (name, parent) VALUES ('c', 999)"), &[])
        .await
        .unwrap_err();
    check(err, 409, "apierror.db.conflict", &[&table, &fkey, "23503"], &[field("db.constraint", &fkey)]);
    let err = client.execute(&format!("INSERT INTO {table} (name) VALUES (NULL)"), &[]).await.unwrap_err();
    check(err, 400, "apierror.db.invalid_input", &[&table, "23502"], &[field("db.column", "name")]);
    let check_name = format!("{table}_rating_check");
    let err = client
        .execute(&format!("INSERT INTO {table} (name, rating) VALUES ('r', 9)"), &[])
        .await
        .unwrap_err();
    check(
        err,
        400,
        "apierror.db.invalid_input",
        &[&table, &check_name, "23514"],
        &[field("db.constraint", &check_name)],
    );
    let err = client
        .execute(&format!("INSERT INTO {table} (name, code) VALUES ('l', 'abcd')"), &[])
        .await
        .unwrap_err();
    check(err, 400, "apierror.db.invalid_input", &[&table, "22001"], &[field("db.sqlstate", "22001")]);
    let err = client.query("SELECT $1::text::int", &[&"thingy_mcthing_face"]).await.unwrap_err();
    check(
        err,
        400,
        "apierror.db.invalid_input",
        &["thingy_mcthing_face", "22P02"],
        &[field("db.sqlstate", "22P02")],
    );
    let err = client.query("SELECT 2147483647::int + 1", &[]).await.unwrap_err();
    check(err, 400, "apierror.db.invalid_input", &["22003"], &[field("db.sqlstate", "22003")]);

    client.batch_execute(&format!("DROP TABLE {table}; DROP TABLE {parent}")).await.unwrap();
}

/// A ~3 KB value in a btree-indexed column (54000) is the client's input
/// → 400; `to_tsquery`'s syntax error on `foo &` (42601) stays 500
/// (`websearch_to_tsquery` is the fix).
#[tokio::test]
async fn client_values_past_limits_are_invalid_input() {
    let Some((client, _connection)) = connect().await else { return };
    let table = unique_name("indexed");
    client
        .batch_execute(&format!("CREATE TABLE {table} (v text); CREATE INDEX {table}_v_idx ON {table} (v)"))
        .await
        .unwrap();
    let value = incompressible(3200);
    let err = client.execute(&*format!("INSERT INTO {table} (v) VALUES ($1)"), &[&value]).await.unwrap_err();
    check(
        err,
        400,
        "apierror.db.invalid_input",
        &[&table, "54000", &value[..64], "btree"],
        &[field("db.sqlstate", "54000")],
    );

    let err = client.query("SELECT to_tsquery($1)", &[&"foo &"]).await.unwrap_err();
    check(err, 500, "apierror.db.internal", &["42601", "tsquery"], &[field("db.sqlstate", "42601")]);
    client.query("SELECT websearch_to_tsquery($1)", &[&"foo &"]).await.unwrap();

    client.batch_execute(&format!("DROP TABLE {table}")).await.unwrap();
}

#[tokio::test]
async fn lost_races_timeouts_and_lost_connections() {
    let Some((a, _a)) = connect().await else { return };
    let Some((b, b_connection)) = connect().await else { return };
    let table = unique_name("counters");
    a.batch_execute(&format!(
        "CREATE TABLE {table} (id int PRIMARY KEY, n int); INSERT INTO {table} VALUES (1, 0)"
    ))
    .await
    .unwrap();

    // Serialization failure: 40001 → 503 with Retry-After.
    for client in [&a, &b] {
        client
            .batch_execute(&format!("BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT n FROM {table} WHERE id = 1"))
            .await
            .unwrap();
    }
    a.batch_execute(&format!("UPDATE {table} SET n = 1 WHERE id = 1; COMMIT")).await.unwrap();
    let err = b.batch_execute(&format!("UPDATE {table} SET n = 2 WHERE id = 1")).await.unwrap_err();
    b.batch_execute("ROLLBACK").await.unwrap();
    check(err, 503, "apierror.db.busy", &[&table, "40001"], &[field("db.sqlstate", "40001")]);

    // Statement timeout: 57014 → 504.
    let err = b.batch_execute("SET statement_timeout = 50; SELECT pg_sleep(2)").await.unwrap_err();
    b.batch_execute("RESET statement_timeout").await.unwrap();
    check(err, 504, "apierror.db.timeout", &["57014"], &[field("db.sqlstate", "57014")]);

    // A refused connection → 503.
    let err = tokio_postgres::connect("host=127.0.0.1 port=1 user=postgres dbname=test", NoTls)
        .await
        .map(drop)
        .expect_err("refused");
    check(err, 503, "apierror.db.unavailable", &["127.0.0.1", "refused"], &[]);

    // A connection that is gone → 503.
    b_connection.abort();
    let _ = b_connection.await;
    let err = b.query("SELECT 1", &[]).await.unwrap_err();
    assert!(err.is_closed(), "{err}");
    check(err, 503, "apierror.db.unavailable", &[], &[]);

    a.batch_execute(&format!("DROP TABLE {table}")).await.unwrap();
}

/// A team's error: `db(constraint = "…")` makes the derive implement
/// `FromDbError` and `From<tokio_postgres::Error>`.
#[derive(Debug, thiserror::Error, ApiError)]
enum ThingError {
    #[error("a thing with this name exists")]
    #[api(
        status = 409,
        code = "db-tp-test.duplicate_name",
        field = "name",
        message = "There is already a thing with this name.",
        db(constraint = "things_name_key")
    )]
    DuplicateName,

    #[error(transparent)]
    #[api(transparent)]
    Db(#[from] DbError),
}

async fn insert(client: &Client, name: &str) -> Result<u64, ThingError> {
    Ok(client.execute("INSERT INTO things (name) VALUES ($1)", &[&name]).await?)
}

#[tokio::test]
async fn constraints_answer_the_teams_variants() {
    let Some((client, _connection)) = connect().await else { return };
    client
        .batch_execute("CREATE TEMPORARY TABLE things (name text CONSTRAINT things_name_key UNIQUE)")
        .await
        .unwrap();
    insert(&client, "taken").await.unwrap();
    let err = insert(&client, "taken").await.unwrap_err();
    assert!(matches!(err, ThingError::DuplicateName), "{err:?}");
    assert_answer(&err, 409, "db-tp-test.duplicate_name", &["things", "23505", "taken"], None);
    let err = client.query("SELECT 1/0", &[]).await.map_err(ThingError::from_db).unwrap_err();
    assert!(matches!(err, ThingError::Db(ref db) if db.kind() == DbErrorKind::InvalidInput), "{err:?}");
}
