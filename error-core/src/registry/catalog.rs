//! The catalog of every code: Markdown for people, JSON for programs.

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::Entry;

/// Each language's message of an entry (`None`: not translated), for the
/// catalog's translated variants.
type Messages<'a> = Option<&'a dyn Fn(&Entry) -> BTreeMap<String, Option<String>>>;

/// The catalog of every code in the program as a Markdown table, sorted by
/// code.
///
/// Columns: code, status with its reason phrase, `Type::Variant`, request
/// field, production message (in italics when it is the generic message of
/// the status), and a link to the docs. The text is escaped so that any
/// message renders as written. Only crates linked into the program
/// contribute: see [the registry](super) on which crates those are.
///
/// ```
/// let table = apierror::registry::markdown();
/// assert!(table.starts_with("| Code | Status | Error | Field | Message | Docs |\n"));
/// ```
#[must_use]
pub fn markdown() -> String {
    markdown_of(super::entries(), None)
}

/// [`markdown`] with every language of `translations` (feature `i18n`):
/// the Message column has, under the production message, one line per
/// language, `**de**: …` (a template's variables written `{name}`, as in
/// the production message; `—` where the language has no translation and
/// the default language is answered).
///
/// ```
/// use apierror::{i18n::Translations, registry};
///
/// let translations = Translations::from_strings([("de", "")]).unwrap();
/// let table = registry::markdown_with(&translations);
/// let row = table.lines().find(|row| row.starts_with("| `apierror.not_found` |")).unwrap();
/// assert!(row.contains("<br>**de**: "), "{row}");
/// ```
#[cfg(feature = "i18n")]
#[cfg_attr(docsrs, doc(cfg(feature = "i18n")))]
#[must_use]
pub fn markdown_with(translations: &crate::i18n::Translations) -> String {
    markdown_of(super::entries(), Some(&|entry| translations.catalog_messages(entry)))
}

/// The catalog of every code in the program as a JSON array, sorted by code.
///
/// Each object has these keys, in this order: `code`, `status` (a number),
/// `reason` (the status's reason phrase, or `null`), `type`, `variant`
/// (`null` for a struct), `field` (or `null`), `message` (the production
/// message; a template's `{placeholders}` are left as written), `generic`
/// (`true` when `message` is the generic message of the status, because the
/// variant declares none) and `docs` (or `null`). Source locations are left
/// out: the catalog is meant to be published.
///
/// ```
/// let catalog: serde_json::Value = serde_json::from_str(&apierror::registry::json()).unwrap();
/// assert!(catalog.is_array());
/// ```
#[must_use]
pub fn json() -> String {
    json_of(super::entries(), None)
}

/// [`json`] with every language of `translations` (feature `i18n`): each
/// object has, after `message`, `messages`: an object of each language's
/// message by tag, sorted (a template's variables written `{name}`, as in
/// `message`; `null` where the language has no translation and the
/// default language is answered).
///
/// ```
/// use apierror::{i18n::Translations, registry};
///
/// let translations = Translations::from_strings([("de", "")]).unwrap();
/// let catalog: serde_json::Value = serde_json::from_str(&registry::json_with(&translations)).unwrap();
/// let entry = catalog.as_array().unwrap().iter().find(|e| e["code"] == "apierror.not_found").unwrap();
/// assert!(entry["messages"]["de"].is_string(), "{entry}");
/// ```
#[cfg(feature = "i18n")]
#[cfg_attr(docsrs, doc(cfg(feature = "i18n")))]
#[must_use]
pub fn json_with(translations: &crate::i18n::Translations) -> String {
    json_of(super::entries(), Some(&|entry| translations.catalog_messages(entry)))
}

/// The entries sorted by code; a code declared twice keeps a stable order.
pub(super) fn sorted<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Vec<&'a Entry> {
    let mut entries: Vec<&Entry> = entries.into_iter().collect();
    entries.sort_by_key(|e| (e.code, e.type_name, e.variant, e.module, e.file, e.line));
    entries
}

pub(super) fn markdown_of<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    messages: Messages<'_>,
) -> String {
    let mut out = String::from("| Code | Status | Error | Field | Message | Docs |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for entry in sorted(entries) {
        out.push_str("| ");
        out.push_str(&code_span(entry.code));
        out.push_str(" | ");
        out.push_str(&entry.status.to_string());
        if let Some(reason) = entry.status_code().canonical_reason().filter(|_| is_valid(entry.status)) {
            out.push(' ');
            out.push_str(reason);
        }
        out.push_str(" | ");
        out.push_str(&code_span(&entry.path().to_string()));
        out.push_str(" | ");
        if let Some(field) = entry.field {
            out.push_str(&code_span(field));
        }
        out.push_str(" | ");
        match entry.message {
            Some(message) => out.push_str(&escape(message)),
            None => {
                out.push('_');
                out.push_str(&escape(entry.production_message()));
                out.push('_');
            }
        }
        for (language, message) in messages.map(|messages| messages(entry)).unwrap_or_default() {
            out.push_str("<br>**");
            out.push_str(&escape(&language));
            out.push_str("**: ");
            out.push_str(message.as_deref().map_or("—".to_owned(), escape).as_str());
        }
        out.push_str(" | ");
        if let Some(docs) = entry.docs {
            out.push_str("[docs](<");
            out.push_str(
                &docs.replace('|', "%7C").replace('<', "%3C").replace('>', "%3E").replace(' ', "%20"),
            );
            out.push_str(">)");
        }
        out.push_str(" |\n");
    }
    out
}

pub(super) fn json_of<'a>(entries: impl IntoIterator<Item = &'a Entry>, messages: Messages<'_>) -> String {
    let entries: Vec<CatalogEntry<'_>> = sorted(entries)
        .into_iter()
        .map(|entry| CatalogEntry(entry, messages.map(|messages| messages(entry))))
        .collect();
    let mut json = serde_json::to_string_pretty(&entries)
        .unwrap_or_else(|_| unreachable!("the catalog has string keys and plain values"));
    json.push('\n');
    json
}

/// `status_code()` falls back to 500 for a status outside `100..=999`.
fn is_valid(status: u16) -> bool {
    http::StatusCode::from_u16(status).is_ok()
}

/// One entry as a catalog object, keys in a fixed order, with each
/// language's message when translated.
struct CatalogEntry<'a>(&'a Entry, Option<BTreeMap<String, Option<String>>>);

impl Serialize for CatalogEntry<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let entry = self.0;
        let reason = entry.status_code().canonical_reason().filter(|_| is_valid(entry.status));
        let mut object = serializer.serialize_struct("Entry", 9 + usize::from(self.1.is_some()))?;
        object.serialize_field("code", entry.code)?;
        object.serialize_field("status", &entry.status)?;
        object.serialize_field("reason", &reason)?;
        object.serialize_field("type", super::unraw(entry.type_name))?;
        object.serialize_field("variant", &entry.variant.map(super::unraw))?;
        object.serialize_field("field", &entry.field)?;
        object.serialize_field("message", entry.production_message())?;
        if let Some(messages) = &self.1 {
            object.serialize_field("messages", messages)?;
        }
        object.serialize_field("generic", &entry.message.is_none())?;
        object.serialize_field("docs", &entry.docs)?;
        object.end()
    }
}

/// Markdown text with every character that could start markup escaped, and
/// line breaks (which would end the table row) turned into spaces.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A Markdown code span showing `text` exactly: the fence is one backtick
/// longer than the longest run inside, and `|` is escaped for the table.
fn code_span(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    let text = text.replace(['\n', '\r'], " ").replace('|', "\\|");
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::LogLevel;

    const fn entry(code: &'static str, status: u16, variant: Option<&'static str>) -> Entry {
        Entry {
            code,
            status,
            type_name: "ColumnError",
            variant,
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
        message: Some("There is already a column with the same name."),
        field: Some("name"),
        docs: Some("https://docs.example.com/errors/1010"),
        ..entry("1010", 409, Some("DuplicateName"))
    };
    static DATABASE: Entry = entry("9001", 503, Some("Database"));
    static ODD: Entry = Entry {
        message: Some("A | pipe, <b>html</b>, *stars* and\na line break."),
        field: Some("a|b"),
        ..entry("`tick`", 499, None)
    };

    #[test]
    fn markdown_is_a_table_sorted_by_code() {
        assert_eq!(
            markdown_of([&DATABASE, &DUPLICATE], None),
            "| Code | Status | Error | Field | Message | Docs |\n\
             |---|---|---|---|---|---|\n\
             | `1010` | 409 Conflict | `ColumnError::DuplicateName` | `name` | There is already a column with the same name. | [docs](<https://docs.example.com/errors/1010>) |\n\
             | `9001` | 503 Service Unavailable | `ColumnError::Database` |  | _An unexpected error occurred. Please try again later._ |  |\n"
        );
    }

    #[test]
    fn markdown_escapes_what_would_break_the_table() {
        let table = markdown_of([&ODD], None);
        let row = table.lines().nth(2).unwrap();
        assert_eq!(
            row,
            "| `` `tick` `` | 499 | `ColumnError` | `a\\|b` | \
             A \\| pipe, \\<b\\>html\\</b\\>, \\*stars\\* and a line break. |  |"
        );
        assert_eq!(table.lines().count(), 3, "{table}");
    }

    #[test]
    fn json_has_the_same_facts_in_a_fixed_key_order() {
        let json = json_of([&DATABASE, &DUPLICATE], None);
        assert_eq!(
            json,
            r#"[
  {
    "code": "1010",
    "status": 409,
    "reason": "Conflict",
    "type": "ColumnError",
    "variant": "DuplicateName",
    "field": "name",
    "message": "There is already a column with the same name.",
    "generic": false,
    "docs": "https://docs.example.com/errors/1010"
  },
  {
    "code": "9001",
    "status": 503,
    "reason": "Service Unavailable",
    "type": "ColumnError",
    "variant": "Database",
    "field": null,
    "message": "An unexpected error occurred. Please try again later.",
    "generic": true,
    "docs": null
  }
]
"#
        );
    }

    #[test]
    fn raw_identifiers_are_shown_unraw() {
        static RAW: Entry = Entry { type_name: "r#Odd", ..entry("4200", 400, Some("r#Match")) };
        assert_eq!(RAW.path().to_string(), "Odd::Match");
        assert!(markdown_of([&RAW], None).contains("| `Odd::Match` |"));
        let json: serde_json::Value = serde_json::from_str(&json_of([&RAW], None)).unwrap();
        assert_eq!((&json[0]["type"], &json[0]["variant"]), (&"Odd".into(), &"Match".into()));
    }

    #[test]
    fn json_of_nothing_is_an_empty_array() {
        assert_eq!(json_of([], None), "[]\n");
        let odd: serde_json::Value = serde_json::from_str(&json_of([&ODD], None)).unwrap();
        assert_eq!(odd[0]["reason"], serde_json::Value::Null);
        assert_eq!(odd[0]["variant"], serde_json::Value::Null);
        assert_eq!(odd[0]["code"], "`tick`");
    }
}
