### The examples' own messages in English: every code the example servers
### (server.rs, server_actix.rs, gateway.rs) and the sample types of
### `apierror_examples` can answer with, word for word their `message`
### attributes (the default language). The built-in `apierror.*` codes come
### from the crate's own files (error-core/locales/).
###
### Key of a code: letters, digits and `_` stay, `.` → `--`, `-` → `-h`, `:` → `-c`; a code starting with a digit or `_` gets the prefix `e-`, one starting with `.`, `-` or `:` gets `e-x` (`things.not_found` → `things--not_found`, `1010` → `e-1010`).
###
### A team's file looks like this one: copy it, then add a message for each of
### your codes. A message may use only the fields its `message` names, as
### Fluent variables: `{given}` is `{ $given }`.

## The things API (src/things.rs): both servers

things--not_found = There is no thing with this id.
things--duplicate_name = A thing with this name already exists.
things--rating_out_of_range = The rating must be between 0 and 5, inclusive.
things--negative_votes = A thing cannot have fewer than zero votes.
things--too_many_votes = A thing cannot have more votes than the largest count the API stores.
# No `message` of its own: the generic message of its status (503).
things--store_unavailable = An unexpected error occurred. Please try again later.

## The gateway (gateway.rs): billing's answers

billing--card_declined = Your card was declined.

## The sample types (src/sample.rs): columns and tables

e-1010 = There is already a column with the same name.
# $given: the column type the client asked for, as it sent it.
e-2001 = { $given } is not a valid type.
# No `message` of its own: the generic message of its status (503).
e-9001 = An unexpected error occurred. Please try again later.
# $name: the table's name, as the client sent it.
e-3001 = Table { $name } does not exist.
e-3002 = Table { $name } is read-only.
