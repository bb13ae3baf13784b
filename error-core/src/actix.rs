//! actix-web 4 integration (feature `actix-web`): every error a client can
//! see answers in the common body.
//!
//! ```
//! use actix_web::{web, App};
//! use apierror::actix::{Json, Path};
//! use apierror::ApiError;
//!
//! #[derive(Debug, thiserror::Error, ApiError)]
//! pub enum ThingError {
//!     #[error("thing {0} not found")]
//!     #[api(status = 404, code = "actix-doc-1", message = "There is no thing with this id.")]
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
//! let app = App::new()
//!     .wrap(apierror::actix::middleware())
//!     .service(web::resource("/things/{id}").route(web::get().to(get_thing)))
//!     .service(web::resource("/things").route(web::post().to(create_thing)))
//!     .default_service(web::to(apierror::actix::not_found));
//! # drop(app);
//! ```
//!
#![doc = include_str!("docs/frameworks.md")]
//! # In actix-web
//!
//! - A body over the [`PayloadConfig`](actix_web::web::PayloadConfig) limit
//!   (256 KiB by default) is 413.
//! - [`Json`] is an extractor only: return actix-web's `web::Json` or
//!   `HttpResponse::Ok().json(…)`.
//! - Every response goes through one function, [`response`], which renders
//!   with the configuration of the middleware serving the request (the
//!   installed [`config()`](crate::config()) outside any middleware).
//!
//! ## HEAD and wrong methods
//!
//! Routing is actix-web's, and the middleware runs after it has decided, so
//! the library cannot change it:
//!
//! - `web::get()` matches GET only: `HEAD` on such a route is 405
//!   `apierror.method_not_allowed` with `Allow: GET` (actix-web issue
//!   #2702). Register HEAD with the GET handler: a route guarded
//!   `guard::Any(guard::Get()).or(guard::Head())`, or `#[route("/path",
//!   method = "GET", method = "HEAD")]`; actix-http then sends the head
//!   without the body.
//! - A wrong method is 405 with `Allow` only for routes registered as
//!   `web::resource(path).route(web::get().to(…))`. `App::route`,
//!   `ServiceConfig::route`, `Scope::route` and the `#[get]`/`#[post]`/…
//!   macros put the method guard on the resource itself, so a wrong method
//!   matches no resource and reaches the default service: 404
//!   `apierror.not_found`, without `Allow` (actix-web keeps the methods it
//!   tried in a private type, which the middleware cannot read). Register
//!   each path as one `web::resource` with its methods as routes to answer
//!   405.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, EitherBody, MessageBody};
use actix_web::dev::{Payload, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::error::InternalError;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError};
use serde::de::DeserializeOwned;

use crate::builtin::{BuiltinError, Kind, Panic};
use crate::request_id::Scope;
use crate::rewrite::{self, CommonBody, Verdict};
use crate::{extract, ApiError, Config, Errors};

/// `err`'s status as actix-web's `StatusCode`.
#[must_use]
pub fn status_code<E: ApiError + ?Sized>(err: &E) -> StatusCode {
    to_actix_status(err.status())
}

fn to_actix_status(status: http::StatusCode) -> StatusCode {
    StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// `err` as an actix-web response: its status, `content-type:
/// application/json` and the common body rendered by
/// [`ApiErrorExt::to_response`](crate::ApiErrorExt::to_response), handed to actix-web as is (no
/// re-serialization).
///
/// This is what every `ResponseError` of this crate calls.
#[must_use]
pub fn response<E: ApiError + ?Sized>(err: &E) -> HttpResponse {
    finish(crate::ApiErrorExt::to_response(err))
}

/// The one place a rendered error becomes an actix-web response.
fn finish(rendered: http::Response<Vec<u8>>) -> HttpResponse {
    let (parts, body) = rendered.into_parts();
    let mut response = HttpResponse::with_body(to_actix_status(parts.status), body);
    let headers = response.headers_mut();
    for (name, value) in &parts.headers {
        // Same bytes, the other `http` version's types: always valid.
        if let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(name.as_str().as_bytes()), HeaderValue::from_bytes(value.as_bytes()))
        {
            headers.append(name, value);
        }
    }
    response.extensions_mut().insert(CommonBody);
    response.map_into_boxed_body()
}

impl ResponseError for Errors {
    fn status_code(&self) -> StatusCode {
        to_actix_status(self.status())
    }

    fn error_response(&self) -> HttpResponse {
        finish(self.to_response())
    }
}

/// The status and message of an actix-web error, as a built-in error.
fn from_actix_error(error: &actix_web::Error) -> BuiltinError {
    let status = http::StatusCode::from_u16(error.as_response_error().status_code().as_u16())
        .unwrap_or(http::StatusCode::BAD_REQUEST);
    BuiltinError::for_status(status).with_source(error.to_string())
}

/// JSON body extractor: as [`actix_web::web::Json`], but its errors answer
/// in the common body.
///
/// Requires `Content-Type: application/json` (or `application/*+json`)
/// else 415 `apierror.unsupported_media_type`; a body over the
/// [`PayloadConfig`](actix_web::web::PayloadConfig) limit is 413
/// `apierror.payload_too_large`; a body that does not parse is 400
/// `apierror.invalid_json`; a missing field, a wrong type or an invalid
/// value is 400 `apierror.missing_field`, `apierror.invalid_type` or
/// `apierror.invalid_value` with `field` set to the path of the field
/// (`name`, `owner.id`, `items[0].price`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = BuiltinError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, BuiltinError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let declared_json = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .is_some_and(|value| extract::is_json_content_type(value.as_bytes()));
        if !declared_json {
            return Box::pin(ready(Err(BuiltinError::new(Kind::UnsupportedMediaType))));
        }
        let body = actix_web::web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = body.await.map_err(|error| from_actix_error(&error))?;
            extract::json(&body).map(Self)
        })
    }
}

/// Path parameters extractor: as [`actix_web::web::Path`], but its errors
/// answer in the common body.
///
/// A parameter that does not parse (e.g. `/things/abc` for a numeric id) is
/// 400 `apierror.invalid_path` with `field` set to the parameter's name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Path<T> {
    type Error = BuiltinError;
    type Future = Ready<Result<Self, BuiltinError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let params = req.match_info();
        let deserializer = actix_router::PathDeserializer::new(params);
        ready(serde_path_to_error::deserialize(deserializer).map(Self).map_err(|error| {
            use serde_path_to_error::Segment;
            let names: Vec<&str> = params.iter().map(|(name, _)| name).collect();
            let field = match error.path().iter().next() {
                Some(Segment::Map { key }) => Some(key.clone()),
                Some(Segment::Seq { index }) => names.get(*index).map(|name| (*name).to_owned()),
                _ if names.len() == 1 => Some(names[0].to_owned()),
                _ => None,
            };
            let error = error.into_inner();
            // The route and the `Path<T>` disagree: the application's mistake.
            let kind = if error.to_string().starts_with("wrong number of parameters") {
                Kind::ServerError
            } else {
                Kind::InvalidPath
            };
            let error = BuiltinError::new(kind).with_source(error);
            match field {
                Some(field) if kind == Kind::InvalidPath => error.with_field(field),
                _ => error,
            }
        }))
    }
}

/// Query string extractor: as [`actix_web::web::Query`], but its errors
/// answer in the common body.
///
/// A missing parameter is 400 `apierror.missing_field`; one that does not
/// parse is 400 `apierror.invalid_query`; both with `field` set to the
/// parameter's name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = BuiltinError;
    type Future = Ready<Result<Self, BuiltinError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(extract::query(req.query_string()).map(Self))
    }
}

crate::extract::newtype_impls!(Json, Path, Query);

#[cfg(any(feature = "validator", feature = "garde"))]
pub use crate::validation::Valid;

/// `Valid<Json<T>>`: [`Json`], then validation (see [`Valid`]).
#[cfg(any(feature = "validator", feature = "garde"))]
impl<T, V> FromRequest for Valid<Json<T>, V>
where
    T: DeserializeOwned + 'static,
    V: crate::validation::Check<T>,
{
    type Error = Errors;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Errors>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = Json::<T>::from_request(req, payload);
        Box::pin(async move { crate::validation::validated(json.await?) })
    }
}

/// `Valid<Path<T>>` and `Valid<Query<T>>`: the extractor, then validation
/// (see [`Valid`]).
#[cfg(any(feature = "validator", feature = "garde"))]
macro_rules! valid_sync {
    ($($extractor:ident),*) => {$(
        impl<T, V> FromRequest for Valid<$extractor<T>, V>
        where
            T: DeserializeOwned,
            V: crate::validation::Check<T>,
        {
            type Error = Errors;
            type Future = Ready<Result<Self, Errors>>;

            fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
                let extracted = match $extractor::<T>::from_request(req, payload).into_inner() {
                    Ok(extracted) => extracted,
                    Err(error) => return ready(Err(error.into())),
                };
                ready(crate::validation::validated(extracted))
            }
        }
    )*};
}

#[cfg(any(feature = "validator", feature = "garde"))]
valid_sync!(Path, Query);

/// The handler for [`App::default_service`](actix_web::App::default_service):
/// 404 `apierror.not_found` in the common body.
///
/// ```
/// let app = actix_web::App::new().default_service(actix_web::web::to(apierror::actix::not_found));
/// # drop(app);
/// ```
pub async fn not_found() -> HttpResponse {
    response(&Kind::NotFound)
}

/// The middleware that keeps every error response in the common body; see
/// the [module documentation](self). Its requests render with the
/// installed default configuration ([`configure`](crate::configure),
/// else [`Config::from_env`]); [`middleware_with`] takes one.
///
/// Wrap the whole `App` with it (`App::new().wrap(apierror::actix::middleware())`)
/// so that it sees every resource's responses, including their 405s and
/// the default service.
#[must_use]
pub fn middleware() -> ApiErrorMiddleware {
    ApiErrorMiddleware { config: None }
}

/// [`middleware()`], rendering the requests it serves with `config`
/// instead of the installed default: inside them, derived errors' and
/// [`Errors`]' `ResponseError`, the extractors' rejections, [`not_found`],
/// the [`Valid`] extractors, the rewrite, the
/// request-id header, the upstream helpers and the log all use it. The
/// policy travels with the middleware, so two apps in one process can
/// answer in two formats; cloning it shares the configuration.
///
/// ```
/// use actix_web::{web, App};
/// use apierror::{Config, Format};
///
/// let app = App::new()
///     .wrap(apierror::actix::middleware_with(Config::production().with_format(Format::Problem)))
///     .default_service(web::to(apierror::actix::not_found));
/// # drop(app);
/// ```
#[must_use]
pub fn middleware_with(config: Config) -> ApiErrorMiddleware {
    ApiErrorMiddleware { config: Some(Arc::new(config)) }
}

/// The middleware returned by [`middleware()`] and [`middleware_with`].
#[derive(Clone, Debug, Default)]
pub struct ApiErrorMiddleware {
    // `None`: the installed default, read per request.
    config: Option<Arc<Config>>,
}

impl<S, B> Transform<S, ServiceRequest> for ApiErrorMiddleware
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Transform = ApiErrorService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(ApiErrorService { inner: Rc::new(service), config: self.config.clone() }))
    }
}

/// The service made by [`ApiErrorMiddleware`]: catches panics and rewrites
/// error responses that are not in the common body.
#[derive(Debug)]
pub struct ApiErrorService<S> {
    inner: Rc<S>,
    config: Option<Arc<Config>>,
}

impl<S, B> Service<ServiceRequest> for ApiErrorService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>>>>;

    fn poll_ready(&self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let mut scope = Scope::of_request(self.config.clone(), |name| {
            // The same bytes, the other `http` version's type.
            let value = req.headers().get(&header_name(name)?)?;
            http::HeaderValue::from_bytes(value.as_bytes()).ok()
        });
        // The client's id as actix-web's type (a reference count): the
        // response's header when it is the request's id, without a copy.
        let incoming = header_name(scope.config().request_id_header())
            .and_then(|name| req.headers().get(&name).cloned());
        let future = match scope.enter(|| crate::hook::catch(|| self.inner.call(req))) {
            Ok(future) => future,
            Err(caught) => return Box::pin(ready(Err(panicked(caught, &mut scope, incoming.as_ref())))),
        };
        Box::pin(async move {
            let mut future = std::pin::pin!(future);
            // The scope is current while the inner future is polled, so that
            // errors rendered there use the request's id and configuration.
            let polled = std::future::poll_fn(|cx| {
                scope.enter(|| match crate::hook::catch(|| future.as_mut().poll(cx)) {
                    Ok(poll) => poll.map(Ok),
                    Err(caught) => Poll::Ready(Err(caught)),
                })
            })
            .await;
            match polled {
                Ok(Ok(res)) => Ok(rewrite(res, &mut scope, incoming.as_ref()).await),
                Ok(Err(error)) => Err(rewrite_error(error, &mut scope, incoming.as_ref()).await),
                Err(caught) => Err(panicked(caught, &mut scope, incoming.as_ref())),
            }
        })
    }
}

/// A panic, answered by actix-web as [`Internal`](crate::builtin::Internal)
/// in the common body (the request went down with the handler, so the
/// answer is an error that actix-web turns into the response).
fn panicked(
    caught: crate::hook::Caught,
    scope: &mut Scope,
    incoming: Option<&HeaderValue>,
) -> actix_web::Error {
    let panic = Panic::caught(caught);
    let response = with_id(scope.enter(|| response(&panic)), scope, incoming);
    InternalError::from_response(panic.to_string(), response).into()
}

/// An error from the inner service, answered with the response it renders
/// (rendered, and so logged, here and only here: actix-web takes the stored
/// response instead of calling `error_response` again), replaced by one in
/// the common body if it is not.
async fn rewrite_error(
    error: actix_web::Error,
    scope: &mut Scope,
    incoming: Option<&HeaderValue>,
) -> actix_web::Error {
    // A panic here (a hand-written `error_response`, the debug check of an
    // unregistered entry) is answered as a handler's panic.
    let rendered = match scope.enter(|| crate::hook::catch(|| error.error_response())) {
        Ok(rendered) => rendered,
        Err(caught) => return panicked(caught, scope, incoming),
    };
    let response = apply(rendered, scope).await.map_into_boxed_body();
    InternalError::from_response(error.to_string(), with_id(response, scope, incoming)).into()
}

/// `res` with the request's id in its header if the configuration wants it
/// there ([`rewrite::id_header`]: an error response always; one rendered in
/// the request's scope has it already, this also covers one rendered
/// elsewhere). `incoming` is the request's own header value, shared
/// instead of copied when it is the id: a success pays only the insertion.
fn with_id<B>(mut res: HttpResponse<B>, scope: &Scope, incoming: Option<&HeaderValue>) -> HttpResponse<B> {
    if let Some((name, value)) = rewrite::id_header(res.status().as_u16(), scope) {
        // The same bytes, the other `http` version's types.
        let value = match incoming {
            Some(incoming) if incoming.as_bytes() == value.as_bytes() => Ok(incoming.clone()),
            _ => HeaderValue::from_bytes(value.as_bytes()),
        };
        if let (Some(name), Ok(value)) = (header_name(name), value) {
            res.headers_mut().insert(name, value);
        }
    }
    res
}

/// `name` as actix-web's type: the library's own names without a copy (a
/// `&str` lookup or a conversion copies a name that is not one of `http`'s
/// standard ones).
fn header_name(name: &http::HeaderName) -> Option<HeaderName> {
    const REQUEST_ID: HeaderName = HeaderName::from_static(crate::config::DEFAULT_REQUEST_ID_HEADER);
    const TRACEPARENT: HeaderName = HeaderName::from_static("traceparent");
    const TRACESTATE: HeaderName = HeaderName::from_static("tracestate");
    match name.as_str() {
        name if name == REQUEST_ID.as_str() => Some(REQUEST_ID),
        name if name == TRACEPARENT.as_str() => Some(TRACEPARENT),
        name if name == TRACESTATE.as_str() => Some(TRACESTATE),
        name => HeaderName::from_bytes(name.as_bytes()).ok(),
    }
}

/// `res` with the [rewrite policy](crate::rewrite) applied, and the
/// request's id.
async fn rewrite<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
    scope: &mut Scope,
    incoming: Option<&HeaderValue>,
) -> ServiceResponse<EitherBody<B>> {
    let (request, response) = res.into_parts();
    let response = apply(response, scope).await;
    ServiceResponse::new(request, with_id(response, scope, incoming))
}

/// `response` as it is, or the answer the [rewrite policy](crate::rewrite)
/// gives for it (reading its body first if the policy asks).
async fn apply<B: MessageBody + 'static>(
    response: HttpResponse<B>,
    scope: &mut Scope,
) -> HttpResponse<EitherBody<B>> {
    if rewrite::passes(response.status().as_u16(), response.extensions().get::<CommonBody>().is_some()) {
        return response.map_into_left_body();
    }
    let headers = response.headers();
    let head = rewrite::Head {
        content_encoding: headers.get(actix_web::http::header::CONTENT_ENCODING).map(HeaderValue::as_bytes),
        body_len: match response.body().size() {
            BodySize::None => Some(0),
            BodySize::Sized(len) => Some(len),
            BodySize::Stream => None,
        },
    };
    match rewrite::verdict(&head) {
        Verdict::Replace => scope.enter(|| replace(&response, None)).map_into_right_body(),
        Verdict::Inspect => {
            let (head, body) = response.into_parts();
            let read = actix_web::body::to_bytes_limited(body, rewrite::INSPECT_LIMIT).await;
            let Ok(Ok(body)) = read else {
                return scope.enter(|| replace(&head, None)).map_into_right_body();
            };
            let json = rewrite::is_json(
                head.headers().get(actix_web::http::header::CONTENT_TYPE).map(HeaderValue::as_bytes),
            );
            match rewrite::check(&body, json, scope.config()) {
                Ok(()) => {
                    let mut kept = head.set_body(body).map_into_boxed_body();
                    kept.extensions_mut().insert(CommonBody);
                    kept.map_into_right_body()
                }
                Err(reason) => {
                    scope.enter(|| replace(&head, rewrite::Foreign::new(reason, &body))).map_into_right_body()
                }
            }
        }
    }
}

/// The [replacement](rewrite::replacement) of `original`: its status and
/// the headers the policy keeps; caused by the `foreign` body it replaces,
/// if read. Called in the request's scope.
fn replace<B>(original: &HttpResponse<B>, foreign: Option<rewrite::Foreign>) -> HttpResponse {
    let answered = http::StatusCode::from_u16(original.status().as_u16())
        .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    // The same bytes, the other `http` version's types.
    let mut headers = http::HeaderMap::with_capacity(original.headers().len());
    for (name, value) in original.headers() {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_str().as_bytes()),
            http::HeaderValue::from_bytes(value.as_bytes()),
        ) {
            headers.append(name, value);
        }
    }
    finish(rewrite::replacement(answered, foreign, &headers))
}

/// What the derive's expansion names. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use super::{response, status_code};
    pub use actix_web::http::StatusCode;
    pub use actix_web::{HttpResponse, ResponseError};
}
