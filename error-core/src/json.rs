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
#[inline]
pub(crate) fn escape_into(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
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
/// placeholder (see [`log::write_caught`](crate::log::write_caught)): the
/// string is still closed and valid, and the rest of the body unaffected.
pub(crate) fn display(out: &mut Vec<u8>, value: &dyn fmt::Display) {
    out.push(b'"');
    let _ = crate::log::write_caught(&mut StrWriter(out), value);
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
}
