//! Behaviour of every `#[api(...)]` attribute, on every shape of type.

use apierror::{ApiError, ApiErrorExt, Config, Entry, LogLevel};
use http::StatusCode;
use serde_json::{json, Value};

fn body(err: &dyn ApiError, config: &Config) -> Value {
    let response = err.to_response_with(config);
    assert_eq!(response.headers()["content-type"], "application/json");
    serde_json::from_slice(response.body()).expect("the body is valid JSON")
}

fn production(err: &dyn ApiError) -> Value {
    body(err, &Config::production())
}

#[derive(Debug, thiserror::Error, ApiError)]
#[api(docs = "https://docs.example.com/errors/{code}")]
pub enum ColumnError {
    #[error("column `{name}` already exists in table {table}")]
    #[api(
        status = 409,
        code = "derive-1010",
        field = "name",
        message = "There is already a column with the same name."
    )]
    DuplicateName { name: String, table: String },

    #[error("type {given} is not a valid type")]
    #[api(status = 400, code = "derive-2001", field = "type", message = "{given} is not a valid type.")]
    InvalidType {
        given: String,
        #[api(details)]
        available_types: Vec<String>,
    },

    #[error("database unavailable")]
    #[api(status = 503, code = "derive-9001")]
    Database(#[source] std::io::Error),

    #[error("column {0} at position {1} is reserved")]
    #[api(
        status = 422,
        code = "derive-2002",
        message = "Column {0} is reserved (position {1}).",
        log = "warn"
    )]
    Reserved(String, u32),

    #[error("nothing here")]
    #[api(status = 404, code = "derive-4040", log = "off")]
    Missing,

    #[error("bad value for {field}")]
    #[api(status = 400, code = "derive-2003", message = "The value is out of range.")]
    OutOfRange {
        #[api(field)]
        field: &'static str,
        #[api(details)]
        min: i64,
        #[api(details)]
        max: i64,
    },

    #[error(transparent)]
    #[api(transparent)]
    Table(#[from] TableError),
}

#[derive(Debug, thiserror::Error, ApiError)]
pub enum TableError {
    #[error("table {0} not found")]
    #[api(status = 404, code = "derive-3001", field = "table", message = "Table {0} does not exist.")]
    NotFound(String),
}

#[test]
fn static_message_and_field() {
    let err = ColumnError::DuplicateName { name: "id".into(), table: "users".into() };
    assert_eq!(err.status(), StatusCode::CONFLICT);
    assert_eq!(err.code(), "derive-1010");
    assert_eq!(err.field(), Some("name"));
    assert_eq!(err.public_message(), "There is already a column with the same name.");
    assert!(matches!(err.public_message(), std::borrow::Cow::Borrowed(_)));
    assert_eq!(
        production(&err),
        json!([{
            "message": "There is already a column with the same name.",
            "error_code": "derive-1010",
            "field": "name",
            "details": null,
        }])
    );
}

#[test]
fn interpolated_message_and_details() {
    let err = ColumnError::InvalidType {
        given: "strng".into(),
        available_types: vec!["int".into(), "text".into()],
    };
    assert_eq!(err.public_message(), "strng is not a valid type.");
    assert_eq!(
        production(&err),
        json!([{
            "message": "strng is not a valid type.",
            "error_code": "derive-2001",
            "field": "type",
            "details": {"available_types": ["int", "text"]},
        }])
    );
}

#[test]
fn positional_interpolation_in_tuple_variants() {
    let err = ColumnError::Reserved("\"quoted\"\n".into(), 3);
    assert_eq!(err.public_message(), "Column \"quoted\"\n is reserved (position 3).");
    assert_eq!(production(&err)[0]["message"], "Column \"quoted\"\n is reserved (position 3).");
    assert_eq!(err.entry().log, LogLevel::Warn);
    assert_eq!(err.entry().message, Some("Column {0} is reserved (position {1})."));
}

#[test]
fn generic_message_for_a_server_error_hides_the_source() {
    let err = ColumnError::Database(std::io::Error::other("password=hunter2"));
    assert_eq!(err.status(), StatusCode::SERVICE_UNAVAILABLE);
    let text = String::from_utf8(err.to_response_with(&Config::production()).into_body()).unwrap();
    assert!(!text.contains("hunter2"), "{text}");
    assert!(!text.contains("database unavailable"), "{text}");
    assert!(!text.contains("ColumnError"), "{text}");
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        json!([{
            "message": "An unexpected error occurred. Please try again later.",
            "error_code": "derive-9001",
            "field": null,
            "details": null,
        }])
    );
    assert_eq!(err.entry().log, LogLevel::Error);
}

#[test]
fn development_adds_debug_and_keeps_the_message() {
    let err = ColumnError::Database(std::io::Error::other("connection refused"));
    let dev = body(&err, &Config::development());
    let prod = production(&err);
    assert_eq!(dev[0]["message"], prod[0]["message"]);
    assert_eq!(dev[0]["error_code"], prod[0]["error_code"]);
    assert_eq!(
        dev[0]["debug"],
        json!({"type": "ColumnError::Database", "display": "database unavailable", "sources": ["connection refused"]})
    );
}

#[test]
fn dynamic_field_and_several_details() {
    let err = ColumnError::OutOfRange { field: "age", min: 0, max: 150 };
    assert_eq!(err.field(), Some("age"));
    assert_eq!(err.entry().field, None);
    assert_eq!(production(&err)[0]["field"], "age");
    assert_eq!(production(&err)[0]["details"], json!({"min": 0, "max": 150}));
}

#[test]
fn transparent_delegates_everything() {
    let err = ColumnError::from(TableError::NotFound("users".into()));
    assert_eq!(err.status(), StatusCode::NOT_FOUND);
    assert_eq!(err.code(), "derive-3001");
    assert_eq!(err.field(), Some("table"));
    assert_eq!(err.public_message(), "Table users does not exist.");
    assert_eq!(err.entry().type_name, "TableError");
    let dev = body(&err, &Config::development());
    assert_eq!(dev[0]["debug"]["type"], "TableError::NotFound");
    assert_eq!(dev[0]["message"], "Table users does not exist.");
    assert_eq!(dev[0]["debug"]["display"], "table users not found");
}

#[test]
fn log_off_and_generic_404() {
    let err = ColumnError::Missing;
    assert_eq!(err.entry().log, LogLevel::Off);
    assert_eq!(err.public_message(), "The requested resource was not found.");
    assert_eq!(err.entry().message, None);
}

#[test]
fn entries_record_the_declaration() {
    let err = ColumnError::DuplicateName { name: String::new(), table: String::new() };
    let entry: &Entry = err.entry();
    assert_eq!(entry.type_name, "ColumnError");
    assert_eq!(entry.variant, Some("DuplicateName"));
    assert_eq!(entry.docs, Some("https://docs.example.com/errors/derive-1010"));
    assert_eq!(entry.file, file!());
    assert_eq!(entry.module, module_path!());
    let source = include_str!("main.rs");
    let line = source.lines().position(|line| line.trim_start().starts_with("DuplicateName {")).unwrap() + 1;
    assert_eq!(entry.line as usize, line);
    // The registry holds the same static entry.
    assert!(std::ptr::eq(apierror::registry::find("derive-1010").unwrap(), entry));
    assert!(apierror::registry::find("derive-3001").is_some());
}

// Structs: unit, tuple and named.

#[derive(Debug, thiserror::Error, ApiError)]
#[error("rate limited")]
#[api(status = 429, code = "derive-struct-1")]
pub struct RateLimited;

#[derive(Debug, thiserror::Error, ApiError)]
#[error("user {0} not found")]
#[api(status = 404, code = "derive-struct-2", message = "User {0} was not found.", field = "user_id")]
pub struct UserNotFound(pub u64);

#[derive(Debug, thiserror::Error, ApiError)]
#[error("quota exceeded")]
#[api(status = 403, code = "derive-struct-3", message = "Your plan allows {limit} projects.")]
pub struct QuotaExceeded {
    #[api(details)]
    pub limit: u32,
    #[api(details)]
    pub plan: &'static str,
}

#[test]
fn structs_of_every_shape() {
    assert_eq!(
        production(&RateLimited),
        json!([{"message": "Too many requests. Please try again later.", "error_code": "derive-struct-1", "field": null, "details": null}])
    );
    assert_eq!(RateLimited.entry().variant, None);
    assert_eq!(
        production(&UserNotFound(7)),
        json!([{"message": "User 7 was not found.", "error_code": "derive-struct-2", "field": "user_id", "details": null}])
    );
    assert_eq!(
        production(&QuotaExceeded { limit: 3, plan: "free" }),
        json!([{"message": "Your plan allows 3 projects.", "error_code": "derive-struct-3", "field": null, "details": {"limit": 3, "plan": "free"}}])
    );
    let dev = body(&UserNotFound(7), &Config::development());
    assert_eq!(
        dev[0]["debug"],
        json!({"type": "UserNotFound", "display": "user 7 not found", "sources": []})
    );
}

// Generics.

#[derive(Debug, thiserror::Error, ApiError)]
pub enum Lookup<K: std::fmt::Debug + std::fmt::Display, D> {
    #[error("key {key} missing")]
    #[api(status = 404, code = "derive-generic-1", message = "Nothing is stored under {key}.")]
    Missing { key: K },
    #[error("conflict")]
    #[api(status = 409, code = "derive-generic-2")]
    Conflict {
        #[api(details)]
        existing: D,
    },
    #[error(transparent)]
    #[api(transparent)]
    Inner(UserNotFound),
}

#[derive(Debug, thiserror::Error, ApiError)]
#[error(transparent)]
#[api(transparent)]
pub struct Wrapper<E: ApiError + 'static>(#[from] pub E);

#[test]
fn generic_types() {
    let err: Lookup<u32, Vec<u8>> = Lookup::Missing { key: 5 };
    assert_eq!(err.public_message(), "Nothing is stored under 5.");
    let err: Lookup<u32, Vec<u8>> = Lookup::Conflict { existing: vec![1, 2] };
    assert_eq!(production(&err)[0]["details"], json!({"existing": [1, 2]}));
    let err: Lookup<u32, Vec<u8>> = Lookup::Inner(UserNotFound(1));
    assert_eq!(err.code(), "derive-struct-2");

    let wrapped = Wrapper(QuotaExceeded { limit: 1, plan: "free" });
    assert_eq!(wrapped.code(), "derive-struct-3");
    assert_eq!(production(&wrapped), production(&wrapped.0));
}

// A details value that fails to serialize still yields a complete body.

#[derive(Debug)]
pub struct Unserializable;

impl serde::Serialize for Unserializable {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("cannot serialize this"))
    }
}

#[derive(Debug, thiserror::Error, ApiError)]
#[error("broken details")]
#[api(status = 400, code = "derive-broken-1", message = "The request is invalid.")]
pub struct BrokenDetails {
    #[api(details)]
    pub fine: u8,
    #[api(details)]
    pub broken: Unserializable,
}

#[test]
fn failing_details_render_as_null() {
    let err = BrokenDetails { fine: 1, broken: Unserializable };
    assert_eq!(
        production(&err),
        json!([{"message": "The request is invalid.", "error_code": "derive-broken-1", "field": null, "details": null}])
    );
}

// A panicking Display: tests/render_panic.rs, its own test binary, because
// it swaps the process-wide panic hook.

// Escaped braces and free messages.

#[derive(Debug, thiserror::Error, ApiError)]
#[api(free_messages)]
pub enum Loose {
    #[error("x")]
    #[api(status = 400, code = "derive-free-1", message = "use {{braces}} freely")]
    Braces,
}

#[test]
fn escaped_braces_and_free_messages() {
    assert_eq!(Loose::Braces.public_message(), "use {braces} freely");
    assert_eq!(production(&Loose::Braces)[0]["message"], "use {braces} freely");
}

#[test]
fn codes_of_this_program_are_unique() {
    apierror::registry::check().unwrap();
}

// Hygiene: fields named like the derive's own locals, and a width and a
// precision read from fields (issue 10 item 1).

#[derive(Debug, thiserror::Error, ApiError)]
#[error("hygiene")]
#[allow(clippy::struct_field_names)]
pub enum Hygiene {
    #[api(status = 400, code = "derive-hygiene-1", message = "Got {__out} and {__details} at {__index}.")]
    Locals {
        __out: String,
        #[api(details)]
        __details: u8,
        __index: usize,
        #[api(field)]
        __field_out: String,
    },
    #[api(
        status = 400,
        code = "derive-hygiene-2",
        message = "[{value:>width$}] [{ratio:.prec$}] [{width:*^width$}]."
    )]
    Padded { value: String, width: usize, ratio: f64, prec: usize },
    #[api(status = 400, code = "derive-hygiene-3", message = "[{1:>0$}] [{2:+.3}] [{1:-<0$.1}].")]
    Positional(usize, &'static str, f32),
}

#[test]
fn fields_may_be_named_like_the_derives_locals() {
    let err = Hygiene::Locals { __out: "out".into(), __details: 7, __index: 3, __field_out: "named".into() };
    assert_eq!(err.public_message(), "Got out and 7 at 3.");
    let body = production(&err);
    assert_eq!(body[0]["message"], "Got out and 7 at 3.");
    assert_eq!(body[0]["details"], json!({"__details": 7}));
    assert_eq!(body[0]["field"], "named");
}

#[test]
fn width_and_precision_may_name_fields() {
    let err = Hygiene::Padded { value: "ab".into(), width: 5, ratio: 1.23456, prec: 2 };
    assert_eq!(err.public_message(), format!("[{:>5}] [{:.2}] [{:*^5}].", "ab", 1.23456, 5));
    assert_eq!(err.public_message(), "[   ab] [1.23] [**5**].");
    let err = Hygiene::Positional(6, "xy", 2.5);
    let expected = format!("[{:>6}] [{:+.3}] [{:-<6.1}].", "xy", 2.5f32, "xy");
    assert_eq!(expected, "[    xy] [+2.500] [x-----].");
    assert_eq!(err.public_message(), expected);
    assert_eq!(production(&err)[0]["message"], expected);
}

// Raw identifiers are shown unraw (issue 10 item 2).

#[derive(Debug, thiserror::Error, ApiError)]
pub enum Odd {
    #[error("match {type}")]
    #[api(status = 400, code = "derive-raw-1", message = "No match for {type}.")]
    r#Match {
        #[api(details)]
        r#type: String,
        #[api(field)]
        r#in: String,
    },
}

#[derive(Debug, thiserror::Error, ApiError)]
#[error("raw struct")]
#[api(status = 404, code = "derive-raw-2")]
pub struct r#Struct;

#[test]
fn raw_identifiers_are_shown_unraw() {
    let err = Odd::r#Match { r#type: "int".into(), r#in: "kind".into() };
    assert_eq!(err.entry().type_name, "Odd");
    assert_eq!(err.entry().variant, Some("Match"));
    assert_eq!(err.public_message(), "No match for int.");
    let dev = body(&err, &Config::development());
    assert_eq!(dev[0]["debug"]["type"], "Odd::Match");
    assert_eq!(dev[0]["details"], json!({"type": "int"}));
    assert_eq!(dev[0]["field"], "kind");
    assert_eq!(r#Struct.entry().type_name, "Struct");
    assert_eq!(body(&r#Struct, &Config::development())[0]["debug"]["type"], "Struct");
    let markdown = apierror::registry::markdown();
    assert!(markdown.contains("Odd::Match"), "{markdown}");
    assert!(!markdown.contains("r#"), "{markdown}");
}

/// A log writer into a shared buffer.
#[derive(Clone, Default)]
struct Buffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn raw_identifiers_are_logged_unraw() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let logged = || String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    tracing::subscriber::with_default(subscriber, || {
        // Another test's thread may be registering the event's callsite
        // (shared by every test of this binary) while no subscriber wanted
        // it, and cache "never" after this one exists (a scoped subscriber
        // and a concurrent registration race in tracing-core). Once the
        // callsite is registered, a rebuild of the cached interest sees
        // this subscriber for good: so rebuild, render, and try again
        // (a few times at most) while nothing was written.
        for _ in 0..5 {
            tracing::callsite::rebuild_interest_cache();
            let _ = Odd::r#Match { r#type: "int".into(), r#in: "kind".into() }
                .to_response_with(&Config::production());
            if !logged().is_empty() {
                break;
            }
        }
    });
    let log = logged();
    assert!(log.contains("Odd::Match"), "{log}");
    assert!(!log.contains("r#"), "{log}");
}

mod retry_after;
