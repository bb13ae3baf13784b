//! The examples' translation files (issue 20), `locales/en.ftl` and
//! `locales/de.ftl`: both parse with `fluent-syntax` (the parser of
//! `fluent-bundle`); each has a message for every code the examples register
//! (the things domain, the sample types and, with `axum` and `reqwest`, the
//! gateway's billing) and nothing else; each names exactly the variables of
//! the production message; the English one is the `message` attribute word
//! for word. The `apierror.*` codes are the crate's files' (its own test).

use apierror::ApiError;
use apierror_examples::sample::{ColumnError, TableError};
use apierror_examples::things::ThingError;

/// The checks the crate's own files pass, shared.
#[path = "../../error-core/tests/locales/ftl.rs"]
#[allow(dead_code)]
mod ftl;

/// `examples/gateway.rs`, for its `BillingError` (not in the library: see
/// Cargo.toml).
#[cfg(all(feature = "axum", feature = "reqwest"))]
#[path = "../gateway.rs"]
#[allow(dead_code)]
mod gateway;

const FILES: [(&str, &str); 2] = [
    ("locales/en.ftl", include_str!("../locales/en.ftl")),
    ("locales/de.ftl", include_str!("../locales/de.ftl")),
];

/// The codes of the examples, with their production messages.
fn expected() -> ftl::Expected {
    apierror::registry::entries()
        .filter(|entry| !entry.code.starts_with("apierror."))
        .map(|entry| (ftl::key(entry.code), entry.production_message()))
        .collect()
}

/// The gateway's codes are registered only when it is compiled in.
fn not_compiled(key: &str) -> bool {
    !cfg!(all(feature = "axum", feature = "reqwest")) && key.starts_with("billing--")
}

#[test]
fn each_file_has_a_message_for_every_code_of_the_examples_and_nothing_else() {
    let expected = expected();
    let mut problems = Vec::new();
    for (name, source) in FILES {
        problems.extend(ftl::check(name, source, &expected, name.ends_with("/en.ftl"), not_compiled));
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// What the servers answer with is among what the files were held against:
/// the codes and placeholders of real errors.
#[test]
fn the_errors_the_servers_answer_with_are_covered() {
    let expected = expected();
    let errors: [&dyn ApiError; 5] = [
        &ThingError::NotFound(7),
        &ThingError::StoreUnavailable,
        &ColumnError::DuplicateName { name: "a".into(), table: "t".into() },
        &ColumnError::InvalidType { given: "strng".into(), available_types: Vec::new() },
        &TableError::ReadOnly { name: "audit".into() },
    ];
    for err in errors {
        assert!(expected.contains_key(&ftl::key(err.code())), "{}", err.code());
    }
    assert_eq!(expected[&ftl::key("2001")], "{given} is not a valid type.");
    assert_eq!(expected[&ftl::key("3001")], "Table {name} does not exist.");
    #[cfg(all(feature = "axum", feature = "reqwest"))]
    assert!(expected.contains_key("billing--card_declined"));
    assert!(!expected.keys().any(|key| key.starts_with("apierror--")));
}
