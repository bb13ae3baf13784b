//! The team's own variants: `upstream(service = …, status = …)` mappings.

use super::*;

/// What a team writes: `upstream(service = "billing", status = …)` makes
/// the derive implement `FromUpstreamError`.
#[derive(Debug, thiserror::Error, ApiError)]
pub enum BillingError {
    #[error("the card was declined")]
    #[api(
        status = 402,
        code = "upstream-test.card_declined",
        message = "Your card was declined.",
        upstream(service = "billing", status = 402)
    )]
    CardDeclined(#[source] UpstreamError),

    #[error("no such invoice")]
    #[api(
        status = 404,
        code = "upstream-test.no_invoice",
        message = "There is no such invoice.",
        upstream(service = "billing", status = 404)
    )]
    NoInvoice,

    #[error(transparent)]
    #[api(transparent)]
    Upstream(#[from] UpstreamError),
}

/// A handler: one call converts.
async fn handler(service: &'static str, address: SocketAddr) -> Result<Value, BillingError> {
    let invoice =
        upstream::json(service, client().get(url(address))).await.map_err(BillingError::from_upstream)?;
    Ok(invoice)
}

#[derive(Debug, thiserror::Error, ApiError)]
pub enum OrderError {
    #[error("the order cannot ship")]
    #[api(status = 422, code = "upstream-test.cannot_ship", upstream(service = "orders", status = 422))]
    CannotShip(#[source] UpstreamError),

    #[error(transparent)]
    #[api(transparent)]
    Upstream(#[from] UpstreamError),
}

/// A mapped upstream 422 is one event: the team's code (what the client
/// got) with the upstream's facts; nothing says `bad_gateway`.
#[test]
fn a_mapped_upstream_422_logs_one_event_with_the_teams_code_and_the_upstream_facts() {
    let ((err, address), log) = run(async {
        let address = start(answer("422 Unprocessable Entity", &[])).await;
        let err = upstream::json::<Value>("orders", client().get(url(address))).await.unwrap_err();
        (OrderError::from_upstream(err), address)
    });
    assert!(matches!(err, OrderError::CannotShip(_)), "{err:?}");
    let events = format!("{log}{}", render_log(&err));
    let events: Vec<&str> = events.lines().filter(|line| line.contains("error.code=")).collect();
    assert_eq!(events.len(), 1, "{events:#?}");
    let event = events[0];
    for field in [
        "error.code=\"upstream-test.cannot_ship\"".to_owned(),
        "upstream.service=orders".to_owned(),
        "upstream.status=422".to_owned(),
        "upstream.failure=\"status\"".to_owned(),
        format!("upstream.url=http://{address}{PATH}"),
    ] {
        assert!(event.contains(&field), "{event} lacks {field}");
    }
    assert!(!event.contains("bad_gateway") && !event.contains(SECRET), "{event}");
}

#[test]
fn a_mapped_status_is_the_teams_variant() {
    let (err, log) = run(async {
        let address = start(answer("402 Payment Required", &[])).await;
        handler("billing", address).await.unwrap_err()
    });
    assert!(matches!(err, BillingError::CardDeclined(_)), "{err:?}");
    let response = err.to_response_with(&Config::production());
    assert_eq!(response.status(), 402);
    assert_eq!(code_of(&response), "upstream-test.card_declined");
    assert!(!log.contains("does not map"), "a mapped status asks for nothing: {log}");

    let (err, log) = run(async {
        let address = start(answer("404 Not Found", &[])).await;
        handler("billing", address).await.unwrap_err()
    });
    assert!(matches!(err, BillingError::NoInvoice), "{err:?}");
    assert_eq!(err.to_response_with(&Config::production()).status(), 404);
    assert!(!log.contains("does not map"), "{log}");
}

#[test]
fn an_unmapped_status_is_a_502_and_one_warning_naming_the_attribute() {
    let attribute = "add `#[api(..., upstream(service = \\\"ledger\\\", status = 404))]` to that variant";
    let warnings = |log: &str| log.lines().filter(|line| line.contains("does not map")).count();
    let (err, log) = run(async {
        let address = start(answer("404 Not Found", &[])).await;
        handler("ledger", address).await.unwrap_err()
    });
    assert!(matches!(&err, BillingError::Upstream(inner) if inner.kind() == UpstreamErrorKind::BadGateway));
    let response = err.to_response_with(&Config::production());
    assert_eq!(response.status(), 502);
    assert_eq!(code_of(&response), "apierror.upstream.bad_gateway");
    assert_eq!(warnings(&log), 1, "{log}");
    let warning = log.lines().find(|line| line.contains("does not map")).unwrap();
    assert!(warning.contains(" WARN "), "{warning}");
    assert!(warning.contains(attribute) || warning.contains(&attribute.replace("\\\"", "\"")), "{warning}");
    assert!(warning.contains("BillingError"), "{warning}");
    assert!(!warning.contains("error.code="), "a hint, not an error event: {warning}");
    assert!(!warning.contains(SECRET) && !warning.contains(CANARY), "{warning}");

    // Once per process: the same status again asks nothing more; another
    // status asks again.
    let (_, log) = run(async {
        let address = start(answer("404 Not Found", &[])).await;
        handler("ledger", address).await.unwrap_err()
    });
    assert_eq!(warnings(&log), 0, "{log}");
    let (_, log) = run(async {
        let address = start(answer("409 Conflict", &[])).await;
        handler("ledger", address).await.unwrap_err()
    });
    assert_eq!(warnings(&log), 1, "{log}");
    // A 5xx or a timeout is the table's, not a mapping to ask for.
    let (_, log) = run(async {
        let address = start(answer("500 Internal Server Error", &[])).await;
        handler("ledger", address).await.unwrap_err()
    });
    assert_eq!(warnings(&log), 0, "{log}");
}

/// The runtime half: what a `transparent` variant delegates to carries the
/// upstream's own `Retry-After`.
#[test]
fn the_upstreams_retry_after_is_what_transparent_delegates() {
    let (err, _) = run(async {
        let address = start(answer("503 Service Unavailable", &["Retry-After: 9"])).await;
        handler("billing", address).await.unwrap_err()
    });
    let BillingError::Upstream(inner) = &err else { panic!("{err:?}") };
    assert_eq!(apierror::__private::Transparent::retry_after(inner), Some(9));
    assert_eq!(retry_after(&inner.to_response_with(&Config::production())), Some(9));
}

/// The derive's half: `ApiError::retry_after` delegated through a
/// `transparent` variant, as every other method is.
#[test]
fn the_upstreams_retry_after_goes_through_a_transparent_variant() {
    let (err, _) = run(async {
        let address = start(answer("503 Service Unavailable", &["Retry-After: 9"])).await;
        handler("billing", address).await.unwrap_err()
    });
    let response = err.to_response_with(&Config::production());
    assert_eq!(response.status(), 503);
    assert_eq!(retry_after(&response), Some(9));
}
