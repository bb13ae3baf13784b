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
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{unraw, DuplicateCodes, Entry};

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

    let changes = diff(&program, &locked, &crates);
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

/// Every difference between the program and the lock, sorted by code.
fn diff(
    program: &BTreeMap<&str, Record>,
    locked: &BTreeMap<String, Record>,
    crates: &[String],
) -> Vec<LockChange> {
    let mut changes = Vec::new();
    for (code, now) in program {
        let code = (*code).to_owned();
        let Some(was) = locked.get(&code) else {
            changes.push(LockChange::Added { code, status: now.status, owner: now.owner.clone() });
            continue;
        };
        if was.retired {
            changes.push(LockChange::RetiredReused {
                code,
                retired: was.owner.clone(),
                now: now.owner.clone(),
            });
            continue;
        }
        if was.status != now.status {
            changes.push(LockChange::StatusChanged {
                code: code.clone(),
                owner: now.owner.clone(),
                locked: was.status,
                now: now.status,
            });
        }
        if was.owner != now.owner {
            changes.push(LockChange::OwnerChanged {
                code: code.clone(),
                locked: was.owner.clone(),
                now: now.owner.clone(),
            });
        }
        if was.crate_name != now.crate_name {
            changes.push(LockChange::CrateChanged {
                code,
                owner: now.owner.clone(),
                locked: was.crate_name.clone(),
                now: now.crate_name.clone(),
            });
        }
    }
    for (code, was) in locked {
        if !was.retired && !program.contains_key(code.as_str()) {
            changes.push(LockChange::Removed {
                code: code.clone(),
                owner: was.owner.clone(),
                crate_name: was.crate_name.clone(),
                crate_linked: crates.contains(&was.crate_name),
            });
        }
    }
    changes.sort_by(|a, b| a.code().cmp(b.code()));
    changes
}

/// Parses the lock; on failure, every malformed line.
fn parse(text: &str) -> Result<BTreeMap<String, Record>, Vec<MalformedLine>> {
    let mut records: BTreeMap<String, Record> = BTreeMap::new();
    let mut malformed = Vec::new();
    // Editors on some systems start a UTF-8 file with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = raw.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        match parse_line(content, line) {
            Ok(record) => {
                if let Some(first) = records.get(&record.code) {
                    malformed.push(MalformedLine {
                        line,
                        text: raw.to_owned(),
                        problem: format!(
                            "code `{}` is already locked on line {}: keep one line per code",
                            record.code, first.line
                        ),
                    });
                } else {
                    records.insert(record.code.clone(), record);
                }
            }
            Err(problem) => malformed.push(MalformedLine { line, text: raw.to_owned(), problem }),
        }
    }
    if malformed.is_empty() {
        Ok(records)
    } else {
        Err(malformed)
    }
}

fn parse_line(content: &str, line: usize) -> Result<Record, String> {
    let columns: Vec<&str> = content.split_whitespace().collect();
    let (code, status, owner, crate_name, retired) = match columns[..] {
        [code, status, owner, crate_name] => (code, status, owner, crate_name, false),
        [code, status, owner, crate_name, "retired"] => (code, status, owner, crate_name, true),
        [_, _, _, _, other] => {
            return Err(format!(
                "unexpected `{other}` after the crate: the only word allowed there is `retired`"
            ))
        }
        _ => {
            return Err(format!(
                "expected 4 columns, `CODE STATUS Type::Variant CRATE`, optionally followed by `retired`; \
                 found {}",
                columns.len()
            ))
        }
    };
    let status = match status.parse::<u16>() {
        Ok(status @ 400..=599) => status,
        _ => {
            return Err(format!(
                "status `{status}` is not an HTTP error status: expected an integer in 400..=599"
            ))
        }
    };
    let segments: Vec<&str> = owner.split("::").map(unraw).collect();
    if segments.len() > 2 || !segments.iter().all(|s| is_identifier(s)) {
        return Err(format!("owner `{owner}` is not `Type::Variant` or `Type`"));
    }
    let crate_name = unraw(crate_name);
    if crate_name != "-" && !is_identifier(crate_name) {
        return Err(format!("`{crate_name}` is not a crate name (as in `use crate_name as _;`)"));
    }
    Ok(Record {
        code: code.to_owned(),
        status,
        // Read unraw, as written: a lock written by hand (or by an older
        // version) with `r#Match` names the same variant.
        owner: segments.join("::"),
        crate_name: crate_name.to_owned(),
        retired,
        line,
    })
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

const HEADER: &str = "\
# apierror error-code lock: every code this program has shipped, one per line.
# A code keeps its status and owner; a removed code stays, marked `retired`,
# so that it is never reused. After a deliberate change, run the lock test
# with APIERROR_BLESS=1 to rewrite this file, and review the diff.
#
";

/// The lock's text: the header, then one aligned line per record, sorted by
/// code (the order of `records`).
fn render<'a>(records: impl Iterator<Item = &'a Record> + Clone) -> String {
    let width = |column: fn(&Record) -> usize, title: &str| {
        records.clone().map(column).max().unwrap_or(0).max(title.len())
    };
    let code_width = width(|r| r.code.len(), "# code");
    let owner_width = width(|r| r.owner.len(), "Type::Variant");
    let crate_width = width(|r| r.crate_name.len(), "crate");
    let mut out = String::from(HEADER);
    out.push_str(&format!("{:code_width$}  status  {:owner_width$}  crate\n", "# code", "Type::Variant"));
    for r in records {
        out.push_str(&render_line(r, code_width, owner_width, crate_width));
        out.push('\n');
    }
    out
}

/// One record's line, without its line break, in columns of these widths.
fn render_line(r: &Record, code_width: usize, owner_width: usize, crate_width: usize) -> String {
    let line = format!("{:code_width$}  {:<6}  {:owner_width$}  {}", r.code, r.status, r.owner, r.crate_name);
    if r.retired {
        format!("{line:<width$}  retired", width = code_width + owner_width + crate_width + 12)
    } else {
        line
    }
}

/// Why the lock cannot hold this entry of the program, if it cannot: its
/// code is reserved for the library, or its line would not read back as
/// written (a comment, a split column, a name that is not an identifier).
fn unlockable(entry: &Entry, record: &Record) -> Option<String> {
    let code = record.code.as_str();
    if code.starts_with(RESERVED_PREFIX) && entry.crate_name() != LIBRARY {
        return Some(format!(
            "the `{RESERVED_PREFIX}` prefix is reserved for the library's own codes: choose another code"
        ));
    }
    if code.is_empty() {
        return Some("the code is empty".to_owned());
    }
    if code.starts_with('#') {
        return Some("a code starting with `#` would be read as a comment: choose another code".to_owned());
    }
    if code.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(
            "the code contains whitespace or a control character, which would split the lock's columns: \
             choose another code"
                .to_owned(),
        );
    }
    // Everything else: write the line, read it back, and compare.
    let line = render_line(record, 0, 0, 0);
    match parse(&line) {
        Ok(read) => match read.get(code) {
            Some(back)
                if back.status == record.status
                    && back.owner == record.owner
                    && back.crate_name == record.crate_name
                    && read.len() == 1 =>
            {
                None
            }
            _ => Some(format!("its lock line `{line}` does not read back as written")),
        },
        Err(lines) => Some(format!(
            "its lock line `{line}` could not be read back: {}",
            lines.first().map_or("", |l| l.problem.as_str())
        )),
    }
}

/// Writes `contents` to a temporary file beside `path`, then renames it over
/// `path`: a reader sees the old lock or the new one, never half of one.
fn write_atomically(path: &Path, contents: &str) -> io::Result<()> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the lock path does not name a file"))?;
    let temp = path.with_file_name(format!(
        ".{}.{}-{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = fs::File::create(&temp)
        .and_then(|mut file| {
            file.write_all(contents.as_bytes())?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&temp, path));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// A difference between the program's codes and the lock.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LockChange {
    /// A code the lock does not have yet. Accepted by blessing.
    Added {
        /// The code.
        code: String,
        /// Its status.
        status: u16,
        /// `Type::Variant` that declares it.
        owner: String,
    },
    /// A locked code whose status changed. Accepted by blessing.
    StatusChanged {
        /// The code.
        code: String,
        /// `Type::Variant` that declares it.
        owner: String,
        /// The status in the lock.
        locked: u16,
        /// The status in the program.
        now: u16,
    },
    /// A locked code now declared by another type or variant. Accepted by
    /// blessing.
    OwnerChanged {
        /// The code.
        code: String,
        /// `Type::Variant` in the lock.
        locked: String,
        /// `Type::Variant` in the program.
        now: String,
    },
    /// A locked code whose type moved to another crate. Accepted by blessing.
    CrateChanged {
        /// The code.
        code: String,
        /// `Type::Variant` that declares it.
        owner: String,
        /// The crate in the lock.
        locked: String,
        /// The crate in the program.
        now: String,
    },
    /// A locked code the program no longer declares. Blessing keeps it as
    /// retired, unless no entry of its crate is seen at all: then the crate
    /// is most likely not linked into this binary (see [the
    /// registry](super)), and blessing refuses.
    Removed {
        /// The code.
        code: String,
        /// `Type::Variant` in the lock.
        owner: String,
        /// The crate in the lock.
        crate_name: String,
        /// Whether any entry of that crate was seen.
        crate_linked: bool,
    },
    /// A retired code declared again. Never accepted by blessing: a code
    /// that clients may have seen must not come back with another meaning.
    RetiredReused {
        /// The code.
        code: String,
        /// `Type::Variant` that declared it before it was retired.
        retired: String,
        /// `Type::Variant` that declares it now.
        now: String,
    },
}

impl LockChange {
    /// The code this change is about.
    #[must_use]
    pub fn code(&self) -> &str {
        match self {
            Self::Added { code, .. }
            | Self::StatusChanged { code, .. }
            | Self::OwnerChanged { code, .. }
            | Self::CrateChanged { code, .. }
            | Self::Removed { code, .. }
            | Self::RetiredReused { code, .. } => code,
        }
    }

    /// Whether `APIERROR_BLESS=1` accepts this change.
    #[must_use]
    pub fn is_blessable(&self) -> bool {
        match self {
            Self::RetiredReused { .. } => false,
            Self::Removed { crate_linked, .. } => *crate_linked,
            _ => true,
        }
    }
}

impl fmt::Display for LockChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Added { code, status, owner } => {
                write!(f, "code `{code}` ({owner}, {status}) is new: it is not in the lock yet")
            }
            Self::StatusChanged { code, owner, locked, now } => write!(
                f,
                "code `{code}` ({owner}) changed status from {locked} to {now}: clients rely on a shipped \
                 code's status"
            ),
            Self::OwnerChanged { code, locked, now } => write!(
                f,
                "code `{code}` moved from {locked} to {now}: a shipped code keeps its meaning; give {now} a new \
                 code unless it is the same error renamed"
            ),
            Self::CrateChanged { code, owner, locked, now } => {
                write!(f, "code `{code}` ({owner}) moved from crate `{locked}` to crate `{now}`")
            }
            Self::Removed { code, owner, crate_name: _, crate_linked: true } => write!(
                f,
                "code `{code}` ({owner}) is no longer declared: blessing keeps it in the lock as retired, so \
                 that it is never reused"
            ),
            Self::Removed { code, owner, crate_name, crate_linked: false } => write!(
                f,
                "code `{code}` ({owner}) is not declared by any crate linked into this binary (it belongs to \
                 crate `{crate_name}`)"
            ),
            Self::RetiredReused { code, retired, now } => write!(
                f,
                "code `{code}` was retired (it was {retired}) and is declared again by {now}: a retired code \
                 is never reused; give {now} a new code"
            ),
        }
    }
}

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
    fn of(entry: &Entry) -> Option<Self> {
        let record = Record::of(entry);
        let problem = unlockable(entry, &record)?;
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

/// Why [`verify_lock`] failed. The `Display` (and, so that
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
    /// binary (see [the registry](super) on linking), and a lock check would
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

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
2003 400 ColumnError::Invalid::Type my_app
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
                (8, "owner `ColumnError::Invalid::Type` is not `Type::Variant` or `Type`"),
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
}
