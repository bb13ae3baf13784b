//! Prints the catalog of every error code in the program: the sample types
//! of `apierror_examples::sample` and the library's own codes.
//!
//! ```sh
//! cargo run --example catalog            # Markdown
//! cargo run --example catalog -- --json  # JSON, for a front end
//! ```

use std::process::ExitCode;

// The registry only sees crates linked into this binary, and rustc links a
// crate only where the code names it: name every crate that declares errors.
use apierror_examples as _;

fn main() -> ExitCode {
    // A panic is one escaped event with its request id, not std's
    // multi-line print (README, "Logging").
    apierror::panic_hook();
    let mut json = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--json" => json = true,
            _ => {
                eprintln!("unknown argument `{arg}`; usage: cargo run --example catalog [-- --json]");
                return ExitCode::from(2);
            }
        }
    }
    if json {
        print!("{}", apierror::registry::json());
    } else {
        println!("# Error codes\n");
        print!("{}", apierror::registry::markdown());
    }
    ExitCode::SUCCESS
}
