//! garde's `Report`: one object per violation, the paths, the codes, bounded map keys.

use garde::Validate;

use super::*;

#[derive(Debug, Validate)]
pub struct Order {
    #[garde(length(min = 1, max = 20))]
    pub name: String,
    #[garde(range(min = 0, max = 5))]
    pub rating_out_of_five: i64,
    #[garde(email)]
    pub contact_email: String,
    #[garde(dive)]
    pub owner: Owner,
    #[garde(dive)]
    pub items: Vec<Item>,
}

#[derive(Debug, Validate)]
pub struct Owner {
    #[garde(length(min = 1))]
    pub full_name: String,
}

#[derive(Debug, Validate)]
pub struct Item {
    #[garde(custom(known_sku))]
    pub sku_code: String,
}

fn known_sku(sku: &str, _: &()) -> garde::Result {
    match sku {
        "UNKNOWN1" => Err(garde::Error::new("validation-test.sku_unknown")),
        "NOTDECL1" => Err(garde::Error::new(format!("rejected sku {sku}"))),
        _ => Ok(()),
    }
}

fn valid_order() -> Order {
    Order {
        name: "lamp".into(),
        rating_out_of_five: 4,
        contact_email: "a@example.com".into(),
        owner: Owner { full_name: "Ada".into() },
        items: vec![Item { sku_code: "ABCDEFGH".into() }],
    }
}

#[test]
fn one_object_per_violation_with_the_clients_paths() {
    let mut order = valid_order();
    order.name = String::new();
    order.rating_out_of_five = 6;
    order.contact_email = "not-an-email-secret".into();
    order.owner.full_name = String::new();
    order.items = vec![
        Item { sku_code: "ABCDEFGH".into() },
        Item { sku_code: "UNKNOWN1".into() },
        Item { sku_code: "NOTDECL1".into() },
    ];
    let errors = Errors::from(order.validate().unwrap_err());
    let (status, body) = rendered(&errors);
    assert_eq!(status, 400);
    let mut got = codes(&body);
    got.sort_by_key(|a| a.1.to_string());
    assert_eq!(
        got,
        [
            pair("apierror.validation.email", Some("contact_email")),
            pair("validation-test.sku_unknown", Some("items[1].sku_code")),
            pair("apierror.validation.custom", Some("items[2].sku_code")),
            pair("apierror.validation.length", Some("name")),
            pair("apierror.validation.length", Some("owner.full_name")),
            pair("apierror.validation.range", Some("rating_out_of_five")),
        ]
    );
    let by_field = |field: &str| {
        body.as_array().unwrap().iter().find(|object| object["field"] == field).unwrap().clone()
    };
    assert_eq!(by_field("name")["details"], json!({"min": 1}));
    assert_eq!(by_field("rating_out_of_five")["details"], json!({"max": 5}));
    assert_eq!(by_field("contact_email")["details"], Value::Null);
    assert_eq!(by_field("items[1].sku_code")["message"], "There is no product with this SKU.");
    assert_eq!(by_field("items[2].sku_code")["message"], "The value is invalid.");
    // garde's own sentences are never sent.
    assert_nowhere(&errors, &["not-an-email-secret", "NOTDECL1", "UNKNOWN1", "rejected sku", "lower than"]);
}

#[derive(Debug, Validate)]
pub struct Signup {
    #[garde(length(min = 8))]
    pub password: String,
    #[garde(matches(password))]
    pub password_confirmation: String,
}

#[test]
fn matches_never_echoes_either_password() {
    let signup =
        Signup { password: "hunter2-correct-horse".into(), password_confirmation: "hunter3-battery".into() };
    let errors = Errors::from(signup.validate().unwrap_err());
    let (_, body) = rendered(&errors);
    assert_eq!(codes(&body), [pair("apierror.validation.must_match", Some("password_confirmation"))]);
    assert_nowhere(&errors, &["hunter2-correct-horse", "hunter3-battery", "hunter"]);
}

#[test]
fn struct_level_renamed_and_capped() {
    let mut report = garde::Report::new();
    report.append(garde::Path::empty(), garde::Error::new("the end comes before the start"));
    let (_, body) = rendered(&Errors::from(report));
    assert_eq!(codes(&body), [pair("apierror.validation.custom", None)]);

    let mut order = valid_order();
    order.owner.full_name = String::new();
    let options =
        Options::new().rename_all(RenameAll::CamelCase).status(http::StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = rendered(&options.garde_report(&order.validate().unwrap_err()));
    assert_eq!(
        (status, codes(&body)),
        (422, vec![pair("apierror.validation.length", Some("owner.fullName"))])
    );

    order.items = (0..100_000).map(|_| Item { sku_code: "NOTDECL1".into() }).collect();
    let errors = Errors::from(order.validate().unwrap_err());
    assert_eq!(errors.len(), 101);
    let (_, body) = rendered(&errors);
    assert_eq!(body[100]["error_code"], "apierror.validation.too_many");
    // The owner's violation and 99 items are listed.
    assert_eq!(body[100]["details"], json!({"omitted": 99_901}));
}

/// A map of the client's keys, each to lines that must not be empty
/// (the issue 18 scenario), or to a nested map (any depth).
#[derive(Debug, Validate)]
pub struct Document {
    #[garde(dive)]
    pub m: std::collections::HashMap<String, Lines>,
}

#[derive(Debug, Validate)]
pub struct Lines {
    #[garde(inner(length(min = 1)))]
    pub lines: Vec<String>,
    #[garde(dive)]
    pub m: std::collections::HashMap<String, Lines>,
}

/// `lines` empty lines under `key`, nested `depth` maps deep.
pub fn document(key: &str, depth: usize, lines: usize) -> Document {
    let mut inner = Lines { lines: vec![String::new(); lines], m: Default::default() };
    for _ in 1..depth {
        inner = Lines { lines: Vec::new(), m: [(key.to_owned(), inner)].into() };
    }
    Document { m: [(key.to_owned(), inner)].into() }
}

/// The body's size, and each `field`, are bounded whatever the keys:
/// the mark ends a cut segment or field.
pub fn assert_bounded(errors: &Errors) -> Vec<String> {
    let body = errors.to_response_with(&Config::production()).into_body();
    assert!(body.len() < 256 * 1024, "a {} byte body", body.len());
    let body: Value = serde_json::from_slice(&body).unwrap();
    let fields: Vec<String> = body
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|object| object["field"].as_str().map(str::to_owned))
        .collect();
    for field in &fields {
        assert!(field.len() <= 256, "a {} byte field", field.len());
    }
    fields
}

/// Issue 18: 200 violations under one 1 MB key answered a 100 MB body.
#[test]
fn a_huge_map_key_is_cut_in_every_field() {
    let key = "k".repeat(1_000_000);
    let errors = Errors::from(document(&key, 1, 200).validate().unwrap_err());
    assert_eq!(errors.len(), 101);
    let fields = assert_bounded(&errors);
    assert_eq!(fields.len(), 100);
    let cut = format!("m.{}\u{2026}.lines[", "k".repeat(61));
    for field in &fields {
        assert!(field.starts_with(&cut) && field.ends_with(']'), "{field}");
    }
    let (_, body) = rendered(&errors);
    assert_eq!(body[100]["details"], json!({"omitted": 100}));

    // Escaped characters (6 bytes each in the body) and characters of
    // several bytes, cut on a boundary, renamed or not.
    for unit in ["\u{1}", "\u{202e}", "\u{1f600}", "\u{df}"] {
        let key = unit.repeat(300_000);
        for options in [Options::new(), Options::new().rename_all(RenameAll::ScreamingSnakeCase)] {
            let errors = options.garde_report(&document(&key, 1, 200).validate().unwrap_err());
            for field in assert_bounded(&errors) {
                assert!(field.to_ascii_lowercase().contains("\u{2026}.lines["), "{field:?}");
            }
        }
    }
}

/// A path of many short segments is cut as a whole.
#[test]
fn a_deep_path_is_cut_as_a_whole() {
    let key = "k".repeat(60);
    let errors = Errors::from(document(&key, 10, 3).validate().unwrap_err());
    let fields = assert_bounded(&errors);
    assert_eq!(fields.len(), 3);
    for field in fields {
        assert!(field.starts_with(&format!("m.{key}.m.{key}.m.")) && field.ends_with('\u{2026}'), "{field}");
    }
    // A key within the bound is kept whole.
    let errors = Errors::from(document("k\u{e9}y", 2, 1).validate().unwrap_err());
    assert_eq!(assert_bounded(&errors), ["m.k\u{e9}y.m.k\u{e9}y.lines[0]"]);
}

mod bounded {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Whatever the key (any characters, any length), the depth and
        /// the number of violations, the body stays under 256 KiB and
        /// each `field` under 256 bytes; a short key is kept whole.
        #[test]
        fn output_is_bounded_whatever_the_key(
            unit in "[\\x00-\\x1f\"\\\\a-z\u{e9}\u{202e}\u{1f600}]{1,4}",
            repeat in prop_oneof![0usize..40, 1_000usize..5_000],
            depth in 1usize..8,
            lines in 1usize..150,
        ) {
            let key = unit.repeat(repeat);
            let errors = Errors::from(document(&key, depth, lines).validate().unwrap_err());
            prop_assert_eq!(errors.len(), lines.min(100) + usize::from(lines > 100));
            let fields = assert_bounded(&errors);
            if depth == 1 && key.len() <= 64 {
                let whole = format!("m.{key}.lines[");
                prop_assert!(fields.iter().all(|field| field.starts_with(&whole)), "{:?}", fields);
            } else if key.len() > 64 {
                prop_assert!(fields.iter().all(|field| field.contains('\u{2026}')), "{:?}", fields);
            }
        }
    }
}

/// Issue 18 item 3: a custom rule's free-text messages (they may
/// quote the value, or vary per request) are one rule in the
/// unknown-code warning, not one of its 32 slots each; the text is not
/// logged; a code to declare is still warned about after 40 of them.
#[test]
fn free_text_messages_count_as_one_rule() {
    log::install();
    let mut report = garde::Report::new();
    for i in 0..40 {
        let path = garde::Path::new("notes").join(i);
        report.append(path, garde::Error::new(format!("ZQW{i} is not a note we take")));
    }
    let errors = Errors::from(&report);
    let (_, body) = rendered(&errors);
    assert!(codes(&body).iter().all(|(code, _)| code == "apierror.validation.custom"), "{body}");
    let _ = Errors::from(&report);

    let mut code = garde::Report::new();
    code.append(garde::Path::new("sku"), garde::Error::new("validation-test.garde_never_declared"));
    let (_, body) = rendered(&Errors::from(code));
    assert_eq!(codes(&body), [pair("apierror.validation.custom", Some("sku"))]);
    let warnings = log::lines_with("validation-test.garde_never_declared");
    assert_eq!(warnings.len(), 1, "the slots are full: {:#?}", log::lines_with("is not in the registry"));
    assert!(warnings[0].contains("declare it"), "{}", warnings[0]);

    let warnings = log::lines_with("not an error code");
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].contains("WARN") && warnings[0].contains("validation.field=notes["),
        "{}",
        warnings[0]
    );
    assert_eq!(log::lines_with("ZQW"), Vec::<String>::new());
}

mod property {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Random invalid inputs never appear anywhere in the body.
        #[test]
        fn random_invalid_inputs_never_appear_in_the_body(
            name in "ZQX[a-zA-Z0-9 \"\\\\<>]{30,60}",
            email in "ZQX[a-zA-Z0-9 \"\\\\<>.]{0,30}",
            password in "ZQX[a-zA-Z0-9!]{8,30}",
            confirmation in "ZQY[a-zA-Z0-9!]{8,30}",
        ) {
            let mut order = valid_order();
            order.name = name.clone();
            order.contact_email = email.clone();
            order.items[0].sku_code = "NOTDECL1".into();
            let errors = Errors::from(order.validate().unwrap_err());
            prop_assert_eq!(errors.len(), 3);
            let signup = Signup { password: password.clone(), password_confirmation: confirmation.clone() };
            let signup_errors = Errors::from(signup.validate().unwrap_err());
            for config in [Config::production(), Config::development()] {
                for errors in [&errors, &signup_errors] {
                    let text = String::from_utf8(errors.to_response_with(&config).into_body()).unwrap();
                    for secret in [&name, &email, &password, &confirmation] {
                        prop_assert!(!text.contains(secret.as_str()), "{} in {}", secret, text);
                    }
                    prop_assert!(!text.contains("ZQ"), "{}", text);
                }
            }
        }
    }
}
