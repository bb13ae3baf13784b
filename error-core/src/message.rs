//! The generic production message for every 4xx and 5xx status.

/// The sentence sent in production for a status whose variant declares no
/// `message`.
///
/// Every 4xx status that `http::StatusCode` names has its own sentence; any
/// other 4xx gets "The request could not be processed.", and every 5xx gets
/// "An unexpected error occurred. Please try again later.", so nothing about
/// the failure leaks.
///
/// ```
/// assert_eq!(apierror::generic_message(404), "The requested resource was not found.");
/// assert_eq!(
///     apierror::generic_message(503),
///     "An unexpected error occurred. Please try again later.",
/// );
/// ```
#[must_use]
pub const fn generic_message(status: u16) -> &'static str {
    match status {
        400 => "The request is invalid.",
        401 => "Authentication is required to access this resource.",
        402 => "Payment is required to access this resource.",
        403 => "You do not have permission to access this resource.",
        404 => "The requested resource was not found.",
        405 => "The request method is not allowed for this resource.",
        406 => "The requested representation is not available.",
        407 => "Proxy authentication is required.",
        408 => "The request took too long to arrive.",
        409 => "The request conflicts with the current state of the resource.",
        410 => "The requested resource is no longer available.",
        411 => "The request must declare its content length.",
        412 => "A precondition of the request was not met.",
        413 => "The request body is too large.",
        414 => "The request URI is too long.",
        415 => "The request body has an unsupported media type.",
        416 => "The requested range cannot be satisfied.",
        417 => "The expectation given in the request cannot be met.",
        418 => "The server refuses to brew coffee because it is a teapot.",
        421 => "The request was sent to a server that cannot answer it.",
        422 => "The request is well-formed but contains invalid data.",
        423 => "The requested resource is locked.",
        424 => "The request failed because a request it depends on failed.",
        425 => "The request was sent too early. Please try again.",
        426 => "The request must be repeated over an upgraded protocol.",
        428 => "The request must be conditional.",
        429 => "Too many requests. Please try again later.",
        431 => "The request headers are too large.",
        451 => "The requested resource is unavailable for legal reasons.",
        status if status < 500 => "The request could not be processed.",
        _ => "An unexpected error occurred. Please try again later.",
    }
}

/// Whether `status` is an error status (a 4xx or a 5xx): the one
/// definition of the library. Only these are rendered as errors (an
/// [`Entry`](crate::Entry)'s status is one), rewritten by the framework
/// layers, kept by a [`BuiltinError`](crate::builtin::BuiltinError) made
/// for a status, and given the request id header.
pub(crate) const fn is_error_status(status: u16) -> bool {
    400 <= status && status <= 599
}

#[cfg(test)]
mod tests {
    use super::{generic_message, is_error_status};

    #[test]
    fn an_error_status_is_a_client_or_server_error() {
        for code in 100..=999u16 {
            let status = http::StatusCode::from_u16(code).unwrap();
            assert_eq!(is_error_status(code), status.is_client_error() || status.is_server_error(), "{code}");
        }
        assert!(
            !is_error_status(399) && is_error_status(400) && is_error_status(599) && !is_error_status(600)
        );
        assert!(!is_error_status(0) && !is_error_status(u16::MAX));
    }

    #[test]
    fn every_named_client_and_server_status_has_a_sentence() {
        for code in 400..=599u16 {
            let Ok(status) = http::StatusCode::from_u16(code) else { continue };
            let message = generic_message(code);
            assert!(message.ends_with('.'), "{code}: {message}");
            assert_eq!(message.trim(), message);
            if status.is_server_error() {
                assert_eq!(message, "An unexpected error occurred. Please try again later.");
            } else if status.canonical_reason().is_some() {
                assert_ne!(
                    message, "The request could not be processed.",
                    "{code} deserves its own sentence"
                );
            }
        }
        assert_eq!(generic_message(404), "The requested resource was not found.");
    }
}
