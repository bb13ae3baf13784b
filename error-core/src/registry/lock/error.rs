//! Why a lock check fails, and how it says so.

use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::path::PathBuf;

use super::format::unreadable;
use super::{write_crates, LockChange, LockMode, Record, BLESS_COMMAND, LIBRARY, RESERVED_PREFIX};
use crate::registry::{DuplicateCodes, Entry};

/// A line of the lock file that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MalformedLine {
    /// The line number, from 1.
    pub line: usize,
    /// The line as written.
    pub text: String,
    /// What is wrong with it.
    pub problem: String,
}

impl fmt::Display for MalformedLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {} (in `{}`)", self.line, self.problem, self.text.trim())
    }
}

/// A code of the program that the lock refuses to hold: see
/// [`LockError::InvalidCodes`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidCode {
    /// The code.
    pub code: String,
    /// `Type::Variant` that declares it.
    pub owner: String,
    /// The crate that declares it.
    pub crate_name: String,
    /// The file and line that declare it.
    pub location: String,
    /// Why the lock cannot hold it.
    pub problem: String,
}

impl InvalidCode {
    pub(super) fn of(entry: &Entry) -> Option<Self> {
        let record = Record::of(entry);
        let problem = if record.code.starts_with(RESERVED_PREFIX) && entry.crate_name() != LIBRARY {
            format!(
                "the `{RESERVED_PREFIX}` prefix is reserved for the library's own codes: choose another code"
            )
        } else {
            unreadable(&record)?
        };
        Some(Self {
            code: record.code,
            owner: record.owner,
            crate_name: record.crate_name,
            location: format!("{}:{}", entry.file, entry.line),
            problem,
        })
    }
}

impl fmt::Display for InvalidCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "code {:?} of {} (crate `{}`, {}): {}",
            self.code, self.owner, self.crate_name, self.location, self.problem
        )
    }
}

/// Why [`verify_lock`](super::verify_lock) failed. The `Display` (and, so that
/// `verify_lock(..).unwrap()` reads well in a failing test, the `Debug`)
/// names each offending code or line and says what to do.
#[non_exhaustive]
pub enum LockError {
    /// The lock file does not exist.
    Missing {
        /// The lock file.
        path: PathBuf,
    },
    /// The lock file could not be read or written.
    Io {
        /// The lock file.
        path: PathBuf,
        /// `"read"` or `"write"`.
        action: &'static str,
        /// The failure.
        source: io::Error,
    },
    /// Lines of the lock file are malformed.
    Malformed {
        /// The lock file.
        path: PathBuf,
        /// Every malformed line.
        lines: Vec<MalformedLine>,
    },
    /// The entries hold no code of any crate but the library's own: the
    /// crate that declares the program's errors is not linked into this
    /// binary (see [the registry](crate::registry) on linking), and a lock check would
    /// compare nothing. Blessing refuses too, rather than write an empty
    /// lock.
    NoCodes {
        /// The lock file.
        path: PathBuf,
        /// The crates the lock file names, sorted, if it could be read: the
        /// ones to name in the test.
        locked_crates: Vec<String>,
    },
    /// The program declares codes that no lock may hold: a code with the
    /// prefix `apierror.`, reserved for the library's own codes, in another
    /// crate; or a code the lock file could not read back (empty, starting
    /// with `#`, holding whitespace). Blessing refuses them too.
    InvalidCodes {
        /// The lock file.
        path: PathBuf,
        /// Every such code, with what is wrong with it.
        codes: Vec<InvalidCode>,
    },
    /// The program declares a code more than once, so it cannot be locked.
    Duplicates {
        /// The lock file.
        path: PathBuf,
        /// The codes declared more than once.
        duplicates: DuplicateCodes,
    },
    /// The program and the lock differ.
    Mismatch {
        /// The lock file.
        path: PathBuf,
        /// The mode of the check. Under [`LockMode::Bless`], `changes` are
        /// only those that blessing refuses, and the lock was not changed.
        mode: LockMode,
        /// The differences, sorted by code.
        changes: Vec<LockChange>,
        /// The crates whose entries were compared, sorted.
        crates: Vec<String>,
    },
}

impl fmt::Display for LockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing { path } => write!(
                f,
                "error-code lock {} does not exist: create it by running this test with APIERROR_BLESS=1 \
                 (`{BLESS_COMMAND}`), then commit it",
                path.display()
            ),
            Self::Io { path, action, source } => {
                write!(f, "cannot {action} error-code lock {}: {source}", path.display())?;
                if *action == "write" {
                    f.write_str(" (the lock was not changed)")?;
                }
                Ok(())
            }
            Self::Malformed { path, lines } => {
                writeln!(f, "error-code lock {} has {} malformed line(s):", path.display(), lines.len())?;
                for line in lines {
                    writeln!(f, "  {line}")?;
                }
                write!(
                    f,
                    "Each line is `CODE STATUS Type::Variant CRATE`, then `retired` for a removed code; `#` \
                     starts a comment. Fix these lines by hand: APIERROR_BLESS=1 does not rewrite a malformed \
                     lock, so that no retired code is lost."
                )
            }
            Self::NoCodes { path, locked_crates } => {
                write!(
                    f,
                    "error-code lock {} not checked: this binary holds no error code of any crate but \
                     {LIBRARY}'s own, so there is nothing to lock. The crate that declares your errors is not \
                     linked into this test binary: rustc links a crate only where the code names it. Name it \
                     in this test, `use my_errors as _;` with your crate's name",
                    path.display()
                )?;
                match &locked_crates[..] {
                    [] => f.write_str(". ")?,
                    names => {
                        f.write_str(" (the lock names ")?;
                        for (i, name) in names.iter().enumerate() {
                            if i > 0 {
                                f.write_str(", ")?;
                            }
                            write!(f, "`use {name} as _;`")?;
                        }
                        f.write_str("). ")?;
                    }
                }
                f.write_str(
                    "A binary-only crate (a src/main.rs and no src/lib.rs) cannot be named by its own tests: \
                     move its errors into a library target (src/lib.rs), which the binary and the tests both \
                     use, and name that. The lock was not changed.",
                )
            }
            Self::InvalidCodes { path, codes } => {
                writeln!(
                    f,
                    "error-code lock {} not checked: {} code(s) of the program cannot be locked:",
                    path.display(),
                    codes.len()
                )?;
                for code in codes {
                    writeln!(f, "  - {code}")?;
                }
                f.write_str("Change these codes in the program; the lock was not changed.")
            }
            Self::Duplicates { path, duplicates } => {
                write!(f, "error-code lock {} not checked: {duplicates}", path.display())
            }
            Self::Mismatch { path, mode, changes, crates } => {
                match mode {
                    LockMode::Verify => {
                        writeln!(f, "error-code lock {} does not match the program:", path.display())?
                    }
                    LockMode::Bless => writeln!(
                        f,
                        "error-code lock {} not rewritten: APIERROR_BLESS=1 does not accept these changes:",
                        path.display()
                    )?,
                }
                for change in changes {
                    writeln!(f, "  - {change}")?;
                }
                let unlinked: BTreeSet<&str> = changes
                    .iter()
                    .filter_map(|change| match change {
                        LockChange::Removed { crate_name, crate_linked: false, .. } => {
                            Some(crate_name.as_str())
                        }
                        _ => None,
                    })
                    .collect();
                for name in &unlinked {
                    writeln!(
                        f,
                        "No entry of crate `{name}` is linked into this binary, so its codes look removed. If \
                         `{name}` still declares errors, name it in this test (`use {name} as _;`) so that it is \
                         linked; if it is gone for good, mark its lines `retired` by hand."
                    )?;
                }
                f.write_str("The entries compared come ")?;
                write_crates(f, crates)?;
                f.write_str(".\n")?;
                let reused = changes.iter().any(|c| matches!(c, LockChange::RetiredReused { .. }));
                if reused {
                    f.write_str(
                        "A retired code is never reused: give each variant that declares one a new code.\n",
                    )?;
                }
                let blessable = changes.iter().any(LockChange::is_blessable);
                let refused = changes.iter().any(|c| !c.is_blessable());
                match mode {
                    LockMode::Verify if !blessable => {
                        f.write_str("APIERROR_BLESS=1 does not accept these changes.")
                    }
                    LockMode::Verify => {
                        f.write_str(if refused {
                            "Then, if the other changes are deliberate"
                        } else {
                            "If the changes are deliberate"
                        })?;
                        write!(
                            f,
                            ", accept them: run this test again with APIERROR_BLESS=1 (`{BLESS_COMMAND}`), \
                             review the lock's diff and commit it."
                        )
                    }
                    LockMode::Bless => f.write_str("The lock was not changed."),
                }
            }
        }
    }
}

impl fmt::Debug for LockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for LockError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            Self::Duplicates { duplicates, .. } => Some(duplicates),
            _ => None,
        }
    }
}
