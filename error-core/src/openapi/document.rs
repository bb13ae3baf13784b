//! One status's response: description, inline schema, one example per code
//! rendered by the production renderer.

use std::fmt;

use serde_json::{json, Value};
use utoipa::openapi::response::Response;

use crate::registry::Entry;
use crate::{ApiError, Config, Environment, Format};

/// The configuration documents are rendered for: the process-wide one if
/// installed (without installing it: a document built at start-up must not
/// fix the configuration), else the default; always production.
pub(super) fn configured() -> Config {
    crate::config::configured().cloned().unwrap_or_default().with_environment(Environment::Production)
}

/// An error standing for an entry answered with `status`, with no value:
/// what the renderer writes for it is the example. Its message is the
/// entry's (a template is shown as written), its field the static one.
struct Example {
    entry: &'static Entry,
    status: http::StatusCode,
}

impl fmt::Debug for Example {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Example {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "example of {}", self.entry.code)
    }
}

impl std::error::Error for Example {}

impl ApiError for Example {
    fn entry(&self) -> &'static Entry {
        self.entry
    }

    fn status(&self) -> http::StatusCode {
        self.status
    }

    fn write_public_message(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        // As every error answered with another status than its entry's
        // (`BuiltinError`): the generic message of the status answered.
        out.write_str(match self.entry.message {
            Some(message) => message,
            None => crate::generic_message(self.status.as_u16()),
        })
    }
}

/// The production response for `entry` answered with `status`, rendered
/// without any effect of an error (a document is not an error that
/// happened): not logged, not counted (feature `metrics`), not recorded on
/// the span that serves the document (feature `opentelemetry`).
fn render(entry: &'static Entry, status: http::StatusCode, config: &Config) -> http::Response<Vec<u8>> {
    let example = Example { entry, status };
    // In the default language, whatever request the document is built in
    // (feature `i18n`).
    // Not counted (feature `metrics`), whichever recorder is installed.
    #[cfg(any(feature = "i18n", feature = "metrics"))]
    let config = &{
        let mut config = config.clone();
        #[cfg(feature = "i18n")]
        {
            config.translations = None;
        }
        #[cfg(feature = "metrics")]
        {
            config.counting = crate::metrics::Counting::Off;
        }
        config
    };
    let render = || crate::render::response(&example, config, None);
    #[cfg(feature = "opentelemetry")]
    let render = || {
        let _outside_any_span = opentelemetry::Context::new().attach();
        render()
    };
    #[cfg(feature = "tracing")]
    return tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::default(), render);
    #[cfg(not(feature = "tracing"))]
    render()
}

/// The response documented for `status`, answered with `entries`.
pub(super) fn response(status: u16, entries: &[&'static Entry], config: &Config) -> Response {
    let code = http::StatusCode::from_u16(status).expect("an error status");
    let mut content_type = String::from("application/json");
    let mut examples = serde_json::Map::new();
    for entry in entries {
        let rendered = render(entry, code, config);
        if let Some(value) = rendered.headers().get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok())
        {
            value.clone_into(&mut content_type);
        }
        let body: Value = serde_json::from_slice(rendered.body()).expect("the renderer writes JSON");
        let mut example = serde_json::Map::new();
        example.insert("summary".into(), Value::from(entry.production_message()));
        if let Some(docs) = entry.docs {
            example.insert("description".into(), Value::from(format!("See {docs}")));
        }
        example.insert("value".into(), body);
        examples.insert(entry.code.to_owned(), Value::Object(example));
    }
    let codes: Vec<&str> = entries.iter().map(|entry| entry.code).collect();
    let reason =
        code.canonical_reason().unwrap_or(if status < 500 { "Client error" } else { "Server error" });
    let listed: Vec<String> = codes.iter().map(|code| format!("`{code}`")).collect();
    let description = format!("{reason}: {}", listed.join(", "));
    let schema = match config.format() {
        Format::Problem => problem_schema(status, &codes),
        _ => array_schema(&codes),
    };
    let mut response = json!({
        "description": description,
        "content": {
            content_type: { "schema": schema, "examples": examples },
        },
    });
    let mut headers = serde_json::Map::new();
    if entries.iter().any(|entry| sends_retry_after(entry)) {
        headers.insert(
            "Retry-After".into(),
            json!({ "description": RETRY_AFTER, "schema": { "type": "integer", "minimum": 0 } }),
        );
    }
    // Feature `i18n`: every error response can carry it (with translations
    // configured, whatever the code). The examples stay in the default
    // language: they are rendered outside any request.
    #[cfg(feature = "i18n")]
    headers.insert(
        "Content-Language".into(),
        json!({ "description": CONTENT_LANGUAGE, "schema": { "type": "string" } }),
    );
    if !headers.is_empty() {
        response["headers"] = Value::Object(headers);
    }
    serde_json::from_value(response).expect("a valid OpenAPI response object")
}

/// What the `Content-Language` header of an error response is documented
/// as (feature `i18n`).
#[cfg(feature = "i18n")]
const CONTENT_LANGUAGE: &str = "The language of `message` (the problem's `detail`): the language negotiated from \
                                `Accept-Language`, else the default one. Present when translations are configured \
                                (`Config::with_translations`).";

/// What the `Retry-After` header of a response is documented as.
const RETRY_AFTER: &str = "Seconds to wait before retrying, sent with the codes that declare it, and with \
                           `apierror.upstream.unavailable` when the upstream sent one (clamped to an hour).";

/// Whether a response with `entry`'s code can carry `Retry-After`: the code
/// declares it (`retry_after = N`), or it is passed on at run time (an
/// upstream's 503 or 429 answered `apierror.upstream.unavailable`).
fn sends_retry_after(entry: &Entry) -> bool {
    #[cfg(feature = "reqwest")]
    if entry.code == crate::upstream::UpstreamErrorKind::Unavailable.entry().code {
        return true;
    }
    entry.retry_after.is_some()
}

/// The members every error object has, `error_code` restricted to `codes`.
fn code_schema(codes: &[&str]) -> Value {
    json!({ "type": "string", "enum": codes })
}

/// The common body: a non-empty array of error objects.
fn array_schema(codes: &[&str]) -> Value {
    json!({
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "required": ["message", "error_code", "field", "details"],
            "properties": {
                "message": { "type": "string", "description": "The production message: safe to show to users." },
                "error_code": code_schema(codes),
                "field": { "type": ["string", "null"], "description": "The request field the error is about." },
                "details": { "type": ["object", "null"] },
                "debug": { "type": "object", "description": "Development only." },
            },
        },
    })
}

/// RFC 9457 problem details, with the members `error_code`, `field`,
/// `details` and, for several errors, `errors`.
fn problem_schema(status: u16, codes: &[&str]) -> Value {
    json!({
        "type": "object",
        "required": ["type", "title", "status"],
        "properties": {
            "type": { "type": "string", "description": "The code's documentation URL, else `about:blank`." },
            "title": { "type": "string" },
            "status": { "type": "integer", "enum": [status] },
            "detail": { "type": "string", "description": "The production message: safe to show to users." },
            "instance": { "type": "string" },
            "error_code": code_schema(codes),
            "field": { "type": ["string", "null"] },
            "details": { "type": ["object", "null"] },
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["detail", "error_code", "field", "details"],
                    "properties": {
                        "detail": { "type": "string" },
                        "error_code": code_schema(codes),
                        "field": { "type": ["string", "null"] },
                        "details": { "type": ["object", "null"] },
                    },
                },
            },
            "debug": { "type": "object", "description": "Development only." },
        },
    })
}
