//! The lock file format and the mode, below the public API; the behaviour
//! through `verify_lock_with` is tested in `tests/lock.rs`.

use std::ffi::OsStr;

use super::format::{parse, render, HEADER};
use super::*;

#[test]
fn bless_is_any_value_but_empty_or_zero() {
    assert_eq!(LockMode::from_value(None), LockMode::Verify);
    assert_eq!(LockMode::from_value(Some(OsStr::new(""))), LockMode::Verify);
    assert_eq!(LockMode::from_value(Some(OsStr::new("0"))), LockMode::Verify);
    assert_eq!(LockMode::from_value(Some(OsStr::new("1"))), LockMode::Bless);
    assert_eq!(LockMode::from_value(Some(OsStr::new("yes"))), LockMode::Bless);
}

fn record(code: &str, status: u16, owner: &str, crate_name: &str, retired: bool) -> Record {
    Record {
        code: code.to_owned(),
        status,
        owner: owner.to_owned(),
        crate_name: crate_name.to_owned(),
        retired,
        line: 0,
    }
}

#[test]
fn render_aligns_columns_and_parse_reads_them_back() {
    let records = [
        record("1010", 409, "ColumnError::DuplicateName", "my_app", false),
        record("apierror.long-code", 404, "Missing", "other", true),
        record("9001", 503, "ColumnError::Database", "my_app", false),
    ];
    let text = render(records.iter());
    assert_eq!(
        text.strip_prefix(HEADER).unwrap(),
        "\
# code              status  Type::Variant               crate
1010                409     ColumnError::DuplicateName  my_app
apierror.long-code  404     Missing                     other   retired
9001                503     ColumnError::Database       my_app
"
    );
    let parsed = parse(&text).unwrap();
    let parsed: Vec<_> = parsed
        .values()
        .map(|r| (r.code.as_str(), r.status, r.owner.as_str(), r.crate_name.as_str(), r.retired, r.line))
        .collect();
    assert_eq!(
        parsed,
        [
            ("1010", 409, "ColumnError::DuplicateName", "my_app", false, 7),
            ("9001", 503, "ColumnError::Database", "my_app", false, 9),
            ("apierror.long-code", 404, "Missing", "other", true, 8),
        ]
    );
}

#[test]
fn parse_names_every_bad_line_and_what_is_wrong() {
    let text = "\
# comment
1010 409 ColumnError::DuplicateName my_app

   # indented comment
1010 409 ColumnError::Other my_app
2001 200 ColumnError::InvalidType my_app
2002 4xx ColumnError::InvalidType my_app
2003 400 ColumnError::Invalid-Type my_app
2004 400 ColumnError::InvalidType my_app retire
2005 400 ColumnError::InvalidType
2006 400 ColumnError::InvalidType my-app
";
    let lines = parse(text).unwrap_err();
    let found: Vec<(usize, &str)> = lines.iter().map(|l| (l.line, l.problem.as_str())).collect();
    assert_eq!(
        found,
        [
            (5, "code `1010` is already locked on line 2: keep one line per code"),
            (6, "status `200` is not an HTTP error status: expected an integer in 400..=599"),
            (7, "status `4xx` is not an HTTP error status: expected an integer in 400..=599"),
            (8, "owner `ColumnError::Invalid-Type` is not `Type::Variant` or `Type`"),
            (9, "unexpected `retire` after the crate: the only word allowed there is `retired`"),
            (
                10,
                "expected 4 columns, `CODE STATUS Type::Variant CRATE`, optionally followed by `retired`; \
                     found 3"
            ),
            (11, "`my-app` is not a crate name (as in `use crate_name as _;`)"),
        ]
    );
    assert_eq!(lines[0].text, "1010 409 ColumnError::Other my_app");
    assert_eq!(
        lines[1].to_string(),
        "line 6: status `200` is not an HTTP error status: expected an integer in 400..=599 \
             (in `2001 200 ColumnError::InvalidType my_app`)"
    );
}
