//! `From<tokio_postgres::Error>`.

use std::error::Error as StdError;
use std::fmt;

use super::{from_sqlstate, DbError, DbErrorKind, Source};

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
