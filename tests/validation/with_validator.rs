//! validator's `ValidationErrors`: one object per violation, the paths, the codes, the limits, the cap.

use std::borrow::Cow;

use validator::{Validate, ValidationError};

use super::*;

#[derive(Debug, Validate)]
pub struct Order {
    #[validate(length(min = 1, max = 20))]
    pub name: String,
    #[validate(range(min = 0, max = 5))]
    pub rating_out_of_five: i64,
    #[validate(email(message = "Please give an email address we can write to."))]
    pub contact_email: String,
    #[validate(nested)]
    pub owner: Owner,
    #[validate(nested)]
    pub items: Vec<Item>,
}

#[derive(Debug, Validate)]
pub struct Owner {
    #[validate(length(min = 1))]
    pub full_name: String,
}

#[derive(Debug, Validate)]
pub struct Item {
    #[validate(length(equal = 8), custom(function = "known_sku"))]
    pub sku_code: String,
}

fn known_sku(sku: &str) -> Result<(), ValidationError> {
    match sku {
        "UNKNOWN1" => Err(ValidationError::new("validation-test.sku_unknown")),
        "NOTDECL1" => Err(ValidationError::new("validation-test.never_declared")),
        // A custom function that formats the value into its message.
        "FORMATS1" => Err(ValidationError::new("validation-test.sku_unknown")
            .with_message(Cow::Owned(format!("rejected sku {sku}")))),
        _ => Ok(()),
    }
}

pub fn valid_order() -> Order {
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
        Item { sku_code: "ABCDEFGH".into() },
        Item { sku_code: "short-secret-sku".into() },
    ];
    let errors = Errors::from(order.validate().unwrap_err());
    let (status, body) = rendered(&errors);
    assert_eq!(status, 400);
    assert_eq!(
        codes(&body),
        [
            pair("apierror.validation.email", Some("contact_email")),
            pair("apierror.validation.length", Some("items[2].sku_code")),
            pair("apierror.validation.length", Some("name")),
            pair("apierror.validation.length", Some("owner.full_name")),
            pair("apierror.validation.range", Some("rating_out_of_five")),
        ]
    );
    // The team's static message; else the rule's sentence.
    assert_eq!(body[0]["message"], "Please give an email address we can write to.");
    assert_eq!(body[2]["message"], "The value is too short or too long.");
    // Limits, allow-listed: never `value`.
    assert_eq!(body[0]["details"], Value::Null);
    assert_eq!(body[1]["details"], json!({"equal": 8}));
    assert_eq!(body[2]["details"], json!({"min": 1, "max": 20}));
    assert_eq!(body[4]["details"], json!({"min": 0, "max": 5}));
    assert_nowhere(&errors, &["not-an-email-secret", "short-secret-sku", "\"value\"", "\"6\""]);
    // validator's own Display is not the body's message either.
    let display = order_display_of(&errors);
    assert!(!display.is_empty());
}

/// The errors' `Display` (for logs) names rules and paths, not values.
fn order_display_of(errors: &Errors) -> String {
    let display = errors.to_string();
    assert!(!display.contains("secret"), "{display}");
    display
}

#[test]
fn custom_codes_reach_the_client_only_when_registered() {
    log::install();
    let mut order = valid_order();
    order.items = vec![
        Item { sku_code: "UNKNOWN1".into() },
        Item { sku_code: "NOTDECL1".into() },
        Item { sku_code: "FORMATS1".into() },
    ];
    let errors = Errors::from(order.validate().unwrap_err());
    let (status, body) = rendered(&errors);
    assert_eq!(status, 400);
    assert_eq!(
        codes(&body),
        [
            pair("validation-test.sku_unknown", Some("items[0].sku_code")),
            pair("apierror.validation.custom", Some("items[1].sku_code")),
            pair("validation-test.sku_unknown", Some("items[2].sku_code")),
        ]
    );
    // The registered code's declared message; a formatted message (it
    // may quote the value) is never used.
    assert_eq!(body[0]["message"], "There is no product with this SKU.");
    assert_eq!(body[1]["message"], "The value is invalid.");
    assert_eq!(body[2]["message"], "There is no product with this SKU.");
    assert_nowhere(&errors, &["UNKNOWN1", "NOTDECL1", "FORMATS1", "rejected sku"]);

    // One warning per process naming the code to declare.
    let _ = Errors::from(order.validate().unwrap_err());
    let warnings = log::lines_with("validation-test.never_declared");
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains("WARN") && warnings[0].contains("declare it"), "{}", warnings[0]);
}

#[derive(Debug, Validate)]
#[validate(schema(function = "dates_in_order", message = "The end comes before the start."))]
pub struct Period {
    pub start: u32,
    pub end: u32,
}

fn dates_in_order(period: &Period) -> Result<(), ValidationError> {
    if period.end < period.start {
        return Err(ValidationError::new("dates"));
    }
    Ok(())
}

#[derive(Debug, Validate)]
pub struct Booking {
    #[validate(nested)]
    pub period: Period,
}

#[test]
fn struct_level_rules_have_a_null_field_at_the_root() {
    let period = Period { start: 5, end: 1 };
    let (_, body) = rendered(&Errors::from(period.validate().unwrap_err()));
    assert_eq!(codes(&body), [pair("apierror.validation.custom", None)]);
    assert_eq!(body[0]["message"], "The end comes before the start.");
    // Nested: the struct's own path.
    let booking = Booking { period: Period { start: 5, end: 1 } };
    let (_, body) = rendered(&Errors::from(booking.validate().unwrap_err()));
    assert_eq!(codes(&body), [pair("apierror.validation.custom", Some("period"))]);
}

#[derive(Debug, Validate)]
pub struct Signup {
    #[validate(length(min = 8))]
    pub password: String,
    #[validate(must_match(other = "password"))]
    pub password_confirmation: String,
}

#[test]
fn must_match_never_echoes_either_password() {
    let signup =
        Signup { password: "hunter2-correct-horse".into(), password_confirmation: "hunter3-battery".into() };
    let report = signup.validate().unwrap_err();
    // validator itself copies both into params.
    let raw = serde_json::to_string(&report).unwrap();
    assert!(raw.contains("hunter2-correct-horse") && raw.contains("hunter3-battery"), "{raw}");
    let errors = Errors::from(report);
    let (_, body) = rendered(&errors);
    assert_eq!(codes(&body), [pair("apierror.validation.must_match", Some("password_confirmation"))]);
    assert_eq!(body[0]["details"], Value::Null, "never `other`, never `value`");
    assert_nowhere(&errors, &["hunter2-correct-horse", "hunter3-battery", "hunter"]);
}

#[test]
fn renamed_fields_and_422_in_one_line() {
    let mut order = valid_order();
    order.rating_out_of_five = 9;
    order.owner.full_name = String::new();
    order.items[0].sku_code = "x".into();
    let options =
        Options::new().rename_all(RenameAll::CamelCase).status(http::StatusCode::UNPROCESSABLE_ENTITY);
    let errors = options.validator_errors(&order.validate().unwrap_err());
    let (status, body) = rendered(&errors);
    assert_eq!(status, 422);
    assert_eq!(
        codes(&body),
        [
            pair("apierror.validation.length", Some("items[0].skuCode")),
            pair("apierror.validation.length", Some("owner.fullName")),
            pair("apierror.validation.range", Some("ratingOutOfFive")),
        ]
    );
}

#[test]
fn a_hostile_list_of_100000_invalid_items_is_capped() {
    let mut order = valid_order();
    order.items = (0..100_000).map(|_| Item { sku_code: "bad".into() }).collect();
    let errors = Errors::from(order.validate().unwrap_err());
    assert_eq!(errors.len(), 101);
    let (status, body) = rendered(&errors);
    assert_eq!(status, 400);
    let objects = body.as_array().unwrap();
    assert_eq!(objects.len(), 101);
    assert_eq!(objects[0]["field"], "items[0].sku_code");
    assert_eq!(objects[99]["field"], "items[99].sku_code");
    assert_eq!(
        objects[100],
        json!({
            "message": "There are more validation errors than are listed.",
            "error_code": "apierror.validation.too_many",
            "field": null,
            "details": {"omitted": 99_900},
        })
    );
    // A smaller cap, the same shape.
    let errors = Options::new().max_errors(3).validator_errors(&order.validate().unwrap_err());
    assert_eq!(errors.len(), 4);
}

#[derive(Debug, Validate)]
pub struct Grid {
    #[validate(nested)]
    pub grid: Vec<Vec<Item>>,
}

/// Issue 18 item 2: a top-level list (`Valid<Json<Vec<T>>>`) answered
/// `_tmp_validator[0].sku_code`, validator's internal key; the path of
/// a top-level list starts with the index, as the client sent it.
#[test]
fn a_top_level_list_is_indexed_from_the_root() {
    let good = || Item { sku_code: "ABCDEFGH".into() };
    let bad = || Item { sku_code: "short".into() };
    let list = vec![good(), bad(), good(), bad()];
    let (_, body) = rendered(&Errors::from(list.validate().unwrap_err()));
    assert_eq!(
        codes(&body),
        [
            pair("apierror.validation.length", Some("[1].sku_code")),
            pair("apierror.validation.length", Some("[3].sku_code")),
        ]
    );
    // Lists of lists, at the root or in a field.
    let nested = vec![vec![good()], vec![good(), bad()]];
    let (_, body) = rendered(&Errors::from(nested.validate().unwrap_err()));
    assert_eq!(codes(&body), [pair("apierror.validation.length", Some("[1][1].sku_code"))]);
    let grid = Grid { grid: vec![vec![bad()], vec![good(), bad()]] };
    let (_, body) = rendered(&Errors::from(grid.validate().unwrap_err()));
    assert_eq!(
        codes(&body),
        [
            pair("apierror.validation.length", Some("grid[0][0].sku_code")),
            pair("apierror.validation.length", Some("grid[1][1].sku_code")),
        ]
    );
    // Renamed and capped like any path.
    let options = Options::new().rename_all(RenameAll::CamelCase).max_errors(1);
    let (_, body) = rendered(&options.validator_errors(&list.validate().unwrap_err()));
    assert_eq!(
        codes(&body),
        [pair("apierror.validation.length", Some("[1].skuCode")), pair("apierror.validation.too_many", None)]
    );
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
            order.owner.full_name = String::new();
            order.items[0].sku_code = name.clone();
            let errors = Errors::from(order.validate().unwrap_err());
            prop_assert_eq!(errors.len(), 4);
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
