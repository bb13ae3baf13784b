//! sqlx's MySQL/MariaDB driver (`sqlx-mysql`): the error number (MySQL's
//! SQLSTATE is coarse: a lock wait timeout is `HY000`), and the
//! constraint and column named in the server's message.

use std::borrow::Cow;

use sqlx::error::DatabaseError;
use sqlx::mysql::MySqlDatabaseError;

use super::{from_error_kind, sqlstate};
use crate::db::{from_sqlstate, DbErrorKind, Report};

impl Report for MySqlDatabaseError {
    fn kind(&self) -> DbErrorKind {
        from_error_kind(DatabaseError::kind(self)).unwrap_or_else(|| from_mysql(self.number(), self.code()))
    }

    fn backend(&self) -> Option<&'static str> {
        Some("mysql")
    }

    fn message(&self) -> &str {
        DatabaseError::message(self)
    }

    fn sqlstate(&self) -> Option<&str> {
        sqlstate(self)
    }

    /// MySQL's error number.
    fn backend_code(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.number().to_string()))
    }

    fn constraint(&self) -> Option<&str> {
        if let Some(name) = DatabaseError::constraint(self) {
            return Some(name);
        }
        let message = DatabaseError::message(self);
        match self.number() {
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
    }

    fn table(&self) -> Option<&str> {
        DatabaseError::table(self)
    }

    fn column(&self) -> Option<&str> {
        // Column 'name' cannot be null; … for column `db`.`t`.`name` at row 1
        match self.number() {
            1048 | 1364 => first_quoted(self.message(), '\''),
            1264 | 1265 | 1366 | 1406 => {
                let column = self.message().rsplit_once(" column ")?.1;
                let column = column.split(" at row").next()?;
                let column = column.rsplit('.').next()?;
                Some(column.trim_matches(|c| c == '`' || c == '\''))
            }
            _ => None,
        }
    }

    fn detail(&self) -> Option<&str> {
        None
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
