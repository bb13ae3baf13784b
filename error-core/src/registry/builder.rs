//! The one builder of an [`Entry`], in `const` context: made by
//! [`Entry::builder`] for a hand-written impl, and by the derive's
//! `EntryBuilder` template (`registry/private.rs`) for a derived type.

use super::{Entry, LogLevel};

/// Builds an [`Entry`] in `const` context; made by [`Entry::builder`].
#[derive(Clone, Copy, Debug)]
#[must_use = "`build()` returns the entry"]
pub struct Builder(Entry);

impl Builder {
    /// An entry of the type `type_name` with nothing else set: no code yet,
    /// 500, no location. The start of [`Entry::builder`] and of the derive's
    /// `EntryBuilder` (in `registry/private.rs`), the one builder both use.
    pub(crate) const fn of(type_name: &'static str) -> Self {
        Self(Entry {
            code: "",
            status: 500,
            type_name,
            variant: None,
            message: None,
            field: None,
            docs: None,
            log: LogLevel::Error,
            module: "",
            file: "",
            line: 0,
            retry_after: None,
            args: &[],
        })
    }

    /// The code and the status, with the status's default log level.
    pub(crate) const fn code(self, code: &'static str, status: u16) -> Self {
        let Self(mut entry) = self;
        entry.code = code;
        entry.status = status;
        entry.log = LogLevel::for_status(status);
        Self(entry)
    }

    /// The line of [`location`](Self::location), leaving the module and the
    /// file as they are.
    pub(crate) const fn line(self, line: u32) -> Self {
        let Self(mut entry) = self;
        entry.line = line;
        Self(entry)
    }

    /// The variant's name; leave it unset for a struct.
    pub const fn variant(self, name: &'static str) -> Self {
        let Self(mut entry) = self;
        entry.variant = Some(name);
        Self(entry)
    }

    /// The production message (a template when it names fields, as the
    /// derive's `message`).
    pub const fn message(self, message: &'static str) -> Self {
        let Self(mut entry) = self;
        entry.message = Some(message);
        Self(entry)
    }

    /// The static request field.
    pub const fn field(self, field: &'static str) -> Self {
        let Self(mut entry) = self;
        entry.field = Some(field);
        Self(entry)
    }

    /// The documentation URL.
    pub const fn docs(self, docs: &'static str) -> Self {
        let Self(mut entry) = self;
        entry.docs = Some(docs);
        Self(entry)
    }

    /// A log level other than the status's default.
    pub const fn log(self, log: LogLevel) -> Self {
        let Self(mut entry) = self;
        entry.log = log;
        Self(entry)
    }

    /// Where the error is declared: `location(module_path!(), file!(),
    /// line!())`. The module's first segment is the crate, which the lock
    /// and [`crates()`](super::crates) name.
    pub const fn location(self, module: &'static str, file: &'static str, line: u32) -> Self {
        let Self(mut entry) = self;
        entry.module = module;
        entry.file = file;
        entry.line = line;
        Self(entry)
    }

    /// Responses carry `Retry-After: seconds`.
    pub const fn retry_after(self, seconds: u32) -> Self {
        let Self(mut entry) = self;
        entry.retry_after = Some(seconds);
        Self(entry)
    }

    /// The names of the fields the message interpolates, as a translation
    /// names them ([`Entry::args`]); a hand-written impl that interpolates
    /// fields lists them here and hands their values out in
    /// [`ApiError::message_args`](crate::ApiError::message_args).
    pub const fn args(self, args: &'static [&'static str]) -> Self {
        let Self(mut entry) = self;
        entry.args = args;
        Self(entry)
    }

    /// The finished entry.
    #[must_use]
    pub const fn build(self) -> Entry {
        self.0
    }
}
