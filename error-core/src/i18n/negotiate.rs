//! `Accept-Language` (RFC 9110 §12.5.4) negotiated by RFC 4647 §3.4
//! lookup, bounded: at most [`MAX_BYTES`] of the header are read and at
//! most [`MAX_RANGES`] ranges kept, on the stack; nothing allocates, and
//! no header is an error.
//!
//! Hand-written rather than `fluent-langneg`'s: that crate parses every
//! range into a `unic-langid` identifier (allocating, unbounded in the
//! number of ranges) and its `Lookup` strategy needs the ranges already
//! parsed and ordered; what apierror needs (a q-ordered lookup with
//! truncation, `*` and `q=0`) is these forty lines.

/// The longest prefix of the header that is read; a longer header is cut
/// at its last complete range before this.
pub(crate) const MAX_BYTES: usize = 512;

/// The most ranges kept; later ones are ignored.
pub(crate) const MAX_RANGES: usize = 32;

/// One language range and its weight in thousandths.
#[derive(Clone, Copy)]
struct Range<'a> {
    tag: &'a [u8],
    q: u16,
}

/// The language chosen for a request that sent `value` as
/// `Accept-Language`: the index in `available` of the first language the
/// lookup reaches, in order of the ranges' weights (`de-CH` falls back to
/// `de`), or `None` for the default language `default` (also when `*`
/// comes first, when nothing matches, and for a header that is not ASCII).
/// A range of weight 0 excludes its language.
pub(crate) fn negotiate<T: AsRef<str>>(value: &[u8], available: &[T], default: &str) -> Option<usize> {
    let mut ranges = [Range { tag: b"", q: 0 }; MAX_RANGES];
    let count = parse(value, &mut ranges);
    let ranges = &mut ranges[..count];
    // Stable: of equal weights, the earlier range wins.
    ranges.sort_by_key(|range| std::cmp::Reverse(range.q));
    let excluded =
        |tag: &[u8]| ranges.iter().any(|range| range.q == 0 && range.tag.eq_ignore_ascii_case(tag));
    for range in ranges.iter().take_while(|range| range.q > 0) {
        if range.tag == b"*" {
            return None;
        }
        let mut tag = range.tag;
        loop {
            if !excluded(tag) {
                if let Some(found) =
                    available.iter().position(|lang| lang.as_ref().as_bytes().eq_ignore_ascii_case(tag))
                {
                    return Some(found);
                }
                if default.as_bytes().eq_ignore_ascii_case(tag) {
                    return None;
                }
            }
            // RFC 4647 §3.4: drop the last subtag, and a single-letter
            // subtag (an extension's singleton) left at the end with it.
            let Some(cut) = tag.iter().rposition(|&b| b == b'-') else { break };
            tag = &tag[..cut];
            if let Some(cut) = tag.iter().rposition(|&b| b == b'-').filter(|&cut| cut + 2 == tag.len()) {
                tag = &tag[..cut];
            }
        }
    }
    None
}

/// Fills `ranges` with the well-formed ranges of the header's first
/// [`MAX_BYTES`]; how many. Nothing for a header with a byte that is not
/// visible ASCII, a space or a tab.
fn parse<'a>(value: &'a [u8], ranges: &mut [Range<'a>; MAX_RANGES]) -> usize {
    let mut value = value;
    if value.len() > MAX_BYTES {
        // Only complete ranges: up to the last comma within the bound.
        let cut = value[..=MAX_BYTES].iter().rposition(|&b| b == b',').unwrap_or(0);
        value = &value[..cut];
    }
    if !value.iter().all(|&b| b == b'\t' || (b' '..=b'~').contains(&b)) {
        return 0;
    }
    let mut count = 0;
    for item in value.split(|&b| b == b',') {
        if count == MAX_RANGES {
            break;
        }
        if let Some(range) = range(item) {
            ranges[count] = range;
            count += 1;
        }
    }
    count
}

/// One `language-range [;q=weight]`, if well-formed.
fn range(item: &[u8]) -> Option<Range<'_>> {
    let mut parts = item.split(|&b| b == b';');
    let tag = parts.next()?.trim_ascii();
    let well_formed = tag == b"*"
        || tag.split(|&b| b == b'-').enumerate().all(|(i, subtag)| {
            (1..=8).contains(&subtag.len())
                && subtag
                    .iter()
                    .all(|b| if i == 0 { b.is_ascii_alphabetic() } else { b.is_ascii_alphanumeric() })
        });
    if !well_formed {
        return None;
    }
    let q = match parts.next() {
        None => 1000,
        Some(weight) => {
            qvalue(weight.trim_ascii().strip_prefix(b"q=").or(weight.trim_ascii().strip_prefix(b"Q="))?)?
        }
    };
    match parts.next() {
        None => Some(Range { tag, q }),
        Some(_) => None,
    }
}

/// A `qvalue` (`0`, `0.5`, `1.000`) in thousandths.
fn qvalue(weight: &[u8]) -> Option<u16> {
    let (whole, fraction) = match weight.iter().position(|&b| b == b'.') {
        Some(dot) => (&weight[..dot], &weight[dot + 1..]),
        None => (weight, &b""[..]),
    };
    if fraction.len() > 3 || !fraction.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut thousandths: u16 = 0;
    for i in 0..3 {
        thousandths = thousandths * 10 + fraction.get(i).map_or(0, |digit| u16::from(digit - b'0'));
    }
    match whole {
        b"0" => Some(thousandths),
        b"1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AVAILABLE: [&str; 3] = ["de", "fr", "pt-BR"];

    fn chosen(header: &str) -> Option<&'static str> {
        negotiate(header.as_bytes(), &AVAILABLE, "en").map(|i| AVAILABLE[i])
    }

    #[test]
    fn lookup_truncates_and_follows_the_weights() {
        assert_eq!(chosen("de"), Some("de"));
        assert_eq!(chosen("DE-ch"), Some("de"));
        assert_eq!(chosen("de-Latn-CH-x-private"), Some("de"));
        assert_eq!(chosen("pt-BR"), Some("pt-BR"));
        assert_eq!(chosen("pt"), None);
        assert_eq!(chosen("it, fr;q=0.8, de;q=0.9"), Some("de"));
        assert_eq!(chosen("fr;q=0.5, de;q=0.5"), Some("fr"));
        assert_eq!(chosen("en-US, de;q=0.9"), None, "the default language first");
        assert_eq!(chosen("*"), None);
        assert_eq!(chosen("it, *;q=0.5, de;q=0.1"), None);
    }

    #[test]
    fn a_zero_weight_excludes() {
        assert_eq!(chosen("de;q=0"), None);
        assert_eq!(chosen("de-CH, de;q=0, fr;q=0.1"), Some("fr"));
        assert_eq!(chosen("de;q=0.000, fr;q=0.001"), Some("fr"));
    }

    #[test]
    fn anything_malformed_is_the_default_or_skipped() {
        for header in [
            "",
            ";;;",
            "de;q=2",
            "de;q=0.5.5",
            "de;q=0.1234",
            "de;x=1",
            "de;q=1;q=0",
            "d3",
            "toolongtag",
            "de-",
            "-de",
            "de\u{e9}",
            "de\0",
            "\u{fe0f}de",
        ] {
            assert_eq!(chosen(header), None, "{header:?}");
        }
        assert_eq!(chosen("d3, fr"), Some("fr"), "one malformed range is skipped");
        assert_eq!(chosen(" de ; q=0.5 "), Some("de"));
    }

    #[test]
    fn the_header_is_bounded() {
        let long = format!("{}de", "xx, ".repeat(5000));
        assert_eq!(chosen(&long), None, "past the bytes read");
        let many = format!("{}de", "xx,".repeat(MAX_RANGES));
        assert_eq!(chosen(&many), None, "past the ranges kept");
        let just = format!("{}de", "xx,".repeat(MAX_RANGES - 1));
        assert_eq!(chosen(&just), Some("de"));
        let cut = format!("de, {}", "a".repeat(MAX_BYTES * 40));
        assert_eq!(chosen(&cut), Some("de"), "a range cut by the bound is dropped, the others kept");
    }
}
