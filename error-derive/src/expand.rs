//! Code generation from the typed IR (`ir`): everything in it has been
//! validated by `check`, so this module parses nothing and checks nothing;
//! it only turns the IR into tokens. The `ApiError` methods are in
//! `methods`; here are the registry entries, the impls around them and the
//! conversions of `db(...)` and `upstream(...)`.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{DeriveInput, Member};

use crate::ast::{Container, Input};
use crate::check;
use crate::ctxt::Ctxt;
use crate::fallback;
use crate::ir::{self, Item, Kind};
use crate::methods;

/// The whole derive: parse, check into the IR, then expand or fall back.
pub fn derive(node: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let input = Input::from_ast(&cx, node);
    let item = input.as_ref().and_then(|input| check::check(&cx, input));
    match (cx.check(), item) {
        (Ok(()), Some(item)) => impl_api_error(&item),
        (Err(errors), _) => fallback::expand(node, &errors),
        // A rejected input always reports an error; should it not, the
        // fallback still makes the build fail.
        (Ok(()), None) => fallback::expand(
            node,
            &syn::Error::new_spanned(&node.ident, "ApiError: the derive could not read this type"),
        ),
    }
}

fn impl_api_error(item: &Item) -> TokenStream {
    let krate = &item.container.krate;
    let private = quote!(#krate::__private);
    let count = item.variants.iter().filter(|variant| variant.own().is_some()).count();
    let has_entries = count > 0;
    let methods = methods::methods(item, &private);

    let ty = item.ident;
    let type_name = ty.unraw().to_string();
    // `file!()` with the type's span: the file that declares it.
    let file = quote_spanned!(ty.span()=> ::core::file!());
    let (impl_generics, ty_generics, _) = item.original.generics.split_for_impl();
    let where_clause = where_clause(item, &private);
    let predicates = where_clause.as_ref().map(|clause| clause.predicates.to_token_stream());
    let documents = documents(item, &type_name, has_entries);
    let responses =
        responses(item.container, &impl_generics, quote!(#ty #ty_generics), predicates, documents);
    let own_where = &item.original.generics.where_clause;
    let own_predicates = own_where.as_ref().map(|clause| clause.predicates.to_token_stream());
    let db = db_impl(item, &private, &impl_generics, quote!(#ty #ty_generics), own_predicates);
    let upstream =
        upstream_impl(item, &private, quote!(impl #impl_generics), quote!(#ty #ty_generics #own_where));
    let registry = has_entries.then(|| {
        let count = Literal::usize_unsuffixed(count);
        let entries = entries(item, &private);
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

/// The initializer of `__ENTRIES`, one element per variant with its own
/// entry: `__TYPE.variant("Name", "1010", 409u16, 12u32)`
/// (`documented_variant` with the URL as a fifth argument when the type has
/// `docs`, the type's template), then only the optional facts the variant
/// has (`.message("…")`, `.field("…")`, `.retry_after(…)`, `.log(…)`,
/// `.args(&["given"])`: the fields the message interpolates); all
/// of them finished by one `__TYPE.build_all([…])` (no path of the crate
/// written again: a wrong `crate = "…"` is reported once, on `__TYPE`'s
/// type). What every entry of the type shares is written once, in
/// `__TYPE`. (What each shape costs rustc: `benches/README.md`.)
///
/// One `quote!` for the whole list, its per-entry facts as repetitions: a
/// token stream interpolated into another (an entry into the list) is
/// flushed through the compiler's bridge, a thousand times on a big enum,
/// where repetitions of literals are pushed as they are.
fn entries(item: &Item, private: &TokenStream) -> TokenStream {
    let owns: Vec<(&ir::Variant, &ir::Own)> =
        item.variants.iter().filter_map(|variant| Some((variant, variant.own()?))).collect();
    let is_enum = owns.iter().all(|(variant, _)| variant.ast.ident.is_some());
    let method = match (is_enum, item.docs.is_some()) {
        (true, false) => "variant",
        (true, true) => "documented_variant",
        (false, false) => "item",
        (false, true) => "documented_item",
    };
    let method = Ident::new(method, Span::call_site());
    let names: Vec<Option<String>> =
        owns.iter().map(|(variant, _)| variant.ast.ident.map(|ident| ident.unraw().to_string())).collect();
    let names = names.iter().map(Option::as_slice);
    let codes = owns.iter().map(|(_, own)| own.code);
    let statuses = owns.iter().map(|(_, own)| Literal::u16_suffixed(own.status));
    let lines = owns.iter().map(|(variant, _)| Literal::u32_suffixed(line_of(variant.ast.span_ident.span())));
    let urls: Vec<Option<String>> =
        owns.iter().map(|(_, own)| item.docs.map(|docs| docs.replace("{code}", own.code))).collect();
    let urls = urls.iter().map(Option::as_slice);
    let messages: Vec<Option<&str>> =
        owns.iter().map(|(_, own)| own.message.as_ref().map(|message| message.stored.as_str())).collect();
    let messages = messages.iter().map(Option::as_slice);
    let fields: Vec<Option<&str>> = owns.iter().map(|(_, own)| own.field).collect();
    let fields = fields.iter().map(Option::as_slice);
    let retries: Vec<Option<Literal>> =
        owns.iter().map(|(_, own)| own.retry_after.map(Literal::u32_suffixed)).collect();
    let retries = retries.iter().map(Option::as_slice);
    let logs: Vec<Option<Ident>> = owns
        .iter()
        .map(|(_, own)| own.log.map(|level| Ident::new(level.variant(), Span::call_site())))
        .collect();
    let logs = logs.iter().map(Option::as_slice);
    // The names a translation may use: the interpolated fields'.
    let args: Vec<Option<TokenStream>> = owns
        .iter()
        .map(|(_, own)| {
            let template = own.message.as_ref()?.template.as_ref()?;
            let names = template.shown().map(|field| crate::methods::arg_name(&field.member));
            Some(quote!(&[#(#names),*]))
        })
        .collect();
    let args = args.iter().map(Option::as_slice);
    quote! {
        __TYPE.build_all([#(
            __TYPE.#method(#(#names,)* #codes, #statuses, #lines #(, #urls)*)
                #(.message(#messages))*
                #(.field(#fields))*
                #(.retry_after(#retries))*
                #(.log(#private::LogLevel::#logs))*
                #(.args(#args))*,
        )*])
    }
}

/// The line of the variant `span` is on, written as a literal (`12u32`): a
/// thousand `::core::line!()` calls cost rustc a macro expansion each.
fn line_of(span: Span) -> u32 {
    // The snapshot test runs outside the compiler, on spans with locations.
    #[cfg(test)]
    if !proc_macro::is_available() {
        return u32::try_from(span.start().line).unwrap_or(u32::MAX);
    }
    // Only the compiler's spans have a line (`Span::unwrap` would panic on
    // another).
    let line = if proc_macro::is_available() { proc_macro2::Span::unwrap(span).line() } else { 0 };
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// `FromDbError` (one arm per `db(constraint = "…")`) and the conversions
/// from the drivers' errors, through the library's `impl_db!`: it emits
/// them for its enabled features, or one error naming the features.
fn db_impl(
    item: &Item,
    private: &TokenStream,
    impl_generics: &syn::ImplGenerics,
    ty: TokenStream,
    predicates: Option<TokenStream>,
) -> Option<TokenStream> {
    let err = methods::local("__err");
    let arms: Vec<TokenStream> = item
        .variants
        .iter()
        .filter_map(|variant| {
            let constraint = variant.db?;
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
    item: &Item,
    private: &TokenStream,
    impl_: TokenStream,
    ty: TokenStream,
) -> Option<TokenStream> {
    let err = methods::local("__err");
    let tests: Vec<TokenStream> = item
        .variants
        .iter()
        .filter_map(|variant| {
            let upstream = variant.upstream?;
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
fn construct(variant: &ir::Variant) -> TokenStream {
    let variant = variant.ast;
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
fn documents(item: &Item, type_name: &str, has_entries: bool) -> TokenStream {
    let entries = if has_entries { quote!(&__ENTRIES) } else { quote!(&[]) };
    let transparent = item.variants.iter().filter_map(|variant| {
        let field = variant.transparent()?;
        let name = variant.ast.ident.map_or_else(|| type_name.to_owned(), |ident| ident.unraw().to_string());
        let ty = &field.original.ty;
        Some(quote!(#name => #ty))
    });
    quote!(documents [#entries] [#(#transparent),*])
}

/// The type's own where clause, plus what generic fields must satisfy for
/// the generated methods.
fn where_clause(item: &Item, private: &TokenStream) -> Option<syn::WhereClause> {
    let generics = &item.original.generics;
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
    for variant in &item.variants {
        let own = match &variant.kind {
            Kind::Transparent(field) => {
                bound(&field.original.ty, quote!(#private::Transparent));
                continue;
            }
            Kind::Own(own) => own,
        };
        if let Some(field) = own.dynamic_field {
            bound(&field.original.ty, quote!(::core::convert::AsRef<str>));
        }
        for field in &own.details {
            bound(&field.original.ty, quote!(#private::DetailsValue));
        }
        let template = own.message.as_ref().and_then(|message| message.template.as_ref());
        for piece in template.map_or(&[][..], |template| &template.pieces) {
            if let ir::Piece::Arg { field, .. } = piece {
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
