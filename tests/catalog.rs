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
