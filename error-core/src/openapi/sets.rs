//! The library's own errors, documented: the built-in sets a route lists,
//! and `Documented` for the library's error types.

use std::collections::BTreeMap;

use utoipa::openapi::response::Response;
use utoipa::openapi::RefOr;

use super::{responses, Documented, ErrorSet};
use crate::builtin::{BuiltinError, Internal, Kind};
use crate::{ApiError, Errors};

/// `Documented` and `utoipa::IntoResponses` for a type of this crate.
macro_rules! documented {
    ($(#[$attr:meta])* $ty:ty => |$set:ident| $body:block) => {
        $(#[$attr])*
        impl Documented for $ty {
            fn document($set: &mut ErrorSet) $body
        }

        $(#[$attr])*
        impl utoipa::IntoResponses for $ty {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                responses::<Self>()
            }
        }
    };
}

/// Adds the entries of `kinds`, each at its own status.
fn kinds(set: &mut ErrorSet, kinds: &[Kind]) {
    for kind in kinds {
        set.add(kind.entry());
    }
}

/// What an `apierror::axum::Json<T>` or `apierror::actix::Json<T>` request
/// body answers before the handler runs: 400 `apierror.invalid_json`,
/// `apierror.missing_field`, `apierror.invalid_type`,
/// `apierror.invalid_value`, `apierror.unknown_field` and
/// `apierror.bad_request` (a body that could not be read); 413
/// `apierror.payload_too_large`; 415 `apierror.unsupported_media_type`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JsonBody;

documented!(JsonBody => |set| {
    kinds(set, &[
        Kind::InvalidJson,
        Kind::MissingField,
        Kind::InvalidType,
        Kind::InvalidValue,
        Kind::UnknownField,
        Kind::BadRequest,
        Kind::PayloadTooLarge,
        Kind::UnsupportedMediaType,
    ]);
});

/// What an `apierror::axum::Path<T>` or `apierror::actix::Path<T>`
/// answers before the handler runs: 400 `apierror.invalid_path`, `field`
/// naming the parameter. (A `Path<T>` that does not fit its route is the
/// application's mistake, a 500 no client can cause: not documented.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PathParams;

documented!(PathParams => |set| {
    kinds(set, &[Kind::InvalidPath]);
});

/// What an `apierror::axum::Query<T>` or `apierror::actix::Query<T>`
/// answers before the handler runs: 400 `apierror.missing_field` and
/// `apierror.invalid_query`, `field` naming the parameter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueryParams;

documented!(QueryParams => |set| {
    kinds(set, &[Kind::MissingField, Kind::InvalidQuery]);
});

/// What any route answers through the `not_found` fallback and the layer
/// (`apierror::axum::layer()`, `apierror::actix::middleware()`): 404
/// `apierror.not_found` (no route matches), 405
/// `apierror.method_not_allowed` (the route does not answer the method),
/// 500 `apierror.internal` (a handler panicked).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fallback;

documented!(Fallback => |set| {
    kinds(set, &[Kind::NotFound, Kind::MethodNotAllowed]);
    set.add(Internal.entry());
});

/// Every error response the layer can rewrite another middleware's answer
/// into, at the status it has a named code for: 400
/// `apierror.bad_request`, 401, 403, 404, 405, 408 `apierror.timeout`,
/// 413, 415, 429, 500 `apierror.internal`, 503
/// `apierror.service_unavailable`. List it on the routes behind such
/// middleware (authentication, timeouts, rate limits, load shedding). A
/// middleware answering another status (e.g. 418) is rewritten to
/// `apierror.client_error` or `apierror.server_error` at that status:
/// document it with [`ErrorSet::add_at`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rewritten;

documented!(Rewritten => |set| {
    kinds(set, &[
        Kind::BadRequest,
        Kind::Unauthorized,
        Kind::Forbidden,
        Kind::NotFound,
        Kind::MethodNotAllowed,
        Kind::Timeout,
        Kind::PayloadTooLarge,
        Kind::UnsupportedMediaType,
        Kind::TooManyRequests,
        Kind::ServiceUnavailable,
    ]);
    set.add(Internal.entry());
});

/// What a `Valid<…>` extractor (or `Errors::from` a validation report)
/// answers: every `apierror.validation.*` code, at the status of
/// [`Config::validation`](crate::Config::validation)'s status of the
/// configuration given to [`configure`](crate::configure) (400 by default).
#[cfg(any(feature = "validator", feature = "garde"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "validator", feature = "garde"))))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Validation;

#[cfg(any(feature = "validator", feature = "garde"))]
documented!(Validation => |set| {
    let status = crate::config::configured()
        .map_or_else(crate::validation::Options::new, |config| *config.validation())
        .get_status();
    for entry in crate::validation::entries() {
        set.add_at(status, entry);
    }
});

/// What an `apierror::db::DbError` answers: every `apierror.db.*` code.
#[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "sqlx", feature = "tokio-postgres"))))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Database;

#[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
documented!(Database => |set| {
    crate::db::DbErrorKind::document_all(set);
});

#[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
documented!(crate::db::DbError => |set| {
    set.extend::<Database>();
});

/// What an `apierror::upstream::UpstreamError` answers: every
/// `apierror.upstream.*` code.
#[cfg(feature = "reqwest")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Upstream;

#[cfg(feature = "reqwest")]
documented!(Upstream => |set| {
    crate::upstream::UpstreamErrorKind::document_all(set);
});

#[cfg(feature = "reqwest")]
documented!(crate::upstream::UpstreamError => |set| {
    set.extend::<Upstream>();
});

documented!(Internal => |set| {
    set.add(Internal.entry());
});

documented!(Kind => |set| {
    Kind::document_all(set);
});

documented!(BuiltinError => |set| {
    Kind::document_all(set);
});

// An `Errors` is what the validation conversions produce (and what a
// `transparent` variant over one answers): their codes, and
// `apierror.internal` for an empty one. An `Errors` a team fills with its
// own errors documents them through their types.
documented!(Errors => |set| {
    #[cfg(any(feature = "validator", feature = "garde"))]
    set.extend::<Validation>();
    set.add(Internal.entry());
});

#[cfg(test)]
mod tests {
    use super::*;

    /// Every built-in code of a module is documented by the set that
    /// stands for it: a code added later must be added here too.
    #[test]
    fn the_sets_cover_every_library_code_of_their_module() {
        let documented = |set: ErrorSet| set.iter().map(|(_, entry)| entry.code).collect::<Vec<_>>();
        let registered = |module: &str| {
            crate::registry::entries().filter(|e| e.module == module).map(|e| e.code).collect::<Vec<_>>()
        };
        let mut builtin = documented(ErrorSet::of::<BuiltinError>());
        builtin.extend(documented(ErrorSet::of::<Internal>()));
        builtin.sort_unstable();
        let mut expected = registered("apierror::builtin");
        expected.sort_unstable();
        assert_eq!(builtin, expected);
        #[cfg(any(feature = "sqlx", feature = "tokio-postgres"))]
        {
            let mut db = documented(ErrorSet::of::<Database>());
            db.sort_unstable();
            let mut expected = registered("apierror::db");
            expected.sort_unstable();
            assert_eq!(db, expected);
        }
        #[cfg(feature = "reqwest")]
        {
            let mut upstream = documented(ErrorSet::of::<Upstream>());
            upstream.sort_unstable();
            let mut expected = registered("apierror::upstream");
            expected.sort_unstable();
            assert_eq!(upstream, expected);
        }
        #[cfg(any(feature = "validator", feature = "garde"))]
        {
            let mut validation = documented(ErrorSet::of::<Validation>());
            validation.sort_unstable();
            let mut expected = registered("apierror::validation");
            expected.sort_unstable();
            assert_eq!(validation, expected);
        }
    }

    /// Feature `i18n`: every error response documents `Content-Language`
    /// (a string), and its examples stay in the default language, even for
    /// a document built inside a German request with German translations.
    #[cfg(feature = "i18n")]
    #[test]
    fn every_response_documents_content_language_and_examples_stay_in_the_default_language() {
        let german = "apierror--not_found = Hier gibt es nichts (Test).\n";
        let translations = crate::i18n::Translations::from_strings([("de", german)]).unwrap();
        let config = crate::Config::production().with_translations(translations);
        let responses =
            crate::i18n::with_accept_language("de", || ErrorSet::of::<BuiltinError>().responses(&config));
        let document = serde_json::to_value(&responses).unwrap();
        let responses = document.as_object().unwrap();
        assert!(responses.len() > 5, "{document:#}");
        for (status, response) in responses {
            let header = &response["headers"]["Content-Language"];
            assert_eq!(header["schema"]["type"], "string", "{status}: {response:#}");
            assert!(header["description"].as_str().unwrap().contains("Accept-Language"), "{header}");
            assert!(header.get("required").is_none_or(|required| required == false), "optional: {header}");
        }
        let example = &document["404"]["content"]["application/json"]["examples"]["apierror.not_found"];
        assert_eq!(example["value"][0]["message"], "The requested resource was not found.", "{example:#}");
    }
}
