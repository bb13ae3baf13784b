//! The warning about a team's code the registry does not know.

use std::sync::Mutex;

#[cfg(feature = "tracing")]
use super::Rule;

/// The codes already warned about, and [`FREE_TEXT`] once a rule answered
/// free text; bounded.
static WARNED: Mutex<Vec<Box<str>>> = Mutex::new(Vec::new());

/// Distinct unknown codes warned about at most.
const MAX_WARNED: usize = 32;

/// Longest code quoted in a warning (a code may be built at run time).
const MAX_CODE_IN_LOG: usize = 64;

/// What every message that is not code-shaped is remembered as: one rule,
/// "a custom rule answered free text", however many texts (never a valid
/// code: empty).
const FREE_TEXT: &str = "";

/// Warns once per process about a custom rule's code the registry does not
/// know: once per code, for the first [`MAX_WARNED`] codes. A message that
/// is not code-shaped (garde's custom rules answer any text, which may
/// quote the value or vary per request) is not a code: all of them count as
/// one rule, warned about once, the text not logged, so that varying texts
/// do not fill the slots of the codes a team has to declare.
pub(super) fn warn_unknown_code(code: &str, field: Option<&str>) {
    let free_text = !crate::registry::is_valid_code(code);
    // A code is ASCII: cut at a byte.
    let code = if free_text { FREE_TEXT } else { &code[..code.len().min(MAX_CODE_IN_LOG)] };
    let Ok(mut warned) = WARNED.lock() else { return };
    if warned.len() >= MAX_WARNED || warned.iter().any(|known| &**known == code) {
        return;
    }
    warned.push(code.into());
    drop(warned);
    #[cfg(feature = "tracing")]
    if free_text {
        ::tracing::warn!(
            error.code = Rule::Custom.entry().code,
            validation.field = %crate::log::Text(crate::bound::head(field.unwrap_or_default(), crate::bound::MAX_FIELD)),
            "a custom validation rule answered a message that is not an error code (not logged: it may \
             quote the value), so clients get `apierror.validation.custom`: return a code from the rule \
             (e.g. garde::Error::new(\"orders.sku_unknown\")) and declare it on one of your error types \
             (e.g. #[api(status = 400, code = \"orders.sku_unknown\", message = \"…\")]); warned once for all such messages",
        );
    } else {
        ::tracing::warn!(
            error.code = Rule::Custom.entry().code,
            validation.code = %code,
            "a validation rule's code {:?} is not in the registry, so clients get `apierror.validation.custom`: \
             declare it on one of your error types (e.g. #[api(status = 400, code = \"{}\", message = \"…\")])",
            code,
            code,
        );
    }
    #[cfg(not(feature = "tracing"))]
    let _ = field;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_are_remembered_boundedly() {
        for i in 0..100 {
            warn_unknown_code(&format!("unit-unknown-{i}"), None);
        }
        warn_unknown_code(&"x".repeat(10_000), None);
        assert!(WARNED.lock().unwrap().len() <= MAX_WARNED);
        assert!(WARNED.lock().unwrap().iter().all(|code| code.len() <= MAX_CODE_IN_LOG));
    }

    /// Issue 18 item 3: free texts are one rule, not one slot each.
    #[test]
    fn free_texts_are_one_rule() {
        for i in 0..40 {
            warn_unknown_code(&format!("rejected value {i}"), Some("name"));
            warn_unknown_code(&format!("unit-free-{i} \u{e9}"), None);
        }
        let warned = WARNED.lock().unwrap();
        assert!(warned.iter().all(|code| !code.contains(' ')), "{warned:?}");
        assert!(warned.iter().filter(|code| code.is_empty()).count() <= 1);
    }
}
