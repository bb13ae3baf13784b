//! The W3C Trace Context headers as this crate reads them
//! (<https://www.w3.org/TR/trace-context/>): the `traceparent`, whose trace
//! id may become a request's id, and the `tracestate` passed on with it.
//! Both read bytes, never allocate, and accept nothing the recommendation's
//! grammar does not.

/// The most bytes of a request's `tracestate` that a call to another
/// service carries on: W3C asks a vendor to propagate at least 512
/// characters (of a combined header), and a longer one is dropped whole
/// here rather than cut (cutting list-members is the business of a tracing
/// system, which this crate is not).
pub(crate) const TRACESTATE_LIMIT: usize = 512;

/// The most list-members of a `tracestate` (W3C: 32).
const TRACESTATE_MEMBERS: usize = 32;

/// The trace id of a W3C Trace Context `traceparent` header value, if it is
/// valid: version `00` exactly as the recommendation writes it,
/// `00-<trace id>-<parent id>-<flags>`, 55 bytes, the trace id 32 lowercase
/// hexadecimal digits not all zero, the parent id 16 not all zero, the
/// flags 2. Anything else (another version, uppercase, extra bytes) is no
/// trace parent: `None`.
pub(crate) fn trace_id(value: &[u8]) -> Option<&[u8]> {
    const LEN: usize = 55;
    if value.len() != LEN {
        return None;
    }
    let (version, rest) = value.split_at(2);
    let (trace, rest) = rest[1..].split_at(32);
    let (parent, rest) = rest[1..].split_at(16);
    let flags = &rest[1..];
    let dashes = [value[2], value[35], value[52]] == [b'-'; 3];
    let lower_hex = |part: &[u8]| part.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let zero = |part: &[u8]| part.iter().all(|&b| b == b'0');
    let valid = version == b"00"
        && dashes
        && lower_hex(trace)
        && lower_hex(parent)
        && lower_hex(flags)
        && !zero(trace)
        && !zero(parent);
    valid.then_some(trace)
}

/// Whether a request's `tracestate` header value may be passed on as it
/// is: at most [`TRACESTATE_LIMIT`] bytes, one to 32 list-members, each
/// `key=value` in the recommendation's grammar, no key twice. Empty
/// list-members (only spaces or tabs between commas) are allowed and not
/// counted, as W3C allows them; a value without any member is nothing to
/// pass on. Anything else (a control or non-ASCII byte, an `=` in a value,
/// an uppercase key, 33 members) is `false`: W3C lets a vendor that cannot
/// parse a `tracestate` drop it, and a header this crate sends on from a
/// client must not carry what the grammar forbids.
///
/// The grammar (W3C Trace Context, §3.3.1):
/// - key: `lcalpha 0*255(lcalpha / DIGIT / "_" / "-" / "*" / "/")`, or
///   `tenant@system`: a tenant of 1 to 241 of those characters starting
///   with a lowercase letter or digit, a system of 1 to 14 starting with a
///   lowercase letter;
/// - value: 1 to 256 printable ASCII characters (space to `~`) other than
///   `,` and `=`, the last not a space.
pub(crate) fn tracestate_forwardable(value: &[u8]) -> bool {
    if value.len() > TRACESTATE_LIMIT {
        return false;
    }
    let mut keys: [&[u8]; TRACESTATE_MEMBERS] = [&[]; TRACESTATE_MEMBERS];
    let mut count = 0;
    for member in value.split(|&b| b == b',') {
        let member = trim_ows(member);
        if member.is_empty() {
            continue;
        }
        let Some(eq) = member.iter().position(|&b| b == b'=') else { return false };
        let (key, state) = (&member[..eq], &member[eq + 1..]);
        if count == TRACESTATE_MEMBERS || !is_key(key) || !is_value(state) || keys[..count].contains(&key) {
            return false;
        }
        keys[count] = key;
        count += 1;
    }
    count > 0
}

/// `member` without the optional whitespace (spaces and tabs) around it.
fn trim_ows(mut member: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = member {
        member = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = member {
        member = rest;
    }
    member
}

/// A character of a key after its first: `lcalpha / DIGIT / "_" / "-" / "*" / "/"`.
fn key_char(b: u8) -> bool {
    matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'*' | b'/')
}

/// Whether `key` is a `tracestate` key: simple or multi-tenant (see
/// [`tracestate_forwardable`]).
fn is_key(key: &[u8]) -> bool {
    match key.iter().position(|&b| b == b'@') {
        None => {
            (1..=256).contains(&key.len()) && key[0].is_ascii_lowercase() && key.iter().all(|&b| key_char(b))
        }
        Some(at) => {
            let (tenant, system) = (&key[..at], &key[at + 1..]);
            (1..=241).contains(&tenant.len())
                && matches!(tenant[0], b'a'..=b'z' | b'0'..=b'9')
                && tenant.iter().all(|&b| key_char(b))
                && (1..=14).contains(&system.len())
                && system[0].is_ascii_lowercase()
                && system.iter().all(|&b| key_char(b))
        }
    }
}

/// Whether `value` is a `tracestate` value (see [`tracestate_forwardable`]).
fn is_value(value: &[u8]) -> bool {
    (1..=256).contains(&value.len())
        && value.iter().all(|&b| matches!(b, b' '..=b'~') && b != b',' && b != b'=')
        && value.last() != Some(&b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[test]
    fn a_valid_traceparent_gives_its_trace_id() {
        assert_eq!(trace_id(VALID.as_bytes()), Some(&b"4bf92f3577b34da6a3ce929d0e0e4736"[..]));
        let unsampled = VALID.replace("-01", "-00");
        assert_eq!(trace_id(unsampled.as_bytes()), Some(&b"4bf92f3577b34da6a3ce929d0e0e4736"[..]));
    }

    #[test]
    fn anything_else_is_ignored() {
        for invalid in [
            String::new(),
            VALID.to_uppercase(),
            VALID.replace("4bf9", "4BF9"),
            VALID.replace("00f0", "00F0"),
            VALID.replace("-01", "-0A"),
            VALID.replace("4bf92f3577b34da6a3ce929d0e0e4736", &"0".repeat(32)),
            VALID.replace("00f067aa0ba902b7", &"0".repeat(16)),
            VALID.replacen("00", "01", 1),
            VALID.replacen("00", "ff", 1),
            format!("{VALID}-extra"),
            format!("{VALID} "),
            format!(" {VALID}"),
            VALID[..54].to_owned(),
            VALID.replace('-', "_"),
            VALID.replace("4bf9", "4bg9"),
            VALID.replacen('-', "", 1) + "0",
        ] {
            assert_eq!(trace_id(invalid.as_bytes()), None, "{invalid}");
        }
    }

    #[test]
    fn a_wellformed_tracestate_is_passed_on() {
        let key = format!("a{}", "b".repeat(255));
        let value = format!("k={}", "v".repeat(256));
        let tenant = format!("{}@sys", "t".repeat(241));
        let thirty_two = (0..32).map(|i| format!("k{i}=v")).collect::<Vec<_>>().join(",");
        for valid in [
            "congo=t61rcWkgMzE",
            "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
            " a=1 ,\t, b=2\t",
            "a=1,,b=2,",
            "a=with space",
            "a= leading",
            "vendor@system=x",
            "1tenant@s_-*/9=x",
            "a_-*/9=!\"#$%&'()*+-./:;<>?@[\\]^_`{|}~",
            &format!("{key}=1"),
            &value,
            &format!("{tenant}=1"),
            &format!("t@{}=1", "s".repeat(14)),
            &thirty_two,
        ] {
            assert!(tracestate_forwardable(valid.as_bytes()), "{valid}");
        }
    }

    #[test]
    fn anything_else_is_dropped() {
        let thirty_three = (0..33).map(|i| format!("k{i}=v")).collect::<Vec<_>>().join(",");
        let long = (0..32).map(|i| format!("k{i:02}={}", "v".repeat(12))).collect::<Vec<_>>().join(",");
        assert!(long.len() > TRACESTATE_LIMIT && long.len() < 600);
        assert!(tracestate_forwardable(&long.as_bytes()[..long.len() - 4 * 17]), "the same, shorter");
        for invalid in [
            "",
            " ",
            " , ,\t",
            "a",
            "a=",
            "=1",
            "A=1",
            "aB=1",
            "1a=1",
            "_a=1",
            "a b=1",
            "a=b=c",
            "a=1,a=2",
            "a=1 ,b=2, a=3",
            "a=vertical\u{b}tab",
            "a=tab\tinside",
            "a=\u{e9}",
            "a=\u{7f}",
            "a=\u{1}",
            "a=1\r\nx-injected: 1",
            "@s=1",
            "t@=1",
            "t@S=1",
            "t@1=1",
            "t@s@s=1",
            "_t@s=1",
            &format!("a{}=1", "b".repeat(256)),
            &format!("k={}", "v".repeat(257)),
            &format!("{}@s=1", "t".repeat(242)),
            &format!("t@{}=1", "s".repeat(15)),
            &thirty_three,
            &long,
        ] {
            assert!(!tracestate_forwardable(invalid.as_bytes()), "{invalid:?}");
        }
    }

    /// The `tracestate` grammar, written independently of
    /// [`tracestate_forwardable`] (over text, splitting).
    fn tracestate_grammar(value: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(value) else { return false };
        let chars = |part: &str| {
            part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || "_-*/".contains(b as char))
        };
        let key = |key: &str| match key.split_once('@') {
            None => {
                (1..=256).contains(&key.len())
                    && key.starts_with(|c: char| c.is_ascii_lowercase())
                    && chars(key)
            }
            Some((tenant, system)) => {
                (1..=241).contains(&tenant.len())
                    && tenant.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                    && chars(tenant)
                    && (1..=14).contains(&system.len())
                    && system.starts_with(|c: char| c.is_ascii_lowercase())
                    && chars(system)
            }
        };
        let value = |value: &str| {
            (1..=256).contains(&value.len())
                && value.chars().all(|c| (' '..='~').contains(&c) && c != ',' && c != '=')
                && !value.ends_with(' ')
        };
        let members: Vec<&str> =
            text.split(',').map(|m| m.trim_matches([' ', '\t'])).filter(|m| !m.is_empty()).collect();
        let mut keys = std::collections::HashSet::new();
        text.len() <= TRACESTATE_LIMIT
            && (1..=32).contains(&members.len())
            && members.iter().all(|member| {
                member.split_once('=').is_some_and(|(k, v)| key(k) && value(v) && keys.insert(k))
            })
    }

    /// The grammar, written independently of [`trace_id`]: the trace id of
    /// `value` if it is `00-<32 lowercase hex>-<16 lowercase hex>-<2
    /// lowercase hex>`, neither id all zeros.
    fn grammar(value: &[u8]) -> Option<&[u8]> {
        let text = std::str::from_utf8(value).ok()?;
        let parts: Vec<&str> = text.split('-').collect();
        let shaped = parts.len() == 4
            && parts[0] == "00"
            && parts.iter().zip([2, 32, 16, 2]).all(|(part, len)| {
                part.len() == len && part.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            })
            && parts[1].bytes().any(|b| b != b'0')
            && parts[2].bytes().any(|b| b != b'0');
        shaped.then(|| &value[3..35])
    }

    proptest::proptest! {
        #[test]
        fn a_tracestate_is_judged_by_the_grammar(value in "([a-z0-9@=, \t_*/A~\u{e9}-]{0,12}){0,6}") {
            let value = value.as_bytes();
            proptest::prop_assert_eq!(tracestate_forwardable(value), tracestate_grammar(value));
        }

        #[test]
        fn a_list_of_members_is_judged_by_the_grammar(
            members in proptest::collection::vec(
                ("[a-z0-9@A_-]{0,6}", "[ -~]{0,5}", "[ \t]{0,2}"),
                0..40,
            ),
        ) {
            let members: Vec<String> =
                members.iter().map(|(k, v, ows)| format!("{ows}{k}={v}{ows}")).collect();
            let value = members.join(",");
            let value = value.as_bytes();
            proptest::prop_assert_eq!(tracestate_forwardable(value), tracestate_grammar(value));
        }

        #[test]
        fn the_parser_never_panics_and_accepts_only_the_grammar(value in proptest::collection::vec(proptest::num::u8::ANY, 0..80)) {
            proptest::prop_assert_eq!(trace_id(&value), grammar(&value));
        }

        /// Near misses: one byte of a valid value changed, or one removed.
        #[test]
        fn a_changed_byte_is_judged_by_the_grammar(at in 0..55usize, byte in proptest::num::u8::ANY, remove in proptest::bool::ANY) {
            let mut value = VALID.as_bytes().to_vec();
            if remove {
                value.remove(at);
            } else {
                value[at] = byte;
            }
            proptest::prop_assert_eq!(trace_id(&value), grammar(&value));
        }

        #[test]
        fn every_well_formed_traceparent_is_accepted(
            trace in "[0-9a-f]{32}",
            parent in "[0-9a-f]{16}",
            flags in "[0-9a-f]{2}",
        ) {
            let value = format!("00-{trace}-{parent}-{flags}");
            let expected = (trace.bytes().any(|b| b != b'0') && parent.bytes().any(|b| b != b'0'))
                .then_some(trace.as_bytes());
            proptest::prop_assert_eq!(trace_id(value.as_bytes()), expected);
        }
    }
}
