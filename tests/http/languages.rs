//! Translations over real HTTP on loopback, in both frameworks and both
//! formats: `Accept-Language` negotiated per request (RFC 4647 lookup,
//! `q=0`, `*`), `Content-Language` and `Vary` on every error response,
//! any header (absent, unknown, malformed, 20 KB, thousands of ranges,
//! non-ASCII bytes) answered in the default language and never a 5xx, and
//! two requests in two languages at once on one runtime each answered in
//! its own.
#![cfg(all(feature = "i18n", any(feature = "axum", feature = "actix-web")))]

use std::time::Duration;

use apierror::i18n::Translations;
use apierror::{ApiError, Config, Format};
use serde_json::Value;

use crate::web::{self, Client, Reply};

#[derive(Debug, thiserror::Error, ApiError)]
enum ShopError {
    #[error("item {item} is sold out")]
    #[api(status = 409, code = "languages.sold_out", field = "item", message = "This item is sold out.")]
    SoldOut { item: u32 },
    #[error("{given} is too many")]
    #[api(status = 422, code = "languages.too_many", message = "{given} is too many.")]
    TooMany { given: u32 },
}

/// The team's German: its codes, and the built-ins the tests reach (the
/// team's file overrides the crate's own German, so the tests do not
/// depend on its wording).
const DE: &str = "\
languages--sold_out = Dieser Artikel ist ausverkauft.
languages--too_many = { $given } sind zu viele.
apierror--not_found = Hier gibt es nichts (Test).
apierror--invalid_path = Der Pfad ist ungültig (Test).
";

fn config(format: Format) -> Config {
    let translations = Translations::from_strings([("de", DE)]).expect("the test's German loads");
    Config::production().with_format(format).with_translations(translations)
}

/// The message of a one-error reply in `format` (`detail` of a problem),
/// after checking the headers every translated error response carries.
fn message(reply: &Reply, format: Format, language: &str) -> String {
    let text = String::from_utf8_lossy(&reply.body);
    assert!((400..500).contains(&reply.status), "a 4xx, never a 5xx: {} {text}", reply.status);
    assert_eq!(reply.headers["content-language"], language, "{text}");
    let vary: Vec<&str> = reply.headers.get_all("vary").iter().map(|v| v.to_str().unwrap()).collect();
    assert!(vary.iter().any(|v| v.to_ascii_lowercase().contains("accept-language")), "{vary:?}");
    let body: Value = reply.json();
    match format {
        Format::Problem => {
            assert_eq!(
                body["title"].as_str().unwrap(),
                http::StatusCode::from_u16(reply.status).unwrap().canonical_reason().unwrap(),
                "the title stays English"
            );
            body["detail"].as_str().expect(&text).to_owned()
        }
        _ => {
            web::assert_common_body(reply);
            body[0]["message"].as_str().expect(&text).to_owned()
        }
    }
}

async fn get(client: &Client, path: &str, accept_language: Option<&str>) -> Reply {
    let headers: Vec<(&str, &str)> =
        accept_language.map(|value| ("accept-language", value)).into_iter().collect();
    client.send_unchecked("GET", path, &headers, "").await
}

/// Everything one server answers, in `format`.
async fn answers_in_the_clients_language(address: std::net::SocketAddr, format: Format) {
    let client = Client::new(address);
    let german = [
        ("/sold-out", "Dieser Artikel ist ausverkauft."),
        ("/too-many/12", "12 sind zu viele."),
        ("/nowhere", "Hier gibt es nichts (Test)."),
        ("/too-many/abc", "Der Pfad ist ungültig (Test)."),
    ];
    for (path, expected) in german {
        for header in ["de", "de-CH", "DE-ch;q=0.9, en;q=0.1", "it, de;q=0.5", "xx, *;q=0.1, de;q=0.9"] {
            let reply = get(&client, path, Some(header)).await;
            assert_eq!(message(&reply, format, "de"), expected, "{path} {header}");
        }
    }
    let reply = get(&client, "/sold-out", Some("de")).await;
    let body: Value = reply.json();
    let object = if format == Format::Problem { &body } else { &body[0] };
    assert_eq!(
        (object["error_code"].as_str(), object["field"].as_str()),
        (Some("languages.sold_out"), Some("item"))
    );

    let english = "This item is sold out.";
    let twenty_kb = format!("{}de", "xx-yyyy, ".repeat(20 * 1024 / 9));
    let thousands = format!("{}de", "a,".repeat(5000));
    for header in [
        None,
        Some("en"),
        Some("it"),
        Some("de;q=0"),
        Some("de-CH, de;q=0"),
        Some("*"),
        Some(";;;q=x,,"),
        Some("de;q=2"),
        Some(twenty_kb.as_str()),
        Some(thousands.as_str()),
    ] {
        let reply = get(&client, "/sold-out", header).await;
        let shown = header.map(|h| &h[..h.len().min(40)]);
        assert_eq!(message(&reply, format, "en"), english, "{shown:?}");
    }
    // Non-ASCII bytes (obs-text), which a client library refuses to send:
    // over a raw socket.
    let request =
        b"GET /sold-out HTTP/1.1\r\nhost: t\r\nconnection: close\r\naccept-language: d\xc3\xa9, de\r\n\r\n"
            .to_vec();
    let raw =
        tokio::task::spawn_blocking(move || web::raw::exchange(address, &request, Duration::from_secs(5)))
            .await
            .unwrap()
            .expect("the server answers");
    assert_eq!((raw.status, raw.header("content-language")), (409, Some("en")), "{raw:?}");
    assert!(String::from_utf8_lossy(&raw.body).contains(english), "{raw:?}");

    // A success is untouched: no language headers.
    let ok = get(&client, "/ok", Some("de")).await;
    assert_eq!((ok.status, ok.headers.get("content-language")), (200, None));
}

/// Two requests at once on one runtime (the test's, current-thread; the
/// handler sleeps, so they interleave), each answered in its own language.
async fn two_languages_at_once(address: std::net::SocketAddr, format: Format) {
    let client = Client::new(address);
    for _ in 0..5 {
        let (de, en) = tokio::join!(get(&client, "/slow", Some("de")), get(&client, "/slow", Some("en")));
        assert_eq!(message(&de, format, "de"), "7 sind zu viele.");
        assert_eq!(message(&en, format, "en"), "7 is too many.");
    }
}

#[cfg(feature = "axum")]
mod on_axum {
    use apierror::axum::Path;
    use apierror::{Config, Format};
    use axum::routing::get;
    use axum::Router;

    use super::ShopError;
    use crate::web::serve;

    fn app(config: Config) -> Router {
        Router::new()
            .route("/ok", get(|| async { "ok" }))
            .route("/sold-out", get(|| async { Err::<String, _>(ShopError::SoldOut { item: 3 }) }))
            .route(
                "/too-many/{n}",
                get(|Path(given): Path<u32>| async move { Err::<String, _>(ShopError::TooMany { given }) }),
            )
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
                    Err::<String, _>(ShopError::TooMany { given: 7 })
                }),
            )
            .fallback(apierror::axum::not_found)
            .layer(apierror::axum::layer_with(config))
    }

    #[tokio::test]
    async fn answers_in_the_clients_language() {
        for format in [Format::Array, Format::Problem] {
            serve::axum(app(super::config(format)), |address| async move {
                super::answers_in_the_clients_language(address, format).await;
                super::two_languages_at_once(address, format).await;
            })
            .await;
        }
    }
}

#[cfg(feature = "actix-web")]
mod on_actix {
    use actix_web::{web as aweb, App, HttpResponse};
    use apierror::actix::Path;
    use apierror::{Config, Format};

    use super::ShopError;
    use crate::web::serve;

    fn routes(config: &mut aweb::ServiceConfig) {
        config
            .route("/ok", aweb::get().to(|| async { HttpResponse::Ok().body("ok") }))
            .route(
                "/sold-out",
                aweb::get().to(|| async { Err::<HttpResponse, _>(ShopError::SoldOut { item: 3 }) }),
            )
            .route(
                "/too-many/{n}",
                aweb::get().to(|Path(given): Path<u32>| async move {
                    Err::<HttpResponse, _>(ShopError::TooMany { given })
                }),
            )
            .route(
                "/slow",
                aweb::get().to(|| async {
                    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
                    Err::<HttpResponse, _>(ShopError::TooMany { given: 7 })
                }),
            );
    }

    #[actix_web::test]
    async fn answers_in_the_clients_language() {
        for format in [Format::Array, Format::Problem] {
            serve::actix(actix_app!(super::config(format)), |address| async move {
                super::answers_in_the_clients_language(address, format).await;
                super::two_languages_at_once(address, format).await;
            })
            .await;
        }
    }
}

/// The example servers as their `main`s build them (`examples/server.rs`,
/// `examples/server_actix.rs`: `apierror_examples::config()`, which loads
/// `examples/locales/`): a missing thing in German for `Accept-Language:
/// de`, in English without the header.
mod the_examples {
    use crate::web::{serve, Client};

    /// What both servers answer for a thing that does not exist.
    async fn answer_a_missing_thing_in_the_clients_language(address: std::net::SocketAddr) {
        let client = Client::new(address);
        for (header, language, expected) in [
            (Some("de"), "de", "Es gibt kein Ding mit dieser ID."),
            (Some("de-AT, en;q=0.5"), "de", "Es gibt kein Ding mit dieser ID."),
            (None, "en", "There is no thing with this id."),
        ] {
            let reply = super::get(&client, "/api/things/42", header).await;
            assert_eq!(reply.status, 404, "{header:?}");
            assert_eq!(reply.headers["content-language"], language, "{header:?}");
            let body: serde_json::Value = reply.json();
            assert_eq!(body[0]["error_code"], "things.not_found", "{header:?}");
            assert_eq!(body[0]["message"], expected, "{header:?}");
        }
    }

    #[cfg(feature = "axum")]
    #[tokio::test]
    async fn the_axum_example_answers_in_the_clients_language() {
        crate::web::set_up();
        let url = apierror_examples::things::sql::DEFAULT_URL;
        let store = apierror_examples::things::sql::SqlStore::connect(url, "things").await.expect("SQLite");
        let config = apierror_examples::config().expect("the examples' translations load");
        let app = apierror_examples::server::app(store, config);
        serve::axum(app, answer_a_missing_thing_in_the_clients_language).await;
    }

    #[cfg(feature = "actix-web")]
    #[actix_web::test]
    async fn the_actix_example_answers_in_the_clients_language() {
        crate::web::set_up();
        let config = apierror_examples::config().expect("the examples' translations load");
        let store = actix_web::web::Data::new(apierror_examples::things::Store::default());
        let app = move || apierror_examples::server_actix::app(store.clone(), config.clone());
        serve::actix(app, answer_a_missing_thing_in_the_clients_language).await;
    }
}
