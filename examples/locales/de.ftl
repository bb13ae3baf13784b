### The examples' own messages in German (formal "Sie"): every code the
### example servers (server.rs, server_actix.rs, gateway.rs) and the sample
### types of `apierror_examples` can answer with, as en.ftl has them in
### English. The built-in `apierror.*` codes come from the crate's own files
### (error-core/locales/).
###
### Key of a code: letters, digits and `_` stay, `.` → `--`, `-` → `-h`, `:` → `-c`; a code starting with a digit or `_` gets the prefix `e-`, one starting with `.`, `-` or `:` gets `e-x` (`things.not_found` → `things--not_found`, `1010` → `e-1010`).
###
### A team's file looks like this one: copy it, then add a message for each of
### your codes. A message may use only the fields its `message` names, as
### Fluent variables: `{given}` is `{ $given }`.

## The things API (src/things.rs): both servers

things--not_found = Es gibt kein Ding mit dieser ID.
things--duplicate_name = Es gibt bereits ein Ding mit diesem Namen.
things--rating_out_of_range = Die Bewertung muss zwischen 0 und 5 liegen (jeweils einschließlich).
things--negative_votes = Ein Ding kann nicht weniger als null Stimmen haben.
things--too_many_votes = Ein Ding kann nicht mehr Stimmen haben, als die API höchstens speichern kann.
# No `message` of its own: the generic message of its status (503).
things--store_unavailable = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.

## The gateway (gateway.rs): billing's answers

billing--card_declined = Ihre Karte wurde abgelehnt.

## The sample types (src/sample.rs): columns and tables

e-1010 = Es gibt bereits eine Spalte mit diesem Namen.
# $given: the column type the client asked for, as it sent it.
e-2001 = { $given } ist kein gültiger Typ.
# No `message` of its own: the generic message of its status (503).
e-9001 = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
# $name: the table's name, as the client sent it.
e-3001 = Die Tabelle { $name } existiert nicht.
e-3002 = Die Tabelle { $name } ist schreibgeschützt.
