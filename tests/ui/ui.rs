//! Compile-fail cases: each misuse of the attributes is a compile error with
//! a pointed span. `.stderr` files are generated with `TRYBUILD=overwrite`
//! and reviewed. One test, so one trybuild run builds the dependencies
//! once and compiles the cases of every folder the features allow.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("plain/*.rs");

    // Cases that need axum (`cargo test --features axum`, as CI's
    // `--all-features` runs them): the derive's errors at a handler.
    #[cfg(feature = "axum")]
    cases.compile_fail("axum/*.rs");

    // Cases whose compiler output lists the `ApiError` impls the build can
    // see, which the features change (`DbError` with `sqlx`, …): run with
    // every feature on, as CI's `--all-features` does.
    #[cfg(all(
        feature = "axum",
        feature = "sqlx",
        feature = "tokio-postgres",
        feature = "reqwest",
        feature = "utoipa"
    ))]
    cases.compile_fail("all-features/*.rs");
}
