//! What the derive's expansion names, reachable only through
//! `apierror::__private`: the registry's linker section and the derive's
//! entry template.

use super::{Builder, Entry};

/// Every registered array of entries, one per derived type (or
/// [`register!`](crate::register) call), gathered by the linker.
#[linkme::distributed_slice]
pub static ENTRIES: [&'static [Entry]];

/// What the entries of one derived type share (its name, module and file),
/// from which the derive starts each variant's entry in `const` context as
/// a short chain (`__TYPE.variant("Name", "1010", 409, 12).message("…")`).
/// Each call returns the one entry [`Builder`] of the crate (the one of
/// [`Entry::builder`]), so the setters exist once. The derive's expansion
/// uses it so that a thousand-variant enum compiles fast; not public API.
#[derive(Clone, Copy, Debug)]
pub struct EntryBuilder(Builder);

impl EntryBuilder {
    /// What every entry of the type `type_name` shares.
    #[must_use]
    pub const fn new(type_name: &'static str, module: &'static str, file: &'static str) -> Self {
        Self(Builder::of(type_name).location(module, file, 0))
    }

    /// The entry of the variant `name` (`Type::name`).
    pub const fn variant(self, name: &'static str, code: &'static str, status: u16, line: u32) -> Builder {
        self.item(code, status, line).variant(name)
    }

    /// [`variant`](Self::variant) with the documentation URL, for a type
    /// with `docs = "…"`: one call per entry rather than a `.docs(…)` after
    /// each (every call in the thousand entries of a large enum costs rustc
    /// on each rebuild).
    pub const fn documented_variant(
        self,
        name: &'static str,
        code: &'static str,
        status: u16,
        line: u32,
        docs: &'static str,
    ) -> Builder {
        self.variant(name, code, status, line).docs(docs)
    }

    /// [`item`](Self::item) with the documentation URL, as
    /// [`documented_variant`](Self::documented_variant).
    pub const fn documented_item(
        self,
        code: &'static str,
        status: u16,
        line: u32,
        docs: &'static str,
    ) -> Builder {
        self.item(code, status, line).docs(docs)
    }

    /// The entry of the type itself (a struct).
    pub const fn item(self, code: &'static str, status: u16, line: u32) -> Builder {
        self.0.code(code, status).line(line)
    }

    /// The finished entries of a type, in order: the derive's `__ENTRIES`
    /// is `__TYPE.build_all([…])`, one call rather than a `.build()` after
    /// each entry (every call in the thousand entries of a large enum costs
    /// rustc on each rebuild; the loop runs once, in const eval).
    #[must_use]
    pub const fn build_all<const N: usize>(self, builders: [Builder; N]) -> [Entry; N] {
        let mut entries = [self.0.build(); N];
        let mut i = 0;
        while i < N {
            entries[i] = builders[i].build();
            i += 1;
        }
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LogLevel;

    /// The derive's chain and [`Entry::builder`] are one builder: the
    /// template hands out the public [`Builder`], and both make the same
    /// entry from the same facts.
    #[test]
    fn the_derive_and_hand_written_impls_share_one_builder() {
        const TYPE: EntryBuilder = EntryBuilder::new("QuotaError", "my_app::quota", "src/quota.rs");
        let derived: Builder = TYPE.variant("Exceeded", "quota.exceeded", 429, 7);
        let derived =
            derived.message("Quota used.").field("plan").log(LogLevel::Warn).retry_after(60).build();
        let written = Entry::builder("quota.exceeded", 429, "QuotaError")
            .variant("Exceeded")
            .message("Quota used.")
            .field("plan")
            .log(LogLevel::Warn)
            .retry_after(60)
            .location("my_app::quota", "src/quota.rs", 7)
            .build();
        assert_eq!(derived, written);

        let documented: Builder = TYPE.documented_item("quota.struct", 503, 9, "https://docs.example.com/q");
        let written = Entry::builder("quota.struct", 503, "QuotaError")
            .docs("https://docs.example.com/q")
            .location("my_app::quota", "src/quota.rs", 9)
            .build();
        assert_eq!(documented.build(), written);
        assert_eq!(written.log, LogLevel::for_status(503));

        let all = TYPE
            .build_all([TYPE.item("quota.a", 400, 1), TYPE.documented_variant("B", "quota.b", 404, 2, "u")]);
        assert_eq!(
            all[0],
            Entry::builder("quota.a", 400, "QuotaError").location("my_app::quota", "src/quota.rs", 1).build()
        );
        assert_eq!((all[1].variant, all[1].docs, all[1].status, all[1].line), (Some("B"), Some("u"), 404, 2));
    }
}
