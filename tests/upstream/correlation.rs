//! Correlation across the call (issue 21, item 3): what a call made inside
//! a request carries to a recording upstream on loopback, and the
//! upstream's own request id, read back from its header or from the body
//! apierror renders, in our event and never in our body.

use apierror::{Format, RequestId};

use super::recording::{answering as recording, received, response};
use super::*;

const OK: &str = r#"{"id":"ch_1"}"#;

#[test]
fn calls_inside_a_request_carry_its_id_and_outside_nothing() {
    // `upstream::json` inside a request's scope.
    let id = RequestId::parse("req-corr-1").unwrap();
    let (heads, _) = id.scope(|| {
        run(async {
            let (address, heads) = recording(response("200 OK", &[], OK)).await;
            upstream::json::<Value>("billing", client().get(url(address))).await.expect("200");
            heads
        })
    });
    assert_eq!(received(&heads, "x-request-id"), ["req-corr-1"]);
    assert_eq!(received(&heads, "traceparent"), Vec::<String>::new(), "the request brought none");

    // Under the configured name, for `send`.
    let config =
        Config::production().with_request_id_header(http::HeaderName::from_static("x-correlation-id"));
    let (heads, _) = id.scope(|| {
        run_with(&config, async {
            let (address, heads) = recording(response("200 OK", &[], OK)).await;
            upstream::send("billing", client().get(url(address))).await.expect("200");
            heads
        })
    });
    assert_eq!(received(&heads, "x-correlation-id"), ["req-corr-1"]);
    assert_eq!(received(&heads, "x-request-id"), Vec::<String>::new());

    // Outside any request: nothing added.
    let (heads, _) = run(async {
        let (address, heads) = recording(response("200 OK", &[], OK)).await;
        upstream::json::<Value>("billing", client().get(url(address))).await.expect("200");
        heads
    });
    assert_eq!(received(&heads, "x-request-id"), Vec::<String>::new());
    assert_eq!(received(&heads, "traceparent"), Vec::<String>::new());
}

/// A team's own reqwest call: `upstream::correlate`, or the headers of
/// `RequestId::outgoing_headers` for any client.
#[test]
fn a_teams_own_calls_carry_it_through_correlate_or_the_headers() {
    let id = RequestId::parse("req-own-2").unwrap();
    let (heads, _) = id.scope(|| {
        run(async {
            let (address, heads) = recording(response("200 OK", &[], OK)).await;
            let request = client().get(url(address)).header("x-team", "kept");
            let answer = upstream::correlate(request).send().await.expect("sent");
            assert_eq!(answer.status(), 200);
            heads
        })
    });
    assert_eq!(received(&heads, "x-request-id"), ["req-own-2"]);
    assert_eq!(received(&heads, "x-team"), ["kept"], "the team's headers stay");

    let (heads, _) = id.scope(|| {
        run(async {
            let (address, heads) = recording(response("200 OK", &[], OK)).await;
            let headers = RequestId::outgoing_headers();
            client().get(url(address)).headers(headers).send().await.expect("sent");
            heads
        })
    });
    assert_eq!(received(&heads, "x-request-id"), ["req-own-2"]);
}

/// Calls the recording upstream answering `raw` through `upstream::json`
/// under `config`; returns the error and the render's one event.
fn failed_call(config: &Config, raw: String) -> (UpstreamError, String) {
    let (err, _) = run_with(config, async move {
        let (address, _) = recording(raw).await;
        upstream::json::<Value>("billing", client().get(url(address))).await.expect_err("fails")
    });
    let event = config.scope(|| render_log(&err));
    assert_eq!(event.lines().count(), 1, "one event: {event}");
    (err, event)
}

/// What apierror itself answers for an error with request id `id` under
/// `config`, as a raw response without its request id header (a proxy
/// dropped it, or the upstream names it otherwise): the id is in the body only.
fn apierror_answer(config: &Config, id: &str) -> String {
    let (err, _) = run(async {
        let closed = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
        upstream::json::<Value>("billing", client().get(format!("http://{closed}")))
            .await
            .expect_err("refused")
    });
    let rendered = err.to_response_with_id(config, &RequestId::parse(id).unwrap());
    let content_type = rendered.headers()["content-type"].to_str().unwrap().to_owned();
    let body = String::from_utf8(rendered.into_body()).unwrap();
    assert!(body.contains(id), "the upstream's body carries its id: {body}");
    response("503 Service Unavailable", &[&format!("Content-Type: {content_type}")], &body)
}

#[test]
fn the_upstreams_request_id_is_in_our_event_and_never_in_our_body() {
    let production = Config::production();
    let cases = [
        ("header", response("503 Service Unavailable", &["X-Request-Id: up-hdr-1"], "{}"), "up-hdr-1"),
        (
            "array body (`details.request_id` of a 5xx)",
            apierror_answer(&Config::production().with_request_id_in_details(true), "up-array-2"),
            "up-array-2",
        ),
        (
            "problem body (`instance`)",
            apierror_answer(&Config::production().with_format(Format::Problem), "up-problem-3"),
            "up-problem-3",
        ),
    ];
    for (case, raw, id) in cases {
        let (err, event) = failed_call(&production, raw);
        assert_eq!(err.upstream_request_id(), Some(id), "{case}");
        assert!(event.contains(&format!("upstream.request_id={id}")), "{case}: {event}");
        for config in [Config::production(), Config::development()] {
            let body = String::from_utf8(err.to_response_with(&config).into_body()).unwrap();
            assert!(!body.contains(id), "{case}: never in our body: {body}");
        }
    }

    // The configured header name; a success body that does not decode keeps it too.
    let named =
        Config::production().with_request_id_header(http::HeaderName::from_static("x-correlation-id"));
    let (err, _) = failed_call(&named, response("502 Bad Gateway", &["X-Correlation-Id: up-named-4"], ""));
    assert_eq!(err.upstream_request_id(), Some("up-named-4"));
    let (err, event) = failed_call(&production, response("200 OK", &["X-Request-Id: up-ok-5"], "<html>"));
    assert_eq!((err.failure(), err.upstream_request_id()), (Failure::Decode, Some("up-ok-5")));
    assert!(event.contains("upstream.request_id=up-ok-5"), "{event}");
}

#[test]
fn the_body_is_read_for_it_only_when_json_and_small() {
    let production = Config::production();
    let problem = r#"{"type":"about:blank","instance":"urn:request:up-6"}"#;
    let json = "Content-Type: application/problem+json";
    let (err, _) = failed_call(&production, response("500 Internal Server Error", &[json], problem));
    assert_eq!(err.upstream_request_id(), Some("up-6"));
    // Not JSON: not read.
    let text = "Content-Type: text/plain";
    let (err, _) = failed_call(&production, response("500 Internal Server Error", &[text], problem));
    assert_eq!(err.upstream_request_id(), None);
    // Declared larger than 16 KiB: not read.
    let padded = format!(r#"{{"instance":"urn:request:up-7","pad":"{}"}}"#, "x".repeat(16 * 1024));
    let (err, _) = failed_call(&production, response("500 Internal Server Error", &[json], &padded));
    assert_eq!(err.upstream_request_id(), None);
    // Streamed past 16 KiB: dropped, nothing found.
    let chunked = format!(
        "HTTP/1.1 500 Internal Server Error\r\n{json}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{padded}\r\n0\r\n\r\n",
        padded.len()
    );
    let (err, _) = failed_call(&production, chunked);
    assert_eq!(err.upstream_request_id(), None);
}

#[test]
fn a_hostile_id_is_escaped_and_bounded() {
    let production = Config::production();
    // In a header: a bidirectional override (obs-text bytes) and 1000 bytes.
    let hostile = format!("up\u{202e}{}", "x".repeat(1000));
    let (err, event) = failed_call(
        &production,
        response("503 Service Unavailable", &[&format!("X-Request-Id: {hostile}")], ""),
    );
    let kept = err.upstream_request_id().expect("kept");
    assert!(kept.len() < 300 && kept.ends_with("[…]"), "bounded: {kept}");
    assert!(event.contains("upstream.request_id=up\\u{202e}xxx"), "escaped: {event}");
    assert!(!event.contains('\u{202e}') && !event.contains(&"x".repeat(300)), "{event}");

    // In a body: a forged line.
    let body = r#"{"instance":"urn:request:up-8\nERROR forged=1"}"#;
    let raw = response("500 Internal Server Error", &["Content-Type: application/problem+json"], body);
    let (err, event) = failed_call(&production, raw);
    assert_eq!(err.upstream_request_id(), Some("up-8\nERROR forged=1"));
    assert!(event.contains("upstream.request_id=up-8\\nERROR forged=1"), "{event}");
    assert_eq!(event.lines().count(), 1, "{event}");
}

/// A request's W3C trace context, as the axum layer reads it, through each
/// way out of a handler: `upstream::json`, `upstream::correlate` and the
/// headers of `RequestId::outgoing_headers` (one policy behind all three).
#[cfg(feature = "axum")]
mod trace_context {
    use tower_service::Service as _;

    use super::super::recording::Head;
    use super::*;

    const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    /// Unchanged on the way out, the space after the comma included.
    const TRACESTATE: &str = "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE";

    /// The heads of the three calls a handler behind
    /// `layer_with(config)` makes for a request with `headers`.
    fn calls(config: Config, headers: &[(&str, &str)]) -> Vec<Head> {
        let (heads, _) = run(async {
            let (address, heads) = recording(response("200 OK", &[], OK)).await;
            let handler = move || async move {
                upstream::json::<Value>("billing", client().get(url(address))).await.expect("200");
                upstream::correlate(client().get(url(address))).send().await.expect("sent");
                let headers = RequestId::outgoing_headers();
                client().get(url(address)).headers(headers).send().await.expect("sent");
            };
            let mut app = axum::Router::new()
                .route("/v1/charge", axum::routing::get(handler))
                .layer(apierror::axum::layer_with(config));
            let mut request = http::Request::builder().uri("/v1/charge");
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            let answer = app.call(request.body(axum::body::Body::empty()).unwrap()).await.unwrap();
            assert_eq!(answer.status(), 200);
            heads
        });
        let heads = heads.lock().unwrap().clone();
        assert_eq!(heads.len(), 3, "three calls: {heads:?}");
        heads
    }

    /// The value of `name` in `head`, if sent (once at most).
    fn value<'a>(head: &'a Head, name: &str) -> Option<&'a str> {
        let mut values = head.iter().filter(|(n, _)| n == name).map(|(_, value)| value.as_str());
        let first = values.next();
        assert_eq!(values.next(), None, "{name} sent once: {head:?}");
        first
    }

    #[test]
    fn the_traceparent_and_tracestate_go_on_unchanged() {
        let headers =
            [("x-request-id", "req-tc-1"), ("traceparent", TRACEPARENT), ("tracestate", TRACESTATE)];
        for head in calls(Config::production(), &headers) {
            assert_eq!(value(&head, "x-request-id"), Some("req-tc-1"), "{head:?}");
            assert_eq!(value(&head, "traceparent"), Some(TRACEPARENT), "{head:?}");
            assert_eq!(value(&head, "tracestate"), Some(TRACESTATE), "{head:?}");
        }
    }

    #[test]
    fn a_malformed_or_oversized_tracestate_is_dropped_and_the_traceparent_kept() {
        // 32 well-formed members, 543 bytes: past the 512 passed on.
        let oversized = (0..32).map(|i| format!("k{i:02}={}", "v".repeat(12))).collect::<Vec<_>>().join(",");
        let thirty_three = (0..33).map(|i| format!("k{i}=v")).collect::<Vec<_>>().join(",");
        for tracestate in
            ["Rojo=1", "rojo=1,rojo=2", "rojo=a=b", "rojo=\u{e9}", "rojo=a\tb", &oversized, &thirty_three]
        {
            let headers = [("traceparent", TRACEPARENT), ("tracestate", tracestate)];
            for head in calls(Config::production(), &headers) {
                assert_eq!(value(&head, "traceparent"), Some(TRACEPARENT), "{head:?}");
                assert_eq!(value(&head, "tracestate"), None, "{tracestate}: {head:?}");
            }
        }
    }

    #[test]
    fn no_tracestate_without_the_traceparent_nor_from_a_distrusted_client() {
        let invalid = TRACEPARENT.to_uppercase();
        let cases = [
            (Config::production(), vec![("tracestate", TRACESTATE)]),
            (Config::production(), vec![("traceparent", invalid.as_str()), ("tracestate", TRACESTATE)]),
            (
                Config::production().with_client_request_id_trusted(false),
                vec![("x-request-id", "req-tc-2"), ("traceparent", TRACEPARENT), ("tracestate", TRACESTATE)],
            ),
        ];
        for (config, headers) in cases {
            for head in calls(config, &headers) {
                assert!(value(&head, "x-request-id").is_some_and(|id| id != "req-tc-2"), "ours: {head:?}");
                assert_eq!(value(&head, "traceparent"), None, "{head:?}");
                assert_eq!(value(&head, "tracestate"), None, "{head:?}");
            }
        }
    }
}
