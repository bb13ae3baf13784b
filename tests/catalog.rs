//! The catalog and the lock of the sample types, through the public API.

use std::path::Path;

// Name the crate whose errors are locked: an integration test is its own
// binary, and rustc links a crate into it only where the code names it.
use apierror_examples::sample::{ColumnError, TableError};

const LOCK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/error-codes.lock");

#[test]
fn error_codes_are_unique() {
    apierror::registry::check().unwrap();
}

#[test]
fn error_codes_match_the_lock() {
    let summary = apierror::registry::verify_lock(LOCK).unwrap();
    println!("{summary}");
    assert_eq!(summary.crates(), ["apierror_examples"]);
    // The sample types (5) and the things API of the server examples (6).
    assert_eq!(summary.codes(), 11);
    assert_eq!(summary.retired(), 1);
    assert_eq!(summary.path(), Path::new(LOCK));
}

#[test]
fn only_crates_this_binary_names_are_seen() {
    let crates = apierror::registry::crates();
    // The library's own codes, and the sample's, which this file names.
    assert!(crates.contains(&"apierror"), "{crates:?}");
    assert!(crates.contains(&"apierror_examples"), "{crates:?}");
    // `second-crate` is a dev-dependency of this package, so this binary
    // could use it, but it names it nowhere: rustc does not link it, and its
    // errors are not in the registry. See tests/registry_crates.rs, which
    // names it.
    assert!(!crates.contains(&"second_crate"), "{crates:?}");
    assert!(apierror::registry::find("second-crate-9001").is_none());
}

#[test]
fn markdown_lists_every_sample_code_sorted() {
    let table = apierror::registry::markdown();
    let codes: Vec<&str> = table.lines().skip(2).map(|row| row.split('`').nth(1).unwrap()).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(codes, sorted);
    for code in ["1010", "2001", "3001", "3002", "9001", "apierror.internal"] {
        assert!(codes.contains(&code), "{code} missing from\n{table}");
    }
    assert!(table.contains(
        "| `1010` | 409 Conflict | `ColumnError::DuplicateName` | `name` | \
         There is already a column with the same name. | [docs](<https://docs.example.com/errors/1010>) |\n"
    ));
    assert!(table.contains(
        "| `9001` | 503 Service Unavailable | `ColumnError::Database` |  | \
         _An unexpected error occurred. Please try again later._ | [docs](<https://docs.example.com/errors/9001>) |\n"
    ));
    // A transparent variant has no entry of its own.
    assert!(!table.contains("ColumnError::Table"));
}

#[test]
fn json_has_the_same_facts() {
    let catalog: serde_json::Value = serde_json::from_str(&apierror::registry::json()).unwrap();
    let catalog = catalog.as_array().unwrap();
    let table_error = catalog.iter().find(|e| e["code"] == "3001").unwrap();
    assert_eq!(
        table_error,
        &serde_json::json!({
            "code": "3001",
            "status": 404,
            "reason": "Not Found",
            "type": "TableError",
            "variant": "NotFound",
            "field": "table",
            "message": "Table {name} does not exist.",
            "generic": false,
            "docs": "https://docs.example.com/errors/3001",
        })
    );
    let codes: Vec<&str> = catalog.iter().map(|e| e["code"].as_str().unwrap()).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(codes, sorted);
}

#[test]
fn the_registry_agrees_with_the_errors() {
    use apierror::ApiError;
    let err = ColumnError::from(TableError::NotFound { name: "users".into() });
    assert_eq!(err.entry(), apierror::registry::find("3001").unwrap());
    assert_eq!(err.entry().crate_name(), "apierror_examples");
}

/// Every registered code, sorted, once.
fn registered_codes() -> Vec<&'static str> {
    let mut codes: Vec<&str> = apierror::registry::entries().map(|entry| entry.code).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

#[test]
fn the_typescript_module_has_every_code() {
    let module = apierror::registry::typescript();
    // The union: every code, sorted, one line each, then `;`.
    let union: Vec<&str> = module
        .split_once("export type ErrorCode =\n")
        .unwrap()
        .1
        .lines()
        .map_while(|line| line.strip_prefix("  | "))
        .map(|line| line.trim_end_matches(';'))
        .collect();
    let quoted: Vec<String> = registered_codes().iter().map(|code| format!("\"{code}\"")).collect();
    assert_eq!(union, quoted);
    // `ERROR_CODES`: each code with its entry's facts.
    for code in registered_codes() {
        let entry = apierror::registry::find(code).unwrap();
        let text =
            |value: Option<&str>| value.map_or("null".to_owned(), |v| serde_json::to_string(v).unwrap());
        let line = format!(
            "  \"{code}\": {{ status: {}, field: {}, docs: {} }},\n",
            entry.status,
            text(entry.field),
            text(entry.docs)
        );
        assert!(module.contains(&line), "{line} missing from\n{module}");
    }
    assert!(module.contains(
        "  \"1010\": { status: 409, field: \"name\", docs: \"https://docs.example.com/errors/1010\" },\n"
    ));
    // Structurally sound: brackets balance outside strings and comments
    // (tsc itself runs in CI: .ci/frontend.sh).
    let mut depth = 0i32;
    for line in module.lines().filter(|line| !line.trim_start().starts_with("//")) {
        let line = line.split("/**").next().unwrap();
        let mut in_string = false;
        let mut escaped = false;
        for c in line.chars() {
            match (in_string, escaped, c) {
                (true, false, '\\') => escaped = true,
                (true, false, '"') => in_string = false,
                (true, ..) => escaped = false,
                (false, _, '"') => in_string = true,
                (false, _, '{' | '(' | '[') => depth += 1,
                (false, _, '}' | ')' | ']') => depth -= 1,
                _ => {}
            }
            assert!(depth >= 0, "{line}");
        }
        assert!(!in_string, "a string left open: {line}");
    }
    assert_eq!(depth, 0);
    for name in ["ErrorObject", "ProblemError", "Problem", "ErrorCodeInfo", "ErrorDebug"] {
        assert!(module.contains(&format!("export interface {name} {{\n")), "{name}");
    }
    assert!(module.contains("export type ErrorBody = ErrorObject[];\n"));
    assert_eq!(module.matches("  error_code: ErrorCode;\n").count(), 3, "ErrorObject, ProblemError, Problem");
}

#[test]
fn the_json_schema_enumerates_every_code_and_holds_the_bodies() {
    let schema: serde_json::Value = serde_json::from_str(&apierror::registry::json_schema()).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(schema["$defs"]["ErrorCode"]["enum"], serde_json::json!(registered_codes()));
    // What the array's objects and a problem may hold is what the library
    // writes (the validator itself runs in CI: .ci/frontend.sh).
    use apierror::{ApiErrorExt, Config, Format};
    let err = ColumnError::InvalidType { given: "strng".into(), available_types: vec!["int".into()] };
    for (config, definition) in [
        (Config::development(), "ErrorObject"),
        (Config::development().with_format(Format::Problem), "Problem"),
    ] {
        let body: serde_json::Value = serde_json::from_slice(err.to_response_with(&config).body()).unwrap();
        let object = if body.is_array() { &body[0] } else { &body };
        let properties = schema["$defs"][definition]["properties"].as_object().unwrap();
        let members: Vec<String> = object.as_object().unwrap().keys().cloned().collect();
        for member in &members {
            assert!(properties.contains_key(member), "{definition} lacks `{member}`");
        }
        for required in schema["$defs"][definition]["required"].as_array().unwrap() {
            assert!(members.contains(&required.as_str().unwrap().to_owned()), "{body} lacks {required}");
        }
        let codes = schema["$defs"]["ErrorCode"]["enum"].as_array().unwrap();
        assert!(codes.contains(&object["error_code"]));
    }
}
