//! Expansion snapshots: the code generated for `tests/expand/*.rs` is
//! committed beside each input as `*.expanded.rs`, so every change to
//! generated code shows in review. `APIERROR_BLESS_SNAPSHOTS=1` rewrites them
//! (the lock has its own switch, `APIERROR_BLESS`).

use std::fs;
use std::path::{Path, PathBuf};

use quote::ToTokens;

/// The derive's output for every `#[derive(ApiError)]` item of `source`,
/// pretty-printed.
fn expand_file(source: &str) -> String {
    let file: syn::File = syn::parse_str(source).expect("snapshot input parses");
    let mut items = Vec::new();
    for item in file.items {
        let derives_api_error = match &item {
            syn::Item::Enum(item) => has_derive(&item.attrs),
            syn::Item::Struct(item) => has_derive(&item.attrs),
            _ => false,
        };
        if derives_api_error {
            let input = syn::parse2(item.into_token_stream()).expect("a derive input");
            let output = crate::expand::derive(&input);
            let output: syn::File = syn::parse2(output).expect("the expansion parses as items");
            items.extend(output.items);
        }
    }
    prettyplease::unparse(&syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items })
}

fn has_derive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("derive") && attr.meta.to_token_stream().to_string().contains("ApiError")
    })
}

fn inputs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expand");
    let mut inputs: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/expand exists")
        .map(|entry| entry.expect("readable").path())
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "rs")
                && !path.to_string_lossy().ends_with(".expanded.rs")
        })
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn expansions_match_the_committed_snapshots() {
    let bless = std::env::var_os("APIERROR_BLESS_SNAPSHOTS").is_some_and(|v| v == "1");
    let inputs = inputs();
    assert!(!inputs.is_empty(), "no snapshot inputs in tests/expand");
    let mut stale = Vec::new();
    for input in inputs {
        let expanded = expand_file(&fs::read_to_string(&input).expect("readable input"));
        let snapshot = input.with_extension("expanded.rs");
        let committed = fs::read_to_string(&snapshot).unwrap_or_default();
        if committed != expanded {
            if bless {
                fs::write(&snapshot, &expanded).expect("snapshot written");
            } else {
                stale.push(snapshot.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "the generated code changed: {stale:?}\nreview the change, then run `APIERROR_BLESS_SNAPSHOTS=1 cargo test -p apierror-derive` and commit the snapshots"
    );
}
