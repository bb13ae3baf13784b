//! Compile-fail cases: each misuse of the attributes is a compile error with
//! a pointed span. `.stderr` files are generated with `TRYBUILD=overwrite`
//! and reviewed.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}

/// Cases that need axum (`cargo test --features axum`, as CI's
/// `--all-features` runs them): the derive's errors at a handler.
#[cfg(feature = "axum")]
#[test]
fn ui_axum() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/axum/*.rs");
}

/// Cases whose compiler output lists the `ApiError` impls the build can
/// see, which the features change (`DbError` with `sqlx`, …): run with
/// every feature on, as CI's `--all-features` does.
#[cfg(all(
    feature = "axum",
    feature = "actix-web",
    feature = "sqlx",
    feature = "tokio-postgres",
    feature = "validator",
    feature = "garde",
    feature = "reqwest",
    feature = "utoipa"
))]
#[test]
fn ui_all_features() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/all-features/*.rs");
}
