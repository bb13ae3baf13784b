//! The database's events: the hint for an unmapped constraint, and the
//! facts the render's event logs (the driver's message, its row values
//! redacted). Foreign text goes through [`foreign`].

#[cfg(feature = "tracing")]
use super::DbError;
use crate::registry::Entry;

/// Foreign text (the database's messages and names) as logged: through
/// the library's one escaping policy, so that one event is one line.
#[cfg(feature = "tracing")]
pub(super) fn foreign(text: &str) -> impl std::fmt::Display + '_ {
    crate::log::Text(text)
}

/// The driver's message (its quoted row values redacted, when
/// `redact`), else the error chain (a pool, I/O failure).
#[cfg(feature = "tracing")]
pub(crate) struct Message<'a> {
    pub(crate) err: &'a DbError,
    pub(crate) redact: bool,
}

#[cfg(feature = "tracing")]
impl std::fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.err.message() {
            Some(message) if self.redact => Redacted(message).fmt(f),
            Some(message) => f.write_str(message),
            None => {
                let first = std::error::Error::source(self.err);
                crate::text::Chain { parent: self.err, first, until: None }.fmt(f)
            }
        }
    }
}

/// What stands for a row value in a logged message.
#[cfg(feature = "tracing")]
pub(crate) const REDACTED: &str = "<redacted>";

/// A driver's message with the row values it quotes replaced by
/// [`REDACTED`]: MySQL's `Duplicate entry 'alice@example.com' for key
/// 'users.email'`, `Incorrect integer value: 'x' for column 'n'`,
/// PostgreSQL's `invalid input syntax for type integer: "x"`, `value
/// "…" is out of range`. A quoted text is a value when it follows `: `,
/// `entry ` or `value `; the names of keys, columns, constraints and
/// types (after `key `, `column `, `constraint `, …) stay. Written
/// without allocating.
#[cfg(feature = "tracing")]
pub(crate) struct Redacted<'a>(pub(crate) &'a str);

#[cfg(feature = "tracing")]
impl std::fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut rest = self.0;
        while let Some((start, end)) = value_span(rest) {
            f.write_str(&rest[..start])?;
            f.write_str(REDACTED)?;
            rest = &rest[end..];
        }
        f.write_str(rest)
    }
}

/// The first quoted value of `text`: the byte range between its quotes.
#[cfg(feature = "tracing")]
fn value_span(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let open = (0..bytes.len()).find(|&i| {
        matches!(bytes[i], b'\'' | b'"')
            && [": ", "entry ", "value "].iter().any(|before| text[..i].ends_with(before))
    })?;
    let quote = bytes[open] as char;
    let start = open + 1;
    let inner = &text[start..];
    // The value may hold the quote itself: it ends at the last quote
    // followed by what follows a value (` for key …`, ` is out of
    // range`), else at the last quote, else with the message.
    let close = inner
        .rmatch_indices(quote)
        .map(|(i, _)| i)
        .find(|&i| [" for ", " is "].iter().any(|after| inner[i + 1..].starts_with(after)))
        .or_else(|| inner.rfind(quote))
        .unwrap_or(inner.len());
    Some((start, start + close))
}

/// The (type, constraint) pairs already warned about.
#[cfg(feature = "tracing")]
static WARNED: crate::log::WarnOnce = crate::log::WarnOnce::new();

/// A constraint that no variant of `type_name` maps: one `warn` per
/// process and pair, naming the attribute to add.
pub(super) fn unmapped_constraint(type_name: &'static str, constraint: &str, fallback: &Entry) {
    #[cfg(feature = "tracing")]
    if tracing::enabled!(target: "apierror::db", tracing::Level::WARN)
        && WARNED.first_time((type_name, constraint))
    {
        tracing::event!(
            target: "apierror::db",
            tracing::Level::WARN,
            error.r#type = type_name,
            db.constraint = %foreign(constraint),
            "apierror: database constraint `{}` is not mapped by {}: it answers {}; to answer it with a variant \
             of your own, add `#[api(..., db(constraint = \"{}\"))]` to that variant",
            foreign(constraint),
            type_name,
            fallback.code,
            foreign(constraint),
        );
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (type_name, constraint, fallback);
}
