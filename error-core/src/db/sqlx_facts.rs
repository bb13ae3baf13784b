//! What sqlx's errors say, per backend, and `From<sqlx::Error>`.

use std::borrow::Cow;

use sqlx::error::{DatabaseError, ErrorKind};
use sqlx::mysql::MySqlDatabaseError;
use sqlx::postgres::PgDatabaseError;
use sqlx::sqlite::SqliteError;

use super::{from_sqlstate, DbError, DbErrorKind, Source};

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

/// The portable kind first, then the backend's own code.
pub(super) fn classify(db: &dyn DatabaseError) -> DbErrorKind {
    match db.kind() {
        ErrorKind::UniqueViolation | ErrorKind::ForeignKeyViolation => return DbErrorKind::Conflict,
        ErrorKind::NotNullViolation | ErrorKind::CheckViolation => return DbErrorKind::InvalidInput,
        _ => {}
    }
    if let Some(pg) = db.try_downcast_ref::<PgDatabaseError>() {
        from_sqlstate(pg.code())
    } else if let Some(my) = db.try_downcast_ref::<MySqlDatabaseError>() {
        from_mysql(my.number(), my.code())
    } else if db.try_downcast_ref::<SqliteError>().is_some() {
        db.code().and_then(|code| code.parse().ok()).map_or(DbErrorKind::Internal, from_sqlite)
    } else {
        db.code().map_or(DbErrorKind::Internal, |code| from_sqlstate(&code))
    }
}

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

pub(super) fn backend(db: &(dyn DatabaseError + 'static)) -> Option<&'static str> {
    if db.try_downcast_ref::<PgDatabaseError>().is_some() {
        Some("postgres")
    } else if db.try_downcast_ref::<MySqlDatabaseError>().is_some() {
        Some("mysql")
    } else if db.try_downcast_ref::<SqliteError>().is_some() {
        Some("sqlite")
    } else {
        None
    }
}

pub(super) fn sqlstate(err: &sqlx::Error) -> Option<&str> {
    let db = database(err)?;
    if let Some(pg) = db.try_downcast_ref::<PgDatabaseError>() {
        Some(pg.code())
    } else {
        db.try_downcast_ref::<MySqlDatabaseError>().and_then(MySqlDatabaseError::code)
    }
}

pub(super) fn backend_code(err: &sqlx::Error) -> Option<Cow<'_, str>> {
    let db = database(err)?;
    if let Some(my) = db.try_downcast_ref::<MySqlDatabaseError>() {
        Some(Cow::Owned(my.number().to_string()))
    } else if db.try_downcast_ref::<SqliteError>().is_some() {
        db.code()
    } else {
        None
    }
}

pub(super) fn constraint(err: &sqlx::Error) -> Option<&str> {
    let db = database(err)?;
    if let Some(name) = db.constraint() {
        return Some(name);
    }
    let message = db.message();
    if let Some(my) = db.try_downcast_ref::<MySqlDatabaseError>() {
        match my.number() {
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
        }
    } else if db.try_downcast_ref::<SqliteError>().is_some() {
        // CHECK constraint failed: name
        message.strip_prefix("CHECK constraint failed: ").filter(|name| is_identifier(name))
    } else {
        None
    }
}

pub(super) fn table(err: &sqlx::Error) -> Option<&str> {
    let db = database(err)?;
    if let Some(table) = db.table() {
        return Some(table);
    }
    sqlite_table_column(db).map(|(table, _)| table)
}

pub(super) fn column(err: &sqlx::Error) -> Option<&str> {
    let db = database(err)?;
    if let Some(pg) = db.try_downcast_ref::<PgDatabaseError>() {
        return pg.column();
    }
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
    sqlite_table_column(db).map(|(_, column)| column)
}

/// `UNIQUE constraint failed: table.column` (the first column), and the
/// same for NOT NULL.
fn sqlite_table_column<'a>(db: &'a (dyn DatabaseError + 'static)) -> Option<(&'a str, &'a str)> {
    db.try_downcast_ref::<SqliteError>()?;
    let message = db.message();
    let rest = message
        .strip_prefix("UNIQUE constraint failed: ")
        .or_else(|| message.strip_prefix("NOT NULL constraint failed: "))?;
    let first = rest.split(", ").next()?;
    first.split_once('.')
}

fn first_quoted(text: &str, quote: char) -> Option<&str> {
    let start = text.find(quote)? + quote.len_utf8();
    let len = text[start..].find(quote)?;
    Some(&text[start..start + len])
}

fn last_quoted(text: &str, quote: char) -> Option<&str> {
    let end = text.rfind(quote)?;
    let start = text[..end].rfind(quote)? + quote.len_utf8();
    Some(&text[start..end])
}

fn is_identifier(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

#[cfg(test)]
mod tests {
    use super::*;

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
