//! The program-wide registry of error codes.
//!
//! Every variant that `#[derive(ApiError)]` sees contributes one `'static`
//! [`Entry`]. The entries of a type are one `static` array, registered with
//! [`linkme`](https://docs.rs/linkme) in a linker section: collecting them
//! costs nothing at start-up (no constructors run before `main`, unlike
//! `inventory`), and reading them is iterating a slice.
//!
//! ```
//! use apierror::ApiError;
//!
//! #[derive(Debug, thiserror::Error, ApiError)]
//! pub enum ThingError {
//!     #[error("thing {0} not found")]
//!     #[api(status = 404, code = "registry-doc-1")]
//!     NotFound(u64),
//! }
//!
//! let entry = apierror::registry::find("registry-doc-1").expect("registered");
//! assert_eq!(entry.status, 404);
//! assert_eq!(entry.type_name, "ThingError");
//! assert_eq!(entry.variant, Some("NotFound"));
//! apierror::registry::check().expect("codes are unique");
//! ```
//!
//! # What a team does with it
//!
//! - **Uniqueness**: one test, `#[test] fn error_codes_are_unique() {
//!   apierror::registry::check().unwrap() }`, fails listing every code
//!   declared by more than one variant anywhere in the program, with the
//!   type, variant, crate, file and line of each.
//! - **Catalog**: [`markdown()`] and [`json()`] export every code, sorted,
//!   for the documentation site and for front ends.
//! - **Lock**: [`verify_lock`] compares the codes with a committed lock file,
//!   so that a shipped code never changes status or owner and a removed one
//!   is never reused; `APIERROR_BLESS=1` accepts a deliberate change.
//!
//! # Which crates are seen
//!
//! A crate's entries are in the registry when, and only when, the crate is
//! linked into the binary that reads it. With `linkme`, rustc links a
//! dependency exactly when the source of the binary's crate, or of a crate
//! already linked, names it: any path (`my_errors::Thing`, a constant, a
//! re-export) or `use my_errors as _;` is enough. Once a crate is linked, all
//! of its entries are kept, whatever the optimization level, LTO, codegen
//! units or linker (rustc keeps every `#[used]` static of a linked crate;
//! tested on x86-64 Linux with rustc 1.95, LLD and GNU ld). Listing a crate
//! in `Cargo.toml` is not enough. So:
//!
//! - a dependency the binary's code never names contributes nothing, even if
//!   it is in `[dependencies]`;
//! - each file in `tests/` is its own binary, and sees its own package's
//!   library only if it names it;
//! - a server binary names, itself or through the crates it uses, every
//!   crate whose errors it returns, so its registry is complete.
//!
//! What a team does: in the test that runs [`check`] or [`verify_lock`],
//! name every crate that declares errors (`use my_errors as _;`), and read
//! [`crates()`] (or the lock summary, which lists them) to see which crates
//! were seen. A lock check in which a whole crate is missing says so and
//! refuses to retire that crate's codes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

mod catalog;
mod lock;

pub use self::catalog::{json, markdown};
pub use self::lock::{
    verify_lock, verify_lock_with, InvalidCode, LockChange, LockError, LockMode, LockSummary, MalformedLine,
    BLESS_ENV,
};

/// The level at which a rendered error is logged on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
/// `transparent` variant has none: it uses the inner error's). New fields may
/// be added in minor releases; construct entries by hand only with care.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
}

impl Entry {
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

/// Builds the [`Entry`] of each variant of one derived type in `const`
/// context: what the type's entries share once, each variant's facts as a
/// short chain (`__TYPE.variant("Name", "1010", 409, 12).message("…")`).
/// The derive's expansion uses it so that a thousand-variant enum compiles
/// fast; not public API.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct EntryBuilder(Entry);

#[doc(hidden)]
impl EntryBuilder {
    /// What every entry of the type `type_name` shares.
    #[must_use]
    pub const fn new(type_name: &'static str, module: &'static str, file: &'static str) -> Self {
        Self(Entry {
            code: "",
            status: 500,
            type_name,
            variant: None,
            message: None,
            field: None,
            docs: None,
            log: LogLevel::Error,
            module,
            file,
            line: 0,
        })
    }

    /// The entry of the variant `name` (`Type::name`).
    #[must_use]
    pub const fn variant(self, name: &'static str, code: &'static str, status: u16, line: u32) -> Self {
        let Self(mut entry) = self.item(code, status, line);
        entry.variant = Some(name);
        Self(entry)
    }

    /// The entry of the type itself (a struct).
    #[must_use]
    pub const fn item(self, code: &'static str, status: u16, line: u32) -> Self {
        let Self(mut entry) = self;
        entry.code = code;
        entry.status = status;
        entry.log = LogLevel::for_status(status);
        entry.line = line;
        Self(entry)
    }

    /// The declared production message.
    #[must_use]
    pub const fn message(self, message: &'static str) -> Self {
        let Self(mut entry) = self;
        entry.message = Some(message);
        Self(entry)
    }

    /// The static request field.
    #[must_use]
    pub const fn field(self, field: &'static str) -> Self {
        let Self(mut entry) = self;
        entry.field = Some(field);
        Self(entry)
    }

    /// The documentation URL.
    #[must_use]
    pub const fn docs(self, docs: &'static str) -> Self {
        let Self(mut entry) = self;
        entry.docs = Some(docs);
        Self(entry)
    }

    /// A log level other than the status's default.
    #[must_use]
    pub const fn log(self, log: LogLevel) -> Self {
        let Self(mut entry) = self;
        entry.log = log;
        Self(entry)
    }

    /// The finished entry.
    #[must_use]
    pub const fn build(self) -> Entry {
        self.0
    }
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

#[doc(hidden)]
#[linkme::distributed_slice]
pub static ENTRIES: [&'static [Entry]];

/// Every entry in the program, in no particular order.
///
/// Only crates that are linked into the final binary contribute; see the
/// crate documentation on the registry.
pub fn entries() -> impl Iterator<Item = &'static Entry> + Clone {
    ENTRIES.iter().flat_map(|entries| entries.iter())
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
