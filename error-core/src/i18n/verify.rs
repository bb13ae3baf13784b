//! [`crate::registry::verify_translations`]: every code in every language,
//! no key without a code.

use std::fmt;

use super::{key_of, Translations};

/// What [`verify_translations`](crate::registry::verify_translations)
/// found: every problem, each with its language and code or key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslationProblems {
    problems: Vec<TranslationProblem>,
}

/// One problem of [`TranslationProblems`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TranslationProblem {
    /// A registered code has no translation in `language` (neither its
    /// key, nor, for a code without a message of its own, its status's
    /// `status-NNN`).
    Missing {
        /// The language.
        language: String,
        /// The code.
        code: &'static str,
    },
    /// A message id of `language` is neither a registered code's key nor a
    /// `status-NNN`: a code that was renamed or removed, or a typo.
    UnknownKey {
        /// The language.
        language: String,
        /// The message id.
        key: String,
    },
}

impl TranslationProblems {
    /// Every problem: by language, then missing codes in the registry's
    /// order, then unknown keys.
    #[must_use]
    pub fn problems(&self) -> &[TranslationProblem] {
        &self.problems
    }
}

impl fmt::Display for TranslationProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "apierror: the translations are incomplete ({} problem(s))", self.problems.len())?;
        for problem in &self.problems {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

impl fmt::Display for TranslationProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing { language, code } => {
                write!(f, "{language}: code `{code}` has no translation; add `{} = …`", key_of(code))
            }
            Self::UnknownKey { language, key } => write!(
                f,
                "{language}: `{key}` is not the key of a registered code (key rule: `apierror::i18n::key_of`) nor `status-NNN`"
            ),
        }
    }
}

impl std::error::Error for TranslationProblems {}

/// See [`crate::registry::verify_translations`].
pub(crate) fn verify(translations: &Translations) -> Result<(), TranslationProblems> {
    let mut problems = Vec::new();
    for language in &translations.0.languages {
        let mut seen = std::collections::HashSet::new();
        for entry in crate::registry::entries().filter(|entry| seen.insert(entry.code)) {
            let translated = language.by_code.contains_key(entry.code)
                || (entry.message.is_none() && language.by_status.contains_key(&entry.status));
            if !translated {
                problems.push(TranslationProblem::Missing {
                    language: language.tag.to_string(),
                    code: entry.code,
                });
            }
        }
        for key in &language.unknown {
            problems.push(TranslationProblem::UnknownKey {
                language: language.tag.to_string(),
                key: key.clone(),
            });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(TranslationProblems { problems })
    }
}
