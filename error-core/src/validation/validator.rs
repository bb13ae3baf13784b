//! `validator::ValidationErrors` → [`Errors`].

use std::borrow::Cow;

use validator::{ValidationError, ValidationErrors, ValidationErrorsKind};

use super::{index, Collector, Limits, Rule};
use crate::Errors;

/// The key validator files a struct-level (`schema`) violation under.
const STRUCT_LEVEL: &str = "__all__";

/// The key validator files a list's items under when the list is validated
/// on its own (`Vec<T>: Validate`, a top-level `Valid<Json<Vec<T>>>`, the
/// inner list of a `Vec<Vec<T>>`): not a field of the client's, so the
/// path goes on with the index (`[0].name`, `grid[1][0].name`).
const LIST: &str = "_tmp_validator";

/// Every violation, one object each, with the options of the request being
/// served ([`Config::validation`](crate::Config::validation)): see the
/// [module documentation](super).
impl From<ValidationErrors> for Errors {
    fn from(errors: ValidationErrors) -> Self {
        super::options().validator_errors(&errors)
    }
}

/// As `From<ValidationErrors>`.
impl From<&ValidationErrors> for Errors {
    fn from(errors: &ValidationErrors) -> Self {
        super::options().validator_errors(errors)
    }
}

/// Walks `errors`, depth first, keys sorted (validator keeps them in a
/// `HashMap`: the body's order is stable this way).
pub(super) fn collect(errors: &ValidationErrors, out: &mut Collector<'_>) {
    let mut path = String::with_capacity(32);
    walk(errors, &mut path, out);
}

/// Keys of one struct sorted on the stack, without a `Vec`, up to this many.
const KEYS_ON_STACK: usize = 8;

fn walk(errors: &ValidationErrors, path: &mut String, out: &mut Collector<'_>) {
    type Key<'e> = (&'e Cow<'static, str>, &'e ValidationErrorsKind);
    let map = errors.errors();
    let mut iter = map.iter();
    let Some(first) = iter.next() else { return };
    // A struct rarely has more than a few invalid fields: sort them in an
    // array (filled with the first key, then overwritten) rather than
    // allocating a `Vec` per nested struct and list item.
    let mut small: [Key<'_>; KEYS_ON_STACK] = [first; KEYS_ON_STACK];
    let mut large: Vec<Key<'_>>;
    let keys: &mut [Key<'_>] = if map.len() <= KEYS_ON_STACK {
        for (slot, key) in small[1..].iter_mut().zip(iter) {
            *slot = key;
        }
        &mut small[..map.len()]
    } else {
        large = map.iter().collect();
        &mut large
    };
    // Most structs have one or two invalid fields: no sort call for those.
    match keys {
        [] | [_] => {}
        [a, b] => {
            if a.0 > b.0 {
                std::mem::swap(a, b);
            }
        }
        _ => keys.sort_unstable_by(|a, b| a.0.cmp(b.0)),
    }
    let len = path.len();
    for &(key, kind) in &*keys {
        // Not a segment: a struct-level violation is about the struct
        // itself (its path, `null` at the root); a list validated on its
        // own is its items.
        let internal = key == STRUCT_LEVEL || matches!(kind, ValidationErrorsKind::List(_)) && key == LIST;
        if !internal {
            out.key(path, key);
        }
        match kind {
            ValidationErrorsKind::Field(list) => {
                for error in list {
                    let field = (!path.is_empty()).then_some(path.as_str());
                    violation(error, field, out);
                }
            }
            ValidationErrorsKind::Struct(inner) => walk(inner, path, out),
            ValidationErrorsKind::List(items) => {
                let at = path.len();
                for (i, inner) in items {
                    if out.full() {
                        // Count what is left without building paths.
                        out.omitted += count(inner);
                        continue;
                    }
                    index(path, *i);
                    walk(inner, path, out);
                    path.truncate(at);
                }
            }
        }
        path.truncate(len);
    }
}

/// About how many violations `errors` holds, from its top level and the
/// first item of each list, without walking it all: what the `Errors` is
/// reserved for (exact for a list of alike items; a miss only grows it).
pub(super) fn estimate(errors: &ValidationErrors) -> usize {
    errors
        .errors()
        .values()
        .map(|kind| match kind {
            ValidationErrorsKind::Field(list) => list.len(),
            ValidationErrorsKind::Struct(inner) => inner.errors().len(),
            ValidationErrorsKind::List(items) => {
                items.len().saturating_mul(items.values().next().map_or(0, |first| first.errors().len()))
            }
        })
        .fold(0, usize::saturating_add)
}

/// How many violations `errors` holds.
pub(super) fn count(errors: &ValidationErrors) -> usize {
    errors
        .errors()
        .values()
        .map(|kind| match kind {
            ValidationErrorsKind::Field(list) => list.len(),
            ValidationErrorsKind::Struct(inner) => count(inner),
            ValidationErrorsKind::List(items) => items.values().map(|inner| count(inner)).sum(),
        })
        .sum()
}

fn violation(error: &ValidationError, field: Option<&str>, out: &mut Collector<'_>) {
    let rule = match &*error.code {
        "length" => Ok(Rule::Length),
        "range" => Ok(Rule::Range),
        "email" => Ok(Rule::Email),
        "url" => Ok(Rule::Url),
        "must_match" => Ok(Rule::MustMatch),
        "regex" => Ok(Rule::Regex),
        "contains" => Ok(Rule::Contains),
        "does_not_contain" => Ok(Rule::DoesNotContain),
        "credit_card" => Ok(Rule::CreditCard),
        "ip" => Ok(Rule::Ip),
        "non_control_character" => Ok(Rule::NonControlCharacter),
        "required" => Ok(Rule::Required),
        code => Err(code),
    };
    // Only a `&'static str` message is the team's declared text (the
    // derive's `message = "…"`); a formatted one may hold the value.
    let message = match &error.message {
        Some(Cow::Borrowed(message)) => Some(*message),
        _ => None,
    };
    // Allow-listed, numeric only: never `value`, `other`, `needle`, or
    // anything else validator or a custom function put in `params`. One
    // pass over the few params (no hashing of the three names).
    let mut limits = Limits::default();
    for (name, value) in &error.params {
        let serde_json::Value::Number(number) = value else { continue };
        let slot = match &**name {
            "min" => &mut limits.min,
            "max" => &mut limits.max,
            "equal" => &mut limits.equal,
            _ => continue,
        };
        *slot = Some(number.clone());
    }
    out.push(rule, field, message, limits);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields of a struct are in name order whatever order validator's
    /// `HashMap` holds them in (each map hashes with its own keys, so many
    /// reports see many orders), for one, two (no sort call) and more keys.
    #[test]
    fn fields_in_name_order_whatever_the_maps_order() {
        let names = ["zeta", "alpha", "mid", "beta"];
        for keys in 1..=names.len() {
            let mut expected: Vec<&str> = names[..keys].to_vec();
            expected.sort_unstable();
            for _ in 0..64 {
                let mut report = ValidationErrors::new();
                for name in &names[..keys] {
                    report.add(name, ValidationError::new("length"));
                }
                let errors = crate::validation::Options::new().validator_errors(&report);
                let fields: Vec<&str> = errors.iter().map(|error| error.field().unwrap()).collect();
                assert_eq!(fields, expected);
                assert_eq!(estimate(&report), keys);
            }
        }
    }
}
