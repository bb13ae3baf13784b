//! The [`ApiError`] trait.

use std::borrow::Cow;
use std::fmt;

use crate::registry::Entry;
use crate::render::{self, Details};
use crate::{Config, RequestId};

/// An error that knows how it is answered over HTTP.
///
/// Implement it with `#[derive(ApiError)]`; every method has a sensible
/// default derived from [`entry`](Self::entry), and the derive overrides only
/// what a type needs (a dynamic `field`, an interpolated `message`,
/// `details`, `transparent` delegation).
///
/// ```
/// use apierror::{ApiError, Config};
///
/// #[derive(Debug, thiserror::Error, ApiError)]
/// pub enum ColumnError {
///     #[error("column `{name}` already exists in table {table}")]
///     #[api(status = 409, code = "trait-doc-1010", field = "name",
///           message = "There is already a column with the same name.")]
///     DuplicateName { name: String, table: String },
/// }
///
/// let err = ColumnError::DuplicateName { name: "id".into(), table: "users".into() };
/// assert_eq!(err.status(), http::StatusCode::CONFLICT);
/// assert_eq!(err.code(), "trait-doc-1010");
/// assert_eq!(err.field(), Some("name"));
///
/// let response = err.to_response_with(&Config::production());
/// assert_eq!(
///     std::str::from_utf8(response.body()).unwrap(),
///     r#"[{"message":"There is already a column with the same name.","error_code":"trait-doc-1010","field":"name","details":null}]"#,
/// );
/// ```
pub trait ApiError: std::error::Error {
    /// This variant's registry entry: its code, status, production message,
    /// static field and where it is declared.
    fn entry(&self) -> &'static Entry;

    /// The HTTP status.
    fn status(&self) -> http::StatusCode {
        self.entry().status_code()
    }

    /// The stable error code clients branch on.
    fn code(&self) -> &'static str {
        self.entry().code
    }

    /// The request field the error is about, if any.
    fn field(&self) -> Option<&str> {
        self.entry().field
    }

    /// The production message: safe to show to users, never derived from
    /// `Display`, `Debug` or a source error.
    fn public_message(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.entry().production_message())
    }

    /// Writes [`public_message`](Self::public_message) to `out`.
    ///
    /// Rendering calls this instead of `public_message` so that an
    /// interpolated message is formatted straight into the body. Override it
    /// together with `public_message`, or not at all.
    ///
    /// # Errors
    ///
    /// Only those of `out`.
    fn write_public_message(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        out.write_str(&self.public_message())
    }

    /// Adds the error's `details` members (the derive's `#[api(details)]`
    /// fields). The default adds none, and the body says `"details": null`.
    fn write_details(&self, details: &mut Details<'_>) {
        let _ = details;
    }

    /// Renders the error with the process-wide [`Config`](crate::config()).
    fn to_response(&self) -> http::Response<Vec<u8>> {
        self.to_response_with(crate::config())
    }

    /// Renders the error: its status, `content-type: application/json`, and
    /// the common body. Logs the error (see the crate docs on logging).
    /// Never panics.
    ///
    /// Inside a [`RequestId::scope`] (the framework integrations enter one
    /// for every request), this is
    /// [`to_response_with_id`](Self::to_response_with_id) with that id;
    /// elsewhere the response has no id.
    fn to_response_with(&self, config: &Config) -> http::Response<Vec<u8>> {
        render::response(self, config, RequestId::current().as_ref())
    }

    /// Renders the error for the request `id`: as
    /// [`to_response_with`](Self::to_response_with), and the response
    /// carries the id in the [`Config::request_id_header`] header, the log
    /// event in its `request_id` field, and, if
    /// [`Config::request_id_in_details`] is on and the status is 5xx, the
    /// body in `details.request_id`.
    ///
    /// ```
    /// use apierror::{ApiError, Config, RequestId};
    ///
    /// #[derive(Debug, thiserror::Error, ApiError)]
    /// #[error("no such user {0}")]
    /// #[api(status = 404, code = "with-id-doc-1")]
    /// struct NoSuchUser(u64);
    ///
    /// let id = RequestId::generate();
    /// let response = NoSuchUser(7).to_response_with_id(&Config::production(), &id);
    /// assert_eq!(response.headers()["x-request-id"], id.as_str());
    /// ```
    fn to_response_with_id(&self, config: &Config, id: &RequestId) -> http::Response<Vec<u8>> {
        render::response(self, config, Some(id))
    }
}

impl<E: ApiError + ?Sized> ApiError for Box<E>
where
    Box<E>: std::error::Error,
{
    fn entry(&self) -> &'static Entry {
        (**self).entry()
    }
    fn status(&self) -> http::StatusCode {
        (**self).status()
    }
    fn code(&self) -> &'static str {
        (**self).code()
    }
    fn field(&self) -> Option<&str> {
        (**self).field()
    }
    fn public_message(&self) -> Cow<'_, str> {
        (**self).public_message()
    }
    fn write_public_message(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        (**self).write_public_message(out)
    }
    fn write_details(&self, details: &mut Details<'_>) {
        (**self).write_details(details);
    }
}
