//! What the derive's expansion names, reachable only through
//! `apierror::__private`: the registry's linker section and the derive's
//! entry builder.

use super::{Entry, LogLevel};

/// Every registered array of entries, one per derived type (or
/// [`register!`](crate::register) call), gathered by the linker.
#[linkme::distributed_slice]
pub static ENTRIES: [&'static [Entry]];

/// Builds the [`Entry`] of each variant of one derived type in `const`
/// context: what the type's entries share once, each variant's facts as a
/// short chain (`__TYPE.variant("Name", "1010", 409, 12).message("…")`).
/// The derive's expansion uses it so that a thousand-variant enum compiles
/// fast; not public API.
#[derive(Clone, Copy, Debug)]
pub struct EntryBuilder(Entry);

impl EntryBuilder {
    /// What every entry of the type `type_name` shares.
    #[must_use]
    pub const fn new(type_name: &'static str, module: &'static str, file: &'static str) -> Self {
        Self(Entry {
            code: "",
            status: 500,
            type_name,
            variant: None,
            message: None,
            field: None,
            docs: None,
            log: LogLevel::Error,
            module,
            file,
            line: 0,
            retry_after: None,
        })
    }

    /// The entry of the variant `name` (`Type::name`).
    #[must_use]
    pub const fn variant(self, name: &'static str, code: &'static str, status: u16, line: u32) -> Self {
        let Self(mut entry) = self.item(code, status, line);
        entry.variant = Some(name);
        Self(entry)
    }

    /// [`variant`](Self::variant) with the documentation URL, for a type
    /// with `docs = "…"`: one call per entry rather than a `.docs(…)` after
    /// each (every call in the thousand entries of a large enum costs rustc
    /// on each rebuild).
    #[must_use]
    pub const fn documented_variant(
        self,
        name: &'static str,
        code: &'static str,
        status: u16,
        line: u32,
        docs: &'static str,
    ) -> Self {
        self.variant(name, code, status, line).docs(docs)
    }

    /// [`item`](Self::item) with the documentation URL, as
    /// [`documented_variant`](Self::documented_variant).
    #[must_use]
    pub const fn documented_item(
        self,
        code: &'static str,
        status: u16,
        line: u32,
        docs: &'static str,
    ) -> Self {
        self.item(code, status, line).docs(docs)
    }

    /// The entry of the type itself (a struct).
    #[must_use]
    pub const fn item(self, code: &'static str, status: u16, line: u32) -> Self {
        let Self(mut entry) = self;
        entry.code = code;
        entry.status = status;
        entry.log = LogLevel::for_status(status);
        entry.line = line;
        Self(entry)
    }

    /// The declared production message.
    #[must_use]
    pub const fn message(self, message: &'static str) -> Self {
        let Self(mut entry) = self;
        entry.message = Some(message);
        Self(entry)
    }

    /// The static request field.
    #[must_use]
    pub const fn field(self, field: &'static str) -> Self {
        let Self(mut entry) = self;
        entry.field = Some(field);
        Self(entry)
    }

    /// The documentation URL.
    #[must_use]
    pub const fn docs(self, docs: &'static str) -> Self {
        let Self(mut entry) = self;
        entry.docs = Some(docs);
        Self(entry)
    }

    /// A log level other than the status's default.
    #[must_use]
    pub const fn log(self, log: LogLevel) -> Self {
        let Self(mut entry) = self;
        entry.log = log;
        Self(entry)
    }

    /// The variant's `retry_after = N`: responses carry `Retry-After: N`.
    #[must_use]
    pub const fn retry_after(self, seconds: u32) -> Self {
        let Self(mut entry) = self;
        entry.retry_after = Some(seconds);
        Self(entry)
    }

    /// The finished entry.
    #[must_use]
    pub const fn build(self) -> Entry {
        self.0
    }

    /// The finished entries of a type, in order: the derive's `__ENTRIES`
    /// is `__TYPE.build_all([…])`, one call rather than a `.build()` after
    /// each entry (every call in the thousand entries of a large enum costs
    /// rustc on each rebuild; the loop runs once, in const eval).
    #[must_use]
    pub const fn build_all<const N: usize>(self, builders: [Self; N]) -> [Entry; N] {
        let mut entries = [self.0; N];
        let mut i = 0;
        while i < N {
            entries[i] = builders[i].0;
            i += 1;
        }
        entries
    }
}
