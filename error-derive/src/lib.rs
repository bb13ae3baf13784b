//! `#[derive(ApiError)]`, the derive of the [`apierror`] crate. Depend on
//! `apierror`, which re-exports it; the attributes are documented there.
//!
//! The macro is split the way model derives are: `attr` parses
//! `#[api(...)]`, `ast` builds a typed view of the input, `check`
//! validates rules that span several attributes, `expand` only generates
//! code, and `fallback` emits the errors with a stub impl. Every mistake is
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
mod input;
mod message;
#[cfg(test)]
mod snapshot;
mod symbol;

use proc_macro::TokenStream;

/// Derives `apierror::ApiError`; see the `apierror` crate for the
/// attributes.
#[proc_macro_derive(ApiError, attributes(api))]
pub fn derive_api_error(input: TokenStream) -> TokenStream {
    match input::parse(input.into()) {
        Ok(input) => expand::derive(&input).into(),
        Err(error) => error.to_compile_error().into(),
    }
}
