//! A typed view of the input: the container, its variants (a struct is one
//! variant without a name) and their fields, each keeping its syntax node for
//! spans.

use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, Member};

use crate::attr::{self, Attrs};
use crate::ctxt::Ctxt;
use crate::keys::Place;

pub struct Input<'a> {
    pub original: &'a DeriveInput,
    pub ident: &'a Ident,
    /// `docs = "…"` of the enum or struct.
    pub docs: Option<String>,
    /// `free_messages` on the enum or struct.
    pub free_messages: bool,
    pub is_enum: bool,
    pub variants: Vec<Variant<'a>>,
    /// The container's attributes that are about the whole expansion.
    pub container: Container,
}

/// What the whole expansion needs from the container's attributes; the
/// fallback reads it too, so a typo elsewhere does not change it.
pub struct Container {
    /// `crate = "path"`, or `::apierror`: the root of every generated path.
    pub krate: syn::Path,
    /// Whether to implement the framework response traits (not when
    /// `no_response_impl` is given).
    pub response_impls: bool,
}

impl Container {
    fn of(attrs: &Attrs) -> Self {
        Container {
            krate: attrs.krate.get().cloned().unwrap_or_else(|| syn::parse_quote!(::apierror)),
            response_impls: !attrs.no_response_impl.is_some(),
        }
    }

    /// The container's attributes alone, for the fallback (errors ignored:
    /// they have been reported).
    pub fn parse_quietly(input: &DeriveInput) -> Self {
        let cx = Ctxt::new();
        let place = if let Data::Enum(_) = input.data { Place::Enum } else { Place::Struct };
        let container = Container::of(&Attrs::parse(&cx, &input.attrs, place));
        let _ = cx.check();
        container
    }
}

pub struct Variant<'a> {
    /// `None` for a struct.
    pub ident: Option<&'a Ident>,
    /// The variant's ident, or the struct's: where "this variant" errors go.
    pub span_ident: &'a Ident,
    pub attrs: Attrs,
    pub fields: Vec<Field<'a>>,
    /// Whether the variant (or struct) is a unit: `Empty`, not `Empty()`
    /// or `Empty {}`. How a generated value of it is written.
    pub is_unit: bool,
}

pub struct Field<'a> {
    pub original: &'a syn::Field,
    pub member: Member,
    pub attrs: Attrs,
    pub is_source: bool,
}

impl<'a> Input<'a> {
    /// `None` (after an error) for a union.
    pub fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let (is_enum, variants, (docs, free_messages, container)) = match &input.data {
            Data::Enum(data) => {
                let attrs = Attrs::parse(cx, &input.attrs, Place::Enum);
                let own = (
                    attrs.docs.get().map(|docs| docs.value.clone()),
                    attrs.free_messages.is_some(),
                    Container::of(&attrs),
                );
                let variants = data
                    .variants
                    .iter()
                    .map(|variant| Variant {
                        ident: Some(&variant.ident),
                        span_ident: &variant.ident,
                        attrs: Attrs::parse(cx, &variant.attrs, Place::Variant),
                        fields: fields(cx, &variant.fields),
                        is_unit: matches!(variant.fields, Fields::Unit),
                    })
                    .collect();
                (true, variants, own)
            }
            Data::Struct(data) => {
                // A struct's attributes are its own (`docs`, `free_messages`)
                // and its only variant's, in one parse.
                let attrs = Attrs::parse(cx, &input.attrs, Place::Struct);
                let own = (
                    attrs.docs.get().map(|docs| docs.value.clone()),
                    attrs.free_messages.is_some(),
                    Container::of(&attrs),
                );
                let variant = Variant {
                    ident: None,
                    span_ident: &input.ident,
                    attrs,
                    fields: fields(cx, &data.fields),
                    is_unit: matches!(data.fields, Fields::Unit),
                };
                (false, vec![variant], own)
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "ApiError cannot be derived for a union; use an enum with one variant per error",
                );
                return None;
            }
        };
        Some(Input {
            original: input,
            ident: &input.ident,
            docs,
            free_messages,
            is_enum,
            variants,
            container,
        })
    }
}

fn fields<'a>(cx: &Ctxt, fields: &'a Fields) -> Vec<Field<'a>> {
    fields
        .iter()
        .enumerate()
        .map(|(i, field)| Field {
            original: field,
            member: match &field.ident {
                Some(ident) => Member::Named(ident.clone()),
                // Spanned on the field's type: errors about the field's
                // binding point there.
                None => Member::Unnamed(syn::Index { index: i as u32, span: field.ty.span() }),
            },
            attrs: Attrs::parse(cx, &field.attrs, Place::Field),
            is_source: attr::is_source(field),
        })
        .collect()
}

impl<'a> Variant<'a> {
    /// `Variant` or the struct's name, for messages.
    pub fn name(&self) -> String {
        self.span_ident.unraw().to_string()
    }

    /// The field a `message` placeholder names (`given` or `0`).
    pub fn field_named(&self, name: &str) -> Option<&Field<'a>> {
        self.fields.iter().find(|field| match &field.member {
            Member::Named(ident) => ident.unraw() == name,
            Member::Unnamed(index) => index.index.to_string() == name,
        })
    }
}
