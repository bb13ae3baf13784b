//! On errors: the errors, plus a stub impl of `ApiError` and the framework
//! response impls, so the user sees only the real mistakes: no
//! "ApiError is not implemented" cascade, and no "`IntoResponse` is not
//! implemented" at every handler that returns the type. A type that maps
//! database or upstream errors (`db(...)`, `upstream(...)`, even written
//! wrong) gets those impls too, mapping nothing: no "`?` couldn't convert
//! the error" at every query.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::{Data, DeriveInput};

use crate::ast::Container;
use crate::attr::Attrs;
use crate::ctxt::Ctxt;
use crate::expand;
use crate::keys::Place;

pub fn expand(input: &DeriveInput, errors: &syn::Error) -> TokenStream {
    let errors = errors.to_compile_error();
    if let syn::Data::Union(_) = input.data {
        // A union is never an error type: a stub would only add noise.
        return errors;
    }
    let container = Container::parse_quietly(input);
    let krate = &container.krate;
    let ty = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let (where_clause, predicates) = if input.generics.params.is_empty() {
        (quote!(#where_clause), where_clause.map(|clause| clause.predicates.to_token_stream()))
    } else {
        let predicates = where_clause.map(|clause| &clause.predicates);
        let predicates = quote!(Self: ::std::error::Error, #predicates);
        (quote!(where #predicates), Some(predicates))
    };
    let documents = quote!(documents [&[]] []);
    let responses =
        expand::responses(&container, &impl_generics, quote!(#ty #ty_generics), predicates, documents);
    // Conversions that map nothing, for the enabled features, and only for
    // a type that has the variant they need.
    let own_predicates = input.generics.where_clause.as_ref().map(|clause| &clause.predicates);
    let stub = |key: &str, mac: &str| {
        let mac = syn::Ident::new(mac, proc_macro2::Span::call_site());
        mentions(input, key).then(|| {
            quote! {
                #krate::__private::#mac! {
                    fallback impl [#impl_generics] for [#ty #ty_generics] where [#own_predicates]
                }
            }
        })
    };
    let db = stub("db", "impl_db");
    let upstream = stub("upstream", "impl_upstream");
    quote! {
        #errors

        const _: () = {
            #[automatically_derived]
            #[allow(unused_qualifications)]
            impl #impl_generics #krate::__private::ApiError for #ty #ty_generics #where_clause {
                fn entry(&self) -> &'static #krate::__private::Entry {
                    ::core::unreachable!()
                }
            }

            #responses

            #db

            #upstream
        };
    }
}

/// Whether a variant (or the struct) writes `key`, even with a mistake in
/// it (errors ignored: they have been reported).
fn mentions(input: &DeriveInput, key: &str) -> bool {
    let cx = Ctxt::new();
    let found = match &input.data {
        Data::Enum(data) => data
            .variants
            .iter()
            .any(|variant| Attrs::parse(&cx, &variant.attrs, Place::Variant).mentions(key)),
        Data::Struct(_) => Attrs::parse(&cx, &input.attrs, Place::Struct).mentions(key),
        Data::Union(_) => false,
    };
    let _ = cx.check();
    found
}
