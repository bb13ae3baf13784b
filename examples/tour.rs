//! A tour of apierror: every variant of a sample error enum rendered in
//! production and in development, side by side.
//!
//! ```sh
//! cargo run --example tour
//! ```

use apierror::{ApiError, ApiErrorExt, Config, Errors};
use apierror_examples::sample::{ColumnError, TableError};

fn main() {
    // A panic is one escaped event with its request id, not std's
    // multi-line print (README, "Logging").
    apierror::panic_hook();
    let errors: Vec<(&str, ColumnError)> = vec![
        (
            "a conflict with a fixed message and a field",
            ColumnError::DuplicateName { name: "email".into(), table: "users".into() },
        ),
        (
            "an interpolated message with details",
            ColumnError::InvalidType {
                given: "strng".into(),
                available_types: vec!["int".into(), "text".into(), "bool".into()],
            },
        ),
        (
            "a server error: the source stays on the server",
            ColumnError::Database(std::io::Error::other("connection refused: 10.0.0.7:5432")),
        ),
        (
            "a transparent variant: everything comes from the inner error",
            ColumnError::Table(TableError::NotFound { name: "orders".into() }),
        ),
    ];

    let production = Config::production();
    let development = Config::development();
    for (what, err) in &errors {
        let status = err.status();
        println!("━━ ColumnError: {what}");
        println!("   {status}  code {}  ({})", err.code(), err.entry().path());
        side_by_side(
            &pretty(err.to_response_with(&production).body()),
            &pretty(err.to_response_with(&development).body()),
        );
        println!();
    }

    let mut several = Errors::new();
    several.push(TableError::NotFound { name: "orders".into() });
    several.push(TableError::ReadOnly { name: "audit".into() });
    let response = several.to_response_with(&production);
    println!("━━ Errors: several errors, one body");
    println!("   {}  (404 and 403 differ, all are 4xx: 400)", response.status());
    println!("{}", indent(&pretty(response.body())));
}

/// Indents a JSON body, keeping its key order (a `serde_json::Value` would
/// sort the keys).
fn pretty(body: &[u8]) -> String {
    let text = std::str::from_utf8(body).expect("bodies are UTF-8");
    serde_json::from_str::<serde_json::Value>(text).expect("bodies are valid JSON");
    let (mut out, mut depth, mut in_string, mut escaped) = (String::new(), 0usize, false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            (in_string, escaped) = (escaped || c != '"', !escaped && c == '\\');
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '[' | '{' if matches!(chars.peek(), Some(']' | '}')) => {
                out.push(c);
                out.extend(chars.next());
            }
            '[' | '{' => {
                depth += 1;
                out.push(c);
                newline(&mut out, depth);
            }
            ']' | '}' => {
                depth -= 1;
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c => out.push(c),
        }
    }
    out
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    out.push_str(&"  ".repeat(depth));
}

fn indent(text: &str) -> String {
    text.lines().map(|line| format!("   {line}")).collect::<Vec<_>>().join("\n")
}

/// Prints two texts in columns: production on the left, development on the
/// right.
fn side_by_side(left: &str, right: &str) {
    let width = left.lines().map(|line| line.chars().count()).max().unwrap_or(0).max("production".len());
    println!("   {:width$}  │ development", "production");
    println!("   {:─<width$}──┼─{:─<40}", "", "");
    let (left, right): (Vec<&str>, Vec<&str>) = (left.lines().collect(), right.lines().collect());
    for i in 0..left.len().max(right.len()) {
        let l = left.get(i).copied().unwrap_or("");
        let r = right.get(i).copied().unwrap_or("");
        println!("   {l:width$}  │ {r}");
    }
}
