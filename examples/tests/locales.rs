//! The examples' translation files (issue 20), `locales/en.ftl` and
//! `locales/de.ftl`, checked as a team checks its own: one test,
//! `registry::verify_translations` over `Translations::from_folder` (which
//! refuses a file that does not parse and a variable the code's message
//! lacks; verify lists every code without a translation in a language and
//! every key without a code). What verify does not check, the English file
//! saying the `message` attribute word for word, is the second test. The
//! `apierror.*` codes come from the crate's files (its own tests).

use apierror::i18n::{TranslationProblem, Translations};
use apierror::registry;

/// The checks of a translation file, shared with the crate's own test.
#[path = "../../error-core/tests/locales/ftl.rs"]
#[allow(dead_code)]
mod ftl;

/// `examples/gateway.rs`, for its `BillingError` (not in the library: see
/// Cargo.toml), so that the files are held against its code too.
#[cfg(all(feature = "axum", feature = "reqwest"))]
#[path = "../gateway.rs"]
#[allow(dead_code)]
mod gateway;

/// The translations as the servers load them (`apierror_examples::config`).
fn translations() -> Translations {
    apierror_examples::translations().unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn every_code_of_the_examples_is_translated_in_every_language() {
    let translations = translations();
    assert_eq!(translations.languages().collect::<Vec<_>>(), ["de", "en"]);
    let problems = match registry::verify_translations(&translations) {
        Ok(()) => Vec::new(),
        Err(problems) => problems.problems().to_vec(),
    };
    // The gateway's code is registered only when it is compiled in.
    let gateway = cfg!(all(feature = "axum", feature = "reqwest"));
    let problems: Vec<String> = problems
        .iter()
        .filter(|problem| {
            gateway
                || !matches!(problem, TranslationProblem::UnknownKey { key, .. } if key.starts_with("billing--"))
        })
        .map(ToString::to_string)
        .collect();
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    // Not vacuous: the things, the sample types and (compiled in) billing
    // are registered, so verify held the files against them.
    let codes: Vec<&str> = registry::entries().map(|entry| entry.code).collect();
    for code in ["things.not_found", "things.store_unavailable", "1010", "2001", "3001", "3002"] {
        assert!(codes.contains(&code), "{code}");
    }
    assert_eq!(codes.contains(&"billing.card_declined"), gateway);
}

/// The English file is the `message` attributes word for word (a template
/// as written, its format specs left out), so that the default language
/// and English never differ.
#[test]
fn the_english_file_says_the_message_attributes() {
    let (name, source) = ("locales/en.ftl", include_str!("../locales/en.ftl"));
    let messages = ftl::parse(name, source).unwrap_or_else(|problems| panic!("{problems:#?}"));
    let mut problems = Vec::new();
    let mut compared = 0;
    for entry in registry::entries().filter(|entry| !entry.code.starts_with("apierror.")) {
        let Some(message) = messages.get(&apierror::i18n::key_of(entry.code)) else { continue };
        let production = entry.production_message();
        let production = if ftl::placeholders(production).is_empty() {
            production.replace('{', "{{").replace('}', "}}")
        } else {
            ftl::without_specs(production)
        };
        compared += 1;
        if message.template.as_deref() != Some(production.as_str()) {
            problems.push(format!(
                "{name}:{}: `{}` says {:?}, not {production:?}",
                message.line, entry.code, message.template
            ));
        }
    }
    assert!(compared >= 10, "{compared} messages compared");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
