//! Code generation. Everything here has been validated by `check`; this
//! module only turns the typed input into tokens.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use proc_macro2::{Ident, Literal, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{DeriveInput, LitStr, Member};

use crate::ast::{Field, Input, Variant};
use crate::check;
use crate::ctxt::Ctxt;
use crate::fallback;
use crate::message::{self, Piece};

/// The whole derive: parse, check, then expand or fall back.
pub fn derive(node: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let input = Input::from_ast(&cx, node);
    if let Some(input) = &input {
        check::check(&cx, input);
    }
    match (cx.check(), input) {
        (Ok(()), Some(input)) => impl_api_error(&input),
        (Err(errors), _) => fallback::expand(node, &errors),
        (Ok(()), None) => unreachable!("a rejected input always reports an error"),
    }
}

/// What one variant needs beyond its registry entry.
struct Plan<'a> {
    variant: &'a Variant<'a>,
    /// Index in the type's entry array; `None` for `transparent`.
    entry: Option<usize>,
    /// The message's pieces when it interpolates fields.
    template: Option<(Span, Vec<Piece>)>,
    dynamic_field: Option<&'a Field<'a>>,
    details: Vec<&'a Field<'a>>,
}

impl Plan<'_> {
    fn is_transparent(&self) -> bool {
        self.entry.is_none()
    }
}

fn impl_api_error(input: &Input) -> TokenStream {
    let docs = input.docs.as_deref();
    let mut next_entry = 0;
    let plans: Vec<Plan> = input
        .variants
        .iter()
        .map(|variant| {
            let entry = (!variant.attrs.transparent.is_some()).then(|| {
                next_entry += 1;
                next_entry - 1
            });
            let template = variant.attrs.message.get().and_then(|lit| {
                let pieces = message::parse(&lit.value).unwrap_or_default();
                pieces
                    .iter()
                    .any(|piece| matches!(piece, Piece::Arg { .. }))
                    .then(|| (lit.token.span(), pieces))
            });
            Plan {
                variant,
                entry,
                template,
                dynamic_field: variant.fields.iter().find(|field| field.attrs.field.is_some()),
                details: variant.fields.iter().filter(|field| field.attrs.details.is_some()).collect(),
            }
        })
        .collect();

    let variants: Vec<&Variant> =
        plans.iter().filter(|plan| !plan.is_transparent()).map(|plan| plan.variant).collect();
    let count = Literal::usize_unsuffixed(variants.len());
    let entries = entries(&variants, docs);
    let methods = [
        Some(entry_method(&plans)),
        field_method(&plans),
        message_methods(&plans),
        details_method(&plans),
        as_errors_method(&plans),
    ];

    let ty = input.ident;
    let type_name = ty.to_string();
    // `file!()` with the type's span: the file that declares it.
    let file = quote_spanned!(ty.span()=> ::core::file!());
    let (impl_generics, ty_generics, _) = input.original.generics.split_for_impl();
    let where_clause = where_clause(input, &plans);
    let predicates = where_clause.as_ref().map(|clause| &clause.predicates);
    let registry = (!variants.is_empty()).then(|| {
        quote! {
            const __TYPE: ::apierror::__private::EntryBuilder =
                ::apierror::__private::EntryBuilder::new(#type_name, ::core::module_path!(), #file);
            static __ENTRIES: [::apierror::__private::Entry; #count] = #entries;

            #[::apierror::__private::distributed_slice(::apierror::__private::ENTRIES)]
            #[linkme(crate = ::apierror::__private::linkme)]
            static __REGISTERED: &[::apierror::__private::Entry] = &__ENTRIES;
        }
    });
    quote! {
        const _: () = {
            #registry

            #[automatically_derived]
            #[allow(unused_qualifications)]
            impl #impl_generics ::apierror::__private::ApiError for #ty #ty_generics #where_clause {
                #(#methods)*
            }

            ::apierror::__private::impl_responses! {
                impl [#impl_generics] for [#ty #ty_generics] where [#predicates]
            }
        };
    }
}

/// The initializer of `__ENTRIES`, one element per variant of `variants`:
/// `__TYPE.variant("Name", "1010", 409u16, 12u32)`, then only the
/// optional facts the variant has (`.message("…")`, `.field("…")`,
/// `.docs("…")`, `.log(…)`), then `.build()`. What every entry of the type
/// shares is written once, in `__TYPE`; `docs` is the type's template.
///
/// Written as source text and lexed once by the compiler: the entries are
/// literals and calls on our own builder, with no span a user could see an
/// error on, and building a thousand of them token by token is a large
/// part of the derive's time on a big enum (it runs unoptimized in a dev
/// build). The tokens get the call-site span, as `quote!`'s do.
fn entries(variants: &[&Variant], docs: Option<&str>) -> TokenStream {
    let mut text = String::from("[");
    for variant in variants {
        let code = variant.attrs.code.get().expect("checked: code");
        let status = variant.attrs.status.get().expect("checked: status");
        let line = line_of(variant.span_ident.span());
        let _ = match variant.ident {
            Some(ident) => {
                write!(
                    text,
                    "__TYPE.variant({:?}, {}, {status}u16, {line}u32)",
                    ident.to_string(),
                    code.token
                )
            }
            None => write!(text, "__TYPE.item({}, {status}u16, {line}u32)", code.token),
        };
        if let Some(message) = variant.attrs.message.get() {
            let _ = write!(text, ".message({:?})", stored_message(&message.value));
        }
        if let Some(Some(field)) = variant.attrs.field.get() {
            let _ = write!(text, ".field({})", field.token);
        }
        if let Some(docs) = docs {
            let _ = write!(text, ".docs({:?})", docs.replace("{code}", &code.value));
        }
        if let Some(log) = variant.attrs.log.get() {
            let log = match log.value.as_str() {
                "off" => "Off",
                "error" => "Error",
                "warn" => "Warn",
                "info" => "Info",
                _ => "Debug",
            };
            let _ = write!(text, ".log(::apierror::__private::LogLevel::{log})");
        }
        text.push_str(".build(),");
    }
    text.push(']');
    lex(&text)
}

/// Tokens of source text we generated. In the compiler, lexed by the
/// compiler alone: `proc_macro2` would first lex it again, unoptimized, to
/// validate it.
fn lex(text: &str) -> TokenStream {
    if proc_macro::is_available() {
        text.parse::<proc_macro::TokenStream>().expect("generated tokens are valid").into()
    } else {
        text.parse().expect("generated tokens are valid")
    }
}

/// The line of the variant `span` is on, written as a literal (`12u32`): a
/// thousand `::core::line!()` calls cost rustc a macro expansion each.
fn line_of(span: Span) -> usize {
    // The snapshot test runs outside the compiler, on spans with locations.
    #[cfg(test)]
    if !proc_macro::is_available() {
        return span.start().line;
    }
    span.unwrap().line()
}

/// A message without placeholders is stored unescaped (`{{` → `{`), ready to
/// send; a template is stored as written.
fn stored_message(template: &str) -> String {
    match message::parse(template).unwrap_or_default().as_slice() {
        [] => String::new(),
        [Piece::Text(text)] => text.clone(),
        _ => template.to_owned(),
    }
}

/// One arm of a generated `match self`.
struct Arm {
    pattern: TokenStream,
    /// Whether the pattern binds fields (a struct's arm that binds nothing
    /// needs no pattern at all).
    binds: bool,
    body: TokenStream,
}

/// The pattern of `variant` binding `fields`: `Self::Variant { given, .. }`,
/// `Self::Variant(_, __1, ..)`, `Self::Variant { .. }`, or `Self { .. }` for a
/// struct.
fn arm<'a>(variant: &Variant, fields: impl IntoIterator<Item = &'a Field<'a>>, body: TokenStream) -> Arm {
    let path = match variant.ident {
        Some(ident) => quote!(Self::#ident),
        None => quote!(Self),
    };
    let fields: Vec<&Field> = fields.into_iter().collect();
    let binds = !fields.is_empty();
    let unnamed: Vec<usize> = fields
        .iter()
        .filter_map(|field| match &field.member {
            Member::Unnamed(index) => Some(index.index as usize),
            Member::Named(_) => None,
        })
        .collect();
    let pattern = if let Some(&last) = unnamed.iter().max() {
        // A tuple variant: positional, `_` for the fields not used.
        let slots = (0..=last).map(|i| {
            if unnamed.contains(&i) {
                binding(&Member::Unnamed(i.into())).into_token_stream()
            } else {
                quote!(_)
            }
        });
        let rest = (last + 1 < variant.fields.len()).then(|| quote!(, ..));
        quote!(#path(#(#slots),* #rest))
    } else {
        let names = fields.iter().map(|field| &field.member);
        quote!(#path { #(#names,)* .. })
    };
    Arm { pattern, binds, body }
}

/// The local a field is bound to: its own name, or `__0` for a tuple field.
fn binding(member: &Member) -> Ident {
    match member {
        Member::Named(ident) => ident.clone(),
        Member::Unnamed(index) => format_ident!("__{}", index.index),
    }
}

/// `Self::Variant(__0) => ::apierror::__private::Transparent::method(__0, args)`:
/// the inner error is an `ApiError` or an `Errors`.
fn transparent_arm(plan: &Plan, method: &str, args: TokenStream) -> Arm {
    let field = &plan.variant.fields[0];
    let binding = binding(&field.member);
    let method = Ident::new(method, Span::call_site());
    arm(plan.variant, [field], quote!(::apierror::__private::Transparent::#method(#binding #args)))
}

/// `match self { arms, _ => default }`, without the `_` arm when the arms
/// cover every variant; for a struct, its one arm as `let` (or nothing when
/// it binds nothing).
fn match_self(arms: Vec<Arm>, total: usize, default: TokenStream) -> TokenStream {
    if let ([only], 1) = (arms.as_slice(), total) {
        let Arm { pattern, binds, body } = only;
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
    let patterns = arms.iter().map(|arm| &arm.pattern);
    let bodies = arms.iter().map(|arm| &arm.body);
    quote! {
        match self {
            #(#patterns => #bodies,)*
            #default
        }
    }
}

fn entry_method(plans: &[Plan]) -> TokenStream {
    let body = if plans.iter().all(Plan::is_transparent) {
        let arms = plans.iter().map(|plan| transparent_arm(plan, "entry", quote!())).collect();
        match_self(arms, plans.len(), quote!())
    } else if plans.len() == 1 {
        quote!(&__ENTRIES[0])
    } else if let Some(variants) =
        plans.iter().map(|plan| plan.entry.and(plan.variant.ident)).collect::<Option<Vec<_>>>()
    {
        // No `transparent` variant: each variant's index in `__ENTRIES`,
        // as source text like the entries (no span of these arms can carry
        // an error).
        let mut arms = String::from("{");
        for (index, variant) in variants.iter().enumerate() {
            let _ = write!(arms, "Self::{variant} {{ .. }} => {index},");
        }
        arms.push('}');
        let arms = lex(&arms);
        quote! {
            let __index = match self #arms;
            &__ENTRIES[__index]
        }
    } else {
        // One arm per variant: its index in `__ENTRIES`, or the inner
        // error's entry.
        let arms = plans.iter().map(|plan| match (plan.entry, plan.variant.ident) {
            (Some(index), Some(ident)) => {
                let index = Literal::usize_unsuffixed(index);
                quote!(Self::#ident { .. } => #index,)
            }
            _ => {
                let Arm { pattern, body, .. } = transparent_arm(plan, "entry", quote!());
                quote!(#pattern => return #body,)
            }
        });
        quote! {
            let __index = match self {
                #(#arms)*
            };
            &__ENTRIES[__index]
        }
    };
    quote! {
        fn entry(&self) -> &'static ::apierror::__private::Entry {
            #body
        }
    }
}

fn field_method(plans: &[Plan]) -> Option<TokenStream> {
    let arms: Vec<Arm> = plans
        .iter()
        .filter_map(|plan| {
            if plan.is_transparent() {
                return Some(transparent_arm(plan, "field", quote!()));
            }
            let field = plan.dynamic_field?;
            let binding = binding(&field.member);
            let body = quote_spanned! {field.original.ty.span()=>
                ::core::option::Option::Some(::core::convert::AsRef::<str>::as_ref(#binding))
            };
            Some(arm(plan.variant, [field], body))
        })
        .collect();
    if arms.is_empty() {
        return None;
    }
    let body = match_self(arms, plans.len(), quote!(::apierror::__private::ApiError::entry(self).field));
    Some(quote! {
        fn field(&self) -> ::core::option::Option<&str> {
            #body
        }
    })
}

fn message_methods(plans: &[Plan]) -> Option<TokenStream> {
    let mut write = Vec::new();
    for plan in plans {
        if plan.is_transparent() {
            write.push(transparent_arm(plan, "write_public_message", quote!(, __out)));
        } else if let Some((span, pieces)) = &plan.template {
            let used: BTreeSet<&str> = pieces
                .iter()
                .filter_map(|piece| match piece {
                    Piece::Arg { name, .. } => Some(name.as_str()),
                    Piece::Text(_) => None,
                })
                .collect();
            let fields = plan
                .variant
                .fields
                .iter()
                .filter(|field| used.contains(check::member_name(&field.member).as_str()));
            let format = LitStr::new(&format_string(pieces), *span);
            write.push(arm(plan.variant, fields, quote!(__out.write_fmt(::core::format_args!(#format)))));
        }
    }
    if write.is_empty() {
        return None;
    }
    let write = match_self(
        write,
        plans.len(),
        quote!(__out.write_str(::apierror::__private::ApiError::entry(self).production_message())),
    );
    Some(quote! {
        fn write_public_message(
            &self,
            __out: &mut dyn ::apierror::__private::FmtWrite,
        ) -> ::apierror::__private::FmtResult {
            #write
        }
    })
}

/// The template as a format string over the bindings: `{0}` becomes `{__0}`.
fn format_string(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(&text.replace('{', "{{").replace('}', "}}")),
            Piece::Arg { name, spec } => {
                out.push('{');
                if name.starts_with(|c: char| c.is_ascii_digit()) {
                    out.push_str("__");
                }
                out.push_str(name);
                if !spec.is_empty() {
                    out.push(':');
                    out.push_str(spec);
                }
                out.push('}');
            }
        }
    }
    out
}

fn details_method(plans: &[Plan]) -> Option<TokenStream> {
    let arms: Vec<Arm> = plans
        .iter()
        .filter_map(|plan| {
            if plan.is_transparent() {
                return Some(transparent_arm(plan, "write_details", quote!(, __details)));
            }
            if plan.details.is_empty() {
                return None;
            }
            let members = plan.details.iter().map(|field| {
                let binding = binding(&field.member);
                let name = check::member_name(&field.member);
                // Spanned on the field's type: a type that is not `Serialize`
                // is reported there.
                quote_spanned!(field.original.ty.span()=> __details.member(#name, #binding);)
            });
            Some(arm(plan.variant, plan.details.iter().copied(), quote!({ #(#members)* })))
        })
        .collect();
    if arms.is_empty() {
        return None;
    }
    let body = match_self(arms, plans.len(), quote!({}));
    Some(quote! {
        fn write_details(&self, __details: &mut ::apierror::__private::Details<'_>) {
            #body
        }
    })
}

/// `as_errors` when a `transparent` variant may hold several errors (an
/// `Errors`, or an error that itself has such a variant).
fn as_errors_method(plans: &[Plan]) -> Option<TokenStream> {
    let arms: Vec<Arm> = plans
        .iter()
        .filter(|plan| plan.is_transparent())
        .map(|plan| transparent_arm(plan, "as_errors", quote!()))
        .collect();
    if arms.is_empty() {
        return None;
    }
    let body = match_self(arms, plans.len(), quote!(::core::option::Option::None));
    Some(quote! {
        fn as_errors(&self) -> ::core::option::Option<&::apierror::__private::Errors> {
            #body
        }
    })
}

/// The type's own where clause, plus what generic fields must satisfy for
/// the generated methods.
fn where_clause(input: &Input, plans: &[Plan]) -> Option<syn::WhereClause> {
    let generics = &input.original.generics;
    if generics.params.is_empty() {
        return generics.where_clause.clone();
    }
    let params: BTreeSet<String> = generics.type_params().map(|param| param.ident.to_string()).collect();
    let mut clause = generics.where_clause.clone().unwrap_or_else(|| syn::parse_quote!(where));
    clause.predicates.push(syn::parse_quote!(Self: ::std::error::Error));
    let mut bound = |ty: &syn::Type, bound: TokenStream| {
        if mentions(ty.to_token_stream(), &params) {
            clause.predicates.push(syn::parse_quote!(#ty: #bound));
        }
    };
    for plan in plans {
        if plan.is_transparent() {
            bound(&plan.variant.fields[0].original.ty, quote!(::apierror::__private::Transparent));
            continue;
        }
        if let Some(field) = plan.dynamic_field {
            bound(&field.original.ty, quote!(::core::convert::AsRef<str>));
        }
        for field in &plan.details {
            bound(&field.original.ty, quote!(::apierror::__private::Serialize));
        }
        if let Some((_, pieces)) = &plan.template {
            for piece in pieces {
                let Piece::Arg { name, spec } = piece else { continue };
                let Some(field) = plan.variant.field_named(name) else { continue };
                let trait_ = match spec
                    .rsplit_once(|c: char| !c.is_ascii_alphabetic() && c != '?')
                    .map_or(spec.as_str(), |(_, t)| t)
                {
                    "" => quote!(::core::fmt::Display),
                    "?" | "#?" => quote!(::core::fmt::Debug),
                    _ => continue,
                };
                bound(&field.original.ty, trait_);
            }
        }
    }
    Some(clause)
}

/// Whether `tokens` mention one of the type parameters.
fn mentions(tokens: TokenStream, params: &BTreeSet<String>) -> bool {
    tokens.into_iter().any(|token| match token {
        TokenTree::Ident(ident) => params.contains(&ident.to_string()),
        TokenTree::Group(group) => mentions(group.stream(), params),
        _ => false,
    })
}
