//! Messages in the client's language (feature `i18n`): see the guide's
//! [languages](crate#languages) section.
//!
//! [`Translations`] are Fluent (`.ftl`) files keyed by code, loaded once at
//! start-up and given to [`Config::with_translations`]; per request, the
//! framework layers negotiate `Accept-Language` against them and the
//! error's `message` (the problem's `detail`) is rendered in the language
//! chosen. `error_code`, `field`, `details`, `debug` and the problem's
//! `title` never change.

mod catalog;
mod key;
mod load;
mod negotiate;
mod render;
#[cfg(test)]
mod tests;
mod verify;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::FluentResource;

pub use self::key::{code_of, key_of};
pub use self::load::{LoadError, LoadProblem};
pub(crate) use self::render::{language_headers, write_message, RequestLanguage};
pub(crate) use self::verify::verify;
pub use self::verify::{TranslationProblem, TranslationProblems};
use crate::Config;

/// The library's own translations of its built-in codes and of the generic
/// message of every status, in the languages it ships: added under a
/// team's file of the same language (the team's messages override them).
const BUILTIN: &[(&str, &str)] =
    &[("en", include_str!("../../locales/en.ftl")), ("de", include_str!("../../locales/de.ftl"))];

/// The translations of a program's error messages, by language: built once
/// at start-up, then given to [`Config::with_translations`] (cheap to
/// clone: shared).
///
/// Each language is Fluent source (`.ftl`) whose message ids are the codes'
/// keys ([`key_of`]: `1010` is `e-1010`, `things.not_found` is
/// `things--not_found`) and `status-NNN` for the generic message of a
/// status. A translation may use as variables (`{ $given }`) only the
/// fields the code's production message interpolates ([`Entry::args`](crate::Entry::args));
/// another variable is refused here, as is a file that does not parse.
/// The library's own translations of the `apierror.*` codes and the
/// generic messages (English and German) are added under a team's file of
/// the same language.
///
/// ```
/// use apierror::i18n::Translations;
///
/// let translations = Translations::from_strings([
///     ("de", "status-404 = Nicht gefunden.\n"),
///     ("fr", "status-404 = Introuvable.\n"),
/// ])
/// .expect("the translations load");
/// assert_eq!(translations.languages().collect::<Vec<_>>(), ["de", "fr"]);
/// assert_eq!(translations.negotiate("fr-CH, de;q=0.5"), "fr");
/// assert_eq!(translations.negotiate("it"), "en");
/// ```
#[derive(Clone)]
pub struct Translations(Arc<Inner>);

struct Inner {
    /// The language of the `message` attributes.
    default: Box<str>,
    default_header: http::HeaderValue,
    languages: Vec<Language>,
}

/// One loaded language.
pub(crate) struct Language {
    tag: Box<str>,
    header: http::HeaderValue,
    bundle: FluentBundle<FluentResource>,
    /// Each translated code's message.
    by_code: HashMap<Box<str>, Message>,
    /// The same, by the [`address`] of each registered entry of the code.
    by_entry: HashMap<usize, Message, Fast>,
    /// Each translated status's generic message.
    by_status: HashMap<u16, Message, Fast>,
    /// The message ids that are neither a registered code's key nor a
    /// status's, for [`crate::registry::verify_translations`].
    unknown: Vec<String>,
}

/// An entry's address: the key a render looks its message up by.
fn address(entry: &crate::Entry) -> usize {
    std::ptr::from_ref(entry) as usize
}

/// The hasher of the maps keyed by an address or a status: a multiply and
/// a fold (their keys are the program's own, not a client's, so no
/// flooding to resist), a fraction of SipHash's cost on every translated
/// render.
type Fast = std::hash::BuildHasherDefault<FastHasher>;

#[derive(Default)]
pub(crate) struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        let product = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        // The high bits mixed into the low ones, which the table indexes by.
        self.0 = product ^ (product >> 29);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A message, compiled for rendering.
#[derive(Clone)]
pub(crate) enum Message {
    /// Text without a placeable, JSON-escaped: copied into the body.
    Plain(Box<str>),
    /// Text and variables only: written piece by piece.
    Pieces(Vec<Piece>),
    /// Anything else (selectors, functions, terms, references): Fluent's
    /// resolver, for the message of this id.
    Fluent(Box<str>),
}

/// A piece of [`Message::Pieces`].
#[derive(Clone)]
pub(crate) enum Piece {
    /// JSON-escaped.
    Text(Box<str>),
    Var(Box<str>),
}

impl Translations {
    /// Starts a set of translations with the default language `en`.
    pub fn builder() -> Builder {
        Builder { default: "en".to_owned(), sources: Vec::new() }
    }

    /// The translations of `(language, Fluent source)` pairs, e.g. from
    /// `include_str!`: `[("de", include_str!("../locales/de.ftl"))]`.
    ///
    /// # Errors
    ///
    /// [`LoadError`]: a source that does not parse, a translation that uses
    /// a variable its code's message does not interpolate, a language tag
    /// that is not one; each named by file (`de.ftl`), line and message id.
    pub fn from_strings<L: Into<String>, S: Into<String>>(
        sources: impl IntoIterator<Item = (L, S)>,
    ) -> Result<Self, LoadError> {
        sources.into_iter().fold(Self::builder(), |builder, (lang, source)| builder.add(lang, source)).build()
    }

    /// The translations in the folder `path`: each file `<language>.ftl`
    /// (`de.ftl`, `pt-BR.ftl`) is that language; other files are ignored.
    ///
    /// # Errors
    ///
    /// [`LoadError`]: the folder or a file cannot be read, or as
    /// [`from_strings`](Self::from_strings).
    pub fn from_folder(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        Self::builder().folder(path)?.build()
    }

    /// The loaded languages' tags, in the order added.
    pub fn languages(&self) -> impl Iterator<Item = &str> + '_ {
        self.0.languages.iter().map(|language| &*language.tag)
    }

    /// The default language: that of the `message` attributes (`en` unless
    /// [`Builder::default_language`] says otherwise).
    #[must_use]
    pub fn default_language(&self) -> &str {
        &self.0.default
    }

    /// The language a request with this `Accept-Language` value is
    /// answered in (RFC 4647 lookup; the default language when nothing
    /// matches or the value is malformed), as the framework layers choose
    /// it.
    #[must_use]
    pub fn negotiate(&self, accept_language: &str) -> &str {
        match self.choose(accept_language.as_bytes()) {
            Some(index) => &self.0.languages[index].tag,
            None => &self.0.default,
        }
    }

    /// The index of the language chosen for `accept_language`; `None`:
    /// the default.
    fn choose(&self, accept_language: &[u8]) -> Option<usize> {
        negotiate::negotiate(accept_language, &self.0.languages, &self.0.default)
    }

    /// The language at `index`.
    fn language(&self, index: usize) -> Option<&Language> {
        self.0.languages.get(index)
    }
}

impl AsRef<str> for Language {
    fn as_ref(&self) -> &str {
        &self.tag
    }
}

impl fmt::Debug for Translations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Translations")
            .field("default", &self.0.default)
            .field("languages", &self.languages().collect::<Vec<_>>())
            .finish()
    }
}

/// One set is equal only to itself (or a clone of it): what
/// [`Config`]'s equality compares.
impl PartialEq for Translations {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Translations {}

/// Builds [`Translations`]; made by [`Translations::builder`].
///
/// ```
/// use apierror::i18n::Translations;
///
/// let translations = Translations::builder()
///     .default_language("en")
///     .add("de", "status-404 = Nicht gefunden.")
///     .build()
///     .expect("the translations load");
/// assert_eq!(translations.negotiate("de-AT"), "de");
/// ```
#[derive(Debug)]
#[must_use = "`build()` returns the translations"]
pub struct Builder {
    default: String,
    /// `(language, file name, source)`, in order.
    sources: Vec<(String, String, String)>,
}

impl Builder {
    /// The language of the `message` attributes, sent as
    /// `Content-Language` when no translation is chosen (default `en`).
    pub fn default_language(mut self, tag: impl Into<String>) -> Self {
        self.default = tag.into();
        self
    }

    /// Adds Fluent `source` to the language `tag` (a later source's
    /// message overrides an earlier one's).
    pub fn add(mut self, tag: impl Into<String>, source: impl Into<String>) -> Self {
        let tag = tag.into();
        let file = format!("{tag}.ftl");
        self.sources.push((tag, file, source.into()));
        self
    }

    /// Adds every `<language>.ftl` file of the folder `path`.
    ///
    /// # Errors
    ///
    /// [`LoadError`] when the folder or one of its `.ftl` files cannot be
    /// read.
    pub fn folder(mut self, path: impl AsRef<Path>) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let unreadable = |file: &Path, error: std::io::Error| {
            LoadError::new(vec![load::problem(&file.display().to_string(), 0, None, error.to_string())])
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(path).map_err(|error| unreadable(path, error))? {
            let file = entry.map_err(|error| unreadable(path, error))?.path();
            if file.extension().is_some_and(|extension| extension == "ftl") {
                files.push(file);
            }
        }
        files.sort();
        for file in files {
            let Some(tag) = file.file_stem().and_then(|stem| stem.to_str()).map(str::to_owned) else {
                continue;
            };
            let source = std::fs::read_to_string(&file).map_err(|error| unreadable(&file, error))?;
            self.sources.push((tag, file.display().to_string(), source));
        }
        Ok(self)
    }

    /// The translations.
    ///
    /// # Errors
    ///
    /// [`LoadError`], listing every problem of every source.
    pub fn build(self) -> Result<Translations, LoadError> {
        let mut problems = Vec::new();
        let default_header =
            well_formed_tag(&self.default).then(|| http::HeaderValue::from_str(&self.default).ok()).flatten();
        let Some(default_header) = default_header else {
            let message = format!("the default language `{}` is not a language tag", self.default);
            return Err(LoadError::new(vec![load::problem("", 0, None, message)]));
        };
        let mut order: Vec<String> = Vec::new();
        for (tag, ..) in &self.sources {
            if !order.iter().any(|known| known.eq_ignore_ascii_case(tag)) {
                order.push(tag.clone());
            }
        }
        let mut sources = self.sources;
        let mut languages = Vec::new();
        for tag in order {
            let mut of_tag = Vec::new();
            if let Some((_, builtin)) = BUILTIN.iter().find(|(builtin, _)| builtin.eq_ignore_ascii_case(&tag))
            {
                of_tag.push(load::Source {
                    file: format!("apierror/locales/{tag}.ftl"),
                    text: (*builtin).to_owned(),
                });
            }
            let (mine, rest): (Vec<_>, Vec<_>) =
                sources.into_iter().partition(|(other, ..)| other.eq_ignore_ascii_case(&tag));
            sources = rest;
            of_tag.extend(mine.into_iter().map(|(_, file, text)| load::Source { file, text }));
            if !well_formed_tag(&tag) {
                problems.push(load::problem(
                    &format!("{tag}.ftl"),
                    0,
                    None,
                    format!("`{tag}` is not a language tag"),
                ));
                continue;
            }
            if let Some(language) = load::language(&tag, of_tag, &mut problems) {
                languages.push(language);
            }
        }
        if !problems.is_empty() {
            return Err(LoadError::new(problems));
        }
        Ok(Translations(Arc::new(Inner { default: self.default.into(), default_header, languages })))
    }
}

/// Whether `tag` is a language tag as `Accept-Language` ranges write them:
/// `de`, `pt-BR`, `zh-Hant-TW` (at most 35 bytes).
fn well_formed_tag(tag: &str) -> bool {
    tag.len() <= 35
        && tag.split('-').enumerate().all(|(i, subtag)| {
            (1..=8).contains(&subtag.len())
                && subtag.bytes().all(|b| {
                    if i == 0 {
                        b.is_ascii_alphabetic()
                    } else {
                        b.is_ascii_alphanumeric()
                    }
                })
        })
}

impl Config {
    /// Renders error messages in the client's language: the framework
    /// layers negotiate each request's `Accept-Language` against
    /// `translations` (once, when an error is rendered), render the
    /// array's `message` and the problem's `detail` in the language chosen,
    /// and answer `Content-Language` and `Vary: Accept-Language` on every
    /// error response. Feature `i18n`.
    ///
    /// ```
    /// use apierror::{i18n::Translations, Config};
    ///
    /// let translations = Translations::from_strings([("de", "status-404 = Nicht gefunden.")]).unwrap();
    /// let config = Config::production().with_translations(translations);
    /// assert_eq!(config.translations().unwrap().default_language(), "en");
    /// ```
    #[must_use]
    pub fn with_translations(mut self, translations: Translations) -> Self {
        self.translations = Some(translations);
        self
    }

    /// The translations given to [`with_translations`](Self::with_translations), if any.
    #[must_use]
    pub fn translations(&self) -> Option<&Translations> {
        self.translations.as_ref()
    }
}

/// Runs `f` as a request that sent `accept_language` as its
/// `Accept-Language`: inside, what renders with a configuration that has
/// [`Translations`] answers in the language they negotiate for it. What
/// the framework layers do for every request; for code outside them (a
/// job, a test).
///
/// ```
/// use apierror::{ApiError, ApiErrorExt, Config, i18n::{self, Translations}};
///
/// #[derive(Debug, thiserror::Error, ApiError)]
/// #[error("no such thing")]
/// #[api(status = 404, code = "i18n-scope-doc-1", message = "There is no such thing.")]
/// struct Missing;
///
/// let translations = Translations::from_strings([("de", "i18n-hscope-hdoc-h1 = Das gibt es nicht.")]).unwrap();
/// let config = Config::production().with_translations(translations);
/// let response = i18n::with_accept_language("de-CH, en;q=0.5", || Missing.to_response_with(&config));
/// assert_eq!(response.headers()["content-language"], "de");
/// assert!(std::str::from_utf8(response.body()).unwrap().contains("Das gibt es nicht."));
/// ```
pub fn with_accept_language<R>(accept_language: &str, f: impl FnOnce() -> R) -> R {
    let header = http::HeaderValue::from_str(accept_language).ok();
    let language = header.map(RequestLanguage::new);
    crate::request_id::Scope { language, ..Default::default() }.enter(f)
}
