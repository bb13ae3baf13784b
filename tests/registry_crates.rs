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
