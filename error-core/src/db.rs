//! Database errors (features `sqlx` and `tokio-postgres`): a failure of the
//! database answers like a declared error, and nothing of the database
//! reaches the client.
//!
//! [`DbError`] is a built-in [`ApiError`]: `From<sqlx::Error>` (PostgreSQL,
//! MySQL/MariaDB and SQLite) and `From<tokio_postgres::Error>`. It maps on
//! the portable kind of the failure first (sqlx's `DatabaseError::kind()`),
//! then on the backend's own vocabulary (PostgreSQL's SQLSTATE, MySQL's error
//! number, SQLite's extended result code):
//!
//! | failure | status | code |
//! |---|---|---|
//! | no row (`RowNotFound`) | 404 | `apierror.db.not_found` |
//! | unique or foreign-key violation | 409 | `apierror.db.conflict` |
//! | data exception (SQLSTATE class 22, e.g. 22P02 "invalid input syntax"; MySQL 1366, 1292, 1264, 1406, …), not-null or check violation | 400 | `apierror.db.invalid_input` |
//! | serialization failure, deadlock, lock not available (40001, 40P01, 55P03; MySQL 1213, 1205; SQLite `BUSY`, `LOCKED`) | 503 + `Retry-After: 1` | `apierror.db.busy` |
//! | statement timeout / query canceled (57014; MySQL 3024, 1969, 1317), pool acquire timeout | 504 | `apierror.db.timeout` |
//! | connection failure (I/O, TLS, SQLSTATE class 08), pool closed, server shutting down (57P01…), out of resources (class 53) | 503 | `apierror.db.unavailable` |
//! | anything else | 500 | `apierror.db.internal` |
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
//! it is logged as `db.detail` only after [`log_detail(true)`](log_detail),
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
//! `.map_err(ThingError::from_db)?`. A mapped variant has no field (the
//! `DbError` is dropped, and its facts with it) or one field that holds the
//! `DbError` (its event carries them). The first time a constraint no variant maps is seen (per
//! process and type), one `warn` event names the attribute to add.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::registry::Entry;
use crate::ApiError;

/// Seconds in the `Retry-After` header of `apierror.db.busy`: the
/// transaction lost a race (serialization failure, deadlock, a lock not
/// available) and is expected to succeed if retried at once.
pub const BUSY_RETRY_AFTER: u32 = 1;

crate::register! {
    static ENTRIES: [Entry; 7] = [
        Entry::builder("apierror.db.not_found", 404, "DbError")
            .variant("NotFound")
            .message("The requested resource was not found.")
            .location(module_path!(), file!(), line!())
            .build(),
        Entry::builder("apierror.db.conflict", 409, "DbError")
            .variant("Conflict")
            .message("The request conflicts with the current state of the data.")
            .location(module_path!(), file!(), line!())
            .build(),
        Entry::builder("apierror.db.invalid_input", 400, "DbError")
            .variant("InvalidInput")
            .message("The request has a value that cannot be stored.")
            .location(module_path!(), file!(), line!())
            .build(),
        Entry::builder("apierror.db.busy", 503, "DbError")
            .variant("Busy")
            .message("The service is busy. Please try again.")
            .retry_after(BUSY_RETRY_AFTER)
            .location(module_path!(), file!(), line!())
            .build(),
        Entry::builder("apierror.db.timeout", 504, "DbError")
            .variant("Timeout")
            .message("The request took too long. Please try again later.")
            .location(module_path!(), file!(), line!())
            .build(),
        Entry::builder("apierror.db.unavailable", 503, "DbError")
            .variant("Unavailable")
            .message("The service is temporarily unavailable. Please try again later.")
            .location(module_path!(), file!(), line!())
            .build(),
        Entry::builder("apierror.db.internal", 500, "DbError")
            .variant("Internal")
            .location(module_path!(), file!(), line!())
            .build(),
    ];
}

/// What a database failure is, which decides the status and the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DbErrorKind {
    /// No row: 404 `apierror.db.not_found`.
    NotFound,
    /// A unique or foreign-key violation: 409 `apierror.db.conflict`.
    Conflict,
    /// A data exception, a not-null or check violation: 400
    /// `apierror.db.invalid_input`.
    InvalidInput,
    /// A serialization failure, deadlock or lock not available: 503
    /// `apierror.db.busy` with `Retry-After`.
    Busy,
    /// A statement timeout, a canceled query, a pool acquire timeout: 504
    /// `apierror.db.timeout`.
    Timeout,
    /// The database cannot be reached or is out of resources: 503
    /// `apierror.db.unavailable`.
    Unavailable,
    /// Anything else: 500 `apierror.db.internal`.
    Internal,
}

impl DbErrorKind {
    /// The registry entry of the kind.
    #[must_use]
    pub fn entry(self) -> &'static Entry {
        &ENTRIES[self as usize]
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
    TokioPostgres(TokioPostgres),
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
    /// logged only after [`log_detail(true)`](log_detail).
    #[must_use]
    pub fn detail(&self) -> Option<&str> {
        match &self.source {
            #[cfg(feature = "sqlx")]
            Source::Sqlx(err) => err
                .as_database_error()
                .and_then(|db| db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>())
                .and_then(sqlx::postgres::PgDatabaseError::detail),
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

/// Whether PostgreSQL's DETAIL (it holds row values: personal data) is
/// logged, as `db.detail`, with the other facts of a database failure. Off
/// until turned on; it is never sent in a body.
///
/// ```
/// apierror::db::log_detail(true);
/// assert!(apierror::db::logs_detail());
/// # apierror::db::log_detail(false);
/// ```
pub fn log_detail(on: bool) {
    LOG_DETAIL.store(on, Ordering::Relaxed);
}

/// Whether [`log_detail`] is on.
#[must_use]
pub fn logs_detail() -> bool {
    LOG_DETAIL.load(Ordering::Relaxed)
}

static LOG_DETAIL: AtomicBool = AtomicBool::new(false);

/// A type whose own variants answer some database failures: the derive's
/// `#[api(..., db(constraint = "…"))]` implements it, and an unmapped
/// failure becomes the type's `From<DbError>` variant (typically
/// `#[error(transparent)] #[api(transparent)] Db(#[from] DbError)`).
///
/// A handler converts with [`from_db`](Self::from_db):
/// `query.execute(&pool).await.map_err(ThingError::from_db)?`. The derive
/// implements `From<sqlx::Error>` and `From<tokio_postgres::Error>`
/// through it too (for the enabled features), so that a bare `?` does the
/// same.
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

/// Emitted by the derive for a type with `db(constraint = …)`: its
/// [`FromDbError`] impl (the body is the derive's `from_constraint`), and
/// `From<sqlx::Error>` and `From<tokio_postgres::Error>` through
/// [`FromDbError::from_db`], for the enabled features.
///
/// `fallback`: what the derive emits when it reports a mistake, so that the
/// conversions still exist (mapping nothing) and the mistake is the only
/// error. Bounded by `for<'_> Self: From<DbError>`: a type without that
/// variant gets no impl, and no second error.
#[doc(hidden)]
#[macro_export]
macro_rules! __apierror_impl_db {
    (fallback impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*]) => {
        #[automatically_derived]
        impl $($generics)* $crate::__private::db::FromDbError for $($ty)*
        where
            for<'__apierror> Self: ::core::convert::From<$crate::__private::db::DbError>,
            $($where)*
        {
        }
        $crate::__private::db::impl_sqlx! { impl [$($generics)*] for [$($ty)*] where [$($where)*] }
        $crate::__private::db::impl_tokio_postgres! { impl [$($generics)*] for [$($ty)*] where [$($where)*] }
    };
    (impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*] { $($body:tt)* }) => {
        #[automatically_derived]
        #[allow(unused_qualifications)]
        impl $($generics)* $crate::__private::db::FromDbError for $($ty)* where $($where)* {
            $($body)*
        }

        $crate::__private::db::impl_sqlx! { impl [$($generics)*] for [$($ty)*] where [$($where)*] }
        $crate::__private::db::impl_tokio_postgres! { impl [$($generics)*] for [$($ty)*] where [$($where)*] }
    };
}

/// `From<sqlx::Error>` for a type with `db(constraint = …)`. Bounded by
/// `for<'_> Self: FromDbError` (higher-ranked: not a trivial bound the
/// compiler checks on its own), so that a type without a `From<DbError>`
/// variant is reported once, at its `FromDbError` impl.
#[cfg(feature = "sqlx")]
#[doc(hidden)]
#[macro_export]
macro_rules! __apierror_impl_db_sqlx {
    (impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*]) => {
        #[automatically_derived]
        impl $($generics)* ::core::convert::From<$crate::__private::db::sqlx::Error> for $($ty)*
        where
            for<'__apierror> Self: $crate::__private::db::FromDbError,
            $($where)*
        {
            fn from(err: $crate::__private::db::sqlx::Error) -> Self {
                <Self as $crate::__private::db::FromDbError>::from_db(err)
            }
        }
    };
}

/// Without the `sqlx` feature: nothing.
#[cfg(not(feature = "sqlx"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __apierror_impl_db_sqlx {
    (impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*]) => {};
}

/// `From<tokio_postgres::Error>` for a type with `db(constraint = …)`.
#[cfg(feature = "tokio-postgres")]
#[doc(hidden)]
#[macro_export]
macro_rules! __apierror_impl_db_tokio_postgres {
    (impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*]) => {
        #[automatically_derived]
        impl $($generics)* ::core::convert::From<$crate::__private::db::tokio_postgres::Error> for $($ty)*
        where
            for<'__apierror> Self: $crate::__private::db::FromDbError,
            $($where)*
        {
            fn from(err: $crate::__private::db::tokio_postgres::Error) -> Self {
                <Self as $crate::__private::db::FromDbError>::from_db(err)
            }
        }
    };
}

/// Without the `tokio-postgres` feature: nothing.
#[cfg(not(feature = "tokio-postgres"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __apierror_impl_db_tokio_postgres {
    (impl [$($generics:tt)*] for [$($ty:tt)*] where [$($where:tt)*]) => {};
}

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

/// PostgreSQL's SQLSTATE → the kind.
fn from_sqlstate(code: &str) -> DbErrorKind {
    match code {
        "40001" | "40P01" | "55P03" => DbErrorKind::Busy,
        "57014" => DbErrorKind::Timeout,
        "23502" | "23514" => DbErrorKind::InvalidInput,
        "57P01" | "57P02" | "57P03" => DbErrorKind::Unavailable,
        _ => match code.get(..2) {
            Some("23") => DbErrorKind::Conflict,
            Some("22") => DbErrorKind::InvalidInput,
            Some("08" | "53") => DbErrorKind::Unavailable,
            _ => DbErrorKind::Internal,
        },
    }
}

// ---------------------------------------------------------------- sqlx

#[cfg(feature = "sqlx")]
impl From<sqlx::Error> for DbError {
    fn from(err: sqlx::Error) -> Self {
        let kind = match &err {
            sqlx::Error::RowNotFound => DbErrorKind::NotFound,
            sqlx::Error::PoolTimedOut => DbErrorKind::Timeout,
            sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => DbErrorKind::Unavailable,
            sqlx::Error::Database(db) => sqlx_facts::classify(&**db),
            _ => DbErrorKind::Internal,
        };
        Self::classified(kind, Source::Sqlx(err))
    }
}

/// What sqlx's errors say, per backend.
#[cfg(feature = "sqlx")]
mod sqlx_facts {
    use std::borrow::Cow;

    use sqlx::error::{DatabaseError, ErrorKind};
    use sqlx::mysql::MySqlDatabaseError;
    use sqlx::postgres::PgDatabaseError;
    use sqlx::sqlite::SqliteError;

    use super::{from_sqlstate, DbErrorKind};

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
}

// ------------------------------------------------------- tokio-postgres

/// `tokio_postgres::Error`, shown without DETAIL and HINT (its own
/// `Display` appends them: row values).
#[cfg(feature = "tokio-postgres")]
struct TokioPostgres(tokio_postgres::Error);

#[cfg(feature = "tokio-postgres")]
impl fmt::Debug for TokioPostgres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(feature = "tokio-postgres")]
impl fmt::Display for TokioPostgres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_db_error() {
            Some(db) => write!(f, "db error: {}: {}", db.severity(), db.message()),
            None => fmt::Display::fmt(&self.0, f),
        }
    }
}

#[cfg(feature = "tokio-postgres")]
impl StdError for TokioPostgres {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self.0.as_db_error() {
            Some(_) => None,
            None => self.0.source(),
        }
    }
}

#[cfg(feature = "tokio-postgres")]
impl From<tokio_postgres::Error> for DbError {
    fn from(err: tokio_postgres::Error) -> Self {
        let kind = if let Some(code) = err.code() {
            from_sqlstate(code.code())
        } else if err.is_closed() || err.source().is_some_and(|source| source.is::<std::io::Error>()) {
            DbErrorKind::Unavailable
        } else {
            DbErrorKind::Internal
        };
        Self::classified(kind, Source::TokioPostgres(TokioPostgres(err)))
    }
}

// ------------------------------------------------------------------ log

/// The database's events (in `db/log.rs`).
mod log;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlstates_map_as_designs_table() {
        for (code, kind) in [
            ("23505", DbErrorKind::Conflict),
            ("23503", DbErrorKind::Conflict),
            ("23P01", DbErrorKind::Conflict),
            ("23502", DbErrorKind::InvalidInput),
            ("23514", DbErrorKind::InvalidInput),
            ("22P02", DbErrorKind::InvalidInput),
            ("22001", DbErrorKind::InvalidInput),
            ("22003", DbErrorKind::InvalidInput),
            ("40001", DbErrorKind::Busy),
            ("40P01", DbErrorKind::Busy),
            ("55P03", DbErrorKind::Busy),
            ("57014", DbErrorKind::Timeout),
            ("08006", DbErrorKind::Unavailable),
            ("53300", DbErrorKind::Unavailable),
            ("57P01", DbErrorKind::Unavailable),
            ("42601", DbErrorKind::Internal),
            ("", DbErrorKind::Internal),
        ] {
            assert_eq!(from_sqlstate(code), kind, "{code}");
        }
    }

    #[test]
    fn entries_are_the_librarys_own_in_kind_order() {
        let kinds = [
            DbErrorKind::NotFound,
            DbErrorKind::Conflict,
            DbErrorKind::InvalidInput,
            DbErrorKind::Busy,
            DbErrorKind::Timeout,
            DbErrorKind::Unavailable,
            DbErrorKind::Internal,
        ];
        let expected = [
            ("apierror.db.not_found", 404, "NotFound"),
            ("apierror.db.conflict", 409, "Conflict"),
            ("apierror.db.invalid_input", 400, "InvalidInput"),
            ("apierror.db.busy", 503, "Busy"),
            ("apierror.db.timeout", 504, "Timeout"),
            ("apierror.db.unavailable", 503, "Unavailable"),
            ("apierror.db.internal", 500, "Internal"),
        ];
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
