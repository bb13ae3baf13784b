//! Rules that span several attributes, fields or variants. Parsing has
//! already checked each key on its own.

use std::collections::BTreeMap;

use syn::ext::IdentExt;
use syn::Member;

use crate::ast::{Input, Variant};
use crate::attr::Str;
use crate::ctxt::Ctxt;
use crate::message::{self, Piece};
use crate::symbol::{CODE, STATUS};

pub fn check(cx: &Ctxt, input: &Input) {
    let mut codes: BTreeMap<String, String> = BTreeMap::new();
    let mut constraints: BTreeMap<String, String> = BTreeMap::new();
    let mut answers: BTreeMap<(String, u16), String> = BTreeMap::new();
    for variant in &input.variants {
        if let Some(constraint) = variant.attrs.db.get() {
            match constraints.get(&constraint.value) {
                Some(first) => cx.error_spanned_by(
                    constraint,
                    format!(
                        "constraint {:?} is already mapped to `{first}`; a constraint answers with one variant",
                        constraint.value
                    ),
                ),
                None => {
                    constraints.insert(constraint.value.clone(), variant.name());
                }
            }
        }
        if let Some(upstream) = variant.attrs.upstream.get() {
            let key = (upstream.service.value.clone(), upstream.status);
            match answers.get(&key) {
                Some(first) => cx.error_spanned_by(
                    &upstream.service,
                    format!(
                        "{:?} answering {} is already mapped to `{first}`; an upstream answer maps to one variant",
                        upstream.service.value, upstream.status
                    ),
                ),
                None => {
                    answers.insert(key, variant.name());
                }
            }
        }
        check_variant(cx, input, variant);
        if let Some(code) = variant.attrs.code.get() {
            match codes.get(&code.value) {
                Some(first) => cx.error_spanned_by(
                    code,
                    format!(
                        "error code {:?} is already used by `{first}`; every variant needs its own code",
                        code.value
                    ),
                ),
                None => {
                    codes.insert(code.value.clone(), variant.name());
                }
            }
        }
    }
}

fn check_variant(cx: &Ctxt, input: &Input, variant: &Variant) {
    let attrs = &variant.attrs;
    let name = variant.name();
    if !attrs.present {
        let place = if input.is_enum { "variant" } else { "struct" };
        cx.error_spanned_by(
            variant.span_ident,
            format!(
                "{place} `{name}` has no #[api(...)]: add `#[api(status = 404, code = \"...\")]`, or `#[api(transparent)]` to delegate to its inner error"
            ),
        );
        return;
    }
    if let Some(transparent) = attrs.transparent.tokens() {
        check_transparent(cx, variant, transparent);
        return;
    }
    if !attrs.status.is_some() && !attrs.mentions(STATUS) {
        cx.error_spanned_by(
            variant.span_ident,
            format!("missing `status` for `{name}`: add `status = 404` to its #[api(...)]"),
        );
    }
    if !attrs.code.is_some() && !attrs.mentions(CODE) {
        cx.error_spanned_by(
            variant.span_ident,
            format!("missing `code` for `{name}`: add `code = \"1010\"` to its #[api(...)]"),
        );
    }
    if let Some(lit) = attrs.message.get() {
        check_message(cx, input, variant, lit);
    }
    let mapped =
        [("db", "DbError", attrs.db.tokens()), ("upstream", "UpstreamError", attrs.upstream.tokens())];
    for (key, error, tokens) in mapped {
        if let Some(tokens) = tokens.filter(|_| variant.fields.len() > 1) {
            cx.error_spanned_by(
                tokens,
                format!(
                    "`{key}(...)` makes `{name}` from the `{error}`: it must have no field, or one field that holds the `{error}`; `{name}` has {}",
                    variant.fields.len()
                ),
            );
        }
    }
    let mut dynamic_field: Option<&Member> = None;
    for field in &variant.fields {
        if let Some(tokens) = field.attrs.field.tokens() {
            if let Some(first) = dynamic_field {
                cx.error_spanned_by(
                    tokens,
                    format!("`{name}` already takes its request field from `{}`; mark only one field with `#[api(field)]`", member_name(first)),
                );
            } else if attrs.field.is_some() {
                cx.error_spanned_by(
                    tokens,
                    format!("`{name}` already has `field = ...` in its #[api(...)]; keep either that or this `#[api(field)]`"),
                );
            }
            dynamic_field.get_or_insert(&field.member);
        }
        if let Some(tokens) = field.attrs.details.tokens() {
            if matches!(field.member, Member::Unnamed(_)) {
                cx.error_spanned_by(
                    tokens,
                    "`details` needs a named field: its name is the key in `details`",
                );
            } else if field.is_source {
                cx.error_spanned_by(
                    tokens,
                    "a source error may not be in `details`: its text is internal; add a field with what the client may see",
                );
            }
        }
    }
}

fn check_transparent(cx: &Ctxt, variant: &Variant, transparent: &proc_macro2::TokenStream) {
    let name = variant.name();
    if variant.fields.len() != 1 {
        cx.error_spanned_by(
            transparent,
            format!(
                "`transparent` needs exactly one field, the inner ApiError; `{name}` has {}",
                variant.fields.len()
            ),
        );
    }
    let attrs = &variant.attrs;
    let others = [
        ("status", attrs.status.tokens()),
        ("code", attrs.code.tokens()),
        ("field", attrs.field.tokens()),
        ("message", attrs.message.tokens()),
        ("log", attrs.log.tokens()),
        ("retry_after", attrs.retry_after.tokens()),
        ("db", attrs.db.tokens()),
        ("upstream", attrs.upstream.tokens()),
    ];
    for (key, tokens) in others {
        if let Some(tokens) = tokens {
            let why = match key {
                "db" | "upstream" => "map it on a variant of its own, and keep the `transparent` variant for everything unmapped",
                _ => "the inner error decides it",
            };
            cx.error_spanned_by(tokens, format!("`{key}` cannot be combined with `transparent`: {why}"));
        }
    }
    for field in &variant.fields {
        for tokens in [field.attrs.details.tokens(), field.attrs.field.tokens()].into_iter().flatten() {
            cx.error_spanned_by(
                tokens,
                "a `transparent` variant delegates everything to its inner error; remove this",
            );
        }
    }
}

fn check_message(cx: &Ctxt, input: &Input, variant: &Variant, lit: &Str) {
    let template = &lit.value;
    if !input.free_messages {
        if let Err(problem) = message::style(template) {
            cx.error_spanned_by(lit, problem);
        }
    }
    let pieces = match message::parse(template) {
        Ok(pieces) => pieces,
        Err(problem) => return cx.error_spanned_by(lit, problem),
    };
    for piece in &pieces {
        let Piece::Arg { name, spec } = piece else { continue };
        check_placeholder_field(cx, variant, lit, name);
        match message::parse_spec(name, spec) {
            Ok(spec) => {
                for count in spec.fields() {
                    check_placeholder_field(cx, variant, lit, count);
                }
            }
            Err(problem) => cx.error_spanned_by(lit, problem),
        }
    }
}

/// A name in `message` (a placeholder, or a width or precision `name$`)
/// must be a field, and not the source error.
fn check_placeholder_field(cx: &Ctxt, variant: &Variant, lit: &Str, name: &str) {
    match variant.field_named(name) {
        None => {
            let fields: Vec<String> = variant.fields.iter().map(|f| member_name(&f.member)).collect();
            let known = if fields.is_empty() {
                format!("`{}` has no fields", variant.name())
            } else {
                format!("its fields are: {}", fields.join(", "))
            };
            cx.error_spanned_by(
                lit,
                format!("`message` names `{name}`, which is not a field of `{}`; {known}", variant.name()),
            );
        }
        Some(field) if field.is_source => cx.error_spanned_by(
            lit,
            format!(
                "`message` may not interpolate `{name}`, the source error: its text is internal by definition; say what happened in words, or interpolate a field the client may see"
            ),
        ),
        Some(_) => {}
    }
}

pub fn member_name(member: &Member) -> String {
    match member {
        Member::Named(ident) => ident.unraw().to_string(),
        Member::Unnamed(index) => index.index.to_string(),
    }
}
