//! sqlx's PostgreSQL driver (`sqlx-postgres`): the SQLSTATE, the column
//! and DETAIL from the server's report.

use std::borrow::Cow;

use sqlx::error::DatabaseError;
use sqlx::postgres::PgDatabaseError;

use super::{from_error_kind, not_sqlstate, sqlstate};
use crate::db::{from_sqlstate, DbErrorKind, Report};

impl Report for PgDatabaseError {
    fn kind(&self) -> DbErrorKind {
        from_error_kind(DatabaseError::kind(self)).unwrap_or_else(|| from_sqlstate(self.code()))
    }

    fn backend(&self) -> Option<&'static str> {
        Some("postgres")
    }

    fn message(&self) -> &str {
        DatabaseError::message(self)
    }

    fn sqlstate(&self) -> Option<&str> {
        sqlstate(self)
    }

    fn backend_code(&self) -> Option<Cow<'_, str>> {
        not_sqlstate(self)
    }

    fn constraint(&self) -> Option<&str> {
        DatabaseError::constraint(self)
    }

    fn table(&self) -> Option<&str> {
        DatabaseError::table(self)
    }

    fn column(&self) -> Option<&str> {
        PgDatabaseError::column(self)
    }

    /// PostgreSQL's DETAIL.
    fn detail(&self) -> Option<&str> {
        PgDatabaseError::detail(self)
    }
}
