//! The program-wide registry of error codes: the catalog, and the lock
//! that keeps a shipped code from changing or coming back.
//!
#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/docs/registry-catalog-lock.md"))]
//!
#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/docs/front-end.md"))]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

mod builder;
mod catalog;
mod front_end;
mod lock;
pub(crate) mod private;

pub use self::builder::Builder;
pub use self::catalog::{json, markdown};
#[cfg(feature = "i18n")]
pub use self::catalog::{json_with, markdown_with};
pub use self::front_end::{json_schema, typescript};
pub use self::lock::{
    verify_lock, verify_lock_with, InvalidCode, LockChange, LockError, LockMode, LockSummary, MalformedLine,
    BLESS_ENV,
};

/// The level at which a rendered error is logged on the server.
///
/// `#[non_exhaustive]`: a level may be added in a minor release, so a
/// `match` on it needs a `_` arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum LogLevel {
    /// Not logged (`log = "off"`).
    Off,
    /// `tracing::Level::ERROR`: the default for 5xx.
    Error,
    /// `tracing::Level::WARN`.
    Warn,
    /// `tracing::Level::INFO`.
    Info,
    /// `tracing::Level::DEBUG`: the default for 4xx.
    Debug,
}

impl LogLevel {
    /// The default level for a status: `Error` for 5xx, `Debug` otherwise.
    #[must_use]
    pub const fn for_status(status: u16) -> Self {
        if status >= 500 {
            Self::Error
        } else {
            Self::Debug
        }
    }

    /// The name used in `#[api(log = "…")]`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Error => "error",
            Self::Warn => "warn",
            Self::Info => "info",
            Self::Debug => "debug",
        }
    }
}

/// One error code of the program: everything a catalog says about it.
///
/// Entries are made by `#[derive(ApiError)]`, one per variant (a
/// `transparent` variant has none: it uses the inner error's). A
/// hand-written [`ApiError`](crate::ApiError) impl builds its own with
/// [`Entry::builder`] and registers them with [`register!`](crate::register).
///
/// `#[non_exhaustive]`: fields are added in minor releases, so an entry is
/// read through its fields but never written as a struct literal outside
/// this crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Entry {
    /// The stable error code, e.g. `"1010"`.
    pub code: &'static str,
    /// The HTTP status, in `400..=599`.
    pub status: u16,
    /// The name of the type, without generics, e.g. `"ColumnError"`.
    pub type_name: &'static str,
    /// The variant's name; `None` for a struct.
    pub variant: Option<&'static str>,
    /// The declared production message, as written (a template when it
    /// interpolates fields); `None` when the generic message for the status
    /// is used.
    pub message: Option<&'static str>,
    /// The static request field; `None` when absent or taken from a field at
    /// run time (`#[api(field)]`).
    pub field: Option<&'static str>,
    /// The documentation URL (the type's `docs` template with `{code}`
    /// expanded).
    pub docs: Option<&'static str>,
    /// The level at which the error is logged when rendered.
    pub log: LogLevel,
    /// The module that declares the type, e.g. `"my_app::columns"` (its first
    /// segment is the crate).
    pub module: &'static str,
    /// The source file that declares the variant.
    pub file: &'static str,
    /// The line of the variant in [`file`](Self::file).
    pub line: u32,
    /// Seconds a client should wait before retrying: responses carry a
    /// `Retry-After` header with this value. `None`: no header.
    pub retry_after: Option<u32>,
    /// The names of the fields the production [`message`](Self::message)
    /// interpolates, as a translation names them (`{ $given }`): a named
    /// field's name, `argN` for the positional field `N`. These are the
    /// only variables a translation of the code may use (feature `i18n`);
    /// [`ApiError::message_args`](crate::ApiError) hands their values to
    /// the renderer. Empty for a message without fields.
    pub args: &'static [&'static str],
}

impl Entry {
    /// Starts the entry of the error code `code`, answered with `status`, of
    /// the type named `type_name` (without generics, as written), for a
    /// hand-written [`ApiError`](crate::ApiError) impl. Usable in `const`
    /// context, so a `static` array of entries is built at compile time; the
    /// [`register!`](crate::register) macro then puts it in the registry.
    ///
    /// Unset, `variant`, `message`, `field` and `docs` are `None`, the log
    /// level is the status's default ([`LogLevel::for_status`]), and the
    /// location is empty: set it with [`Builder::location`], so that the
    /// lock and the catalog name the crate.
    ///
    /// ```
    /// use apierror::{Entry, LogLevel};
    ///
    /// const QUOTA: Entry = Entry::builder("builder-doc.quota", 429, "QuotaError")
    ///     .variant("Exceeded")
    ///     .message("You have used your quota for today.")
    ///     .log(LogLevel::Warn)
    ///     .location(module_path!(), file!(), line!())
    ///     .build();
    /// assert_eq!(QUOTA.code, "builder-doc.quota");
    /// assert_eq!(QUOTA.path().to_string(), "QuotaError::Exceeded");
    /// // The crate of `module_path!()`: here, the doctest's own.
    /// assert_eq!(QUOTA.crate_name(), module_path!().split("::").next().unwrap());
    /// ```
    ///
    /// # Panics
    ///
    /// When `code` is empty or holds anything but ASCII letters, digits,
    /// `.`, `_`, `-` and `:`, or when `status` is not in `400..=599`, as the
    /// derive refuses them. In a `const` or `static`, that is a compile
    /// error:
    ///
    /// ```compile_fail
    /// const BAD: apierror::Entry = apierror::Entry::builder("has space", 404, "E").build();
    /// ```
    pub const fn builder(code: &'static str, status: u16, type_name: &'static str) -> Builder {
        assert!(
            is_valid_code(code),
            "an error code is ASCII letters, digits, `.`, `_`, `-` and `:`, not empty"
        );
        assert!(crate::message::is_error_status(status), "an error status is in 400..=599");
        Builder::of(type_name).code(code, status)
    }

    /// The status as an `http::StatusCode`.
    #[must_use]
    pub fn status_code(&self) -> http::StatusCode {
        http::StatusCode::from_u16(self.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The production message: the declared one, else the generic message
    /// for the status. A template's placeholders are left as written.
    #[must_use]
    pub fn production_message(&self) -> &'static str {
        match self.message {
            Some(message) => message,
            None => crate::generic_message(self.status),
        }
    }

    /// The crate that declares the type (the first segment of
    /// [`module`](Self::module)).
    #[must_use]
    pub fn crate_name(&self) -> &'static str {
        self.module.split("::").next().unwrap_or(self.module)
    }

    /// `Type::Variant`, or `Type` for a struct.
    #[must_use]
    pub fn path(&self) -> EntryPath<'_> {
        EntryPath(self)
    }
}

/// Whether `code` is a valid error code: non-empty, ASCII letters, digits,
/// `.`, `_`, `-` and `:`.
pub(crate) const fn is_valid_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    if bytes.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-' || b == b':') {
            return false;
        }
        i += 1;
    }
    true
}

/// Registers the entries of a hand-written [`ApiError`](crate::ApiError)
/// impl, so that the registry ([`find`](crate::registry::find),
/// [`check`](crate::registry::check)), the catalog and the lock see them as they
/// see a derived type's. Declares the `static` array as written, and
/// registers it: collecting it costs nothing at start-up.
///
/// ```
/// use apierror::{ApiError, Entry};
///
/// #[derive(Debug)]
/// pub enum QuotaError {
///     Exceeded,
///     Suspended,
/// }
/// # impl std::fmt::Display for QuotaError {
/// #     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("quota") }
/// # }
/// impl std::error::Error for QuotaError {}
///
/// apierror::register! {
///     static QUOTA_ENTRIES: [Entry; 2] = [
///         Entry::builder("register-doc.exceeded", 429, "QuotaError")
///             .variant("Exceeded")
///             .message("You have used your quota for today.")
///             .location(module_path!(), file!(), line!())
///             .build(),
///         Entry::builder("register-doc.suspended", 403, "QuotaError")
///             .variant("Suspended")
///             .location(module_path!(), file!(), line!())
///             .build(),
///     ];
/// }
///
/// impl ApiError for QuotaError {
///     fn entry(&self) -> &'static Entry {
///         match self {
///             Self::Exceeded => &QUOTA_ENTRIES[0],
///             Self::Suspended => &QUOTA_ENTRIES[1],
///         }
///     }
/// }
///
/// let entry = apierror::registry::find("register-doc.suspended").expect("registered");
/// assert_eq!(entry, QuotaError::Suspended.entry());
/// ```
#[macro_export]
macro_rules! register {
    ($(#[$attr:meta])* $vis:vis static $name:ident : [$entry:ty; $len:expr] = $entries:expr;) => {
        $(#[$attr])*
        $vis static $name: [$entry; $len] = $entries;

        const _: () = {
            #[$crate::__private::distributed_slice($crate::__private::ENTRIES)]
            #[linkme(crate = $crate::__private::linkme)]
            static __REGISTERED: &[$crate::Entry] = &$name;
        };
    };
}

/// Displays an entry as `Type::Variant` (or `Type`); see [`Entry::path`].
#[derive(Clone, Copy, Debug)]
pub struct EntryPath<'a>(&'a Entry);

impl fmt::Display for EntryPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(unraw(self.0.type_name))?;
        if let Some(variant) = self.0.variant {
            f.write_str("::")?;
            f.write_str(unraw(variant))?;
        }
        Ok(())
    }
}

/// An identifier as people read it: `r#Match` is `Match`. Names are shown
/// unraw everywhere (logs, `debug.type`, catalog, lock), so that a raw
/// identifier and the same name written plainly are one name.
pub(crate) fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Every entry in the program, in no particular order.
///
/// Only crates that are linked into the final binary contribute; see the
/// crate documentation on the registry.
pub fn entries() -> impl Iterator<Item = &'static Entry> + Clone {
    private::ENTRIES.iter().flat_map(|entries| entries.iter())
}

/// The entry that declares `code`, if any (the first one found, when a code
/// is declared twice: [`check`] reports that).
#[must_use]
pub fn find(code: &str) -> Option<&'static Entry> {
    entries().find(|entry| entry.code == code)
}

/// The crates whose entries are in the registry, sorted: the crates linked
/// into this binary that declare errors (including `apierror` itself, for
/// its own codes). A crate missing here is not linked; see [the
/// module documentation](self) on which crates are.
#[must_use]
pub fn crates() -> Vec<&'static str> {
    entries().map(Entry::crate_name).collect::<BTreeSet<_>>().into_iter().collect()
}

/// Checks that no code is declared by more than one variant in the program.
///
/// Add it to a team's tests:
///
/// ```
/// # /*
/// #[test]
/// # */
/// fn error_codes_are_unique() {
///     apierror::registry::check().unwrap();
/// }
/// # error_codes_are_unique();
/// ```
///
/// # Errors
///
/// [`DuplicateCodes`], listing every code declared more than once with each
/// place that declares it.
pub fn check() -> Result<(), DuplicateCodes> {
    check_entries(entries())
}

/// [`check`] of the given entries.
fn check_entries(entries: impl IntoIterator<Item = &'static Entry>) -> Result<(), DuplicateCodes> {
    let mut by_code: BTreeMap<&'static str, Vec<&'static Entry>> = BTreeMap::new();
    for entry in entries {
        by_code.entry(entry.code).or_default().push(entry);
    }
    let duplicates: Vec<(&'static str, Vec<&'static Entry>)> = by_code
        .into_iter()
        .filter(|(_, entries)| entries.len() > 1)
        .map(|(code, mut entries)| {
            entries.sort_by_key(|e| (e.file, e.line, e.type_name, e.variant));
            (code, entries)
        })
        .collect();
    if duplicates.is_empty() {
        Ok(())
    } else {
        Err(DuplicateCodes { duplicates })
    }
}

/// Codes declared by more than one variant; returned by [`check`].
///
/// Its `Debug` is its `Display`, so that `check().unwrap()` fails with a
/// readable list.
#[derive(Clone)]
pub struct DuplicateCodes {
    duplicates: Vec<(&'static str, Vec<&'static Entry>)>,
}

impl DuplicateCodes {
    /// Each duplicated code, sorted, with the entries that declare it.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &[&'static Entry])> {
        self.duplicates.iter().map(|(code, entries)| (*code, entries.as_slice()))
    }
}

impl fmt::Display for DuplicateCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} error code(s) declared more than once; give each variant its own code:",
            self.duplicates.len()
        )?;
        for (code, entries) in &self.duplicates {
            writeln!(f, "  code {code:?} is declared by:")?;
            for entry in entries {
                writeln!(
                    f,
                    "    {} (crate `{}`) at {}:{}",
                    entry.path(),
                    entry.crate_name(),
                    entry.file,
                    entry.line
                )?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for DuplicateCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for DuplicateCodes {}

/// The test helper of translations (feature `i18n`), like
/// [`verify_lock`]: every registered code has a translation in every
/// language of `translations` (its key, or for a code without a message of
/// its own its status's `status-NNN`), and every message id is a
/// registered code's key or a `status-NNN` (or the key of a built-in code
/// of an area whose feature is off: the crate's own files have them). A translation naming a
/// variable its code's message lacks cannot be in a loaded
/// [`Translations`](crate::i18n::Translations): loading refuses it.
///
/// # Errors
///
/// [`TranslationProblems`](crate::i18n::TranslationProblems), whose
/// `Display` lists each problem with its language and code.
///
/// ```
/// use apierror::{i18n::Translations, registry};
///
/// let translations = Translations::from_strings([("it", "no-such-code = Ciao\n")]).unwrap();
/// let problems = registry::verify_translations(&translations).unwrap_err().to_string();
/// assert!(problems.contains("it: `no-such-code` is not the key of a registered code"), "{problems}");
/// assert!(problems.contains("it: code `apierror.invalid_type` has no translation"), "{problems}");
/// ```
#[cfg(feature = "i18n")]
#[cfg_attr(docsrs, doc(cfg(feature = "i18n")))]
pub fn verify_translations(
    translations: &crate::i18n::Translations,
) -> Result<(), crate::i18n::TranslationProblems> {
    crate::i18n::verify(translations)
}

/// What the public API promises not to allow, checked by doctests.
#[cfg(doctest)]
mod api_promises {
    /// `Entry` is `#[non_exhaustive]`: outside this crate it is built with
    /// `Entry::builder`, never as a struct literal, so adding a field is not
    /// a breaking change.
    ///
    /// ```compile_fail,E0639
    /// const BASE: apierror::Entry = apierror::Entry::builder("x", 400, "E").build();
    /// const OTHER: apierror::Entry = apierror::Entry { code: "y", ..BASE };
    /// ```
    struct EntryIsNonExhaustive;

    /// `LogLevel` is `#[non_exhaustive]`: a `match` needs a `_` arm.
    ///
    /// ```compile_fail,E0004
    /// fn name(level: apierror::LogLevel) -> &'static str {
    ///     match level {
    ///         apierror::LogLevel::Off => "off",
    ///         apierror::LogLevel::Error => "error",
    ///         apierror::LogLevel::Warn => "warn",
    ///         apierror::LogLevel::Info => "info",
    ///         apierror::LogLevel::Debug => "debug",
    ///     }
    /// }
    /// ```
    struct LogLevelIsNonExhaustive;

    /// `Environment` is `#[non_exhaustive]`: a `match` needs a `_` arm.
    ///
    /// ```compile_fail,E0004
    /// fn name(environment: apierror::Environment) -> &'static str {
    ///     match environment {
    ///         apierror::Environment::Production => "production",
    ///         apierror::Environment::Development => "development",
    ///     }
    /// }
    /// ```
    struct EnvironmentIsNonExhaustive;

    /// The registry's linker section is not public API: only the derive's
    /// expansion (and `register!`) reach it, through `__private`.
    ///
    /// ```compile_fail,E0425
    /// let _ = apierror::registry::ENTRIES.len();
    /// ```
    struct EntriesArePrivate;

    /// Nor is the derive's entry builder.
    ///
    /// ```compile_fail,E0412
    /// let _: Option<apierror::registry::EntryBuilder> = None;
    /// ```
    struct EntryBuilderIsPrivate;
}
