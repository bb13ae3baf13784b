//! Serving an app on loopback for the duration of one test, for each
//! framework: what the end-to-end tests (`web`) and the correlation-id
//! tests (`correlation`) share about starting and stopping a server.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

/// How long one test may talk to its server.
const TEST_TIMEOUT: Duration = Duration::from_secs(120);

/// Serves `app` on 127.0.0.1 (port 0) while `test` runs with its address
/// (bounded: the server task ends with the test's runtime).
#[cfg(feature = "axum")]
pub async fn axum<F: Future<Output = ()>>(app: axum::Router, test: impl FnOnce(SocketAddr) -> F) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    tokio::time::timeout(TEST_TIMEOUT, test(address)).await.expect("test in time");
    server.abort();
}

/// Serves the apps `app` makes on 127.0.0.1 (port 0), with one worker,
/// while `test` runs with its address; then stops the server and waits for
/// it.
#[cfg(feature = "actix-web")]
pub async fn actix<T, B, F>(
    app: impl Fn() -> actix_web::App<T> + Send + Clone + 'static,
    test: impl FnOnce(SocketAddr) -> F,
) where
    T: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
            InitError = (),
        > + 'static,
    B: actix_web::body::MessageBody + 'static,
    F: Future<Output = ()>,
{
    // actix-web's default.
    actix_with_request_timeout(app, Duration::from_secs(5), test).await;
}

/// [`actix`], with `timeout` as the server's `client_request_timeout` (how
/// long a client may take to send a request head before actix-http answers
/// 408).
#[cfg(feature = "actix-web")]
pub async fn actix_with_request_timeout<T, B, F>(
    app: impl Fn() -> actix_web::App<T> + Send + Clone + 'static,
    timeout: Duration,
    test: impl FnOnce(SocketAddr) -> F,
) where
    T: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
            InitError = (),
        > + 'static,
    B: actix_web::body::MessageBody + 'static,
    F: Future<Output = ()>,
{
    let server = actix_web::HttpServer::new(app)
        .workers(1)
        .disable_signals()
        .shutdown_timeout(1)
        .client_request_timeout(timeout)
        .bind(("127.0.0.1", 0))
        .expect("bind a loopback port");
    let address = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    let running = actix_web::rt::spawn(server);
    let outcome = tokio::time::timeout(TEST_TIMEOUT, test(address)).await;
    handle.stop(false).await;
    running.await.expect("server task").expect("server ran");
    outcome.expect("test in time");
}
