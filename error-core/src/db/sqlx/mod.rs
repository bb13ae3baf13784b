//! The sqlx backend: `From<sqlx::Error>`, and what sqlx's errors say. The
//! feature `sqlx` reads what every driver's error says through
//! `sqlx::error::DatabaseError` (its kind, code, constraint and table: the
//! [`Report`] of `Box<dyn DatabaseError>` here, [`portable`]);
//! `sqlx-postgres`, `sqlx-mysql` and `sqlx-sqlite` each add that driver's
//! own vocabulary in its file (`postgres.rs`, `mysql.rs`, `sqlite.rs`: the
//! error number, the column, the constraint named in a message).

use std::borrow::Cow;

use sqlx::error::{DatabaseError, ErrorKind};

use super::{from_sqlstate, Backend, DbError, DbErrorKind, Report, Source};

// A stopped database told from a saturated pool.
mod pool;
pub use pool::SqlxResultExt;

#[cfg(feature = "sqlx-mysql")]
mod mysql;
#[cfg(feature = "sqlx-postgres")]
mod postgres;
#[cfg(feature = "sqlx-sqlite")]
mod sqlite;

impl From<sqlx::Error> for DbError {
    fn from(err: sqlx::Error) -> Self {
        let kind = match &err {
            sqlx::Error::RowNotFound => DbErrorKind::NotFound,
            sqlx::Error::PoolTimedOut => DbErrorKind::Timeout,
            sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => DbErrorKind::Unavailable,
            sqlx::Error::Database(_) => err.report().map_or(DbErrorKind::Internal, Report::kind),
            _ => DbErrorKind::Internal,
        };
        Self::classified(kind, Source::Sqlx(err))
    }
}

impl Backend for sqlx::Error {
    /// The driver's report (with its driver's feature), else the portable
    /// one: the one place that names every sqlx driver.
    fn report(&self) -> Option<&dyn Report> {
        let sqlx::Error::Database(db) = self else { return None };
        #[cfg(feature = "sqlx-postgres")]
        if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
            return Some(pg);
        }
        #[cfg(feature = "sqlx-mysql")]
        if let Some(my) = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
            return Some(my);
        }
        #[cfg(feature = "sqlx-sqlite")]
        if let Some(lite) = db.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
            return Some(lite);
        }
        Some(db)
    }
}

/// Any driver's error through `DatabaseError` alone: what the feature
/// `sqlx` answers for a driver whose feature is off.
impl Report for Box<dyn DatabaseError> {
    fn kind(&self) -> DbErrorKind {
        classify(&**self)
    }

    fn backend(&self) -> Option<&'static str> {
        None
    }

    fn message(&self) -> &str {
        DatabaseError::message(&**self)
    }

    fn sqlstate(&self) -> Option<&str> {
        sqlstate(&**self)
    }

    fn backend_code(&self) -> Option<Cow<'_, str>> {
        not_sqlstate(&**self)
    }

    fn constraint(&self) -> Option<&str> {
        DatabaseError::constraint(&**self)
    }

    fn table(&self) -> Option<&str> {
        DatabaseError::table(&**self)
    }

    fn column(&self) -> Option<&str> {
        None
    }

    fn detail(&self) -> Option<&str> {
        None
    }
}

/// sqlx's portable kind of a violated constraint → the kind.
pub(super) fn from_error_kind(kind: ErrorKind) -> Option<DbErrorKind> {
    match kind {
        ErrorKind::UniqueViolation | ErrorKind::ForeignKeyViolation => Some(DbErrorKind::Conflict),
        ErrorKind::NotNullViolation | ErrorKind::CheckViolation => Some(DbErrorKind::InvalidInput),
        _ => None,
    }
}

/// The kind from `DatabaseError` alone: sqlx's portable kind first (the
/// code is not read for it: SQLite's is formatted, an allocation), then
/// [`portable`].
pub(super) fn classify(db: &dyn DatabaseError) -> DbErrorKind {
    from_error_kind(db.kind()).unwrap_or_else(|| portable(db.kind(), db.code().as_deref()))
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

/// The SQLSTATE: a five-character code (PostgreSQL's and MySQL's drivers
/// lend theirs; SQLite has none).
pub(super) fn sqlstate(db: &dyn DatabaseError) -> Option<&str> {
    match db.code()? {
        Cow::Borrowed(code) if code.len() == 5 => Some(code),
        _ => None,
    }
}

/// A code that is not a SQLSTATE (SQLite's extended result code).
pub(super) fn not_sqlstate(db: &dyn DatabaseError) -> Option<Cow<'_, str>> {
    db.code().filter(|code| code.len() != 5)
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
}
