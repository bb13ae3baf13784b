//! Database errors (features `sqlx`, `sqlx-postgres`, `sqlx-mysql`,
//! `sqlx-sqlite` and `tokio-postgres`): a failure of the database answers
//! like a declared error, and nothing of the database reaches the client.
//!
//! [`DbError`] is a built-in [`ApiError`]: `From<sqlx::Error>` and
//! `From<tokio_postgres::Error>`. It maps on the portable kind of the
//! failure first (sqlx's `DatabaseError::kind()`), then on the backend's own
//! vocabulary (PostgreSQL's SQLSTATE, MySQL's error number, SQLite's
//! extended result code).
//!
//! The sqlx features are split like sqlx's drivers, and add up: `sqlx` alone
//! compiles no driver and maps any driver's error through
//! `sqlx::error::DatabaseError` (its kind, its code: a SQLSTATE or SQLite's
//! extended result code, its constraint and table); `sqlx-postgres`,
//! `sqlx-mysql` and `sqlx-sqlite` each imply `sqlx` and add that driver's
//! precise mapping (PostgreSQL's column and DETAIL; MySQL's error number,
//! where its SQLSTATE is coarse, e.g. a lock wait timeout is `HY000`, 500
//! without it; the constraint, table and column named in a MySQL or SQLite
//! message):
//!
//! | failure | status | code |
//! |---|---|---|
//! | no row (`RowNotFound`) | 404 | `apierror.db.not_found` |
//! | unique or foreign-key violation | 409 | `apierror.db.conflict` |
//! | data exception (SQLSTATE class 22, e.g. 22P02 "invalid input syntax"; MySQL 1366, 1292, 1264, 1406, …), not-null or check violation, a value past a server limit (54000, e.g. a ~3 KB value in a btree-indexed column), an illegal mix of collations (MySQL 1267, e.g. an emoji against a utf8mb3 column) | 400 | `apierror.db.invalid_input` |
//! | serialization failure, deadlock, lock not available (40001, 40P01, 55P03; MySQL 1213, 1205; SQLite `BUSY`, `LOCKED`) | 503 + `Retry-After: 1` | `apierror.db.busy` |
//! | statement timeout / query canceled (57014; MySQL 3024, 1969, 1317), pool acquire timeout (sqlx's `PoolTimedOut`: always with a bare `?`; with every connection busy after [`or_unavailable`](SqlxResultExt::or_unavailable)) | 504 | `apierror.db.timeout` |
//! | connection failure (I/O, TLS, SQLSTATE class 08), pool closed, server shutting down (57P01…), out of resources (class 53); a pool that could open no connection before its acquire timeout (after [`or_unavailable`](SqlxResultExt::or_unavailable) or [`DbError::from_pool`]) | 503 | `apierror.db.unavailable` |
//! | anything else | 500 | `apierror.db.internal` |
//!
//! A syntax error (SQLSTATE 42601) stays 500 even when a client's text
//! provoked it: `to_tsquery($1)` with `foo &` fails so, and the same
//! SQLSTATE is a bug in the service's SQL everywhere else. Give a client's
//! search text to `websearch_to_tsquery($1)` (or `plainto_tsquery`), which
//! accepts any text.
//!
//! **Never in a body**: the driver's message, DETAIL, HINT, SQL, SQLSTATE,
//! constraint, table or column names. The `message` is the fixed sentence of
//! the code, in production and development alike; development's `debug`
//! shows the driver's message (in `debug.sources`), production nothing.
//!
//! **Logged**: one error, one event. Converting a driver's error into a
//! [`DbError`] logs nothing; rendering logs the error's one event (as every
//! error is logged), whose fields include the database's facts: `db.backend`,
//! `db.sqlstate`, `db.code` (MySQL's error number, SQLite's extended code),
//! `db.constraint`, `db.table`, `db.column`, `db.message` (the driver's
//! message), foreign text escaped so that one event is one line; for a
//! `DbError`, one through `transparent`, or a team's variant holding it as
//! its `#[source]`. PostgreSQL's DETAIL holds row values (personal data):
//! it is logged as `db.detail` only after [`Config::with_db_detail_logged(true)`](crate::Config::with_db_detail_logged),
//! and until then the row value a message quotes is `<redacted>` in
//! `db.message` (MySQL's `Duplicate entry '<redacted>' for key 'users.email'`,
//! PostgreSQL's `invalid input syntax for type integer: "<redacted>"`).
//!
//! # The team's own variants
//!
//! A type implementing [`FromDbError`] answers chosen constraints with its
//! own variants and everything else with its `DbError` variant. The derive's
//! `#[api(..., db(constraint = "things_name_key"))]` implements it, and
//! `From` the drivers' errors through it:
//!
//! ```
//! use apierror::db::{DbError, FromDbError};
//! use apierror::ApiError;
//!
//! #[derive(Debug, thiserror::Error, ApiError)]
//! pub enum ThingError {
//!     #[error("a thing with this name exists")]
//!     #[api(status = 409, code = "db-doc.duplicate_name", field = "name",
//!           message = "There is already a thing with this name.",
//!           db(constraint = "things_name_key"))]
//!     DuplicateName(#[source] DbError),
//!
//!     #[error(transparent)]
//!     #[api(transparent)]
//!     Db(#[from] DbError),
//! }
//!
//! // What the derive generates, besides `From<sqlx::Error>` and
//! // `From<tokio_postgres::Error>` (for the enabled features) through
//! // `FromDbError::from_db`:
//! //
//! // impl FromDbError for ThingError {
//! //     fn from_constraint(err: DbError) -> Result<Self, DbError> {
//! //         match err.constraint() {
//! //             Some("things_name_key") => Ok(Self::DuplicateName(err)),
//! //             _ => Err(err),
//! //         }
//! //     }
//! // }
//! fn assert_maps<E: FromDbError>() {}
//! assert_maps::<ThingError>();
//! ```
//!
//! A handler converts with a bare `?` on the driver's error, or one call:
//! `.map_err(ThingError::from_db)?`.
//!
//! **A stopped database (sqlx).** sqlx's pool retries a refused connection
//! until its acquire timeout and then returns the unit `PoolTimedOut`, the
//! same error as a pool whose every connection is busy: a bare `?` cannot
//! tell them apart and answers both 504 `apierror.db.timeout`. Write
//! `.or_unavailable(&pool)?` ([`SqlxResultExt`]) instead, or
//! [`DbError::from_pool(&pool, err)`](DbError::from_pool): it reads the
//! pool, and a timeout while the pool had room for another connection
//! (none could be opened) answers 503 `apierror.db.unavailable`, logged as
//! "no connection to the database could be opened"; a timeout with every
//! connection open stays 504. The `?` after it is the usual conversion, so
//! the derive's `db(constraint = "…")` variants still answer:
//! `query.execute(&pool).await.or_unavailable(&pool)?`. tokio-postgres has
//! no pool: a refused connection is its own error, 503 with a bare `?`.
//!
//! A mapped variant has no field (the `DbError` is dropped, and its facts
//! with it) or one field that holds the `DbError` (its event carries them).
//! The first time a constraint no variant maps is seen (per
//! process and type), one `warn` event names the attribute to add.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

use crate::registry::Entry;
use crate::ApiError;

/// Seconds in the `Retry-After` header of `apierror.db.busy`: the
/// transaction lost a race (serialization failure, deadlock, a lock not
/// available) and is expected to succeed if retried at once.
pub const BUSY_RETRY_AFTER: u32 = 1;

crate::kinds::kinds! {
    /// What a database failure is, which decides the status and the code.
    pub enum DbErrorKind in ENTRIES: "DbError" {
        /// No row: 404 `apierror.db.not_found`.
        NotFound = ("apierror.db.not_found", 404).message("The requested resource was not found."),
        /// A unique or foreign-key violation: 409 `apierror.db.conflict`.
        Conflict = ("apierror.db.conflict", 409)
            .message("The request conflicts with the current state of the data."),
        /// A data exception, a not-null or check violation: 400
        /// `apierror.db.invalid_input`.
        InvalidInput = ("apierror.db.invalid_input", 400)
            .message("The request has a value that cannot be stored."),
        /// A serialization failure, deadlock or lock not available: 503
        /// `apierror.db.busy` with `Retry-After`.
        Busy = ("apierror.db.busy", 503)
            .message("The service is busy. Please try again.")
            .retry_after(BUSY_RETRY_AFTER),
        /// A statement timeout, a canceled query, a pool acquire timeout: 504
        /// `apierror.db.timeout`.
        Timeout = ("apierror.db.timeout", 504)
            .message("The request took too long. Please try again later."),
        /// The database cannot be reached or is out of resources: 503
        /// `apierror.db.unavailable`.
        Unavailable = ("apierror.db.unavailable", 503)
            .message("The service is temporarily unavailable. Please try again later."),
        /// Anything else: 500 `apierror.db.internal`.
        Internal = ("apierror.db.internal", 500),
    }
}

impl DbErrorKind {
    /// The registry entry of the kind.
    #[must_use]
    pub fn entry(self) -> &'static Entry {
        self.registered()
    }

    /// What the failure is, for logs and development's `debug.display`:
    /// a fixed text, nothing of the database.
    #[must_use]
    pub const fn summary(self) -> &'static str {
        match self {
            Self::NotFound => "database: no row",
            Self::Conflict => "database: the change conflicts with existing rows (unique or foreign key)",
            Self::InvalidInput => "database: a value was refused (data exception, not null or check)",
            Self::Busy => "database: serialization failure, deadlock or lock not available",
            Self::Timeout => "database: timed out",
            Self::Unavailable => "database: unavailable",
            Self::Internal => "database: unexpected error",
        }
    }
}

/// A failure of the database, answered as DESIGN's table says (see the
/// [module documentation](self)).
///
/// Made with `From<sqlx::Error>` (feature `sqlx`) or
/// `From<tokio_postgres::Error>` (feature `tokio-postgres`); the driver's
/// error is kept, for the logs and development's `debug`.
pub struct DbError {
    kind: DbErrorKind,
    source: Source,
}

/// The driver's error.
enum Source {
    #[cfg(feature = "sqlx")]
    Sqlx(sqlx::Error),
    #[cfg(feature = "tokio-postgres")]
    TokioPostgres(tokio_pg::TokioPostgres),
}

impl DbError {
    /// What the failure is.
    #[must_use]
    pub const fn kind(&self) -> DbErrorKind {
        self.kind
    }

    /// The violated constraint's name, when the database names one
    /// (PostgreSQL always; MySQL/MariaDB for unique, foreign-key and check
    /// violations, from its message; SQLite for a named check). This is what
    /// `db(constraint = "…")` matches.
    #[must_use]
    pub fn constraint(&self) -> Option<&str> {
        match &self.source {
            #[cfg(feature = "sqlx")]
            Source::Sqlx(err) => sqlx_facts::constraint(err),
            #[cfg(feature = "tokio-postgres")]
            Source::TokioPostgres(err) => err.0.as_db_error().and_then(|db| db.constraint()),
        }
    }

    /// The table the failure is about, when the database says.
    #[must_use]
    pub fn table(&self) -> Option<&str> {
        match &self.source {
            #[cfg(feature = "sqlx")]
            Source::Sqlx(err) => sqlx_facts::table(err),
            #[cfg(feature = "tokio-postgres")]
            Source::TokioPostgres(err) => err.0.as_db_error().and_then(|db| db.table()),
        }
    }

    /// The column the failure is about, when the database says.
    #[must_use]
    pub fn column(&self) -> Option<&str> {
        match &self.source {
            #[cfg(feature = "sqlx")]
            Source::Sqlx(err) => sqlx_facts::column(err),
            #[cfg(feature = "tokio-postgres")]
            Source::TokioPostgres(err) => err.0.as_db_error().and_then(|db| db.column()),
        }
    }

    /// The SQLSTATE (PostgreSQL, MySQL/MariaDB), when the database sent one.
    #[must_use]
    pub fn sqlstate(&self) -> Option<&str> {
        match &self.source {
            #[cfg(feature = "sqlx")]
            Source::Sqlx(err) => sqlx_facts::sqlstate(err),
            #[cfg(feature = "tokio-postgres")]
            Source::TokioPostgres(err) => err.0.code().map(tokio_postgres::error::SqlState::code),
        }
    }

    /// The driver's message for a failure the database reported (not for a
    /// connection or pool failure). Never sent in a body.
    #[must_use]
    pub fn message(&self) -> Option<&str> {
        match &self.source {
            #[cfg(feature = "sqlx")]
            Source::Sqlx(err) => err.as_database_error().map(|db| db.message()),
            #[cfg(feature = "tokio-postgres")]
            Source::TokioPostgres(err) => err.0.as_db_error().map(tokio_postgres::error::DbError::message),
        }
    }

    /// PostgreSQL's DETAIL: it holds row values. Never sent in a body;
    /// logged only after [`Config::with_db_detail_logged(true)`](crate::Config::with_db_detail_logged).
    #[must_use]
    pub fn detail(&self) -> Option<&str> {
        match &self.source {
            #[cfg(feature = "sqlx")]
            Source::Sqlx(err) => sqlx_facts::detail(err),
            #[cfg(feature = "tokio-postgres")]
            Source::TokioPostgres(err) => {
                err.0.as_db_error().and_then(tokio_postgres::error::DbError::detail)
            }
        }
    }

    /// The backend: `"postgres"`, `"mysql"`, `"sqlite"`, or `None` when the
    /// failure is not the database's (a pool, an I/O error).
    #[must_use]
    pub fn backend(&self) -> Option<&'static str> {
        match &self.source {
            #[cfg(feature = "sqlx")]
            Source::Sqlx(err) => err.as_database_error().and_then(sqlx_facts::backend),
            #[cfg(feature = "tokio-postgres")]
            Source::TokioPostgres(err) => err.0.as_db_error().map(|_| "postgres"),
        }
    }

    /// The backend's own code besides the SQLSTATE: MySQL's error number,
    /// SQLite's extended result code.
    #[must_use]
    pub fn backend_code(&self) -> Option<Cow<'_, str>> {
        match &self.source {
            #[cfg(feature = "sqlx")]
            Source::Sqlx(err) => sqlx_facts::backend_code(err),
            #[cfg(feature = "tokio-postgres")]
            Source::TokioPostgres(_) => None,
        }
    }

    /// The error with its kind decided. Nothing is logged here: rendering
    /// logs the error's one event, with the facts of the failure as fields.
    fn classified(kind: DbErrorKind, source: Source) -> Self {
        Self { kind, source }
    }
}

impl fmt::Debug for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The driver's `Debug` holds DETAIL and the whole server response.
        f.debug_struct("DbError")
            .field("kind", &self.kind)
            .field("sqlstate", &self.sqlstate())
            .field("constraint", &self.constraint())
            .finish_non_exhaustive()
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.summary())
    }
}

impl StdError for DbError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.source {
            #[cfg(feature = "sqlx")]
            Source::Sqlx(err) => Some(err),
            #[cfg(feature = "tokio-postgres")]
            Source::TokioPostgres(err) => Some(err),
        }
    }
}

impl ApiError for DbError {
    fn entry(&self) -> &'static Entry {
        self.kind.entry()
    }

    fn boundary(&self) -> Option<crate::log::Boundary<'_>> {
        Some(crate::log::Boundary::Db(self))
    }
}

/// The database's facts as the render's event logs them.
#[cfg(feature = "tracing")]
pub(crate) use log::Message;

crate::__private::impl_responses! { impl [] for [DbError] where [] }

/// A type whose own variants answer some database failures: the derive's
/// `#[api(..., db(constraint = "…"))]` implements it, and an unmapped
/// failure becomes the type's `From<DbError>` variant (typically
/// `#[error(transparent)] #[api(transparent)] Db(#[from] DbError)`).
///
/// A handler converts with [`from_db`](Self::from_db):
/// `query.execute(&pool).await.map_err(ThingError::from_db)?`. The derive
/// implements `From<sqlx::Error>` and `From<tokio_postgres::Error>`
/// through it too (for the enabled features), so that a bare `?` does the
/// same. On a sqlx pool, write `.or_unavailable(&pool)` before the `?`
/// (`SqlxResultExt`, feature `sqlx`): a bare `?` answers a stopped database
/// 504, as it would a saturated pool (see the [module documentation](self)).
pub trait FromDbError: From<DbError> {
    /// The variant declared for the failure's constraint, or the failure
    /// back when no variant declares it. Generated by the derive: a `match`
    /// on [`DbError::constraint`].
    ///
    /// # Errors
    ///
    /// `err` itself, when no variant maps its constraint.
    fn from_constraint(err: DbError) -> Result<Self, DbError> {
        Err(err)
    }

    /// The answer to a database failure: the variant mapped to its
    /// constraint, else the `From<DbError>` variant. The first time (per
    /// process and type) a constraint no variant maps is seen, one `warn`
    /// event names the attribute to add.
    fn from_db(err: impl Into<DbError>) -> Self {
        match Self::from_constraint(err.into()) {
            Ok(mapped) => mapped,
            Err(err) => {
                if let Some(constraint) = err.constraint() {
                    log::unmapped_constraint(std::any::type_name::<Self>(), constraint, err.entry());
                }
                Self::from(err)
            }
        }
    }
}

// The derive's macros for `db(constraint = …)`.
mod macros;

/// What the derive's expansion names for `db(constraint = …)`.
#[doc(hidden)]
pub mod __private {
    pub use super::{DbError, FromDbError};
    pub use crate::__apierror_impl_db_sqlx as impl_sqlx;
    pub use crate::__apierror_impl_db_tokio_postgres as impl_tokio_postgres;
    #[cfg(feature = "sqlx")]
    pub use ::sqlx;
    #[cfg(feature = "tokio-postgres")]
    pub use ::tokio_postgres;
}

// PostgreSQL's SQLSTATE → the kind (PostgreSQL's, and MySQL's in sqlx).
mod sqlstate;
use sqlstate::from_sqlstate;

// ---------------------------------------------------------------- sqlx

#[cfg(feature = "sqlx")]
mod sqlx_facts;

#[cfg(feature = "sqlx")]
mod pool;
#[cfg(feature = "sqlx")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlx")))]
pub use pool::SqlxResultExt;

// ------------------------------------------------------- tokio-postgres

#[cfg(feature = "tokio-postgres")]
mod tokio_pg;

// ------------------------------------------------------------------ log

/// The database's events (in `db/log.rs`).
mod log;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_the_librarys_own_in_kind_order() {
        let kinds = DbErrorKind::ALL;
        let expected = [
            ("apierror.db.not_found", 404, "NotFound"),
            ("apierror.db.conflict", 409, "Conflict"),
            ("apierror.db.invalid_input", 400, "InvalidInput"),
            ("apierror.db.busy", 503, "Busy"),
            ("apierror.db.timeout", 504, "Timeout"),
            ("apierror.db.unavailable", 503, "Unavailable"),
            ("apierror.db.internal", 500, "Internal"),
        ];
        assert_eq!(kinds.len(), expected.len());
        for (kind, (code, status, variant)) in kinds.into_iter().zip(expected) {
            let entry = kind.entry();
            assert_eq!((entry.code, entry.status, entry.variant), (code, status, Some(variant)));
            assert_eq!(entry.crate_name(), "apierror");
            assert_eq!(crate::registry::find(code), Some(entry));
            assert_eq!(entry.retry_after, (kind == DbErrorKind::Busy).then_some(BUSY_RETRY_AFTER));
        }
    }

    #[cfg(feature = "tracing")]
    #[test]
    fn quoted_row_values_are_redacted_and_names_stay() {
        for (message, redacted) in [
            (
                "Duplicate entry 'alice@example.com' for key 'users.email'",
                "Duplicate entry '<redacted>' for key 'users.email'",
            ),
            (
                "Duplicate entry 'a' for key 'b' for key 'users.email'",
                "Duplicate entry '<redacted>' for key 'users.email'",
            ),
            (
                "Incorrect integer value: 'abc' for column 'n' at row 1",
                "Incorrect integer value: '<redacted>' for column 'n' at row 1",
            ),
            (
                r#"invalid input syntax for type integer: "x" y"""#,
                r#"invalid input syntax for type integer: "<redacted>""#,
            ),
            (
                r#"value "99999999999" is out of range for type integer"#,
                r#"value "<redacted>" is out of range for type integer"#,
            ),
            (
                r#"invalid input syntax for type uuid: "unterminated"#,
                r#"invalid input syntax for type uuid: "<redacted>"#,
            ),
            (
                r#"duplicate key value violates unique constraint "users_email_key""#,
                r#"duplicate key value violates unique constraint "users_email_key""#,
            ),
            ("Column 'name' cannot be null", "Column 'name' cannot be null"),
        ] {
            assert_eq!(log::Redacted(message).to_string(), redacted, "{message}");
        }
    }

    #[cfg(feature = "tracing")]
    #[test]
    fn foreign_text_is_one_line() {
        assert_eq!(log::foreign("a\nb\r\tc\\\u{7}\u{2028}").to_string(), "a\\nb\\r\\tc\\\\\\u{7}\\u{2028}");
    }
}
