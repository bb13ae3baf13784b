//! One declaration per list of the library's own kinds (built-in,
//! database, upstream), as axum-core declares its rejections with
//! `__define_rejection!`: [`kinds!`] yields the enum, its registered
//! entries (in the order of the variants, so that a kind's entry is
//! `ENTRIES[kind as usize]` by construction, not by hand), `ALL`, and with
//! `utoipa` the OpenAPI set of every kind.

/// Declares a list of kinds:
///
/// ```text
/// kinds! {
///     /// Docs of the enum.
///     pub enum DbErrorKind in ENTRIES: "DbError" {
///         /// Docs of the variant.
///         NotFound = ("apierror.db.not_found", 404).message("…"),
///         Busy = ("apierror.db.busy", 503).message("…").retry_after(1),
///     }
/// }
/// ```
///
/// yields the `#[non_exhaustive]` enum (`Debug`, `Clone`, `Copy`,
/// `PartialEq`, `Eq`, `Hash`), the registered `static ENTRIES` (each entry
/// built with [`Entry::builder`](crate::Entry::builder), the type name,
/// the variant's name, the setters written after it and the declaration's
/// location), and on the enum `ALL` (every kind, in declaration order),
/// `registered()` (the kind's entry) and, with `utoipa`,
/// `document_all(set)` (adds every kind's entry to an OpenAPI set).
macro_rules! kinds {
    (
        $(#[$meta:meta])*
        $vis:vis enum $kind:ident in $entries:ident : $type_name:tt {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident = ($code:literal, $status:literal) $(.$setter:ident($($arg:expr),*))*
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $kind {
            $($(#[$variant_meta])* $variant,)+
        }

        crate::register! {
            static $entries: [crate::registry::Entry; [$(stringify!($variant)),+].len()] = [
                $(
                    crate::registry::Entry::builder($code, $status, $type_name)
                        .variant(stringify!($variant))
                        $(.$setter($($arg),*))*
                        .location(module_path!(), file!(), line!())
                        .build(),
                )+
            ];
        }

        impl $kind {
            /// Every kind, in declaration order (the order of the entries).
            #[cfg_attr(not(any(test, feature = "utoipa")), allow(dead_code))]
            pub(crate) const ALL: [Self; [$(stringify!($variant)),+].len()] = [$(Self::$variant),+];

            /// The kind's registered entry: the entries are declared in the
            /// order of the variants, which are unit variants numbered from 0.
            pub(crate) const fn registered(self) -> &'static crate::registry::Entry {
                &$entries[self as usize]
            }

            /// Adds the entry of every kind to `set`, each at its own status.
            #[cfg(feature = "utoipa")]
            pub(crate) fn document_all(set: &mut crate::openapi::ErrorSet) {
                for kind in Self::ALL {
                    set.add(kind.registered());
                }
            }
        }
    };
}

pub(crate) use kinds;

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use crate::registry::Entry;

    /// `ALL` holds every kind of the list once, in the order of the
    /// entries, and each kind's entry is the registered one of its variant.
    fn declared_once<K: Copy + Debug>(all: &[K], registered: fn(K) -> &'static Entry, type_name: &str) {
        let in_registry = crate::registry::entries().filter(|e| e.type_name == type_name).count();
        assert_eq!(all.len(), in_registry, "{type_name}: every registered entry has a kind");
        for (i, &kind) in all.iter().enumerate() {
            let entry = registered(kind);
            assert_eq!(entry.variant, Some(format!("{kind:?}").as_str()), "{type_name}: kind {i}");
            assert_eq!(entry.type_name, type_name);
            assert_eq!(entry.crate_name(), "apierror");
            assert!(std::ptr::eq(crate::registry::find(entry.code).expect("registered"), entry));
            for &other in &all[..i] {
                assert!(!std::ptr::eq(registered(other), entry), "{type_name}: {kind:?} is listed twice");
            }
        }
    }

    #[test]
    fn each_list_of_kinds_is_declared_once() {
        declared_once(
            &crate::builtin::Kind::ALL,
            crate::builtin::Kind::registered,
            "apierror::builtin::Kind",
        );
        #[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
        declared_once(&crate::db::DbErrorKind::ALL, crate::db::DbErrorKind::registered, "DbError");
        #[cfg(feature = "reqwest")]
        declared_once(
            &crate::upstream::UpstreamErrorKind::ALL,
            crate::upstream::UpstreamErrorKind::registered,
            "apierror::upstream::UpstreamError",
        );
    }
}
