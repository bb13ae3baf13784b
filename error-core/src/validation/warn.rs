//! The warning about a team's code the registry does not know.

use std::sync::Mutex;

use super::Rule;

/// The codes already warned about; bounded.
static WARNED: Mutex<Vec<Box<str>>> = Mutex::new(Vec::new());

/// Distinct unknown codes warned about at most.
const MAX_WARNED: usize = 32;

/// Longest code quoted in a warning (a code may be built at run time).
const MAX_CODE_IN_LOG: usize = 64;

/// Warns once per process about a custom rule code the registry does not
/// know (once per code, for the first [`MAX_WARNED`] codes).
pub(super) fn warn_unknown_code(code: &str) {
    let code = match code.char_indices().nth(MAX_CODE_IN_LOG) {
        Some((cut, _)) => &code[..cut],
        None => code,
    };
    let Ok(mut warned) = WARNED.lock() else { return };
    if warned.len() >= MAX_WARNED || warned.iter().any(|known| &**known == code) {
        return;
    }
    warned.push(code.into());
    drop(warned);
    #[cfg(feature = "tracing")]
    ::tracing::warn!(
        error.code = Rule::Custom.entry().code,
        validation.code = %code.escape_debug(),
        "a validation rule's code {:?} is not in the registry, so clients get `apierror.validation.custom`: \
         declare it on one of your error types (e.g. #[api(status = 400, code = \"{}\", message = \"…\")])",
        code,
        code.escape_debug(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_are_remembered_boundedly() {
        for i in 0..100 {
            warn_unknown_code(&format!("unit-unknown-{i}"));
        }
        warn_unknown_code(&"x".repeat(10_000));
        assert!(WARNED.lock().unwrap().len() <= MAX_WARNED);
        assert!(WARNED.lock().unwrap().iter().all(|code| code.len() <= MAX_CODE_IN_LOG));
    }
}
