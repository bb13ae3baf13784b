//! Rules that span several attributes, fields or variants, checked while
//! the input is validated into the typed IR (`ir`). Parsing has already
//! checked each key on its own.

use std::collections::BTreeMap;

use syn::ext::IdentExt;
use syn::Member;

use crate::ast::{Field, Input, Variant};
use crate::attr::Str;
use crate::ctxt::Ctxt;
use crate::ir;
use crate::message::{self, Piece};

/// Checks the input, and validates it into the IR; `None` (the errors
/// reported to `cx`) when anything is wrong.
pub fn check<'a>(cx: &Ctxt, input: &'a Input<'a>) -> Option<ir::Item<'a>> {
    let mut variants = Vec::with_capacity(input.variants.len());
    let mut valid = true;
    let mut next_entry = 0;
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
        match check_variant(cx, input, variant, next_entry) {
            Some(checked) => {
                next_entry += usize::from(checked.own().is_some());
                variants.push(checked);
            }
            None => valid = false,
        }
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
    valid.then_some(ir::Item {
        original: input.original,
        ident: input.ident,
        container: &input.container,
        docs: input.docs.as_deref(),
        variants,
    })
}

/// The variant in the IR, `None` after an error (its other mistakes are
/// still reported). `index` is its entry's, if it has one.
fn check_variant<'a>(
    cx: &Ctxt,
    input: &Input,
    variant: &'a Variant<'a>,
    index: usize,
) -> Option<ir::Variant<'a>> {
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
        return None;
    }
    let errors = cx.count();
    if let Some(transparent) = attrs.transparent.tokens() {
        check_transparent(cx, variant, transparent);
        return match (cx.count() == errors, variant.fields.as_slice()) {
            (true, [field]) => Some(ir::Variant {
                ast: variant,
                db: None,
                upstream: None,
                kind: ir::Kind::Transparent(field),
            }),
            _ => None,
        };
    }
    if !attrs.status.is_some() && !attrs.mentions("status") {
        cx.error_spanned_by(
            variant.span_ident,
            format!("missing `status` for `{name}`: add `status = 404` to its #[api(...)]"),
        );
    }
    if !attrs.code.is_some() && !attrs.mentions("code") {
        cx.error_spanned_by(
            variant.span_ident,
            format!("missing `code` for `{name}`: add `code = \"1010\"` to its #[api(...)]"),
        );
    }
    let message = attrs.message.get().and_then(|lit| check_message(cx, input, variant, lit));
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
    let mut dynamic_field: Option<&Field> = None;
    for field in &variant.fields {
        if let Some(tokens) = field.attrs.field.tokens() {
            if let Some(first) = dynamic_field {
                cx.error_spanned_by(
                    tokens,
                    format!("`{name}` already takes its request field from `{}`; mark only one field with `#[api(field)]`", member_name(&first.member)),
                );
            } else if attrs.field.is_some() {
                cx.error_spanned_by(
                    tokens,
                    format!("`{name}` already has `field = ...` in its #[api(...)]; keep either that or this `#[api(field)]`"),
                );
            }
            dynamic_field.get_or_insert(field);
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
    let (Some(&status), Some(code), true) = (attrs.status.get(), attrs.code.get(), cx.count() == errors)
    else {
        return None;
    };
    Some(ir::Variant {
        ast: variant,
        db: attrs.db.get(),
        upstream: attrs.upstream.get(),
        kind: ir::Kind::Own(ir::Own {
            index,
            status,
            code: &code.value,
            message,
            field: attrs.field.get().and_then(Option::as_ref).map(|field| field.value.as_str()),
            log: attrs.log.get().copied(),
            retry_after: attrs.retry_after.get().copied(),
            dynamic_field,
            details: variant.fields.iter().filter(|field| field.attrs.details.is_some()).collect(),
        }),
    })
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

/// The message in the IR: its template parsed once, each placeholder
/// resolved to its field; `None` after an error.
fn check_message<'a>(
    cx: &Ctxt,
    input: &Input,
    variant: &'a Variant<'a>,
    lit: &'a Str,
) -> Option<ir::Message<'a>> {
    let template = &lit.value;
    let errors = cx.count();
    if !input.free_messages {
        if let Err(problem) = message::style(template) {
            cx.error_spanned_by(lit, problem);
        }
    }
    let pieces = match message::parse(template) {
        Ok(pieces) => pieces,
        Err(problem) => {
            cx.error_spanned_by(lit, problem);
            return None;
        }
    };
    let mut resolved = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let (name, spec) = match piece {
            Piece::Text(text) => {
                resolved.push(ir::Piece::Text(text));
                continue;
            }
            Piece::Arg { name, spec } => (name, spec),
        };
        let field = check_placeholder_field(cx, variant, lit, &name);
        match message::parse_spec(&name, &spec) {
            Ok(spec) => {
                for count in spec.fields() {
                    check_placeholder_field(cx, variant, lit, count);
                }
                let spec = spec.resolve(|count| variant.field_named(count));
                if let (Some(field), Some(spec)) = (field, spec) {
                    resolved.push(ir::Piece::Arg { field, spec });
                }
            }
            Err(problem) => cx.error_spanned_by(lit, problem),
        }
    }
    if cx.count() != errors {
        return None;
    }
    let interpolates = resolved.iter().any(|piece| matches!(piece, ir::Piece::Arg { .. }));
    Some(if interpolates {
        ir::Message {
            stored: template.clone(),
            template: Some(ir::Template { written: template, span: lit.token.span(), pieces: resolved }),
        }
    } else {
        let stored = resolved
            .into_iter()
            .map(|piece| match piece {
                ir::Piece::Text(text) => text,
                ir::Piece::Arg { .. } => String::new(),
            })
            .collect();
        ir::Message { stored, template: None }
    })
}

/// A name in `message` (a placeholder, or a width or precision `name$`)
/// must be a field, and not the source error.
fn check_placeholder_field<'a>(
    cx: &Ctxt,
    variant: &'a Variant<'a>,
    lit: &Str,
    name: &str,
) -> Option<&'a Field<'a>> {
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
            None
        }
        Some(field) if field.is_source => {
            cx.error_spanned_by(
                lit,
                format!(
                    "`message` may not interpolate `{name}`, the source error: its text is internal by definition; say what happened in words, or interpolate a field the client may see"
                ),
            );
            None
        }
        Some(field) => Some(field),
    }
}

pub fn member_name(member: &Member) -> String {
    match member {
        Member::Named(ident) => ident.unraw().to_string(),
        Member::Unnamed(index) => index.index.to_string(),
    }
}
