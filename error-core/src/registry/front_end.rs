//! The codes in the front end's types: a TypeScript module and the body's
//! JSON Schema, generated from the registry like the catalog.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Value};

use super::Entry;

/// Every code in the program as a TypeScript module, for a front end.
///
/// The module exports, in this order:
///
/// - `ErrorCode`: the union of every registered code, sorted
///   (`"1010" | "apierror.not_found" | …`), so that a
///   `switch (error.error_code)` is checked for exhaustiveness by
///   `tsc --strict`;
/// - `ErrorCodeInfo` and `ERROR_CODES`: the `as const` object from each code
///   to its `{ status, field, docs }` (`null` where the entry has none),
///   checked with `satisfies` to hold every code;
/// - `isErrorCode(code)`: a type guard, since a newer server may answer a
///   code that the front end was built without;
/// - the body's types, each with `error_code: ErrorCode`: `ErrorObject` and
///   `ErrorBody` (`ErrorObject[]`, never empty) for the array format;
///   `Problem` for RFC 9457, with its `errors` entries, `ProblemError`; and
///   `ErrorDetails`, `ErrorDebug` (development's `debug`, optional).
///
/// A code declared twice (which [`check`](super::check) reports) appears
/// once, with the first entry in the catalog's order. Every string is
/// written as a JSON string literal, which TypeScript reads as the same
/// string. The output is the same for the same registry; it needs
/// TypeScript 4.9 or newer (`satisfies`). Only crates linked into the
/// program contribute: see [the registry](super) on which crates those are.
///
/// ```
/// let module = apierror::registry::typescript();
/// assert!(module.contains("export type ErrorCode =\n"));
/// assert!(module.contains("\n  | \"apierror.not_found\"\n"));
/// assert!(module.contains("export interface ErrorObject {"));
/// ```
#[must_use]
pub fn typescript() -> String {
    typescript_of(super::entries())
}

/// The JSON Schema (draft 2020-12) of every error body the program can
/// answer, as pretty-printed JSON text, for a front end's or a contract
/// test's validator.
///
/// The root is a `oneOf` of the two formats, each also under `$defs` so
/// that a validator can name one: `ErrorBody` (the array, at least one
/// `ErrorObject`) and `Problem` (RFC 9457, with its `errors` entries,
/// `ProblemError`). `ErrorCode` is a string `enum` of every registered
/// code, sorted, referenced by each object's `error_code`. The objects list
/// exactly the members the renderer writes (`additionalProperties: false`),
/// `debug` (development) being the one optional member, with `instance`
/// and `errors` of a problem. A code declared twice appears once. Returned
/// as text, like [`json`](super::json), ready to be written to a file;
/// parse it with `serde_json` to read it as a value.
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&apierror::registry::json_schema()).unwrap();
/// assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
/// let codes = schema["$defs"]["ErrorCode"]["enum"].as_array().unwrap();
/// assert!(codes.contains(&"apierror.not_found".into()));
/// ```
#[must_use]
pub fn json_schema() -> String {
    json_schema_of(super::entries())
}

/// The entries in the catalog's order, one per code.
fn unique<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Vec<&'a Entry> {
    let mut entries = super::catalog::sorted(entries);
    entries.dedup_by_key(|entry| entry.code);
    entries
}

/// `text` as a TypeScript string literal: a JSON string, with the two line
/// separators that older parsers refuse inside a literal escaped.
fn literal(text: &str) -> String {
    let json = serde_json::to_string(text).unwrap_or_else(|_| unreachable!("a string always serializes"));
    json.replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029")
}

/// `text` as a literal, or `null`.
fn literal_or_null(text: Option<&str>) -> String {
    text.map_or_else(|| "null".to_owned(), literal)
}

pub(super) fn typescript_of<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> String {
    let entries = unique(entries);
    let mut out = String::with_capacity(4096 + 128 * entries.len());
    out.push_str(TYPESCRIPT_HEAD);
    out.push_str("export type ErrorCode =");
    if entries.is_empty() {
        out.push_str(" never");
    }
    for entry in &entries {
        out.push_str("\n  | ");
        out.push_str(&literal(entry.code));
    }
    out.push_str(";\n\n");
    out.push_str(TYPESCRIPT_INFO);
    out.push_str("export const ERROR_CODES = {\n");
    for entry in &entries {
        out.push_str("  ");
        out.push_str(&literal(entry.code));
        out.push_str(": { status: ");
        out.push_str(&entry.status.to_string());
        out.push_str(", field: ");
        out.push_str(&literal_or_null(entry.field));
        out.push_str(", docs: ");
        out.push_str(&literal_or_null(entry.docs));
        out.push_str(" },\n");
    }
    out.push_str("} as const satisfies { readonly [Code in ErrorCode]: ErrorCodeInfo };\n\n");
    out.push_str(TYPESCRIPT_BODY);
    out
}

/// The module's head, up to `ErrorCode`'s members.
const TYPESCRIPT_HEAD: &str = "\
// The error codes of this API and the types of its error bodies.
// Generated by apierror::registry::typescript() from the registry; do not edit.

/** Every code an error body's `error_code` can hold. Branch on it, never on a message. */
";

/// `ErrorCodeInfo`, and the doc comment of `ERROR_CODES`.
const TYPESCRIPT_INFO: &str = "\
/** What the registry declares for a code. */
export interface ErrorCodeInfo {
  /** The HTTP status the code is answered with. */
  readonly status: number;
  /** The request field the error is about, when fixed; else `null`. */
  readonly field: string | null;
  /** The code's documentation URL, or `null`. */
  readonly docs: string | null;
}

/** Each code's status, field and documentation URL. */
";

/// `isErrorCode` and the body's types.
const TYPESCRIPT_BODY: &str = "\
/** Whether `code` is one of `ErrorCode`: a newer server may answer a code this module lacks. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

/** An error's `details`: its declared detail members (and `request_id` when configured), or `null`. */
export type ErrorDetails = { [member: string]: unknown } | null;

/** Development only: the error's Rust type, its `Display` and its sources' (never in production). */
export interface ErrorDebug {
  type: string;
  display: string;
  sources: string[];
}

/** One error of an array body (`application/json`). */
export interface ErrorObject {
  /** The production message, safe to show to users. */
  message: string;
  error_code: ErrorCode;
  /** The request field the error is about, or `null`; may echo the client's own key. */
  field: string | null;
  details: ErrorDetails;
  debug?: ErrorDebug;
}

/** The array body: one object per error, never empty. */
export type ErrorBody = ErrorObject[];

/** One entry of a problem's `errors`. */
export interface ProblemError {
  /** The production message, safe to show to users. */
  detail: string;
  error_code: ErrorCode;
  field: string | null;
  details: ErrorDetails;
  debug?: ErrorDebug;
}

/** An RFC 9457 problem (`application/problem+json`). */
export interface Problem {
  /** The code's documentation URL, else `about:blank`. */
  type: string;
  /** The status's reason phrase. */
  title: string;
  status: number;
  /** The production message, safe to show to users. */
  detail: string;
  /** `urn:request:<id>` when the response has a request id. */
  instance?: string;
  error_code: ErrorCode;
  field: string | null;
  details: ErrorDetails;
  /** Several errors: one entry each (the top level is then the shared status's built-in code). */
  errors?: ProblemError[];
  debug?: ErrorDebug;
}
";

pub(super) fn json_schema_of<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> String {
    let codes: Vec<&str> = unique(entries).into_iter().map(|entry| entry.code).collect();
    let mut text = serde_json::to_string_pretty(&Sorted(&schema(&codes)))
        .unwrap_or_else(|_| unreachable!("the schema has string keys and plain values"));
    text.push('\n');
    text
}

/// A value whose objects serialize with their keys sorted, whether or not
/// `serde_json`'s `preserve_order` is on in the build (another crate may
/// turn it on): the schema's text depends on the registry alone.
struct Sorted<'a>(&'a Value);

impl Serialize for Sorted<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Object(object) => {
                let mut members: Vec<(&String, &Value)> = object.iter().collect();
                members.sort_unstable_by_key(|(key, _)| *key);
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, &Sorted(value))?;
                }
                map.end()
            }
            Value::Array(items) => serializer.collect_seq(items.iter().map(Sorted)),
            other => other.serialize(serializer),
        }
    }
}

/// A reference to `name` in `$defs`.
fn def(name: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{name}") })
}

/// An error object: `message` (`detail` in a problem), `error_code`,
/// `field`, `details`, and `debug` in development.
fn object(message: &str, description: &str) -> Value {
    json!({
        "description": description,
        "type": "object",
        "required": [message, "error_code", "field", "details"],
        "properties": {
            message: { "type": "string", "description": "The production message, safe to show to users." },
            "error_code": def("ErrorCode"),
            "field": def("Field"),
            "details": def("Details"),
            "debug": def("Debug"),
        },
        "additionalProperties": false,
    })
}

fn schema(codes: &[&str]) -> Value {
    let mut problem = object("detail", "An RFC 9457 problem (`application/problem+json`).");
    problem["required"] = json!(["type", "title", "status", "detail", "error_code", "field", "details"]);
    let properties = problem["properties"].as_object_mut().expect("an object's properties");
    properties.insert(
        "type".into(),
        json!({ "type": "string", "description": "The code's documentation URL, else `about:blank`." }),
    );
    properties
        .insert("title".into(), json!({ "type": "string", "description": "The status's reason phrase." }));
    properties.insert("status".into(), json!({ "type": "integer", "minimum": 400, "maximum": 599 }));
    properties.insert(
        "instance".into(),
        json!({ "type": "string", "description": "`urn:request:<id>` when the response has a request id." }),
    );
    properties.insert(
        "errors".into(),
        json!({
            "description": "Several errors: one entry each.",
            "type": "array",
            "minItems": 1,
            "items": def("ProblemError"),
        }),
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Error body",
        "description": "An error body of this API: the array format or an RFC 9457 problem. \
                        Generated by apierror::registry::json_schema() from the registry.",
        "oneOf": [def("ErrorBody"), def("Problem")],
        "$defs": {
            "ErrorCode": {
                "description": "Every code an error body's `error_code` can hold.",
                "type": "string",
                "enum": codes,
            },
            "Field": {
                "description": "The request field the error is about, or null; may echo the client's own key.",
                "type": ["string", "null"],
            },
            "Details": {
                "description": "The error's declared detail members (and `request_id` when configured), or null.",
                "type": ["object", "null"],
            },
            "Debug": {
                "description": "Development only: the error's Rust type, its Display and its sources'.",
                "type": "object",
                "required": ["type", "display", "sources"],
                "properties": {
                    "type": { "type": "string" },
                    "display": { "type": "string" },
                    "sources": { "type": "array", "items": { "type": "string" } },
                },
                "additionalProperties": false,
            },
            "ErrorObject": object("message", "One error of an array body (`application/json`)."),
            "ErrorBody": {
                "description": "The array body: one object per error, never empty.",
                "type": "array",
                "minItems": 1,
                "items": def("ErrorObject"),
            },
            "ProblemError": object("detail", "One entry of a problem's `errors`."),
            "Problem": problem,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::LogLevel;

    const fn entry(code: &'static str, status: u16) -> Entry {
        Entry {
            code,
            status,
            type_name: "ColumnError",
            variant: None,
            message: None,
            field: None,
            docs: None,
            log: LogLevel::Debug,
            module: "my_app::columns",
            file: "src/columns.rs",
            line: 7,
            retry_after: None,
            args: &[],
        }
    }

    static DUPLICATE: Entry = Entry {
        field: Some("name"),
        docs: Some("https://docs.example.com/errors/1010"),
        variant: Some("DuplicateName"),
        ..entry("1010", 409)
    };
    static DATABASE: Entry = entry("9001", 503);
    static AGAIN: Entry = Entry { type_name: "OtherError", ..entry("9001", 500) };
    static ODD: Entry = Entry {
        field: Some("a\"b\\c\n\u{2028}*/"),
        docs: Some("https://example.com/?q=\"</script>"),
        ..entry("odd:code-1.x_y", 400)
    };

    #[test]
    fn the_module_lists_each_code_once_sorted() {
        let module = typescript_of([&DATABASE, &AGAIN, &DUPLICATE]);
        assert!(module.contains("export type ErrorCode =\n  | \"1010\"\n  | \"9001\";\n"), "{module}");
        assert!(
            module.contains(
                "export const ERROR_CODES = {\n  \
                 \"1010\": { status: 409, field: \"name\", docs: \"https://docs.example.com/errors/1010\" },\n  \
                 \"9001\": { status: 503, field: null, docs: null },\n\
                 } as const satisfies { readonly [Code in ErrorCode]: ErrorCodeInfo };\n"
            ),
            "{module}"
        );
        assert_eq!(module, typescript_of([&DUPLICATE, &AGAIN, &DATABASE]), "independent of the order");
    }

    #[test]
    fn strings_are_json_literals() {
        let module = typescript_of([&ODD]);
        let line = module.lines().find(|line| line.starts_with("  \"odd:code-1.x_y\": ")).unwrap();
        assert_eq!(
            line,
            r#"  "odd:code-1.x_y": { status: 400, field: "a\"b\\c\n\u2028*/", docs: "https://example.com/?q=\"</script>" },"#
        );
        // Read back as JSON, each literal is the string it came from.
        let field = line.split("field: ").nth(1).unwrap().split(", docs: ").next().unwrap();
        assert_eq!(serde_json::from_str::<String>(field).unwrap(), ODD.field.unwrap());
    }

    #[test]
    fn no_code_is_the_empty_union() {
        let module = typescript_of([]);
        assert!(module.contains("export type ErrorCode = never;\n"), "{module}");
        assert!(module.contains("export const ERROR_CODES = {\n} as const"), "{module}");
        let schema: Value = serde_json::from_str(&json_schema_of([])).unwrap();
        assert_eq!(schema["$defs"]["ErrorCode"]["enum"], json!([]));
    }

    #[test]
    fn the_schema_enumerates_each_code_once_sorted() {
        let text = json_schema_of([&DATABASE, &AGAIN, &DUPLICATE, &ODD]);
        assert!(text.ends_with("}\n"));
        // Keys sorted, whatever serde_json's features: `$defs` first.
        assert!(text.starts_with("{\n  \"$defs\": {\n    \"Debug\": {\n"), "{text}");
        let schema: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert_eq!(schema["$defs"]["ErrorCode"]["enum"], json!(["1010", "9001", "odd:code-1.x_y"]));
        assert_eq!(schema["oneOf"], json!([{ "$ref": "#/$defs/ErrorBody" }, { "$ref": "#/$defs/Problem" }]));
        // Every reference resolves to a definition.
        let refs = text.lines().filter_map(|line| line.trim().strip_prefix("\"$ref\": \"#/$defs/"));
        for name in refs {
            let name = name.trim_end_matches([',', '"']);
            assert!(schema["$defs"].get(name).is_some(), "{name}");
        }
    }

    #[test]
    fn the_schema_lists_what_the_renderer_writes() {
        let schema: Value = serde_json::from_str(&json_schema_of([&DUPLICATE])).unwrap();
        let keys = |name: &str| -> Vec<String> {
            let mut keys: Vec<String> =
                schema["$defs"][name]["properties"].as_object().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        };
        assert_eq!(keys("ErrorObject"), ["debug", "details", "error_code", "field", "message"]);
        assert_eq!(keys("ProblemError"), ["debug", "detail", "details", "error_code", "field"]);
        assert_eq!(
            keys("Problem"),
            [
                "debug",
                "detail",
                "details",
                "error_code",
                "errors",
                "field",
                "instance",
                "status",
                "title",
                "type"
            ]
        );
        let required = &schema["$defs"]["Problem"]["required"];
        assert_eq!(*required, json!(["type", "title", "status", "detail", "error_code", "field", "details"]));
    }
}
