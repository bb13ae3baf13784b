//! The `ApiError` methods of the generated impl, from the IR: `entry`, the
//! methods only a `transparent` variant changes (see [`methods`]), `field`,
//! `write_public_message` and `write_details`.

use std::fmt::Write as _;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{LitStr, Member};

use crate::ast::Field;
use crate::check;
use crate::ir::{Item, Kind, Piece, Template, Variant};

/// Every method of the impl, in order.
///
/// The methods a `transparent` variant delegates to its inner error and
/// every other variant leaves to the trait's default are one
/// [`delegated`] call each, below: a new method of the trait that
/// `transparent` must forward is one more line there.
pub fn methods(item: &Item, private: &TokenStream) -> Vec<TokenStream> {
    let variants = &item.variants;
    [
        Some(entry_method(variants, private)),
        delegated(
            variants,
            private,
            "status",
            quote!(fn status(&self) -> #private::StatusCode),
            quote!(#private::ApiError::entry(self).status_code()),
        ),
        field_method(variants, private),
        message_method(variants, private),
        args_method(variants, private),
        details_method(variants, private),
        delegated(
            variants,
            private,
            "as_errors",
            quote!(fn as_errors(&self) -> ::core::option::Option<&#private::Errors>),
            quote!(::core::option::Option::None),
        ),
        delegated(
            variants,
            private,
            "retry_after",
            quote!(fn retry_after(&self) -> ::core::option::Option<u32>),
            quote!(#private::ApiError::entry(self).retry_after),
        ),
        // The boundary's facts (a database's, an upstream's) for the log event.
        delegated(
            variants,
            private,
            "boundary",
            quote!(fn boundary(&self) -> ::core::option::Option<#private::Boundary<'_>>),
            quote!(::core::option::Option::None),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// One arm of a generated `match self`.
struct Arm {
    pattern: TokenStream,
    /// Whether the pattern binds fields (a struct's arm that binds nothing
    /// needs no pattern at all).
    binds: bool,
    body: TokenStream,
    /// Arms with the same key have the same body and bind the same fields
    /// to values of the same types (the same type tokens): `match_self`
    /// merges them into one arm with an or-pattern, which rustc lowers
    /// once (figures: `benches/README.md`).
    same: Option<String>,
}

/// The pattern of `variant` binding `fields`: `Self::Variant { given:
/// __field_given, 1: __field_1, .. }`, or `Self { .. }` for a struct.
fn arm<'a>(variant: &Variant, fields: impl IntoIterator<Item = &'a Field<'a>>, body: TokenStream) -> Arm {
    let fields: Vec<&Field> = fields.into_iter().collect();
    let binds = !fields.is_empty();
    let members = fields.iter().map(|field| &field.member);
    let bindings = fields.iter().map(|field| binding(&field.member));
    // One `quote!` of tokens, no stream interpolated (see `match_self`).
    let pattern = match variant.ast.ident {
        Some(ident) => quote!(Self::#ident { #(#members: #bindings,)* .. }),
        None => quote!(Self { #(#members: #bindings,)* .. }),
    };
    Arm { pattern, binds, body, same: None }
}

/// The key of `Arm::same` for a body `what` using `fields`: their names and
/// types.
fn same_key(what: &str, fields: &[&Field]) -> String {
    let mut key = what.to_owned();
    for field in fields {
        let _ =
            write!(key, "\0{}\0{}", check::member_name(&field.member), field.original.ty.to_token_stream());
    }
    key
}

/// The local a field is bound to: `__field_given`, `__field_0`, unraw
/// (`r#type` is `__field_type`), resolved at the mixed site: no field name
/// can collide with the derive's own locals (`__out`, `__details`), and the
/// user's code cannot see them. Located at the field, so that an error
/// about it (a bound it does not meet) points there.
fn binding(member: &Member) -> Ident {
    let span = match member {
        Member::Named(ident) => ident.span(),
        Member::Unnamed(index) => index.span,
    };
    Ident::new(&format!("__field_{}", check::member_name(member)), span.resolved_at(Span::mixed_site()))
}

/// `tokens` (a path of ours) with every token at `span`: an error about a
/// call of the library (a bound it does not meet) is reported there.
fn respan(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut token| {
            token.set_span(span);
            token
        })
        .collect()
}

/// One of the derive's own locals (`__out`, `__details`, `__index`).
pub fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// `Self::Variant { 0: __field_0 } => <private>::Transparent::method(__field_0, args)`:
/// the inner error is an `ApiError` or an `Errors`.
fn transparent_arm(
    variant: &Variant,
    field: &Field,
    private: &TokenStream,
    method: &str,
    args: TokenStream,
) -> Arm {
    let binding = binding(&field.member);
    let method = Ident::new(method, Span::call_site());
    // Spanned on the field's type: a field that is not an `ApiError` is
    // reported there (`Transparent`'s message says what to do).
    let span = field.original.ty.span().resolved_at(Span::mixed_site());
    let private = respan(private, span);
    let call = quote_spanned!(span=> #private::Transparent::#method(#binding #args));
    arm(variant, [field], call)
}

/// `match self { arms, _ => default }`, without the `_` arm when the arms
/// cover every variant; for a struct, its one arm as `let` (or nothing when
/// it binds nothing).
fn match_self(arms: Vec<Arm>, total: usize, default: TokenStream) -> TokenStream {
    if let ([only], 1) = (arms.as_slice(), total) {
        let Arm { pattern, binds, body, .. } = only;
        return if *binds {
            quote! {
                let #pattern = self;
                #body
            }
        } else {
            body.clone()
        };
    }
    let default = (arms.len() < total).then(|| quote!(_ => #default,));
    // Arms with the same key as an earlier one join its or-pattern.
    let mut merged: Vec<(Vec<TokenStream>, TokenStream)> = Vec::with_capacity(arms.len());
    let mut first_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for Arm { pattern, body, same, .. } in arms {
        if let Some(key) = same {
            match first_of.entry(key) {
                std::collections::hash_map::Entry::Occupied(first) => {
                    merged[*first.get()].0.push(pattern);
                    continue;
                }
                std::collections::hash_map::Entry::Vacant(first) => {
                    first.insert(merged.len());
                }
            }
        }
        merged.push((vec![pattern], body));
    }
    // The arms' streams concatenated in one go: each stream interpolated by
    // `quote!` is a call through the compiler's bridge of its own.
    let mut arms: Vec<TokenStream> = Vec::with_capacity(merged.len() * 4);
    for (patterns, body) in merged {
        for (i, pattern) in patterns.into_iter().enumerate() {
            if i > 0 {
                arms.push(quote!(|));
            }
            arms.push(pattern);
        }
        arms.push(quote!(=>));
        arms.push(body);
        arms.push(quote!(,));
    }
    let arms: TokenStream = arms.into_iter().chain(default).collect();
    quote! {
        match self {
            #arms
        }
    }
}

fn entry_method(variants: &[Variant], private: &TokenStream) -> TokenStream {
    let index = local("__index");
    let body = if variants.iter().all(|variant| variant.own().is_none()) {
        let arms = variants
            .iter()
            .filter_map(|variant| {
                Some(transparent_arm(variant, variant.transparent()?, private, "entry", quote!()))
            })
            .collect();
        match_self(arms, variants.len(), quote!())
    } else if variants.len() == 1 {
        quote!(&__ENTRIES[0])
    } else {
        // One arm per variant: its index in `__ENTRIES` (repetitions of one
        // `quote!`: see `expand::entries`), or the inner error's entry
        // (returned: the other arms' index is used after).
        let owned: Vec<(&Ident, Literal)> = variants
            .iter()
            .filter_map(|variant| Some((variant.ast.ident?, Literal::usize_unsuffixed(variant.own()?.index))))
            .collect();
        let idents = owned.iter().map(|(ident, _)| ident);
        let indices = owned.iter().map(|(_, index)| index);
        let transparent = variants.iter().filter_map(|variant| {
            let field = variant.transparent()?;
            let Arm { pattern, body, .. } = transparent_arm(variant, field, private, "entry", quote!());
            Some(quote!(#pattern => return #body,))
        });
        quote! {
            let #index = match self {
                #(Self::#idents { .. } => #indices,)*
                #(#transparent)*
            };
            &__ENTRIES[#index]
        }
    };
    quote! {
        fn entry(&self) -> &'static #private::Entry {
            #body
        }
    }
}

fn field_method(variants: &[Variant], private: &TokenStream) -> Option<TokenStream> {
    let arms: Vec<Arm> = variants
        .iter()
        .filter_map(|variant| {
            let field = match &variant.kind {
                Kind::Transparent(field) => {
                    return Some(transparent_arm(variant, field, private, "field", quote!()))
                }
                Kind::Own(own) => own.dynamic_field?,
            };
            let binding = binding(&field.member);
            let body = quote_spanned! {field.original.ty.span()=>
                ::core::option::Option::Some(::core::convert::AsRef::<str>::as_ref(#binding))
            };
            Some(arm(variant, [field], body))
        })
        .collect();
    if arms.is_empty() {
        return None;
    }
    let body = match_self(arms, variants.len(), quote!(#private::ApiError::entry(self).field));
    Some(quote! {
        fn field(&self) -> ::core::option::Option<&str> {
            #body
        }
    })
}

fn message_method(variants: &[Variant], private: &TokenStream) -> Option<TokenStream> {
    let out = local("__out");
    let mut write = Vec::new();
    // The fields each message binds, by key: the same template over fields
    // of the same names and types is written once (`Arm::same`), so a
    // variant with an earlier variant's key only gets its pattern.
    let mut bound: std::collections::HashMap<String, Vec<&Member>> = std::collections::HashMap::new();
    for variant in variants {
        let template = match &variant.kind {
            Kind::Transparent(field) => {
                write.push(transparent_arm(variant, field, private, "write_public_message", quote!(, #out)));
                continue;
            }
            Kind::Own(own) => match own.message.as_ref().and_then(|message| message.template.as_ref()) {
                Some(template) => template,
                None => continue,
            },
        };
        let all: Vec<&Field> = variant.ast.fields.iter().collect();
        let key = same_key(template.written, &all);
        if let Some(members) = bound.get(&key) {
            let fields = variant.ast.fields.iter().filter(|field| members.contains(&&field.member));
            write.push(Arm { same: Some(key), ..arm(variant, fields, TokenStream::new()) });
            continue;
        }
        let (body, fields) = write_message(template, private, &out);
        bound.insert(key.clone(), fields.iter().map(|field| &field.member).collect());
        write.push(Arm { same: Some(key), ..arm(variant, fields, body) });
    }
    if write.is_empty() {
        return None;
    }
    let write = match_self(
        write,
        variants.len(),
        quote!(#out.write_str(#private::ApiError::entry(self).production_message())),
    );
    Some(quote! {
        fn write_public_message(
            &self,
            #out: &mut dyn #private::FmtWrite,
        ) -> #private::FmtResult {
            #write
        }
    })
}

/// The body of an interpolated message's arm, and the fields it binds:
/// `__out.write_fmt(format_args!("{__field_given:>__field_width$} …",
/// __field_given = __field_given, __field_width = *__field_width))`, after
/// the check that no interpolated field is an error. Every argument is
/// passed by name: the bindings are hygienic, so the format string could
/// not capture them.
fn write_message<'a>(
    template: &Template<'a>,
    private: &TokenStream,
    out: &Ident,
) -> (TokenStream, Vec<&'a Field<'a>>) {
    let span = template.span;
    let mut format = String::new();
    // Each field once: whether it is shown, whether it is a width or
    // precision (then read as a `usize`).
    let mut args: Vec<(&Field, bool, bool)> = Vec::new();
    let mut use_field = |field: &'a Field<'a>, shown: bool| {
        match args.iter_mut().find(|(other, ..)| other.member == field.member) {
            Some(arg) => {
                arg.1 |= shown;
                arg.2 |= !shown;
            }
            None => args.push((field, shown, !shown)),
        }
        binding(&field.member).to_string()
    };
    for piece in &template.pieces {
        match piece {
            Piece::Text(text) => format.push_str(&text.replace('{', "{{").replace('}', "}}")),
            Piece::Arg { field, spec } => {
                format.push('{');
                format.push_str(&use_field(field, true));
                let spec = spec.render(|count| use_field(count, false));
                if !spec.is_empty() {
                    format.push(':');
                    format.push_str(&spec);
                }
                format.push('}');
            }
        }
    }
    let format = LitStr::new(&format, span);
    let names =
        args.iter().map(|(field, ..)| Ident::new(&binding(&field.member).to_string(), Span::call_site()));
    let values = args.iter().map(|(field, _, count)| {
        let binding = binding(&field.member);
        if *count {
            // A width or precision is a `usize`, by value; a field of
            // another type is reported on its type.
            Arg::Count(quote_spanned!(field.original.ty.span()=> #private::count(#binding)))
        } else {
            Arg::Binding(binding)
        }
    });
    let probes: Vec<TokenStream> = args
        .iter()
        .filter(|(field, shown, _)| *shown && !surely_not_an_error(&field.original.ty))
        .map(|(field, ..)| {
            let binding = binding(&field.member);
            quote_spanned! {span=>
                #private::not_an_error((&&&&#private::Probe(#binding)).__apierror_kind());
            }
        })
        .collect();
    let write = quote_spanned! {span=>
        #out.write_fmt(::core::format_args!(#format, #(#names = #values),*))
    };
    let body = if probes.is_empty() {
        write
    } else {
        quote_spanned! {span=>
            {
                #[allow(unused_imports)]
                use #private::{ProbeError as _, ProbeErrorRef as _, ProbeErrorRefSync as _, ProbeOther as _};
                #(#probes)*
                #write
            }
        }
    };
    (body, args.into_iter().map(|(field, ..)| field).collect())
}

/// A `format_args!` argument: the binding itself (pushed as one token), or
/// a width's `count(…)`.
enum Arg {
    Binding(Ident),
    Count(TokenStream),
}

impl ToTokens for Arg {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Arg::Binding(ident) => ident.to_tokens(tokens),
            Arg::Count(count) => count.to_tokens(tokens),
        }
    }
}

/// Whether a field's type, as written, is one that never implements
/// `std::error::Error` (a primitive, `str` or `String`, or a reference to
/// one): then the compile-time probe for errors is left out, as it would
/// always pass and costs type checking on every interpolated field.
fn surely_not_an_error(ty: &syn::Type) -> bool {
    const NEVER_ERRORS: &[&str] = &[
        "String", "str", "bool", "char", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32",
        "i64", "i128", "isize", "f32", "f64",
    ];
    match ty {
        syn::Type::Reference(reference) => surely_not_an_error(&reference.elem),
        syn::Type::Paren(paren) => surely_not_an_error(&paren.elem),
        syn::Type::Path(path) if path.qself.is_none() => {
            let segments = &path.path.segments;
            let plain = (segments.len() == 1 && path.path.leading_colon.is_none())
                || segments.iter().map(|segment| segment.ident.to_string()).eq(["std", "string", "String"]);
            plain
                && segments.iter().all(|segment| segment.arguments.is_none())
                && segments.last().is_some_and(|last| NEVER_ERRORS.iter().any(|name| last.ident == name))
        }
        _ => false,
    }
}

/// The name a translation gives a message argument: a named field's own
/// (unraw), `argN` for the positional field `N` (a Fluent variable starts
/// with a letter).
pub fn arg_name(member: &Member) -> String {
    match member {
        Member::Named(_) => check::member_name(member),
        Member::Unnamed(index) => format!("arg{}", index.index),
    }
}

/// `message_args`: each interpolated field handed to the visitor under its
/// [`arg_name`], for a translation's variables; the inner error's for a
/// `transparent` variant. Nothing when no message interpolates a field.
fn args_method(variants: &[Variant], private: &TokenStream) -> Option<TokenStream> {
    let visit = local("__visit");
    let arms: Vec<Arm> = variants
        .iter()
        .filter_map(|variant| {
            let template = match &variant.kind {
                Kind::Transparent(field) => {
                    return Some(transparent_arm(variant, field, private, "message_args", quote!(, #visit)));
                }
                Kind::Own(own) => own.message.as_ref()?.template.as_ref()?,
            };
            let fields: Vec<&Field> = template.shown().collect();
            let names = fields.iter().map(|field| arg_name(&field.member));
            let bindings = fields.iter().map(|field| binding(&field.member));
            let body = quote!({ #(#visit(#names, #bindings);)* });
            Some(arm(variant, fields.iter().copied(), body))
        })
        .collect();
    if arms.is_empty() {
        return None;
    }
    let body = match_self(arms, variants.len(), quote!({}));
    Some(quote! {
        fn message_args(
            &self,
            #visit: &mut dyn ::core::ops::FnMut(&'static str, &dyn ::core::fmt::Display),
        ) {
            #body
        }
    })
}

fn details_method(variants: &[Variant], private: &TokenStream) -> Option<TokenStream> {
    let details = local("__details");
    let mut written = std::collections::HashSet::new();
    let arms: Vec<Arm> = variants
        .iter()
        .filter_map(|variant| {
            let fields = match &variant.kind {
                Kind::Transparent(field) => {
                    return Some(transparent_arm(
                        variant,
                        field,
                        private,
                        "write_details",
                        quote!(, #details),
                    ))
                }
                Kind::Own(own) if own.details.is_empty() => return None,
                Kind::Own(own) => &own.details,
            };
            let key = same_key("", fields);
            if !written.insert(key.clone()) {
                // Merged into the earlier arm with this key: its pattern only.
                let arm = arm(variant, fields.iter().copied(), TokenStream::new());
                return Some(Arm { same: Some(key), ..arm });
            }
            let members = fields.iter().map(|field| {
                let binding = binding(&field.member);
                let name = check::member_name(&field.member);
                // Spanned on the field's type: a type that is not `Serialize`
                // is reported there.
                let span = field.original.ty.span().resolved_at(Span::mixed_site());
                let private = respan(private, span);
                quote_spanned!(span=> #private::details_member(#details, #name, #binding);)
            });
            let arm = arm(variant, fields.iter().copied(), quote!({ #(#members)* }));
            Some(Arm { same: Some(key), ..arm })
        })
        .collect();
    if arms.is_empty() {
        return None;
    }
    let body = match_self(arms, variants.len(), quote!({}));
    Some(quote! {
        fn write_details(&self, #details: &mut #private::Details<'_>) {
            #body
        }
    })
}

/// A method only `transparent` variants change (`status`, `as_errors`,
/// `retry_after`, `boundary`): theirs is the inner error's, the others' is `default`
/// (what the trait's default gives for them). Nothing without a
/// `transparent` variant: the trait's default is right.
fn delegated(
    variants: &[Variant],
    private: &TokenStream,
    method: &str,
    signature: TokenStream,
    default: TokenStream,
) -> Option<TokenStream> {
    let arms: Vec<Arm> = variants
        .iter()
        .filter_map(|variant| {
            Some(transparent_arm(variant, variant.transparent()?, private, method, quote!()))
        })
        .collect();
    if arms.is_empty() {
        return None;
    }
    let body = match_self(arms, variants.len(), default);
    Some(quote! {
        #signature {
            #body
        }
    })
}
