//! Validation failures (features `validator` and `garde`): every failed
//! rule is one error object in the common body, and nothing the client sent
//! is ever echoed.
//!
//! [`Errors`] converts from [`validator::ValidationErrors`](::validator::ValidationErrors) (feature
//! `validator`) and from [`garde::Report`](::garde::Report) (feature `garde`), and the
//! framework modules' [`Valid`] extractors validate what
//! `Json`, `Query` and `Path` deserialized, so that a handler receives only
//! valid data.
//!
//! Each violation becomes one object:
//!
//! | key | value |
//! |---|---|
//! | `field` | the path as the client sent it: `name`, `owner.name`, `items[2].sku`; `null` for a rule on the whole request (validator's `#[validate(schema(…))]`, a garde rule on the root) |
//! | `error_code` | the rule's code, below; a team's own code when the registry knows it |
//! | `message` | the rule's static `message` when the team declared one, else the sentence below |
//! | `details` | the rule's limits, `min`, `max` and `equal`, when it has numeric ones; else `null` |
//!
//! The rejected value is never in the body, nor anything else the client
//! sent besides the path: validator copies the value into its
//! `params["value"]` (and `must_match` the other field's value into
//! `params["other"]`); those are dropped, as are validator's and garde's
//! `Display` texts. The status is 400 (the seed's "failing schema
//! validation"); [`Options::status`] makes it 422 in one line.
//!
//! | code | rule (validator / garde) | message |
//! |---|---|---|
#![doc = include_str!("codes.md")]
//! | `apierror.validation.too_many` | (more violations than [`Options::max_errors`]) | the last object; `details.omitted` counts the violations left out |
//!
//! **A team's own codes.** A validator rule with `code = "…"` (or a custom
//! function's `ValidationError::new("…")`), and a garde custom rule whose
//! `garde::Error` message is a code, reach the client with that code only
//! when [`registry::find`](crate::registry::find) knows it (declare it on an
//! error type of the team's, whose `message` is then used when the rule
//! declared none). Any other code is answered as
//! `apierror.validation.custom`, and logged once per process (per code, for
//! the first 32 codes) as a `warn` event that names the code to declare.
//!
//! **Field names.** validator and garde know the Rust field names, not
//! serde's. A team whose types say `#[serde(rename_all = "camelCase")]`
//! says it once, `Options::new().rename_all(RenameAll::CamelCase)`, and
//! every path segment is renamed the way serde does (list indices and map
//! keys are left alone in validator's paths; garde's paths do not tell a
//! map key from a field, so a garde map key is renamed too).
//!
//! **The cap.** A body of 100,000 invalid list items does not make a
//! 100,000-object response: at most [`Options::max_errors`] (100 by
//! default) violations are answered, followed by one
//! `apierror.validation.too_many` object with `details.omitted`.
//!
//! ```
//! # #[cfg(feature = "validator")] {
//! use apierror::validation::{configure, Options, RenameAll};
//!
//! // Once, at start-up (before the first conversion; later calls fail):
//! configure(Options::new().status(http::StatusCode::UNPROCESSABLE_ENTITY).rename_all(RenameAll::CamelCase))
//!     .unwrap();
//! # }
//! ```

use std::fmt;
use std::sync::{Mutex, OnceLock};

use crate::registry::Entry;
use crate::{ApiError, Details, Errors};

#[cfg(feature = "garde")]
mod garde;
#[cfg(feature = "validator")]
mod validator;

/// Violations answered at most by default; see [`Options::max_errors`].
pub const DEFAULT_MAX_ERRORS: usize = 100;

/// How validation failures are answered: the status, the field names, the
/// cap. [`configure`] installs one for the process; the conversions
/// (`Errors::from`) and the `Valid` extractors use it.
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
    /// `From` conversion uses the process-wide [`options()`]).
    #[cfg(feature = "validator")]
    #[must_use]
    pub fn validator_errors(&self, errors: &::validator::ValidationErrors) -> Errors {
        let mut out = Collector::new(self, validator::estimate(errors));
        validator::collect(errors, &mut out);
        out.finish()
    }

    /// `report` as the common body's errors, with these options (the
    /// `From` conversion uses the process-wide [`options()`]).
    #[cfg(feature = "garde")]
    #[must_use]
    pub fn garde_report(&self, report: &::garde::Report) -> Errors {
        let mut out = Collector::new(self, report.iter().size_hint().0);
        garde::collect(report, &mut out);
        out.finish()
    }
}

/// How a Rust field name (`snake_case`) is renamed for the client: the
/// values of serde's `rename_all`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum RenameAll {
    /// As written in Rust (no `rename_all`).
    #[default]
    None,
    /// `lowercase`
    Lowercase,
    /// `UPPERCASE`
    Uppercase,
    /// `PascalCase`
    PascalCase,
    /// `camelCase`
    CamelCase,
    /// `snake_case`
    SnakeCase,
    /// `SCREAMING_SNAKE_CASE`
    ScreamingSnakeCase,
    /// `kebab-case`
    KebabCase,
    /// `SCREAMING-KEBAB-CASE`
    ScreamingKebabCase,
}

impl RenameAll {
    /// Appends `name` (a Rust field name, `r#` allowed) renamed to `out`, as
    /// serde renames it.
    fn push(self, name: &str, out: &mut String) {
        let name = crate::registry::unraw(name);
        match self {
            Self::None | Self::SnakeCase => out.push_str(name),
            Self::Lowercase => out.push_str(&name.to_ascii_lowercase()),
            Self::Uppercase | Self::ScreamingSnakeCase => out.push_str(&name.to_ascii_uppercase()),
            Self::KebabCase => out.push_str(&name.replace('_', "-")),
            Self::ScreamingKebabCase => out.push_str(&name.to_ascii_uppercase().replace('_', "-")),
            Self::PascalCase | Self::CamelCase => {
                let mut capitalize = self == Self::PascalCase;
                for c in name.chars() {
                    if c == '_' {
                        capitalize = true;
                    } else if capitalize {
                        out.extend(c.to_uppercase());
                        capitalize = false;
                    } else {
                        out.push(c);
                    }
                }
            }
        }
    }
}

static OPTIONS: OnceLock<Options> = OnceLock::new();

/// Installs the process-wide [`Options`]. Call it once at start-up, before
/// the first conversion.
///
/// # Errors
///
/// [`AlreadyConfigured`] when options were installed already, or when a
/// conversion has already used the defaults.
pub fn configure(options: Options) -> Result<(), AlreadyConfigured> {
    OPTIONS.set(options).map_err(|_| AlreadyConfigured(()))
}

/// The process-wide [`Options`]: those given to [`configure`], else the
/// defaults (which are then fixed for the process).
pub fn options() -> &'static Options {
    OPTIONS.get_or_init(Options::new)
}

/// The options given to [`configure`], else the defaults, without fixing
/// them: what an OpenAPI document is rendered for.
#[cfg(feature = "utoipa")]
pub(crate) fn configured_options() -> Options {
    OPTIONS.get().copied().unwrap_or_default()
}

/// Every validation code's entry, for OpenAPI documents.
#[cfg(feature = "utoipa")]
pub(crate) fn entries() -> &'static [Entry] {
    &ENTRIES
}

/// Returned by [`configure`] when the options are already fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlreadyConfigured(());

impl fmt::Display for AlreadyConfigured {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the validation options are already configured")
    }
}

impl std::error::Error for AlreadyConfigured {}

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

/// Longest path kept inside a [`Violation`] (longer ones go to the heap).
const INLINE_PATH: usize = 32;

/// A path's bytes, word-aligned: `str::from_utf8` checks an aligned string
/// a word at a time and an unaligned one byte by byte (reading a path back
/// as `&str` is most of `field()`'s cost).
#[derive(Debug)]
#[repr(align(8))]
struct Aligned([u8; INLINE_PATH]);

/// A violation's `field`: held inline when short, as most paths are
/// (`items[12].sku`), so that a violation is one allocation, not two.
#[derive(Debug)]
enum Path {
    Inline { len: u8, bytes: Aligned },
    Heap(Box<str>),
}

impl Path {
    fn new(path: &str) -> Self {
        if path.len() <= INLINE_PATH {
            let mut bytes = Aligned([0; INLINE_PATH]);
            bytes.0[..path.len()].copy_from_slice(path.as_bytes());
            #[allow(clippy::cast_possible_truncation)] // at most INLINE_PATH
            Self::Inline { len: path.len() as u8, bytes }
        } else {
            Self::Heap(path.into())
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Whole characters of a `&str` were copied: always UTF-8.
            Self::Inline { len, bytes } => {
                std::str::from_utf8(&bytes.0[..usize::from(*len)]).unwrap_or_default()
            }
            Self::Heap(path) => path,
        }
    }
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
    /// saturating, keeps a violation within 120 bytes: the allocator's
    /// fast bins).
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
        details.raw_member(name, |out| out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()));
    } else if let Some(n) = number.as_i64() {
        details.raw_member(name, |out| out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()));
    } else {
        details.member(name, number);
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

/// Gathers the violations of one report, up to the cap.
struct Collector<'a> {
    options: &'a Options,
    errors: Errors,
    omitted: usize,
}

impl<'a> Collector<'a> {
    /// A collector for a report of about `violations` violations (the
    /// objects are reserved up to the cap, plus the cap's own).
    fn new(options: &'a Options, violations: usize) -> Self {
        let mut errors = Errors::new();
        errors.reserve(violations.min(options.max_errors) + 1);
        Self { options, errors, omitted: 0 }
    }

    /// Whether another violation would still be listed.
    fn full(&self) -> bool {
        self.errors.len() >= self.options.max_errors
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
                    warn_unknown_code(code);
                    (Rule::Custom.entry(), Some(Rule::Custom))
                }
            },
        };
        self.errors.push(Violation {
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
            self.errors.push(Violation {
                entry: Rule::TooMany.entry(),
                rule: Some(Rule::TooMany),
                status: self.options.status,
                field: None,
                message: None,
                limits: Limits::default(),
                omitted: u32::try_from(self.omitted).unwrap_or(u32::MAX),
            });
        }
        self.errors
    }

    /// A path segment: a field name, renamed.
    fn key(&self, path: &mut String, name: &str) {
        if !path.is_empty() {
            path.push('.');
        }
        self.options.rename_all.push(name, path);
    }
}

/// `[index]` appended to a path (digits by `itoa`: `write!` costs more than
/// the rest of a path segment).
fn index(path: &mut String, index: usize) {
    path.push('[');
    path.push_str(itoa::Buffer::new().format(index));
    path.push(']');
}

/// The codes already warned about; bounded.
static WARNED: Mutex<Vec<Box<str>>> = Mutex::new(Vec::new());

/// Distinct unknown codes warned about at most.
const MAX_WARNED: usize = 32;

/// Longest code quoted in a warning (a code may be built at run time).
const MAX_CODE_IN_LOG: usize = 64;

/// Warns once per process about a custom rule code the registry does not
/// know (once per code, for the first [`MAX_WARNED`] codes).
fn warn_unknown_code(code: &str) {
    let code = match code.char_indices().nth(MAX_CODE_IN_LOG) {
        Some((cut, _)) => &code[..cut],
        None => code,
    };
    let Ok(mut warned) = WARNED.lock() else { return };
    if warned.len() >= MAX_WARNED || warned.iter().any(|known| &**known == code) {
        return;
    }
    warned.push(code.into());
    drop(warned);
    #[cfg(feature = "tracing")]
    ::tracing::warn!(
        error.code = Rule::Custom.entry().code,
        validation.code = %code.escape_debug(),
        "a validation rule's code {:?} is not in the registry, so clients get `apierror.validation.custom`: \
         declare it on one of your error types (e.g. #[api(status = 400, code = \"{}\", message = \"…\")])",
        code,
        code.escape_debug(),
    );
}

/// Which validation crate a [`Valid`] extractor uses: a
/// marker type, [`Validator`] (the default) or [`Garde`].
///
/// The marker is a type parameter of `Valid` (`Valid<Json<T>>` is
/// `Valid<Json<T>, Validator>`; garde: `Valid<Json<T>, Garde>`), so both
/// features can be on at once and each type uses the crate it derives.
/// Sealed: the markers are [`Validator`] and [`Garde`].
pub trait Validates: sealed::Sealed + Sized + 'static {
    /// What `Valid` holds: always `E` itself (the indirection only lets
    /// `Valid` name the marker without a second field).
    type Wrap<E>;

    /// `e` as [`Wrap`](Self::Wrap).
    #[doc(hidden)]
    fn wrap<E>(e: E) -> Self::Wrap<E>;

    /// `Wrap` back to `E`.
    #[doc(hidden)]
    fn unwrap<E>(wrapped: Self::Wrap<E>) -> E;

    /// `&Wrap` as `&E`.
    #[doc(hidden)]
    fn as_ref<E>(wrapped: &Self::Wrap<E>) -> &E;

    /// `&mut Wrap` as `&mut E`.
    #[doc(hidden)]
    fn as_mut<E>(wrapped: &mut Self::Wrap<E>) -> &mut E;
}

/// The marker of `Valid<…, Validator>`: `T: validator::Validate`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Validator;

/// The marker of `Valid<…, Garde>`: `T: garde::Validate` with a `Default`
/// context (usually `()`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Garde;

macro_rules! identity_wrap {
    ($($marker:ty),*) => {$(
        impl Validates for $marker {
            type Wrap<E> = E;
            fn wrap<E>(e: E) -> E { e }
            fn unwrap<E>(e: E) -> E { e }
            fn as_ref<E>(e: &E) -> &E { e }
            fn as_mut<E>(e: &mut E) -> &mut E { e }
        }
    )*};
}

identity_wrap!(Validator, Garde);

mod sealed {
    /// Only the library's markers pick a validation crate.
    pub trait Sealed {}
    impl Sealed for super::Validator {}
    impl Sealed for super::Garde {}
}

/// A `T` that the marker's crate validates.
pub trait Check<T: ?Sized>: Validates {
    /// Validates `value` with the process-wide [`options()`].
    ///
    /// # Errors
    ///
    /// Every violation, as [`Errors`].
    fn check(value: &T) -> Result<(), Errors>;
}

#[cfg(feature = "validator")]
impl<T: ::validator::Validate + ?Sized> Check<T> for Validator {
    fn check(value: &T) -> Result<(), Errors> {
        value.validate().map_err(|errors| options().validator_errors(&errors))
    }
}

#[cfg(feature = "garde")]
impl<T> Check<T> for Garde
where
    T: ::garde::Validate + ?Sized,
    T::Context: Default,
{
    fn check(value: &T) -> Result<(), Errors> {
        value.validate().map_err(|report| options().garde_report(&report))
    }
}

/// An extractor whose value has passed validation: `Valid<Json<T>>`,
/// `Valid<Query<T>>`, `Valid<Path<T>>` of [`apierror::axum`](crate::axum)
/// or [`apierror::actix`](crate::actix) (this one type, re-exported by
/// both). It deserializes with the inner extractor (whose rejections are
/// unchanged), then validates; a violation answers in the common body
/// ([`Errors`], 400 or the configured status) and the handler is not
/// called.
///
/// The second parameter picks the validation crate: `Valid<Json<T>>` is
/// `Valid<Json<T>, Validator>` (`T: validator::Validate`);
/// `Valid<Json<T>, Garde>` validates `T: garde::Validate` (with a `Default`
/// context). Both features may be on at once. A handler destructures it as
/// `Valid(Json(order))` either way.
///
/// ```
/// # #[cfg(all(feature = "axum", feature = "validator"))] {
/// use apierror::axum::{Json, Valid};
///
/// # #[derive(serde::Deserialize)] struct NewThing { name: String }
/// # impl validator::Validate for NewThing {
/// #     fn validate(&self) -> Result<(), validator::ValidationErrors> { Ok(()) }
/// # }
/// async fn create(Valid(Json(thing)): Valid<Json<NewThing>>) -> String {
///     thing.name
/// }
/// let app: axum::Router = axum::Router::new().route("/things", axum::routing::post(create));
/// # }
/// ```
pub struct Valid<E, V: Validates = Validator>(pub V::Wrap<E>);

impl<E, V: Validates> Valid<E, V> {
    /// The inner extractor.
    pub fn into_inner(self) -> E {
        V::unwrap(self.0)
    }
}

impl<E, V: Validates> std::ops::Deref for Valid<E, V> {
    type Target = E;
    fn deref(&self) -> &E {
        V::as_ref(&self.0)
    }
}

impl<E, V: Validates> std::ops::DerefMut for Valid<E, V> {
    fn deref_mut(&mut self) -> &mut E {
        V::as_mut(&mut self.0)
    }
}

impl<E: fmt::Debug, V: Validates> fmt::Debug for Valid<E, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Valid").field(V::as_ref::<E>(&self.0)).finish()
    }
}

/// What every `Valid` extractor does once the inner extractor succeeded:
/// validate the value it holds with `V`'s crate and the process-wide
/// [`options()`].
#[cfg(any(feature = "axum", feature = "actix-web"))]
pub(crate) fn validated<E, T, V>(extracted: E) -> Result<Valid<E, V>, Errors>
where
    E: std::ops::Deref<Target = T>,
    V: Check<T>,
{
    V::check(&*extracted)?;
    Ok(Valid(V::wrap(extracted)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rename_all_as_serde() {
        let rename = |rule: RenameAll, name: &str| {
            let mut out = String::new();
            rule.push(name, &mut out);
            out
        };
        assert_eq!(rename(RenameAll::CamelCase, "rating_out_of_five"), "ratingOutOfFive");
        assert_eq!(rename(RenameAll::PascalCase, "rating_out_of_five"), "RatingOutOfFive");
        assert_eq!(rename(RenameAll::KebabCase, "rating_out_of_five"), "rating-out-of-five");
        assert_eq!(rename(RenameAll::ScreamingKebabCase, "a_b"), "A-B");
        assert_eq!(rename(RenameAll::ScreamingSnakeCase, "a_b"), "A_B");
        assert_eq!(rename(RenameAll::None, "r#type"), "type");
        assert_eq!(rename(RenameAll::CamelCase, "name"), "name");
    }

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
        let numbers: [serde_json::Number; 7] = [
            0.into(),
            7.into(),
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

    /// A violation is one allocation of at most 120 bytes: glibc's fast
    /// bins (a bigger one costs a fifth more to allocate and free).
    #[test]
    fn a_violation_stays_small() {
        assert!(std::mem::size_of::<Violation>() <= 120, "{}", std::mem::size_of::<Violation>());
    }

    #[test]
    fn paths_inline_or_on_the_heap() {
        for path in ["", "a", "items[12].sku", &"\u{e9}".repeat(15), &"\u{e9}".repeat(16), &"x".repeat(500)] {
            let kept = Path::new(path);
            assert_eq!(kept.as_str(), path);
            assert_eq!(matches!(kept, Path::Inline { .. }), path.len() <= INLINE_PATH, "{path}");
        }
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

    #[test]
    fn unknown_codes_are_remembered_boundedly() {
        for i in 0..100 {
            warn_unknown_code(&format!("unit-unknown-{i}"));
        }
        warn_unknown_code(&"x".repeat(10_000));
        assert!(WARNED.lock().unwrap().len() <= MAX_WARNED);
        assert!(WARNED.lock().unwrap().iter().all(|code| code.len() <= MAX_CODE_IN_LOG));
    }
}
