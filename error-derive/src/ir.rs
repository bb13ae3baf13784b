//! The typed IR `check` validates the input into, and all `expand` reads:
//! per variant its status as a `u16`, its code, its message template parsed
//! once with every placeholder resolved to its field. Built only when the
//! input has no mistake, so nothing in it is optional that the expansion
//! needs, and the expansion parses nothing and has nothing to check.

use proc_macro2::Span;
use syn::{DeriveInput, Ident};

use crate::ast::{self, Container, Field};
use crate::attr::{Str, Upstream};
use crate::message::Spec;

pub struct Item<'a> {
    pub original: &'a DeriveInput,
    pub ident: &'a Ident,
    pub container: &'a Container,
    /// `docs = "…"`: the URL template of every entry.
    pub docs: Option<&'a str>,
    pub variants: Vec<Variant<'a>>,
}

pub struct Variant<'a> {
    /// Its name, fields and shape.
    pub ast: &'a ast::Variant<'a>,
    /// `db(constraint = "…")`.
    pub db: Option<&'a Str>,
    /// `upstream(service = "…", status = …)`.
    pub upstream: Option<&'a Upstream>,
    pub kind: Kind<'a>,
}

pub enum Kind<'a> {
    /// `#[api(transparent)]`: everything is its one field's.
    Transparent(&'a Field<'a>),
    /// A variant with its own registry entry.
    Own(Own<'a>),
}

pub struct Own<'a> {
    /// Its index in the type's entry array.
    pub index: usize,
    pub status: u16,
    pub code: &'a str,
    pub message: Option<Message<'a>>,
    /// `field = "name"`.
    pub field: Option<&'a str>,
    pub log: Option<LogLevel>,
    pub retry_after: Option<u32>,
    /// The field marked `#[api(field)]`.
    pub dynamic_field: Option<&'a Field<'a>>,
    /// The fields marked `#[api(details)]`, all named.
    pub details: Vec<&'a Field<'a>>,
}

pub struct Message<'a> {
    /// What the entry stores: a message without placeholders unescaped
    /// (`{{` → `{`), ready to send; a template as written.
    pub stored: String,
    /// The template, when it interpolates fields.
    pub template: Option<Template<'a>>,
}

pub struct Template<'a> {
    /// As written (`{given} is not valid.`).
    pub written: &'a str,
    /// The literal's: errors about the generated code point at it.
    pub span: Span,
    pub pieces: Vec<Piece<'a>>,
}

impl<'a> Template<'a> {
    /// The fields the template shows (not a width's or precision's), each
    /// once, in order of first use: the message's arguments.
    pub fn shown(&self) -> impl Iterator<Item = &'a Field<'a>> + '_ {
        self.pieces.iter().enumerate().filter_map(|(i, piece)| match piece {
            Piece::Arg { field, .. }
                if !self.pieces[..i].iter().any(
                    |earlier| matches!(earlier, Piece::Arg { field: other, .. } if other.member == field.member),
                ) =>
            {
                Some(*field)
            }
            _ => None,
        })
    }
}

pub enum Piece<'a> {
    /// Text, with `{{` and `}}` already unescaped.
    Text(String),
    /// A field, with its `Display` spec (a width or precision may read
    /// another field).
    Arg { field: &'a Field<'a>, spec: Spec<&'a Field<'a>> },
}

/// `log = "…"`.
#[derive(Clone, Copy)]
pub enum LogLevel {
    Off,
    Error,
    Warn,
    Info,
    Debug,
}

impl LogLevel {
    /// Every level, in the order the errors list them.
    pub const ALL: [LogLevel; 5] =
        [LogLevel::Error, LogLevel::Warn, LogLevel::Info, LogLevel::Debug, LogLevel::Off];

    /// The level as written: `log = "warn"`.
    pub fn name(self) -> &'static str {
        match self {
            LogLevel::Off => "off",
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
        }
    }

    /// The level written, or `None`.
    pub fn of(level: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|known| known.name() == level)
    }

    /// The variant of the library's `LogLevel`.
    pub fn variant(self) -> &'static str {
        match self {
            LogLevel::Off => "Off",
            LogLevel::Error => "Error",
            LogLevel::Warn => "Warn",
            LogLevel::Info => "Info",
            LogLevel::Debug => "Debug",
        }
    }
}

impl Variant<'_> {
    pub fn own(&self) -> Option<&Own<'_>> {
        match &self.kind {
            Kind::Own(own) => Some(own),
            Kind::Transparent(_) => None,
        }
    }

    pub fn transparent(&self) -> Option<&Field<'_>> {
        match &self.kind {
            Kind::Transparent(field) => Some(field),
            Kind::Own(_) => None,
        }
    }
}
