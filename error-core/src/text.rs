//! Text the library does not control, as the body and the logs both write
//! it: a foreign `Display` called so that its panic cannot escape
//! ([`write_caught`]), and the source chain of an error as logs and
//! development's `debug.sources` show it: every source, but one whose text
//! its parent's already ends with (sqlx's `Display` includes its source's;
//! a body-limit rejection says "length limit exceeded" at three levels).
//!
//! A leaf: it imports nothing of the crate, so the JSON writer, the render
//! and the log all use it without importing one another.

#[cfg(feature = "tracing")]
use std::error::Error as StdError;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What is written in place of the rest of a `Display` that panicked.
pub(crate) const DISPLAY_PANICKED: &str = "<Display panicked>";

/// Writes `value`'s `Display` to `out`. If it panics, what it wrote so far
/// stays and [`DISPLAY_PANICKED`] follows: a foreign `Display` can neither
/// unwind through the body nor cut a log event short.
///
/// Each `write_str` reaching `out` is complete before the `Display` can
/// panic again, so what stays is well-formed for any `out` that is (the JSON
/// string writer, the log escaper).
pub(crate) fn write_caught(out: &mut dyn fmt::Write, value: &dyn fmt::Display) -> fmt::Result {
    match catch_unwind(AssertUnwindSafe(|| fmt::write(&mut *out, format_args!("{value}")))) {
        Ok(result) => result,
        Err(_payload) => out.write_str(DISPLAY_PANICKED),
    }
}

/// Sources walked at most; a longer chain is cut (a pathological `source()`
/// could otherwise loop forever).
pub(crate) const MAX_SOURCES: usize = 32;

/// Bytes of a text kept to compare with the next source: a source longer
/// than this is always shown (it cannot be compared without allocating).
const KEPT: usize = 1024;

#[cfg(feature = "tracing")]
/// The last [`KEPT`] bytes written to it (all of them while they fit), on
/// the stack: what a parent's text ends with, or a whole short source.
struct Tail {
    buf: [u8; KEPT],
    /// Bytes written in all.
    len: usize,
}

#[cfg(feature = "tracing")]
impl Tail {
    const fn new() -> Self {
        Self { buf: [0; KEPT], len: 0 }
    }

    fn clear(&mut self) {
        self.len = 0;
    }

    /// The whole text, when it fit.
    fn whole(&self) -> Option<&str> {
        if self.len <= KEPT {
            // Written by whole `write_str`s: valid UTF-8 (checked, not assumed).
            std::str::from_utf8(&self.buf[..self.len]).ok()
        } else {
            None
        }
    }

    /// Whether the text written ends with `suffix` (at most [`KEPT`] bytes).
    fn ends_with(&self, suffix: &[u8]) -> bool {
        if suffix.len() > self.len || suffix.len() > KEPT {
            return false;
        }
        let start = self.len - suffix.len();
        suffix.iter().enumerate().all(|(i, byte)| self.buf[(start + i) % KEPT] == *byte)
    }
}

#[cfg(feature = "tracing")]
impl fmt::Write for Tail {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let bytes = s.as_bytes();
        // Only the last `KEPT` bytes of `s` can stay.
        let skip = bytes.len().saturating_sub(KEPT);
        self.len += skip;
        for &byte in &bytes[skip..] {
            self.buf[self.len % KEPT] = byte;
            self.len += 1;
        }
        Ok(())
    }
}

#[cfg(feature = "tracing")]
/// Calls `each` with every source of `first`'s chain (at most
/// [`MAX_SOURCES`]) but those whose text the text of their parent (`parent`
/// for `first`) already ends with, and with the source's whole text when it
/// is short enough to have been kept (else `None`: `each` displays the
/// source itself). No allocation: the texts compared are kept on the stack.
/// Every `Display` is called through [`write_caught`].
/// The walk stops before `until` (the driver's error of a database failure,
/// whose message the log has as `db.message`), when given.
pub(crate) fn each_source(
    parent: &dyn fmt::Display,
    first: Option<&(dyn StdError + 'static)>,
    until: Option<&(dyn StdError + 'static)>,
    mut each: impl FnMut(&(dyn StdError + 'static), Option<&str>) -> fmt::Result,
) -> fmt::Result {
    let Some(first) = first else { return Ok(()) };
    let (mut parent_text, mut text) = (Tail::new(), Tail::new());
    let _ = write_caught(&mut parent_text, parent);
    let mut source = Some(first);
    let mut count = 0;
    while let Some(error) = source {
        if count == MAX_SOURCES || until.is_some_and(|until| std::ptr::addr_eq(until, error)) {
            break;
        }
        text.clear();
        let _ = write_caught(&mut text, error);
        let repeated = text.whole().is_some_and(|whole| parent_text.ends_with(whole.as_bytes()));
        if !repeated {
            each(error, text.whole())?;
        }
        std::mem::swap(&mut parent_text, &mut text);
        source = error.source();
        count += 1;
    }
    Ok(())
}

/// Whether the JSON-escaped text `child` of `out` repeats the end of the
/// escaped text `parent`: what [`each_source`] skips, decided on the body's
/// own bytes (no second `Display`, no copy). The match must start on a
/// character of the parent, not inside one of its escapes (`\n`,
/// `\u001b`); a text over [`KEPT`] bytes is shown, as in the log.
pub(crate) fn repeats(out: &[u8], parent: &std::ops::Range<usize>, child: &std::ops::Range<usize>) -> bool {
    let n = child.len();
    if n > KEPT || n > parent.len() || out[parent.end - n..parent.end] != out[child.clone()] {
        return false;
    }
    let before = &out[parent.start..parent.end - n];
    // Inside `\x`: an odd run of backslashes ends `before`.
    if before.iter().rev().take_while(|&&byte| byte == b'\\').count() % 2 == 1 {
        return false;
    }
    // Inside `\uXXXX`: `\u` and up to three hex digits end `before`.
    let hex = before.iter().rev().take(3).take_while(|byte| byte.is_ascii_hexdigit()).count();
    let head = before.len().saturating_sub(hex);
    let in_unicode = head >= 2
        && &before[head - 2..head] == b"\\u"
        && before[..head - 2].iter().rev().take_while(|&&byte| byte == b'\\').count() % 2 == 0;
    !in_unicode
}

/// A source chain, for logs: `a: b: c`, starting at the first source, as
/// [`each_source`] walks it. A source whose `Display` panics is cut short
/// where it panicked, and the chain goes on.
#[cfg(feature = "tracing")]
pub(crate) struct Chain<'a> {
    /// The error whose sources these are: what the first one is compared with.
    pub(crate) parent: &'a dyn fmt::Display,
    /// Its first source.
    pub(crate) first: Option<&'a (dyn StdError + 'static)>,
    /// Where the chain stops (see [`each_source`]).
    pub(crate) until: Option<&'a (dyn StdError + 'static)>,
}

#[cfg(feature = "tracing")]
impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = 0;
        each_source(self.parent, self.first, self.until, |error, whole| {
            if shown > 0 {
                f.write_str(": ")?;
            }
            shown += 1;
            match whole {
                Some(text) => f.write_str(text),
                None => write_caught(f, error),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "tracing")]
    #[derive(Debug)]
    struct Layer(String, Option<Box<Layer>>);

    #[cfg(feature = "tracing")]
    impl fmt::Display for Layer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.0)
        }
    }

    #[cfg(feature = "tracing")]
    impl StdError for Layer {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            self.1.as_deref().map(|layer| layer as _)
        }
    }

    #[cfg(feature = "tracing")]
    fn chain(top: &str, texts: &[&str]) -> String {
        let mut layer = None;
        for text in texts.iter().rev() {
            layer = Some(Box::new(Layer((*text).to_owned(), layer)));
        }
        let layer = layer.map(|layer| *layer);
        Chain { parent: &top, first: layer.as_ref().map(|layer| layer as _), until: None }.to_string()
    }

    #[cfg(feature = "tracing")]
    #[test]
    fn a_source_its_parent_ends_with_is_skipped() {
        assert_eq!(chain("top", &["a: b", "b", "c"]), "a: b: c");
        assert_eq!(
            chain(
                "failed to buffer the request body: length limit exceeded",
                &["length limit exceeded", "length limit exceeded"]
            ),
            ""
        );
        assert_eq!(chain("top", &["x", "y", "x"]), "x: y: x", "only the parent's text counts");
        assert_eq!(chain("top", &["b: a", "b"]), "b: a: b", "ends with, not contains");
    }

    /// `repeats` on escaped texts decides as the log's walk on raw ones.
    #[test]
    fn escaped_texts_repeat_exactly_when_the_raw_ones_do() {
        let escaped = |text: &str| {
            let mut out = Vec::new();
            crate::json::escape_into(&mut out, text);
            out
        };
        for (parent, child) in [
            ("a: b", "b"),
            ("a\n", "n"),
            ("a\u{1b}", "b"),
            ("a\u{1b}", "1b"),
            ("a\u{1b}", "01b"),
            ("a\u{1b}x", "x"),
            ("a\\", "\\"),
            ("a\\n", "n"),
            ("quote\"", "\""),
            ("é: ü", "ü"),
            ("x", "xx"),
            ("", ""),
        ] {
            let (p, c) = (escaped(parent), escaped(child));
            let out = [p.as_slice(), c.as_slice()].concat();
            let repeated = repeats(&out, &(0..p.len()), &(p.len()..out.len()));
            assert_eq!(repeated, parent.ends_with(child), "{parent:?} / {child:?}");
        }
    }

    #[cfg(feature = "tracing")]
    #[test]
    fn long_texts_are_compared_by_their_tail() {
        let long = "v".repeat(KEPT - 7);
        let parent = format!("error returned from database: {}{long}", "p".repeat(3 * KEPT));
        assert_eq!(chain("top", &[&parent, &long]), parent, "the parent's tail is kept");
        let longer = format!("w{}", "v".repeat(KEPT));
        let parent = format!("x{longer}");
        assert_eq!(chain("top", &[&parent, &longer]), format!("{parent}: {longer}"), "too long to compare");
    }
}
