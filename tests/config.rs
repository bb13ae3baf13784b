//! `Config::from_env` and the process-wide configuration. This binary is
//! the only one that touches `APP_ENV`, and one test does it all, so no
//! other test sees the variable change.

use apierror::{ApiError, ApiErrorExt, Config, Environment};

#[derive(Debug, thiserror::Error, ApiError)]
#[error("boom: {0}")]
#[api(status = 500, code = "config-1")]
struct Boom(&'static str);

#[test]
fn environment_variable_and_global_configuration() {
    let cases = [
        (None, Environment::Production),
        (Some("development"), Environment::Development),
        (Some("dev"), Environment::Development),
        (Some("DEV"), Environment::Development),
        (Some(" Development\n"), Environment::Development),
        (Some("develop"), Environment::Production),
        (Some("devel opment"), Environment::Production),
        (Some("production"), Environment::Production),
        (Some("staging"), Environment::Production),
        (Some(""), Environment::Production),
    ];
    for (value, expected) in cases {
        match value {
            Some(value) => std::env::set_var("APP_ENV", value),
            None => std::env::remove_var("APP_ENV"),
        }
        assert_eq!(Config::from_env().environment(), expected, "APP_ENV={value:?}");
    }

    // Unconfigured, the first render reads the environment once: unset means
    // production.
    std::env::remove_var("APP_ENV");
    let body = String::from_utf8(Boom("secret").to_response().into_body()).unwrap();
    assert!(!body.contains("secret"), "{body}");
    assert!(!body.contains("debug"), "{body}");

    // From then on the configuration is fixed: changing the variable or
    // configuring late changes nothing, and says so.
    std::env::set_var("APP_ENV", "development");
    let late = apierror::configure(Config::development()).unwrap_err();
    assert!(late.to_string().contains("once, at start-up"), "{late}");
    let body = String::from_utf8(Boom("secret").to_response().into_body()).unwrap();
    assert!(!body.contains("secret"), "{body}");
    assert_eq!(apierror::config().environment(), Environment::Production);
}
