//! sqlx on PostgreSQL: every row of the table, limits, the one event, redaction, races, the pool.

use super::*;

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
