//! A violation's `field`, kept inline when short.

/// Longest path kept inside a [`Violation`](super::Violation) (longer ones go to the heap).
const INLINE_PATH: usize = 32;

/// A violation's `field`: held inline when short, as most paths are
/// (`items[12].sku`), so that a report's violations are one allocation; at
/// most [`MAX_FIELD`](crate::bound::MAX_FIELD) bytes, cut with the mark.
///
/// Its representation is private to this module, and `Inline`'s
/// `bytes[..len]` are only ever a whole `&str`'s bytes (written by
/// [`Path::new`] alone): that is what makes [`as_str`](Self::as_str)'s
/// unchecked conversion sound.
#[derive(Debug)]
pub(super) struct Path(Repr);

#[derive(Debug)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE_PATH] },
    Heap(Box<str>),
}

impl Path {
    #[inline] // another codegen unit than its callers
    pub(super) fn new(path: &str) -> Self {
        if path.len() <= INLINE_PATH {
            let mut bytes = [0; INLINE_PATH];
            bytes[..path.len()].copy_from_slice(path.as_bytes());
            #[allow(clippy::cast_possible_truncation)] // at most INLINE_PATH
            Self(Repr::Inline { len: path.len() as u8, bytes })
        } else if path.len() <= crate::bound::MAX_FIELD {
            Self(Repr::Heap(path.into()))
        } else {
            // Only the head is copied (a path may hold a client's 1 MB key).
            Self(Repr::Heap(crate::bound::cut(path, crate::bound::MAX_FIELD).into()))
        }
    }

    /// The path. Read once per rendered violation: checking the inline
    /// bytes again (`str::from_utf8`) cost as much as the rest of
    /// `field()` and writing the path together.
    #[inline]
    pub(super) fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, bytes } => {
                let bytes = &bytes[..usize::from(*len)];
                debug_assert!(std::str::from_utf8(bytes).is_ok());
                // SAFETY: `bytes` are the bytes of a whole `&str`, copied by
                // `Path::new`, the only code that writes them (see `Path`).
                unsafe { std::str::from_utf8_unchecked(bytes) }
            }
            Repr::Heap(path) => path,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_inline_or_on_the_heap() {
        for path in ["", "a", "items[12].sku", &"\u{e9}".repeat(15), &"\u{e9}".repeat(16), &"x".repeat(256)] {
            let kept = Path::new(path);
            assert_eq!(kept.as_str(), path);
            assert_eq!(matches!(kept.0, Repr::Inline { .. }), path.len() <= INLINE_PATH, "{path}");
        }
        // Past the bound (issue 18): cut on a character boundary, marked.
        let cut = Path::new(&"\u{e9}".repeat(250));
        assert_eq!(cut.as_str(), format!("{}\u{2026}", "\u{e9}".repeat(126)));
        assert_eq!(Path::new(&"x".repeat(500)).as_str(), format!("{}\u{2026}", "x".repeat(253)));
    }
}
