//! A stopped database and a saturated pool, told apart: sqlx reports both
//! with the one unit `sqlx::Error::PoolTimedOut` (its pool retries a refused
//! connection until the acquire timeout, and drops the refusal), so only the
//! pool can say which it was.

use std::fmt;
use std::time::Duration;

use crate::db::DbError;

impl DbError {
    /// `err`, from an operation on `pool`, as a [`DbError`]: what
    /// `From<sqlx::Error>` answers, except for `PoolTimedOut` while `pool`
    /// had room for another connection (fewer than its `max_connections`
    /// open): the acquire was opening one and none could be opened before
    /// the acquire timeout (the server refuses connections or does not
    /// answer), 503 `apierror.db.unavailable`, logged as "no connection to
    /// the database could be opened". A timeout with every connection open
    /// (all busy: the server is up and slow) stays 504
    /// `apierror.db.timeout`. See [`SqlxResultExt::or_unavailable`], the
    /// same for a `Result`.
    ///
    /// The pool is read when the error is converted: in a burst of requests
    /// against a stopped database, the slot this acquire gave back may
    /// already be another request's next attempt, and a pool whose every
    /// slot is an attempt reads as saturated (504) for that request.
    ///
    /// ```no_run
    /// use apierror::db::DbError;
    ///
    /// async fn count(pool: &sqlx::Pool<impl sqlx::Database>) -> Result<(), DbError> {
    ///     let conn = pool.acquire().await.map_err(|err| DbError::from_pool(pool, err))?;
    ///     # drop(conn);
    ///     Ok(())
    /// }
    /// ```
    #[must_use]
    pub fn from_pool<DB: sqlx::Database>(pool: &sqlx::Pool<DB>, err: sqlx::Error) -> Self {
        Self::from(unreachable(pool, err))
    }
}

/// [`DbError::from_pool`] on a `Result`: `.or_unavailable(&pool)?` after any
/// query, acquire or transaction on `pool` tells a stopped database (503
/// `apierror.db.unavailable`) from a saturated pool (504
/// `apierror.db.timeout`), which a bare `?` cannot: sqlx's
/// `PoolTimedOut` is the same unit error for both, and a bare `?` answers
/// it 504.
///
/// The error stays a `sqlx::Error` (a `PoolTimedOut` that could open no
/// connection becomes an I/O error saying so), so the `?` after it is the
/// usual conversion: `DbError`'s, or a derived type's with its
/// `db(constraint = "…")` variants.
///
/// ```no_run
/// use apierror::db::{DbError, SqlxResultExt as _};
///
/// async fn names(pool: &sqlx::PgPool) -> Result<Vec<(String,)>, DbError> {
///     let rows = sqlx::query_as("SELECT name FROM things").fetch_all(pool).await.or_unavailable(pool)?;
///     Ok(rows)
/// }
/// ```
pub trait SqlxResultExt<T> {
    /// The result, with a `PoolTimedOut` while `pool` had room for another
    /// connection turned into "no connection to the database could be
    /// opened" (503 `apierror.db.unavailable`); anything else unchanged.
    ///
    /// # Errors
    ///
    /// The operation's error, as above.
    fn or_unavailable<DB: sqlx::Database>(self, pool: &sqlx::Pool<DB>) -> Result<T, sqlx::Error>;
}

impl<T> SqlxResultExt<T> for Result<T, sqlx::Error> {
    fn or_unavailable<DB: sqlx::Database>(self, pool: &sqlx::Pool<DB>) -> Result<T, sqlx::Error> {
        self.map_err(|err| unreachable(pool, err))
    }
}

/// `PoolTimedOut` with fewer than `max_connections` open: no connection
/// could be opened. The acquire that timed out held a slot while it tried to
/// open one, and gave it back when it gave up; a saturated pool has every
/// slot taken by a connection in use.
fn unreachable<DB: sqlx::Database>(pool: &sqlx::Pool<DB>, err: sqlx::Error) -> sqlx::Error {
    let max = pool.options().get_max_connections();
    let open = pool.size();
    match err {
        sqlx::Error::PoolTimedOut if open < max => sqlx::Error::Io(std::io::Error::new(
            std::io::ErrorKind::NotConnected,
            NoConnection { open, max, timeout: pool.options().get_acquire_timeout() },
        )),
        err => err,
    }
}

/// Why a pool's timeout is "unavailable": what the log says.
#[derive(Debug)]
struct NoConnection {
    open: u32,
    max: u32,
    timeout: Duration,
}

impl fmt::Display for NoConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no connection to the database could be opened within the pool's acquire timeout ({:?}; {} of {} \
             connections open): the server refuses connections or does not answer",
            self.timeout, self.open, self.max
        )
    }
}

impl std::error::Error for NoConnection {}
