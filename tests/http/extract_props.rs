//! Claims about all requests: whatever header values, body, query string or
//! path parameter a client sends, no extractor of either framework panics
//! (a panic is a 500 behind the layer, and takes the connection down without
//! it), and every rejection is a 4xx in the common body.
//!
//! The extractors are called the way the frameworks call them, on their own
//! request types: axum's `FromRequest`/`FromRequestParts` with a built
//! `http::Request`, actix-web's `FromRequest` with a `test::TestRequest`.
#![cfg(any(feature = "axum", feature = "actix-web"))]

use apierror::{ApiError, ApiErrorExt};
use proptest::prelude::*;

/// What the JSON and query extractors deserialize.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Thing {
    name: String,
    rating: u8,
}

/// Header names the extractors read, or that could confuse them.
const NAMES: [&str; 7] = [
    "content-type",
    "content-length",
    "content-encoding",
    "transfer-encoding",
    "x-request-id",
    "accept",
    "x-anything",
];

/// Any byte a header value may hold (`http::HeaderValue::from_bytes`
/// accepts): tab, visible ASCII and space, and every byte from 0x80 up.
fn header_byte() -> impl Strategy<Value = u8> {
    prop_oneof![Just(b'\t'), 0x20u8..=0x7e, 0x80u8..=0xff]
}

/// A header value: arbitrary allowed bytes (rarely UTF-8), or text (UTF-8,
/// often non-ASCII) without the control characters a value may not hold.
fn header_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(header_byte(), 0..24),
        "[^\\x00-\\x08\\x0a-\\x1f\\x7f]{0,12}".prop_map(String::into_bytes),
    ]
}

/// A `Content-Type` value: arbitrary bytes, or arbitrary bytes around the
/// parts the JSON check looks at (so that the interesting cuts are reached).
fn content_type() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        header_bytes(),
        header_bytes().prop_map(|tail| [b"application/".as_slice(), &tail].concat()),
        (header_bytes(), header_bytes()).prop_map(|(head, tail)| [
            b"application/".as_slice(),
            &head,
            b"+json",
            &tail
        ]
        .concat()),
        header_bytes().prop_map(|tail| [b"application/json;".as_slice(), &tail].concat()),
    ]
}

/// A body: arbitrary bytes, or a valid one.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..48),
        Just(br#"{"name": "lamp", "rating": 4}"#.to_vec()),
    ]
}

/// A query string of bytes a URI may hold (the rest percent-encoded).
fn query() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<u8>(), 0..32).prop_map(|bytes| {
        let mut out = String::new();
        for byte in bytes {
            if byte.is_ascii_alphanumeric() || b"=&+-._~%".contains(&byte) {
                out.push(char::from(byte));
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
        out
    })
}

#[derive(Debug, Clone)]
struct Case {
    headers: Vec<(&'static str, Vec<u8>)>,
    content_type: Option<Vec<u8>>,
    body: Vec<u8>,
    query: String,
    /// The `id` path parameter (actix-web's `TestRequest` sets it).
    #[cfg_attr(not(feature = "actix-web"), allow(dead_code))]
    id: String,
}

fn case() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec((proptest::sample::select(NAMES.as_slice()), header_bytes()), 0..6),
        proptest::option::of(content_type()),
        body(),
        query(),
        any::<String>(),
    )
        .prop_map(|(headers, content_type, body, query, id)| Case {
            headers,
            content_type,
            body,
            query,
            id,
        })
}

/// A rejection is a client error in the common body (`Path` may also be the
/// application's 500 when it does not fit the route).
fn assert_rejection<E: ApiError>(err: &E, server_error_allowed: bool) {
    let status = err.status().as_u16();
    assert!((400..500).contains(&status) || server_error_allowed && status == 500, "{status}");
    let response = err.to_response_with(&apierror::Config::production());
    let body: serde_json::Value = serde_json::from_slice(response.body()).expect("a JSON body");
    assert!(body[0]["error_code"].as_str().is_some_and(|code| code.starts_with("apierror.")), "{body}");
}

#[cfg(feature = "axum")]
mod axum_extractors {
    use super::*;
    use axum::extract::{FromRequest, FromRequestParts};

    fn request(case: &Case) -> http::Request<axum::body::Body> {
        let mut request = http::Request::builder()
            .method("POST")
            .uri(format!("/things/1?{}", case.query))
            .body(axum::body::Body::from(case.body.clone()))
            .expect("a request");
        let headers = request.headers_mut();
        if let Some(value) = &case.content_type {
            headers.append(http::header::CONTENT_TYPE, http::HeaderValue::from_bytes(value).unwrap());
        }
        for (name, value) in &case.headers {
            headers.append(*name, http::HeaderValue::from_bytes(value).unwrap());
        }
        request
    }

    pub fn run(case: &Case, runtime: &tokio::runtime::Runtime) {
        runtime.block_on(async {
            let json = apierror::axum::Json::<Thing>::from_request(request(case), &()).await;
            if let Err(err) = &json {
                assert_rejection(err, false);
            }
            let declared = case.content_type.as_deref().is_some_and(is_declared_json);
            if !declared {
                let err = json.expect_err("a body not declared as JSON is refused");
                assert_eq!(err.status(), 415);
            }

            let (mut parts, _) = request(case).into_parts();
            if let Err(err) = apierror::axum::Query::<Thing>::from_request_parts(&mut parts, &()).await {
                assert_rejection(&err, false);
            }
            // No route matched here: the path parameters are missing, which
            // is the application's mistake (500), never a panic.
            if let Err(err) = apierror::axum::Path::<u64>::from_request_parts(&mut parts, &()).await {
                assert_rejection(&err, true);
            }
        });
    }
}

#[cfg(feature = "actix-web")]
mod actix_extractors {
    use super::*;
    use actix_web::http::header::HeaderValue;
    use actix_web::FromRequest;

    fn request(case: &Case) -> (actix_web::HttpRequest, actix_web::dev::Payload) {
        let mut request = actix_web::test::TestRequest::post()
            .uri(&format!("/things/1?{}", case.query))
            .param("id", case.id.clone())
            .set_payload(case.body.clone());
        if let Some(value) = &case.content_type {
            request = request.append_header(("content-type", HeaderValue::from_bytes(value).unwrap()));
        }
        for (name, value) in &case.headers {
            request = request.append_header((*name, HeaderValue::from_bytes(value).unwrap()));
        }
        request.to_http_parts()
    }

    pub fn run(case: &Case, system: &actix_web::rt::SystemRunner) {
        system.block_on(async {
            let (req, mut payload) = request(case);
            let json = apierror::actix::Json::<Thing>::from_request(&req, &mut payload).await;
            if let Err(err) = &json {
                assert_rejection(err, false);
            }
            let declared = case.content_type.as_deref().is_some_and(is_declared_json);
            if !declared {
                let err = json.expect_err("a body not declared as JSON is refused");
                assert_eq!(err.status(), 415);
            }

            let (req, mut payload) = request(case);
            if let Err(err) = apierror::actix::Query::<Thing>::from_request(&req, &mut payload).await {
                assert_rejection(&err, false);
            }
            match apierror::actix::Path::<u64>::from_request(&req, &mut payload).await {
                Ok(id) => assert_eq!(Ok(*id), case.id.parse::<u64>()),
                Err(err) => assert_rejection(&err, false),
            }
        });
    }
}

/// An independent statement of which `Content-Type` values declare JSON:
/// `application/json` or `application/…+json`, any parameters.
fn is_declared_json(value: &[u8]) -> bool {
    let essence = value.split(|&b| b == b';').next().unwrap_or_default();
    let essence = String::from_utf8_lossy(essence).trim_matches([' ', '\t']).to_ascii_lowercase();
    essence == "application/json"
        || essence.strip_prefix("application/").is_some_and(|sub| sub.len() > 5 && sub.ends_with("+json"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_extractor_panics_whatever_the_request(case in case()) {
        #[cfg(feature = "axum")]
        {
            thread_local! {
                static RUNTIME: tokio::runtime::Runtime =
                    tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
            }
            RUNTIME.with(|runtime| axum_extractors::run(&case, runtime));
        }
        #[cfg(feature = "actix-web")]
        {
            thread_local! {
                static SYSTEM: actix_web::rt::SystemRunner = actix_web::rt::System::new();
            }
            SYSTEM.with(|system| actix_extractors::run(&case, system));
        }
    }
}

/// Issue 18: what a rejection's `field` echoes of the client's keys (an
/// unknown field, map keys through `serde_path_to_error`) is bounded.
mod bounded_keys {
    use std::collections::HashMap;

    use super::*;

    /// A map of the client's keys.
    type Keyed<T> = HashMap<String, T>;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Strict {
        #[serde(default)]
        m: Keyed<Keyed<Keyed<Keyed<u8>>>>,
    }

    /// The rejection's body and `field` (production).
    fn rejected<E: ApiError>(err: &E) -> (usize, Option<String>) {
        let body = err.to_response_with(&apierror::Config::production()).into_body();
        let value: serde_json::Value = serde_json::from_slice(&body).expect("a JSON body");
        (body.len(), value[0]["field"].as_str().map(str::to_owned))
    }

    /// Both frameworks' `Json<Strict>` on `body`: each rejection's body
    /// size and `field`.
    fn extract(body: &str) -> Vec<(usize, Option<String>)> {
        let mut out = Vec::new();
        #[cfg(feature = "axum")]
        {
            use axum::extract::FromRequest;
            let request = http::Request::builder()
                .method("POST")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body.to_owned()))
                .expect("a request");
            let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
            let json = runtime.block_on(apierror::axum::Json::<Strict>::from_request(request, &()));
            out.push(rejected(&json.expect_err("rejected")));
        }
        #[cfg(feature = "actix-web")]
        {
            use actix_web::FromRequest;
            let (req, mut payload) = actix_web::test::TestRequest::post()
                .insert_header(("content-type", "application/json"))
                .set_payload(body.to_owned())
                .to_http_parts();
            let json = actix_web::rt::System::new()
                .block_on(apierror::actix::Json::<Strict>::from_request(&req, &mut payload));
            out.push(rejected(&json.expect_err("rejected")));
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Whatever the keys' length and characters, the body stays under
        /// 2 KiB and `field` under 256 bytes; keys within 64 bytes are
        /// answered as sent.
        #[test]
        fn a_rejections_field_is_bounded_whatever_the_keys(
            unit in "[\\x00-\\x1f\"\\\\a-z\u{e9}\u{202e}\u{1f600}]{1,4}",
            // Up to 32 KB per key: four of them stay under actix's 256 KiB payload limit.
            repeat in prop_oneof![1usize..20, 20usize..200, 500usize..2_000],
            unknown in any::<bool>(),
        ) {
            let key = unit.repeat(repeat);
            let quoted = serde_json::to_string(&key).unwrap();
            let body = if unknown {
                format!("{{{quoted}: 1}}")
            } else {
                format!("{{\"m\": {{{quoted}: {{{quoted}: {{{quoted}: {{{quoted}: \"x\"}}}}}}}}}}")
            };
            for (size, field) in extract(&body) {
                let field = field.expect("a field");
                prop_assert!(size < 2048, "a {} byte body", size);
                prop_assert!(field.len() <= 256, "a {} byte field", field.len());
                let expected = if unknown { key.clone() } else { format!("m.{key}.{key}.{key}.{key}") };
                if key.len() <= 64 && expected.len() <= 256 {
                    prop_assert_eq!(field, expected);
                } else {
                    prop_assert!(field.ends_with('\u{2026}'), "{:?}", field);
                }
            }
        }
    }
}
