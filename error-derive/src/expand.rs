//! Code generation. Everything here has been validated by `check`; this
//! module only turns the typed input into tokens.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use proc_macro2::{Ident, Literal, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{DeriveInput, LitStr, Member};

use crate::ast::{Container, Field, Input, Variant};
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
    let krate = &input.container.krate;
    let private = quote!(#krate::__private);
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
    let entries = entries(&variants, docs, &private);
    let delegated =
        |method, signature, default| delegated_method(&plans, &private, method, signature, default);
    let none = quote!(::core::option::Option::None);
    let methods = [
        Some(entry_method(&plans, &private)),
        delegated(
            "status",
            quote!(fn status(&self) -> #private::StatusCode),
            quote!(#private::ApiError::entry(self).status_code()),
        ),
        field_method(&plans, &private),
        message_methods(&plans, &private),
        details_method(&plans, &private),
        delegated(
            "as_errors",
            quote!(fn as_errors(&self) -> ::core::option::Option<&#private::Errors>),
            none.clone(),
        ),
        delegated(
            "retry_after",
            quote!(fn retry_after(&self) -> ::core::option::Option<u32>),
            quote!(#private::ApiError::entry(self).retry_after),
        ),
        // The boundary's facts (a database's, an upstream's) for the log event.
        delegated(
            "boundary",
            quote!(fn boundary(&self) -> ::core::option::Option<#private::Boundary<'_>>),
            none,
        ),
    ];

    let ty = input.ident;
    let type_name = ty.unraw().to_string();
    // `file!()` with the type's span: the file that declares it.
    let file = quote_spanned!(ty.span()=> ::core::file!());
    let (impl_generics, ty_generics, _) = input.original.generics.split_for_impl();
    let where_clause = where_clause(input, &plans, &private);
    let predicates = where_clause.as_ref().map(|clause| clause.predicates.to_token_stream());
    let documents = documents(&plans, &type_name, !variants.is_empty());
    let responses =
        responses(&input.container, &impl_generics, quote!(#ty #ty_generics), predicates, documents);
    let own_where = &input.original.generics.where_clause;
    let own_predicates = own_where.as_ref().map(|clause| clause.predicates.to_token_stream());
    let db = db_impl(input, &private, &impl_generics, quote!(#ty #ty_generics), own_predicates);
    let upstream =
        upstream_impl(input, &private, quote!(impl #impl_generics), quote!(#ty #ty_generics #own_where));
    let registry = (!variants.is_empty()).then(|| {
        quote! {
            const __TYPE: #private::EntryBuilder =
                #private::EntryBuilder::new(#type_name, ::core::module_path!(), #file);
            static __ENTRIES: [#private::Entry; #count] = #entries;

            #[#private::distributed_slice(#private::ENTRIES)]
            #[linkme(crate = #private::linkme)]
            static __REGISTERED: &[#private::Entry] = &__ENTRIES;
        }
    });
    quote! {
        const _: () = {
            #registry

            #[automatically_derived]
            #[allow(unused_qualifications)]
            impl #impl_generics #private::ApiError for #ty #ty_generics #where_clause {
                #(#methods)*
            }

            #responses

            #db

            #upstream
        };
    }
}

/// `FromDbError` (one arm per `db(constraint = "…")`) and the conversions
/// from the drivers' errors, through the library's `impl_db!`: it emits
/// them for its enabled features, or one error naming the features.
fn db_impl(
    input: &Input,
    private: &TokenStream,
    impl_generics: &syn::ImplGenerics,
    ty: TokenStream,
    predicates: Option<TokenStream>,
) -> Option<TokenStream> {
    let err = local("__err");
    let arms: Vec<TokenStream> = input
        .variants
        .iter()
        .filter_map(|variant| {
            let constraint = variant.attrs.db.get()?;
            let value = construct(variant);
            Some(quote! {
                ::core::option::Option::Some(#constraint) => ::core::result::Result::Ok(#value),
            })
        })
        .collect();
    if arms.is_empty() {
        return None;
    }
    Some(quote! {
        #private::impl_db! {
            impl [#impl_generics] for [#ty] where [#predicates] {
                fn from_constraint(
                    #err: #private::db::DbError,
                ) -> ::core::result::Result<Self, #private::db::DbError> {
                    match #private::db::DbError::constraint(&#err) {
                        #(#arms)*
                        _ => ::core::result::Result::Err(#err),
                    }
                }
            }
        }
    })
}

/// `FromUpstreamError` (one test per `upstream(service = "…", status =
/// …)`), through the library's `impl_upstream!`: the impl with the
/// `reqwest` feature, one error naming it without.
fn upstream_impl(
    input: &Input,
    private: &TokenStream,
    impl_: TokenStream,
    ty: TokenStream,
) -> Option<TokenStream> {
    let err = local("__err");
    let tests: Vec<TokenStream> = input
        .variants
        .iter()
        .filter_map(|variant| {
            let upstream = variant.attrs.upstream.get()?;
            let service = &upstream.service;
            let status = Literal::u16_suffixed(upstream.status);
            let value = construct(variant);
            Some(quote! {
                if #private::upstream::UpstreamError::answered(&#err, #service, #status) {
                    return ::core::result::Result::Ok(#value);
                }
            })
        })
        .collect();
    if tests.is_empty() {
        return None;
    }
    Some(quote! {
        #private::impl_upstream! {
            #[automatically_derived]
            #[allow(unused_qualifications)]
            #impl_ #private::upstream::FromUpstreamError for #ty {
                fn from_upstream_status(
                    #err: #private::upstream::UpstreamError,
                ) -> ::core::result::Result<Self, #private::upstream::UpstreamError> {
                    #(#tests)*
                    ::core::result::Result::Err(#err)
                }
            }
        }
    })
}

/// The value of a variant mapped by `db(...)` or `upstream(...)`, made from
/// the foreign error `__err`: the variant itself when it has no field, else
/// with `__err` in its one field. `__err` is located at the field's type, so
/// that a field of another type is reported there.
fn construct(variant: &Variant) -> TokenStream {
    let path = match variant.ident {
        Some(ident) => quote!(Self::#ident),
        None => quote!(Self),
    };
    let Some(field) = variant.fields.first() else {
        return if variant.is_unit { path } else { quote!(#path {}) };
    };
    let err = Ident::new("__err", field.original.ty.span().resolved_at(Span::mixed_site()));
    match &field.member {
        Member::Named(name) => quote!(#path { #name: #err }),
        Member::Unnamed(_) => quote!(#path(#err)),
    }
}

/// The framework response impls (`IntoResponse`, `ResponseError`) and the
/// OpenAPI ones (`documents`: see [`documents`]) of the enabled features,
/// through the library's `macro_rules!` (the derive cannot see its
/// features); nothing with `no_response_impl`.
pub fn responses(
    container: &Container,
    impl_generics: &syn::ImplGenerics,
    ty: TokenStream,
    predicates: Option<TokenStream>,
    documents: TokenStream,
) -> Option<TokenStream> {
    let krate = &container.krate;
    container.response_impls.then(|| {
        quote! {
            #krate::__private::impl_responses! {
                impl [#impl_generics] for [#ty] where [#predicates] #documents
            }
        }
    })
}

/// What the type documents in OpenAPI (feature `utoipa`):
/// `documents [&__ENTRIES] ["Db" => DbError, …]`, its entries and each
/// `transparent` variant's name and inner type.
fn documents(plans: &[Plan], type_name: &str, has_entries: bool) -> TokenStream {
    let entries = if has_entries { quote!(&__ENTRIES) } else { quote!(&[]) };
    let transparent = plans.iter().filter(|plan| plan.is_transparent()).map(|plan| {
        let name = plan.variant.ident.map_or_else(|| type_name.to_owned(), |ident| ident.unraw().to_string());
        let ty = &plan.variant.fields[0].original.ty;
        quote!(#name => #ty)
    });
    quote!(documents [#entries] [#(#transparent),*])
}

/// The initializer of `__ENTRIES`, one element per variant of `variants`:
/// `__TYPE.variant("Name", "1010", 409u16, 12u32)` (`documented_variant`
/// with the URL as a fifth argument when the type has `docs`, the type's
/// template), then only the optional facts the variant has
/// (`.message("…")`, `.field("…")`, `.log(…)`); all of them finished by one
/// `__TYPE.build_all([…])` (no path of the crate written again: a wrong
/// `crate = "…"` is reported once, on `__TYPE`'s type). What every entry
/// of the type shares is written once, in `__TYPE`.
///
/// Written as source text and lexed once by the compiler: the entries are
/// literals and calls on our own builder, with no span a user could see an
/// error on, and building a thousand of them token by token is a large
/// part of the derive's time on a big enum (it runs unoptimized in a dev
/// build). The tokens get the call-site span, as `quote!`'s do. What it
/// buys, measured after the move to syn 3 (1,000 variants, the derive
/// timed inside rustc, dev profile, median of 7): 52 ms against 77 ms with
/// these entries and `entry()`'s arms built by `quote!` (66 against 74
/// without the attribute fast path of `attr.rs`).
fn entries(variants: &[&Variant], docs: Option<&str>, private: &TokenStream) -> TokenStream {
    let mut text = String::from("__TYPE.build_all([");
    for variant in variants {
        let code = variant.attrs.code.get().expect("checked: code");
        let status = variant.attrs.status.get().expect("checked: status");
        let line = line_of(variant.span_ident.span());
        let documented = if docs.is_some() { "documented_" } else { "" };
        match variant.ident {
            Some(ident) => {
                let name = ident.to_string();
                let _ = write!(text, "__TYPE.{documented}variant(");
                push_str_literal(&mut text, name.strip_prefix("r#").unwrap_or(&name));
                text.push_str(", ");
            }
            None => {
                let _ = write!(text, "__TYPE.{documented}item(");
            }
        }
        push_str_literal(&mut text, &code.value);
        let _ = write!(text, ", {status}u16, {line}u32");
        if let Some(docs) = docs {
            text.push_str(", ");
            push_str_literal(&mut text, &docs.replace("{code}", &code.value));
        }
        text.push(')');
        if let Some(message) = variant.attrs.message.get() {
            text.push_str(".message(");
            push_str_literal(&mut text, &stored_message(&message.value));
            text.push(')');
        }
        if let Some(Some(field)) = variant.attrs.field.get() {
            text.push_str(".field(");
            push_str_literal(&mut text, &field.value);
            text.push(')');
        }
        if let Some(seconds) = variant.attrs.retry_after.get() {
            let _ = write!(text, ".retry_after({seconds}u32)");
        }
        if let Some(log) = variant.attrs.log.get() {
            let log = match log.value.as_str() {
                "off" => "Off",
                "error" => "Error",
                "warn" => "Warn",
                "info" => "Info",
                _ => "Debug",
            };
            let _ = write!(text, ".log({private}::LogLevel::{log})");
        }
        text.push(',');
    }
    text.push_str("])");
    lex(&text)
}

/// `value` as a string literal (`{:?}`: the standard library's code, built
/// optimized, where a loop of ours would run unoptimized).
fn push_str_literal(text: &mut String, value: &str) {
    let _ = write!(text, "{value:?}");
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
    if !template.as_bytes().contains(&b'{') && !template.as_bytes().contains(&b'}') {
        return template.to_owned();
    }
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
    /// Arms with the same key have the same body and bind the same fields
    /// to values of the same types (the same type tokens): `match_self`
    /// merges them into one arm with an or-pattern. Each arm of a `match
    /// self` costs rustc its expansion, resolution, lowering and hashing on
    /// every rebuild; an enum whose variants share a message or a `details`
    /// field pays for it once.
    same: Option<String>,
}

/// The pattern of `variant` binding `fields`: `Self::Variant { given:
/// __field_given, 1: __field_1, .. }`, or `Self { .. }` for a struct.
fn arm<'a>(variant: &Variant, fields: impl IntoIterator<Item = &'a Field<'a>>, body: TokenStream) -> Arm {
    let path = match variant.ident {
        Some(ident) => quote!(Self::#ident),
        None => quote!(Self),
    };
    let fields: Vec<&Field> = fields.into_iter().collect();
    let binds = !fields.is_empty();
    let members = fields.iter().map(|field| &field.member);
    let bindings = fields.iter().map(|field| binding(&field.member));
    let pattern = quote!(#path { #(#members: #bindings,)* .. });
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
fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// `Self::Variant { 0: __field_0 } => <private>::Transparent::method(__field_0, args)`:
/// the inner error is an `ApiError` or an `Errors`.
fn transparent_arm(plan: &Plan, private: &TokenStream, method: &str, args: TokenStream) -> Arm {
    let field = &plan.variant.fields[0];
    let binding = binding(&field.member);
    let method = Ident::new(method, Span::call_site());
    // Spanned on the field's type: a field that is not an `ApiError` is
    // reported there (`Transparent`'s message says what to do).
    let span = field.original.ty.span().resolved_at(Span::mixed_site());
    let private = respan(private, span);
    let call = quote_spanned!(span=> #private::Transparent::#method(#binding #args));
    arm(plan.variant, [field], call)
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
    let patterns = merged.iter().map(|(patterns, _)| patterns);
    let bodies = merged.iter().map(|(_, body)| body);
    quote! {
        match self {
            #(#(#patterns)|* => #bodies,)*
            #default
        }
    }
}

fn entry_method(plans: &[Plan], private: &TokenStream) -> TokenStream {
    let index = local("__index");
    let body = if plans.iter().all(Plan::is_transparent) {
        let arms = plans.iter().map(|plan| transparent_arm(plan, private, "entry", quote!())).collect();
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
            let #index = match self #arms;
            &__ENTRIES[#index]
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
                let Arm { pattern, body, .. } = transparent_arm(plan, private, "entry", quote!());
                quote!(#pattern => return #body,)
            }
        });
        quote! {
            let #index = match self {
                #(#arms)*
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

fn field_method(plans: &[Plan], private: &TokenStream) -> Option<TokenStream> {
    let arms: Vec<Arm> = plans
        .iter()
        .filter_map(|plan| {
            if plan.is_transparent() {
                return Some(transparent_arm(plan, private, "field", quote!()));
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
    let body = match_self(arms, plans.len(), quote!(#private::ApiError::entry(self).field));
    Some(quote! {
        fn field(&self) -> ::core::option::Option<&str> {
            #body
        }
    })
}

fn message_methods(plans: &[Plan], private: &TokenStream) -> Option<TokenStream> {
    let out = local("__out");
    let mut write = Vec::new();
    // The fields each message binds, by key: the same template over fields
    // of the same names and types is written once (`Arm::same`), so a
    // variant with an earlier variant's key only gets its pattern.
    let mut bound: std::collections::HashMap<String, Vec<&Member>> = std::collections::HashMap::new();
    for plan in plans {
        if plan.is_transparent() {
            write.push(transparent_arm(plan, private, "write_public_message", quote!(, #out)));
        } else if let Some((span, pieces)) = &plan.template {
            let all: Vec<&Field> = plan.variant.fields.iter().collect();
            let template = plan.variant.attrs.message.get().map_or("", |lit| lit.value.as_str());
            let key = same_key(template, &all);
            if let Some(members) = bound.get(&key) {
                let fields = plan.variant.fields.iter().filter(|field| members.contains(&&field.member));
                write.push(Arm { same: Some(key), ..arm(plan.variant, fields, TokenStream::new()) });
                continue;
            }
            let (body, fields) = write_message(plan.variant, *span, pieces, private, &out);
            bound.insert(key.clone(), fields.iter().map(|field| &field.member).collect());
            write.push(Arm { same: Some(key), ..arm(plan.variant, fields, body) });
        }
    }
    if write.is_empty() {
        return None;
    }
    let write = match_self(
        write,
        plans.len(),
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
    variant: &'a Variant<'a>,
    span: Span,
    pieces: &[Piece],
    private: &TokenStream,
    out: &Ident,
) -> (TokenStream, Vec<&'a Field<'a>>) {
    let mut format = String::new();
    // Each field once: whether it is shown, whether it is a width or
    // precision (then read as a `usize`).
    let mut args: Vec<(&Field, bool, bool)> = Vec::new();
    let mut use_field = |name: &str, shown: bool| {
        let field = variant.field_named(name).expect("checked: a field");
        match args.iter_mut().find(|(other, ..)| other.member == field.member) {
            Some(arg) => {
                arg.1 |= shown;
                arg.2 |= !shown;
            }
            None => args.push((field, shown, !shown)),
        }
        binding(&field.member).to_string()
    };
    for piece in pieces {
        match piece {
            Piece::Text(text) => format.push_str(&text.replace('{', "{{").replace('}', "}}")),
            Piece::Arg { name, spec } => {
                let spec = message::parse_spec(name, spec).expect("checked: a Display spec");
                format.push('{');
                format.push_str(&use_field(name, true));
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
            quote_spanned!(field.original.ty.span()=> #private::count(#binding))
        } else {
            binding.into_token_stream()
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
        // A type as its tokens (`input.rs`): parsed now, for the few
        // interpolated fields only.
        syn::Type::Verbatim(tokens) => match syn::parse2(tokens.clone()) {
            Ok(syn::Type::Verbatim(_)) | Err(_) => false,
            Ok(ty) => surely_not_an_error(&ty),
        },
        syn::Type::Path(path) if path.qself.is_none() => {
            let segments = &path.path.segments;
            let last = segments.last().expect("a path has a segment");
            let plain = (segments.len() == 1 && path.path.leading_colon.is_none())
                || segments.iter().map(|segment| segment.ident.to_string()).eq(["std", "string", "String"]);
            plain
                && segments.iter().all(|segment| segment.arguments.is_none())
                && NEVER_ERRORS.iter().any(|name| last.ident == name)
        }
        _ => false,
    }
}

fn details_method(plans: &[Plan], private: &TokenStream) -> Option<TokenStream> {
    let details = local("__details");
    let mut written = std::collections::HashSet::new();
    let arms: Vec<Arm> = plans
        .iter()
        .filter_map(|plan| {
            if plan.is_transparent() {
                return Some(transparent_arm(plan, private, "write_details", quote!(, #details)));
            }
            if plan.details.is_empty() {
                return None;
            }
            let key = same_key("", &plan.details);
            if !written.insert(key.clone()) {
                // Merged into the earlier arm with this key: its pattern only.
                let arm = arm(plan.variant, plan.details.iter().copied(), TokenStream::new());
                return Some(Arm { same: Some(key), ..arm });
            }
            let members = plan.details.iter().map(|field| {
                let binding = binding(&field.member);
                let name = check::member_name(&field.member);
                // Spanned on the field's type: a type that is not `Serialize`
                // is reported there.
                {
                    let span = field.original.ty.span().resolved_at(Span::mixed_site());
                    let private = respan(private, span);
                    quote_spanned!(span=> #private::details_member(#details, #name, #binding);)
                }
            });
            let arm = arm(plan.variant, plan.details.iter().copied(), quote!({ #(#members)* }));
            Some(Arm { same: Some(key), ..arm })
        })
        .collect();
    if arms.is_empty() {
        return None;
    }
    let body = match_self(arms, plans.len(), quote!({}));
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
fn delegated_method(
    plans: &[Plan],
    private: &TokenStream,
    method: &str,
    signature: TokenStream,
    default: TokenStream,
) -> Option<TokenStream> {
    let arms: Vec<Arm> = plans
        .iter()
        .filter(|plan| plan.is_transparent())
        .map(|plan| transparent_arm(plan, private, method, quote!()))
        .collect();
    if arms.is_empty() {
        return None;
    }
    let body = match_self(arms, plans.len(), default);
    Some(quote! {
        #signature {
            #body
        }
    })
}

/// The type's own where clause, plus what generic fields must satisfy for
/// the generated methods.
fn where_clause(input: &Input, plans: &[Plan], private: &TokenStream) -> Option<syn::WhereClause> {
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
            bound(&plan.variant.fields[0].original.ty, quote!(#private::Transparent));
            continue;
        }
        if let Some(field) = plan.dynamic_field {
            bound(&field.original.ty, quote!(::core::convert::AsRef<str>));
        }
        for field in &plan.details {
            bound(&field.original.ty, quote!(#private::DetailsValue));
        }
        if let Some((_, pieces)) = &plan.template {
            for piece in pieces {
                let Piece::Arg { name, .. } = piece else { continue };
                let Some(field) = plan.variant.field_named(name) else { continue };
                bound(&field.original.ty, quote!(::core::fmt::Display));
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
