//! The derive's expansion for `db(constraint = …)`: the `FromDbError`
//! impl and the drivers' `From` impls, per enabled feature.

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
