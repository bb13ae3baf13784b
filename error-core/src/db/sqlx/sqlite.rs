//! sqlx's SQLite driver (`sqlx-sqlite`): the table, column and check
//! named in SQLite's message. Its extended result codes map without the
//! driver's feature (see [`classify`]).

use std::borrow::Cow;

use sqlx::error::DatabaseError;
use sqlx::sqlite::SqliteError;

use super::{classify, not_sqlstate, sqlstate};
use crate::db::{DbErrorKind, Report};

impl Report for SqliteError {
    fn kind(&self) -> DbErrorKind {
        classify(self)
    }

    fn backend(&self) -> Option<&'static str> {
        Some("sqlite")
    }

    fn message(&self) -> &str {
        DatabaseError::message(self)
    }

    fn sqlstate(&self) -> Option<&str> {
        sqlstate(self)
    }

    /// SQLite's extended result code.
    fn backend_code(&self) -> Option<Cow<'_, str>> {
        not_sqlstate(self)
    }

    fn constraint(&self) -> Option<&str> {
        if let Some(name) = DatabaseError::constraint(self) {
            return Some(name);
        }
        // CHECK constraint failed: name
        DatabaseError::message(self)
            .strip_prefix("CHECK constraint failed: ")
            .filter(|name| is_identifier(name))
    }

    fn table(&self) -> Option<&str> {
        DatabaseError::table(self).or_else(|| Some(table_column(self)?.0))
    }

    fn column(&self) -> Option<&str> {
        Some(table_column(self)?.1)
    }

    fn detail(&self) -> Option<&str> {
        None
    }
}

/// `UNIQUE constraint failed: table.column` (the first column), and the
/// same for NOT NULL.
fn table_column(err: &SqliteError) -> Option<(&str, &str)> {
    let message = DatabaseError::message(err);
    let rest = message
        .strip_prefix("UNIQUE constraint failed: ")
        .or_else(|| message.strip_prefix("NOT NULL constraint failed: "))?;
    let first = rest.split(", ").next()?;
    first.split_once('.')
}

fn is_identifier(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}
