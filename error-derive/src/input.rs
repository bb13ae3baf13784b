//! Reading the derive's input. The usual shape (an enum or a struct without
//! generics, a where clause or discriminants, attributes `#[name]` or
//! `#[name(...)]`) is read by walking its token trees, each field's type
//! kept as its tokens (`syn::Type::Verbatim`); anything else goes through
//! `syn`'s full parser. The result is the same `DeriveInput` either way,
//! with the same spans, so the rest of the derive cannot tell them apart.
//!
//! What it buys: a proc macro runs unoptimized in a dev build, and `syn`'s
//! parse of every type and attribute was 155 M of the derive's 354 M
//! instructions on the benchmark enum (1,000 variants, callgrind on rustc);
//! the derive only needs each field's type as tokens (for spans, and for
//! the bounds of a generic type, which takes the full parse).

use proc_macro2::{Delimiter, Group, Ident, Punct, Span, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::{
    token, AttrStyle, Attribute, Data, DataEnum, DataStruct, DeriveInput, Field, FieldModifiers, Fields,
    FieldsNamed, FieldsUnnamed, Generics, MacroDelimiter, Meta, MetaList, Path, Token, Type, Variant,
    Visibility,
};

/// The derive's input, read by the light reader or else by `syn`.
pub fn parse(tokens: TokenStream) -> syn::Result<DeriveInput> {
    match light(tokens.clone()) {
        Some(input) => Ok(input),
        None => syn::parse2(tokens),
    }
}

/// `None` when the input is not of the usual shape (then `syn` reads it).
fn light(tokens: TokenStream) -> Option<DeriveInput> {
    let all: Vec<TokenTree> = tokens.into_iter().collect();
    let mut trees = all.iter();
    let attrs = attributes(&mut trees)?;
    let vis = visibility(&mut trees)?;
    let TokenTree::Ident(keyword) = trees.next()? else { return None };
    let TokenTree::Ident(ident) = trees.next()? else { return None };
    let ident = ident.clone();
    let body = trees.next()?;
    let data = match (keyword.to_string().as_str(), body) {
        ("enum", TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
            if trees.next().is_some() {
                return None;
            }
            let variants = punctuated(group.stream(), variant)?;
            Data::Enum(DataEnum {
                enum_token: Token![enum](keyword.span()),
                brace_token: token::Brace(group.delim_span()),
                variants,
            })
        }
        ("struct", body) => {
            let (fields, semi) = match body {
                TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => (named(group)?, None),
                TokenTree::Group(group) if group.delimiter() == Delimiter::Parenthesis => {
                    let TokenTree::Punct(semi) = trees.next()? else { return None };
                    (unnamed(group)?, Some(semi))
                }
                TokenTree::Punct(semi) => (Fields::Unit, Some(semi)),
                _ => return None,
            };
            let semi_token = match semi {
                Some(semi) if semi.as_char() == ';' => Some(Token![;](semi.span())),
                Some(_) => return None,
                None => None,
            };
            if trees.next().is_some() {
                return None;
            }
            Data::Struct(DataStruct { struct_token: Token![struct](keyword.span()), fields, semi_token })
        }
        _ => return None,
    };
    Some(DeriveInput { attrs, vis, ident, generics: Generics::default(), data })
}

type Trees<'a> = std::slice::Iter<'a, TokenTree>;

/// The outer attributes at the front of `trees`.
fn attributes(trees: &mut Trees) -> Option<Vec<Attribute>> {
    let mut attrs = Vec::new();
    while let [TokenTree::Punct(pound), TokenTree::Group(group), ..] = trees.as_slice() {
        if pound.as_char() != '#' || group.delimiter() != Delimiter::Bracket {
            break;
        }
        trees.nth(1);
        attrs.push(attribute(pound, group)?);
    }
    Some(attrs)
}

/// `#[name]` or `#[name(...)]` as `syn` would parse it; any other form
/// (`#[doc = "…"]`, a path) through `syn`.
fn attribute(pound: &Punct, group: &Group) -> Option<Attribute> {
    let mut inner = group.stream().into_iter();
    let meta = match (inner.next(), inner.next(), inner.next()) {
        (Some(TokenTree::Ident(name)), None, None) => Meta::Path(Path::from(name)),
        (Some(TokenTree::Ident(name)), Some(TokenTree::Group(list)), None) => {
            let span = list.delim_span();
            let delimiter = match list.delimiter() {
                Delimiter::Parenthesis => MacroDelimiter::Paren(token::Paren(span)),
                Delimiter::Brace => MacroDelimiter::Brace(token::Brace(span)),
                Delimiter::Bracket => MacroDelimiter::Bracket(token::Bracket(span)),
                Delimiter::None => return None,
            };
            Meta::List(MetaList { path: Path::from(name), delimiter, tokens: list.stream() })
        }
        _ => {
            let tokens: TokenStream =
                [TokenTree::Punct(pound.clone()), TokenTree::Group(group.clone())].into_iter().collect();
            let mut attrs = syn::parse::Parser::parse2(Attribute::parse_outer, tokens).ok()?;
            return (attrs.len() == 1).then(|| attrs.remove(0));
        }
    };
    Some(Attribute {
        pound_token: Token![#](pound.span()),
        style: AttrStyle::Outer,
        bracket_token: token::Bracket(group.delim_span()),
        meta,
    })
}

/// `pub`, `pub(...)` (through `syn`), or nothing.
fn visibility(trees: &mut Trees) -> Option<Visibility> {
    let Some(TokenTree::Ident(ident)) = trees.as_slice().first() else { return Some(Visibility::Inherited) };
    if ident != "pub" {
        return Some(Visibility::Inherited);
    }
    let span = ident.span();
    let pub_token = trees.next()?.clone();
    if let Some(TokenTree::Group(group)) = trees.as_slice().first() {
        if group.delimiter() == Delimiter::Parenthesis {
            let tokens: TokenStream = [pub_token, trees.next()?.clone()].into_iter().collect();
            return syn::parse2(tokens).ok();
        }
    }
    Some(Visibility::Public(Token![pub](span)))
}

/// The comma-separated items of `tokens` (an enum's variants, a list of
/// fields), and whether a comma ends them. A comma inside `<...>`
/// (`HashMap<K, V>`) does not separate.
fn split_commas(tokens: TokenStream) -> (Vec<Vec<TokenTree>>, bool) {
    let mut items = Vec::new();
    let mut item = Vec::new();
    let mut depth = 0usize;
    let mut after_dash = false;
    let mut trailing = false;
    for tree in tokens {
        trailing = false;
        if let TokenTree::Punct(punct) = &tree {
            match punct.as_char() {
                ',' if depth == 0 => {
                    items.push(std::mem::take(&mut item));
                    after_dash = false;
                    trailing = true;
                    continue;
                }
                '<' => depth += 1,
                // `->` in `fn() -> T` closes nothing.
                '>' if !after_dash => depth = depth.saturating_sub(1),
                _ => {}
            }
            after_dash = punct.as_char() == '-';
        } else {
            after_dash = false;
        }
        item.push(tree);
    }
    if !item.is_empty() {
        items.push(item);
    }
    (items, trailing)
}

/// `items` read by `read`, with the trailing comma if there is one.
fn punctuated<T>(
    tokens: TokenStream,
    mut read: impl FnMut(Vec<TokenTree>) -> Option<T>,
) -> Option<Punctuated<T, Token![,]>> {
    let (items, trailing) = split_commas(tokens);
    let mut punctuated = Punctuated::new();
    for item in items {
        punctuated.push(read(item)?);
    }
    if trailing && !punctuated.is_empty() {
        punctuated.push_punct(Token![,](Span::call_site()));
    }
    Some(punctuated)
}

/// One variant: attributes, name, and its fields if any.
fn variant(tokens: Vec<TokenTree>) -> Option<Variant> {
    let mut trees = tokens.iter();
    let attrs = attributes(&mut trees)?;
    let TokenTree::Ident(ident) = trees.next()? else { return None };
    let ident = ident.clone();
    let fields = match trees.next() {
        None => Fields::Unit,
        Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => named(group)?,
        Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Parenthesis => unnamed(group)?,
        // A discriminant (`= 4`) and anything else: `syn`.
        Some(_) => return None,
    };
    if trees.next().is_some() {
        return None;
    }
    Some(Variant { attrs, ident, fields, discriminant: None })
}

fn named(group: &Group) -> Option<Fields> {
    let named = punctuated(group.stream(), |tokens| {
        let mut trees = tokens.iter();
        let attrs = attributes(&mut trees)?;
        let vis = visibility(&mut trees)?;
        let TokenTree::Ident(ident) = trees.next()? else { return None };
        let TokenTree::Punct(colon) = trees.next()? else { return None };
        if colon.as_char() != ':' {
            return None;
        }
        field(attrs, vis, Some((ident.clone(), colon.span())), trees.as_slice())
    })?;
    Some(Fields::Named(FieldsNamed { brace_token: token::Brace(group.delim_span()), named }))
}

fn unnamed(group: &Group) -> Option<Fields> {
    let unnamed = punctuated(group.stream(), |tokens| {
        let mut trees = tokens.iter();
        let attrs = attributes(&mut trees)?;
        let vis = visibility(&mut trees)?;
        field(attrs, vis, None, trees.as_slice())
    })?;
    Some(Fields::Unnamed(FieldsUnnamed { paren_token: token::Paren(group.delim_span()), unnamed }))
}

/// A field whose type is the rest of `trees`, kept as tokens. A default
/// value (`= …`) goes through `syn`.
fn field(
    attrs: Vec<Attribute>,
    vis: Visibility,
    name: Option<(Ident, Span)>,
    ty: &[TokenTree],
) -> Option<Field> {
    if ty.is_empty()
        || ty.iter().any(|tree| matches!(tree, TokenTree::Punct(punct) if punct.as_char() == '='))
    {
        return None;
    }
    let ty: TokenStream = ty.iter().cloned().collect();
    let (ident, colon_token) = match name {
        Some((ident, colon)) => (Some(ident), Some(Token![:](colon))),
        None => (None, None),
    };
    Some(Field {
        attrs,
        vis,
        modifiers: FieldModifiers::default(),
        ident,
        colon_token,
        ty: Type::Verbatim(ty),
        default: None,
    })
}

#[cfg(test)]
mod tests {
    use quote::{quote, ToTokens};

    /// The light reader gives what `syn` gives, token for token, on the
    /// shapes it reads; it leaves the others to `syn`.
    #[test]
    fn reads_as_syn_does() {
        let inputs = [
            quote! {
                #[derive(Debug)]
                #[api(docs = "https://x/{code}")]
                /// Docs.
                pub enum E {
                    #[error("column `{name}` in {table}")]
                    #[api(status = 409, code = "1010", field = "name")]
                    A { name: String, pub(crate) table: ::std::collections::HashMap<u8, Vec<(u8, u16)>> },
                    B(#[source] std::io::Error, fn(u8, u16) -> Option<u8>),
                    r#C,
                    D(),
                    E {},
                }
            },
            quote!(
                struct S;
            ),
            quote!(
                pub(crate) struct S(pub u8, Box<dyn Fn(u8, u8) -> u8 + Send>);
            ),
            quote!(
                struct S {
                    #[api(details)]
                    a: [u8; 4],
                    b: &'static str,
                }
            ),
        ];
        for input in inputs {
            let light = super::light(input.clone()).expect("the usual shape");
            let full: syn::DeriveInput = syn::parse2(input.clone()).unwrap();
            // Compared without spaces: `syn` prints a type's `>>` as `> >`.
            let text = |input: &syn::DeriveInput| input.to_token_stream().to_string().replace(' ', "");
            assert_eq!(text(&light), text(&full), "{input}");
            assert_eq!(light.attrs.len(), full.attrs.len());
            let fields = |data: &syn::Data| -> Vec<usize> {
                match data {
                    syn::Data::Enum(data) => data.variants.iter().map(|v| v.fields.len()).collect(),
                    syn::Data::Struct(data) => vec![data.fields.len()],
                    syn::Data::Union(_) => vec![],
                }
            };
            assert_eq!(fields(&light.data), fields(&full.data), "{input}");
        }
        for other in [
            quote!(
                enum E<T> {
                    A(T),
                }
            ),
            quote!(
                struct S
                where
                    u8: Copy,
                {
                    a: u8,
                }
            ),
            quote!(
                enum E {
                    A = 1,
                }
            ),
            quote!(union U { a: u8 }),
        ] {
            assert!(super::light(other.clone()).is_none(), "{other}");
        }
    }
}
