//! A minimal JSON writer: exactly what the body needs, straight into the
//! body buffer, with the escaping rules of `serde_json` (so bodies are
//! byte-identical to what a hand-written `serde` render produces).

use std::fmt;

// Byte → escape kind: 0 = copy as is, b'u' = \u00XX, anything else = \<that byte>.
const ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = b'u';
        i += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// Appends the contents of a JSON string (without the quotes).
///
/// Most strings (messages, codes, URLs) need no escaping: they are checked
/// eight bytes at a time and copied whole; the others go byte by byte
/// through the table.
#[inline]
pub(crate) fn escape_into(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if needs_escape(bytes) {
        escape_bytes(out, bytes);
    } else {
        out.extend_from_slice(bytes);
    }
}

/// Whether a byte of `bytes` is one [`ESCAPE`] escapes: a control
/// character, `"` or `\`.
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    if bytes.len() < 8 {
        return bytes.iter().any(|&byte| ESCAPE[byte as usize] != 0);
    }
    let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
    let mut chunks = bytes.chunks_exact(8);
    let mut found = 0;
    for chunk in &mut chunks {
        found |= special_bytes(word(chunk));
    }
    if !chunks.remainder().is_empty() {
        // The last eight bytes, overlapping the last whole chunk.
        found |= special_bytes(word(&bytes[bytes.len() - 8..]));
    }
    found != 0
}

/// Nonzero when one of the eight bytes of `word` is a control character,
/// `"` or `\` (never zero when one is; the exact bits do not matter).
#[inline]
const fn special_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte below n (n <= 0x80) sets its high bit in `x - n * ONES & !x`;
    // a byte equal to c is a zero byte of `x ^ c * ONES`, that is below 1.
    let control = word.wrapping_sub(ONES * 0x20) & !word;
    let quote = word ^ (ONES * b'"' as u64);
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = word ^ (ONES * b'\\' as u64);
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (control | quote | backslash) & HIGH
}

/// Appends `bytes` escaped, byte by byte.
#[cold]
fn escape_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let kind = ESCAPE[byte as usize];
        if kind == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        if kind == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(byte >> 4) as usize],
                HEX[(byte & 0xf) as usize],
            ]);
        } else {
            out.extend_from_slice(&[b'\\', kind]);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Appends a quoted JSON string.
#[inline]
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escape_into(out, s);
    out.push(b'"');
}

/// Appends a quoted JSON string or `null`.
#[inline]
pub(crate) fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// A `fmt::Write` that escapes everything written to it as the inside of a
/// JSON string, so `Display` output and `format!`-style messages go straight
/// into the body without an intermediate `String`.
pub(crate) struct StrWriter<'a>(pub(crate) &'a mut Vec<u8>);

impl fmt::Write for StrWriter<'_> {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        escape_into(self.0, s);
        Ok(())
    }
}

/// Appends a quoted JSON string holding `value`'s `Display`. A `Display`
/// impl that fails leaves what it wrote so far, and one that panics also a
/// placeholder (see [`text::write_caught`](crate::text::write_caught)): the
/// string is still closed and valid, and the rest of the body unaffected.
pub(crate) fn display(out: &mut Vec<u8>, value: &dyn fmt::Display) {
    out.push(b'"');
    let _ = crate::text::write_caught(&mut StrWriter(out), value);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_exactly_like_serde_json() {
        let mut all = String::new();
        for c in (0u32..0x80).chain([0x2028, 0x2029, 0xe9, 0x1f600]) {
            all.push(char::from_u32(c).unwrap());
        }
        all.push_str("</script>");
        let mut ours = Vec::new();
        string(&mut ours, &all);
        assert_eq!(ours, serde_json::to_vec(&all).unwrap());
        let back: String = serde_json::from_slice(&ours).unwrap();
        assert_eq!(back, all);
    }

    /// The word-at-a-time scan: every byte that needs escaping, and its
    /// neighbours that do not (0x1f/0x20, 0x21/0x23, 0x5b/0x5d, 0x7f, 0x80
    /// and above), at every position of strings around one and two words
    /// long, alone and next to another, as `serde_json` escapes them.
    #[test]
    fn escapes_every_position_like_serde_json() {
        let specials = ['\0', '\u{8}', '\t', '\n', '\u{1f}', '"', '\\'];
        let near = [' ', '!', '#', '[', ']', '\u{7f}', '\u{80}', '\u{e9}', '\u{2028}', 'a'];
        let mut checked = 0;
        for len in 0..=24 {
            for fill in near {
                let base: Vec<char> = std::iter::repeat_n(fill, len).collect();
                for special in specials.iter().chain(&near) {
                    for at in 0..len {
                        for second in [None, Some(at + 1), Some(len - 1)] {
                            let mut chars = base.clone();
                            chars[at] = *special;
                            if let Some(second) = second.filter(|&second| second < len) {
                                chars[second] = '"';
                            }
                            let text: String = chars.into_iter().collect();
                            let mut ours = Vec::new();
                            string(&mut ours, &text);
                            assert_eq!(ours, serde_json::to_vec(&text).unwrap(), "{text:?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 10_000);
    }
}
