//! Compile-fail cases: each misuse of the attributes is a compile error with
//! a pointed span. `.stderr` files are generated with `TRYBUILD=overwrite`
//! and reviewed.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
