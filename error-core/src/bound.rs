//! The bounds on what a request can put into a body: a `field` may echo a
//! client's map key or unknown field name, so each path segment is at most
//! [`MAX_SEGMENT`] bytes and a whole `field` at most [`MAX_FIELD`] bytes,
//! cut on a character boundary and ended with [`MARK`] when cut. A body of
//! 100 violations plus the cap's object then stays well under 256 KiB
//! whatever the request.
//!
//! A string within its bound is neither copied nor allocated: the check is
//! one comparison of lengths.

// Validation and the extractors each use a part.
#![cfg_attr(
    not(all(any(feature = "validator", feature = "garde"), any(feature = "axum", feature = "actix-web"))),
    allow(dead_code)
)]

/// Longest path segment (a map key, an unknown field's name) in a `field`,
/// in bytes, the mark included.
pub(crate) const MAX_SEGMENT: usize = 64;

/// Longest `field`, in bytes, the mark included.
pub(crate) const MAX_FIELD: usize = 256;

/// What ends a cut segment or field: visible, and not a character a path
/// is written with (`.`, `[`, `]`).
pub(crate) const MARK: &str = "\u{2026}";

/// The longest beginning of `s` of at most `max` bytes that ends on a
/// character boundary (`s` itself when it fits).
#[inline]
pub(crate) fn head(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Appends `segment` to `out`, cut to [`MAX_SEGMENT`] bytes with the mark.
#[inline]
pub(crate) fn push_segment(out: &mut String, segment: &str) {
    if segment.len() <= MAX_SEGMENT {
        out.push_str(segment);
    } else {
        push_cut(out, segment, MAX_SEGMENT);
    }
}

/// `s`, longer than `max` bytes, cut to `max` bytes with the mark.
#[cold]
pub(crate) fn cut(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(max);
    push_cut(&mut out, s, max);
    out
}

/// Appends `s` cut to `max` bytes, the mark included.
#[cold]
fn push_cut(out: &mut String, s: &str, max: usize) {
    out.push_str(head(s, max - MARK.len()));
    out.push_str(MARK);
}

/// Cuts what `out` holds from byte `start` on to `max` bytes with the
/// mark, when it is longer, or when `cut` says it was cut already (a
/// segment built from the [`head`] of a longer one).
#[inline]
pub(crate) fn bound_tail(out: &mut String, start: usize, max: usize, cut: bool) {
    if cut || out.len() - start > max {
        mark_tail(out, start, max);
    }
}

#[cold]
fn mark_tail(out: &mut String, start: usize, max: usize) {
    let end = start + head(&out[start..], max - MARK.len()).len();
    out.truncate(end);
    out.push_str(MARK);
}

/// A whole `field`, cut to [`MAX_FIELD`] bytes with the mark.
#[inline]
pub(crate) fn field(mut field: String) -> String {
    bound_tail(&mut field, 0, MAX_FIELD, false);
    field
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_on_a_char_boundary_with_the_mark() {
        for unit in ["x", "\u{e9}", "\u{20ac}", "\u{1f600}", "\n", "\u{202e}"] {
            for len in [0, 1, 20, 21, 22, 60, 64, 65, 100, 1000] {
                let segment = unit.repeat(len);
                let mut out = String::from("m.");
                push_segment(&mut out, &segment);
                let pushed = &out[2..];
                assert!(pushed.len() <= MAX_SEGMENT, "{unit:?} x {len}: {}", pushed.len());
                if segment.len() <= MAX_SEGMENT {
                    assert_eq!(pushed, segment);
                } else {
                    assert!(pushed.ends_with(MARK));
                    let kept = &pushed[..pushed.len() - MARK.len()];
                    assert!(segment.starts_with(kept) && kept.len() + MARK.len() + unit.len() > MAX_SEGMENT);
                }
                let whole = field(segment.repeat(5));
                assert!(whole.len() <= MAX_FIELD);
                assert_eq!(whole.ends_with(MARK), segment.len() * 5 > MAX_FIELD);
            }
        }
    }

    #[test]
    fn a_tail_is_cut_when_told_or_too_long() {
        let mut out = String::from("a.");
        out.push('b');
        bound_tail(&mut out, 2, MAX_SEGMENT, false);
        assert_eq!(out, "a.b");
        bound_tail(&mut out, 2, MAX_SEGMENT, true);
        assert_eq!(out, format!("a.b{MARK}"));
        let mut out = format!("a.{}", "\u{df}".repeat(40));
        bound_tail(&mut out, 2, MAX_SEGMENT, false);
        assert_eq!(out, format!("a.{}{MARK}", "\u{df}".repeat(30)));
    }
}
