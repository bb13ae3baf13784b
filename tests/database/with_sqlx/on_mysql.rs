//! sqlx on MariaDB/MySQL: every row of the table, limits, redaction, races and timeouts.

use super::*;

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
