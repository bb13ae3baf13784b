//! The crate's own translation files (issue 20), `locales/en.ftl` and
//! `locales/de.ftl`: both parse with `fluent-syntax` (the parser of
//! `fluent-bundle`); each has a message for every built-in code this build
//! registers and for every status with a generic sentence, and nothing
//! else; each message names exactly the variables of the production message;
//! the English one is the production message word for word.
//!
//! Run with every feature (`cargo test -p apierror --all-features --test
//! locales`, as CI does) to hold the files against every built-in code: with
//! a feature off, its codes are not registered, so its area's keys are
//! allowed but not required.

mod ftl;

/// The files, as the crate ships them.
const FILES: [(&str, &str); 2] = [
    ("locales/en.ftl", include_str!("../../locales/en.ftl")),
    ("locales/de.ftl", include_str!("../../locales/de.ftl")),
];

/// The statuses with a `status-NNN` message: every one with a sentence of
/// its own in `generic_message`, and every 4xx and 5xx `http` names (the
/// 5xx share one sentence).
fn statuses() -> Vec<u16> {
    let other_4xx = apierror::generic_message(499);
    (400..=599)
        .filter(|&status| {
            let named = http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).is_some();
            named || (status < 500 && apierror::generic_message(status) != other_4xx)
        })
        .collect()
}

/// Every key the files must have, with the production message it translates.
fn expected() -> ftl::Expected {
    let codes = apierror::registry::entries()
        .filter(|entry| entry.code.starts_with("apierror."))
        .map(|entry| (ftl::key(entry.code), entry.production_message()));
    let statuses =
        statuses().into_iter().map(|status| (ftl::status_key(status), apierror::generic_message(status)));
    codes.chain(statuses).collect()
}

/// Whether `key` is a built-in code of an area this build does not compile
/// (its feature is off): the files have it, the registry does not.
fn not_compiled(key: &str) -> bool {
    let Some(code) = ftl::code(key) else { return false };
    let areas = [
        ("apierror.validation.", cfg!(any(feature = "validator", feature = "garde"))),
        ("apierror.db.", cfg!(any(feature = "sqlx", feature = "tokio-postgres"))),
        ("apierror.upstream.", cfg!(feature = "reqwest")),
    ];
    areas.iter().any(|&(prefix, compiled)| code.starts_with(prefix) && !compiled)
}

#[test]
fn each_file_has_a_message_for_every_builtin_code_and_status_and_nothing_else() {
    let expected = expected();
    // Not vacuous: the built-ins of every build and the statuses.
    for key in
        ["apierror--internal", "apierror--not_found", "apierror--invalid_json", "status-404", "status-503"]
    {
        assert!(expected.contains_key(key), "{key} is expected");
    }
    let mut problems = Vec::new();
    for (name, source) in FILES {
        problems.extend(ftl::check(name, source, &expected, name.ends_with("/en.ftl"), not_compiled));
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// The files as a team loads them (the built-ins are part of every
/// `Translations` for English and German): every built-in code this build
/// registers is translated in both, no key lacks a code, as
/// `registry::verify_translations` (the team's one test) checks. The test
/// above adds what verify leaves to the files' authors: the statuses'
/// messages, the variables, English word for word.
#[cfg(feature = "i18n")]
#[test]
fn the_files_pass_verify_translations() {
    let translations = apierror::i18n::Translations::from_strings([("en", ""), ("de", "")])
        .unwrap_or_else(|error| panic!("{error}"));
    if let Err(problems) = apierror::registry::verify_translations(&translations) {
        panic!("{problems}");
    }
    // Not vacuous: a language without the crate's file misses them.
    let bare = apierror::i18n::Translations::from_strings([("fr", "")]).unwrap();
    let problems = apierror::registry::verify_translations(&bare).unwrap_err();
    assert!(problems.to_string().contains("fr: code `apierror.not_found` has no translation"), "{problems}");
}

/// With every feature, every area's codes are registered: none of the
/// files' keys is excused.
#[test]
#[cfg(all(
    any(feature = "validator", feature = "garde"),
    any(feature = "sqlx", feature = "tokio-postgres"),
    feature = "reqwest"
))]
fn with_every_feature_every_key_of_the_files_is_a_registered_code_or_a_status() {
    let expected = expected();
    for (name, source) in FILES {
        let messages = ftl::parse(name, source).expect("parses");
        assert!(messages.keys().eq(expected.keys()), "{name}: the keys are those of the built-ins");
    }
    let areas = ["apierror.validation.", "apierror.db.", "apierror.upstream."];
    for area in areas {
        assert!(apierror::registry::entries().any(|entry| entry.code.starts_with(area)), "{area}");
    }
}

/// The statuses are the 29 4xx with a sentence and the 11 named 5xx.
#[test]
fn the_statuses_with_a_message_are_those_with_a_sentence_and_the_named_ones() {
    let statuses = statuses();
    assert_eq!(statuses.iter().filter(|&&status| status < 500).count(), 29, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|&&status| status >= 500).count(), 11, "{statuses:?}");
    assert!(statuses.contains(&418) && statuses.contains(&425) && !statuses.contains(&499));
}

/// The checks catch what they are for: a file that leaves a code out, has a
/// key no code has, names a variable the production message does not, says
/// something else than the production message in English, or does not
/// parse.
#[test]
fn the_checks_catch_each_kind_of_mistake() {
    let expected: ftl::Expected = [
        (ftl::key("2001"), "{given} is not a valid type."),
        (ftl::key("3001"), "Table {name:>8} does not exist."),
        (ftl::key("app.plain"), "Nothing to fill in."),
        (ftl::status_key(404), "The requested resource was not found."),
    ]
    .into_iter()
    .collect();
    let good = "e-2001 = { $given } is not a valid type.\n\
                e-3001 = Table { $name } does not exist.\n\
                app--plain = Nothing to fill in.\n\
                status-404 = The requested resource was not found.\n";
    assert_eq!(ftl::check("good.ftl", good, &expected, true, |_| false), Vec::<String>::new());

    let german = "e-2001 = { $given } ist kein gültiger Typ.\n\
                  e-3001 = Die Tabelle { $name } existiert nicht.\n\
                  app--plain = Klammern.\n\
                  status-404 = { $given ->\n        *[other] Nicht gefunden.\n    }\n\
                  app--other = Nicht registriert.\n";
    let problems = ftl::check("de.ftl", german, &expected, false, |_| false);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("de.ftl:4: `status-404` names the variables {\"given\"}"), "{problems:#?}");
    assert!(
        problems[1].contains("de.ftl:7: `app--other` (the code `app.other`) is not expected"),
        "{problems:#?}"
    );
    assert!(ftl::check("de.ftl", german, &expected, false, |key| key == "app--other").len() == 1);

    let english = "e-2001 = { $given } is not a valid type!\n\
                   e-3001 = Table { $table } does not exist.\n\
                   status-404 = The requested resource was not found.\n";
    let problems = ftl::check("en.ftl", english, &expected, true, |_| false);
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert!(problems.iter().any(|p| p.contains("en.ftl:1: `e-2001` says \"{given} is not a valid type!\"")));
    assert!(problems.iter().any(|p| p.contains("en.ftl:2: `e-3001` names the variables {\"table\"}")));
    assert!(problems.iter().any(|p| p.contains("en.ftl: no message `app--plain` for the code `app.plain`")));

    let broken = "e-2001 = { $given is not a valid type.\nstatus-404 = Fine.\n\nstatus-404 = Twice.\n";
    let problems = ftl::check("broken.ftl", broken, &expected, false, |_| false);
    assert!(problems.iter().any(|p| p.starts_with("broken.ftl:1: does not parse")), "{problems:#?}");
    assert!(
        problems.iter().any(|p| p.contains("broken.ftl:4: `status-404` is given twice (first on line 2)")),
        "{problems:#?}"
    );
}

#[test]
fn the_key_rule_is_the_shared_notes() {
    for (code, key) in [
        ("1010", "e-1010"),
        ("things.not_found", "things--not_found"),
        ("apierror.upstream.timeout", "apierror--upstream--timeout"),
        ("a-b:c", "a-hb-cc"),
        ("_x", "e-_x"),
        (".x", "e-x--x"),
        ("-x", "e-x-hx"),
        (":x", "e-x-cx"),
        ("e-1", "e-h1"),
    ] {
        assert_eq!(ftl::key(code), key, "{code}");
        assert_eq!(ftl::code(key).as_deref(), Some(code), "{key}");
    }
    for not_a_code in ["status-404", "e-", "e-x", "e-xa", "e-a", "a-", "a-x", "a-1", "1010", "a.b"] {
        assert_eq!(ftl::code(not_a_code), None, "{not_a_code}");
    }
}

proptest::proptest! {
    /// Every valid code has a key that is a Fluent identifier (the real
    /// parser reads it as one), that is never a `status-NNN` key, and that
    /// gives the code back.
    #[test]
    fn every_code_has_a_fluent_key_that_gives_it_back(code in "[A-Za-z0-9._:-]{1,24}") {
        let key = ftl::key(&code);
        proptest::prop_assert_eq!(ftl::code(&key), Some(code.clone()));
        // A `-` before a digit is the leading `e-` or the second of `--`
        // (`.`), never one after a letter as in `status-404`.
        let bytes = key.strip_prefix("e-").unwrap_or(&key).as_bytes();
        proptest::prop_assert!(
            !bytes.windows(3).any(|w| w[0] != b'-' && w[1] == b'-' && w[2].is_ascii_digit()),
            "{}",
            key
        );
        let status = key.strip_prefix("status-").is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
        proptest::prop_assert!(!status, "{}", key);
        let messages = ftl::parse("key.ftl", &format!("{key} = x\n")).map_err(|problems| {
            proptest::test_runner::TestCaseError::fail(problems.join("; "))
        })?;
        proptest::prop_assert_eq!(messages.keys().collect::<Vec<_>>(), [&key]);
    }
}
