### apierror's built-in messages in English: the production message of every
### built-in code (`apierror.*`, all features on) and the generic message of
### every error status (`status-NNN`), word for word what the crate sends
### untranslated.
###
### Key of a code: letters, digits and `_` stay, `.` → `--`, `-` → `-h`, `:` → `-c`; a code starting with a digit or `_` gets the prefix `e-`, one starting with `.`, `-` or `:` gets `e-x` (`apierror.db.busy` → `apierror--db--busy`, `1010` → `e-1010`).
###
### Teams: copy this file (and de.ftl) into your own `locales/` folder to
### change a message, and add your own codes beside them. A message may use
### only the variables its production message names, e.g. `{ $given }`.

## The request's body, path and query, refused by the extractors

apierror--invalid_json = The request body is not valid JSON.
apierror--missing_field = A required field is missing.
apierror--invalid_type = A field has the wrong type.
apierror--invalid_value = A field has an invalid value.
apierror--unknown_field = The request has a field that is not accepted.
apierror--unsupported_media_type = The request body must be JSON, sent with `Content-Type: application/json`.
apierror--payload_too_large = The request body is too large.
apierror--invalid_path = A path parameter is invalid.
apierror--invalid_query = A query parameter is invalid.

## Routing: no route matches, or the route does not answer this method

apierror--not_found = The requested resource was not found.
apierror--method_not_allowed = The request method is not allowed for this resource.

## Error responses of a middleware or the framework, rewritten into the common body

apierror--bad_request = The request is invalid.
apierror--unauthorized = Authentication is required to access this resource.
apierror--forbidden = You do not have permission to access this resource.
apierror--timeout = The request took too long to arrive.
apierror--too_many_requests = Too many requests. Please try again later.
# Any other 4xx. This is the message of its registered status (400); the
# crate answers with the rewritten status, and that status's generic message
# (status-NNN below).
apierror--client_error = The request is invalid.
apierror--service_unavailable = An unexpected error occurred. Please try again later.
# Any other 5xx, with its own status: see apierror--client_error.
apierror--server_error = An unexpected error occurred. Please try again later.

## Unexpected failures: a panic in a handler, an empty `Errors`, a bare 500

apierror--internal = An unexpected error occurred. Please try again later.

## Validation rules (features `validator` and `garde`)

apierror--validation--length = The value is too short or too long.
apierror--validation--range = The value is out of the allowed range.
apierror--validation--email = The value is not a valid email address.
apierror--validation--url = The value is not a valid URL.
apierror--validation--must_match = The value does not match the field it must match.
apierror--validation--regex = The value does not have the expected format.
apierror--validation--contains = The value does not contain what it must.
apierror--validation--does_not_contain = The value contains something it must not.
apierror--validation--prefix = The value does not start as it must.
apierror--validation--suffix = The value does not end as it must.
apierror--validation--credit_card = The value is not a valid card number.
apierror--validation--phone_number = The value is not a valid phone number.
apierror--validation--ip = The value is not a valid IP address.
apierror--validation--ascii = The value may contain only ASCII characters.
apierror--validation--alphanumeric = The value may contain only letters and digits.
apierror--validation--non_control_character = The value may not contain control characters.
apierror--validation--required = A required value is missing.
apierror--validation--custom = The value is invalid.
apierror--validation--too_many = There are more validation errors than are listed.

## The database (features `sqlx`, `sqlx-postgres`, `sqlx-mysql`, `sqlx-sqlite`, `tokio-postgres`)

apierror--db--not_found = The requested resource was not found.
apierror--db--conflict = The request conflicts with the current state of the data.
apierror--db--invalid_input = The request has a value that cannot be stored.
apierror--db--busy = The service is busy. Please try again.
apierror--db--timeout = The request took too long. Please try again later.
apierror--db--unavailable = The service is temporarily unavailable. Please try again later.
apierror--db--internal = An unexpected error occurred. Please try again later.

## Upstream services (feature `reqwest`)

apierror--upstream--timeout = A service this request depends on did not answer in time. Please try again later.
apierror--upstream--unavailable = A service this request depends on is unavailable. Please try again later.
apierror--upstream--bad_gateway = A service this request depends on failed. Please try again later.

## Generic messages per status: for an error that declares no message of its own

status-400 = The request is invalid.
status-401 = Authentication is required to access this resource.
status-402 = Payment is required to access this resource.
status-403 = You do not have permission to access this resource.
status-404 = The requested resource was not found.
status-405 = The request method is not allowed for this resource.
status-406 = The requested representation is not available.
status-407 = Proxy authentication is required.
status-408 = The request took too long to arrive.
status-409 = The request conflicts with the current state of the resource.
status-410 = The requested resource is no longer available.
status-411 = The request must declare its content length.
status-412 = A precondition of the request was not met.
status-413 = The request body is too large.
status-414 = The request URI is too long.
status-415 = The request body has an unsupported media type.
status-416 = The requested range cannot be satisfied.
status-417 = The expectation given in the request cannot be met.
status-418 = The server refuses to brew coffee because it is a teapot.
status-421 = The request was sent to a server that cannot answer it.
status-422 = The request is well-formed but contains invalid data.
status-423 = The requested resource is locked.
status-424 = The request failed because a request it depends on failed.
status-425 = The request was sent too early. Please try again.
status-426 = The request must be repeated over an upgraded protocol.
status-428 = The request must be conditional.
status-429 = Too many requests. Please try again later.
status-431 = The request headers are too large.
status-451 = The requested resource is unavailable for legal reasons.
# Every 5xx has the same sentence, so that nothing about the failure leaks.
status-500 = An unexpected error occurred. Please try again later.
status-501 = An unexpected error occurred. Please try again later.
status-502 = An unexpected error occurred. Please try again later.
status-503 = An unexpected error occurred. Please try again later.
status-504 = An unexpected error occurred. Please try again later.
status-505 = An unexpected error occurred. Please try again later.
status-506 = An unexpected error occurred. Please try again later.
status-507 = An unexpected error occurred. Please try again later.
status-508 = An unexpected error occurred. Please try again later.
status-510 = An unexpected error occurred. Please try again later.
status-511 = An unexpected error occurred. Please try again later.
