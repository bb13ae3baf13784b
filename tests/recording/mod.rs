//! A recording upstream on loopback, for the tests of calls to other
//! services (the `upstream` binary; `http`'s gateways in both frameworks):
//! a raw HTTP/1.1 server that reads each request's head, records its
//! headers, and answers with whatever bytes the test gives, byte by byte
//! under the test's control (a misbehaving upstream as easily as a sane
//! one). Included with `#[path]`; needs tokio's `net` and `io-util`.

#![allow(dead_code)] // each test binary uses its own part

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The headers of one request the upstream received: (lowercase name,
/// value), in the order sent.
pub type Head = Vec<(String, String)>;

/// The heads of the requests an upstream received, in the order read.
pub type Heads = Arc<Mutex<Vec<Head>>>;

/// Starts an upstream on loopback: for every connection, it reads the
/// request's head (up to the blank line; a body is left unread), records
/// its headers, then hands the socket to `answer`. Returns its address and
/// what it records.
pub async fn serve<F, A>(answer: F) -> (SocketAddr, Heads)
where
    F: Fn(TcpStream) -> A + Send + Sync + 'static,
    A: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let heads = Heads::default();
    let recorded = heads.clone();
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (answer, heads) = (answer.clone(), recorded.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0u8; 1024];
                while !head.windows(4).any(|window| window == b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                heads.lock().unwrap().push(headers(&head));
                answer(socket).await;
            });
        }
    });
    (address, heads)
}

/// An upstream that answers every request with the bytes `raw`, then
/// closes the connection (see [`serve`]).
pub async fn answering(raw: impl Into<Vec<u8>>) -> (SocketAddr, Heads) {
    let raw: Arc<[u8]> = raw.into().into();
    serve(move |mut socket| {
        let raw = raw.clone();
        async move {
            let _ = socket.write_all(&raw).await;
            let _ = socket.shutdown().await;
        }
    })
    .await
}

/// A complete HTTP/1.1 response that closes its connection: `status` (as
/// `"503 Service Unavailable"`), extra header lines (`"Retry-After: 12"`),
/// `body`.
pub fn response(status: &str, headers: &[&str], body: &str) -> String {
    let mut raw = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for header in headers {
        raw.push_str(header);
        raw.push_str("\r\n");
    }
    raw.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    raw
}

/// The values of the header `name` (lowercase) the upstream received in
/// its only request (it checks there was exactly one).
pub fn received(heads: &Heads, name: &str) -> Vec<String> {
    let heads = heads.lock().unwrap();
    assert_eq!(heads.len(), 1, "one request: {heads:?}");
    heads[0].iter().filter(|(n, _)| n == name).map(|(_, value)| value.clone()).collect()
}

/// The headers of a request head (its request line skipped), names
/// lowercased, values trimmed.
fn headers(head: &[u8]) -> Head {
    String::from_utf8_lossy(head)
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect()
}
