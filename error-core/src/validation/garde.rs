//! `garde::Report` → [`Errors`].
//!
//! garde's errors are English sentences (its default `I18n`), with no code:
//! the rule is recognised by the sentence's fixed beginning, and only the
//! numeric limit of a `length` or `range` rule is kept. A custom rule's
//! error whose message is a code the registry knows is answered with that
//! code; any other message is `apierror.validation.custom`. The sentence
//! itself is never sent (a custom one may quote the value).

use garde::error::Kind;
use garde::Report;

use super::{Collector, Limits, Rule};
use crate::Errors;

/// Every violation, one object each, with the options of the request being
/// served ([`Config::validation`](crate::Config::validation)): see the
/// [module documentation](super).
impl From<Report> for Errors {
    fn from(report: Report) -> Self {
        super::options().garde_report(&report)
    }
}

/// As `From<Report>`.
impl From<&Report> for Errors {
    fn from(report: &Report) -> Self {
        super::options().garde_report(report)
    }
}

pub(super) fn collect(report: &Report, out: &mut Collector<'_>) {
    let mut path = String::new();
    for (at, error) in report.iter() {
        if out.full() {
            out.omitted += 1;
            continue;
        }
        path.clear();
        // `__iter` goes from the leaf up; `Display` reverses it the same way.
        for (kind, component) in at.__iter().rev() {
            match kind {
                Kind::Key => out.bounded_key(&mut path, component),
                Kind::Index => super::index(&mut path, component.parse().unwrap_or(0)),
                Kind::None => {}
            }
        }
        let field = (!path.is_empty()).then_some(path.as_str());
        let (rule, limits) = classify(error.message());
        out.push(rule, field, None, limits);
    }
}

/// The rule and its limits, from garde's default English message.
fn classify(message: &str) -> (Result<Rule, &str>, Limits) {
    let limit = |rest: &str| -> Option<serde_json::Number> {
        let rest = rest.trim();
        if let Ok(n) = rest.parse::<i64>() {
            return Some(n.into());
        }
        if let Ok(n) = rest.parse::<u64>() {
            return Some(n.into());
        }
        rest.parse::<f64>().ok().and_then(serde_json::Number::from_f64)
    };
    let starts = |prefix: &str| message.starts_with(prefix);
    let none = Limits::default();
    if let Some(rest) = message.strip_prefix("length is lower than ") {
        return (Ok(Rule::Length), Limits { min: limit(rest), ..none });
    }
    if let Some(rest) = message.strip_prefix("length is greater than ") {
        return (Ok(Rule::Length), Limits { max: limit(rest), ..none });
    }
    if let Some(rest) = message.strip_prefix("lower than ") {
        return (Ok(Rule::Range), Limits { min: limit(rest), ..none });
    }
    if let Some(rest) = message.strip_prefix("greater than ") {
        return (Ok(Rule::Range), Limits { max: limit(rest), ..none });
    }
    let rule = if starts("not a valid email") {
        Rule::Email
    } else if starts("not a valid url") {
        Rule::Url
    } else if starts("not a valid credit card number") {
        Rule::CreditCard
    } else if starts("not a valid phone number") {
        Rule::PhoneNumber
    } else if starts("not a valid ") && message.ends_with(" address") {
        Rule::Ip
    } else if starts("does not match pattern /") {
        Rule::Regex
    } else if starts("does not match ") && message.ends_with(" field") {
        Rule::MustMatch
    } else if starts("does not contain \"") {
        Rule::Contains
    } else if starts("value does not begin with \"") {
        Rule::Prefix
    } else if starts("does not end with \"") {
        Rule::Suffix
    } else {
        match message {
            "not ascii" => Rule::Ascii,
            "not alphanumeric" => Rule::Alphanumeric,
            "not set" => Rule::Required,
            // A custom rule: its message is the team's code, or free text.
            other => return (Err(other), none),
        }
    };
    (Ok(rule), none)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garde_default_messages_are_recognised() {
        let rule = |message: &str| classify(message).0.ok();
        assert_eq!(rule("length is lower than 3"), Some(Rule::Length));
        assert_eq!(classify("length is greater than 10").1.max, Some(10.into()));
        assert_eq!(classify("lower than 1").1.min, Some(1.into()));
        assert_eq!(classify("greater than 5.5").1.max, serde_json::Number::from_f64(5.5));
        assert_eq!(rule("not a valid email: value is missing `@`"), Some(Rule::Email));
        assert_eq!(rule("not a valid IPv4 address"), Some(Rule::Ip));
        assert_eq!(rule("does not match password field"), Some(Rule::MustMatch));
        assert_eq!(rule("does not match pattern /^a$/"), Some(Rule::Regex));
        assert_eq!(rule("not set"), Some(Rule::Required));
        assert_eq!(classify("my-team.code").0, Err("my-team.code"));
    }
}
