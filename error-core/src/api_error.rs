//! The [`ApiError`] trait.

use std::borrow::Cow;
use std::fmt;

use crate::registry::Entry;
use crate::render::{self, Details};
use crate::{Config, Errors, RequestId};

/// An error that knows how it is answered over HTTP.
///
/// Implement it with `#[derive(ApiError)]`; every method has a sensible
/// default derived from [`entry`](Self::entry), and the derive overrides only
/// what a type needs (a dynamic `field`, an interpolated `message`,
/// `details`, `transparent` delegation).
///
/// These methods are what an error says about itself. Rendering is not one
/// of them: [`ApiErrorExt`] (in [`prelude`](crate::prelude)) renders every
/// `ApiError` the same way, and cannot be overridden, so that a body is the
/// same whether a handler, [`Errors`](crate::Errors) or a framework
/// integration renders it.
///
/// ```
/// use apierror::prelude::*;
/// use apierror::Config;
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
/// assert_eq!(err.public_message(), "There is already a column with the same name.");
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
    ///
    /// The body's `error_code` is this entry's code (the log's
    /// `error.code` too), so every code a client sees is one the catalog,
    /// the lock and the OpenAPI document list. The derive registers its
    /// entries; a hand-written impl registers its own with
    /// [`register!`](crate::register). Rendering an entry that is not
    /// registered panics in debug builds, before a byte of the body is
    /// written (under `apierror::axum::layer()` or
    /// `apierror::actix::middleware()` the request answers
    /// 500 `apierror.internal`, as any panic does); release builds render it.
    fn entry(&self) -> &'static Entry;

    /// The HTTP status: the entry's, or for several errors (see
    /// [`as_errors`](Self::as_errors)) [`Errors::status`].
    fn status(&self) -> http::StatusCode {
        match self.as_errors() {
            Some(errors) => errors.status(),
            None => self.entry().status_code(),
        }
    }

    /// The stable error code clients branch on: the [`entry`](Self::entry)'s.
    /// Rendering and logging take the entry's code, not this method's: an
    /// override that answers another code changes neither.
    fn code(&self) -> &'static str {
        self.entry().code
    }

    /// The request field the error is about, if any.
    fn field(&self) -> Option<&str> {
        self.entry().field
    }

    /// Writes the production message to `out`: safe to show to users, never
    /// derived from `Display`, `Debug` or a source error. The default writes
    /// the entry's [`production_message`](Entry::production_message).
    ///
    /// The one source of the message: rendering writes it straight into the
    /// body, and [`ApiErrorExt::public_message`] reads it.
    ///
    /// # Errors
    ///
    /// Only those of `out`.
    fn write_public_message(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        out.write_str(self.entry().production_message())
    }

    /// Adds the error's `details` members (the derive's `#[api(details)]`
    /// fields). The default adds none, and the body says `"details": null`.
    fn write_details(&self, details: &mut Details<'_>) {
        let _ = details;
    }

    /// The several errors this error stands for, if it is an [`Errors`] in
    /// disguise: a `#[api(transparent)]` variant over an `Errors`, e.g.
    /// `Invalid(#[from] Errors)`. Rendering then answers with one object per
    /// error it holds (and [`Errors::status`]), exactly as the `Errors`
    /// itself; the other methods describe its first error.
    ///
    /// The derive delegates it through `transparent`; the default is `None`.
    /// A hand-written impl that wraps an `Errors` returns it here.
    fn as_errors(&self) -> Option<&Errors> {
        None
    }

    /// Seconds a client should wait before retrying: the response carries
    /// `Retry-After` with this value. The default is the entry's
    /// [`retry_after`](Entry::retry_after) (the derive's `retry_after = N`);
    /// an error that learns it at run time (an upstream's own
    /// `Retry-After`, see `apierror::upstream`) overrides it.
    fn retry_after(&self) -> Option<u32> {
        self.entry().retry_after
    }

    /// Hands each field the production message interpolates to `visit`,
    /// by the name [`Entry::args`] lists it under: what a translation's
    /// variables (`{ $given }`) are filled with (feature `i18n`). The
    /// derive generates it; the default hands out nothing. A hand-written
    /// impl whose message interpolates fields lists their names with
    /// [`Builder::args`](crate::registry::Builder::args) and hands them out
    /// here.
    ///
    /// ```
    /// use apierror::ApiError;
    ///
    /// #[derive(Debug, thiserror::Error, ApiError)]
    /// #[error("bad type {given}")]
    /// #[api(status = 400, code = "message-args-doc-1", message = "{given} is not a valid type.")]
    /// struct InvalidType { given: String, table: String }
    ///
    /// let err = InvalidType { given: "strng".into(), table: "users".into() };
    /// assert_eq!(err.entry().args, ["given"]);
    /// let mut seen = Vec::new();
    /// err.message_args(&mut |name, value| seen.push(format!("{name}={value}")));
    /// assert_eq!(seen, ["given=strng"]);
    /// ```
    fn message_args(&self, visit: &mut dyn FnMut(&'static str, &dyn fmt::Display)) {
        let _ = visit;
    }

    /// The facts of the boundary this error was made at (a database's or
    /// an upstream's failure), for the render's log event. Not public API:
    /// `DbError` and `UpstreamError` override it, the derive delegates it
    /// through `transparent`; a team's variant holding one as its source is
    /// found by walking the chain.
    #[doc(hidden)]
    fn boundary(&self) -> Option<crate::log::Boundary<'_>> {
        None
    }
}

/// What a `#[api(transparent)]` variant delegates to: the inner error is an
/// [`ApiError`], or an [`Errors`] (which is not one: it is several). Not
/// public API.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an `ApiError`",
    label = "the field of a `transparent` variant must implement `ApiError` (or be `apierror::Errors`)"
)]
pub trait Transparent {
    /// [`ApiError::entry`].
    fn entry(&self) -> &'static Entry;
    /// [`ApiError::status`]: an error may answer another status than its
    /// entry's (a [`BuiltinError`](crate::builtin::BuiltinError) for a
    /// rewritten 418, a configured validation status, several errors).
    fn status(&self) -> http::StatusCode;
    /// [`ApiError::field`].
    fn field(&self) -> Option<&str>;
    /// [`ApiError::write_public_message`].
    ///
    /// # Errors
    ///
    /// Only those of `out`.
    fn write_public_message(&self, out: &mut dyn fmt::Write) -> fmt::Result;
    /// [`ApiError::write_details`].
    fn write_details(&self, details: &mut Details<'_>);
    /// [`ApiError::as_errors`].
    fn as_errors(&self) -> Option<&Errors>;
    /// [`ApiError::retry_after`]; by default the entry's.
    fn retry_after(&self) -> Option<u32> {
        self.entry().retry_after
    }
    /// [`ApiError::boundary`]; by default none.
    fn boundary(&self) -> Option<crate::log::Boundary<'_>> {
        None
    }
    /// [`ApiError::message_args`]; by default none.
    fn message_args(&self, visit: &mut dyn FnMut(&'static str, &dyn fmt::Display)) {
        let _ = visit;
    }
}

impl<E: ApiError + ?Sized> Transparent for E {
    #[inline]
    fn entry(&self) -> &'static Entry {
        ApiError::entry(self)
    }
    #[inline]
    fn status(&self) -> http::StatusCode {
        ApiError::status(self)
    }
    #[inline]
    fn field(&self) -> Option<&str> {
        ApiError::field(self)
    }
    #[inline]
    fn write_public_message(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        ApiError::write_public_message(self, out)
    }
    #[inline]
    fn write_details(&self, details: &mut Details<'_>) {
        ApiError::write_details(self, details);
    }
    #[inline]
    fn as_errors(&self) -> Option<&Errors> {
        ApiError::as_errors(self)
    }
    #[inline]
    fn retry_after(&self) -> Option<u32> {
        ApiError::retry_after(self)
    }
    #[inline]
    fn boundary(&self) -> Option<crate::log::Boundary<'_>> {
        ApiError::boundary(self)
    }
    #[inline]
    fn message_args(&self, visit: &mut dyn FnMut(&'static str, &dyn fmt::Display)) {
        ApiError::message_args(self, visit);
    }
}

mod sealed {
    /// Implemented for every [`ApiError`](super::ApiError), and nothing else.
    pub trait Sealed {}

    impl<E: super::ApiError + ?Sized> Sealed for E {}
}

/// Rendering and reading every [`ApiError`] the same way: implemented for
/// every `ApiError`, and for nothing else (it is sealed, so nobody can
/// override it).
///
/// Bring it into scope with `use apierror::prelude::*;` (or
/// `use apierror::ApiErrorExt;`).
///
/// ```
/// use apierror::prelude::*;
/// use apierror::{Config, RequestId};
///
/// #[derive(Debug, thiserror::Error, ApiError)]
/// #[error("no such user {0}")]
/// #[api(status = 404, code = "ext-doc-1", message = "There is no user {0}.")]
/// struct NoSuchUser(u64);
///
/// let err = NoSuchUser(7);
/// assert_eq!(err.public_message(), "There is no user 7.");
/// let response = err.to_response_with(&Config::production());
/// assert_eq!(response.status(), 404);
/// let id = RequestId::generate();
/// let response = err.to_response_with_id(&Config::production(), &id);
/// assert_eq!(response.headers()["x-request-id"], id.as_str());
/// ```
pub trait ApiErrorExt: sealed::Sealed {
    /// The production message, as [`ApiError::write_public_message`]
    /// writes it: borrowed (no allocation) when it is the entry's declared
    /// or generic message, owned when it interpolates fields.
    fn public_message(&self) -> Cow<'_, str>;

    /// Renders the error with the configuration of the request being
    /// served: the one given to
    /// [`axum::layer_with`](crate::axum::layer_with) or
    /// [`actix::middleware_with`](crate::actix::middleware_with) inside the
    /// requests they serve, else the installed default,
    /// [`config()`](crate::config()). As
    /// [`to_response_with`](Self::to_response_with) otherwise.
    ///
    /// ```
    /// use apierror::{ApiError, ApiErrorExt};
    ///
    /// #[derive(Debug, thiserror::Error, ApiError)]
    /// #[error("no such thing")]
    /// #[api(status = 404, code = "to-response-doc-1")]
    /// struct Missing;
    ///
    /// // Outside any layer: the installed default (production, array).
    /// let response = Missing.to_response();
    /// assert_eq!(response.status(), 404);
    /// assert_eq!(response.headers()["content-type"], "application/json");
    /// ```
    fn to_response(&self) -> http::Response<Vec<u8>>;

    /// Renders the error: its status, and the body in `config`'s
    /// [`Format`](crate::Format): the common body with `content-type:
    /// application/json`, or an RFC 9457 problem with `content-type:
    /// application/problem+json`. Logs the error (see the crate docs on
    /// logging). Never panics.
    ///
    /// Inside a [`RequestId::scope`] (the framework integrations enter one
    /// for every request), this is
    /// [`to_response_with_id`](Self::to_response_with_id) with that id;
    /// elsewhere the response has no id.
    fn to_response_with(&self, config: &Config) -> http::Response<Vec<u8>>;

    /// Renders the error for the request `id`: as
    /// [`to_response_with`](Self::to_response_with), and the response
    /// carries the id in the [`Config::request_id_header`] header, the log
    /// event in its `request_id` field, and, if
    /// [`Config::request_id_in_details`] is on and the status is 5xx, the
    /// body in `details.request_id`.
    fn to_response_with_id(&self, config: &Config, id: &RequestId) -> http::Response<Vec<u8>>;
}

impl<E: ApiError + ?Sized> ApiErrorExt for E {
    fn public_message(&self) -> Cow<'_, str> {
        let mut message = Message { expected: self.entry().production_message(), matched: 0, owned: None };
        let _ = self.write_public_message(&mut message);
        match message.owned {
            Some(owned) => Cow::Owned(owned),
            None if message.matched == message.expected.len() => Cow::Borrowed(message.expected),
            None => Cow::Borrowed(&message.expected[..message.matched]),
        }
    }

    fn to_response(&self) -> http::Response<Vec<u8>> {
        crate::request_id::with_current(|config, id| render::response(self, config, id))
    }

    fn to_response_with(&self, config: &Config) -> http::Response<Vec<u8>> {
        crate::request_id::with_current_id(|id| render::response(self, config, id))
    }

    fn to_response_with_id(&self, config: &Config, id: &RequestId) -> http::Response<Vec<u8>> {
        render::response(self, config, Some(id))
    }
}

/// Collects a written message, borrowing the `'static` text it is expected
/// to be (the entry's) for as long as what is written matches it, and
/// copying only from the first difference.
struct Message {
    expected: &'static str,
    matched: usize,
    owned: Option<String>,
}

impl fmt::Write for Message {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        match &mut self.owned {
            Some(owned) => owned.push_str(s),
            None if self.expected[self.matched..].starts_with(s) => self.matched += s.len(),
            None => {
                let mut owned = String::with_capacity(self.matched + s.len());
                owned.push_str(&self.expected[..self.matched]);
                owned.push_str(s);
                self.owned = Some(owned);
            }
        }
        Ok(())
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
    fn write_public_message(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        (**self).write_public_message(out)
    }
    fn write_details(&self, details: &mut Details<'_>) {
        (**self).write_details(details);
    }
    fn as_errors(&self) -> Option<&Errors> {
        (**self).as_errors()
    }
    fn retry_after(&self) -> Option<u32> {
        (**self).retry_after()
    }
    fn boundary(&self) -> Option<crate::log::Boundary<'_>> {
        (**self).boundary()
    }
    fn message_args(&self, visit: &mut dyn FnMut(&'static str, &dyn fmt::Display)) {
        (**self).message_args(visit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::register! {
        static OWN: [Entry; 1] = [Entry::builder("api-error-test.own", 409, "Overrides")
            .message("Registered.")
            .location(module_path!(), file!(), line!())
            .build()];
    }

    static UNREGISTERED: Entry = Entry::builder("api-error-test.unregistered", 429, "Overrides").build();

    /// A hand-written error whose `code()` says something else than its
    /// entry (issue 18 item 5).
    #[derive(Debug)]
    struct Overrides(&'static Entry);

    impl fmt::Display for Overrides {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("overrides")
        }
    }

    impl std::error::Error for Overrides {}

    impl ApiError for Overrides {
        fn entry(&self) -> &'static Entry {
            self.0
        }

        fn code(&self) -> &'static str {
            "api-error-test.overridden"
        }
    }

    #[test]
    fn the_body_carries_the_entrys_code_not_an_overridden_one() {
        let body = Overrides(&OWN[0]).to_response_with(&Config::production()).into_body();
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            r#"[{"message":"Registered.","error_code":"api-error-test.own","field":null,"details":null}]"#
        );
        let problem = Config::production().with_format(crate::Format::Problem);
        let body = Overrides(&OWN[0]).to_response_with(&problem).into_body();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["error_code"], "api-error-test.own");
        let several: Errors = [Overrides(&OWN[0])].into_iter().collect();
        let body = several.to_response_with(&Config::production()).into_body();
        assert!(std::str::from_utf8(&body).unwrap().contains(r#""error_code":"api-error-test.own""#));
    }

    /// Debug builds refuse to render an entry that is not registered: a
    /// panic before the body is written (never a half-written or fallback
    /// body), whose message says what to do. Release builds render it.
    #[test]
    fn an_unregistered_entry_is_refused_in_debug_builds() {
        let render = || Overrides(&UNREGISTERED).to_response_with(&Config::production());
        if cfg!(debug_assertions) {
            let payload = std::panic::catch_unwind(render).expect_err("an unregistered entry panics");
            let message = payload.downcast_ref::<String>().expect("a formatted message");
            assert!(message.contains("`api-error-test.unregistered`"), "{message}");
            assert!(message.contains("apierror::register!"), "{message}");
            let several: Errors = [Overrides(&UNREGISTERED)].into_iter().collect();
            let several = std::panic::AssertUnwindSafe(several);
            assert!(std::panic::catch_unwind(|| several.to_response_with(&Config::production())).is_err());
        } else {
            let body = render().into_body();
            assert!(std::str::from_utf8(&body).unwrap().contains("api-error-test.unregistered"));
        }
    }

    /// A message written in pieces: borrowed while it matches the entry's
    /// text, owned from the first difference.
    #[test]
    fn the_message_is_borrowed_exactly_when_it_is_the_entry_text() {
        let write = |pieces: &[&str]| {
            let mut message = Message { expected: "Hello, world.", matched: 0, owned: None };
            for piece in pieces {
                fmt::Write::write_str(&mut message, piece).unwrap();
            }
            (message.matched, message.owned)
        };
        assert_eq!(write(&["Hello, world."]), (13, None));
        assert_eq!(write(&["Hello", ", ", "world."]), (13, None));
        assert_eq!(write(&["Hello", ", there."]), (5, Some("Hello, there.".to_owned())));
        assert_eq!(write(&["Hello, world. And more."]), (0, Some("Hello, world. And more.".to_owned())));
        assert_eq!(write(&["Hello"]), (5, None));
    }
}
