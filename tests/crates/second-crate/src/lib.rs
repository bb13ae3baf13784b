//! A second crate that declares errors, for the registry's tests across
//! crates: the root package's tests link it only where they name it.

use apierror::ApiError;

/// Errors of an inventory service living in its own crate.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum InventoryError {
    /// The item is out of stock. Its code, `4001`, is declared again by a
    /// test in the root package, to show a duplicate across crates.
    #[error("item {0} is out of stock")]
    #[api(status = 409, code = "4001", message = "This item is out of stock.")]
    OutOfStock(u64),

    /// The warehouse did not answer.
    #[error("warehouse unavailable")]
    #[api(status = 503, code = "second-crate-9001")]
    WarehouseUnavailable,
}
