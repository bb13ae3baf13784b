//! What the axum and actix-web extractors share: deserializing a JSON body
//! or a query string with the path of the failing field, and turning serde's
//! errors into built-in errors.

use serde::de::DeserializeOwned;

use crate::bound;
use crate::builtin::{BuiltinError, Kind};

/// Whether a `Content-Type` value declares JSON: `application/json` or
/// `application/<anything>+json`, with any parameters (`; charset=utf-8`).
pub(crate) fn is_json_content_type(value: &[u8]) -> bool {
    // Bytes, not `str`: a header value may hold any byte from 0x80 up, and
    // a `str` cut at a byte index inside a character panics.
    let essence = value.split(|&b| b == b';').next().unwrap_or_default().trim_ascii();
    let Some(slash) = essence.iter().position(|&b| b == b'/') else { return false };
    let (type_, subtype) = (&essence[..slash], &essence[slash + 1..]);
    type_.eq_ignore_ascii_case(b"application")
        && (subtype.eq_ignore_ascii_case(b"json")
            || subtype.len() > 5 && subtype[subtype.len() - 5..].eq_ignore_ascii_case(b"+json"))
}

/// Deserializes a JSON body; on failure, the built-in error for it with the
/// failing field's path.
pub(crate) fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, BuiltinError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(json_error)?;
    deserializer.end().map_err(|error| BuiltinError::new(Kind::InvalidJson).with_source(error))?;
    Ok(value)
}

fn json_error(error: serde_path_to_error::Error<serde_json::Error>) -> BuiltinError {
    use serde_json::error::Category;
    let path = field_path(error.path());
    let error = error.into_inner();
    match error.classify() {
        Category::Syntax | Category::Eof => BuiltinError::new(Kind::InvalidJson).with_source(error),
        Category::Io => BuiltinError::new(Kind::BadRequest).with_source(error),
        Category::Data => data_error(path, &error.to_string(), Origin::Body).with_source(error),
    }
}

/// Deserializes a query string (without the `?`); on failure, the built-in
/// error for it with the failing parameter's name.
pub(crate) fn query<T: DeserializeOwned>(query: &str) -> Result<T, BuiltinError> {
    let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = field_path(error.path());
        let error = error.into_inner();
        data_error(path, &error.to_string(), Origin::Query).with_source(error)
    })
}

/// Where the data that failed to deserialize came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Body,
    Query,
}

/// The built-in error for a serde data error at `path` (the value's path,
/// or for a missing field the enclosing struct's), from serde's message,
/// whose forms are stable: "missing field `x`", "unknown field `x`,
/// expected …", "invalid type: …".
fn data_error(path: Option<String>, message: &str, origin: Origin) -> BuiltinError {
    // A name from serde's message is the client's text (an unknown key):
    // bounded as the path's segments are.
    let name = |prefix: &str| {
        let rest = message.strip_prefix(prefix)?;
        let mut name = String::new();
        bound::push_segment(&mut name, &rest[..rest.find('`')?]);
        Some(name)
    };
    let join = |name: &str| match &path {
        Some(parent) => bound::field(format!("{parent}.{name}")),
        None => name.to_owned(),
    };
    let (kind, field) = if let Some(name) = name("missing field `") {
        (Kind::MissingField, Some(join(&name)))
    } else if origin == Origin::Query {
        (Kind::InvalidQuery, path)
    } else if let Some(name) = name("unknown field `") {
        // The path usually ends with the unknown key already.
        let field = match &path {
            Some(path) if *path == name || path.ends_with(&format!(".{name}")) => path.clone(),
            _ => join(&name),
        };
        (Kind::UnknownField, Some(field))
    } else if message.starts_with("invalid type: ") {
        (Kind::InvalidType, path)
    } else {
        (Kind::InvalidValue, path)
    };
    let error = BuiltinError::new(kind);
    match field {
        Some(field) => error.with_field(field),
        None => error,
    }
}

/// `items[0].price`, or `None` at the root. Trailing segments that
/// serde_path_to_error could not name (a failing map key) are dropped. A
/// map key is the client's text: each segment is cut to
/// [`bound::MAX_SEGMENT`] bytes and the path to [`bound::MAX_FIELD`].
fn field_path(path: &serde_path_to_error::Path) -> Option<String> {
    use serde_path_to_error::Segment;
    let segments: Vec<&Segment> = path.iter().collect();
    let end = segments.iter().rposition(|segment| !matches!(segment, Segment::Unknown))? + 1;
    let mut out = String::new();
    for segment in &segments[..end] {
        match segment {
            Segment::Seq { index } => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
            Segment::Map { key: name } | Segment::Enum { variant: name } => {
                if !out.is_empty() {
                    out.push('.');
                }
                bound::push_segment(&mut out, name);
            }
            Segment::Unknown => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push('?');
            }
        }
    }
    Some(bound::field(out))
}

/// `Deref`, `DerefMut` and `From<T>` for the extractor newtypes
/// (`Json<T>`, `Path<T>`, `Query<T>`) of both framework modules.
macro_rules! newtype_impls {
    ($($ty:ident),*) => {$(
        impl<T> ::std::ops::Deref for $ty<T> {
            type Target = T;
            fn deref(&self) -> &T {
                &self.0
            }
        }

        impl<T> ::std::ops::DerefMut for $ty<T> {
            fn deref_mut(&mut self) -> &mut T {
                &mut self.0
            }
        }

        impl<T> ::std::convert::From<T> for $ty<T> {
            fn from(value: T) -> Self {
                Self(value)
            }
        }
    )*};
}

pub(crate) use newtype_impls;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiError;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Thing {
        name: String,
        rating: u8,
        #[serde(default)]
        tags: Vec<Tag>,
        #[serde(default)]
        owner: Option<Owner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Tag {
        label: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Owner {
        id: u64,
    }

    fn json_err(body: &str) -> (Kind, Option<String>) {
        let err = json::<Thing>(body.as_bytes()).unwrap_err();
        (err.kind(), err.field().map(str::to_owned))
    }

    #[test]
    fn json_errors_name_the_field() {
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(json_err(r#"{"name": "a", "rating": 3"#), (Kind::InvalidJson, None));
        assert_eq!(json_err(r#"{"name": "a", "rating": 3} x"#), (Kind::InvalidJson, None));
        assert_eq!(json_err(""), (Kind::InvalidJson, None));
        assert_eq!(json_err(r#"{"rating": 3}"#), (Kind::MissingField, some("name")));
        assert_eq!(json_err(r#"{"name": "a", "rating": "x"}"#), (Kind::InvalidType, some("rating")));
        assert_eq!(json_err(r#"{"name": "a", "rating": 300}"#), (Kind::InvalidValue, some("rating")));
        assert_eq!(json_err(r#"{"name": "a", "rating": 1, "x": 1}"#), (Kind::UnknownField, some("x")));
        assert_eq!(json_err(r#""lamp""#), (Kind::InvalidType, None));
        assert_eq!(json_err("[]"), (Kind::InvalidValue, None));
        assert_eq!(
            json_err(r#"{"name": "a", "rating": 1, "tags": [{"label": "x"}, {"label": 2}]}"#),
            (Kind::InvalidType, some("tags[1].label"))
        );
        assert_eq!(
            json_err(r#"{"name": "a", "rating": 1, "owner": {}}"#),
            (Kind::MissingField, some("owner.id"))
        );
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        page: u32,
        q: Option<String>,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        assert_eq!(query::<Page>("page=2&q=x").unwrap().page, 2);
        let err = query::<Page>("q=x").unwrap_err();
        assert_eq!((err.kind(), err.field()), (Kind::MissingField, Some("page")));
        let err = query::<Page>("page=two").unwrap_err();
        assert_eq!((err.kind(), err.field()), (Kind::InvalidQuery, Some("page")));
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Labels {
        #[serde(default)]
        labels: std::collections::HashMap<String, std::collections::HashMap<String, u8>>,
    }

    /// Issue 18: a client's key (an unknown field, a map key) is cut to 64
    /// bytes in `field`, and a whole `field` to 256, with the mark.
    #[test]
    fn client_keys_are_bounded_in_field() {
        use crate::ApiErrorExt;
        let key = "k".repeat(1_000_000);
        let cut = format!("{}\u{2026}", "k".repeat(61));
        let err =
            json::<Thing>(format!(r#"{{"name": "a", "rating": 1, "{key}": 1}}"#).as_bytes()).unwrap_err();
        assert_eq!((err.kind(), err.field()), (Kind::UnknownField, Some(cut.as_str())));
        let err = json::<Labels>(format!(r#"{{"{key}": 1}}"#).as_bytes()).unwrap_err();
        assert_eq!((err.kind(), err.field()), (Kind::UnknownField, Some(cut.as_str())));
        let err =
            json::<Labels>(format!(r#"{{"labels": {{"{key}": {{"x": "one"}}}}}}"#).as_bytes()).unwrap_err();
        assert_eq!((err.kind(), err.field()), (Kind::InvalidType, Some(format!("labels.{cut}.x").as_str())));
        let body = err.to_response_with(&crate::Config::production()).into_body();
        assert!(body.len() < 1024, "a {} byte body", body.len());
        // Multi-byte characters: cut on a boundary.
        let wide = "\u{1f600}".repeat(100);
        let err =
            json::<Labels>(format!(r#"{{"labels": {{"{wide}": {{"x": "one"}}}}}}"#).as_bytes()).unwrap_err();
        let expected = format!("labels.{}\u{2026}", "\u{1f600}".repeat(15));
        assert_eq!(err.field(), Some(format!("{expected}.x").as_str()));
        // Short segments, a long path: cut as a whole.
        type M<T> = std::collections::HashMap<String, T>;
        let deep = "d".repeat(60);
        let body = format!(r#"{{"{deep}": {{"{deep}": {{"{deep}": {{"{deep}": {{"{deep}": "one"}}}}}}}}}}"#);
        let err = json::<M<M<M<M<M<u8>>>>>>(body.as_bytes()).unwrap_err();
        let field = err.field().unwrap();
        assert_eq!(field.len(), 256, "{field}");
        assert!(
            field.starts_with(&format!("{deep}.{deep}.{deep}.{deep}.d")) && field.ends_with('\u{2026}'),
            "{field}"
        );
        // Within the bounds, as sent.
        let err = json::<Labels>(br#"{"labels": {"k\u00e9y": {"x": "one"}}}"#).unwrap_err();
        assert_eq!(err.field(), Some("labels.k\u{e9}y.x"));
        let err = query::<Page>(&format!("page=1&{key}=x&q=y")).map(|page| page.page);
        assert_eq!(err.ok(), Some(1));
    }

    #[test]
    fn content_types() {
        for yes in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
            "application/problem+json",
        ] {
            assert!(is_json_content_type(yes.as_bytes()), "{yes}");
        }
        for no in [
            "text/json",
            "application/jsonx",
            "text/plain",
            "",
            "json",
            "application/+json",
            // Non-ASCII, with a character across the cut of the `+json` test.
            "application/\u{e9}\u{e9}\u{e9}",
            "application/x\u{1f600}json",
        ] {
            assert!(!is_json_content_type(no.as_bytes()), "{no}");
        }
        // Bytes that are not UTF-8 at all (obs-text): no panic either.
        assert!(!is_json_content_type(b"application/\xff\xfe\xfd\xfc\xfb\xfa"));
        assert!(!is_json_content_type(b"\x80/+json"));
        assert!(is_json_content_type(b"application/\xe9+json"));
    }
}
