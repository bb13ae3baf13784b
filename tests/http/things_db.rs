//! The axum example (`examples/server.rs`) with its things on each real
//! database: the shared end-to-end scenarios (`web`) answer the same bodies
//! on PostgreSQL, MariaDB and SQLite (a file; `tests/axum.rs` runs them on
//! the example's default, SQLite in memory), and a stopped database answers
//! 503 `apierror.db.unavailable` within the acquire timeout. Each scenario
//! owns its table (PostgreSQL: its schema, since the index
//! `things_name_key` is named per schema), dropped after. An unreachable
//! server is skipped loudly, a failure under `CI=true` (`db`).
#![cfg(all(feature = "axum", feature = "sqlx"))]

use crate::{db, web};

use apierror_examples::server;

use std::future::Future;
use std::time::{Duration, Instant};

use apierror_examples::things::sql::SqlStore;
use axum::extract::DefaultBodyLimit;
use sqlx::any::AnyPoolOptions;
use web::Client;

/// The example's routes on `store`, with the tests' 1 KiB body limit, the
/// fallback and the layer with the example's configuration (its
/// translations).
fn app(store: SqlStore) -> axum::Router {
    server::routes(store)
        .layer(DefaultBodyLimit::max(web::BODY_LIMIT))
        .fallback(apierror::axum::not_found)
        .layer(apierror::axum::layer_with(apierror_examples::config().expect("the example's configuration")))
}

#[derive(Clone, Copy, Debug)]
enum Backend {
    Postgres,
    Mysql,
    Sqlite,
}

/// Runs `scenario` against the example on a fresh table of `backend`, then
/// drops the table; skips (loudly) an unreachable server.
async fn on<F: Future<Output = ()>>(backend: Backend, scenario: impl FnOnce(Client) -> F) {
    web::set_up();
    sqlx::any::install_default_drivers();
    let name = db::unique_name("things");
    let directory = std::env::temp_dir();
    let (url, table, variable) = match backend {
        Backend::Postgres => (db::postgres_url(), format!("{name}.things"), "APIERROR_TEST_POSTGRES"),
        Backend::Mysql => (db::mysql_url(), name.clone(), "APIERROR_TEST_MYSQL"),
        Backend::Sqlite => {
            let file = directory.join(format!("{name}.db"));
            (format!("sqlite:{}?mode=rwc", file.display()), "things".to_owned(), "")
        }
    };
    // One attempt first (the pool would retry a refused connection until
    // its timeout), and PostgreSQL's schema.
    let admin = match AnyPoolOptions::new().max_connections(1).connect(&url).await {
        Ok(admin) => admin,
        Err(err) => return db::unreachable(&format!("{backend:?}"), variable, &url, &err),
    };
    if let Backend::Postgres = backend {
        sqlx::query(&format!("CREATE SCHEMA {name}")).execute(&admin).await.expect("create the schema");
    }
    let store = SqlStore::connect(&url, &table).await.unwrap_or_else(|e| panic!("{backend:?} store: {e}"));
    web::serve::axum(app(store.clone()), |address| scenario(Client::new(address))).await;
    store.pool().close().await;
    let drop = match backend {
        Backend::Postgres => format!("DROP SCHEMA {name} CASCADE"),
        Backend::Mysql => format!("DROP TABLE {table}"),
        Backend::Sqlite => String::new(),
    };
    if !drop.is_empty() {
        sqlx::query(&drop).execute(&admin).await.expect("drop the test's table");
    }
    admin.close().await;
    if let Backend::Sqlite = backend {
        let _ = std::fs::remove_file(directory.join(format!("{name}.db")));
    }
}

macro_rules! on_every_backend {
    ($($test:ident: $scenario:path;)*) => {
        mod postgres {
            use super::*;
            $(#[tokio::test] async fn $test() { on(Backend::Postgres, |c| async move { $scenario(&c).await }).await; })*
        }
        mod mysql {
            use super::*;
            $(#[tokio::test] async fn $test() { on(Backend::Mysql, |c| async move { $scenario(&c).await }).await; })*
        }
        mod sqlite {
            use super::*;
            $(#[tokio::test] async fn $test() { on(Backend::Sqlite, |c| async move { $scenario(&c).await }).await; })*
        }
    };
}

on_every_backend! {
    the_readme_exchange_answers_as_written: readme_exchange;
    things_and_declared_errors: web::things_and_declared_errors;
    head_is_answered_by_the_get_handler: web::head_is_get_without_the_body;
}

/// The README's curl exchange ("axum and actix-web"): every `curl -s -w
/// ' %{http_code}\n'` request in it, replayed in order with its `-H`
/// headers, answers the body and status written under it, byte for byte.
async fn readme_exchange(c: &Client) {
    let readme = include_str!("../../README.md");
    let start = readme.find("## axum and actix-web").expect("the section");
    let block = &readme[start..];
    let block = &block[block.find("```text\n").expect("the exchange") + 8..];
    let block = &block[..block.find("```").expect("its end")];
    let mut lines = block.lines();
    let mut replayed = 0;
    while let Some(line) = lines.next() {
        let Some(command) = line.strip_prefix("$ curl -s -w ' %{http_code}\\n' ") else { continue };
        let expected = lines.next().expect("the answer under the command");
        let (body, status) = expected.rsplit_once(' ').expect("body, then status");
        let words = shell_words(command);
        let mut words = words.iter().map(String::as_str);
        let (mut method, mut path, mut headers, mut data) = (None, "", Vec::new(), None);
        while let Some(word) = words.next() {
            match word {
                "-X" => method = words.next(),
                "-H" => {
                    headers.push(words.next().and_then(|h| h.split_once(": ")).expect("-H 'name: value'"))
                }
                "-d" => data = words.next(),
                url => path = url.strip_prefix("localhost:3000").expect("a URL of the example"),
            }
        }
        // What curl sends: POST with `-d`, form-encoded unless told.
        let method = method.unwrap_or(if data.is_some() { "POST" } else { "GET" });
        if data.is_some() && !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type")) {
            headers.push(("content-type", "application/x-www-form-urlencoded"));
        }
        let reply = c.send_with(method, path, &headers, data.unwrap_or("")).await;
        assert_eq!(
            (reply.status.to_string().as_str(), String::from_utf8_lossy(&reply.body).as_ref()),
            (status, body),
            "{line}"
        );
        replayed += 1;
    }
    assert!(replayed >= 10, "the exchange was found and replayed: {replayed} requests");
}

/// `command` split as the shell would: on spaces outside single quotes.
fn shell_words(command: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted) = (Vec::new(), String::new(), false);
    for c in command.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    words.extend((!word.is_empty()).then_some(word));
    words
}

/// The rating's `CHECK` is the schema's backstop: a row the domain's check
/// would have refused is refused by the database too, as 400
/// `apierror.db.invalid_input` (nothing of the database in the body).
#[tokio::test]
async fn the_rating_check_is_a_backstop() {
    let store = SqlStore::connect("sqlite::memory:", "things").await.unwrap();
    let refused = sqlx::query("INSERT INTO things (name, rating_out_of_five) VALUES ('lamp', 6)")
        .execute(store.pool())
        .await
        .unwrap_err();
    let err = apierror_examples::things::ThingError::from(refused);
    db::assert_answer(&err, 400, "apierror.db.invalid_input", &["things_rating_check", "CHECK"], None);
}

/// The stopped database's pools wait this long for a connection (the
/// example's is `things::sql::ACQUIRE_TIMEOUT`, 2 s).
const ACQUIRE_TIMEOUT: Duration = Duration::from_millis(500);

/// Asserts every request of the curl exchange answers 503
/// `apierror.db.unavailable` within the acquire timeout and a little.
async fn stopped(c: &Client) {
    let requests = [
        ("POST", "/api/things", r#"{"name": "lamp", "rating_out_of_five": 4}"#),
        ("GET", "/api/things/1", ""),
        ("PATCH", "/api/things/1", r#"{"increase_votes_by": 2}"#),
        ("DELETE", "/api/things/1", ""),
    ];
    for (method, path, body) in requests {
        let started = Instant::now();
        let content_type = (!body.is_empty()).then_some("application/json");
        let reply = c.send(method, path, content_type, body).await;
        assert_eq!(
            reply.code(),
            (503, "apierror.db.unavailable".to_owned(), serde_json::Value::Null),
            "{method} {path}"
        );
        assert!(started.elapsed() < ACQUIRE_TIMEOUT + Duration::from_secs(3), "{method} {path}: not a hang");
    }
}

/// A database that is not running (a closed port on loopback): 503, within
/// the acquire timeout, not a hang and not a 500.
#[tokio::test]
async fn a_stopped_database_answers_503() {
    web::set_up();
    sqlx::any::install_default_drivers();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    for url in
        [format!("postgres://postgres@127.0.0.1:{port}/test"), format!("mysql://root@127.0.0.1:{port}/test")]
    {
        let pool = AnyPoolOptions::new().acquire_timeout(ACQUIRE_TIMEOUT).connect_lazy(&url).unwrap();
        web::serve::axum(app(SqlStore::new(pool, "things")), |address| async move {
            stopped(&Client::new(address)).await;
        })
        .await;
    }
}

/// Every connection busy (the pool's one connection held, the database
/// up): 504 `apierror.db.timeout`, not the stopped database's 503.
#[tokio::test]
async fn a_saturated_pool_answers_504() {
    web::set_up();
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect("sqlite::memory:")
        .await
        .unwrap();
    let held = pool.acquire().await.unwrap();
    web::serve::axum(app(SqlStore::new(pool, "things")), |address| async move {
        let reply = Client::new(address).send("GET", "/api/things/1", None, "").await;
        assert_eq!(reply.code(), (504, "apierror.db.timeout".to_owned(), serde_json::Value::Null));
    })
    .await;
    drop(held);
}

/// A pool closed under the server (the database going away at shutdown):
/// 503 as well.
#[tokio::test]
async fn a_closed_pool_answers_503() {
    web::set_up();
    let store = SqlStore::connect("sqlite::memory:", "things").await.unwrap();
    store.pool().close().await;
    web::serve::axum(app(store), |address| async move { stopped(&Client::new(address)).await }).await;
}
