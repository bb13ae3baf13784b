//! The table: each upstream failure answered with its status and code, and the constructors.

use super::*;

#[test]
fn an_upstream_500_or_502_is_a_502() {
    for status in ["500 Internal Server Error", "502 Bad Gateway", "504 Gateway Timeout"] {
        let code: u16 = status[..3].parse().unwrap();
        assert_row(answer(status, &[]), 502, "apierror.upstream.bad_gateway", Failure::Status, Some(code));
    }
}

#[test]
fn an_upstream_503_is_a_503_keeping_its_retry_after_seconds() {
    let ((err, address), log) = run(call(answer("503 Service Unavailable", &["Retry-After: 7"])));
    let (production, _) = rendered(&err, address, &log);
    assert_eq!(production.status(), 503);
    assert_eq!(code_of(&production), "apierror.upstream.unavailable");
    assert_eq!(retry_after(&production), Some(7));
    let event = render_log(&err);
    assert!(event.contains("upstream.retry_after=7"), "{event}");
}

#[test]
fn an_upstream_503_with_an_http_date_is_seconds_from_now() {
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
    let header = format!("Retry-After: {date}");
    let ((err, address), log) = run(call(answer("503 Service Unavailable", &[&header])));
    let (production, _) = rendered(&err, address, &log);
    assert_eq!(production.status(), 503);
    let seconds = retry_after(&production).expect("Retry-After");
    assert!((115..=120).contains(&seconds), "{seconds}");

    // A date a year away is clamped to an hour.
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(365 * 86400));
    let header = format!("Retry-After: {date}");
    let ((err, _), _) = run(call(answer("503 Service Unavailable", &[&header])));
    assert_eq!(err.retry_after(), Some(upstream::MAX_RETRY_AFTER));
}

#[test]
fn an_upstream_429_is_a_503_with_an_absurd_retry_after_clamped() {
    let ((err, address), log) =
        run(call(answer("429 Too Many Requests", &["Retry-After: 999999999999999999999999"])));
    let (production, _) = rendered(&err, address, &log);
    assert_eq!(production.status(), 503);
    assert_eq!(code_of(&production), "apierror.upstream.unavailable");
    assert_eq!(retry_after(&production), Some(3600));
    // No Retry-After from the upstream: none from us.
    let ((err, _), _) = run(call(answer("429 Too Many Requests", &[])));
    assert_eq!(err.kind(), UpstreamErrorKind::Unavailable);
    assert_eq!(retry_after(&err.to_response_with(&Config::production())), None);
}

#[test]
fn our_credentials_refused_are_a_502_not_the_clients_401_or_403() {
    for status in ["401 Unauthorized", "403 Forbidden"] {
        let code: u16 = status[..3].parse().unwrap();
        let development = assert_row(
            answer(status, &[]),
            502,
            "apierror.upstream.bad_gateway",
            Failure::Status,
            Some(code),
        );
        assert_eq!(
            development[0]["message"],
            "A service this request depends on failed. Please try again later."
        );
    }
}

#[test]
fn a_body_that_is_not_the_json_expected_is_a_502() {
    let raw = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 27\r\n\r\n<html>{CANARY} oops</html>"
    );
    assert_row(Answer::Raw(raw.into_bytes()), 502, "apierror.upstream.bad_gateway", Failure::Decode, None);
    // JSON, but not the shape expected: serde's message would quote the
    // canary; it is neither kept nor logged.
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Invoice {
        total: u64,
    }
    let body = format!("{{\"total\":\"{CANARY}\"}}");
    let raw = format!("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}", body.len());
    let ((err, address), log) = run(async {
        let address = start(Answer::Raw(raw.into_bytes())).await;
        (upstream::json::<Invoice>("billing", client().get(url(address))).await.unwrap_err(), address)
    });
    assert_eq!(err.failure(), Failure::Decode);
    rendered(&err, address, &log);
}

#[test]
fn a_body_cut_off_midway_is_a_502() {
    let raw = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 500\r\n\r\n{{\"total\":\"{CANARY}"
    );
    assert_row(Answer::Raw(raw.into_bytes()), 502, "apierror.upstream.bad_gateway", Failure::Body, None);
}

#[test]
fn headers_never_sent_before_the_timeout_are_a_504() {
    let development = assert_row(Answer::Silent, 504, "apierror.upstream.timeout", Failure::Timeout, None);
    assert!(development[0]["debug"]["display"].as_str().unwrap().contains("did not answer in time"));
}

#[test]
fn a_refused_connection_is_a_503_without_retry_after() {
    let ((err, address), log) = run(async {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = closed.local_addr().unwrap();
        drop(closed);
        (upstream::json::<Value>("billing", client().get(url(address))).await.unwrap_err(), address)
    });
    assert_eq!(err.failure(), Failure::Connect);
    let (production, development) = rendered(&err, address, &log);
    assert_eq!(production.status(), 503);
    assert_eq!(code_of(&production), "apierror.upstream.unavailable");
    assert_eq!(retry_after(&production), None);
    let display = development[0]["debug"]["display"].as_str().unwrap();
    assert!(display.contains("connection refused"), "the I/O error's kind: {display}");
    let event = render_log(&err);
    assert!(event.contains("upstream.failure=\"connect\""), "{event}");
}

#[test]
fn a_redirect_loop_is_a_502() {
    assert_row(Answer::RedirectLoop, 502, "apierror.upstream.bad_gateway", Failure::Redirect, None);
}

#[test]
fn from_reqwest_and_from_response_directly() {
    let ((timeout, refused, response), log) = run(async {
        let silent = start(Answer::Silent).await;
        let timeout = client().get(url(silent)).send().await.unwrap_err();
        let timeout = UpstreamError::from_reqwest("billing", timeout);
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = closed.local_addr().unwrap();
        drop(closed);
        let refused = client().get(url(address)).send().await.unwrap_err();
        let refused = UpstreamError::from_reqwest("billing", refused);
        let unavailable = start(answer("503 Service Unavailable", &["Retry-After: 30"])).await;
        let response = client().get(url(unavailable)).send().await.unwrap();
        let response = UpstreamError::from_response("billing", &response);
        (timeout, refused, response)
    });
    assert!(!log.contains(SECRET), "{log}");
    assert_eq!(timeout.kind(), UpstreamErrorKind::Timeout);
    assert_eq!(timeout.to_response_with(&Config::production()).status(), 504);
    assert_eq!(refused.kind(), UpstreamErrorKind::Unavailable);
    assert_eq!(response.kind(), UpstreamErrorKind::Unavailable);
    assert_eq!(response.retry_after(), Some(30));
    assert_eq!(response.service(), "billing");
    assert!(response.url().unwrap().ends_with(PATH), "{:?}", response.url());
    // reqwest's own Display has the query: that is why it is never used.
    let ((), log) = run(async {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = closed.local_addr().unwrap();
        drop(closed);
        let err = client().get(url(address)).send().await.unwrap_err();
        assert!(
            format!("{err} {err:?}").contains(SECRET),
            "reqwest shows the query: the test would catch a leak"
        );
        let err = UpstreamError::from_reqwest("billing", err);
        assert!(!format!("{err} {err:?}").contains(SECRET));
    });
    assert!(!log.contains(SECRET));
}
