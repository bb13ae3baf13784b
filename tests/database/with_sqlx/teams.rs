//! The team's own variants: constraints answered by a derived type's `db(constraint = "…")` variants, on each backend.

use super::*;

/// A team's error: three constraints answered by its own variants (`db(constraint
/// = "…")`: the derive implements `FromDbError` and `From<sqlx::Error>`),
/// anything else by `DbError`.
#[derive(Debug, thiserror::Error, ApiError)]
pub(super) enum ThingError {
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
pub(super) async fn insert<'e, E>(executor: E, sql: &str) -> Result<(), ThingError>
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
