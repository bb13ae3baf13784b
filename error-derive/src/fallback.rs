//! On errors: the errors, plus a stub impl so the user sees only the real
//! mistakes and no "ApiError is not implemented" cascade.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

pub fn expand(input: &DeriveInput, errors: &syn::Error) -> TokenStream {
    let errors = errors.to_compile_error();
    if let syn::Data::Union(_) = input.data {
        // A union is never an error type: a stub would only add noise.
        return errors;
    }
    let ty = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let where_clause = if input.generics.params.is_empty() {
        quote!(#where_clause)
    } else {
        let predicates = where_clause.map(|clause| &clause.predicates);
        quote!(where Self: ::std::error::Error, #predicates)
    };
    quote! {
        #errors

        #[allow(unused_qualifications)]
        impl #impl_generics ::apierror::__private::ApiError for #ty #ty_generics #where_clause {
            fn entry(&self) -> &'static ::apierror::__private::Entry {
                ::core::unreachable!()
            }
        }
    }
}
