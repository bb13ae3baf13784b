### apierror's built-in messages in German (formal "Sie"): every built-in
### code (`apierror.*`, all features on) and the generic message of every
### error status (`status-NNN`), as en.ftl has them in English.
###
### Key of a code: letters, digits and `_` stay, `.` → `--`, `-` → `-h`, `:` → `-c`; a code starting with a digit or `_` gets the prefix `e-`, one starting with `.`, `-` or `:` gets `e-x` (`apierror.db.busy` → `apierror--db--busy`, `1010` → `e-1010`).
###
### Teams: copy this file (and en.ftl) into your own `locales/` folder to
### change a message, and add your own codes beside them. A message may use
### only the variables its production message names, e.g. `{ $given }`.

## The request's body, path and query, refused by the extractors

apierror--invalid_json = Der Anfragetext ist kein gültiges JSON.
apierror--missing_field = Ein Pflichtfeld fehlt.
apierror--invalid_type = Ein Feld hat den falschen Typ.
apierror--invalid_value = Ein Feld hat einen ungültigen Wert.
apierror--unknown_field = Die Anfrage enthält ein Feld, das nicht akzeptiert wird.
apierror--unsupported_media_type = Der Anfragetext muss JSON sein und mit `Content-Type: application/json` gesendet werden.
apierror--payload_too_large = Der Anfragetext ist zu groß.
apierror--invalid_path = Ein Pfadparameter ist ungültig.
apierror--invalid_query = Ein Abfrageparameter ist ungültig.

## Routing: no route matches, or the route does not answer this method

apierror--not_found = Die angeforderte Ressource wurde nicht gefunden.
apierror--method_not_allowed = Die Anfragemethode ist für diese Ressource nicht zulässig.

## Error responses of a middleware or the framework, rewritten into the common body

apierror--bad_request = Die Anfrage ist ungültig.
apierror--unauthorized = Für den Zugriff auf diese Ressource ist eine Anmeldung erforderlich.
apierror--forbidden = Sie haben keine Berechtigung, auf diese Ressource zuzugreifen.
apierror--timeout = Die Anfrage ist nicht rechtzeitig eingegangen.
apierror--too_many_requests = Zu viele Anfragen. Bitte versuchen Sie es später erneut.
# Any other 4xx. This is the message of its registered status (400); the
# crate answers with the rewritten status, and that status's generic message
# (status-NNN below).
apierror--client_error = Die Anfrage ist ungültig.
apierror--service_unavailable = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
# Any other 5xx, with its own status: see apierror--client_error.
apierror--server_error = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.

## Unexpected failures: a panic in a handler, an empty `Errors`, a bare 500

apierror--internal = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.

## Validation rules (features `validator` and `garde`)

apierror--validation--length = Der Wert ist zu kurz oder zu lang.
apierror--validation--range = Der Wert liegt außerhalb des zulässigen Bereichs.
apierror--validation--email = Der Wert ist keine gültige E-Mail-Adresse.
apierror--validation--url = Der Wert ist keine gültige URL.
# For example a password and its confirmation.
apierror--validation--must_match = Der Wert stimmt nicht mit dem Feld überein, dem er entsprechen muss.
apierror--validation--regex = Der Wert hat nicht das erwartete Format.
apierror--validation--contains = Der Wert enthält nicht den erforderlichen Inhalt.
apierror--validation--does_not_contain = Der Wert enthält einen unzulässigen Inhalt.
apierror--validation--prefix = Der Wert beginnt nicht mit dem erforderlichen Inhalt.
apierror--validation--suffix = Der Wert endet nicht mit dem erforderlichen Inhalt.
apierror--validation--credit_card = Der Wert ist keine gültige Kartennummer.
apierror--validation--phone_number = Der Wert ist keine gültige Telefonnummer.
apierror--validation--ip = Der Wert ist keine gültige IP-Adresse.
apierror--validation--ascii = Der Wert darf nur ASCII-Zeichen enthalten.
apierror--validation--alphanumeric = Der Wert darf nur Buchstaben und Ziffern enthalten.
apierror--validation--non_control_character = Der Wert darf keine Steuerzeichen enthalten.
apierror--validation--required = Ein erforderlicher Wert fehlt.
apierror--validation--custom = Der Wert ist ungültig.
apierror--validation--too_many = Es liegen weitere Validierungsfehler vor, die hier nicht aufgeführt sind.

## The database (features `sqlx`, `sqlx-postgres`, `sqlx-mysql`, `sqlx-sqlite`, `tokio-postgres`)

apierror--db--not_found = Die angeforderte Ressource wurde nicht gefunden.
apierror--db--conflict = Die Anfrage steht im Widerspruch zum aktuellen Stand der Daten.
apierror--db--invalid_input = Die Anfrage enthält einen Wert, der nicht gespeichert werden kann.
apierror--db--busy = Der Dienst ist ausgelastet. Bitte versuchen Sie es erneut.
apierror--db--timeout = Die Anfrage hat zu lange gedauert. Bitte versuchen Sie es später erneut.
apierror--db--unavailable = Der Dienst ist vorübergehend nicht verfügbar. Bitte versuchen Sie es später erneut.
apierror--db--internal = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.

## Upstream services (feature `reqwest`)

apierror--upstream--timeout = Ein Dienst, von dem diese Anfrage abhängt, hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es später erneut.
apierror--upstream--unavailable = Ein Dienst, von dem diese Anfrage abhängt, ist nicht verfügbar. Bitte versuchen Sie es später erneut.
apierror--upstream--bad_gateway = Bei einem Dienst, von dem diese Anfrage abhängt, ist ein Fehler aufgetreten. Bitte versuchen Sie es später erneut.

## Generic messages per status: for an error that declares no message of its own

status-400 = Die Anfrage ist ungültig.
status-401 = Für den Zugriff auf diese Ressource ist eine Anmeldung erforderlich.
status-402 = Für den Zugriff auf diese Ressource ist eine Zahlung erforderlich.
status-403 = Sie haben keine Berechtigung, auf diese Ressource zuzugreifen.
status-404 = Die angeforderte Ressource wurde nicht gefunden.
status-405 = Die Anfragemethode ist für diese Ressource nicht zulässig.
status-406 = Die angeforderte Darstellung ist nicht verfügbar.
status-407 = Eine Authentifizierung beim Proxy ist erforderlich.
status-408 = Die Anfrage ist nicht rechtzeitig eingegangen.
status-409 = Die Anfrage steht im Widerspruch zum aktuellen Zustand der Ressource.
status-410 = Die angeforderte Ressource ist nicht mehr verfügbar.
status-411 = Die Anfrage muss ihre Inhaltslänge angeben.
status-412 = Eine Vorbedingung der Anfrage ist nicht erfüllt.
status-413 = Der Anfragetext ist zu groß.
status-414 = Die Adresse (URI) der Anfrage ist zu lang.
status-415 = Der Anfragetext hat einen nicht unterstützten Medientyp.
status-416 = Der angeforderte Bereich kann nicht geliefert werden.
status-417 = Die in der Anfrage angegebene Erwartung kann nicht erfüllt werden.
status-418 = Der Server weigert sich, Kaffee zu kochen, weil er eine Teekanne ist.
status-421 = Die Anfrage wurde an einen Server gesendet, der sie nicht beantworten kann.
status-422 = Die Anfrage ist formal korrekt, enthält aber ungültige Daten.
status-423 = Die angeforderte Ressource ist gesperrt.
status-424 = Die Anfrage ist fehlgeschlagen, weil eine Anfrage, von der sie abhängt, fehlgeschlagen ist.
status-425 = Die Anfrage wurde zu früh gesendet. Bitte versuchen Sie es erneut.
status-426 = Die Anfrage muss nach einem Wechsel des Protokolls wiederholt werden.
status-428 = Die Anfrage muss eine Bedingung enthalten.
status-429 = Zu viele Anfragen. Bitte versuchen Sie es später erneut.
status-431 = Die Header der Anfrage sind zu groß.
status-451 = Die angeforderte Ressource ist aus rechtlichen Gründen nicht verfügbar.
# Every 5xx has the same sentence, so that nothing about the failure leaks.
status-500 = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
status-501 = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
status-502 = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
status-503 = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
status-504 = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
status-505 = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
status-506 = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
status-507 = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
status-508 = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
status-510 = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
status-511 = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
