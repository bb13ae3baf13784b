//! The lock file: every code the program has shipped, so that none changes
//! status or owner, and none is reused once removed.
//!
//! The file is plain text, one code per line, sorted by code, in aligned
//! columns separated by spaces:
//!
//! ```text
//! # code  status  Type::Variant               crate
//! 1010    409     ColumnError::DuplicateName  my_app
//! 2001    400     ColumnError::InvalidType    my_app
//! 4004    404     TableError::Dropped         my_app  retired
//! ```
//!
//! A line is `CODE STATUS OWNER CRATE`, then `retired` for a code that the
//! program no longer declares. `OWNER` is `Type::Variant`, or `Type` for a
//! struct, always unraw (`Odd::Match` for `r#Match`). Blank lines and lines
//! starting with `#` are ignored, and so is a UTF-8 byte-order mark at the
//! start of the file. Codes never contain whitespace and never start with
//! `#` (the derive and [`Entry::builder`] refuse them, and the lock refuses
//! to write a line it could not read back), so the columns are unambiguous.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{unraw, Entry};

mod diff;
mod error;
mod format;
#[cfg(test)]
mod tests;

pub use self::diff::LockChange;
pub use self::error::{InvalidCode, LockError, MalformedLine};
use self::format::{parse, render, write_atomically};

/// The library's crate: its own `apierror.*` codes are not locked, and no
/// other crate may declare a code with that prefix.
const LIBRARY: &str = env!("CARGO_CRATE_NAME");

/// The prefix of the library's own codes, reserved for them.
const RESERVED_PREFIX: &str = "apierror.";

/// The environment variable that makes [`verify_lock`] rewrite the lock
/// instead of failing: `APIERROR_BLESS=1`.
pub const BLESS_ENV: &str = "APIERROR_BLESS";

/// What the command that accepts changes looks like in messages.
const BLESS_COMMAND: &str = "APIERROR_BLESS=1 cargo test";

/// Whether a lock check only compares, or rewrites the lock to match the
/// program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockMode {
    /// Compare, and fail on any difference. The default.
    Verify,
    /// Accept deliberate changes: rewrite the lock to match the program,
    /// keeping removed codes as retired. A retired code used again, or the
    /// codes of a crate that is not linked at all, are still refused.
    Bless,
}

impl LockMode {
    /// [`Bless`](Self::Bless) when `APIERROR_BLESS` is set to anything but
    /// `0` or the empty string; [`Verify`](Self::Verify) otherwise.
    #[must_use]
    pub fn from_env() -> Self {
        Self::from_value(std::env::var_os(BLESS_ENV).as_deref())
    }

    fn from_value(value: Option<&std::ffi::OsStr>) -> Self {
        match value {
            Some(value) if !value.is_empty() && value != "0" => Self::Bless,
            _ => Self::Verify,
        }
    }
}

/// Compares the program's codes with the lock file at `path`.
///
/// Every entry of the program is compared except the library's own
/// (`apierror.*` codes, which depend on the library's features and which the
/// library keeps stable). `APIERROR_BLESS=1` rewrites the lock instead: see
/// [`LockMode`]. A relative `path` is taken from the current directory,
/// which `cargo test` sets to the package's root; prefer
/// `concat!(env!("CARGO_MANIFEST_DIR"), "/error-codes.lock")`.
///
/// ```no_run
/// # /*
/// #[test]
/// # */
/// fn error_codes_match_the_lock() {
///     let lock = concat!(env!("CARGO_MANIFEST_DIR"), "/error-codes.lock");
///     let summary = apierror::registry::verify_lock(lock).unwrap();
///     println!("{summary}");
/// }
/// ```
///
/// Only crates linked into the test binary are seen: name each crate that
/// declares errors in the test (`use my_errors as _;`); see [the
/// registry](super) on linking. The summary and every error list the crates
/// that were seen.
///
/// # Errors
///
/// [`LockError`], with a message that names each offending code or line and
/// says what to do: the binary links no crate that declares errors (so there
/// is nothing to compare: [`LockError::NoCodes`]), the lock is missing,
/// cannot be read or written, has a malformed line, the program declares a
/// code twice or a code no lock may hold, or the program and the lock
/// differ. Never panics.
pub fn verify_lock(path: impl AsRef<Path>) -> Result<LockSummary, LockError> {
    verify_lock_with(path, super::entries().filter(|e| e.crate_name() != LIBRARY), LockMode::from_env())
}

/// [`verify_lock`] with the entries and the mode given: for a lock of a
/// subset of the program (`entries().filter(...)`), or for tests that must
/// not depend on the environment.
///
/// # Errors
///
/// As [`verify_lock`]; in particular [`LockError::NoCodes`] when `entries`
/// holds no entry of any crate but the library's own.
pub fn verify_lock_with(
    path: impl AsRef<Path>,
    entries: impl IntoIterator<Item = &'static Entry>,
    mode: LockMode,
) -> Result<LockSummary, LockError> {
    let path = path.as_ref();
    let entries: Vec<&'static Entry> = entries.into_iter().collect();
    if entries.iter().all(|entry| entry.crate_name() == LIBRARY) {
        // Nothing to lock: blessing would write an empty lock and verifying
        // would pass, green, while checking nothing.
        let locked_crates = fs::read_to_string(path)
            .ok()
            .and_then(|text| parse(&text).ok())
            .map(|locked| locked.into_values().map(|r| r.crate_name).collect::<BTreeSet<_>>())
            .unwrap_or_default();
        return Err(LockError::NoCodes {
            path: path.to_owned(),
            locked_crates: locked_crates.into_iter().filter(|name| name != "-").collect(),
        });
    }
    let invalid: Vec<InvalidCode> = entries.iter().filter_map(|entry| InvalidCode::of(entry)).collect();
    if !invalid.is_empty() {
        return Err(LockError::InvalidCodes { path: path.to_owned(), codes: invalid });
    }
    if let Err(duplicates) = super::check_entries(entries.iter().copied()) {
        return Err(LockError::Duplicates { path: path.to_owned(), duplicates });
    }
    let program: BTreeMap<&str, Record> =
        entries.iter().map(|entry| (entry.code, Record::of(entry))).collect();
    let crates: Vec<String> =
        program.values().map(|r| r.crate_name.clone()).collect::<BTreeSet<_>>().into_iter().collect();

    let existing = match fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(err) if err.kind() == io::ErrorKind::NotFound && mode == LockMode::Bless => None,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            return Err(LockError::Missing { path: path.to_owned() })
        }
        Err(source) => return Err(LockError::Io { path: path.to_owned(), action: "read", source }),
    };
    let locked = match existing.as_deref().map(parse).transpose() {
        Ok(locked) => locked.unwrap_or_default(),
        Err(lines) => return Err(LockError::Malformed { path: path.to_owned(), lines }),
    };

    let changes = diff::diff(&program, &locked, &crates);
    let mut summary = LockSummary {
        path: path.to_owned(),
        codes: program.len(),
        retired: locked.values().filter(|r| r.retired && !program.contains_key(r.code.as_str())).count(),
        crates,
        changes: Vec::new(),
        written: false,
    };
    match mode {
        LockMode::Verify if changes.is_empty() => Ok(summary),
        LockMode::Verify => {
            Err(LockError::Mismatch { path: path.to_owned(), mode, changes, crates: summary.crates })
        }
        LockMode::Bless => {
            let refused: Vec<LockChange> = changes.iter().filter(|c| !c.is_blessable()).cloned().collect();
            if !refused.is_empty() {
                return Err(LockError::Mismatch {
                    path: path.to_owned(),
                    mode,
                    changes: refused,
                    crates: summary.crates,
                });
            }
            let mut next: BTreeMap<&str, Record> = locked
                .iter()
                .filter(|(code, _)| !program.contains_key(code.as_str()))
                .map(|(code, record)| (code.as_str(), Record { retired: true, ..record.clone() }))
                .collect();
            next.extend(program.iter().map(|(code, record)| (*code, record.clone())));
            let text = render(next.values());
            if existing.as_deref() != Some(text.as_str()) {
                write_atomically(path, &text).map_err(|source| LockError::Io {
                    path: path.to_owned(),
                    action: "write",
                    source,
                })?;
                summary.written = true;
            }
            summary.retired = next.values().filter(|r| r.retired).count();
            summary.changes = changes;
            Ok(summary)
        }
    }
}

/// One line of the lock, or one entry of the program in the same terms.
#[derive(Clone, Debug)]
struct Record {
    code: String,
    status: u16,
    owner: String,
    crate_name: String,
    retired: bool,
    /// The line in the lock file; 0 for an entry of the program.
    line: usize,
}

impl Record {
    fn of(entry: &Entry) -> Self {
        let crate_name = match unraw(entry.crate_name()) {
            "" => "-".to_owned(),
            name => name.to_owned(),
        };
        Self {
            code: entry.code.to_owned(),
            status: entry.status,
            owner: entry.path().to_string(),
            crate_name,
            retired: false,
            line: 0,
        }
    }
}

/// What a successful [`verify_lock`] saw and did.
#[derive(Clone, Debug)]
pub struct LockSummary {
    path: PathBuf,
    codes: usize,
    retired: usize,
    crates: Vec<String>,
    changes: Vec<LockChange>,
    written: bool,
}

impl LockSummary {
    /// The lock file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many codes the program declares (all of them locked).
    #[must_use]
    pub fn codes(&self) -> usize {
        self.codes
    }

    /// How many retired codes the lock keeps.
    #[must_use]
    pub fn retired(&self) -> usize {
        self.retired
    }

    /// The crates whose entries were compared, sorted: a crate that declares
    /// errors but is missing here is not linked into this binary.
    #[must_use]
    pub fn crates(&self) -> &[String] {
        &self.crates
    }

    /// The changes that blessing accepted; empty when the lock matched.
    #[must_use]
    pub fn changes(&self) -> &[LockChange] {
        &self.changes
    }

    /// Whether the lock file was (re)written.
    #[must_use]
    pub fn written(&self) -> bool {
        self.written
    }
}

impl fmt::Display for LockSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error-code lock {}: {} code(s), {} retired, ",
            self.path.display(),
            self.codes,
            self.retired
        )?;
        write_crates(f, &self.crates)?;
        if !self.written {
            return f.write_str("; up to date");
        }
        f.write_str("; rewritten (APIERROR_BLESS)")?;
        if self.changes.is_empty() {
            return f.write_str(", no code changed");
        }
        f.write_str(", accepting:")?;
        for change in &self.changes {
            write!(f, "\n  - {change}")?;
        }
        Ok(())
    }
}

fn write_crates(f: &mut fmt::Formatter<'_>, crates: &[String]) -> fmt::Result {
    if crates.is_empty() {
        return f.write_str("from no crate at all");
    }
    f.write_str("from crate(s) ")?;
    for (i, name) in crates.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "`{name}`")?;
    }
    Ok(())
}
