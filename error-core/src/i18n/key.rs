//! The key rule: an error code as a Fluent message identifier, and back.
//!
//! A Fluent identifier is `[a-zA-Z][a-zA-Z0-9_-]*`; a code is
//! `[A-Za-z0-9._:-]+` and may start with a digit. The rule:
//!
//! 1. letters, digits and `_` stay; `.` becomes `--`, `-` becomes `-h`,
//!    `:` becomes `-c`;
//! 2. a code that starts with a digit or `_` gets the prefix `e-`; one that
//!    starts with `.`, `-` or `:` gets the prefix `e-x`;
//! 3. `status-NNN` (a three-digit status) is the generic message of that
//!    status: never a code's key, since rule 1 never writes `-` before a
//!    digit.
//!
//! Every code has one key and every key at most one code (a proptest below
//! round-trips every valid code).

/// The Fluent identifier of `code`, by the key rule: `1010` → `e-1010`,
/// `things.not_found` → `things--not_found`, `a-b:c` → `a-hb-cc`.
///
/// ```
/// use apierror::i18n::key_of;
/// assert_eq!(key_of("1010"), "e-1010");
/// assert_eq!(key_of("apierror.upstream.timeout"), "apierror--upstream--timeout");
/// assert_eq!(key_of("a-b:c"), "a-hb-cc");
/// assert_eq!(key_of(".x"), "e-x--x");
/// ```
#[must_use]
pub fn key_of(code: &str) -> String {
    let mut key = String::with_capacity(code.len() + 4);
    match code.bytes().next() {
        Some(b'0'..=b'9' | b'_') => key.push_str("e-"),
        Some(b'.' | b'-' | b':') => key.push_str("e-x"),
        _ => {}
    }
    for c in code.chars() {
        match c {
            '.' => key.push_str("--"),
            '-' => key.push_str("-h"),
            ':' => key.push_str("-c"),
            c => key.push(c),
        }
    }
    key
}

/// The code whose key is `key`, if `key` is one the key rule writes for a
/// valid code (`None` for `status-404` and for any other identifier).
///
/// ```
/// use apierror::i18n::code_of;
/// assert_eq!(code_of("e-1010").as_deref(), Some("1010"));
/// assert_eq!(code_of("things--not_found").as_deref(), Some("things.not_found"));
/// assert_eq!(code_of("status-404"), None);
/// assert_eq!(code_of("a-b"), None);
/// ```
#[must_use]
pub fn code_of(key: &str) -> Option<String> {
    // A key that starts with `e-` is a prefixed one, or the key of a code
    // that starts with `e` and a symbol (`e-1` is `e-h1`): the one whose
    // key it is.
    let candidates = [key.strip_prefix("e-x"), key.strip_prefix("e-"), Some(key)];
    candidates.into_iter().flatten().filter_map(decode).find(|code| key_of(code) == key)
}

/// Rule 1 undone: `--` → `.`, `-h` → `-`, `-c` → `:`.
fn decode(rest: &str) -> Option<String> {
    let mut code = String::with_capacity(rest.len());
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '_' => code.push(c),
            '-' => code.push(match chars.next()? {
                '-' => '.',
                'h' => '-',
                'c' => ':',
                _ => return None,
            }),
            _ => return None,
        }
    }
    (!code.is_empty()).then_some(code)
}

/// The status whose generic message `key` is (`status-404` → 404), for an
/// error status.
#[must_use]
pub(crate) fn status_of(key: &str) -> Option<u16> {
    let digits = key.strip_prefix("status-")?;
    if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let status: u16 = digits.parse().ok()?;
    crate::message::is_error_status(status).then_some(status)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A Fluent identifier.
    fn is_identifier(key: &str) -> bool {
        key.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    }

    proptest! {
        /// Every valid code's key is a Fluent identifier that decodes to
        /// the code, and is never a `status-NNN` key.
        #[test]
        fn every_code_round_trips(code in "[A-Za-z0-9._:-]{1,24}") {
            prop_assert!(crate::registry::is_valid_code(&code));
            let key = key_of(&code);
            prop_assert!(is_identifier(&key), "{key}");
            prop_assert_eq!(code_of(&key), Some(code.clone()));
            prop_assert_eq!(status_of(&key), None);
        }

        /// Two codes never share a key (injective), and every identifier
        /// that decodes is the key of what it decodes to (no second key of
        /// one code).
        #[test]
        fn keys_are_injective(a in "[A-Za-z0-9._:-]{1,8}", b in "[A-Za-z0-9._:-]{1,8}", key in "[a-zA-Z][a-zA-Z0-9_-]{0,12}") {
            prop_assert_eq!(key_of(&a) == key_of(&b), a == b);
            if let Some(code) = code_of(&key) {
                prop_assert_eq!(key_of(&code), key);
            }
        }
    }

    #[test]
    fn the_documented_examples() {
        for (code, key) in [
            ("1010", "e-1010"),
            ("things.not_found", "things--not_found"),
            ("apierror.upstream.timeout", "apierror--upstream--timeout"),
            ("a-b:c", "a-hb-cc"),
            ("_x", "e-_x"),
            (":x", "e-x-cx"),
            ("e-1", "e-h1"),
        ] {
            assert_eq!(key_of(code), key);
            assert_eq!(code_of(key).as_deref(), Some(code));
        }
        assert_eq!(status_of("status-404"), Some(404));
        assert_eq!(status_of("status-200"), None);
        assert_eq!(status_of("status-4040"), None);
        assert_eq!(code_of("status-404"), None);
    }
}
