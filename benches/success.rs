//! Issue 21: "a success response pays only the request-id header". What
//! apierror's axum layer adds to a request answered 200, in instructions
//! (`benches/callgrind.sh`, `BENCH=success`):
//!
//! (p) the plain router, a handler answering `ok`; (l) the same router
//! under `apierror::axum::layer_with`: the request id (made, as the request
//! sent none), the request's scope, the panic guard, the `x-request-id`
//! header; (h) (l) with `apierror::panic_hook()` installed (process-wide,
//! so only in `count` mode, each contender in its own process): the hand-over
//! of a handler's panic to the layer adds thread-local work to every poll.
//!
//! No runtime: the handler's future is ready at its first poll, so each
//! request is polled once with a no-op waker; what is measured is the
//! router and the layer, not a scheduler. `success count <p|l|h> 200 <n>`
//! (the status answered, for `callgrind.sh`'s column).

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use axum::body::Body;
use axum::routing::get;
use axum::Router;
use tower_service::Service as _;

#[derive(Clone, Copy, PartialEq)]
enum Contender {
    Plain,
    Layered,
    Hooked,
}

impl Contender {
    fn parse(letter: &str) -> Option<Self> {
        match letter {
            "p" => Some(Self::Plain),
            "l" => Some(Self::Layered),
            "h" => Some(Self::Hooked),
            _ => None,
        }
    }

    fn router(self) -> Router {
        let router = Router::new().route("/", get(|| async { "ok" }));
        match self {
            Self::Plain => router,
            Self::Layered | Self::Hooked => {
                router.layer(apierror::axum::layer_with(apierror::Config::production()))
            }
        }
    }

    /// Answers `n` requests, each response dropped before the next.
    #[inline(never)]
    fn run(self, router: &mut Router, n: usize) {
        let mut context = Context::from_waker(Waker::noop());
        for _ in 0..n {
            let request = http::Request::get("/").body(Body::empty()).expect("a request");
            let mut future = pin!(router.call(black_box(request)));
            match future.as_mut().poll(&mut context) {
                Poll::Ready(Ok(response)) => {
                    assert_eq!(response.status(), 200);
                    black_box(response);
                }
                Poll::Ready(Err(never)) => match never {},
                Poll::Pending => panic!("the handler is ready at once"),
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|arg| !arg.starts_with("--")).collect();
    match args.as_slice() {
        [mode, letter, status, n] if mode == "count" && status == "200" => {
            let contender = Contender::parse(letter).expect("contender: p, l or h");
            if contender == Contender::Hooked {
                apierror::panic_hook();
            }
            let mut router = contender.router();
            let response = {
                let mut context = Context::from_waker(Waker::noop());
                let request = http::Request::get("/").body(Body::empty()).expect("a request");
                match pin!(router.call(request)).poll(&mut context) {
                    Poll::Ready(Ok(response)) => response,
                    _ => panic!("answered at once"),
                }
            };
            // The layer's one visible effect on a success.
            assert_eq!(response.headers().contains_key("x-request-id"), contender != Contender::Plain);
            contender.run(&mut router, n.parse().expect("n: a count"));
        }
        _ => panic!("usage: success count <p|l|h> 200 <n>"),
    }
}
