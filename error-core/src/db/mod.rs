//! Database errors (features `sqlx`, `sqlx-postgres`, `sqlx-mysql`,
//! `sqlx-sqlite` and `tokio-postgres`): a failure of the database answers
//! like a declared error, and nothing of the database reaches the client.
//!
#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/docs/database.md"))]

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

/// A failure of the database, answered as the
/// [module documentation](self)'s table says.
///
/// Made with `From<sqlx::Error>` (feature `sqlx`) or
/// `From<tokio_postgres::Error>` (feature `tokio-postgres`); the driver's
/// error is kept, for the logs and development's `debug`.
pub struct DbError {
    kind: DbErrorKind,
    source: Source,
}

/// The driver's error, one variant per backend feature: the one place
/// that names every backend. Everything else reads it through
/// [`Backend`] and [`Report`].
enum Source {
    #[cfg(feature = "sqlx")]
    Sqlx(::sqlx::Error),
    #[cfg(feature = "tokio-postgres")]
    TokioPostgres(tokio_postgres::TokioPostgres),
}

impl Source {
    /// The driver's error, as its backend reads it.
    fn backend(&self) -> &dyn Backend {
        match self {
            #[cfg(feature = "sqlx")]
            Self::Sqlx(err) => err,
            #[cfg(feature = "tokio-postgres")]
            Self::TokioPostgres(err) => err,
        }
    }
}

/// A driver's error as a [`DbError`] keeps it: implemented once per
/// backend, in its file (`sqlx::Error` in `sqlx/mod.rs`, tokio-postgres's in
/// `tokio_postgres.rs`).
trait Backend: StdError + Send + Sync + 'static {
    /// What the database reported, when the failure is the database's:
    /// `None` for a pool's, a connection's, an I/O error.
    fn report(&self) -> Option<&dyn Report>;
}

/// What a database reported about a failure, as its driver reads it: the
/// seam between the portable [`DbError`] and a driver, modelled on
/// sqlx-core's `DatabaseError` (one impl per driver, each in its own file:
/// `tokio_postgres.rs`, `sqlx/postgres.rs`, `sqlx/mysql.rs`,
/// `sqlx/sqlite.rs`, and `sqlx/mod.rs` for any sqlx driver whose feature is
/// off). Every accessor of [`DbError`] is one call to it.
trait Report {
    /// The kind, from the report alone (sqlx's portable kind, then the
    /// backend's own vocabulary).
    fn kind(&self) -> DbErrorKind;
    /// See [`DbError::backend`].
    fn backend(&self) -> Option<&'static str>;
    /// See [`DbError::message`].
    fn message(&self) -> &str;
    /// See [`DbError::sqlstate`].
    fn sqlstate(&self) -> Option<&str>;
    /// See [`DbError::backend_code`].
    fn backend_code(&self) -> Option<Cow<'_, str>>;
    /// See [`DbError::constraint`].
    fn constraint(&self) -> Option<&str>;
    /// See [`DbError::table`].
    fn table(&self) -> Option<&str>;
    /// See [`DbError::column`].
    fn column(&self) -> Option<&str>;
    /// See [`DbError::detail`].
    fn detail(&self) -> Option<&str>;
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
        self.report()?.constraint()
    }

    /// The table the failure is about, when the database says.
    #[must_use]
    pub fn table(&self) -> Option<&str> {
        self.report()?.table()
    }

    /// The column the failure is about, when the database says.
    #[must_use]
    pub fn column(&self) -> Option<&str> {
        self.report()?.column()
    }

    /// The SQLSTATE (PostgreSQL, MySQL/MariaDB), when the database sent one.
    #[must_use]
    pub fn sqlstate(&self) -> Option<&str> {
        self.report()?.sqlstate()
    }

    /// The driver's message for a failure the database reported (not for a
    /// connection or pool failure). Never sent in a body.
    #[must_use]
    pub fn message(&self) -> Option<&str> {
        Some(self.report()?.message())
    }

    /// PostgreSQL's DETAIL: it holds row values. Never sent in a body;
    /// logged only after [`Config::with_db_detail_logged(true)`](crate::Config::with_db_detail_logged).
    #[must_use]
    pub fn detail(&self) -> Option<&str> {
        self.report()?.detail()
    }

    /// The backend: `"postgres"`, `"mysql"`, `"sqlite"`, or `None` when the
    /// failure is not the database's (a pool, an I/O error).
    #[must_use]
    pub fn backend(&self) -> Option<&'static str> {
        self.report()?.backend()
    }

    /// The backend's own code besides the SQLSTATE: MySQL's error number,
    /// SQLite's extended result code.
    #[must_use]
    pub fn backend_code(&self) -> Option<Cow<'_, str>> {
        self.report()?.backend_code()
    }

    /// What the database reported, when the failure is the database's.
    fn report(&self) -> Option<&dyn Report> {
        self.source.backend().report()
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
        Some(self.source.backend())
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

// The backends, one file each (sqlx's drivers one file each under `sqlx/`).
#[cfg(feature = "sqlx")]
mod sqlx;
#[cfg(feature = "sqlx")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlx")))]
pub use self::sqlx::SqlxResultExt;
#[cfg(feature = "tokio-postgres")]
mod tokio_postgres;

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
