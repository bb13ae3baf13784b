//! Several errors in one response.

use std::fmt;

use crate::{render, ApiError, Config, RequestId};

/// Several errors answered in one body, e.g. every invalid field of a form.
///
/// The status is the one all errors share; else 400 when all are 4xx; else
/// 500. An empty `Errors` renders as the built-in
/// [`Internal`](crate::builtin::Internal) error (500): the body is never an
/// empty array.
///
/// ```
/// use apierror::{ApiError, ApiErrorExt, Config, Errors};
///
/// #[derive(Debug, thiserror::Error, ApiError)]
/// pub enum SignupError {
///     #[error("name taken")]
///     #[api(status = 409, code = "errors-doc-1", field = "name", message = "This name is taken.")]
///     NameTaken,
///     #[error("weak password")]
///     #[api(status = 422, code = "errors-doc-2", field = "password", message = "This password is too weak.")]
///     WeakPassword,
/// }
///
/// let mut errors = Errors::new();
/// errors.push(SignupError::NameTaken);
/// errors.push(SignupError::WeakPassword);
/// assert_eq!(errors.len(), 2);
/// let response = errors.to_response_with(&Config::production());
/// assert_eq!(response.status(), http::StatusCode::BAD_REQUEST);
/// let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
/// assert_eq!(body[1]["field"], "password");
/// ```
#[derive(Default)]
pub struct Errors {
    errors: Vec<Box<dyn ApiError + Send + Sync>>,
}

impl Errors {
    /// No errors yet.
    #[must_use]
    pub const fn new() -> Self {
        Self { errors: Vec::new() }
    }

    /// Adds an error.
    pub fn push<E: ApiError + Send + Sync + 'static>(&mut self, error: E) {
        self.errors.push(Box::new(error));
    }

    /// How many errors there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The errors, in the order they were pushed.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &(dyn ApiError + Send + Sync)> {
        self.errors.iter().map(|error| &**error)
    }

    /// The response status: the one all errors share; else 400 when all are
    /// 4xx; else 500 (also when there are none).
    #[must_use]
    pub fn status(&self) -> http::StatusCode {
        let mut statuses = self.errors.iter().map(|error| error.status());
        let Some(first) = statuses.next() else {
            return http::StatusCode::INTERNAL_SERVER_ERROR;
        };
        let (mut same, mut all_client) = (true, first.is_client_error());
        for status in statuses {
            same &= status == first;
            all_client &= status.is_client_error();
        }
        if same {
            first
        } else if all_client {
            http::StatusCode::BAD_REQUEST
        } else {
            http::StatusCode::INTERNAL_SERVER_ERROR
        }
    }

    /// Renders every error into one body with the process-wide
    /// [`Config`](crate::config()).
    #[must_use]
    pub fn to_response(&self) -> http::Response<Vec<u8>> {
        self.to_response_with(crate::config())
    }

    /// Renders every error into one body (each object exactly as the error
    /// renders alone) and logs each error once: one event per error object,
    /// all with the same `request_id`.
    ///
    /// Inside a [`RequestId::scope`], this is
    /// [`to_response_with_id`](Self::to_response_with_id) with that id.
    #[must_use]
    pub fn to_response_with(&self, config: &Config) -> http::Response<Vec<u8>> {
        self.render(config, RequestId::current().as_ref())
    }

    /// Renders every error for the request `id`, as
    /// [`ApiErrorExt::to_response_with_id`](crate::ApiErrorExt::to_response_with_id) does for one error.
    #[must_use]
    pub fn to_response_with_id(&self, config: &Config, id: &RequestId) -> http::Response<Vec<u8>> {
        self.render(config, Some(id))
    }

    fn render(&self, config: &Config, id: Option<&RequestId>) -> http::Response<Vec<u8>> {
        if self.errors.is_empty() {
            return render::response(&crate::builtin::Internal, config, id);
        }
        let mut body = Vec::with_capacity(128 * self.errors.len());
        body.push(b'[');
        for (i, error) in self.errors.iter().enumerate() {
            if i > 0 {
                body.push(b',');
            }
            render::object_or_fallback(&**error, error.entry(), config, id, &mut body);
        }
        body.push(b']');
        render::with_request_id(render::json_response(self.status(), body), config, id)
    }
}

impl fmt::Debug for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.errors.iter().map(|e| e.entry().path())).finish()
    }
}

/// Each error's `Display`, separated by `; ` (for logs: the body never
/// carries it in production).
impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.errors.is_empty() {
            return f.write_str("no errors");
        }
        for (i, error) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            crate::log::write_caught(f, error)?;
        }
        Ok(())
    }
}

impl<E: ApiError + Send + Sync + 'static> Extend<E> for Errors {
    fn extend<I: IntoIterator<Item = E>>(&mut self, iter: I) {
        self.errors.extend(iter.into_iter().map(|e| Box::new(e) as Box<dyn ApiError + Send + Sync>));
    }
}

impl<E: ApiError + Send + Sync + 'static> FromIterator<E> for Errors {
    fn from_iter<I: IntoIterator<Item = E>>(iter: I) -> Self {
        let mut errors = Self::new();
        errors.extend(iter);
        errors
    }
}

impl<E: ApiError + Send + Sync + 'static> From<E> for Errors {
    fn from(error: E) -> Self {
        let mut errors = Self::new();
        errors.push(error);
        errors
    }
}
