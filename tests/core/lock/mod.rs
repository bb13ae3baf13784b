//! Every failure mode of the lock check, on entries made here and lock files
//! in temporary folders: through `verify_lock_with`, so that neither the
//! process environment (`APIERROR_BLESS`) nor the program's registry matters.
//! `tests/catalog.rs` checks the repository's own lock through
//! `verify_lock`.

use std::fs;
use std::path::{Path, PathBuf};

use apierror::registry::{verify_lock_with, LockChange, LockError, LockMode, LockSummary};
use apierror::Entry;

/// `type_name::variant`, declared in `module`, at `src/columns.rs:1`.
const fn entry_of(
    code: &'static str,
    status: u16,
    type_name: &'static str,
    variant: &'static str,
    module: &'static str,
) -> Entry {
    Entry::builder(code, status, type_name).variant(variant).location(module, "src/columns.rs", 1).build()
}

/// `ColumnError::variant` of crate `my_app`.
const fn entry(code: &'static str, status: u16, variant: &'static str) -> Entry {
    entry_of(code, status, "ColumnError", variant, "my_app::columns")
}

/// As [`entry`], with a code that `Entry::builder` (and the derive) refuses:
/// made as the derive's expansion makes entries, to test that the lock
/// refuses it too.
const fn unchecked_entry(code: &'static str, status: u16, variant: &'static str) -> Entry {
    apierror::__private::EntryBuilder::new("ColumnError", "my_app::columns", "src/columns.rs")
        .variant(variant, code, status, 1)
        .build()
}

static DUPLICATE_NAME: Entry = entry("1010", 409, "DuplicateName");
static INVALID_TYPE: Entry = entry("2001", 400, "InvalidType");
static DATABASE: Entry = entry("9001", 503, "Database");
/// `1010` answering 400 instead of 409.
static DUPLICATE_NAME_400: Entry = entry("1010", 400, "DuplicateName");
/// `1010` declared by another variant.
static NAME_TAKEN: Entry = entry("1010", 409, "NameTaken");
/// `2001` declared by the same variant of a type now in another crate.
static INVALID_TYPE_MOVED: Entry = entry_of("2001", 400, "ColumnError", "InvalidType", "my_types");
static NEW_CODE: Entry = entry("3001", 404, "Missing");
/// A second `1010`.
static CLASH: Entry = entry("1010", 400, "Clash");
/// An entry of another crate.
static BILLING: Entry = entry_of("5001", 402, "BillingError", "PaymentRequired", "billing::errors");

const BASE: [&Entry; 3] = [&DUPLICATE_NAME, &INVALID_TYPE, &DATABASE];

const HEADER: &str = "\
# apierror error-code lock: every code this program has shipped, one per line.
# A code keeps its status and owner; a removed code stays, marked `retired`,
# so that it is never reused. After a deliberate change, run the lock test
# with APIERROR_BLESS=1 to rewrite this file, and review the diff.
#
";

/// The lock of `BASE`, as blessing writes it.
const BASE_LOCK: &str = "\
# code  status  Type::Variant               crate
1010    409     ColumnError::DuplicateName  my_app
2001    400     ColumnError::InvalidType    my_app
9001    503     ColumnError::Database       my_app
";

/// A temporary folder, removed when dropped, holding `errors.lock`.
struct TempLock {
    dir: PathBuf,
}

impl TempLock {
    /// `name` must be unique among the tests of this file.
    fn new(name: &str, contents: Option<&str>) -> Self {
        let dir = std::env::temp_dir().join(format!("apierror-lock-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let lock = Self { dir };
        if let Some(contents) = contents {
            fs::write(lock.path(), contents).unwrap();
        }
        lock
    }

    /// A lock holding `BASE_LOCK` under the header.
    fn base(name: &str) -> Self {
        Self::new(name, Some(&format!("{HEADER}{BASE_LOCK}")))
    }

    fn path(&self) -> PathBuf {
        self.dir.join("errors.lock")
    }

    fn read(&self) -> String {
        fs::read_to_string(self.path()).unwrap()
    }

    /// The lock without its header.
    fn body(&self) -> String {
        self.read().strip_prefix(HEADER).expect("a blessed lock starts with the header").to_owned()
    }

    /// Every file in the folder: no temporary file may be left behind.
    fn files(&self) -> Vec<String> {
        let mut files: Vec<String> =
            fs::read_dir(&self.dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        files.sort();
        files
    }
}

impl Drop for TempLock {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn verify(path: &Path, entries: &[&'static Entry]) -> Result<LockSummary, LockError> {
    verify_lock_with(path, entries.iter().copied(), LockMode::Verify)
}

fn bless(path: &Path, entries: &[&'static Entry]) -> Result<LockSummary, LockError> {
    verify_lock_with(path, entries.iter().copied(), LockMode::Bless)
}

/// The changes of a `Mismatch`, and its message.
fn mismatch(result: Result<LockSummary, LockError>) -> (Vec<LockChange>, String) {
    match result {
        Err(err @ LockError::Mismatch { .. }) => {
            let message = err.to_string();
            let LockError::Mismatch { changes, .. } = err else { unreachable!() };
            (changes, message)
        }
        other => panic!("expected a mismatch, got {other:?}"),
    }
}

const ACCEPT: &str = "If the changes are deliberate, accept them: run this test again with APIERROR_BLESS=1 \
                      (`APIERROR_BLESS=1 cargo test`), review the lock's diff and commit it.";

#[test]
fn a_matching_lock_passes_in_any_order_with_comments() {
    let lock = TempLock::new(
        "matching",
        Some("# hand-written\n\n9001 503 ColumnError::Database my_app\n  1010\t409 ColumnError::DuplicateName my_app  \n2001 400 ColumnError::InvalidType my_app\n"),
    );
    let before = lock.read();
    let summary = verify(&lock.path(), &BASE).unwrap();
    assert_eq!(summary.codes(), 3);
    assert_eq!(summary.retired(), 0);
    assert_eq!(summary.crates(), ["my_app"]);
    assert!(!summary.written());
    assert_eq!(
        summary.to_string(),
        format!(
            "error-code lock {}: 3 code(s), 0 retired, from crate(s) `my_app`; up to date",
            lock.path().display()
        )
    );
    assert_eq!(lock.read(), before, "verifying never writes");
}

#[test]
fn a_missing_lock_fails_with_the_command_to_create_it() {
    let lock = TempLock::new("missing", None);
    let err = verify(&lock.path(), &BASE).unwrap_err();
    assert!(matches!(err, LockError::Missing { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "error-code lock {} does not exist: create it by running this test with APIERROR_BLESS=1 \
             (`APIERROR_BLESS=1 cargo test`), then commit it",
            lock.path().display()
        )
    );
    assert!(!lock.path().exists());
}

#[test]
fn blessing_creates_a_missing_lock() {
    let lock = TempLock::new("create", None);
    let summary = bless(&lock.path(), &BASE).unwrap();
    assert!(summary.written());
    assert_eq!(summary.changes().len(), 3);
    assert!(summary.changes().iter().all(|c| matches!(c, LockChange::Added { .. })));
    assert_eq!(lock.body(), BASE_LOCK);
    assert_eq!(lock.files(), ["errors.lock"], "no temporary file is left behind");

    // Blessing again changes nothing, and does not touch the file.
    let summary = bless(&lock.path(), &BASE).unwrap();
    assert!(!summary.written());
    assert!(summary.changes().is_empty());
    verify(&lock.path(), &BASE).unwrap();
}

#[test]
fn a_new_code_fails_until_blessed() {
    let lock = TempLock::base("new");
    let entries = [&DUPLICATE_NAME, &INVALID_TYPE, &DATABASE, &NEW_CODE];
    let (changes, message) = mismatch(verify(&lock.path(), &entries));
    assert_eq!(
        changes,
        [LockChange::Added { code: "3001".into(), status: 404, owner: "ColumnError::Missing".into() }]
    );
    assert_eq!(
        message,
        format!(
            "error-code lock {} does not match the program:\n  \
             - code `3001` (ColumnError::Missing, 404) is new: it is not in the lock yet\n\
             The entries compared come from crate(s) `my_app`.\n{ACCEPT}",
            lock.path().display()
        )
    );

    let summary = bless(&lock.path(), &entries).unwrap();
    assert!(summary.written());
    assert_eq!(summary.changes(), changes);
    assert_eq!(
        lock.body(),
        "\
# code  status  Type::Variant               crate
1010    409     ColumnError::DuplicateName  my_app
2001    400     ColumnError::InvalidType    my_app
3001    404     ColumnError::Missing        my_app
9001    503     ColumnError::Database       my_app
"
    );
    verify(&lock.path(), &entries).unwrap();
}

#[test]
fn a_changed_status_fails_until_blessed() {
    let lock = TempLock::base("status");
    let entries = [&DUPLICATE_NAME_400, &INVALID_TYPE, &DATABASE];
    let (changes, message) = mismatch(verify(&lock.path(), &entries));
    assert_eq!(
        changes,
        [LockChange::StatusChanged {
            code: "1010".into(),
            owner: "ColumnError::DuplicateName".into(),
            locked: 409,
            now: 400
        }]
    );
    assert!(
        message.contains(
            "  - code `1010` (ColumnError::DuplicateName) changed status from 409 to 400: clients rely on a \
             shipped code's status\n"
        ),
        "{message}"
    );
    assert!(message.ends_with(ACCEPT), "{message}");
    assert_eq!(lock.body(), BASE_LOCK, "verifying never writes");

    let summary = bless(&lock.path(), &entries).unwrap();
    assert!(summary.to_string().ends_with(
        "rewritten (APIERROR_BLESS), accepting:\n  - code `1010` (ColumnError::DuplicateName) changed status \
         from 409 to 400: clients rely on a shipped code's status"
    ));
    assert!(
        lock.body().contains("\n1010    400     ColumnError::DuplicateName  my_app\n"),
        "{}",
        lock.read()
    );
    verify(&lock.path(), &entries).unwrap();
}

#[test]
fn a_changed_owner_fails_until_blessed() {
    let lock = TempLock::base("owner");
    let entries = [&NAME_TAKEN, &INVALID_TYPE, &DATABASE];
    let (changes, message) = mismatch(verify(&lock.path(), &entries));
    assert_eq!(
        changes,
        [LockChange::OwnerChanged {
            code: "1010".into(),
            locked: "ColumnError::DuplicateName".into(),
            now: "ColumnError::NameTaken".into()
        }]
    );
    assert!(
        message.contains(
            "  - code `1010` moved from ColumnError::DuplicateName to ColumnError::NameTaken: a shipped code \
             keeps its meaning; give ColumnError::NameTaken a new code unless it is the same error renamed\n"
        ),
        "{message}"
    );
    assert!(message.ends_with(ACCEPT));

    bless(&lock.path(), &entries).unwrap();
    assert!(lock.body().contains("\n1010    409     ColumnError::NameTaken    my_app\n"), "{}", lock.read());
    verify(&lock.path(), &entries).unwrap();
}

#[test]
fn a_type_moved_to_another_crate_fails_until_blessed() {
    let lock = TempLock::base("crate");
    let entries = [&DUPLICATE_NAME, &INVALID_TYPE_MOVED, &DATABASE];
    let (changes, message) = mismatch(verify(&lock.path(), &entries));
    assert_eq!(
        changes,
        [LockChange::CrateChanged {
            code: "2001".into(),
            owner: "ColumnError::InvalidType".into(),
            locked: "my_app".into(),
            now: "my_types".into()
        }]
    );
    assert!(message.contains("The entries compared come from crate(s) `my_app`, `my_types`.\n"), "{message}");
    bless(&lock.path(), &entries).unwrap();
    verify(&lock.path(), &entries).unwrap();
}

#[test]
fn a_removed_code_fails_and_blessing_retires_it_forever() {
    let lock = TempLock::base("removed");
    let entries = [&DUPLICATE_NAME, &INVALID_TYPE];
    let (changes, message) = mismatch(verify(&lock.path(), &entries));
    assert_eq!(
        changes,
        [LockChange::Removed {
            code: "9001".into(),
            owner: "ColumnError::Database".into(),
            crate_name: "my_app".into(),
            crate_linked: true
        }]
    );
    assert!(
        message.contains(
            "  - code `9001` (ColumnError::Database) is no longer declared: blessing keeps it in the lock as \
             retired, so that it is never reused\n"
        ),
        "{message}"
    );
    assert!(message.ends_with(ACCEPT));

    let summary = bless(&lock.path(), &entries).unwrap();
    assert_eq!(summary.codes(), 2);
    assert_eq!(summary.retired(), 1);
    assert_eq!(
        lock.body(),
        "\
# code  status  Type::Variant               crate
1010    409     ColumnError::DuplicateName  my_app
2001    400     ColumnError::InvalidType    my_app
9001    503     ColumnError::Database       my_app  retired
"
    );
    let summary = verify(&lock.path(), &entries).unwrap();
    assert_eq!(summary.retired(), 1);
}

#[test]
fn a_retired_code_used_again_fails_even_when_blessing() {
    let retired = format!(
        "{HEADER}{}",
        BASE_LOCK.replace("Database       my_app\n", "Database       my_app  retired\n")
    );
    let lock = TempLock::new("reused", Some(&retired));
    let reused: Entry = entry("9001", 500, "Internal");
    let reused: &'static Entry = Box::leak(Box::new(reused));
    let entries = [&DUPLICATE_NAME, &INVALID_TYPE, reused];

    let (changes, message) = mismatch(verify(&lock.path(), &entries));
    let expected = [LockChange::RetiredReused {
        code: "9001".into(),
        retired: "ColumnError::Database".into(),
        now: "ColumnError::Internal".into(),
    }];
    assert_eq!(changes, expected);
    assert!(
        message.contains(
            "  - code `9001` was retired (it was ColumnError::Database) and is declared again by \
             ColumnError::Internal: a retired code is never reused; give ColumnError::Internal a new code\n"
        ),
        "{message}"
    );
    // One thing to do, and no advice to bless, which would not help.
    assert!(
        message.ends_with(
            "A retired code is never reused: give each variant that declares one a new code.\n\
             APIERROR_BLESS=1 does not accept these changes."
        ),
        "{message}"
    );
    assert!(!message.contains("run this test again"), "{message}");

    // With other changes, blessing is offered for those only, after the new code.
    let (_, message) = mismatch(verify(&lock.path(), &[&DUPLICATE_NAME_400, &INVALID_TYPE, reused]));
    assert!(
        message.ends_with(
            "A retired code is never reused: give each variant that declares one a new code.\n\
             Then, if the other changes are deliberate, accept them: run this test again with APIERROR_BLESS=1 \
             (`APIERROR_BLESS=1 cargo test`), review the lock's diff and commit it."
        ),
        "{message}"
    );

    // Blessing accepts the other changes, but not this one: nothing is written.
    let entries = [&DUPLICATE_NAME_400, &INVALID_TYPE, reused];
    let (changes, message) = mismatch(bless(&lock.path(), &entries));
    assert_eq!(changes, expected, "only the changes blessing refuses");
    assert!(message.starts_with(&format!(
        "error-code lock {} not rewritten: APIERROR_BLESS=1 does not accept these changes:\n",
        lock.path().display()
    )));
    assert!(message.ends_with("The lock was not changed."), "{message}");
    assert_eq!(lock.read(), retired);
    assert!(!expected[0].is_blessable());
}

#[test]
fn malformed_lines_are_named_and_never_rewritten() {
    let text = "\
# code status Type::Variant crate
1010 409 ColumnError::DuplicateName my_app
2001 4OO ColumnError::InvalidType my_app
9001 503 ColumnError::Database
";
    let lock = TempLock::new("malformed", Some(text));
    for mode in [LockMode::Verify, LockMode::Bless] {
        let err = verify_lock_with(lock.path(), BASE, mode).unwrap_err();
        let LockError::Malformed { lines, .. } = &err else {
            panic!("expected malformed lines, got {err:?}")
        };
        assert_eq!(lines.iter().map(|l| l.line).collect::<Vec<_>>(), [3, 4]);
        assert_eq!(
            err.to_string(),
            format!(
                "error-code lock {} has 2 malformed line(s):\n  \
                 line 3: status `4OO` is not an HTTP error status: expected an integer in 400..=599 (in `2001 \
                 4OO ColumnError::InvalidType my_app`)\n  \
                 line 4: expected 4 columns, `CODE STATUS Type::Variant CRATE`, optionally followed by \
                 `retired`; found 3 (in `9001 503 ColumnError::Database`)\n\
                 Each line is `CODE STATUS Type::Variant CRATE`, then `retired` for a removed code; `#` starts \
                 a comment. Fix these lines by hand: APIERROR_BLESS=1 does not rewrite a malformed lock, so that \
                 no retired code is lost.",
                lock.path().display()
            )
        );
        assert_eq!(lock.read(), text);
    }
}

#[test]
fn a_crate_missing_from_the_binary_is_named_and_not_retired() {
    let with_billing = format!("{HEADER}{BASE_LOCK}5001    402     BillingError::PaymentRequired  billing\n");
    let lock = TempLock::new("unlinked", Some(&with_billing));
    // With billing linked, the lock matches.
    let summary = verify(&lock.path(), &[&DUPLICATE_NAME, &INVALID_TYPE, &DATABASE, &BILLING]).unwrap();
    assert_eq!(summary.crates(), ["billing", "my_app"]);

    // Without it, its code looks removed; the message says why and what to do.
    let expected = [LockChange::Removed {
        code: "5001".into(),
        owner: "BillingError::PaymentRequired".into(),
        crate_name: "billing".into(),
        crate_linked: false,
    }];
    let (changes, message) = mismatch(verify(&lock.path(), &BASE));
    assert_eq!(changes, expected);
    assert!(
        message.contains(
            "  - code `5001` (BillingError::PaymentRequired) is not declared by any crate linked into this \
             binary (it belongs to crate `billing`)\n\
             No entry of crate `billing` is linked into this binary, so its codes look removed. If `billing` \
             still declares errors, name it in this test (`use billing as _;`) so that it is linked; if it is \
             gone for good, mark its lines `retired` by hand.\n\
             The entries compared come from crate(s) `my_app`.\n"
        ),
        "{message}"
    );

    // Blessing refuses to retire a whole crate's codes.
    let (changes, message) = mismatch(bless(&lock.path(), &BASE));
    assert_eq!(changes, expected);
    assert!(message.ends_with("The lock was not changed."));
    assert_eq!(lock.read(), with_billing);
}

#[test]
fn several_changes_are_reported_together_sorted_by_code() {
    let lock = TempLock::base("several");
    let entries = [&DUPLICATE_NAME_400, &NEW_CODE];
    let (changes, message) = mismatch(verify(&lock.path(), &entries));
    let codes: Vec<&str> = changes.iter().map(LockChange::code).collect();
    assert_eq!(codes, ["1010", "2001", "3001", "9001"]);
    assert_eq!(message.matches("\n  - code `").count(), 4, "{message}");
}

#[test]
fn a_program_declaring_a_code_twice_is_not_locked() {
    let lock = TempLock::new("duplicates", None);
    let err = bless(&lock.path(), &[&DUPLICATE_NAME, &CLASH]).unwrap_err();
    assert!(matches!(err, LockError::Duplicates { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("code \"1010\" is declared by:"), "{message}");
    assert!(message.contains("ColumnError::Clash (crate `my_app`) at src/columns.rs:1"), "{message}");
    assert!(!lock.path().exists());
}

#[test]
fn io_failures_are_errors_not_panics() {
    let lock = TempLock::new("io", None);
    // A folder where the lock should be: it cannot be read.
    fs::create_dir(lock.path()).unwrap();
    let err = verify(&lock.path(), &BASE).unwrap_err();
    assert!(matches!(err, LockError::Io { action: "read", .. }), "{err:?}");
    assert!(err.to_string().starts_with(&format!("cannot read error-code lock {}: ", lock.path().display())));

    // A lock in a folder that does not exist: blessing cannot write it.
    let nowhere = lock.dir.join("no-such-folder").join("errors.lock");
    let err = bless(&nowhere, &BASE).unwrap_err();
    assert!(matches!(err, LockError::Io { action: "write", .. }), "{err:?}");
    assert!(err.to_string().ends_with("(the lock was not changed)"), "{err}");
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(lock.files(), ["errors.lock"], "no temporary file is left behind");

    // A lock that is not UTF-8.
    let binary = TempLock::new("binary", None);
    fs::write(binary.path(), [0xff, 0xfe, 0x00]).unwrap();
    let err = verify(&binary.path(), &BASE).unwrap_err();
    assert!(matches!(err, LockError::Io { action: "read", .. }), "{err:?}");
}

/// An entry of `Odd`, declared with a raw identifier.
static RAW: Entry = entry_of("4200", 400, "Odd", "r#Match", "my_app::columns");

#[test]
fn a_raw_identifier_is_locked_unraw_and_read_back() {
    let lock = TempLock::new("raw", None);
    let entries = [&DUPLICATE_NAME, &RAW];
    bless(&lock.path(), &entries).unwrap();
    assert!(
        lock.body().contains("\n4200    400     Odd::Match                  my_app\n"),
        "{}",
        lock.read()
    );
    let summary = verify(&lock.path(), &entries).unwrap();
    assert_eq!(summary.codes(), 2);

    // A lock written with the raw form (by hand, or by an older version)
    // names the same variant.
    let lock = TempLock::new("raw-by-hand", Some("4200 400 Odd::r#Match my_app\n"));
    verify(&lock.path(), &[&RAW]).unwrap();
}

#[test]
fn a_lock_starting_with_a_byte_order_mark_is_read() {
    let lock = TempLock::new("bom", Some(&format!("\u{feff}{HEADER}{BASE_LOCK}")));
    verify(&lock.path(), &BASE).unwrap();
    // And a BOM right before the first code.
    let lock = TempLock::new("bom-first-line", Some("\u{feff}1010 409 ColumnError::DuplicateName my_app\n"));
    verify(&lock.path(), &[&DUPLICATE_NAME]).unwrap();
}

mod refused;
mod round_trip;

/// `APIERROR_BLESS=1 cargo test --workspace` rewrites the lock, and only the
/// lock: the derive's expansion snapshots have their own switch.
#[test]
fn the_expansion_snapshots_have_their_own_switch() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../error-derive/src/snapshot.rs");
    let snapshot = fs::read_to_string(file).expect("the snapshot test is error-derive/src/snapshot.rs");
    let lock_switch = format!("var_os({:?})", apierror::registry::BLESS_ENV);
    assert!(!snapshot.contains(&lock_switch), "the snapshot test reads the lock's switch, {lock_switch}");
    assert!(snapshot.contains("var_os(\"APIERROR_BLESS_SNAPSHOTS\")"));
}
