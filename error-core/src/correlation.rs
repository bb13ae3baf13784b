//! Where a request's id comes from, and which responses carry it: the one
//! policy both framework integrations follow (they only look headers up and
//! convert types).
//!
//! The id of a request is, in this order:
//!
//! 1. its [`Config::request_id_header`] (`x-request-id`), when well-formed
//!    ([`RequestId::is_well_formed`]);
//! 2. else the trace id of a valid W3C Trace Context `traceparent` header
//!    ([`trace_id`]), so that a traced request's id is its trace's;
//! 3. else a fresh one ([`RequestId::generate`]).
//!
//! Under `Config::with_client_request_id_trusted(false)` neither 1 nor 2 is
//! used: the id is always fresh, and what the client sent in the request id
//! header (if anything, even malformed) is logged as `request_id.client`.

use std::fmt;

use http::{HeaderName, HeaderValue};

use crate::{Config, RequestId};

/// The W3C Trace Context request header.
pub(crate) const TRACEPARENT: HeaderName = HeaderName::from_static("traceparent");

/// The most bytes of a distrusted client's id that its log field carries.
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) const CLIENT_LOGGED_LIMIT: usize = 256;

/// The correlation settings of a [`Config`]: see its accessors below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Options {
    /// Whether a success response carries the request id too.
    pub(crate) on_success: bool,
    /// Whether a client's request id (and `traceparent`) may become the
    /// request's id.
    pub(crate) client_trusted: bool,
}

impl Options {
    /// The defaults: every response carries the id; the client's is used.
    pub(crate) const fn new() -> Self {
        Self { on_success: true, client_trusted: true }
    }
}

impl Config {
    /// Whether a response that is not an error (1xx to 3xx) carries the
    /// request id header too, as every error response does: `true` unless
    /// changed with [`with_request_id_on_success`](Self::with_request_id_on_success).
    ///
    /// ```
    /// use apierror::Config;
    /// assert!(Config::production().request_id_on_success());
    /// ```
    #[must_use]
    pub const fn request_id_on_success(&self) -> bool {
        self.correlation.on_success
    }

    /// Returns this configuration with the request id header on every
    /// response the layers answer (`true`, the default), or only on error
    /// responses (`false`). The header is
    /// [`request_id_header`](Self::request_id_header); a success pays only
    /// its insertion.
    ///
    /// ```
    /// use apierror::Config;
    /// let config = Config::production().with_request_id_on_success(false);
    /// assert!(!config.request_id_on_success());
    /// ```
    #[must_use]
    pub const fn with_request_id_on_success(mut self, carried: bool) -> Self {
        self.correlation.on_success = carried;
        self
    }

    /// Whether the layers take the request's id from the client: its
    /// well-formed [`request_id_header`](Self::request_id_header), else the
    /// trace id of its valid W3C `traceparent`. `true` unless changed with
    /// [`with_client_request_id_trusted`](Self::with_client_request_id_trusted).
    ///
    /// ```
    /// use apierror::Config;
    /// assert!(Config::production().client_request_id_trusted());
    /// ```
    #[must_use]
    pub const fn client_request_id_trusted(&self) -> bool {
        self.correlation.client_trusted
    }

    /// Returns this configuration trusting the client's request id
    /// (`true`, the default) or not (`false`): then every request gets a
    /// fresh id ([`RequestId::generate`]), neither the client's request id
    /// header nor its `traceparent`'s trace id is used, and the value the
    /// client sent in the request id header, if any (even a malformed one),
    /// is the field `request_id.client` of the error's log event (at most
    /// 256 bytes, escaped as all foreign text), so that one client cannot
    /// reuse another request's id to confuse support, and support can
    /// still find what the client quoted.
    ///
    /// ```
    /// use apierror::{Config, RequestId};
    ///
    /// let config = Config::production().with_client_request_id_trusted(false);
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("x-request-id", "req-from-client".parse().unwrap());
    /// assert_ne!(RequestId::from_headers(&headers, &config).as_str(), "req-from-client");
    /// assert_eq!(RequestId::from_headers(&headers, &Config::production()).as_str(), "req-from-client");
    /// ```
    #[must_use]
    pub const fn with_client_request_id_trusted(mut self, trusted: bool) -> Self {
        self.correlation.client_trusted = trusted;
        self
    }
}

/// The id of a request under `config`, and the client's own request id
/// header value when the configuration distrusts it (to log): see the
/// [module docs](self). `header` looks a header up by name in the
/// framework's own header map (and converts its value).
pub(crate) fn of_request(
    config: &Config,
    header: impl Fn(&HeaderName) -> Option<HeaderValue>,
) -> (RequestId, Option<HeaderValue>) {
    let asked = header(config.request_id_header());
    if !config.client_request_id_trusted() {
        return (RequestId::generate(), asked);
    }
    let id = asked
        .as_ref()
        .and_then(RequestId::parse_header)
        .or_else(|| header(&TRACEPARENT).and_then(|value| RequestId::parse(trace_id(value.as_bytes())?)))
        .unwrap_or_else(RequestId::generate);
    (id, None)
}

/// Whether a response of `status` carries the request id under `config`:
/// an error always, any other unless `config` says otherwise.
#[cfg(any(feature = "axum", feature = "actix-web"))]
#[inline]
pub(crate) fn carries_id(status: u16, config: &Config) -> bool {
    config.request_id_on_success() || crate::message::is_error_status(status)
}

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

/// A distrusted client's request id header value as log text: at most
/// [`CLIENT_LOGGED_LIMIT`] bytes, invalid UTF-8 replaced, `[…]` when cut;
/// recorded through [`crate::log::Text`], which escapes it.
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) struct Client<'a>(pub(crate) &'a [u8]);

impl fmt::Display for Client<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kept = &self.0[..self.0.len().min(CLIENT_LOGGED_LIMIT)];
        for chunk in kept.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{fffd}")?;
            }
        }
        if self.0.len() > CLIENT_LOGGED_LIMIT {
            f.write_str("[…]")?;
        }
        Ok(())
    }
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
    fn the_policy_prefers_the_header_then_the_trace_then_a_fresh_id() {
        let lookup = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &HeaderName| {
                pairs.iter().find(|(n, _)| *n == name.as_str()).map(|(_, v)| HeaderValue::from_static(v))
            }
        };
        let both: &[_] = &[("x-request-id", "req-1"), ("traceparent", VALID)];
        let trusted = Config::production();
        assert_eq!(of_request(&trusted, lookup(both)).0.as_str(), "req-1");
        let malformed: &[_] = &[("x-request-id", "a b"), ("traceparent", VALID)];
        assert_eq!(of_request(&trusted, lookup(malformed)).0.as_str(), "4bf92f3577b34da6a3ce929d0e0e4736");
        let (fresh, client) = of_request(&trusted, lookup(&[]));
        assert!(fresh.as_str().len() == 32 && client.is_none());

        let distrusted = Config::production().with_client_request_id_trusted(false);
        let (id, client) = of_request(&distrusted, lookup(both));
        assert!(id.as_str() != "req-1" && id.as_str() != "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(client.unwrap(), "req-1");
        let (_, client) = of_request(&distrusted, lookup(malformed));
        assert_eq!(client.unwrap(), "a b");
    }

    #[test]
    fn a_client_id_is_logged_bounded_and_escaped() {
        let text = |bytes: &[u8]| crate::log::Text(Client(bytes)).to_string();
        assert_eq!(text(b"req-1"), "req-1");
        assert_eq!(text("a\u{202e}b\n".as_bytes()), "a\\u{202e}b\\n");
        assert_eq!(text(b"\xff\xfeok"), "\u{fffd}\u{fffd}ok");
        let long = text(&[b'x'; 1000]);
        assert_eq!(long, format!("{}[…]", "x".repeat(CLIENT_LOGGED_LIMIT)));
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
