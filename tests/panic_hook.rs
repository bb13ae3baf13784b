//! `apierror::panic_hook()` over loopback, on both frameworks: a handler
//! that panics is one escaped event with the request id (the 500's, with
//! the panic's facts: issue 21 item 8), and std's default hook prints
//! nothing (issue 18 item 14); `PanicHook::new().chained()` keeps the
//! previous hook.
//!
//! The panic hook is process-wide and stderr is the process's, so the one
//! test of this binary runs its scenario in child processes (this binary
//! again, with [`CHILD`] set): one with the hook, one with the chained
//! hook. Each child checks the events; the parent checks each child's
//! stderr. Keep this file to this one test.
#![cfg(all(feature = "axum", feature = "actix-web"))]

mod web;

use std::process::Command;

use serde_json::Value;

/// Set in a child: `replace` or `chained`, the hook it installs.
const CHILD: &str = "APIERROR_PANIC_HOOK_CHILD";

/// The test's name, for the child's `--exact`.
const NAME: &str = "a_panicking_handler_is_one_escaped_event_with_the_request_id";

/// What the handlers panic with: a line break and a U+202E that would
/// start or disguise a forged log line, and a secret.
const PAYLOAD: &str = "boom\nERROR forged line \u{202e}gnirts hunter2";

async fn panics() -> &'static str {
    panic!("{}", PAYLOAD)
}

async fn catches() -> &'static str {
    let caught = std::panic::catch_unwind(|| panic!("caught by the handler"));
    assert!(caught.is_err());
    "recovered"
}

#[test]
fn a_panicking_handler_is_one_escaped_event_with_the_request_id() {
    match std::env::var(CHILD).as_deref() {
        Ok("replace") => return child(false),
        Ok("chained") => return child(true),
        _ => {}
    }
    for (mode, chained) in [("replace", false), ("chained", true)] {
        let output = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", NAME, "--nocapture", "--test-threads=1"])
            .env(CHILD, mode)
            .output()
            .expect("run the child");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{mode}: {stdout}\n{stderr}");
        assert!(stdout.contains("the child's checks passed"), "{mode}: {stdout}");
        if chained {
            // std's default hook, kept, printed both panics after the event.
            assert_eq!(stderr.matches("panicked at tests/panic_hook.rs").count(), 4, "{stderr}");
        } else {
            // Nothing of std's default print: no line, no payload.
            assert!(!stderr.contains("panicked"), "{stderr}");
            assert!(!stderr.contains("hunter2") && !stderr.contains("forged"), "{stderr}");
        }
    }
}

/// The scenario, in a child process: the hook, a panicking handler on
/// each framework, one event each.
fn child(chained: bool) {
    web::set_up();
    web::log::install();
    if chained {
        apierror::PanicHook::new().chained().install();
    } else {
        apierror::panic_hook();
    }
    actix_web::rt::System::new().block_on(async {
        let axum_app = axum::Router::new()
            .route("/panic", axum::routing::get(panics))
            .route("/caught", axum::routing::get(catches))
            .layer(apierror::axum::layer());
        web::serve::axum(axum_app, |address| check(web::Client::new(address), "hook-axum")).await;
        let actix_app = || {
            actix_web::App::new()
                .wrap(apierror::actix::middleware())
                .route("/panic", actix_web::web::get().to(panics))
                .route("/caught", actix_web::web::get().to(catches))
        };
        web::serve::actix(actix_app, |address| check(web::Client::new(address), "hook-actix")).await;
    });
    let all = web::log::lines_with("");
    assert!(
        all.iter().all(|line| !line.contains('\u{202e}') && !line.starts_with("ERROR forged")),
        "{all:#?}"
    );
    println!("the child's checks passed");
}

/// `GET /panic` with the request id `id`: a 500 in the common body, and
/// exactly one event for it (one error, one event: the 500's, carrying the
/// hook's facts, not the hook's own event beside it), with `id`, the
/// payload escaped and the location. Then `GET /caught`, whose handler
/// catches its own panic and answers 200: the hook's own event, with the
/// request id (a panic is never silent).
async fn check(c: web::Client, id: &'static str) {
    let reply = c.get_with_id("/panic", id).await;
    assert_eq!(reply.code(), (500, "apierror.internal".to_owned(), Value::Null));
    assert!(!String::from_utf8_lossy(&reply.body).contains("hunter2"));
    let ours = web::log::lines_with(&format!("request_id=\"{id}\""));
    assert_eq!(ours.len(), 1, "one event for {id}: {ours:#?}");
    let line = &ours[0];
    assert!(line.contains(" ERROR "), "{line}");
    assert!(line.contains("500 apierror.internal"), "{line}");
    assert!(line.contains(r"panic.message=boom\nERROR forged line \u{202e}gnirts hunter2"), "{line}");
    assert!(line.contains("panic.location=tests/panic_hook.rs:"), "{line}");
    assert!(!line.contains("a thread panicked"), "{line}");

    let caught = format!("{id}-caught");
    let reply = c.get_with_id("/caught", &caught).await;
    assert_eq!(reply.status, 200);
    let ours = web::log::lines_with(&format!("request_id=\"{caught}\""));
    assert_eq!(ours.len(), 1, "the hook's event for {caught}: {ours:#?}");
    assert!(
        ours[0].contains("a thread panicked") && ours[0].contains("panic.message=caught by the handler"),
        "{ours:#?}"
    );
}
