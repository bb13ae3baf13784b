//! Prints the catalog of every error code in the program: the sample types
//! of `apierror_examples::sample` and the library's own codes.
//!
//! ```sh
//! cargo run --example catalog                   # Markdown
//! cargo run --example catalog -- --json         # JSON
//! cargo run --example catalog --features i18n -- --languages          # Markdown, every language of locales/
//! cargo run --example catalog --features i18n -- --languages --json   # JSON, with `messages` per language
//! cargo run --example catalog -- --typescript   # the codes and the body as TypeScript types
//! cargo run --example catalog -- --json-schema  # the body's JSON Schema
//! cargo run --example catalog -- --sample-bodies  # bodies rendered by the library, for a front end's tests
//! ```

use std::process::ExitCode;

use apierror::{ApiErrorExt, Config, Errors, Format, RequestId};
// The registry only sees crates linked into this binary, and rustc links a
// crate only where the code names it: name every crate that declares errors.
use apierror_examples::sample::{ColumnError, TableError};

const USAGE: &str =
    "usage: cargo run --example catalog [-- --json | --typescript | --json-schema | --sample-bodies \
                     | --languages [--json]] (--languages: --features i18n)";

fn main() -> ExitCode {
    // A panic is one escaped event with its request id, not std's
    // multi-line print (README, "Logging").
    apierror::panic_hook();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let output = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => format!("# Error codes\n\n{}", apierror::registry::markdown()),
        ["--json"] => apierror::registry::json(),
        ["--typescript"] => apierror::registry::typescript(),
        ["--json-schema"] => apierror::registry::json_schema(),
        ["--sample-bodies"] => sample_bodies(),
        // Every language of the examples' translations (`locales/`).
        #[cfg(feature = "i18n")]
        ["--languages"] => match apierror_examples::translations() {
            Ok(translations) => {
                format!("# Error codes\n\n{}", apierror::registry::markdown_with(&translations))
            }
            Err(error) => return failed(&error),
        },
        #[cfg(feature = "i18n")]
        ["--languages", "--json"] | ["--json", "--languages"] => match apierror_examples::translations() {
            Ok(translations) => apierror::registry::json_with(&translations),
            Err(error) => return failed(&error),
        },
        _ => {
            eprintln!("unexpected arguments {args:?}; {USAGE}");
            return ExitCode::from(2);
        }
    };
    print!("{output}");
    ExitCode::SUCCESS
}

/// The translations do not load: the problems, each with file and line.
#[cfg(feature = "i18n")]
fn failed(error: &apierror::i18n::LoadError) -> ExitCode {
    eprintln!("{error}");
    ExitCode::FAILURE
}

/// A JSON array of error bodies as the library renders them (one a line,
/// byte for byte), in both formats, in production and development: one
/// error with details, one with a source and a request id, and several
/// errors in one body. A front end's tests can read them as fixtures; CI
/// validates them against the JSON Schema (`.ci/frontend.sh`).
fn sample_bodies() -> String {
    let id = RequestId::parse("req-7f3a").expect("a well-formed request id");
    let mut bodies = Vec::new();
    for environment in [Config::production(), Config::development()] {
        for format in [Format::Array, Format::Problem] {
            let config = environment.clone().with_format(format).with_request_id_in_details(true);
            let invalid = ColumnError::InvalidType {
                given: "strng".into(),
                available_types: vec!["int".into(), "text".into()],
            };
            let database = ColumnError::Database(std::io::Error::other("connection refused"));
            let several: Errors = [
                TableError::NotFound { name: "orders".into() },
                TableError::ReadOnly { name: "audit".into() },
            ]
            .into_iter()
            .collect();
            for response in [
                invalid.to_response_with(&config),
                database.to_response_with_id(&config, &id),
                several.to_response_with_id(&config, &id),
            ] {
                bodies.push(String::from_utf8(response.into_body()).expect("the library writes UTF-8"));
            }
        }
    }
    format!("[\n{}\n]\n", bodies.join(",\n"))
}
