//! The upstream codes in the catalog.

use super::*;

#[test]
fn the_upstream_codes_are_in_the_catalog_with_their_statuses() {
    let table = apierror::registry::markdown();
    for row in [
        "| `apierror.upstream.bad_gateway` | 502 Bad Gateway | `apierror::upstream::UpstreamError::BadGateway` |",
        "| `apierror.upstream.timeout` | 504 Gateway Timeout | `apierror::upstream::UpstreamError::Timeout` |",
        "| `apierror.upstream.unavailable` | 503 Service Unavailable | `apierror::upstream::UpstreamError::Unavailable` |",
    ] {
        assert!(table.contains(row), "{row} missing from\n{table}");
    }
    let catalog: Value = serde_json::from_str(&apierror::registry::json()).unwrap();
    let statuses: Vec<(String, u64)> = catalog
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["code"].as_str().unwrap().starts_with("apierror.upstream."))
        .map(|entry| (entry["code"].as_str().unwrap().to_owned(), entry["status"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("apierror.upstream.bad_gateway".to_owned(), 502),
            ("apierror.upstream.timeout".to_owned(), 504),
            ("apierror.upstream.unavailable".to_owned(), 503),
        ]
    );
    // The library's own, as every `apierror.*` code: never in a team's lock.
    for code in
        ["apierror.upstream.bad_gateway", "apierror.upstream.timeout", "apierror.upstream.unavailable"]
    {
        assert_eq!(apierror::registry::find(code).unwrap().crate_name(), "apierror");
    }
    apierror::registry::check().unwrap();
}

#[test]
fn an_upstream_that_hangs_up_or_does_not_speak_http_is_a_502() {
    assert_row(Answer::Raw(Vec::new()), 502, "apierror.upstream.bad_gateway", Failure::Request, None);
    let garbage = format!("SSH-2.0-{CANARY}\r\n\r\n").into_bytes();
    assert_row(Answer::Raw(garbage), 502, "apierror.upstream.bad_gateway", Failure::Request, None);
}
