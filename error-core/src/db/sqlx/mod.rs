//! What sqlx's errors say, and `From<sqlx::Error>`. The feature `sqlx` reads
//! what every driver's error says through `sqlx::error::DatabaseError` (its
//! kind, code, constraint and table: [`portable`]); `sqlx-postgres`,
//! `sqlx-mysql` and `sqlx-sqlite` each add that driver's own vocabulary
//! (MySQL's error number, the column, the constraint named in a message).

use std::borrow::Cow;

use sqlx::error::{DatabaseError, ErrorKind};
#[cfg(feature = "sqlx-mysql")]
use sqlx::mysql::MySqlDatabaseError;
#[cfg(feature = "sqlx-postgres")]
use sqlx::postgres::PgDatabaseError;
#[cfg(feature = "sqlx-sqlite")]
use sqlx::sqlite::SqliteError;

use super::{from_sqlstate, DbError, DbErrorKind, Source};

// A stopped database told from a saturated pool.
mod pool;
pub use pool::SqlxResultExt;

impl From<sqlx::Error> for DbError {
    fn from(err: sqlx::Error) -> Self {
        let kind = match &err {
            sqlx::Error::RowNotFound => DbErrorKind::NotFound,
            sqlx::Error::PoolTimedOut => DbErrorKind::Timeout,
            sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => DbErrorKind::Unavailable,
            sqlx::Error::Database(db) => classify(&**db),
            _ => DbErrorKind::Internal,
        };
        Self::classified(kind, Source::Sqlx(err))
    }
}

/// The portable kind first, then the backend's own code (with its driver's
/// feature), else what [`portable`] reads from the code.
pub(super) fn classify(db: &dyn DatabaseError) -> DbErrorKind {
    if let Some(kind) = from_error_kind(db.kind()) {
        return kind;
    }
    #[cfg(feature = "sqlx-postgres")]
    if let Some(pg) = db.try_downcast_ref::<PgDatabaseError>() {
        return from_sqlstate(pg.code());
    }
    #[cfg(feature = "sqlx-mysql")]
    if let Some(my) = db.try_downcast_ref::<MySqlDatabaseError>() {
        return from_mysql(my.number(), my.code());
    }
    portable(db.kind(), db.code().as_deref())
}

/// sqlx's portable kind of a violated constraint → the kind.
fn from_error_kind(kind: ErrorKind) -> Option<DbErrorKind> {
    match kind {
        ErrorKind::UniqueViolation | ErrorKind::ForeignKeyViolation => Some(DbErrorKind::Conflict),
        ErrorKind::NotNullViolation | ErrorKind::CheckViolation => Some(DbErrorKind::InvalidInput),
        _ => None,
    }
}

/// What the feature `sqlx` alone answers, for any driver: sqlx's kind,
/// then the code as `DatabaseError::code()` gives it. Five characters is a
/// SQLSTATE (PostgreSQL's; MySQL/MariaDB's, coarser than their error
/// number: a lock wait timeout is `HY000`, 500 here, 503 `busy` with
/// `sqlx-mysql`); a number of at most four digits is SQLite's extended
/// result code (SQLite's codes are exact without `sqlx-sqlite`).
pub(super) fn portable(kind: ErrorKind, code: Option<&str>) -> DbErrorKind {
    if let Some(kind) = from_error_kind(kind) {
        return kind;
    }
    match code {
        Some(code) if code.len() == 5 => from_sqlstate(code),
        Some(code) if code.len() <= 4 => code.parse().map_or(DbErrorKind::Internal, from_sqlite),
        _ => DbErrorKind::Internal,
    }
}

#[cfg(feature = "sqlx-mysql")]
/// MySQL/MariaDB's error number (then its SQLSTATE) → the kind.
fn from_mysql(number: u16, sqlstate: Option<&str>) -> DbErrorKind {
    match number {
        // Duplicate key; foreign key (sqlx's kind covers most).
        1022 | 1062 | 1169 | 1557 | 1586 | 1216 | 1217 | 1451 | 1452 => DbErrorKind::Conflict,
        // Not null, check (sqlx's kind covers most).
        1048 | 1364 | 3819 | 4025 => DbErrorKind::InvalidInput,
        // Incorrect value, truncated, out of range, too long, division
        // by zero, invalid JSON.
        1264 | 1265 | 1292 | 1365 | 1366 | 1367 | 1406 | 1411 | 1690 | 3140 => DbErrorKind::InvalidInput,
        // Illegal mix of collations (two, three, or more operands): a
        // client's text the column's character set cannot hold, e.g. an
        // emoji compared with a utf8mb3 column.
        1267 | 1270 | 1271 => DbErrorKind::InvalidInput,
        // Lock wait timeout, deadlock, NOWAIT lock, record changed.
        1205 | 1213 | 3572 | 1020 => DbErrorKind::Busy,
        // max_execution_time (MySQL), max_statement_time (MariaDB),
        // query interrupted.
        3024 | 1969 | 1317 => DbErrorKind::Timeout,
        // Too many connections, shutdown, out of memory, killed.
        1040 | 1203 | 1053 | 1037 | 1038 | 1041 | 1135 | 1927 => DbErrorKind::Unavailable,
        _ => sqlstate.map_or(DbErrorKind::Internal, from_sqlstate),
    }
}

/// SQLite's extended result code → the kind.
fn from_sqlite(code: i32) -> DbErrorKind {
    match code {
        // SQLITE_CONSTRAINT_NOTNULL, _CHECK, _DATATYPE (STRICT tables).
        1299 | 275 | 3091 => DbErrorKind::InvalidInput,
        _ => match code & 0xff {
            19 => DbErrorKind::Conflict,                  // other constraints
            18 | 20 => DbErrorKind::InvalidInput,         // TOOBIG, MISMATCH
            5 | 6 => DbErrorKind::Busy,                   // BUSY, LOCKED
            9 => DbErrorKind::Timeout,                    // INTERRUPT
            7 | 10 | 13 | 14 => DbErrorKind::Unavailable, // NOMEM, IOERR, FULL, CANTOPEN
            _ => DbErrorKind::Internal,
        },
    }
}

fn database(err: &sqlx::Error) -> Option<&(dyn DatabaseError + 'static)> {
    err.as_database_error()
}

/// The backend, for the drivers whose feature is on.
pub(super) fn backend(db: &(dyn DatabaseError + 'static)) -> Option<&'static str> {
    #[cfg(feature = "sqlx-postgres")]
    if db.try_downcast_ref::<PgDatabaseError>().is_some() {
        return Some("postgres");
    }
    #[cfg(feature = "sqlx-mysql")]
    if db.try_downcast_ref::<MySqlDatabaseError>().is_some() {
        return Some("mysql");
    }
    #[cfg(feature = "sqlx-sqlite")]
    if db.try_downcast_ref::<SqliteError>().is_some() {
        return Some("sqlite");
    }
    let _ = db;
    None
}

/// The SQLSTATE: a five-character code (PostgreSQL's and MySQL's drivers
/// lend theirs; SQLite has none).
pub(super) fn sqlstate(err: &sqlx::Error) -> Option<&str> {
    match database(err)?.code()? {
        Cow::Borrowed(code) if code.len() == 5 => Some(code),
        _ => None,
    }
}

/// MySQL's error number (`sqlx-mysql`), else a code that is not a SQLSTATE
/// (SQLite's extended result code).
pub(super) fn backend_code(err: &sqlx::Error) -> Option<Cow<'_, str>> {
    let db = database(err)?;
    #[cfg(feature = "sqlx-mysql")]
    if let Some(my) = db.try_downcast_ref::<MySqlDatabaseError>() {
        return Some(Cow::Owned(my.number().to_string()));
    }
    db.code().filter(|code| code.len() != 5)
}

pub(super) fn constraint(err: &sqlx::Error) -> Option<&str> {
    let db = database(err)?;
    if let Some(name) = db.constraint() {
        return Some(name);
    }
    #[cfg(feature = "sqlx-mysql")]
    if let Some(my) = db.try_downcast_ref::<MySqlDatabaseError>() {
        let message = db.message();
        return match my.number() {
            // Duplicate entry '…' for key 'name' (MySQL 8: 'table.name').
            1062 | 1586 => {
                let key = last_quoted(message.rsplit_once(" for key ")?.1, '\'')?;
                Some(key.rsplit_once('.').map_or(key, |(_, name)| name))
            }
            // … a foreign key constraint fails (…, CONSTRAINT `name` FOREIGN KEY …)
            1451 | 1452 | 1216 | 1217 => first_quoted(message.split_once("CONSTRAINT ")?.1, '`'),
            // CONSTRAINT `name` failed for … (MariaDB); Check constraint 'name' is violated. (MySQL)
            4025 => first_quoted(message.split_once("CONSTRAINT ")?.1, '`'),
            3819 => first_quoted(message, '\''),
            _ => None,
        };
    }
    #[cfg(feature = "sqlx-sqlite")]
    if db.try_downcast_ref::<SqliteError>().is_some() {
        // CHECK constraint failed: name
        return db.message().strip_prefix("CHECK constraint failed: ").filter(|name| is_identifier(name));
    }
    None
}

pub(super) fn table(err: &sqlx::Error) -> Option<&str> {
    let db = database(err)?;
    if let Some(table) = db.table() {
        return Some(table);
    }
    #[cfg(feature = "sqlx-sqlite")]
    if let Some((table, _)) = sqlite_table_column(db) {
        return Some(table);
    }
    None
}

pub(super) fn column(err: &sqlx::Error) -> Option<&str> {
    let db = database(err)?;
    #[cfg(feature = "sqlx-postgres")]
    if let Some(pg) = db.try_downcast_ref::<PgDatabaseError>() {
        return pg.column();
    }
    #[cfg(feature = "sqlx-mysql")]
    if let Some(my) = db.try_downcast_ref::<MySqlDatabaseError>() {
        // Column 'name' cannot be null; … for column `db`.`t`.`name` at row 1
        return match my.number() {
            1048 | 1364 => first_quoted(my.message(), '\''),
            1264 | 1265 | 1366 | 1406 => {
                let column = my.message().rsplit_once(" column ")?.1;
                let column = column.split(" at row").next()?;
                let column = column.rsplit('.').next()?;
                Some(column.trim_matches(|c| c == '`' || c == '\''))
            }
            _ => None,
        };
    }
    #[cfg(feature = "sqlx-sqlite")]
    if let Some((_, column)) = sqlite_table_column(db) {
        return Some(column);
    }
    let _ = db;
    None
}

/// PostgreSQL's DETAIL (`sqlx-postgres`).
pub(super) fn detail(err: &sqlx::Error) -> Option<&str> {
    #[cfg(feature = "sqlx-postgres")]
    if let Some(pg) = database(err)?.try_downcast_ref::<PgDatabaseError>() {
        return pg.detail();
    }
    let _ = err;
    None
}

/// `UNIQUE constraint failed: table.column` (the first column), and the
/// same for NOT NULL.
#[cfg(feature = "sqlx-sqlite")]
fn sqlite_table_column<'a>(db: &'a (dyn DatabaseError + 'static)) -> Option<(&'a str, &'a str)> {
    db.try_downcast_ref::<SqliteError>()?;
    let message = db.message();
    let rest = message
        .strip_prefix("UNIQUE constraint failed: ")
        .or_else(|| message.strip_prefix("NOT NULL constraint failed: "))?;
    let first = rest.split(", ").next()?;
    first.split_once('.')
}

#[cfg(feature = "sqlx-mysql")]
fn first_quoted(text: &str, quote: char) -> Option<&str> {
    let start = text.find(quote)? + quote.len_utf8();
    let len = text[start..].find(quote)?;
    Some(&text[start..start + len])
}

#[cfg(feature = "sqlx-mysql")]
fn last_quoted(text: &str, quote: char) -> Option<&str> {
    let end = text.rfind(quote)?;
    let start = text[..end].rfind(quote)? + quote.len_utf8();
    Some(&text[start..end])
}

#[cfg(feature = "sqlx-sqlite")]
fn is_identifier(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the feature `sqlx` alone answers (no driver feature: the only
    /// path a service without `sqlx-postgres`, `sqlx-mysql` or
    /// `sqlx-sqlite` has), for the codes each driver lends
    /// `DatabaseError::code()`.
    #[test]
    fn the_portable_path_maps_every_drivers_codes() {
        use ErrorKind::{CheckViolation, ForeignKeyViolation, NotNullViolation, Other, UniqueViolation};
        for (kind, code, expected) in [
            // PostgreSQL's SQLSTATE.
            (UniqueViolation, Some("23505"), DbErrorKind::Conflict),
            (ForeignKeyViolation, Some("23503"), DbErrorKind::Conflict),
            (NotNullViolation, Some("23502"), DbErrorKind::InvalidInput),
            (CheckViolation, Some("23514"), DbErrorKind::InvalidInput),
            (Other, Some("22P02"), DbErrorKind::InvalidInput),
            (Other, Some("54000"), DbErrorKind::InvalidInput),
            (Other, Some("40001"), DbErrorKind::Busy),
            (Other, Some("55P03"), DbErrorKind::Busy),
            (Other, Some("57014"), DbErrorKind::Timeout),
            (Other, Some("57P01"), DbErrorKind::Unavailable),
            (Other, Some("53300"), DbErrorKind::Unavailable),
            (Other, Some("42601"), DbErrorKind::Internal),
            // MySQL/MariaDB's SQLSTATE (no error number without `sqlx-mysql`).
            (UniqueViolation, Some("23000"), DbErrorKind::Conflict),
            (Other, Some("22007"), DbErrorKind::InvalidInput),
            (Other, Some("40001"), DbErrorKind::Busy),
            (Other, Some("HY000"), DbErrorKind::Internal),
            (Other, Some("42000"), DbErrorKind::Internal),
            // SQLite's extended result codes.
            (UniqueViolation, Some("2067"), DbErrorKind::Conflict),
            (Other, Some("1299"), DbErrorKind::InvalidInput),
            (Other, Some("3091"), DbErrorKind::InvalidInput),
            (Other, Some("5"), DbErrorKind::Busy),
            (Other, Some("6"), DbErrorKind::Busy),
            (Other, Some("9"), DbErrorKind::Timeout),
            (Other, Some("14"), DbErrorKind::Unavailable),
            (Other, Some("1"), DbErrorKind::Internal),
            // No code, or one no driver sends.
            (Other, None, DbErrorKind::Internal),
            (Other, Some(""), DbErrorKind::Internal),
            (Other, Some("not-a-code"), DbErrorKind::Internal),
        ] {
            let what = format!("{kind:?} {code:?}");
            assert_eq!(portable(kind, code), expected, "{what}");
        }
    }

    #[cfg(feature = "sqlx-mysql")]
    #[test]
    fn mysql_numbers_map_as_designs_table() {
        for (number, sqlstate, kind) in [
            (1062, Some("23000"), DbErrorKind::Conflict),
            (1366, Some("22007"), DbErrorKind::InvalidInput),
            (1267, Some("HY000"), DbErrorKind::InvalidInput),
            (1270, Some("HY000"), DbErrorKind::InvalidInput),
            (1205, Some("HY000"), DbErrorKind::Busy),
            (1969, Some("70100"), DbErrorKind::Timeout),
            (1040, Some("08004"), DbErrorKind::Unavailable),
            (1064, Some("42000"), DbErrorKind::Internal),
            (9999, Some("40001"), DbErrorKind::Busy),
        ] {
            assert_eq!(from_mysql(number, sqlstate), kind, "{number}");
        }
    }
}
