//! sqlx on SQLite (embedded, always run): every row of the table, a busy database.

use super::*;

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
