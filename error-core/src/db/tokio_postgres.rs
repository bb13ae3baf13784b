//! The tokio-postgres backend: `From<tokio_postgres::Error>`, and what
//! PostgreSQL's report says.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

use super::{from_sqlstate, Backend, DbError, DbErrorKind, Report, Source};

/// `tokio_postgres::Error`, shown without DETAIL and HINT (its own
/// `Display` appends them: row values).
pub(super) struct TokioPostgres(pub(super) tokio_postgres::Error);

impl fmt::Debug for TokioPostgres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for TokioPostgres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_db_error() {
            Some(db) => write!(f, "db error: {}: {}", db.severity(), db.message()),
            None => fmt::Display::fmt(&self.0, f),
        }
    }
}

impl StdError for TokioPostgres {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self.0.as_db_error() {
            Some(_) => None,
            None => self.0.source(),
        }
    }
}

impl From<tokio_postgres::Error> for DbError {
    fn from(err: tokio_postgres::Error) -> Self {
        let kind = if let Some(db) = err.as_db_error() {
            db.kind()
        } else if err.is_closed() || err.source().is_some_and(|source| source.is::<std::io::Error>()) {
            DbErrorKind::Unavailable
        } else {
            DbErrorKind::Internal
        };
        Self::classified(kind, Source::TokioPostgres(TokioPostgres(err)))
    }
}

impl Backend for TokioPostgres {
    fn report(&self) -> Option<&dyn Report> {
        self.0.as_db_error().map(|db| db as &dyn Report)
    }
}

impl Report for tokio_postgres::error::DbError {
    fn kind(&self) -> DbErrorKind {
        from_sqlstate(self.code().code())
    }

    fn backend(&self) -> Option<&'static str> {
        Some("postgres")
    }

    fn message(&self) -> &str {
        self.message()
    }

    fn sqlstate(&self) -> Option<&str> {
        Some(self.code().code())
    }

    fn backend_code(&self) -> Option<Cow<'_, str>> {
        None
    }

    fn constraint(&self) -> Option<&str> {
        self.constraint()
    }

    fn table(&self) -> Option<&str> {
        self.table()
    }

    fn column(&self) -> Option<&str> {
        self.column()
    }

    /// PostgreSQL's DETAIL.
    fn detail(&self) -> Option<&str> {
        self.detail()
    }
}
