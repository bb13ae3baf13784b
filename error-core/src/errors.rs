//! Several errors in one response.

use std::fmt;

use crate::registry::Entry;
use crate::{render, ApiError, Config, Details, Format, RequestId};

/// Several errors answered in one body, e.g. every invalid field of a form.
///
/// The status is the one all errors share; else 400 when all are 4xx; else
/// 500. An empty `Errors` renders as the built-in
/// [`Internal`](crate::builtin::Internal) error (500): the body is never an
/// empty array.
///
/// It is an error itself (`std::error::Error`), so it goes into
/// `Box<dyn Error + Send + Sync>` and `anyhow`, and into the team's own
/// enum as a `#[api(transparent)] Invalid(#[from] Errors)` variant, which
/// then renders every error it holds.
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
    /// A whole report converted at once (a validation report's
    /// violations), kept unboxed side by side: one allocation where each
    /// pushed error is one. Its errors come first (it is only ever set by
    /// the conversion that makes the `Errors`).
    #[cfg(any(feature = "validator", feature = "garde"))]
    batch: Option<Box<dyn Batch>>,
    errors: Vec<Box<dyn ApiError + Send + Sync>>,
}

/// Errors of one type kept side by side, unboxed, in an [`Errors`]: what a
/// boundary that converts a whole report at once hands over.
#[cfg(any(feature = "validator", feature = "garde"))]
pub(crate) trait Batch: Send + Sync {
    /// How many errors there are.
    fn len(&self) -> usize;
    /// The error at `index` (below [`len`](Self::len)).
    fn get(&self, index: usize) -> &(dyn ApiError + Send + Sync);
    /// Calls `f` with each error, in order, looking through the errors
    /// that stand for several, as [`Errors::for_each_leaf`] does.
    fn for_each_leaf<'a>(&'a self, f: &mut dyn FnMut(&'a (dyn ApiError + Send + Sync)));
}

#[cfg(any(feature = "validator", feature = "garde"))]
impl<T: ApiError + Send + Sync + 'static> Batch for Vec<T> {
    fn len(&self) -> usize {
        self.len()
    }

    fn get(&self, index: usize) -> &(dyn ApiError + Send + Sync) {
        &self[index]
    }

    fn for_each_leaf<'a>(&'a self, f: &mut dyn FnMut(&'a (dyn ApiError + Send + Sync))) {
        for error in self {
            match error.as_errors() {
                Some(several) => several.for_each_leaf(f),
                None => f(error),
            }
        }
    }
}

/// [`Errors::iter`]: the batch's errors, then the pushed ones.
struct Iter<'a> {
    #[cfg(any(feature = "validator", feature = "garde"))]
    batch: Option<(&'a dyn Batch, std::ops::Range<usize>)>,
    errors: std::slice::Iter<'a, Box<dyn ApiError + Send + Sync>>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a (dyn ApiError + Send + Sync);

    fn next(&mut self) -> Option<Self::Item> {
        #[cfg(any(feature = "validator", feature = "garde"))]
        if let Some((batch, range)) = &mut self.batch
            && let Some(index) = range.next()
        {
            return Some(batch.get(index));
        }
        self.errors.next().map(|error| &**error)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.len();
        (len, Some(len))
    }
}

impl ExactSizeIterator for Iter<'_> {
    fn len(&self) -> usize {
        #[cfg(any(feature = "validator", feature = "garde"))]
        if let Some((_, range)) = &self.batch {
            return range.len() + self.errors.len();
        }
        self.errors.len()
    }
}

impl Errors {
    /// No errors yet.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            #[cfg(any(feature = "validator", feature = "garde"))]
            batch: None,
            errors: Vec::new(),
        }
    }

    /// The errors of `batch`, unboxed (none when it is empty).
    #[cfg(any(feature = "validator", feature = "garde"))]
    pub(crate) fn from_batch<T: ApiError + Send + Sync + 'static>(batch: Vec<T>) -> Self {
        let batch = (!batch.is_empty()).then(|| Box::new(batch) as Box<dyn Batch>);
        Self { batch, errors: Vec::new() }
    }

    /// The batch's errors, if any.
    #[cfg(any(feature = "validator", feature = "garde"))]
    #[inline]
    fn batch(&self) -> Option<&dyn Batch> {
        self.batch.as_deref()
    }

    /// Adds an error.
    pub fn push<E: ApiError + Send + Sync + 'static>(&mut self, error: E) {
        self.errors.push(Box::new(error));
    }

    /// How many errors there are.
    #[must_use]
    pub fn len(&self) -> usize {
        #[cfg(any(feature = "validator", feature = "garde"))]
        if let Some(batch) = self.batch() {
            return batch.len() + self.errors.len();
        }
        self.errors.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The errors, in the order they were pushed.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &(dyn ApiError + Send + Sync)> {
        Iter {
            #[cfg(any(feature = "validator", feature = "garde"))]
            batch: self.batch().map(|batch| (batch, 0..batch.len())),
            errors: self.errors.iter(),
        }
    }

    /// The response status: the one all errors share; else 400 when all are
    /// 4xx; else 500 (also when there are none).
    #[must_use]
    pub fn status(&self) -> http::StatusCode {
        let mut first = None;
        let (mut same, mut all_client) = (true, true);
        self.for_each_leaf(&mut |error| {
            let status = error.status();
            let first = *first.get_or_insert(status);
            same &= status == first;
            all_client &= status.is_client_error();
        });
        match first {
            None => http::StatusCode::INTERNAL_SERVER_ERROR,
            Some(first) if same => first,
            Some(_) if all_client => http::StatusCode::BAD_REQUEST,
            Some(_) => http::StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Renders every error into one body with the configuration of the
    /// request being served (its layer's, else the installed default), as
    /// [`ApiErrorExt::to_response`](crate::ApiErrorExt::to_response) does
    /// for one error.
    ///
    /// ```
    /// let errors = apierror::Errors::new();
    /// assert_eq!(errors.to_response().status(), 500);
    /// ```
    #[must_use]
    pub fn to_response(&self) -> http::Response<Vec<u8>> {
        crate::request_id::with_current(|config, id| self.render(config, id))
    }

    /// Renders every error into one body (each object exactly as the error
    /// renders alone) and logs each error once: one event per error object,
    /// all with the same `request_id`.
    ///
    /// Inside a [`RequestId::scope`], this is
    /// [`to_response_with_id`](Self::to_response_with_id) with that id.
    #[must_use]
    pub fn to_response_with(&self, config: &Config) -> http::Response<Vec<u8>> {
        crate::request_id::with_current_id(|id| self.render(config, id))
    }

    /// Renders every error for the request `id`, as
    /// [`ApiErrorExt::to_response_with_id`](crate::ApiErrorExt::to_response_with_id) does for one error.
    #[must_use]
    pub fn to_response_with_id(&self, config: &Config, id: &RequestId) -> http::Response<Vec<u8>> {
        self.render(config, Some(id))
    }

    /// Calls `f` with each error, in order, looking through the errors that
    /// stand for several ([`ApiError::as_errors`]: a team's error with a
    /// `transparent` variant over an `Errors`, pushed into another).
    fn for_each_leaf<'a>(&'a self, f: &mut dyn FnMut(&'a (dyn ApiError + Send + Sync))) {
        #[cfg(any(feature = "validator", feature = "garde"))]
        if let Some(batch) = self.batch() {
            batch.for_each_leaf(f);
        }
        for error in &self.errors {
            match error.as_errors() {
                Some(several) => several.for_each_leaf(f),
                None => f(&**error),
            }
        }
    }

    /// The first error (see [`for_each_leaf`](Self::for_each_leaf)).
    fn first(&self) -> Option<&(dyn ApiError + Send + Sync)> {
        self.iter().find_map(|error| match error.as_errors() {
            Some(several) => several.first(),
            None => Some(error),
        })
    }

    /// The response; what rendering any error that stands for this `Errors`
    /// answers.
    ///
    /// In [`Format::Problem`], one problem: its top level is the built-in
    /// error the layers answer for the status (`apierror.bad_request` for
    /// 400, `apierror.internal` for 500, …: see [`write_summary`]), not logged,
    /// and its `errors` member holds every error, each written and logged
    /// exactly as in the array.
    pub(crate) fn render(&self, config: &Config, id: Option<&RequestId>) -> http::Response<Vec<u8>> {
        // An object with a path and limits (a validation violation) is about
        // 150 bytes, a derived error's usually less: one allocation for both;
        // a problem's top level is at most about 250 more.
        let format = config.format();
        let envelope = if format == Format::Problem { 256 } else { 0 };
        let mut body = Vec::with_capacity(160 * self.len() + envelope);
        let status = self.status();
        match format {
            Format::Array => body.push(b'['),
            Format::Problem => {
                write_summary(status, config, id, &mut body);
                body.extend_from_slice(b",\"errors\":[");
            }
        }
        let shape = render::Shape::member(format);
        let mut objects = 0;
        // One response: the span records the first error's code, with the
        // response's status (feature `opentelemetry`).
        #[cfg(feature = "opentelemetry")]
        let _several = crate::otel::Several::enter(status);
        self.for_each_leaf(&mut |error| {
            if objects > 0 {
                body.push(b',');
            }
            objects += 1;
            render::object_or_fallback(error, error.entry(), config, id, shape, &mut body);
        });
        if objects == 0 {
            return render::response(&crate::builtin::Internal, config, id);
        }
        body.push(b']');
        if format == Format::Problem {
            body.push(b'}');
        }
        render::with_request_id(render::json_response(status, format, body), config, id)
    }
}

/// Writes the top level of a problem that holds several errors, up to its
/// `errors` member: the error the layers answer for a bare `status`
/// ([`Internal`] for 500, else [`BuiltinError::for_status`]), in the
/// same writer as every error object, not logged (it is no error of its
/// own; each error in `errors` is logged).
///
/// [`Internal`]: crate::builtin::Internal
/// [`BuiltinError::for_status`]: crate::builtin::BuiltinError::for_status
fn write_summary(status: http::StatusCode, config: &Config, id: Option<&RequestId>, out: &mut Vec<u8>) {
    let shape = render::Shape::Problem(status);
    if status == http::StatusCode::INTERNAL_SERVER_ERROR {
        let internal = crate::builtin::Internal;
        render::open_object_or_fallback(&internal, internal.entry(), config, id, shape, false, out);
    } else {
        let summary = crate::builtin::BuiltinError::for_status(status);
        render::open_object_or_fallback(&summary, summary.entry(), config, id, shape, false, out);
    }
}

impl fmt::Debug for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter().map(|e| e.entry().path())).finish()
    }
}

/// How many errors, then each error's `Display`, separated by `; `:
/// `2 errors: name taken; weak password` (for logs and for `Box<dyn Error>`
/// or `anyhow`; the body never carries it in production). A `Display` that
/// panics is cut short with `<Display panicked>`.
impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.len() {
            0 => return f.write_str("no errors"),
            1 => f.write_str("1 error: ")?,
            n => write!(f, "{n} errors: ")?,
        }
        for (i, error) in self.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            crate::text::write_caught(f, &error)?;
        }
        Ok(())
    }
}

/// Several errors are an error, so an `Errors` goes wherever one does:
/// `Box<dyn Error + Send + Sync>`, `anyhow::Error`, or a variant of the
/// team's own error enum, `#[error(transparent)] #[api(transparent)]
/// Invalid(#[from] Errors)`, which then renders every error it holds (see
/// [`ApiError::as_errors`]). It has no single `source`.
impl std::error::Error for Errors {}

/// What a `transparent` variant over an `Errors` delegates to: the first
/// error's facts (the empty list's: [`Internal`](crate::builtin::Internal)),
/// and itself as [`as_errors`](crate::__private::Transparent::as_errors),
/// which is what rendering uses.
impl crate::__private::Transparent for Errors {
    fn entry(&self) -> &'static Entry {
        match self.first() {
            Some(first) => first.entry(),
            None => ApiError::entry(&crate::builtin::Internal),
        }
    }

    fn status(&self) -> http::StatusCode {
        Errors::status(self)
    }

    fn field(&self) -> Option<&str> {
        self.first().and_then(|first| first.field())
    }

    fn write_public_message(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        match self.first() {
            Some(first) => first.write_public_message(out),
            None => ApiError::write_public_message(&crate::builtin::Internal, out),
        }
    }

    fn write_details(&self, details: &mut Details<'_>) {
        if let Some(first) = self.first() {
            first.write_details(details);
        }
    }

    fn as_errors(&self) -> Option<&Errors> {
        Some(self)
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
