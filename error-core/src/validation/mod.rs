//! Validation failures (features `validator` and `garde`): every failed
//! rule is one error object in the common body, and nothing the client sent
//! is ever echoed.
//!
#![doc = include_str!("../docs/validation.md")]
//! # The codes
//!
//! | code | rule (validator / garde) | message |
//! |---|---|---|
#![doc = include_str!("codes.md")]
//! | `apierror.validation.too_many` | (more violations than [`Options::max_errors`]) | the last object; `details.omitted` counts the violations left out |

use std::fmt;

use crate::registry::Entry;
use crate::{ApiError, Details, Errors};

#[cfg(feature = "garde")]
mod garde;
mod path;
mod rename;
mod valid;
#[cfg(feature = "validator")]
mod validator;
mod warn;

use path::Path;
pub use rename::RenameAll;
use warn::warn_unknown_code;

#[cfg(any(feature = "axum", feature = "actix-web"))]
pub(crate) use valid::validated;
pub use valid::{Check, Garde, Valid, Validates, Validator};

/// Violations answered at most by default; see [`Options::max_errors`].
pub const DEFAULT_MAX_ERRORS: usize = 100;

/// How validation failures are answered: the status, the field names, the
/// cap. Part of the [`Config`](crate::Config)
/// ([`Config::with_validation`](crate::Config::with_validation)); the
/// conversions (`Errors::from`) and the `Valid` extractors use the options
/// of the request being served.
///
/// ```
/// use apierror::validation::Options;
/// let options = Options::new().status(http::StatusCode::UNPROCESSABLE_ENTITY).max_errors(10);
/// assert_eq!(options.get_status(), 422);
/// assert_eq!(options.get_max_errors(), 10);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct Options {
    status: http::StatusCode,
    rename_all: RenameAll,
    max_errors: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self::new()
    }
}

impl Options {
    /// 400, Rust field names as they are, at most 100 violations.
    pub const fn new() -> Self {
        Self {
            status: http::StatusCode::BAD_REQUEST,
            rename_all: RenameAll::None,
            max_errors: DEFAULT_MAX_ERRORS,
        }
    }

    /// The status of every validation error: 400 by default; 422 for teams
    /// that answer well-formed but invalid requests so. A status outside
    /// `400..=499` is ignored (400 is kept).
    pub fn status(mut self, status: http::StatusCode) -> Self {
        if status.is_client_error() {
            self.status = status;
        }
        self
    }

    /// Rename every path segment as serde's `#[serde(rename_all = "…")]`
    /// does, so that `field` is the name the client sent.
    pub const fn rename_all(mut self, rename_all: RenameAll) -> Self {
        self.rename_all = rename_all;
        self
    }

    /// At most `max` violations are answered (at least 1), then one
    /// `apierror.validation.too_many` object says how many were left out.
    pub const fn max_errors(mut self, max: usize) -> Self {
        self.max_errors = if max == 0 { 1 } else { max };
        self
    }

    /// The configured status.
    #[must_use]
    pub const fn get_status(&self) -> http::StatusCode {
        self.status
    }

    /// The configured renaming.
    #[must_use]
    pub const fn get_rename_all(&self) -> RenameAll {
        self.rename_all
    }

    /// The configured cap.
    #[must_use]
    pub const fn get_max_errors(&self) -> usize {
        self.max_errors
    }

    /// `errors` as the common body's errors, with these options (the
    /// `From` conversion uses the current request's, see
    /// [`Config::validation`](crate::Config::validation)).
    #[cfg(feature = "validator")]
    #[must_use]
    pub fn validator_errors(&self, errors: &::validator::ValidationErrors) -> Errors {
        let mut out = Collector::new(self, validator::estimate(errors));
        validator::collect(errors, &mut out);
        out.finish()
    }

    /// `report` as the common body's errors, with these options (the
    /// `From` conversion uses the current request's, see
    /// [`Config::validation`](crate::Config::validation)).
    #[cfg(feature = "garde")]
    #[must_use]
    pub fn garde_report(&self, report: &::garde::Report) -> Errors {
        let mut out = Collector::new(self, report.iter().size_hint().0);
        garde::collect(report, &mut out);
        out.finish()
    }
}

/// The options of the request being served: its layer's configuration's,
/// else the installed default's (see
/// [`Config::validation`](crate::Config::validation)).
pub(crate) fn options() -> Options {
    crate::request_id::with_current(|config, _| *config.validation())
}

/// Every validation code's entry, for OpenAPI documents.
#[cfg(feature = "utoipa")]
pub(crate) fn entries() -> &'static [Entry] {
    &ENTRIES
}

macro_rules! rules {
    ($($rule:ident = $index:literal, $code:literal, $message:literal;)*) => {
        /// A validation rule family: which built-in code answers it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(dead_code)]
        enum Rule {
            $($rule = $index,)*
        }

        const RULES: usize = [$($index),*].len();

        crate::register! {
            /// The registry entries of the validation codes, indexed by `Rule`.
            static ENTRIES: [Entry; RULES] = [
                $(Entry::builder($code, 400, "ValidationError")
                    .variant(stringify!($rule))
                    .message($message)
                    .location(module_path!(), file!(), line!())
                    .build(),)*
            ];
        }
    };
}

rules! {
    Length = 0, "apierror.validation.length", "The value is too short or too long.";
    Range = 1, "apierror.validation.range", "The value is out of the allowed range.";
    Email = 2, "apierror.validation.email", "The value is not a valid email address.";
    Url = 3, "apierror.validation.url", "The value is not a valid URL.";
    MustMatch = 4, "apierror.validation.must_match", "The value does not match the field it must match.";
    Regex = 5, "apierror.validation.regex", "The value does not have the expected format.";
    Contains = 6, "apierror.validation.contains", "The value does not contain what it must.";
    DoesNotContain = 7, "apierror.validation.does_not_contain", "The value contains something it must not.";
    Prefix = 8, "apierror.validation.prefix", "The value does not start as it must.";
    Suffix = 9, "apierror.validation.suffix", "The value does not end as it must.";
    CreditCard = 10, "apierror.validation.credit_card", "The value is not a valid card number.";
    PhoneNumber = 11, "apierror.validation.phone_number", "The value is not a valid phone number.";
    Ip = 12, "apierror.validation.ip", "The value is not a valid IP address.";
    Ascii = 13, "apierror.validation.ascii", "The value may contain only ASCII characters.";
    Alphanumeric = 14, "apierror.validation.alphanumeric", "The value may contain only letters and digits.";
    NonControlCharacter = 15, "apierror.validation.non_control_character", "The value may not contain control characters.";
    Required = 16, "apierror.validation.required", "A required value is missing.";
    Custom = 17, "apierror.validation.custom", "The value is invalid.";
    TooMany = 18, "apierror.validation.too_many", "There are more validation errors than are listed.";
}

impl Rule {
    fn entry(self) -> &'static Entry {
        &ENTRIES[self as usize]
    }
}

/// Every validation code, for the catalog docs test: `(code, rule name)`.
#[cfg(test)]
pub(crate) fn codes() -> impl Iterator<Item = &'static str> {
    ENTRIES.iter().map(|entry| entry.code)
}

/// A rule's numeric limits, the only details a violation may carry.
#[derive(Clone, Debug, Default, PartialEq)]
struct Limits {
    min: Option<serde_json::Number>,
    max: Option<serde_json::Number>,
    equal: Option<serde_json::Number>,
}

/// One failed rule: what the body says about it, and nothing the client
/// sent but the path.
#[derive(Debug)]
struct Violation {
    entry: &'static Entry,
    /// `entry` is a built-in one (its `Display` names the rule).
    rule: Option<Rule>,
    status: http::StatusCode,
    field: Option<Path>,
    /// The team's static message for the rule.
    message: Option<&'static str>,
    limits: Limits,
    /// For the cap object: how many violations were left out (a `u32`,
    /// saturating, keeps a violation within 120 bytes: each is moved into
    /// the report's one allocation).
    omitted: u32,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rule {
            Some(Rule::TooMany) => return write!(f, "{} more validation errors not listed", self.omitted),
            Some(rule) => write!(f, "validation rule {rule:?} failed")?,
            None => write!(f, "validation rule {} failed", self.entry.code)?,
        }
        match &self.field {
            Some(field) => write!(f, " at `{}`", field.as_str().escape_debug()),
            None => f.write_str(" on the request"),
        }
    }
}

impl std::error::Error for Violation {}

impl ApiError for Violation {
    fn entry(&self) -> &'static Entry {
        self.entry
    }

    fn status(&self) -> http::StatusCode {
        self.status
    }

    fn field(&self) -> Option<&str> {
        self.field.as_ref().map(Path::as_str)
    }

    fn write_public_message(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        out.write_str(self.message_str())
    }

    fn write_details(&self, details: &mut Details<'_>) {
        if self.rule == Some(Rule::TooMany) {
            details.member("omitted", &self.omitted);
            return;
        }
        if let Some(min) = &self.limits.min {
            limit(details, "min", min);
        }
        if let Some(max) = &self.limits.max {
            limit(details, "max", max);
        }
        if let Some(equal) = &self.limits.equal {
            limit(details, "equal", equal);
        }
    }
}

/// `"name":number`: an integer's digits straight into the body (the bytes
/// serde_json writes for it), a float through serde_json.
fn limit(details: &mut Details<'_>, name: &'static str, number: &serde_json::Number) {
    if let Some(n) = number.as_u64() {
        details.raw_member(name, |out| digits(out, n));
    } else if let Some(n) = number.as_i64() {
        details.raw_member(name, |out| out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()));
    } else {
        details.member(name, number);
    }
}

/// An unsigned integer's digits, as serde_json writes them: the usual
/// limits (below 100: lengths, ranges) in place, longer ones by `itoa` (a
/// copy of a length known only at run time is a call).
#[inline]
fn digits(out: &mut Vec<u8>, n: u64) {
    #[allow(clippy::cast_possible_truncation)] // below 100
    match n {
        0..=9 => out.push(b'0' + n as u8),
        10..=99 => out.extend_from_slice(&[b'0' + (n / 10) as u8, b'0' + (n % 10) as u8]),
        _ => out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
    }
}

impl Violation {
    fn message_str(&self) -> &'static str {
        if let Some(message) = self.message {
            return message;
        }
        if self.rule.is_some() {
            // A built-in entry: its message is a plain sentence.
            return self.entry.production_message();
        }
        match self.entry.message {
            // A team's template names fields of its own type, which a
            // validation error does not have: the generic sentence instead.
            Some(message) if !message.contains('{') => message,
            Some(_) => Rule::Custom.entry().production_message(),
            None => crate::generic_message(self.status.as_u16()),
        }
    }
}

/// Gathers the violations of one report, up to the cap, side by side
/// (one allocation for all: the `Errors` keeps them unboxed).
struct Collector<'a> {
    options: &'a Options,
    violations: Vec<Violation>,
    omitted: usize,
}

impl<'a> Collector<'a> {
    /// A collector for a report of about `violations` violations (the
    /// objects are reserved up to the cap, plus the cap's own).
    fn new(options: &'a Options, violations: usize) -> Self {
        Self { options, violations: Vec::with_capacity(violations.min(options.max_errors) + 1), omitted: 0 }
    }

    /// Whether another violation would still be listed.
    fn full(&self) -> bool {
        self.violations.len() >= self.options.max_errors
    }

    /// Adds a violation of a built-in rule, or of a team's `code` (the
    /// registry's entry when it knows the code, else `custom` and a warning).
    fn push(
        &mut self,
        rule: Result<Rule, &str>,
        field: Option<&str>,
        message: Option<&'static str>,
        limits: Limits,
    ) {
        if self.full() {
            self.omitted += 1;
            return;
        }
        let (entry, rule) = match rule {
            Ok(rule) => (rule.entry(), Some(rule)),
            Err(code) => match crate::registry::find(code) {
                Some(entry) if !entry.code.starts_with("apierror.") => (entry, None),
                _ => {
                    warn_unknown_code(code, field);
                    (Rule::Custom.entry(), Some(Rule::Custom))
                }
            },
        };
        self.violations.push(Violation {
            entry,
            rule,
            status: self.options.status,
            field: field.map(Path::new),
            message,
            limits,
            omitted: 0,
        });
    }

    fn finish(mut self) -> Errors {
        if self.omitted > 0 {
            self.violations.push(Violation {
                entry: Rule::TooMany.entry(),
                rule: Some(Rule::TooMany),
                status: self.options.status,
                field: None,
                message: None,
                limits: Limits::default(),
                omitted: u32::try_from(self.omitted).unwrap_or(u32::MAX),
            });
        }
        Errors::from_batch(self.violations)
    }

    /// A path segment: a field name, renamed. validator's paths hold only
    /// field names and list indices (a map's items are indexed), nothing
    /// the client sent; a path is cut as a whole in [`Path::new`].
    #[cfg(feature = "validator")]
    fn key(&self, path: &mut String, name: &str) {
        if !path.is_empty() {
            path.push('.');
        }
        self.options.rename_all.push(name, path);
    }

    /// A path segment that may be the client's text (garde's path holds a
    /// map's keys as it holds field names): renamed, at most
    /// [`MAX_SEGMENT`](crate::bound::MAX_SEGMENT) bytes, cut with the mark. Only the head of a
    /// longer key is renamed (and copied).
    #[cfg(feature = "garde")]
    fn bounded_key(&self, path: &mut String, name: &str) {
        if !path.is_empty() {
            path.push('.');
        }
        let start = path.len();
        let head = crate::bound::head(name, crate::bound::MAX_SEGMENT);
        self.options.rename_all.push(head, path);
        // Renaming a non-ASCII name may also make it longer.
        crate::bound::bound_tail(path, start, crate::bound::MAX_SEGMENT, head.len() < name.len());
    }
}

/// `[index]` appended to a path (digits by `itoa`: `write!` costs more than
/// the rest of a path segment).
fn index(path: &mut String, index: usize) {
    path.push('[');
    path.push_str(itoa::Buffer::new().format(index));
    path.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_indices_as_written() {
        for i in [0, 1, 7, 9, 10, 99, 100, 12_345, u32::MAX as usize, usize::MAX - 1, usize::MAX] {
            let mut path = String::from("items");
            index(&mut path, i);
            assert_eq!(path, format!("items[{i}]"));
        }
    }

    /// Integer limits are written as digits past serde, floats through it:
    /// the same bytes serde_json writes for each.
    #[test]
    fn limits_written_as_serde_json_writes_them() {
        use crate::ApiErrorExt;
        let numbers: [serde_json::Number; 10] = [
            0.into(),
            7.into(),
            10.into(),
            99.into(),
            100.into(),
            (-5).into(),
            i64::MIN.into(),
            u64::MAX.into(),
            serde_json::Number::from_f64(2.5).unwrap(),
            serde_json::Number::from_f64(-1e300).unwrap(),
        ];
        for min in &numbers {
            for max in &numbers {
                let violation = Violation {
                    entry: Rule::Range.entry(),
                    rule: Some(Rule::Range),
                    status: http::StatusCode::BAD_REQUEST,
                    field: Some(Path::new("n")),
                    message: None,
                    limits: Limits { min: Some(min.clone()), max: None, equal: Some(max.clone()) },
                    omitted: 0,
                };
                let body = violation.to_response_with(&crate::Config::production()).into_body();
                let (min, max) = (serde_json::to_string(min).unwrap(), serde_json::to_string(max).unwrap());
                let expected = format!(",\"details\":{{\"min\":{min},\"equal\":{max}}}}}]");
                assert!(
                    body.ends_with(expected.as_bytes()),
                    "{} vs {expected}",
                    String::from_utf8_lossy(&body)
                );
            }
        }
    }

    /// A violation stays within 120 bytes: a report's violations are
    /// moved, side by side, into one allocation (and were boxed one by one
    /// before, when 128 bytes left glibc's fast bins).
    #[test]
    fn a_violation_stays_small() {
        assert!(std::mem::size_of::<Violation>() <= 120, "{}", std::mem::size_of::<Violation>());
    }

    #[test]
    fn every_validation_code_is_registered_and_in_the_docs() {
        let docs = include_str!("codes.md");
        for code in codes() {
            let entry = crate::registry::find(code).expect("registered");
            assert_eq!(entry.crate_name(), "apierror");
            assert!(code.starts_with("apierror.validation."));
            if code != "apierror.validation.too_many" {
                assert!(docs.contains(&format!("`{code}`")), "{code} is in the table");
            }
        }
        crate::registry::check().unwrap();
    }
}
