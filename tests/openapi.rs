//! The OpenAPI documents (feature `utoipa`): one response per status with
//! every code and one example per code, each example the body the
//! renderer sends; `transparent` merges; per-operation subsets; built-in
//! sets merged with a team's own; a document built by utoipa's own macros
//! agrees with the registry.

use std::collections::{BTreeMap, BTreeSet};

use apierror::openapi::{self, ErrorSet, Fallback, JsonBody, Merge, PathParams};
use apierror::{ApiError, ApiErrorExt, Config, Format};
use serde_json::{json, Value};
use utoipa::{IntoResponses, OpenApi};

#[derive(Debug, thiserror::Error, ApiError)]
#[api(docs = "https://docs.example.com/errors/{code}")]
pub enum ShelfError {
    #[error("a shelf with this name exists")]
    #[api(
        status = 409,
        code = "openapi-test.duplicate",
        field = "name",
        message = "A shelf with this name already exists."
    )]
    Duplicate,

    #[error("empty name")]
    #[api(status = 400, code = "openapi-test.empty_name", field = "name", message = "A shelf needs a name.")]
    EmptyName,

    #[error("name over {max}")]
    #[api(
        status = 400,
        code = "openapi-test.too_long",
        field = "name",
        message = "The name may have at most {max} characters."
    )]
    TooLong { max: usize },

    #[error("shelf {which} is full")]
    #[api(status = 400, code = "openapi-test.full", message = "The shelf is full.")]
    Full {
        #[api(field)]
        which: String,
        #[api(details)]
        capacity: u32,
    },

    #[error("storage busy")]
    #[api(status = 503, code = "openapi-test.busy", retry_after = 5)]
    Busy,

    #[error(transparent)]
    #[api(transparent)]
    Book(#[from] BookError),
}

/// A `transparent` variant over a box documents the boxed type.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum BoxedError {
    #[error(transparent)]
    #[api(transparent)]
    Book(Box<BookError>),
}

#[derive(Debug, thiserror::Error, ApiError)]
pub enum BookError {
    #[error("bad isbn")]
    #[api(status = 400, code = "openapi-test.bad_isbn", field = "isbn", message = "The ISBN is not valid.")]
    BadIsbn,

    #[error("no such book")]
    #[api(status = 404, code = "openapi-test.no_book", message = "There is no such book.")]
    NoBook,
}

openapi::responses! {
    /// `POST /shelves`.
    pub struct CreateShelf = ShelfError::{Duplicate, EmptyName, Book} + JsonBody + Fallback;
    /// `GET /shelves/{id}`: only the fallback's 404 and the path's 400 besides its own.
    pub struct GetShelf = ShelfError::{Busy} + PathParams + Fallback;
}

/// A response as JSON, as it is in the document.
fn json_of(responses: &BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Response>>) -> Value {
    serde_json::to_value(responses).unwrap()
}

/// The examples of a response (its one content), by name.
fn examples(response: &Value) -> &serde_json::Map<String, Value> {
    let content = response["content"].as_object().unwrap();
    assert_eq!(content.len(), 1, "one content type: {response}");
    content.values().next().unwrap()["examples"].as_object().unwrap()
}

fn names(map: &serde_json::Map<String, Value>) -> BTreeSet<&str> {
    map.keys().map(String::as_str).collect()
}

fn body(err: &impl ApiError, config: &Config) -> Value {
    serde_json::from_slice(err.to_response_with(config).body()).unwrap()
}

#[test]
fn variants_sharing_a_status_are_one_response_with_every_code_and_example() {
    let doc = json_of(&ShelfError::responses());
    assert_eq!(doc.as_object().unwrap().keys().collect::<Vec<_>>(), ["400", "404", "409", "503"]);
    let bad_request = &doc["400"];
    let codes =
        ["openapi-test.bad_isbn", "openapi-test.empty_name", "openapi-test.full", "openapi-test.too_long"];
    assert_eq!(names(examples(bad_request)), BTreeSet::from(codes));
    let schema = &bad_request["content"]["application/json"]["schema"];
    let allowed: BTreeSet<&str> = schema["items"]["properties"]["error_code"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(allowed, BTreeSet::from(codes));
    assert_eq!(schema["type"], "array");
    assert_eq!(schema["items"]["required"], json!(["message", "error_code", "field", "details"]));
    let description = bad_request["description"].as_str().unwrap();
    assert!(description.starts_with("Bad Request: "), "{description}");
    for code in codes {
        assert!(description.contains(&format!("`{code}`")), "{description}");
    }
    // Another status keeps its own codes only.
    assert_eq!(names(examples(&doc["409"])), BTreeSet::from(["openapi-test.duplicate"]));
    assert_eq!(
        doc["409"]["content"]["application/json"]["schema"]["items"]["properties"]["error_code"]["enum"],
        json!(["openapi-test.duplicate"])
    );
}

#[test]
fn each_example_is_the_body_the_renderer_sends_for_a_value() {
    let config = Config::production();
    let doc = json_of(&openapi::responses_for::<ShelfError>(&config));
    let example =
        |status: &str, code: &str| doc[status]["content"]["application/json"]["examples"][code].clone();
    // Messages without placeholders, static fields: the very body.
    let values: [(&str, ShelfError); 5] = [
        ("409", ShelfError::Duplicate),
        ("400", ShelfError::EmptyName),
        ("503", ShelfError::Busy),
        ("400", ShelfError::Book(BookError::BadIsbn)),
        ("404", ShelfError::Book(BookError::NoBook)),
    ];
    for (status, err) in values {
        let response = err.to_response_with(&config);
        assert_eq!(response.status().as_str(), status);
        let example = example(status, err.code());
        assert_eq!(example["value"], body(&err, &config), "{}", err.code());
        assert_eq!(example["summary"], *err.public_message());
    }
    assert_eq!(
        example("409", "openapi-test.duplicate")["description"],
        "See https://docs.example.com/errors/openapi-test.duplicate"
    );
    // A template is shown as written; everything else is what is sent.
    let sent = body(&ShelfError::TooLong { max: 40 }, &config);
    let shown = example("400", "openapi-test.too_long")["value"].clone();
    assert_eq!(shown[0]["message"], "The name may have at most {max} characters.");
    assert_eq!(sent[0]["message"], "The name may have at most 40 characters.");
    let without_message = |mut body: Value| {
        body[0].as_object_mut().unwrap().remove("message");
        body
    };
    assert_eq!(without_message(shown), without_message(sent));
    // A field and details known only from a value: `null` in the example,
    // the same code and keys.
    let sent = body(&ShelfError::Full { which: "top".into(), capacity: 3 }, &config);
    let shown = example("400", "openapi-test.full")["value"].clone();
    assert_eq!(
        shown,
        json!([{"message": "The shelf is full.", "error_code": "openapi-test.full", "field": null, "details": null}])
    );
    assert_eq!(sent[0]["error_code"], shown[0]["error_code"]);
    assert_eq!(sent[0]["field"], "top");
    assert_eq!(sent[0]["details"], json!({"capacity": 3}));
}

#[test]
fn a_code_with_retry_after_documents_the_header() {
    let doc = json_of(&ShelfError::responses());
    assert_eq!(doc["503"]["headers"]["Retry-After"]["schema"]["type"], "integer");
    assert!(doc["409"]["headers"].get("Retry-After").is_none(), "{doc:#}");
    let response = ShelfError::Busy.to_response_with(&Config::production());
    assert_eq!(response.headers()["retry-after"], "5");
}

/// The wire passes on an upstream's `Retry-After` on
/// `apierror.upstream.unavailable`: the document says so, like `db.busy`'s.
#[cfg(feature = "reqwest")]
#[test]
fn the_upstream_503_documents_retry_after() {
    let doc = json_of(&apierror::upstream::UpstreamError::responses());
    let header = &doc["503"]["headers"]["Retry-After"];
    assert_eq!(header["schema"]["type"], "integer", "{doc:#}");
    assert!(header["description"].as_str().unwrap().contains("apierror.upstream.unavailable"), "{header}");
    assert!(doc["502"]["headers"].get("Retry-After").is_none(), "{doc:#}");
    assert!(doc["504"]["headers"].get("Retry-After").is_none(), "{doc:#}");
    let set = json_of(&openapi::Upstream::responses());
    assert_eq!(set["503"]["headers"], doc["503"]["headers"]);
}

#[test]
fn a_transparent_variant_brings_the_inner_codes_merged_at_their_status() {
    let outer = ErrorSet::of::<ShelfError>();
    let codes: Vec<(u16, &str)> = outer.iter().map(|(status, entry)| (status.as_u16(), entry.code)).collect();
    assert!(codes.contains(&(400, "openapi-test.bad_isbn")));
    assert!(codes.contains(&(404, "openapi-test.no_book")));
    assert!(codes.contains(&(400, "openapi-test.empty_name")));
    let inner = json_of(&BookError::responses());
    assert_eq!(names(examples(&inner["400"])), BTreeSet::from(["openapi-test.bad_isbn"]));
    assert_eq!(json_of(&BoxedError::responses()), inner);
}

#[test]
fn a_subset_documents_its_variants_and_sets_merged_by_status() {
    let doc = json_of(&CreateShelf::responses());
    assert_eq!(
        doc.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["400", "404", "405", "409", "413", "415", "500"]
    );
    // The team's 400s (its own and the transparent variant's) and the JSON
    // body's, in one response.
    let bad_request = names(examples(&doc["400"]));
    let expected = BTreeSet::from([
        "openapi-test.empty_name",
        "openapi-test.bad_isbn",
        "apierror.invalid_json",
        "apierror.missing_field",
        "apierror.invalid_type",
        "apierror.invalid_value",
        "apierror.unknown_field",
        "apierror.bad_request",
    ]);
    assert_eq!(bad_request, expected);
    assert!(!bad_request.contains("openapi-test.too_long"), "not in the subset");
    assert_eq!(names(examples(&doc["404"])), BTreeSet::from(["openapi-test.no_book", "apierror.not_found"]));
    assert!(doc.get("503").is_none(), "Busy is not in the subset");

    let get = json_of(&GetShelf::responses());
    assert_eq!(get.as_object().unwrap().keys().collect::<Vec<_>>(), ["400", "404", "405", "500", "503"]);
    assert_eq!(names(examples(&get["400"])), BTreeSet::from(["apierror.invalid_path"]));
}

#[test]
fn merge_lists_whole_types_and_sets_with_statuses_merged() {
    let merged = json_of(&Merge::<(BookError, JsonBody)>::responses());
    let bad_request = names(examples(&merged["400"]));
    assert!(bad_request.contains("openapi-test.bad_isbn") && bad_request.contains("apierror.invalid_json"));
    // What utoipa itself does with `responses(BookError, JsonBody)`: the
    // second 400 replaces the first.
    let overwritten = utoipa::openapi::ResponsesBuilder::new()
        .responses_from_into_responses::<BookError>()
        .responses_from_into_responses::<JsonBody>()
        .build();
    let overwritten = serde_json::to_value(&overwritten).unwrap();
    assert!(!names(examples(&overwritten["400"])).contains("openapi-test.bad_isbn"));
}

#[test]
fn the_problem_format_documents_problem_bodies_with_their_content_type() {
    let config = Config::production().with_format(Format::Problem);
    let doc = json_of(&openapi::responses_for::<ShelfError>(&config));
    let rendered = ShelfError::Duplicate.to_response_with(&config);
    let content_type = rendered.headers()["content-type"].to_str().unwrap();
    assert_eq!(content_type, "application/problem+json");
    let content = doc["409"]["content"].as_object().unwrap();
    assert_eq!(content.keys().collect::<Vec<_>>(), [content_type]);
    let content = &content[content_type];
    assert_eq!(content["schema"]["type"], "object");
    assert_eq!(content["schema"]["properties"]["status"]["enum"], json!([409]));
    assert_eq!(content["schema"]["properties"]["error_code"]["enum"], json!(["openapi-test.duplicate"]));
    assert!(content["schema"]["properties"]["detail"].is_object());
    assert_eq!(
        content["examples"]["openapi-test.duplicate"]["value"],
        serde_json::from_slice::<Value>(rendered.body()).unwrap()
    );
}

#[test]
fn building_a_document_does_not_fix_the_configuration() {
    let _ = ShelfError::responses();
    apierror::configure(Config::production())
        .expect("a document read the configuration without installing it");
}

// A document built by utoipa's own macros, as a server builds it.

/// Creates a shelf.
#[utoipa::path(post, path = "/shelves", responses((status = 201, description = "Created"), CreateShelf))]
#[allow(dead_code)]
fn create_shelf() {}

/// Reads a shelf.
#[utoipa::path(get, path = "/shelves/{id}", params(("id" = u64, Path)), responses((status = 200, description = "The shelf"), GetShelf))]
#[allow(dead_code)]
fn get_shelf() {}

/// Lists the books of a shelf.
#[utoipa::path(get, path = "/shelves/{id}/books", params(("id" = u64, Path)), responses((status = 200, description = "The books"), Merge<(BookError, PathParams, Fallback)>))]
#[allow(dead_code)]
fn shelf_books() {}

#[derive(OpenApi)]
#[openapi(paths(create_shelf, get_shelf, shelf_books))]
struct ApiDoc;

/// Every example of the document is a code the registry knows, at its
/// status, and every code each operation's type declares is an example of
/// that operation at its status: catalog and document agree.
#[test]
fn the_document_and_the_catalog_agree() {
    let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
    let declared: [(&str, &str, ErrorSet); 3] = [
        ("/shelves", "post", ErrorSet::of::<CreateShelf>()),
        ("/shelves/{id}", "get", ErrorSet::of::<GetShelf>()),
        ("/shelves/{id}/books", "get", ErrorSet::of::<Merge<(BookError, PathParams, Fallback)>>()),
    ];
    let mut examples_seen = 0;
    for (path, method, set) in declared {
        let responses = doc["paths"][path][method]["responses"].as_object().unwrap();
        let mut documented = BTreeSet::new();
        for (status, response) in responses {
            let Some(content) = response.get("content").and_then(Value::as_object) else { continue };
            for media in content.values() {
                for (name, example) in media["examples"].as_object().unwrap() {
                    let entry = apierror::registry::find(name)
                        .unwrap_or_else(|| panic!("{name} is not in the registry"));
                    for object in example["value"].as_array().unwrap() {
                        assert_eq!(object["error_code"], entry.code);
                    }
                    documented.insert((status.parse::<u16>().unwrap(), entry.code));
                    examples_seen += 1;
                }
            }
        }
        let expected: BTreeSet<(u16, &str)> =
            set.iter().map(|(status, entry)| (status.as_u16(), entry.code)).collect();
        assert_eq!(documented, expected, "{method} {path}");
        assert!(
            responses.contains_key("200") || responses.contains_key("201"),
            "the success response is kept"
        );
    }
    assert!(examples_seen > 20, "{examples_seen}");
}

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

/// The examples are rendered, but they are not errors that happened:
/// nothing is logged for them (a 5xx example would otherwise be an
/// `error` event at every start-up).
#[test]
fn rendering_the_examples_logs_nothing() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        // A callsite another thread registered before this subscriber
        // existed: its cached interest recomputed (see tests/derive.rs).
        tracing::callsite::rebuild_interest_cache();
        let _ = ShelfError::responses();
        let _ = ShelfError::Busy.to_response_with(&Config::production());
    });
    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert_eq!(log.lines().count(), 1, "{log}");
    assert!(log.contains("503 openapi-test.busy"), "{log}");
}

/// With a validation feature: `Validation` lists every validation code at
/// the validation status, and a type with a `transparent` variant over
/// `Errors` documents them too (an empty `Errors` answers 500).
#[cfg(feature = "validator")]
#[test]
fn validation_codes_are_documented_for_valid_and_for_errors() {
    #[derive(Debug, thiserror::Error, ApiError)]
    pub enum FormError {
        #[error(transparent)]
        #[api(transparent)]
        Invalid(#[from] apierror::Errors),
    }

    let set = json_of(&openapi::Validation::responses());
    let codes = names(examples(&set["400"]));
    assert!(codes.contains("apierror.validation.length") && codes.contains("apierror.validation.too_many"));
    assert!(codes.iter().all(|code| code.starts_with("apierror.validation.")), "{codes:?}");
    let form = json_of(&FormError::responses());
    assert_eq!(names(examples(&form["400"])), codes);
    assert_eq!(names(examples(&form["500"])), BTreeSet::from(["apierror.internal"]));
    // An example is what a real violation renders, but for its field.
    #[derive(validator::Validate)]
    struct Name {
        #[validate(length(min = 1))]
        name: String,
    }
    let report = validator::Validate::validate(&Name { name: String::new() }).unwrap_err();
    let sent = body(&FormError::from(apierror::Errors::from(report)), &Config::production());
    let mut shown = examples(&form["400"])["apierror.validation.length"]["value"].clone();
    shown[0]["field"] = json!("name");
    shown[0]["details"] = sent[0]["details"].clone();
    assert_eq!(shown, sent);
}
