//! On errors: the errors, plus a stub impl of `ApiError` and the framework
//! response impls, so the user sees only the real mistakes: no
//! "ApiError is not implemented" cascade, and no "`IntoResponse` is not
//! implemented" at every handler that returns the type.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::DeriveInput;

use crate::ast::Container;
use crate::expand;

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
    let responses = expand::responses(&container, &impl_generics, quote!(#ty #ty_generics), predicates);
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
        };
    }
}
