//! The upstream's body in the log, only when asked for, bounded and escaped.

use super::*;

#[test]
fn the_body_is_logged_only_when_turned_on_and_only_its_first_bytes() {
    let body = format!("{CANARY}\nFORGED line {SECRET}-in-body-tail");
    let raw = format!(
        "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let (err, log) = run({
        let raw = raw.clone();
        async move {
            let address = start(Answer::Raw(raw.into_bytes())).await;
            upstream::json::<Value>("billing", client().get(url(address))).await.unwrap_err()
        }
    });
    assert!(!log.contains(CANARY), "off by default: {log}");
    assert_eq!(err.kind(), UpstreamErrorKind::BadGateway);

    let logged = Config::production().with_upstream_body_logged(CANARY.len() + 7);
    let (err, log) = run_with(&logged, async move {
        let address = start(Answer::Raw(raw.into_bytes())).await;
        upstream::json::<Value>("billing", client().get(url(address))).await.unwrap_err()
    });
    assert_eq!(err.kind(), UpstreamErrorKind::BadGateway);
    assert!(!log.contains("upstream.body"), "the call logs nothing: {log}");
    let log = render_log(&err);
    let event = log.lines().find(|line| line.contains("upstream.body")).expect(&log);
    assert!(event.contains(&format!("upstream.body={CANARY}\\nFORGED")), "escaped, first bytes: {event}");
    assert!(!log.contains("FORGED line"), "bounded: {log}");
    assert!(!log.contains(SECRET), "{log}");
    for line in log.lines() {
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
    // Never in a body, even when logged.
    let body = err.to_response_with(&Config::development()).into_body();
    assert!(!String::from_utf8(body).unwrap().contains(CANARY));
}
