//! The [`Valid`] extractor and its markers: which validation crate checks
//! what a framework extractor deserialized.

use std::fmt;

use super::options;
use crate::Errors;

/// Which validation crate a [`Valid`] extractor uses: a
/// marker type, [`Validator`] (the default) or [`Garde`].
///
/// The marker is a type parameter of `Valid` (`Valid<Json<T>>` is
/// `Valid<Json<T>, Validator>`; garde: `Valid<Json<T>, Garde>`), so both
/// features can be on at once and each type uses the crate it derives.
/// Sealed: the markers are [`Validator`] and [`Garde`].
pub trait Validates: sealed::Sealed + Sized + 'static {
    /// What `Valid` holds: always `E` itself (the indirection only lets
    /// `Valid` name the marker without a second field).
    type Wrap<E>;

    /// `e` as [`Wrap`](Self::Wrap).
    #[doc(hidden)]
    fn wrap<E>(e: E) -> Self::Wrap<E>;

    /// `Wrap` back to `E`.
    #[doc(hidden)]
    fn unwrap<E>(wrapped: Self::Wrap<E>) -> E;

    /// `&Wrap` as `&E`.
    #[doc(hidden)]
    fn as_ref<E>(wrapped: &Self::Wrap<E>) -> &E;

    /// `&mut Wrap` as `&mut E`.
    #[doc(hidden)]
    fn as_mut<E>(wrapped: &mut Self::Wrap<E>) -> &mut E;
}

/// The marker of `Valid<…, Validator>`: `T: validator::Validate`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Validator;

/// The marker of `Valid<…, Garde>`: `T: garde::Validate` with a `Default`
/// context (usually `()`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Garde;

macro_rules! identity_wrap {
    ($($marker:ty),*) => {$(
        impl Validates for $marker {
            type Wrap<E> = E;
            fn wrap<E>(e: E) -> E { e }
            fn unwrap<E>(e: E) -> E { e }
            fn as_ref<E>(e: &E) -> &E { e }
            fn as_mut<E>(e: &mut E) -> &mut E { e }
        }
    )*};
}

identity_wrap!(Validator, Garde);

mod sealed {
    /// Only the library's markers pick a validation crate.
    pub trait Sealed {}
    impl Sealed for super::Validator {}
    impl Sealed for super::Garde {}
}

/// A `T` that the marker's crate validates.
pub trait Check<T: ?Sized>: Validates {
    /// Validates `value` with the options of the request being served
    /// ([`Config::validation`](crate::Config::validation)).
    ///
    /// # Errors
    ///
    /// Every violation, as [`Errors`].
    fn check(value: &T) -> Result<(), Errors>;
}

#[cfg(feature = "validator")]
impl<T: ::validator::Validate + ?Sized> Check<T> for Validator {
    fn check(value: &T) -> Result<(), Errors> {
        value.validate().map_err(|errors| options().validator_errors(&errors))
    }
}

#[cfg(feature = "garde")]
impl<T> Check<T> for Garde
where
    T: ::garde::Validate + ?Sized,
    T::Context: Default,
{
    fn check(value: &T) -> Result<(), Errors> {
        value.validate().map_err(|report| options().garde_report(&report))
    }
}

/// An extractor whose value has passed validation: `Valid<Json<T>>`,
/// `Valid<Query<T>>`, `Valid<Path<T>>` of [`apierror::axum`](crate::axum)
/// or [`apierror::actix`](crate::actix) (this one type, re-exported by
/// both). It deserializes with the inner extractor (whose rejections are
/// unchanged), then validates; a violation answers in the common body
/// ([`Errors`], 400 or the configured status) and the handler is not
/// called.
///
/// The second parameter picks the validation crate: `Valid<Json<T>>` is
/// `Valid<Json<T>, Validator>` (`T: validator::Validate`);
/// `Valid<Json<T>, Garde>` validates `T: garde::Validate` (with a `Default`
/// context). Both features may be on at once. A handler destructures it as
/// `Valid(Json(order))` either way.
///
/// ```
/// # #[cfg(all(feature = "axum", feature = "validator"))] {
/// use apierror::axum::{Json, Valid};
///
/// # #[derive(serde::Deserialize)] struct NewThing { name: String }
/// # impl validator::Validate for NewThing {
/// #     fn validate(&self) -> Result<(), validator::ValidationErrors> { Ok(()) }
/// # }
/// async fn create(Valid(Json(thing)): Valid<Json<NewThing>>) -> String {
///     thing.name
/// }
/// let app: axum::Router = axum::Router::new().route("/things", axum::routing::post(create));
/// # }
/// ```
pub struct Valid<E, V: Validates = Validator>(pub V::Wrap<E>);

impl<E, V: Validates> Valid<E, V> {
    /// The inner extractor.
    pub fn into_inner(self) -> E {
        V::unwrap(self.0)
    }
}

impl<E, V: Validates> std::ops::Deref for Valid<E, V> {
    type Target = E;
    fn deref(&self) -> &E {
        V::as_ref(&self.0)
    }
}

impl<E, V: Validates> std::ops::DerefMut for Valid<E, V> {
    fn deref_mut(&mut self) -> &mut E {
        V::as_mut(&mut self.0)
    }
}

impl<E: fmt::Debug, V: Validates> fmt::Debug for Valid<E, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Valid").field(V::as_ref::<E>(&self.0)).finish()
    }
}

/// What every `Valid` extractor does once the inner extractor succeeded:
/// validate the value it holds with `V`'s crate and the options of the
/// request being served.
#[cfg(any(feature = "axum", feature = "actix-web"))]
pub(crate) fn validated<E, T, V>(extracted: E) -> Result<Valid<E, V>, Errors>
where
    E: std::ops::Deref<Target = T>,
    V: Check<T>,
{
    V::check(&*extracted)?;
    Ok(Valid(V::wrap(extracted)))
}
