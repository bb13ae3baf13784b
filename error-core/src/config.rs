//! Where errors are rendered for: production (the default) or development.

use std::sync::OnceLock;

use crate::LogLevel;

/// The environment a [`Config`] renders for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Environment {
    /// Bodies carry only the production message: nothing from `Display`,
    /// `Debug` or the source chain. The default, so a missing or mistyped
    /// setting never leaks.
    #[default]
    Production,
    /// Bodies also carry a `debug` member with the error's type, `Display`
    /// and source chain.
    Development,
}

impl Environment {
    /// Reads an `APP_ENV`-style value: `development` or `dev` (any case,
    /// surrounding whitespace ignored) is [`Environment::Development`];
    /// anything else, or `None`, is [`Environment::Production`].
    ///
    /// ```
    /// use apierror::Environment;
    /// assert_eq!(Environment::parse(Some("dev")), Environment::Development);
    /// assert_eq!(Environment::parse(Some("develop")), Environment::Production);
    /// assert_eq!(Environment::parse(None), Environment::Production);
    /// ```
    #[must_use]
    pub fn parse(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            Some(v) if v.eq_ignore_ascii_case("development") || v.eq_ignore_ascii_case("dev") => {
                Self::Development
            }
            _ => Self::Production,
        }
    }
}

/// The body format of error responses.
///
/// Both formats are written from the same entries by the same code path
/// (one writer, whose envelope and member names differ): the message,
/// code, field, details, `debug`, the `Retry-After` and request id headers,
/// the logging (one event per error) and the guarantees (never half a
/// body; a `Display` that panics yields the generic message) are the same.
///
/// The framework integrations follow the configured format everywhere:
/// derived errors, [`Errors`](crate::Errors), the extractors' rejections,
/// `not_found`, and the layer, which rewrites every error response that is
/// not in the configured format (a body in the *other* format included, so
/// clients see one format) and lets one that is pass untouched.
///
/// # No negotiation on `Accept`
///
/// The configured format is answered whatever the request's `Accept` says:
/// never a 406, never an empty body. A problem is JSON, so a client asking
/// for `application/json` can read it; RFC 9110 §12.5.1 lets a server
/// disregard `Accept` rather than answer 406, and Spring, once problem
/// details are on, answers `application/problem+json` to `application/json`
/// and `*/*` alike. Choosing per request would let one API answer two
/// shapes, which is what the common body exists to prevent.
///
/// ```
/// use apierror::{ApiError, ApiErrorExt, Config, Format, RequestId};
///
/// #[derive(Debug, thiserror::Error, ApiError)]
/// #[api(docs = "https://docs.example.com/errors/{code}")]
/// pub enum OrderError {
///     #[error("quantity {given} over {max}")]
///     #[api(status = 422, code = "format-doc-1", field = "quantity", message = "Quantity {given} is not allowed.")]
///     Quantity { given: u32, #[api(details)] max: u32 },
/// }
///
/// let config = Config::production().with_format(Format::Problem);
/// let id = RequestId::parse("req-1").unwrap();
/// let response = OrderError::Quantity { given: 12, max: 10 }.to_response_with_id(&config, &id);
/// assert_eq!(response.headers()["content-type"], "application/problem+json");
/// assert_eq!(
///     std::str::from_utf8(response.body()).unwrap(),
///     concat!(
///         r#"{"type":"https://docs.example.com/errors/format-doc-1","title":"Unprocessable Entity","#,
///         r#""status":422,"detail":"Quantity 12 is not allowed.","instance":"urn:request:req-1","#,
///         r#""error_code":"format-doc-1","field":"quantity","details":{"max":10}}"#,
///     ),
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Format {
    /// The common body: a JSON array of error objects
    /// `{"message","error_code","field","details"}`, `application/json`.
    /// The default.
    #[default]
    Array,
    /// RFC 9457 problem details, `application/problem+json`, one problem
    /// object:
    ///
    /// - `type`: the entry's `docs` URL, else `about:blank`;
    /// - `title`: the status's reason phrase (`Unprocessable Entity`;
    ///   `Client Error` / `Server Error` for a status without one);
    /// - `status`: the status answered;
    /// - `detail`: the production message, exactly the array's `message`;
    /// - `instance`: `urn:request:<id>` when the response has a
    ///   [`RequestId`](crate::RequestId) (the same id as the header); absent
    ///   otherwise. A URN, since RFC 9457 asks for a URI reference and a
    ///   raw id such as `a:b` would read as a URI of scheme `a`; it names
    ///   the occurrence and is not meant to be dereferenced;
    /// - the extension members `error_code`, `field` and `details`, as in
    ///   the array, and in development `debug`.
    ///
    /// Several errors ([`Errors`](crate::Errors)) are one problem: its top
    /// level is the built-in error the layers answer for the shared status
    /// (`apierror.bad_request` for 400, `apierror.internal` for 500,
    /// `apierror.client_error` for another 4xx, …; `type` `about:blank`,
    /// `detail` the status's generic sentence, no `debug`), plus an
    /// `errors` array of `{"detail","error_code","field","details"}` (and
    /// `debug` in development), one per error, in order.
    Problem,
}

/// How errors are rendered, and everything else the library decides:
/// environment, format, log levels, the request-id header, the
/// validation options, what of a database's or an upstream's failure is
/// logged, the upstream body limit. Nothing else is process-wide.
///
/// Build one at start-up and give it to the framework integration,
/// [`axum::layer_with`](crate::axum::layer_with) or
/// [`actix::middleware_with`](crate::actix::middleware_with): inside the
/// requests it serves, everything that renders or converts (derived
/// errors' `IntoResponse`/`ResponseError`, [`Errors`](crate::Errors), the
/// extractors' rejections, `not_found`, the `Valid<…>` extractors, the
/// upstream helpers, the log) uses it, so two routers in one process can
/// answer in two formats. [`configure`] installs the default used outside
/// any such request (and by [`axum::layer`](crate::axum::layer()) and
/// [`actix::middleware`](crate::actix::middleware())), and
/// [`ApiErrorExt::to_response_with`](crate::ApiErrorExt::to_response_with)
/// takes one explicitly.
///
/// ```
/// use apierror::{Config, Environment};
/// assert_eq!(Config::production().environment(), Environment::Production);
/// assert!(Config::development().is_development());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    environment: Environment,
    request_id_header: http::HeaderName,
    request_id_in_details: bool,
    /// The correlation switches (see `crate::correlation`).
    pub(crate) correlation: crate::correlation::Options,
    client_error_level: LogLevel,
    format: Format,
    #[cfg(feature = "reqwest")]
    upstream_body_limit: usize,
    #[cfg(feature = "reqwest")]
    upstream_body_logged: usize,
    #[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
    db_detail_logged: bool,
    #[cfg(any(feature = "validator", feature = "garde"))]
    validation: crate::validation::Options,
    /// See `Config::with_translations` (in `crate::i18n`).
    #[cfg(feature = "i18n")]
    pub(crate) translations: Option<crate::i18n::Translations>,
    /// How a rendered error counts (feature `metrics`; see
    /// `Config::with_counters` in `crate::metrics`).
    #[cfg(feature = "metrics")]
    pub(crate) counting: crate::metrics::Counting,
}

impl Default for Config {
    /// [`Config::production`].
    fn default() -> Self {
        Self::production()
    }
}

impl Config {
    /// Production rendering: safe messages only.
    #[must_use]
    pub const fn production() -> Self {
        Self::new(Environment::Production)
    }

    /// Development rendering: each error object also carries `debug`.
    #[must_use]
    pub const fn development() -> Self {
        Self::new(Environment::Development)
    }

    /// `environment` with the other settings at their defaults.
    const fn new(environment: Environment) -> Self {
        Self {
            environment,
            request_id_header: http::HeaderName::from_static(DEFAULT_REQUEST_ID_HEADER),
            request_id_in_details: false,
            correlation: crate::correlation::Options::new(),
            client_error_level: LogLevel::Debug,
            format: Format::Array,
            #[cfg(feature = "reqwest")]
            upstream_body_limit: DEFAULT_UPSTREAM_BODY_LIMIT,
            #[cfg(feature = "reqwest")]
            upstream_body_logged: 0,
            #[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
            db_detail_logged: false,
            #[cfg(any(feature = "validator", feature = "garde"))]
            validation: crate::validation::Options::new(),
            #[cfg(feature = "i18n")]
            translations: None,
            #[cfg(feature = "metrics")]
            counting: crate::metrics::Counting::Facade,
        }
    }

    /// Reads the environment variable `APP_ENV` (see [`Environment::parse`]):
    /// unset, not Unicode, or anything but `development`/`dev` means
    /// production.
    #[must_use]
    pub fn from_env() -> Self {
        let value = std::env::var("APP_ENV").ok();
        Self::new(Environment::parse(value.as_deref()))
    }

    /// The environment this configuration renders for.
    #[must_use]
    pub const fn environment(&self) -> Environment {
        self.environment
    }

    /// Whether bodies carry the `debug` member.
    #[must_use]
    pub const fn is_development(&self) -> bool {
        matches!(self.environment, Environment::Development)
    }

    /// Returns this configuration with another environment.
    #[must_use]
    pub const fn with_environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// The header that carries the request's correlation id, in requests
    /// (read by the framework integrations) and in every response (errors,
    /// and successes unless
    /// [`with_request_id_on_success(false)`](Self::with_request_id_on_success)):
    /// `x-request-id` unless changed with
    /// [`with_request_id_header`](Self::with_request_id_header). See
    /// [`RequestId`](crate::RequestId).
    #[must_use]
    pub const fn request_id_header(&self) -> &http::HeaderName {
        &self.request_id_header
    }

    /// Returns this configuration with another correlation id header, e.g.
    /// `x-correlation-id`.
    ///
    /// ```
    /// use apierror::Config;
    /// let config = Config::production().with_request_id_header(http::HeaderName::from_static("x-correlation-id"));
    /// assert_eq!(config.request_id_header(), "x-correlation-id");
    /// assert_eq!(Config::production().request_id_header(), "x-request-id");
    /// ```
    #[must_use]
    pub fn with_request_id_header(mut self, header: http::HeaderName) -> Self {
        self.request_id_header = header;
        self
    }

    /// Whether the request's id is also written into the body of 5xx
    /// errors, as a `request_id` member of each 5xx object's `details`.
    /// Off by default.
    #[must_use]
    pub const fn request_id_in_details(&self) -> bool {
        self.request_id_in_details
    }

    /// Returns this configuration with the request's id written into the
    /// `details` of every 5xx error object (`true`) or not (`false`, the
    /// default), for clients that show the body but not the headers.
    ///
    /// The body keeps its shape: `details` becomes `{"request_id": "…"}`
    /// when the error has no details of its own, and gains a `request_id`
    /// member otherwise (unless the error's own details already have one,
    /// which is kept). 4xx objects are unchanged.
    ///
    /// ```
    /// use apierror::{ApiError, ApiErrorExt, Config, RequestId};
    ///
    /// #[derive(Debug, thiserror::Error, ApiError)]
    /// #[error("database unavailable")]
    /// #[api(status = 503, code = "config-doc-request-id")]
    /// struct Unavailable;
    ///
    /// let config = Config::production().with_request_id_in_details(true);
    /// let id = RequestId::parse("req-1").unwrap();
    /// let body = Unavailable.to_response_with_id(&config, &id).into_body();
    /// assert_eq!(
    ///     std::str::from_utf8(&body).unwrap(),
    ///     r#"[{"message":"An unexpected error occurred. Please try again later.","error_code":"config-doc-request-id","field":null,"details":{"request_id":"req-1"}}]"#,
    /// );
    /// ```
    #[must_use]
    pub const fn with_request_id_in_details(mut self, include: bool) -> Self {
        self.request_id_in_details = include;
        self
    }

    /// The level at which 4xx errors are logged: [`LogLevel::Debug`] unless
    /// changed with [`with_client_error_level`](Self::with_client_error_level).
    #[must_use]
    pub const fn client_error_level(&self) -> LogLevel {
        self.client_error_level
    }

    /// Returns this configuration with 4xx errors logged at `level` instead
    /// of `debug`, e.g. [`LogLevel::Info`] to see client errors under a
    /// subscriber's default filter (`tracing_subscriber::fmt().init()`
    /// shows `info` and up), or [`LogLevel::Off`] to log none.
    ///
    /// 5xx errors are still logged at `error`, and a variant's own
    /// `#[api(log = "…")]` level still wins (one equal to its status's
    /// default, `debug` for a 4xx, reads as no level of its own).
    ///
    /// ```
    /// use apierror::{Config, LogLevel};
    /// let config = Config::production().with_client_error_level(LogLevel::Info);
    /// assert_eq!(config.client_error_level(), LogLevel::Info);
    /// assert_eq!(Config::production().client_error_level(), LogLevel::Debug);
    /// ```
    #[must_use]
    pub const fn with_client_error_level(mut self, level: LogLevel) -> Self {
        self.client_error_level = level;
        self
    }

    /// The body format: [`Format::Array`] unless changed with
    /// [`with_format`](Self::with_format).
    #[must_use]
    pub const fn format(&self) -> Format {
        self.format
    }

    /// Returns this configuration answering in `format`.
    ///
    /// ```
    /// use apierror::{Config, Format};
    /// let config = Config::production().with_format(Format::Problem);
    /// assert_eq!(config.format(), Format::Problem);
    /// assert_eq!(Config::production().format(), Format::Array);
    /// ```
    #[must_use]
    pub const fn with_format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// The most bytes of an upstream's success body that
    /// [`upstream::json`](crate::upstream::json) reads (feature `reqwest`):
    /// [`DEFAULT_UPSTREAM_BODY_LIMIT`] (4 MiB) unless changed with
    /// [`with_upstream_body_limit`](Self::with_upstream_body_limit). A
    /// larger body (declared by `Content-Length` or read so far) is not
    /// held: the call answers 502 `apierror.upstream.bad_gateway`, logged
    /// with `upstream.failure="too_large"`.
    #[cfg(feature = "reqwest")]
    #[must_use]
    pub const fn upstream_body_limit(&self) -> usize {
        self.upstream_body_limit
    }

    /// Returns this configuration reading at most `bytes` of an upstream's
    /// success body (see [`upstream_body_limit`](Self::upstream_body_limit)).
    /// Raise it for an upstream known to answer large documents. Read from
    /// the configuration of the request being served (the one given to
    /// [`layer_with`](crate::axum::layer_with) or
    /// [`middleware_with`](crate::actix::middleware_with)), else the one
    /// given to [`configure`], else the default.
    ///
    /// ```
    /// use apierror::Config;
    /// let config = Config::production().with_upstream_body_limit(64 << 20);
    /// assert_eq!(config.upstream_body_limit(), 64 << 20);
    /// assert_eq!(Config::production().upstream_body_limit(), apierror::DEFAULT_UPSTREAM_BODY_LIMIT);
    /// ```
    #[cfg(feature = "reqwest")]
    #[must_use]
    pub const fn with_upstream_body_limit(mut self, bytes: usize) -> Self {
        self.upstream_body_limit = bytes;
        self
    }
}

impl Config {
    /// How many bytes of an upstream's error body are logged, as
    /// `upstream.body` (feature `reqwest`): `0`, none, unless changed with
    /// [`with_upstream_body_logged`](Self::with_upstream_body_logged).
    #[cfg(feature = "reqwest")]
    #[must_use]
    pub const fn upstream_body_logged(&self) -> usize {
        self.upstream_body_logged
    }

    /// Returns this configuration logging the first `bytes` bytes (at most
    /// [`MAX_LOGGED_BODY`](crate::upstream::MAX_LOGGED_BODY)) of an
    /// upstream's error body as `upstream.body`, escaped; `0` (the default)
    /// logs none. The body is read for it only where the response is read:
    /// [`upstream::send`](crate::upstream::send),
    /// [`upstream::json`](crate::upstream::json),
    /// [`UpstreamError::from_response_body`](crate::upstream::UpstreamError::from_response_body).
    /// Never sent in a body.
    ///
    /// ```
    /// use apierror::{upstream::MAX_LOGGED_BODY, Config};
    /// let config = Config::production().with_upstream_body_logged(256);
    /// assert_eq!(config.upstream_body_logged(), 256);
    /// assert_eq!(Config::production().with_upstream_body_logged(1 << 20).upstream_body_logged(), MAX_LOGGED_BODY);
    /// assert_eq!(Config::production().upstream_body_logged(), 0);
    /// ```
    #[cfg(feature = "reqwest")]
    #[must_use]
    pub const fn with_upstream_body_logged(mut self, bytes: usize) -> Self {
        let max = crate::upstream::MAX_LOGGED_BODY;
        self.upstream_body_logged = if bytes < max { bytes } else { max };
        self
    }

    /// Whether a database's DETAIL (PostgreSQL's: it holds row values,
    /// personal data) is logged, as `db.detail`, and row values are left in
    /// `db.message` (features `sqlx`, `tokio-postgres`): `false` unless
    /// changed with [`with_db_detail_logged`](Self::with_db_detail_logged).
    #[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
    #[must_use]
    pub const fn db_detail_logged(&self) -> bool {
        self.db_detail_logged
    }

    /// Returns this configuration logging a database failure's DETAIL
    /// (`true`) or not (`false`, the default). It is never sent in a body.
    ///
    /// ```
    /// use apierror::Config;
    /// assert!(Config::production().with_db_detail_logged(true).db_detail_logged());
    /// assert!(!Config::production().db_detail_logged());
    /// ```
    #[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
    #[must_use]
    pub const fn with_db_detail_logged(mut self, logged: bool) -> Self {
        self.db_detail_logged = logged;
        self
    }

    /// How validation failures are answered (features `validator`,
    /// `garde`): the status, the field names, the cap; see
    /// [`validation::Options`](crate::validation::Options). The defaults
    /// (400, Rust names, 100 violations) unless changed with
    /// [`with_validation`](Self::with_validation).
    #[cfg(any(feature = "validator", feature = "garde"))]
    pub const fn validation(&self) -> &crate::validation::Options {
        &self.validation
    }

    /// Returns this configuration answering validation failures with
    /// `options`: what the `Valid<…>` extractors and `Errors::from` a
    /// validation report use for the requests served with it.
    ///
    /// ```
    /// use apierror::validation::{Options, RenameAll};
    /// use apierror::Config;
    ///
    /// let options = Options::new().status(http::StatusCode::UNPROCESSABLE_ENTITY).rename_all(RenameAll::CamelCase);
    /// let config = Config::production().with_validation(options);
    /// assert_eq!(config.validation().get_status(), 422);
    /// assert_eq!(Config::production().validation().get_status(), 400);
    /// ```
    #[cfg(any(feature = "validator", feature = "garde"))]
    #[must_use]
    pub const fn with_validation(mut self, options: crate::validation::Options) -> Self {
        self.validation = options;
        self
    }
}

impl Config {
    /// Runs `f` with this configuration as the current one on this thread,
    /// as [`axum::layer_with`](crate::axum::layer_with) and
    /// [`actix::middleware_with`](crate::actix::middleware_with) do around
    /// every poll of a request: inside, what renders or converts without
    /// an explicit configuration ([`ApiErrorExt::to_response`](crate::ApiErrorExt::to_response),
    /// `Errors::from` a validation report, the upstream helpers) uses it.
    /// The previous one is restored afterwards, even if `f` panics; the
    /// current [`RequestId`](crate::RequestId) is kept. For code outside
    /// a layer (a job, a test); a request served by a layer needs nothing.
    ///
    /// ```
    /// use apierror::{ApiError, ApiErrorExt, Config, Format};
    ///
    /// #[derive(Debug, thiserror::Error, ApiError)]
    /// #[error("no such thing")]
    /// #[api(status = 404, code = "config-scope-doc-1")]
    /// struct Missing;
    ///
    /// let problems = Config::production().with_format(Format::Problem);
    /// let response = problems.scope(|| Missing.to_response());
    /// assert_eq!(response.headers()["content-type"], "application/problem+json");
    /// assert_eq!(Missing.to_response().headers()["content-type"], "application/json");
    /// ```
    pub fn scope<R>(&self, f: impl FnOnce() -> R) -> R {
        crate::request_id::Scope { config: Some(std::sync::Arc::new(self.clone())), ..Default::default() }
            .enter(f)
    }
}

/// The default of [`Config::upstream_body_limit`]: 4 MiB.
#[cfg(feature = "reqwest")]
pub const DEFAULT_UPSTREAM_BODY_LIMIT: usize = 4 << 20;

/// The default of [`Config::request_id_header`].
pub(crate) const DEFAULT_REQUEST_ID_HEADER: &str = "x-request-id";

static GLOBAL: OnceLock<Config> = OnceLock::new();

/// Installs the process-wide default configuration: the one
/// [`ApiErrorExt::to_response`](crate::ApiErrorExt::to_response) and the
/// framework integrations use outside any request served by
/// [`axum::layer_with`](crate::axum::layer_with) or
/// [`actix::middleware_with`](crate::actix::middleware_with), and inside
/// those of [`axum::layer`](crate::axum::layer()) and
/// [`actix::middleware`](crate::actix::middleware()).
///
/// Call it once, at start-up, before the first error is rendered. Without it,
/// the first render outside a configured layer reads [`Config::from_env`].
///
/// # Errors
///
/// [`AlreadyConfigured`] if a configuration is already in place (set by an
/// earlier call, or read from the environment by an earlier render); the
/// configuration in place is kept.
///
/// ```
/// apierror::configure(apierror::Config::production()).expect("configured once at start-up");
/// assert!(apierror::configure(apierror::Config::development()).is_err());
/// assert!(!apierror::config().is_development());
/// ```
pub fn configure(config: Config) -> Result<(), AlreadyConfigured> {
    GLOBAL.set(config).map_err(|_| AlreadyConfigured(()))
}

/// The process-wide default configuration: the one given to [`configure`],
/// else [`Config::from_env`] (read once). A request served by
/// [`axum::layer_with`](crate::axum::layer_with) or
/// [`actix::middleware_with`](crate::actix::middleware_with) renders with
/// its layer's configuration instead.
///
/// ```
/// assert!(!apierror::config().is_development() || std::env::var("APP_ENV").is_ok());
/// ```
#[must_use]
pub fn config() -> &'static Config {
    GLOBAL.get_or_init(Config::from_env)
}

/// The configuration given to [`configure`], if any, without reading the
/// environment or fixing anything: what an OpenAPI document is rendered
/// for, so that building one before `configure` does not make it fail.
#[cfg(any(feature = "utoipa", feature = "reqwest"))]
pub(crate) fn configured() -> Option<&'static Config> {
    GLOBAL.get()
}

/// Returned by [`configure`] when the process-wide configuration is already
/// in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlreadyConfigured(());

impl std::fmt::Display for AlreadyConfigured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "apierror is already configured: call `apierror::configure` once, at start-up, before the first error is rendered",
        )
    }
}

impl std::error::Error for AlreadyConfigured {}
