//! Requests the HTTP server itself refuses, before any middleware or layer
//! runs (hyper under axum, actix-http under actix-web), sent over a raw
//! socket on loopback: the tests pin what the client gets today, so that a
//! change in the frameworks is noticed (see the README, "Responses outside
//! the library's reach").

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// A malformed request and its name.
pub struct Malformed {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// The malformed requests of issue 9 item 13.
pub fn malformed() -> Vec<Malformed> {
    let head = |lines: &str| format!("{lines}\r\n\r\n").into_bytes();
    let many_headers: String = (0..200).map(|i| format!("x-h{i}: v\r\n")).collect();
    vec![
        Malformed {
            name: "conflicting content-length",
            bytes: head("POST /api/things HTTP/1.1\r\nhost: t\r\ncontent-length: 5\r\ncontent-length: 6")
                .into_iter()
                .chain(*b"hello!")
                .collect(),
        },
        Malformed {
            name: "a NUL byte in a header value",
            bytes: head("GET /api/things/1 HTTP/1.1\r\nhost: t\r\nx-bad: a\0b"),
        },
        Malformed {
            name: "a 70,000-character path",
            bytes: head(&format!("GET /{} HTTP/1.1\r\nhost: t", "a".repeat(70_000))),
        },
        Malformed {
            name: "200 headers",
            bytes: head(&format!("GET /api/things/1 HTTP/1.1\r\nhost: t\r\n{}", many_headers.trim_end())),
        },
        Malformed { name: "HTTP/9.9", bytes: head("GET /api/things/1 HTTP/9.9\r\nhost: t") },
    ]
}

/// What the server answered: the status line's code, the header lines
/// (names lowercased) and the body, or `None` when it closed without an
/// answer.
#[derive(Debug)]
pub struct RawReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawReply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Sends `bytes` on a new connection to `address` and reads until the
/// server closes it (or `wait` passes without a byte).
pub fn exchange(address: SocketAddr, bytes: &[u8], wait: Duration) -> Option<RawReply> {
    assert!(address.ip().is_loopback(), "tests talk to loopback only");
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5)).expect("connect");
    stream.set_read_timeout(Some(wait)).unwrap();
    stream.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    // The server may refuse before reading everything: a failed write is
    // fine, the answer is what matters.
    let _ = stream.write_all(bytes);
    let mut raw = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
            Err(_) => break,
        }
    }
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Some(RawReply { status, headers, body: raw[end + 4..].to_vec() })
}

/// Sends every [`malformed`] request and returns `(name, answer)`.
pub async fn send_malformed(address: SocketAddr) -> Vec<(&'static str, Option<RawReply>)> {
    let mut answers = Vec::new();
    for request in malformed() {
        let answer =
            tokio::task::spawn_blocking(move || exchange(address, &request.bytes, Duration::from_secs(5)))
                .await
                .expect("the request thread");
        answers.push((request.name, answer));
    }
    answers
}

/// The answer the HTTP server gives outside the library's reach: `status`,
/// an empty body, no JSON, no request id.
pub fn assert_outside_reach(name: &str, answer: Option<&RawReply>, status: u16) {
    let answer = answer.unwrap_or_else(|| panic!("{name}: the server answers"));
    assert_eq!(answer.status, status, "{name}: {answer:?}");
    assert!(answer.body.is_empty(), "{name}: an empty body: {answer:?}");
    assert_ne!(answer.header("content-type"), Some("application/json"), "{name}: {answer:?}");
    assert_eq!(answer.header("x-request-id"), None, "{name}: {answer:?}");
}
