//! What blessing writes, verifying reads back: for any entries whose
//! codes are valid, and, for any entries at all, blessing either refuses
//! them or writes a lock that verifies.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;

use super::*;

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// An identifier, sometimes raw, sometimes not ASCII.
fn identifier() -> impl Strategy<Value = String> + Clone {
    "(r#)?[A-Za-z\u{e9}\u{df}_][A-Za-z0-9\u{e9}\u{df}_]{0,12}"
}

#[derive(Debug, Clone)]
struct Facts {
    status: u16,
    type_name: String,
    variant: Option<String>,
    crate_name: String,
}

fn facts(name: impl Strategy<Value = String> + Clone) -> impl Strategy<Value = Facts> {
    (400u16..=599, name.clone(), proptest::option::of(name), "[b-z_][a-z0-9_]{0,10}")
        .prop_map(|(status, type_name, variant, crate_name)| Facts { status, type_name, variant, crate_name })
}

/// The entries of `program`, through `Entry::builder`, or, for codes
/// it refuses, as the derive's expansion makes them.
fn entries(program: &BTreeMap<String, Facts>, checked: bool) -> Vec<&'static Entry> {
    program
        .iter()
        .map(|(code, facts)| {
            let (code, type_name) = (leak(code.clone()), leak(facts.type_name.clone()));
            let module = leak(format!("{}::errors", facts.crate_name));
            let entry = if checked {
                let builder = Entry::builder(code, facts.status, type_name).location(module, "src/lib.rs", 1);
                match &facts.variant {
                    Some(variant) => builder.variant(leak(variant.clone())).build(),
                    None => builder.build(),
                }
            } else {
                let builder = apierror::__private::EntryBuilder::new(type_name, module, "src/lib.rs");
                match &facts.variant {
                    Some(variant) => builder.variant(leak(variant.clone()), code, facts.status, 1).build(),
                    None => builder.item(code, facts.status, 1).build(),
                }
            };
            &*Box::leak(Box::new(entry))
        })
        .collect()
}

static CASE: AtomicUsize = AtomicUsize::new(0);

fn temp(name: &str) -> TempLock {
    TempLock::new(&format!("{name}-{}", CASE.fetch_add(1, Ordering::Relaxed)), None)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn valid_codes_are_written_and_read_back(
        program in proptest::collection::btree_map("[A-Za-z0-9._:-]{1,24}", facts(identifier()), 1..12),
        keep in proptest::collection::vec(any::<bool>(), 12),
    ) {
        let all = entries(&program, true);
        let lock = temp("round-trip");
        let summary = bless(&lock.path(), &all).unwrap();
        prop_assert_eq!(summary.codes(), all.len());
        let summary = verify(&lock.path(), &all).unwrap();
        prop_assert_eq!(summary.codes(), all.len());

        // Remove some codes: blessing retires them, and the lock verifies.
        let kept: Vec<&'static Entry> =
            all.iter().zip(&keep).filter(|(_, keep)| **keep).map(|(entry, _)| *entry).collect();
        let crates_kept: Vec<&str> = kept.iter().map(|e| e.crate_name()).collect();
        let removed = all.len() - kept.len();
        let removed_of_linked = all
            .iter()
            .filter(|e| !kept.iter().any(|k| std::ptr::eq(*k, **e)) && crates_kept.contains(&e.crate_name()))
            .count();
        match bless(&lock.path(), &kept) {
            Ok(summary) => {
                prop_assert_eq!(removed_of_linked, removed);
                prop_assert_eq!(summary.retired(), removed);
                let summary = verify(&lock.path(), &kept).unwrap();
                prop_assert_eq!(summary.retired(), removed);
            }
            // Blessing refuses to retire the codes of a crate no longer seen.
            Err(err) => prop_assert!(removed_of_linked < removed, "{}", err),
        }
    }

    #[test]
    fn any_code_is_refused_or_written_so_that_it_reads_back(
        program in proptest::collection::btree_map(
            "[#a-z \t\u{a0}\u{feff}\r\n.]{0,6}",
            facts("(r#)?[A-Za-z_ <>:]{0,6}".boxed()),
            1..6,
        ),
    ) {
        let all = entries(&program, false);
        let lock = temp("any");
        match bless(&lock.path(), &all) {
            Ok(_) => {
                let summary = verify(&lock.path(), &all);
                prop_assert!(summary.is_ok(), "{:?}\n{}", summary, lock.read());
            }
            Err(LockError::InvalidCodes { codes, .. }) => {
                prop_assert!(!codes.is_empty());
                prop_assert!(!lock.path().exists());
            }
            Err(other) => prop_assert!(false, "{}", other),
        }
    }
}
