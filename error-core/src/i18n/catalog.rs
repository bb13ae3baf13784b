//! Each language's message of a code, for the catalog
//! ([`crate::registry::markdown_with`], [`crate::registry::json_with`]).

use std::collections::BTreeMap;

use fluent_bundle::{FluentArgs, FluentValue};

use super::{key_of, Language, Translations};
use crate::registry::Entry;

impl Translations {
    /// Each language's message of `entry`, by tag: a template as the
    /// production message writes one (each variable `{name}`); `None`
    /// where the language has none (answered in the default language).
    pub(crate) fn catalog_messages(&self, entry: &Entry) -> BTreeMap<String, Option<String>> {
        self.0
            .languages
            .iter()
            .map(|language| (language.tag.to_string(), template(language, entry)))
            .collect()
    }
}

/// `entry`'s message in `language`, as a render looks it up: the code's
/// own, else (for a code without a message of its own) its status's.
fn template(language: &Language, entry: &Entry) -> Option<String> {
    let id = if language.by_code.contains_key(entry.code) {
        key_of(entry.code)
    } else if entry.message.is_none() && language.by_status.contains_key(&entry.status) {
        format!("status-{}", entry.status)
    } else {
        return None;
    };
    let pattern = language.bundle.get_message(&id)?.value()?;
    let mut args = FluentArgs::with_capacity(entry.args.len());
    for &arg in entry.args {
        args.set(arg, FluentValue::from(format!("{{{arg}}}")));
    }
    let mut errors = Vec::new();
    Some(language.bundle.format_pattern(pattern, Some(&args), &mut errors).into_owned())
}
