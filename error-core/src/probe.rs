//! The derive's compile-time refusal of an error interpolated into a
//! `message`: a field whose type is an error (`std::error::Error`, or a box
//! of one) has internal text, and a `message` is sent to clients.
//!
//! Autoref specialization: the derive writes
//! `not_an_error((&&&&Probe(field)).__apierror_kind())`. Method lookup tries
//! the receiver `&&&&Probe` first, then each dereference, so the first of
//! these impls that applies wins: `T: Error`, then `T: AsRef<dyn Error>`
//! (`Box<dyn Error>`, `anyhow::Error`), then the `Send + Sync` form, then
//! any `T`. An impl applies only when its bound is proven, so a type that
//! is not an error always gets the last one: the check never refuses a
//! field that is not an error. In a generic impl a type parameter's bounds
//! decide, so `T: Display` passes (the check cannot see what `T` will be).
//! No code runs: every type here is zero-sized and each call inlines to
//! nothing.

use std::error::Error;

/// Wraps a field's reference for the lookup.
pub struct Probe<'a, T: ?Sized>(pub &'a T);

/// What the lookup found: an error.
pub struct IsAnError;

/// What the lookup found: any other type.
pub struct NotAnError;

/// Implemented only by [`NotAnError`]: the bound that fails, with the
/// message the user sees.
#[diagnostic::on_unimplemented(
    message = "`message` interpolates a field that is an error: its text is internal, and a message is sent to clients",
    label = "this message formats an error (a `std::error::Error`, or a box of one)",
    note = "say what happened in words, or interpolate a field the client may see (an id, a name, a limit)"
)]
pub trait Interpolable {}

impl Interpolable for NotAnError {}

/// Requires the lookup to have found a type that is not an error.
#[inline(always)]
pub fn not_an_error<K: Interpolable>(_: K) {}

/// `T: Error`.
pub trait ProbeError {
    /// What `T` is.
    #[inline(always)]
    fn __apierror_kind(&self) -> IsAnError {
        IsAnError
    }
}

impl<T: ?Sized + Error> ProbeError for &&&Probe<'_, T> {}

/// `T: AsRef<dyn Error>` (`Box<dyn Error>`, `anyhow::Error`).
pub trait ProbeErrorRef {
    /// What `T` is.
    #[inline(always)]
    fn __apierror_kind(&self) -> IsAnError {
        IsAnError
    }
}

impl<T: ?Sized + AsRef<dyn Error + 'static>> ProbeErrorRef for &&Probe<'_, T> {}

/// `T: AsRef<dyn Error + Send + Sync>`.
pub trait ProbeErrorRefSync {
    /// What `T` is.
    #[inline(always)]
    fn __apierror_kind(&self) -> IsAnError {
        IsAnError
    }
}

impl<T: ?Sized + AsRef<dyn Error + Send + Sync + 'static>> ProbeErrorRefSync for &Probe<'_, T> {}

/// Any other `T`.
pub trait ProbeOther {
    /// What `T` is.
    #[inline(always)]
    fn __apierror_kind(&self) -> NotAnError {
        NotAnError
    }
}

impl<T: ?Sized> ProbeOther for Probe<'_, T> {}

/// A width or precision a `message` reads from a field (`{v:>width$}`):
/// a `usize`; a field of another type is reported on its type.
#[inline(always)]
#[must_use]
pub fn count(value: &usize) -> usize {
    *value
}

/// What `#[api(details)]` needs of a field: `serde::Serialize`, with an
/// error message that says so in the user's terms.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be in `details`: it does not implement `serde::Serialize`",
    label = "this field is in `details`, so it must implement `serde::Serialize`",
    note = "derive it (`#[derive(serde::Serialize)]`, with serde's `derive` feature), or remove `#[api(details)]` from this field"
)]
pub trait DetailsValue: serde::Serialize {}

impl<T: ?Sized + serde::Serialize> DetailsValue for T {}

/// Adds a `details` field: `details.member(name, value)`, with the bound
/// checked here, once, with [`DetailsValue`]'s message.
#[inline(always)]
pub fn details_member<T: ?Sized + DetailsValue>(
    details: &mut crate::Details<'_>,
    name: &'static str,
    value: &T,
) {
    details.member(name, value);
}
