//! Codes and binaries the lock refuses: a code the lock would misread,
//! the library's prefix in a team's code, a binary that links no errors.

use super::*;

/// The message of an `InvalidCodes`, and the codes it names.
fn invalid(result: Result<LockSummary, LockError>) -> (Vec<String>, String) {
    match result {
        Err(err @ LockError::InvalidCodes { .. }) => {
            let message = err.to_string();
            let LockError::InvalidCodes { codes, .. } = err else { unreachable!() };
            (codes.into_iter().map(|c| c.code).collect(), message)
        }
        other => panic!("expected invalid codes, got {other:?}"),
    }
}

#[test]
fn a_code_the_lock_would_read_as_a_comment_is_refused_not_written() {
    static HASH: Entry = unchecked_entry("#1", 400, "Hash");
    let lock = TempLock::new("hash", None);
    let (codes, message) = invalid(bless(&lock.path(), &[&DUPLICATE_NAME, &HASH]));
    assert_eq!(codes, ["#1"]);
    assert!(
        message.contains(
            "  - code \"#1\" of ColumnError::Hash (crate `my_app`, src/columns.rs:1): a code starting with `#` \
             would be read as a comment: choose another code\n"
        ),
        "{message}"
    );
    assert!(!lock.path().exists(), "nothing is written");
    // Verifying refuses it as well, rather than calling it new forever.
    let lock = TempLock::base("hash-verify");
    let (codes, _) = invalid(verify(&lock.path(), &[&DUPLICATE_NAME, &INVALID_TYPE, &DATABASE, &HASH]));
    assert_eq!(codes, ["#1"]);
}

#[test]
fn a_user_code_with_the_library_prefix_is_refused() {
    static TAKEN: Entry = entry("apierror.not_found", 404, "NotFound");
    let lock = TempLock::base("reserved");
    let entries = [&DUPLICATE_NAME, &INVALID_TYPE, &DATABASE, &TAKEN];
    for mode in [LockMode::Verify, LockMode::Bless] {
        let (codes, message) = invalid(verify_lock_with(lock.path(), entries, mode));
        assert_eq!(codes, ["apierror.not_found"]);
        assert!(
            message.contains(
                "code \"apierror.not_found\" of ColumnError::NotFound (crate `my_app`, src/columns.rs:1): the \
                 `apierror.` prefix is reserved for the library's own codes: choose another code"
            ),
            "{message}"
        );
    }
    assert_eq!(lock.body(), BASE_LOCK, "the lock was not changed");

    // The library's own entries keep their prefix.
    static BUILTIN: Entry = entry_of("apierror.not_found", 404, "Kind", "NotFound", "apierror::builtin");
    let lock = TempLock::new("builtin", None);
    bless(&lock.path(), &[&DUPLICATE_NAME, &BUILTIN]).unwrap();
    verify(&lock.path(), &[&DUPLICATE_NAME, &BUILTIN]).unwrap();
}

/// The library's own entry, as `verify_lock` leaves out.
static LIBRARY_ONLY: Entry = entry_of("apierror.not_found", 404, "Kind", "NotFound", "apierror::builtin");

const NOT_LINKED: &str = "this binary holds no error code of any crate but apierror's own, so there is \
                          nothing to lock. The crate that declares your errors is not linked into this test \
                          binary: rustc links a crate only where the code names it. Name it in this test, `use \
                          my_errors as _;` with your crate's name";
const BINARY_ONLY: &str = "A binary-only crate (a src/main.rs and no src/lib.rs) cannot be named by its own \
                           tests: move its errors into a library target (src/lib.rs), which the binary and the \
                           tests both use, and name that. The lock was not changed.";

#[test]
fn a_binary_that_links_no_errors_neither_blesses_nor_verifies() {
    // No lock yet: blessing does not write an empty one.
    let lock = TempLock::new("empty", None);
    for entries in [&[][..], &[&LIBRARY_ONLY][..]] {
        let err = bless(&lock.path(), entries).unwrap_err();
        assert!(matches!(err, LockError::NoCodes { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!("error-code lock {} not checked: {NOT_LINKED}. {BINARY_ONLY}", lock.path().display())
        );
        assert!(!lock.path().exists(), "no empty lock is written");
    }

    // A lock of two crates: both are named, as the test would name them.
    let with_billing = format!("{HEADER}{BASE_LOCK}5001    402     BillingError::PaymentRequired  billing\n");
    let lock = TempLock::new("empty-with-lock", Some(&with_billing));
    for mode in [LockMode::Verify, LockMode::Bless] {
        let err = verify_lock_with(lock.path(), [&LIBRARY_ONLY], mode).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "error-code lock {} not checked: {NOT_LINKED} (the lock names `use billing as _;`, `use my_app \
                 as _;`). {BINARY_ONLY}",
                lock.path().display()
            )
        );
    }
    assert_eq!(lock.read(), with_billing);
}
