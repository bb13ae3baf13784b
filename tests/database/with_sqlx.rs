//! `apierror::db` with sqlx against real databases: PostgreSQL and MariaDB
//! (the project machines' servers, see `tests/db/mod.rs` for the addresses
//! and what happens when one is unreachable) and SQLite (embedded, always
//! run). Every row of DESIGN's table is provoked for real on each backend
//! where it can be, and each answer is checked: status, code, nothing of
//! the database in a body, the database event's structured fields.
#![cfg(feature = "sqlx")]

use crate::db;

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

// ------------------------------------------------------------ PostgreSQL

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

#[tokio::test]
async fn postgres_refused_rows_answer_designs_table() {
    let Some(pool) = postgres().await else { return };
    let parent = unique_name("parent");
    let table = unique_name("things");
    pool.execute(&*format!("CREATE TABLE {parent} (id int PRIMARY KEY)")).await.unwrap();
    pool.execute(&*format!(
        "CREATE TABLE {table} (id serial PRIMARY KEY, name text NOT NULL CONSTRAINT {table}_name_key UNIQUE, \
         rating int CONSTRAINT {table}_rating_check CHECK (rating BETWEEN 1 AND 5), \
         parent int CONSTRAINT {table}_parent_fkey REFERENCES {parent}(id), code varchar(3))"
    ))
    .await
    .unwrap();
    let row_value = unique_name("secret-row-value");
    let insert_name = format!("INSERT INTO {table} (name) VALUES ($1)");
    sqlx::query(&insert_name).bind(&row_value).execute(&pool).await.unwrap();
    let unique_key = format!("{table}_name_key");
    let postgres = || field("db.backend", "\"postgres\"");

    // Unique: 23505 → 409. The row's value is in DETAIL only: logged when
    // the team turns DETAIL on, never in a body.
    let err = fails(&pool, &insert_name, Some(&row_value)).await;
    let db = check(
        err,
        409,
        "apierror.db.conflict",
        &[&table, &unique_key, "23505", &row_value],
        &[
            postgres(),
            field("db.sqlstate", "23505"),
            field("db.constraint", &unique_key),
            field("db.table", &table),
        ],
    );
    assert_eq!(db.kind(), DbErrorKind::Conflict);
    assert_eq!(db.constraint(), Some(unique_key.as_str()));
    assert!(db.detail().is_some_and(|detail| detail.contains(&row_value)));
    {
        let (off, on) = (
            fails(&pool, &insert_name, Some(&row_value)).await,
            fails(&pool, &insert_name, Some(&row_value)).await,
        );
        let (logs, _guard) = Logs::capture();
        let _ = DbError::from(off).to_response_with(&apierror::Config::production());
        assert!(!logs.text().contains("db.detail"), "DETAIL is off by default: {}", logs.text());
        let _ =
            DbError::from(on).to_response_with(&apierror::Config::production().with_db_detail_logged(true));
        let text = logs.text();
        assert!(text.contains(&format!("db.detail=Key (name)=({row_value}) already exists.")), "{text}");
    }

    // Foreign key: 23503 → 409.
    let sql = format!("INSERT INTO {table} (name, parent) VALUES ('child', 999)");
    let fkey = format!("{table}_parent_fkey");
    check(
        fails(&pool, &sql, None).await,
        409,
        "apierror.db.conflict",
        &[&table, &parent, &fkey, "23503"],
        &[field("db.sqlstate", "23503"), field("db.constraint", &fkey)],
    );

    // Not null: 23502 → 400, the column logged.
    let sql = format!("INSERT INTO {table} (name) VALUES (NULL)");
    check(
        fails(&pool, &sql, None).await,
        400,
        "apierror.db.invalid_input",
        &[&table, "23502", "\"name\""],
        &[field("db.sqlstate", "23502"), field("db.column", "name"), field("db.table", &table)],
    );

    // Check: 23514 → 400.
    let sql = format!("INSERT INTO {table} (name, rating) VALUES ('rated', 9)");
    let check_name = format!("{table}_rating_check");
    check(
        fails(&pool, &sql, None).await,
        400,
        "apierror.db.invalid_input",
        &[&table, &check_name, "23514"],
        &[field("db.sqlstate", "23514"), field("db.constraint", &check_name)],
    );

    // Too long: 22001 → 400.
    let sql = format!("INSERT INTO {table} (name, code) VALUES ('long', 'abcd')");
    check(
        fails(&pool, &sql, None).await,
        400,
        "apierror.db.invalid_input",
        &[&table, "22001"],
        &[field("db.sqlstate", "22001")],
    );

    // The seed's own case: invalid input syntax, 22P02 → 400.
    check(
        fails(&pool, "SELECT $1::int", Some("thingy_mcthing_face")).await,
        400,
        "apierror.db.invalid_input",
        &["thingy_mcthing_face", "22P02", "integer"],
        &[field("db.sqlstate", "22P02")],
    );

    // Out of range: 22003 → 400.
    check(
        fails(&pool, "SELECT 2147483647::int + 1", None).await,
        400,
        "apierror.db.invalid_input",
        &["22003", "out of range"],
        &[field("db.sqlstate", "22003")],
    );

    // No row → 404.
    let err = sqlx::query(&format!("SELECT id FROM {table} WHERE id = -1"))
        .fetch_one(&pool)
        .await
        .map(drop)
        .expect_err("no row");
    check(err, 404, "apierror.db.not_found", &[&table], &[]);

    pool.execute(&*format!("DROP TABLE {table}; DROP TABLE {parent}")).await.unwrap();
}

/// What a client's value provokes past the database's limits is the
/// client's input (400), not the server's fault; a syntax error stays 500.
#[tokio::test]
async fn postgres_client_values_past_limits_are_invalid_input() {
    let Some(pool) = postgres().await else { return };
    let table = unique_name("indexed");
    pool.execute(&*format!("CREATE TABLE {table} (v text); CREATE INDEX {table}_v_idx ON {table} (v)"))
        .await
        .unwrap();

    // A ~3 KB value in a btree-indexed text column: "index row size …
    // exceeds btree version 4 maximum 2704", 54000 → 400.
    let value = incompressible(3200);
    let insert = format!("INSERT INTO {table} (v) VALUES ($1)");
    let err = fails(&pool, &insert, Some(&value)).await;
    assert_eq!(err.as_database_error().and_then(|db| db.code()).as_deref(), Some("54000"), "{err}");
    check(
        err,
        400,
        "apierror.db.invalid_input",
        &[&table, "54000", &value[..64], "btree"],
        &[field("db.sqlstate", "54000")],
    );

    // `to_tsquery` on a client's text: `foo &` is a tsquery syntax error,
    // 42601, the SQLSTATE of a server bug elsewhere: it stays 500. The fix
    // is the query's: `websearch_to_tsquery` takes any text.
    let err = fails(&pool, "SELECT to_tsquery($1)", Some("foo &")).await;
    check(err, 500, "apierror.db.internal", &["42601", "tsquery"], &[field("db.sqlstate", "42601")]);
    sqlx::query("SELECT websearch_to_tsquery($1)").bind("foo &").execute(&pool).await.unwrap();

    pool.execute(&*format!("DROP TABLE {table}")).await.unwrap();
}

/// A real PostgreSQL 5xx (an undefined table, 42P01 → 500) through a
/// team's `transparent` variant and as a team's variant holding it as its
/// source: exactly one ERROR event each, the render's, with the database's
/// facts as fields and the driver's message once (as `db.message`).
#[tokio::test]
async fn a_postgres_5xx_logs_one_error_event_with_the_facts() {
    let Some(pool) = postgres().await else { return };
    let table = unique_name("missing");
    let sql = format!("SELECT * FROM {table}");
    let transparent = insert(&pool, &sql).await.unwrap_err();
    assert!(matches!(transparent, ThingError::Db(_)), "{transparent:?}");
    let sourced = ThingError::DuplicateName { source: DbError::from(fails(&pool, &sql, None).await) };
    for (err, code) in [(&transparent, "apierror.db.internal"), (&sourced, "db-sqlx-test.duplicate_name")] {
        let (logs, guard) = Logs::capture();
        let response = err.to_response_with(&apierror::Config::production());
        drop(guard);
        assert_eq!(response.status().as_u16(), if code == "apierror.db.internal" { 500 } else { 409 });
        let text = logs.text();
        let errors: Vec<&str> = text.lines().filter(|line| line.contains(" ERROR ")).collect();
        if code == "apierror.db.internal" {
            assert_eq!(errors.len(), 1, "one ERROR event: {text}");
        }
        let events = logs.db_events();
        assert_eq!(events.len(), 1, "{text}");
        let event = &events[0];
        for field in [
            format!("error.code=\"{code}\""),
            field("db.backend", "\"postgres\""),
            field("db.sqlstate", "42P01"),
            format!("db.message=relation \"{table}\" does not exist"),
        ] {
            assert!(event.contains(&field), "{event} lacks {field}");
        }
        assert_eq!(event.matches("does not exist").count(), 1, "the driver's message once: {event}");
    }
}

/// PostgreSQL's 22P02 message quotes the value: logged as `<redacted>`
/// unless DETAIL logging is on.
#[tokio::test]
async fn postgres_row_values_in_messages_are_redacted_unless_detail_is_logged() {
    let Some(pool) = postgres().await else { return };
    let value = unique_name("secret-22p02-value");
    let event = db_event(fails(&pool, "SELECT $1::int", Some(&value)).await, false);
    assert!(!event.contains(&value), "{event}");
    assert!(event.contains(r#"db.message=invalid input syntax for type integer: "<redacted>""#), "{event}");
    let event = db_event(fails(&pool, "SELECT $1::int", Some(&value)).await, true);
    assert!(
        event.contains(&format!(r#"db.message=invalid input syntax for type integer: "{value}""#)),
        "{event}"
    );
}

#[tokio::test]
async fn postgres_lost_races_answer_busy_with_retry_after() {
    let Some(pool) = postgres().await else { return };
    let table = unique_name("counters");
    pool.execute(&*format!(
        "CREATE TABLE {table} (id int PRIMARY KEY, n int); INSERT INTO {table} VALUES (1, 0)"
    ))
    .await
    .unwrap();
    let mut a = pool.acquire().await.unwrap();
    let mut b = pool.acquire().await.unwrap();

    // Serialization failure: two serializable transactions update one row.
    let read = format!("SELECT n FROM {table} WHERE id = 1");
    for conn in [&mut a, &mut b] {
        conn.execute("BEGIN ISOLATION LEVEL SERIALIZABLE").await.unwrap();
        conn.execute(&*read).await.unwrap();
    }
    a.execute(&*format!("UPDATE {table} SET n = 1 WHERE id = 1")).await.unwrap();
    a.execute("COMMIT").await.unwrap();
    let err = fails(&mut *b, &format!("UPDATE {table} SET n = 2 WHERE id = 1"), None).await;
    b.execute("ROLLBACK").await.unwrap();
    check(err, 503, "apierror.db.busy", &[&table, "40001"], &[field("db.sqlstate", "40001")]);

    // Lock not available: 55P03.
    a.execute("BEGIN").await.unwrap();
    a.execute(&*format!("SELECT n FROM {table} WHERE id = 1 FOR UPDATE")).await.unwrap();
    let err = fails(&mut *b, &format!("SELECT n FROM {table} WHERE id = 1 FOR UPDATE NOWAIT"), None).await;
    a.execute("ROLLBACK").await.unwrap();
    check(err, 503, "apierror.db.busy", &[&table, "55P03"], &[field("db.sqlstate", "55P03")]);

    // Statement timeout: 57014 → 504.
    b.execute("SET statement_timeout = 50").await.unwrap();
    let err = fails(&mut *b, "SELECT pg_sleep(2)", None).await;
    b.execute("RESET statement_timeout").await.unwrap();
    check(err, 504, "apierror.db.timeout", &["57014", "pg_sleep"], &[field("db.sqlstate", "57014")]);

    drop((a, b));
    pool.execute(&*format!("DROP TABLE {table}")).await.unwrap();
}

#[tokio::test]
async fn postgres_pool_and_connection_failures() {
    let Some(pool) = postgres().await else { return };
    // A refused connection (a closed port on loopback) → 503.
    let err = PgConnection::connect("postgres://postgres@127.0.0.1:1/test").await.unwrap_err();
    assert!(matches!(err, sqlx::Error::Io(_)), "{err:?}");
    check(err, 503, "apierror.db.unavailable", &["127.0.0.1", "refused"], &[]);

    // A saturated pool on a live server (max_connections 1, that one
    // held) times out → 504, read through the pool or not.
    let small = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_millis(200))
        .connect(&postgres_url())
        .await
        .unwrap();
    let held = small.acquire().await.unwrap();
    let err = small.acquire().await.map(drop).or_unavailable(&small).unwrap_err();
    assert!(matches!(err, sqlx::Error::PoolTimedOut), "{err:?}");
    check(err, 504, "apierror.db.timeout", &[], &[]);
    let err = DbError::from_pool(&small, small.acquire().await.unwrap_err());
    let (logs, guard) = Logs::capture();
    let _ = err.to_response_with(&apierror::Config::production());
    drop(guard);
    assert_logged(&logs, "apierror.db.timeout", &[]);
    assert_answer(&err, 504, "apierror.db.timeout", &[], None);
    drop(held);

    // A pool on a closed port: sqlx retries the refused connection until
    // the acquire timeout and says only `PoolTimedOut`. A bare conversion
    // cannot tell it from a saturated pool (504); through the pool it is
    // 503, logged as "no connection … could be opened".
    stopped_database_answers_503::<sqlx::Postgres>("postgres://postgres@127.0.0.1:1/test").await;

    // A closed pool → 503.
    small.close().await;
    check(small.acquire().await.unwrap_err(), 503, "apierror.db.unavailable", &[], &[]);
    pool.close().await;
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

// --------------------------------------------------------------- MariaDB

async fn mysql() -> Option<MySqlPool> {
    pool("MariaDB/MySQL", "APIERROR_TEST_MYSQL", &mysql_url()).await
}

#[tokio::test]
async fn mysql_refused_rows_answer_designs_table() {
    let Some(pool) = mysql().await else { return };
    let parent = unique_name("parent");
    let table = unique_name("things");
    pool.execute(&*format!("CREATE TABLE {parent} (id INT PRIMARY KEY) ENGINE=InnoDB")).await.unwrap();
    pool.execute(&*format!(
        "CREATE TABLE {table} (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(80) NOT NULL, rating INT, parent INT, \
         code VARCHAR(3), small TINYINT, CONSTRAINT {table}_name_key UNIQUE (name), \
         CONSTRAINT {table}_rating_check CHECK (rating BETWEEN 1 AND 5), \
         CONSTRAINT {table}_parent_fkey FOREIGN KEY (parent) REFERENCES {parent}(id)) ENGINE=InnoDB"
    ))
    .await
    .unwrap();
    let row_value = unique_name("secret-row-value");
    let insert_name = format!("INSERT INTO {table} (name) VALUES (?)");
    sqlx::query(&insert_name).bind(&row_value).execute(&pool).await.unwrap();
    let mysql = || field("db.backend", "\"mysql\"");

    // Unique: 1062 → 409; the key's name read from the message.
    let unique_key = format!("{table}_name_key");
    let db = check(
        fails(&pool, &insert_name, Some(&row_value)).await,
        409,
        "apierror.db.conflict",
        &[&table, &unique_key, &row_value, "1062", "23000"],
        &[
            mysql(),
            field("db.code", "1062"),
            field("db.sqlstate", "23000"),
            field("db.constraint", &unique_key),
        ],
    );
    assert_eq!(db.constraint(), Some(unique_key.as_str()));

    // Foreign key: 1452 → 409.
    let fkey = format!("{table}_parent_fkey");
    let sql = format!("INSERT INTO {table} (name, parent) VALUES ('child', 999)");
    check(
        fails(&pool, &sql, None).await,
        409,
        "apierror.db.conflict",
        &[&table, &parent, &fkey, "1452"],
        &[field("db.code", "1452"), field("db.constraint", &fkey)],
    );

    // Not null: 1048 → 400, the column logged.
    let sql = format!("INSERT INTO {table} (name) VALUES (NULL)");
    check(
        fails(&pool, &sql, None).await,
        400,
        "apierror.db.invalid_input",
        &[&table, "1048", "'name'"],
        &[field("db.code", "1048"), field("db.column", "name")],
    );

    // Check: 4025 (MariaDB) → 400.
    let check_name = format!("{table}_rating_check");
    let sql = format!("INSERT INTO {table} (name, rating) VALUES ('rated', 9)");
    check(
        fails(&pool, &sql, None).await,
        400,
        "apierror.db.invalid_input",
        &[&table, &check_name],
        &[field("db.constraint", &check_name)],
    );

    // Bad value (1366), too long (1406), out of range (1264) → 400.
    for (sql, number) in [
        (format!("INSERT INTO {table} (name, rating) VALUES ('typed', ?)"), "1366"),
        (format!("INSERT INTO {table} (name, code) VALUES ('long', ?)"), "1406"),
        (format!("INSERT INTO {table} (name, small) VALUES ('big', ?)"), "1264"),
    ] {
        let value = match number {
            "1366" => "thingy_mcthing_face",
            "1406" => "abcd",
            _ => "1000",
        };
        check(
            fails(&pool, &sql, Some(value)).await,
            400,
            "apierror.db.invalid_input",
            &[&table, number, value],
            &[field("db.code", number)],
        );
    }

    // No row → 404.
    let err = sqlx::query(&format!("SELECT id FROM {table} WHERE id = -1"))
        .fetch_one(&pool)
        .await
        .map(drop)
        .expect_err("no row");
    check(err, 404, "apierror.db.not_found", &[&table], &[]);

    pool.execute(&*format!("DROP TABLE {table}")).await.unwrap();
    pool.execute(&*format!("DROP TABLE {parent}")).await.unwrap();
}

/// An emoji against a utf8mb3 column: "Illegal mix of collations", 1267,
/// is the client's input → 400.
#[tokio::test]
async fn mysql_client_values_past_limits_are_invalid_input() {
    let Some(pool) = mysql().await else { return };
    let table = unique_name("narrow");
    pool.execute(&*format!("CREATE TABLE {table} (name VARCHAR(40) CHARACTER SET utf8mb3)")).await.unwrap();
    let err = fails(&pool, &format!("SELECT name FROM {table} WHERE name = ?"), Some("crab \u{1f980}")).await;
    check(
        err,
        400,
        "apierror.db.invalid_input",
        &[&table, "1267", "utf8mb3", "collations"],
        &[field("db.code", "1267")],
    );
    pool.execute(&*format!("DROP TABLE {table}")).await.unwrap();
}

/// MySQL/MariaDB's 1062 message quotes the duplicate value: logged as
/// `<redacted>` (the key's name stays) unless DETAIL logging is on.
#[tokio::test]
async fn mysql_row_values_in_messages_are_redacted_unless_detail_is_logged() {
    let Some(pool) = mysql().await else { return };
    let table = unique_name("emails");
    pool.execute(&*format!(
        "CREATE TABLE {table} (email VARCHAR(80) NOT NULL, CONSTRAINT {table}_email_key UNIQUE (email))"
    ))
    .await
    .unwrap();
    let value = format!("{}@example.com", unique_name("alice"));
    let insert = format!("INSERT INTO {table} (email) VALUES (?)");
    sqlx::query(&insert).bind(&value).execute(&pool).await.unwrap();
    let event = db_event(fails(&pool, &insert, Some(&value)).await, false);
    assert!(!event.contains(&value), "{event}");
    assert!(event.contains("db.message=Duplicate entry '<redacted>' for key "), "{event}");
    assert!(event.contains(&format!("{table}_email_key")), "the key's name stays: {event}");
    let event = db_event(fails(&pool, &insert, Some(&value)).await, true);
    assert!(event.contains(&format!("db.message=Duplicate entry '{value}' for key ")), "{event}");
    pool.execute(&*format!("DROP TABLE {table}")).await.unwrap();
}

#[tokio::test]
async fn mysql_lost_races_and_timeouts() {
    let Some(pool) = mysql().await else { return };
    let table = unique_name("counters");
    pool.execute(&*format!("CREATE TABLE {table} (id INT PRIMARY KEY, n INT) ENGINE=InnoDB")).await.unwrap();
    pool.execute(&*format!("INSERT INTO {table} VALUES (1, 0)")).await.unwrap();
    let mut a = pool.acquire().await.unwrap();
    let mut b = pool.acquire().await.unwrap();

    // Lock wait timeout: 1205 → 503 busy.
    a.execute("BEGIN").await.unwrap();
    a.execute(&*format!("SELECT n FROM {table} WHERE id = 1 FOR UPDATE")).await.unwrap();
    b.execute("SET SESSION innodb_lock_wait_timeout = 1").await.unwrap();
    let err = fails(&mut *b, &format!("UPDATE {table} SET n = 2 WHERE id = 1"), None).await;
    b.execute("SET SESSION innodb_lock_wait_timeout = DEFAULT").await.unwrap();
    a.execute("ROLLBACK").await.unwrap();
    check(err, 503, "apierror.db.busy", &[&table, "1205"], &[field("db.code", "1205")]);

    // Statement timeout: 1969 (max_statement_time) → 504.
    b.execute("SET SESSION max_statement_time = 0.05").await.unwrap();
    let err = fails(&mut *b, "SELECT SLEEP(2)", None).await;
    b.execute("SET SESSION max_statement_time = DEFAULT").await.unwrap();
    check(err, 504, "apierror.db.timeout", &["1969", "max_statement_time"], &[field("db.code", "1969")]);

    // A refused connection → 503.
    let err = MySqlConnection::connect("mysql://root@127.0.0.1:1/test").await.unwrap_err();
    check(err, 503, "apierror.db.unavailable", &["127.0.0.1", "refused"], &[]);
    // A pool on it: 503 through the pool.
    stopped_database_answers_503::<sqlx::MySql>("mysql://root@127.0.0.1:1/test").await;

    drop((a, b));
    pool.execute(&*format!("DROP TABLE {table}")).await.unwrap();
}

// ---------------------------------------------------------------- SQLite

async fn sqlite() -> SqlitePool {
    SqlitePoolOptions::new().max_connections(1).connect("sqlite::memory:").await.unwrap()
}

#[tokio::test]
async fn sqlite_refused_rows_answer_designs_table() {
    let pool = sqlite().await;
    let parent = unique_name("parent");
    let table = unique_name("things");
    pool.execute(&*format!("CREATE TABLE {parent} (id INTEGER PRIMARY KEY)")).await.unwrap();
    pool.execute(&*format!(
        "CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT NOT NULL CONSTRAINT {table}_name_key UNIQUE, \
         rating INTEGER CONSTRAINT {table}_rating_check CHECK (rating BETWEEN 1 AND 5), \
         parent INTEGER CONSTRAINT {table}_parent_fkey REFERENCES {parent}(id), small INTEGER) STRICT"
    ))
    .await
    .unwrap();
    let row_value = unique_name("secret-row-value");
    pool.execute(&*format!("INSERT INTO {table} (id, name) VALUES (1, '{row_value}')")).await.unwrap();
    let sqlite = || field("db.backend", "\"sqlite\"");

    // Unique: 2067 → 409; SQLite names the table and column, not the constraint.
    let sql = format!("INSERT INTO {table} (name) VALUES ('{row_value}')");
    check(
        fails(&pool, &sql, None).await,
        409,
        "apierror.db.conflict",
        &[&table, "2067", "UNIQUE"],
        &[sqlite(), field("db.code", "2067"), field("db.table", &table), field("db.column", "name")],
    );
    // Primary key: 1555 → 409.
    let sql = format!("INSERT INTO {table} (id, name) VALUES (1, 'other')");
    check(
        fails(&pool, &sql, None).await,
        409,
        "apierror.db.conflict",
        &[&table, "1555"],
        &[field("db.code", "1555")],
    );
    // Foreign key: 787 → 409.
    let sql = format!("INSERT INTO {table} (name, parent) VALUES ('child', 999)");
    check(
        fails(&pool, &sql, None).await,
        409,
        "apierror.db.conflict",
        &[&table, "787", "FOREIGN"],
        &[field("db.code", "787")],
    );
    // Not null: 1299 → 400.
    let sql = format!("INSERT INTO {table} (name) VALUES (NULL)");
    check(
        fails(&pool, &sql, None).await,
        400,
        "apierror.db.invalid_input",
        &[&table, "1299", "NOT NULL"],
        &[field("db.code", "1299"), field("db.column", "name")],
    );
    // Check: 275 → 400, the constraint named.
    let check_name = format!("{table}_rating_check");
    let sql = format!("INSERT INTO {table} (name, rating) VALUES ('rated', 9)");
    let db = check(
        fails(&pool, &sql, None).await,
        400,
        "apierror.db.invalid_input",
        &[&table, &check_name, "275"],
        &[field("db.code", "275"), field("db.constraint", &check_name)],
    );
    assert_eq!(db.constraint(), Some(check_name.as_str()));
    // A value of the wrong type in a STRICT table: 3091 → 400.
    let sql = format!("INSERT INTO {table} (name, small) VALUES ('typed', ?)");
    check(
        fails(&pool, &sql, Some("thingy_mcthing_face")).await,
        400,
        "apierror.db.invalid_input",
        &[&table, "3091", "thingy_mcthing_face"],
        &[field("db.code", "3091")],
    );
    // No row → 404.
    let err = sqlx::query(&format!("SELECT id FROM {table} WHERE id = -1"))
        .fetch_one(&pool)
        .await
        .map(drop)
        .expect_err("no row");
    check(err, 404, "apierror.db.not_found", &[&table], &[]);

    // A pool that times out → 504; a closed pool → 503.
    let small = SqlitePoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_millis(100))
        .connect("sqlite::memory:")
        .await
        .unwrap();
    let held = small.acquire().await.unwrap();
    check(small.acquire().await.unwrap_err(), 504, "apierror.db.timeout", &[], &[]);
    drop(held);
    small.close().await;
    check(small.acquire().await.unwrap_err(), 503, "apierror.db.unavailable", &[], &[]);
}

#[tokio::test]
async fn sqlite_busy_database_answers_busy_with_retry_after() {
    let path = std::env::temp_dir().join(format!("{}.sqlite", unique_name("apierror-db-busy")));
    let options =
        SqliteConnectOptions::new().filename(&path).create_if_missing(true).busy_timeout(Duration::ZERO);
    let mut a = SqliteConnection::connect_with(&options).await.unwrap();
    let mut b = SqliteConnection::connect_with(&options).await.unwrap();
    a.execute("CREATE TABLE counters (n INTEGER)").await.unwrap();
    a.execute("BEGIN IMMEDIATE").await.unwrap();
    let err = fails(&mut b, "BEGIN IMMEDIATE", None).await;
    check(err, 503, "apierror.db.busy", &["locked", "counters"], &[field("db.code", "5")]);
    a.execute("ROLLBACK").await.unwrap();
    drop((a, b));
    let _ = std::fs::remove_file(&path);
}

// ------------------------------------------------- the team's own variants

/// A team's error: three constraints answered by its own variants (`db(constraint
/// = "…")`: the derive implements `FromDbError` and `From<sqlx::Error>`),
/// anything else by `DbError`.
#[derive(Debug, thiserror::Error, ApiError)]
enum ThingError {
    #[error("a thing's rating is out of range")]
    #[api(
        status = 422,
        code = "db-sqlx-test.rating",
        field = "rating",
        message = "A rating is from 1 to 5.",
        db(constraint = "things_rating_check")
    )]
    RatingOutOfRange(#[source] DbError),

    #[error("a thing needs a name")]
    #[api(
        status = 400,
        code = "db-sqlx-test.empty_name",
        field = "name",
        message = "A thing needs a name.",
        db(constraint = "things_name_check")
    )]
    EmptyName,

    #[error("a thing with this name exists")]
    #[api(
        status = 409,
        code = "db-sqlx-test.duplicate_name",
        field = "name",
        message = "There is already a thing with this name.",
        db(constraint = "things_name_key")
    )]
    DuplicateName { source: DbError },

    #[error(transparent)]
    #[api(transparent)]
    Db(#[from] DbError),
}

const THINGS: &str = "CREATE TEMPORARY TABLE things (name TEXT NOT NULL, rating INTEGER, small INTEGER, \
     CONSTRAINT things_name_key UNIQUE (name), \
     CONSTRAINT things_name_check CHECK (length(name) > 0), \
     CONSTRAINT things_rating_check CHECK (rating BETWEEN 1 AND 5), \
     CONSTRAINT things_small_check CHECK (small < 100))";

/// A handler's conversion: one `?` (the derive's `From<sqlx::Error>`).
async fn insert<'e, E>(executor: E, sql: &str) -> Result<(), ThingError>
where
    E: Executor<'e>,
{
    executor.execute(sql).await?;
    Ok(())
}

/// The same with one call: `map_err(ThingError::from_db)`.
async fn insert_mapped<'e, E>(executor: E, sql: &str) -> Result<(), ThingError>
where
    E: Executor<'e>,
{
    executor.execute(sql).await.map(drop).map_err(ThingError::from_db)
}

fn assert_variant(err: &ThingError, status: u16, code: &str) {
    assert_answer(err, status, code, &["things", "CHECK", "23514", "275", "4025", "constraint"], None);
}

#[tokio::test]
async fn sqlite_constraints_answer_the_teams_variants() {
    let pool = sqlite().await;
    let mut conn = pool.acquire().await.unwrap();
    conn.execute(THINGS).await.unwrap();

    let (logs, guard) = Logs::capture();
    let err = insert(&mut *conn, "INSERT INTO things (name, rating) VALUES ('a', 9)").await.unwrap_err();
    assert!(matches!(err, ThingError::RatingOutOfRange(_)), "{err:?}");
    assert_variant(&err, 422, "db-sqlx-test.rating");
    let err = insert_mapped(&mut *conn, "INSERT INTO things (name) VALUES ('')").await.unwrap_err();
    assert!(matches!(err, ThingError::EmptyName), "{err:?}");
    assert_variant(&err, 400, "db-sqlx-test.empty_name");

    // Unmapped: DbError's answer, and one warning naming the attribute,
    // the first time only.
    for _ in 0..3 {
        let err =
            insert(&mut *conn, "INSERT INTO things (name, small) VALUES ('b', 1000)").await.unwrap_err();
        assert!(matches!(err, ThingError::Db(_)), "{err:?}");
        assert_variant(&err, 400, "apierror.db.invalid_input");
    }
    drop(guard);
    let text = logs.text();
    let warnings: Vec<&str> = text.lines().filter(|line| line.contains("is not mapped by")).collect();
    assert_eq!(warnings.len(), 1, "{text}");
    assert!(warnings[0].contains(" WARN "), "{}", warnings[0]);
    assert!(
        warnings[0].contains(r#"add `#[api(..., db(constraint = "things_small_check"))]`"#),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].contains("ThingError"), "{}", warnings[0]);
    // Every render logged one event; those of an error holding the
    // `DbError` (as its source, or through `transparent`) carry the
    // database's facts: 2 renders of RatingOutOfRange, 3 × 2 of Db; the unit
    // variant EmptyName dropped it.
    let events = logs.db_events();
    assert_eq!(events.len(), 10, "{text}");
    assert_eq!(events.iter().filter(|line| line.contains("db.backend=\"sqlite\"")).count(), 8, "{text}");
    assert!(!text.contains("database error:"), "no event of the conversion: {text}");
}

#[tokio::test]
async fn postgres_constraints_answer_the_teams_variants() {
    let Some(pool) = postgres().await else { return };
    let mut conn = pool.acquire().await.unwrap();
    conn.execute(&*THINGS.replace("INTEGER", "int")).await.unwrap();
    conn.execute("INSERT INTO things (name) VALUES ('taken')").await.unwrap();
    let err = insert(&mut *conn, "INSERT INTO things (name) VALUES ('taken')").await.unwrap_err();
    assert!(matches!(err, ThingError::DuplicateName { .. }), "{err:?}");
    assert_variant(&err, 409, "db-sqlx-test.duplicate_name");
    let err =
        insert_mapped(&mut *conn, "INSERT INTO things (name, rating) VALUES ('b', 0)").await.unwrap_err();
    assert!(matches!(err, ThingError::RatingOutOfRange(_)), "{err:?}");
    // A failure without a constraint: DbError's answer.
    let err = insert(&mut *conn, "SELECT 1/0").await.unwrap_err();
    assert!(matches!(err, ThingError::Db(ref db) if db.kind() == DbErrorKind::InvalidInput), "{err:?}");
    conn.execute("DROP TABLE things").await.unwrap();
}

#[tokio::test]
async fn mysql_constraints_answer_the_teams_variants() {
    let Some(pool) = mysql().await else { return };
    let mut conn = pool.acquire().await.unwrap();
    conn.execute(&*THINGS.replace("name TEXT", "name VARCHAR(40)")).await.unwrap();
    conn.execute("INSERT INTO things (name) VALUES ('taken')").await.unwrap();
    let err = insert(&mut *conn, "INSERT INTO things (name) VALUES ('taken')").await.unwrap_err();
    assert!(matches!(err, ThingError::DuplicateName { .. }), "{err:?}");
    assert_variant(&err, 409, "db-sqlx-test.duplicate_name");
    let err =
        insert_mapped(&mut *conn, "INSERT INTO things (name, rating) VALUES ('b', 0)").await.unwrap_err();
    assert!(matches!(err, ThingError::RatingOutOfRange(_)), "{err:?}");
    assert_variant(&err, 422, "db-sqlx-test.rating");
    conn.execute("DROP TEMPORARY TABLE things").await.unwrap();
}
