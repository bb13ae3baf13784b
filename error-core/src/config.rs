//! Where errors are rendered for: production (the default) or development.

use std::sync::OnceLock;

/// The environment a [`Config`] renders for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
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

/// How errors are rendered.
///
/// Build one at start-up and either pass it to
/// [`ApiError::to_response_with`](crate::ApiError::to_response_with) or
/// install it process-wide with [`configure`].
///
/// ```
/// use apierror::{Config, Environment};
/// assert_eq!(Config::production().environment(), Environment::Production);
/// assert!(Config::development().is_development());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    environment: Environment,
}

impl Config {
    /// Production rendering: safe messages only.
    #[must_use]
    pub const fn production() -> Self {
        Self { environment: Environment::Production }
    }

    /// Development rendering: each error object also carries `debug`.
    #[must_use]
    pub const fn development() -> Self {
        Self { environment: Environment::Development }
    }

    /// Reads the environment variable `APP_ENV` (see [`Environment::parse`]):
    /// unset, not Unicode, or anything but `development`/`dev` means
    /// production.
    #[must_use]
    pub fn from_env() -> Self {
        let value = std::env::var("APP_ENV").ok();
        Self { environment: Environment::parse(value.as_deref()) }
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
}

static GLOBAL: OnceLock<Config> = OnceLock::new();

/// Installs the process-wide configuration used by
/// [`ApiError::to_response`](crate::ApiError::to_response) and the framework
/// integrations.
///
/// Call it once, at start-up, before the first error is rendered. Without it,
/// the first render reads [`Config::from_env`].
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

/// The process-wide configuration: the one given to [`configure`], else
/// [`Config::from_env`] (read once).
#[must_use]
pub fn config() -> &'static Config {
    GLOBAL.get_or_init(Config::from_env)
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
