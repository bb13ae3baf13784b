//! Rendering in a language, loading and verifying, against real Fluent.

use std::fmt;

use super::{with_accept_language, Translations};
use crate::registry::Entry;
use crate::{ApiError, ApiErrorExt, Config, Errors, Format};

crate::register! {
    static ENTRIES: [Entry; 3] = [
        Entry::builder("i18n-test.fixed", 409, "I18nError")
            .variant("Fixed")
            .message("There is already one.")
            .field("name")
            .location(module_path!(), file!(), line!())
            .build(),
        Entry::builder("2001.i18n-test", 400, "I18nError")
            .variant("Typed")
            .message("{given} is not a valid type.")
            .args(&["given"])
            .location(module_path!(), file!(), line!())
            .build(),
        Entry::builder("i18n-test.bare", 503, "I18nError")
            .variant("Bare")
            .location(module_path!(), file!(), line!())
            .build(),
    ];
}

/// A hand-written error over the entries above.
#[derive(Debug)]
enum I18nError {
    Fixed,
    Typed { given: String, count: u32 },
    Bare,
}

impl fmt::Display for I18nError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("i18n test error")
    }
}

impl std::error::Error for I18nError {}

impl ApiError for I18nError {
    fn entry(&self) -> &'static Entry {
        match self {
            Self::Fixed => &ENTRIES[0],
            Self::Typed { .. } => &ENTRIES[1],
            Self::Bare => &ENTRIES[2],
        }
    }

    fn write_public_message(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        match self {
            Self::Typed { given, .. } => write!(out, "{given} is not a valid type."),
            _ => out.write_str(self.entry().production_message()),
        }
    }

    fn message_args(&self, visit: &mut dyn FnMut(&'static str, &dyn fmt::Display)) {
        if let Self::Typed { given, count } = self {
            visit("given", given);
            // Not in the entry's `args`: a translation naming it is refused.
            let _ = count;
        }
    }

    fn write_details(&self, details: &mut crate::Details<'_>) {
        if let Self::Typed { count, .. } = self {
            details.member("count", count);
        }
    }
}

const DE: &str = r#"
i18n-htest--fixed = Es gibt schon eins.
e-2001--i18n-htest = { $given } ist kein gültiger Typ.
status-503 = Der Dienst ist nicht verfügbar (Test).
apierror--bad_request = Ungültige Anfrage (Test).
"#;

fn config(format: Format) -> Config {
    let translations =
        Translations::from_strings([("de", DE), ("fr", "i18n-htest--fixed = Il y en a \"déjà\" un.")])
            .expect("the translations load");
    Config::production().with_format(format).with_translations(translations)
}

fn body(response: &http::Response<Vec<u8>>) -> serde_json::Value {
    serde_json::from_slice(response.body()).expect("a JSON body")
}

#[test]
fn the_message_is_translated_and_nothing_else() {
    let config = config(Format::Array);
    let typed = I18nError::Typed { given: "strng\"".into(), count: 3 };
    let response = with_accept_language("de-CH, fr;q=0.5", || typed.to_response_with(&config));
    assert_eq!(response.headers()["content-language"], "de");
    assert_eq!(response.headers()["vary"], "accept-language");
    assert_eq!(
        std::str::from_utf8(response.body()).unwrap(),
        r#"[{"message":"strng\" ist kein gültiger Typ.","error_code":"2001.i18n-test","field":null,"details":{"count":3}}]"#,
    );
    let response = with_accept_language("fr", || I18nError::Fixed.to_response_with(&config));
    assert_eq!(body(&response)[0]["message"], "Il y en a \"déjà\" un.", "escaped once, at load");
    assert_eq!(body(&response)[0]["field"], "name");
    assert_eq!(response.headers()["content-language"], "fr");

    // The default language: the `message` attributes.
    for header in ["en", "it", "", "de;q=0", "*", "\u{e9}"] {
        let response = with_accept_language(header, || I18nError::Fixed.to_response_with(&config));
        assert_eq!(body(&response)[0]["message"], "There is already one.", "{header:?}");
        assert_eq!(response.headers()["content-language"], "en");
    }
    let response = I18nError::Fixed.to_response_with(&config);
    assert_eq!(body(&response)[0]["message"], "There is already one.", "no request: the default");
    assert_eq!(response.headers()["content-language"], "en");
}

#[test]
fn a_problem_translates_its_detail_not_its_title() {
    let config = config(Format::Problem);
    let response = with_accept_language("de", || I18nError::Fixed.to_response_with(&config));
    let problem = body(&response);
    assert_eq!(problem["title"], "Conflict");
    assert_eq!(problem["detail"], "Es gibt schon eins.");
    assert_eq!(problem["error_code"], "i18n-test.fixed");
    let several: Errors =
        [I18nError::Fixed, I18nError::Typed { given: "x".into(), count: 1 }].into_iter().collect();
    let response = with_accept_language("de", || several.to_response_with(&config));
    let problem = body(&response);
    assert_eq!(problem["detail"], "Ungültige Anfrage (Test).", "the built-in 400's");
    assert_eq!(problem["errors"][0]["detail"], "Es gibt schon eins.");
    assert_eq!(problem["errors"][1]["detail"], "x ist kein gültiger Typ.");
}

#[test]
fn a_missing_translation_is_the_default_language() {
    let config = config(Format::Array);
    // `fr` has no translation of the 400, nor of `status-400`.
    let typed = I18nError::Typed { given: "x".into(), count: 1 };
    let response = with_accept_language("fr", || typed.to_response_with(&config));
    assert_eq!(body(&response)[0]["message"], "x is not a valid type.");
    // A code without a message: its status's generic message.
    let response = with_accept_language("de", || I18nError::Bare.to_response_with(&config));
    assert_eq!(body(&response)[0]["message"], "Der Dienst ist nicht verfügbar (Test).");
}

#[test]
fn the_untranslated_configuration_is_unchanged() {
    let response = with_accept_language("de", || I18nError::Fixed.to_response_with(&Config::production()));
    assert_eq!(body(&response)[0]["message"], "There is already one.");
    assert!(response.headers().get("content-language").is_none());
    assert!(response.headers().get("vary").is_none());
}

#[test]
fn fluent_selectors_and_terms_render() {
    let source = "-thing = Typ\ne-2001--i18n-htest = { $given ->\n    [1] eins\n   *[other] { $given } { -thing }\n}\n";
    let translations = Translations::from_strings([("de", source)]).unwrap();
    let config = Config::production().with_translations(translations);
    for (given, expected) in [("1", "eins"), ("abc", "abc Typ")] {
        let typed = I18nError::Typed { given: given.into(), count: 1 };
        let response = with_accept_language("de", || typed.to_response_with(&config));
        assert_eq!(body(&response)[0]["message"], expected);
    }
}

#[test]
fn a_variable_the_message_lacks_is_refused_with_file_line_and_id() {
    let source = "i18n-htest--fixed = Gut\ne-2001--i18n-htest = { $count } ist { $given }\n";
    let error = Translations::from_strings([("de", source)]).unwrap_err();
    let text = error.to_string();
    assert_eq!(error.problems().len(), 1, "{text}");
    assert_eq!(error.problems()[0].line, 2);
    assert_eq!(error.problems()[0].id.as_deref(), Some("e-2001--i18n-htest"));
    assert!(text.contains("de.ftl:2: message `e-2001--i18n-htest`: `$count` is not an argument of code `2001.i18n-test`; it may use: $given"), "{text}");
    let error = Translations::from_strings([("de", "i18n-htest--fixed = { $name }")]).unwrap_err();
    assert!(error.to_string().contains("its message names no field"), "{error}");
    let error = Translations::from_strings([("de", "status-404 = { $x ->\n *[a] b\n}")]).unwrap_err();
    assert!(error.to_string().contains("`$x` is not an argument of the generic message of 404"), "{error}");
}

#[test]
fn a_file_that_does_not_parse_names_file_line_and_id() {
    let error =
        Translations::from_strings([("de", "ok = Gut\n\nbroken = { $given\nnext = Weiter\n")]).unwrap_err();
    let problem = &error.problems()[0];
    assert_eq!((problem.file.as_str(), problem.id.as_deref()), ("de.ftl", Some("broken")));
    assert!(problem.line == 3 || problem.line == 4, "{error}");
    let error = Translations::from_strings([("not a tag", "")]).unwrap_err();
    assert!(error.to_string().contains("`not a tag` is not a language tag"), "{error}");
}

#[test]
fn a_folder_is_read_by_language() {
    let dir = std::env::temp_dir().join(format!("apierror-i18n-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("de.ftl"), DE).unwrap();
    std::fs::write(dir.join("pt-BR.ftl"), "i18n-htest--fixed = Já existe.").unwrap();
    std::fs::write(dir.join("README.md"), "ignored").unwrap();
    let translations = Translations::from_folder(&dir).expect("the folder loads");
    assert_eq!(translations.languages().collect::<Vec<_>>(), ["de", "pt-BR"]);
    std::fs::write(dir.join("fr.ftl"), "oops = {").unwrap();
    let error = Translations::from_folder(&dir).unwrap_err();
    assert!(error.problems()[0].file.ends_with("fr.ftl"), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(Translations::from_folder(&dir).is_err(), "a folder that is not there");
}

#[test]
fn verify_lists_missing_codes_and_unknown_keys() {
    // Italian: a language the crate ships no file of.
    let translations =
        Translations::from_strings([("it", format!("{DE}\ntypo = x\nstatus-200 = y\n"))]).unwrap();
    let problems = crate::registry::verify_translations(&translations).unwrap_err();
    let text = problems.to_string();
    assert!(text.contains("it: `typo` is not the key of a registered code"), "{text}");
    assert!(text.contains("it: `status-200` is not"), "{text}");
    assert!(!text.contains("code `i18n-test.fixed`"), "{text}");
    assert!(!text.contains("code `i18n-test.bare`"), "its status-503 covers it: {text}");
    assert!(
        text.contains(
            "it: code `apierror.invalid_type` has no translation; add `apierror--invalid_type = …`"
        ),
        "{text}"
    );
}

/// An argument whose `Display` panics.
struct Panics;

impl fmt::Display for Panics {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        panic!("a Display that panics")
    }
}

/// `Typed`'s entry with an argument that panics in `Display`.
#[derive(Debug)]
struct PanicsInTranslation;

impl fmt::Display for PanicsInTranslation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("panics in translation")
    }
}

impl std::error::Error for PanicsInTranslation {}

impl ApiError for PanicsInTranslation {
    fn entry(&self) -> &'static Entry {
        &ENTRIES[1]
    }

    fn write_public_message(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        out.write_str("Not translated.")
    }

    fn message_args(&self, visit: &mut dyn FnMut(&'static str, &dyn fmt::Display)) {
        visit("given", &Panics);
    }
}

/// A translation whose argument panics never panics the render nor
/// half-writes the body: the fallback object, complete, in both paths
/// (pieces and Fluent's resolver).
#[test]
fn a_panicking_argument_yields_the_fallback_body() {
    let fluent = "e-2001--i18n-htest = { $given ->\n   *[other] { $given } x\n}\n";
    for source in [DE, fluent] {
        let translations = Translations::from_strings([("de", source)]).unwrap();
        for format in [Format::Array, Format::Problem] {
            let config = Config::production().with_format(format).with_translations(translations.clone());
            let response = with_accept_language("de", || PanicsInTranslation.to_response_with(&config));
            assert_eq!(response.status(), 400);
            let body = body(&response);
            let object = if format == Format::Problem { &body } else { &body[0] };
            assert_eq!(object["error_code"], "2001.i18n-test", "{body}");
            let message = object.get("message").or(object.get("detail")).unwrap();
            assert_eq!(message, crate::generic_message(400), "{body}");
        }
    }
}

/// A request's language and its id are kept apart: an id scope inside a
/// language scope keeps the language, a language scope keeps the id.
#[test]
fn language_and_id_scopes_nest() {
    let config = config(Format::Array);
    let id = crate::RequestId::parse("req-1").unwrap();
    with_accept_language("de", || {
        id.scope(|| {
            let response = I18nError::Fixed.to_response_with(&config);
            assert_eq!(response.headers()["content-language"], "de");
            assert_eq!(response.headers()["x-request-id"], "req-1");
            with_accept_language("fr", || {
                let response = I18nError::Fixed.to_response_with(&config);
                assert_eq!(response.headers()["content-language"], "fr");
                assert_eq!(response.headers()["x-request-id"], "req-1");
            });
        });
    });
    let response = I18nError::Fixed.to_response_with(&config);
    assert_eq!(response.headers()["content-language"], "en");
    assert!(response.headers().get("x-request-id").is_none());
}

/// The crate's own files (`locales/*.ftl`) load: they parse, use only the
/// key rule's keys and no variable, in every language shipped.
#[test]
fn the_crates_own_translations_load() {
    for (language, _) in super::BUILTIN {
        let translations = Translations::from_strings([(*language, "")])
            .unwrap_or_else(|error| panic!("locales/{language}.ftl: {error}"));
        let problems = crate::registry::verify_translations(&translations).err();
        let unknown: Vec<String> = problems
            .iter()
            .flat_map(|problems| problems.problems())
            .filter(|problem| matches!(problem, super::TranslationProblem::UnknownKey { .. }))
            .map(ToString::to_string)
            .collect();
        assert!(unknown.is_empty(), "locales/{language}.ftl: {unknown:?}");
    }
}

/// The catalog in every language: each code's message per language (a
/// template's variables as `{name}`, the status's message for a code
/// without one of its own, `null` / `—` where a language has none), the
/// untranslated catalog unchanged.
#[test]
fn the_catalog_shows_every_language() {
    let config = config(Format::Array);
    let translations = config.translations().unwrap();
    let catalog: serde_json::Value = serde_json::from_str(&crate::registry::json_with(translations)).unwrap();
    let of = |code: &str| catalog.as_array().unwrap().iter().find(|e| e["code"] == code).unwrap().clone();
    let messages = |code: &str| of(code)["messages"].clone();
    assert_eq!(
        messages("i18n-test.fixed"),
        serde_json::json!({"de": "Es gibt schon eins.", "fr": "Il y en a \"déjà\" un."})
    );
    assert_eq!(
        messages("2001.i18n-test"),
        serde_json::json!({"de": "{given} ist kein gültiger Typ.", "fr": null})
    );
    assert_eq!(messages("i18n-test.bare")["de"], "Der Dienst ist nicht verfügbar (Test).");
    // The crate's own German is part of the set.
    assert!(messages("apierror.not_found")["de"].as_str().is_some_and(|m| !m.is_empty()));
    let json = crate::registry::json_with(translations);
    let at = |key: &str| json.find(key).unwrap();
    assert!(
        at("\"message\": ") < at("\"messages\": ") && at("\"messages\": ") < at("\"generic\": "),
        "{json}"
    );

    let table = crate::registry::markdown_with(translations);
    let row = table.lines().find(|row| row.starts_with("| `2001.i18n-test` |")).unwrap();
    assert!(
        row.contains("{given} is not a valid type.<br>**de**: {given} ist kein gültiger Typ.<br>**fr**: — |"),
        "{row}"
    );
    assert!(!crate::registry::markdown().contains("<br>**de**"));
    assert!(!crate::registry::json().contains("\"messages\""));
}
