//! The registry across crates: `second-crate` (tests/crates/second-crate)
//! and this test binary both declare code `4001`.

use apierror::ApiError;
// Naming the crate links it, and with it its errors.
use second_crate::InventoryError;

/// Declares `4001` again, as a team's second service might by mistake.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum OrderError {
    #[error("order {0} is backordered")]
    #[api(status = 409, code = "4001", message = "This order is backordered.")]
    Backordered(u64),
}

#[test]
fn duplicates_across_two_crates_are_reported() {
    let err = apierror::registry::check().unwrap_err();
    let duplicates: Vec<_> = err.iter().collect();
    assert_eq!(duplicates.len(), 1, "{err}");
    let (code, entries) = duplicates[0];
    assert_eq!(code, "4001");
    let mut places: Vec<(&str, String)> =
        entries.iter().map(|e| (e.crate_name(), e.path().to_string())).collect();
    places.sort();
    assert_eq!(
        places,
        [
            ("registry_crates", "OrderError::Backordered".to_owned()),
            ("second_crate", "InventoryError::OutOfStock".to_owned()),
        ]
    );

    let message = err.to_string();
    let order_line = 1 + include_str!("registry_crates.rs")
        .lines()
        .position(|l| l.ends_with("Backordered(u64),"))
        .unwrap();
    assert!(message.contains("code \"4001\" is declared by:"), "{message}");
    assert!(
        message.contains(&format!(
            "OrderError::Backordered (crate `registry_crates`) at tests/registry_crates.rs:{}",
            order_line
        )),
        "{message}"
    );
    assert!(
        message.contains(
            "InventoryError::OutOfStock (crate `second_crate`) at tests/crates/second-crate/src/lib.rs:"
        ),
        "{message}"
    );
    // `unwrap()` shows the same readable list.
    assert_eq!(format!("{err:?}"), message);
}

#[test]
fn crates_lists_every_crate_linked_that_declares_errors() {
    assert_eq!(apierror::registry::crates(), ["apierror", "registry_crates", "second_crate"]);
    assert_eq!(InventoryError::WarehouseUnavailable.entry().crate_name(), "second_crate");
}

#[test]
fn a_program_with_duplicates_cannot_be_locked() {
    let path = std::env::temp_dir().join(format!("apierror-registry-crates-{}.lock", std::process::id()));
    let err = apierror::registry::verify_lock_with(
        &path,
        apierror::registry::entries(),
        apierror::registry::LockMode::Bless,
    )
    .unwrap_err();
    assert!(matches!(err, apierror::registry::LockError::Duplicates { .. }), "{err}");
    assert!(err.to_string().contains("code \"4001\" is declared by:"), "{err}");
    assert!(!path.exists(), "nothing is written when the program has duplicates");
}

/// An error with a hand-written `ApiError` impl: its entries, built with
/// `Entry::builder`, are registered with `apierror::register!`.
#[derive(Debug)]
pub enum QuotaError {
    Exceeded,
    Suspended,
}

impl std::fmt::Display for QuotaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("quota error")
    }
}

impl std::error::Error for QuotaError {}

apierror::register! {
    /// The entries of `QuotaError`, one per variant.
    static QUOTA_ENTRIES: [apierror::Entry; 2] = [
        apierror::Entry::builder("quota.exceeded", 429, "QuotaError")
            .variant("Exceeded")
            .message("You have used your quota for today.")
            .location(module_path!(), file!(), line!())
            .build(),
        apierror::Entry::builder("quota.suspended", 403, "QuotaError")
            .variant("Suspended")
            .field("account")
            .log(apierror::LogLevel::Warn)
            .location(module_path!(), file!(), line!())
            .build(),
    ];
}

impl ApiError for QuotaError {
    fn entry(&self) -> &'static apierror::Entry {
        match self {
            Self::Exceeded => &QUOTA_ENTRIES[0],
            Self::Suspended => &QUOTA_ENTRIES[1],
        }
    }
}

#[test]
fn a_hand_written_impl_registers_its_entries() {
    let entry = apierror::registry::find("quota.exceeded").expect("registered by `register!`");
    assert!(std::ptr::eq(entry, QuotaError::Exceeded.entry()));
    assert_eq!(entry.path().to_string(), "QuotaError::Exceeded");
    assert_eq!(entry.crate_name(), "registry_crates");
    assert_eq!(entry.file, "tests/registry_crates.rs");
    let suspended = apierror::registry::find("quota.suspended").unwrap();
    assert_eq!(
        (suspended.status, suspended.field, suspended.log),
        (403, Some("account"), apierror::LogLevel::Warn)
    );
    assert_eq!(QuotaError::Suspended.status(), 403);

    // The catalog and the lock see them as they see a derived type's.
    assert!(apierror::registry::markdown()
        .contains("| `quota.exceeded` | 429 Too Many Requests | `QuotaError::Exceeded` |"));
    let dir = std::env::temp_dir().join(format!("apierror-registry-hand-written-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("errors.lock");
    let quota = apierror::registry::entries().filter(|e| e.type_name == "QuotaError");
    let summary =
        apierror::registry::verify_lock_with(&path, quota, apierror::registry::LockMode::Bless).unwrap();
    assert_eq!(summary.codes(), 2);
    let lock = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(lock.contains("\nquota.exceeded   429     QuotaError::Exceeded   registry_crates\n"), "{lock}");
}
