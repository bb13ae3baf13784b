//! `#[derive(ApiError)]`, the derive of the [`apierror`] crate. Depend on
//! `apierror`, which re-exports it; the attributes are documented there.
//!
//! The macro is split the way model derives are: `syn` reads the item,
//! `keys` is the one table of the `#[api(...)]` keys, `attr` parses them
//! (one parser, reading that table; `values` reads each key's value), `ast`
//! builds a typed view of the input, `check` validates it into the typed IR
//! of `ir`, `expand` and `methods` only generate code from the IR, and
//! `fallback` emits the errors with a stub impl. Every mistake is
//! collected in a `ctxt::Ctxt` and reported together. (The modules are
//! private: plain names, so that `cargo doc` of the public crate has no
//! links to items it does not document.)
//!
//! [`apierror`]: https://docs.rs/apierror

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod fallback;
mod ir;
mod keys;
mod message;
mod methods;
#[cfg(test)]
mod snapshot;
#[cfg(test)]
mod structure;
mod values;

use proc_macro::TokenStream;

/// Derives `apierror::ApiError`; see the `apierror` crate for the
/// attributes.
#[proc_macro_derive(ApiError, attributes(api))]
pub fn derive_api_error(input: TokenStream) -> TokenStream {
    match syn::parse::<syn::DeriveInput>(input) {
        Ok(input) => expand::derive(&input).into(),
        Err(error) => error.to_compile_error().into(),
    }
}
