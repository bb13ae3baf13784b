//! axum 0.8 integration (feature `axum`): every error a client can see
//! answers in the common body.
//!
//! ```
//! use apierror::axum::{Json, Path};
//! use apierror::ApiError;
//! use axum::routing::{get, post};
//! use axum::Router;
//!
//! #[derive(Debug, thiserror::Error, ApiError)]
//! pub enum ThingError {
//!     #[error("thing {0} not found")]
//!     #[api(status = 404, code = "axum-doc-1", message = "There is no thing with this id.")]
//!     NotFound(u64),
//! }
//!
//! #[derive(serde::Deserialize)]
//! struct NewThing {
//!     name: String,
//! }
//!
//! async fn get_thing(Path(id): Path<u64>) -> Result<String, ThingError> {
//!     Err(ThingError::NotFound(id))
//! }
//!
//! async fn create_thing(Json(thing): Json<NewThing>) -> Result<String, ThingError> {
//!     Ok(thing.name)
//! }
//!
//! let app: Router = Router::new()
//!     .route("/things/{id}", get(get_thing))
//!     .route("/things", post(create_thing))
//!     .fallback(apierror::axum::not_found)
//!     .layer(apierror::axum::layer());
//! ```
//!
#![doc = include_str!("docs/frameworks.md")]
//! # In axum
//!
//! - A body over [`DefaultBodyLimit`](::axum::extract::DefaultBodyLimit)
//!   (2 MB by default) is 413.
//! - [`Json`] is a response too: a handler may return it
//!   (`Result<Json<Thing>, ThingError>`); it serializes like axum's, with
//!   `content-type: application/json` (a value that fails to serialize
//!   answers 500 `apierror.server_error` in the common body).
//! - axum answers `HEAD` on a GET route with the GET handler, and a wrong
//!   method with 405 and `Allow`, which the layer keeps.
//! - Every response goes through one function, [`response`], which renders
//!   with the configuration of the layer serving the request (the
//!   installed [`config()`](crate::config()) outside any layer).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use ::axum::body::{Body, Bytes, HttpBody};
use ::axum::extract::rejection::PathRejection;
use ::axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use ::axum::response::{IntoResponse, Response};
use ::axum::BoxError;
use http::request::Parts;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::builtin::{BuiltinError, Kind, Panic};
use crate::request_id::Scope;
use crate::rewrite::{self, CommonBody, Verdict};
use crate::{extract, ApiError, Config, Errors};

/// `err` as an axum response: its status, `content-type:
/// application/json` and the common body rendered by
/// [`ApiErrorExt::to_response`](crate::ApiErrorExt::to_response), handed to axum as is (no re-serialization).
///
/// This is what every `IntoResponse` of this crate calls.
pub fn response<E: ApiError + ?Sized>(err: &E) -> Response {
    finish(crate::ApiErrorExt::to_response(err))
}

/// The one place a rendered error becomes an axum response.
fn finish(rendered: http::Response<Vec<u8>>) -> Response {
    let mut response = rendered.map(Body::from);
    response.extensions_mut().insert(CommonBody);
    response
}

impl IntoResponse for Errors {
    fn into_response(self) -> Response {
        finish(self.to_response())
    }
}

/// JSON extractor and response: as axum's [`Json`](https://docs.rs/axum/0.8/axum/struct.Json.html), but its
/// rejections answer in the common body.
///
/// Requires `Content-Type: application/json` (or `application/*+json`)
/// else 415 `apierror.unsupported_media_type`; a body over the
/// [`DefaultBodyLimit`](::axum::extract::DefaultBodyLimit) is 413
/// `apierror.payload_too_large`; a body that does not parse is 400
/// `apierror.invalid_json`; a missing field, a wrong type or an invalid
/// value is 400 `apierror.missing_field`, `apierror.invalid_type` or
/// `apierror.invalid_value` with `field` set to the path of the field
/// (`name`, `owner.id`, `items[0].price`).
///
/// As a response, `Json(value)` serializes `value` with
/// `content-type: application/json`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[must_use]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = BuiltinError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let declared_json = req
            .headers()
            .get(http::header::CONTENT_TYPE)
            .is_some_and(|value| extract::is_json_content_type(value.as_bytes()));
        if !declared_json {
            return Err(BuiltinError::new(Kind::UnsupportedMediaType));
        }
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|rejection| BuiltinError::for_status(rejection.status()).with_source(rejection))?;
        extract::json(&body).map(Self)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(body) => {
                ([(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"))], body)
                    .into_response()
            }
            Err(error) => response(&BuiltinError::new(Kind::ServerError).with_source(error)),
        }
    }
}

/// Path parameters extractor: as [`axum::extract::Path`], but its rejections
/// answer in the common body.
///
/// A parameter that does not parse (e.g. `/things/abc` for a numeric id) is
/// 400 `apierror.invalid_path` with `field` set to the parameter's name.
/// A `Path<T>` that does not fit the route (wrong number of parameters) is
/// the application's mistake: 500.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = BuiltinError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match ::axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(::axum::extract::Path(value)) => Ok(Self(value)),
            Err(rejection) => {
                let names = RawPathParams::from_request_parts(parts, state).await.ok();
                Err(path_error(rejection, names.as_ref()))
            }
        }
    }
}

/// The built-in error for a rejected path, naming the parameter where axum
/// or the route (`names`) does.
fn path_error(rejection: PathRejection, names: Option<&RawPathParams>) -> BuiltinError {
    use ::axum::extract::path::ErrorKind;
    let name =
        |index: usize| names.and_then(|names| names.iter().nth(index)).map(|(name, _)| name.to_owned());
    let only = || names.filter(|names| names.iter().count() == 1).and_then(|_| name(0));
    let (kind, field) = match &rejection {
        PathRejection::FailedToDeserializePathParams(error) => match error.kind() {
            ErrorKind::ParseErrorAtKey { key, .. }
            | ErrorKind::InvalidUtf8InPathParam { key }
            | ErrorKind::DeserializeError { key, .. } => (Kind::InvalidPath, Some(key.clone())),
            ErrorKind::ParseErrorAtIndex { index, .. } => (Kind::InvalidPath, name(*index)),
            ErrorKind::ParseError { .. } | ErrorKind::Message(_) => (Kind::InvalidPath, only()),
            ErrorKind::WrongNumberOfParameters { .. } | ErrorKind::UnsupportedType { .. } => {
                (Kind::ServerError, None)
            }
            _ => (Kind::InvalidPath, None),
        },
        _ => (Kind::ServerError, None),
    };
    let error = BuiltinError::new(kind).with_source(rejection);
    match field {
        Some(field) => error.with_field(field),
        None => error,
    }
}

/// Query string extractor: as axum's [`Query`](https://docs.rs/axum/0.8/axum/extract/struct.Query.html), but its rejections
/// answer in the common body.
///
/// A missing parameter is 400 `apierror.missing_field`; one that does not
/// parse is 400 `apierror.invalid_query`; both with `field` set to the
/// parameter's name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = BuiltinError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        extract::query(parts.uri.query().unwrap_or_default()).map(Self)
    }
}

crate::extract::newtype_impls!(Json, Path, Query);

#[cfg(any(feature = "validator", feature = "garde"))]
pub use crate::validation::Valid;

/// `Valid<Json<T>>`: [`Json`], then validation (see [`Valid`]).
#[cfg(any(feature = "validator", feature = "garde"))]
impl<T, S, V> FromRequest<S> for Valid<Json<T>, V>
where
    T: DeserializeOwned,
    S: Send + Sync,
    V: crate::validation::Check<T>,
{
    type Rejection = Errors;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        crate::validation::validated(Json::<T>::from_request(req, state).await?)
    }
}

/// `Valid<Path<T>>` and `Valid<Query<T>>`: the extractor, then validation
/// (see [`Valid`]).
#[cfg(any(feature = "validator", feature = "garde"))]
macro_rules! valid_parts {
    ($($extractor:ident),*) => {$(
        impl<T, S, V> FromRequestParts<S> for Valid<$extractor<T>, V>
        where
            T: DeserializeOwned + Send,
            S: Send + Sync,
            V: crate::validation::Check<T>,
        {
            type Rejection = Errors;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
                crate::validation::validated($extractor::<T>::from_request_parts(parts, state).await?)
            }
        }
    )*};
}

#[cfg(any(feature = "validator", feature = "garde"))]
valid_parts!(Path, Query);

/// The handler for [`Router::fallback`](::axum::Router::fallback): 404
/// `apierror.not_found` in the common body.
///
/// ```
/// let app: axum::Router = axum::Router::new().fallback(apierror::axum::not_found);
/// ```
pub async fn not_found() -> Response {
    response(&Kind::NotFound)
}

/// The tower layer that keeps every error response in the common body; see
/// the [module documentation](self). Its requests render with the
/// installed default configuration ([`configure`](crate::configure),
/// else [`Config::from_env`]); [`layer_with`] takes one.
///
/// Add it last (outermost) so that it sees the responses of every other
/// layer and of the router's fallbacks:
///
/// ```
/// let app: axum::Router = axum::Router::new()
///     .route("/", axum::routing::get(|| async { "hello" }))
///     .fallback(apierror::axum::not_found)
///     .layer(apierror::axum::layer());
/// ```
#[must_use]
pub fn layer() -> ApiErrorLayer {
    ApiErrorLayer { config: None }
}

/// [`layer()`], rendering the requests it serves with `config` instead of
/// the installed default: inside them, derived errors' and [`Errors`]'
/// `IntoResponse`, the extractors' rejections, [`not_found`], the
/// [`Valid`] extractors, the rewrite, the
/// request-id header, the upstream helpers and the log all use it. The
/// policy travels with the layer (as tower-http's layers hold theirs), so
/// two routers in one process can answer in two formats; cloning the layer
/// or its service shares the configuration.
///
/// ```
/// use apierror::{Config, Format};
///
/// let problems: axum::Router = axum::Router::new()
///     .fallback(apierror::axum::not_found)
///     .layer(apierror::axum::layer_with(Config::production().with_format(Format::Problem)));
/// let arrays: axum::Router = axum::Router::new()
///     .fallback(apierror::axum::not_found)
///     .layer(apierror::axum::layer_with(Config::production()));
/// # drop((problems, arrays));
/// ```
#[must_use]
pub fn layer_with(config: Config) -> ApiErrorLayer {
    ApiErrorLayer { config: Some(Arc::new(config)) }
}

/// The layer returned by [`layer()`] and [`layer_with`].
#[derive(Clone, Debug, Default)]
pub struct ApiErrorLayer {
    // `None`: the installed default, read per request.
    config: Option<Arc<Config>>,
}

impl<S> tower_layer::Layer<S> for ApiErrorLayer {
    type Service = ApiErrorService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ApiErrorService { inner, config: self.config.clone() }
    }
}

/// The service made by [`ApiErrorLayer`]: catches panics and rewrites
/// error responses that are not in the common body.
#[derive(Clone, Debug)]
pub struct ApiErrorService<S> {
    inner: S,
    config: Option<Arc<Config>>,
}

impl<S, ReqBody, ResBody> tower_service::Service<http::Request<ReqBody>> for ApiErrorService<S>
where
    S: tower_service::Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
    ResBody: HttpBody<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<ReqBody>) -> Self::Future {
        let mut scope = Scope::of_request(self.config.clone(), |name| req.headers().get(name).cloned());
        match scope.enter(|| crate::hook::catch(|| self.inner.call(req))) {
            Ok(future) => ResponseFuture { scope, state: State::Running { future } },
            Err(caught) => {
                ResponseFuture { scope, state: State::Panicked { panic: Some(Panic::caught(caught)) } }
            }
        }
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`ApiErrorService`].
    pub struct ResponseFuture<F> {
        // The request's id and its layer's configuration, current while
        // the inner future is polled, so that errors rendered there use
        // them.
        scope: Scope,
        #[pin]
        state: State<F>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F> {
        Running { #[pin] future: F },
        Panicked { panic: Option<Panic> },
        // An unmarked error response with a small body, being read to see
        // whether it is a common body the layer keeps, else for the log of
        // its replacement (see `crate::rewrite`).
        Reading { parts: Option<http::response::Parts>, body: Body, read: Vec<u8> },
    }
}

impl<F, B, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<http::Response<B>, E>>,
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let scope: &mut Scope = this.scope;
        loop {
            let step = match this.state.as_mut().project() {
                StateProj::Running { future } => {
                    match scope.enter(|| crate::hook::catch(|| future.poll(cx))) {
                        Ok(Poll::Pending) => return Poll::Pending,
                        Ok(Poll::Ready(Err(error))) => return Poll::Ready(Err(error)),
                        Ok(Poll::Ready(Ok(res))) => scope.enter(|| first_step(res)),
                        Err(caught) => Step::Done(scope.enter(|| response(&Panic::caught(caught)))),
                    }
                }
                StateProj::Panicked { panic } => {
                    let panic = panic.take().unwrap_or_else(|| Panic::from_payload(&()));
                    Step::Done(scope.enter(|| response(&panic)))
                }
                StateProj::Reading { parts, body, read } => {
                    match scope.enter(|| crate::hook::catch(|| read_body(body, read, cx))) {
                        Ok(Poll::Pending) => return Poll::Pending,
                        Ok(Poll::Ready(whole)) => {
                            let parts = parts.take().expect("polled after completion");
                            Step::Done(scope.enter(|| inspected(parts, whole.then_some(read))))
                        }
                        Err(caught) => Step::Done(scope.enter(|| response(&Panic::caught(caught)))),
                    }
                }
            };
            match step {
                Step::Done(res) => return Poll::Ready(Ok(with_id(res, scope))),
                Step::Read(parts, body) => {
                    this.state.set(State::Reading { parts: Some(parts), body, read: Vec::new() });
                }
            }
        }
    }
}

/// What happens to a response from the inner service.
enum Step {
    /// This is the answer.
    Done(Response),
    /// Read this body before deciding.
    Read(http::response::Parts, Body),
}

/// Applies the [rewrite policy](crate::rewrite) to `res`, as far as it can
/// without reading the body.
fn first_step<B>(res: http::Response<B>) -> Step
where
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    if rewrite::passes(res.status().as_u16(), res.extensions().get::<CommonBody>().is_some()) {
        return Step::Done(res.map(Body::new));
    }
    let headers = res.headers();
    let head = rewrite::Head {
        content_encoding: headers.get(http::header::CONTENT_ENCODING).map(http::HeaderValue::as_bytes),
        body_len: res.body().size_hint().upper(),
    };
    match rewrite::verdict(&head) {
        Verdict::Replace => Step::Done(replace(res.into_parts().0, None)),
        Verdict::Inspect => {
            let (parts, body) = res.into_parts();
            Step::Read(parts, Body::new(body))
        }
    }
}

/// Reads `body` into `read`: ready with `true` once it is read whole, with
/// `false` as soon as it is over the limit, fails or has trailers.
fn read_body(body: &mut Body, read: &mut Vec<u8>, cx: &mut Context<'_>) -> Poll<bool> {
    loop {
        match Pin::new(&mut *body).poll_frame(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => return Poll::Ready(true),
            Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                Ok(data) if read.len() + data.len() <= rewrite::INSPECT_LIMIT => {
                    read.extend_from_slice(&data)
                }
                _ => return Poll::Ready(false),
            },
            Poll::Ready(Some(Err(_))) => return Poll::Ready(false),
        }
    }
}

/// The answer for an error response whose body was read: as it was if the
/// layer trusts it ([`rewrite::check`]), else replaced, the body it
/// replaces logged with the replacement. Called in the request's scope.
fn inspected(parts: http::response::Parts, body: Option<&mut Vec<u8>>) -> Response {
    let Some(body) = body else { return replace(parts, None) };
    let json =
        rewrite::is_json(parts.headers.get(http::header::CONTENT_TYPE).map(http::HeaderValue::as_bytes));
    match crate::request_id::with_current(|config, _| rewrite::check(body, json, config)) {
        Ok(()) => {
            let mut res = Response::from_parts(parts, Body::from(std::mem::take(body)));
            res.extensions_mut().insert(CommonBody);
            res
        }
        Err(reason) => replace(parts, rewrite::Foreign::new(reason, body)),
    }
}

/// `res` with the request's id in its header if the configuration wants it
/// there ([`rewrite::id_header`]: an error response always; one rendered in
/// the request's scope has it already, this also covers one rendered
/// elsewhere, e.g. in a spawned task).
fn with_id(mut res: Response, scope: &Scope) -> Response {
    if let Some((name, value)) = rewrite::id_header(res.status().as_u16(), scope) {
        res.headers_mut().insert(name.clone(), value.clone());
    }
    res
}

/// The [replacement](rewrite::replacement) of the error response whose
/// head is `parts`: its status, version, extensions and the headers the
/// policy keeps; caused by the `foreign` body it replaces, if read.
fn replace(parts: http::response::Parts, foreign: Option<rewrite::Foreign>) -> Response {
    let mut rewritten = finish(rewrite::replacement(parts.status, foreign, &parts.headers));
    *rewritten.version_mut() = parts.version;
    let mut extensions = parts.extensions;
    extensions.insert(CommonBody);
    *rewritten.extensions_mut() = extensions;
    rewritten
}

/// What the derive's expansion names. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use super::response;
    pub use ::axum::response::{IntoResponse, Response};
}
