//! PostgreSQL's SQLSTATE → the kind: tokio-postgres's and sqlx's
//! PostgreSQL errors, and any sqlx driver's SQLSTATE.

use super::DbErrorKind;

/// PostgreSQL's SQLSTATE → the kind.
pub(super) fn from_sqlstate(code: &str) -> DbErrorKind {
    match code {
        "40001" | "40P01" | "55P03" => DbErrorKind::Busy,
        "57014" => DbErrorKind::Timeout,
        "23502" | "23514" => DbErrorKind::InvalidInput,
        "57P01" | "57P02" | "57P03" => DbErrorKind::Unavailable,
        // program_limit_exceeded: a client's value past a limit of the
        // server, e.g. a ~3 KB value in a btree-indexed column ("index row
        // size … exceeds btree version 4 maximum 2704"), a tsvector or
        // jsonb too large. Not its class 54 siblings (statement too
        // complex, too many columns or arguments): the query's.
        "54000" => DbErrorKind::InvalidInput,
        _ => match code.get(..2) {
            Some("23") => DbErrorKind::Conflict,
            Some("22") => DbErrorKind::InvalidInput,
            Some("08" | "53") => DbErrorKind::Unavailable,
            _ => DbErrorKind::Internal,
        },
    }
}

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
            ("54000", DbErrorKind::InvalidInput),
            ("54001", DbErrorKind::Internal),
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
}
