//! Rendering in the request's language: the language chosen once per
//! request (on the first error rendered), each message looked up by code,
//! the headers.

use std::cell::OnceCell;
use std::fmt::Write as _;

use fluent_bundle::{FluentArgs, FluentValue};

use super::{Language, Message, Piece, Translations};
use crate::json::StrWriter;
use crate::registry::Entry;
use crate::{ApiError, Config};

/// A request's `Accept-Language`, carried in its scope
/// ([`crate::request_id::Scope`]) and negotiated at most once, when the
/// first error is rendered (a success never reads it).
#[derive(Debug)]
pub(crate) struct RequestLanguage {
    header: http::HeaderValue,
    /// The translations negotiated against (by address) and the language
    /// chosen among them (`None`: the default).
    chosen: OnceCell<(usize, Option<usize>)>,
}

impl RequestLanguage {
    pub(crate) fn new(header: http::HeaderValue) -> Self {
        Self { header, chosen: OnceCell::new() }
    }

    /// The language of `translations` chosen for this request; negotiated
    /// once (again only if the request renders with other translations).
    fn chosen(&self, translations: &Translations) -> Option<usize> {
        let address = std::sync::Arc::as_ptr(&translations.0) as usize;
        let &(negotiated, chosen) =
            self.chosen.get_or_init(|| (address, translations.choose(self.header.as_bytes())));
        if negotiated == address {
            chosen
        } else {
            translations.choose(self.header.as_bytes())
        }
    }
}

/// The current request's language among `translations`, if one other than
/// the default was chosen.
fn current(translations: &Translations) -> Option<&Language> {
    let index = crate::request_id::with_language(|language| language?.chosen(translations))?;
    translations.language(index)
}

/// Writes `err`'s message, JSON-escaped, in the current request's language,
/// and says whether it did; `false` (nothing written): the caller writes
/// the default language's. Free for a configuration without translations.
#[inline]
pub(crate) fn write_message<E: ApiError + ?Sized>(
    err: &E,
    entry: &Entry,
    config: &Config,
    out: &mut Vec<u8>,
) -> bool {
    match config.translations() {
        None => false,
        Some(translations) => write_translated(err, entry, translations, out),
    }
}

#[inline(never)]
fn write_translated<E: ApiError + ?Sized>(
    err: &E,
    entry: &Entry,
    translations: &Translations,
    out: &mut Vec<u8>,
) -> bool {
    let Some(language) = current(translations) else { return false };
    let status = err.status().as_u16();
    // A code without a message of its own answers the generic message of
    // the status it is answered with: that status's translation when it is
    // not the entry's (a rewritten 418), else the code's, else the status's.
    let message = if entry.message.is_none() && status != entry.status {
        language.by_status.get(&status)
    } else {
        (language.by_entry.get(&super::address(entry)))
            .or_else(|| language.by_code.get(entry.code))
            .or_else(|| entry.message.is_none().then(|| language.by_status.get(&status)).flatten())
    };
    let start = out.len();
    if message.is_some_and(|message| write(language, message, err, out)) {
        return true;
    }
    out.truncate(start);
    missing(&language.tag, entry.code);
    false
}

/// Writes `message` with `err`'s arguments; `false` if an argument is
/// missing or Fluent reports an error (the caller drops what was written).
fn write<E: ApiError + ?Sized>(language: &Language, message: &Message, err: &E, out: &mut Vec<u8>) -> bool {
    match message {
        Message::Plain(text) => {
            out.extend_from_slice(text.as_bytes());
            true
        }
        Message::Pieces(pieces) => pieces.iter().all(|piece| match piece {
            Piece::Text(text) => {
                out.extend_from_slice(text.as_bytes());
                true
            }
            Piece::Var(name) => {
                let mut found = false;
                err.message_args(&mut |arg, value| {
                    if !found && arg == &**name {
                        found = write!(StrWriter(out), "{value}").is_ok();
                    }
                });
                found
            }
        }),
        Message::Fluent(id) => {
            let Some(pattern) = language.bundle.get_message(id).and_then(|message| message.value()) else {
                return false;
            };
            let mut values: Vec<(&'static str, String)> = Vec::new();
            err.message_args(&mut |arg, value| values.push((arg, value.to_string())));
            let mut args = FluentArgs::with_capacity(values.len());
            for (arg, value) in &values {
                args.set(*arg, FluentValue::try_number(value));
            }
            let mut errors = Vec::new();
            let written =
                language.bundle.write_pattern(&mut StrWriter(out), pattern, Some(&args), &mut errors);
            written.is_ok() && errors.is_empty()
        }
    }
}

/// A translation missing at run time: one `warn` per language and code.
fn missing(language: &str, code: &'static str) {
    #[cfg(feature = "tracing")]
    {
        static WARNED: crate::log::WarnOnce = crate::log::WarnOnce::new();
        if tracing::enabled!(target: "apierror::i18n", tracing::Level::WARN)
            && WARNED.first_time((language, code))
        {
            tracing::event!(
                target: "apierror::i18n",
                tracing::Level::WARN,
                error.code = code,
                language,
                "apierror: no `{}` translation of code `{}` (key `{}`): answered in the default language; \
                 `apierror::registry::verify_translations` lists every missing one",
                language,
                code,
                super::key_of(code),
            );
        }
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (language, code);
}

/// `Content-Language` (the language of the request, as negotiated) and
/// `Vary: Accept-Language` on an error response rendered with `config`,
/// when it has translations.
#[inline]
pub(crate) fn language_headers(response: &mut http::Response<Vec<u8>>, config: &Config) {
    if let Some(translations) = config.translations() {
        insert_language_headers(response.headers_mut(), translations);
    }
}

/// [`language_headers`]' work, out of line: the render without
/// translations is compiled as without the feature.
#[inline(never)]
fn insert_language_headers(headers: &mut http::HeaderMap, translations: &Translations) {
    let header = match current(translations) {
        Some(language) => &language.header,
        None => &translations.0.default_header,
    };
    headers.insert(http::header::CONTENT_LANGUAGE, header.clone());
    headers.append(http::header::VARY, http::HeaderValue::from_static("accept-language"));
}
