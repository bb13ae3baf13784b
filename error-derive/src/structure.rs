//! The derive's own structure, as issue 19 set it: checked, so that it
//! stays so.

use std::fs;
use std::path::Path;

/// Every source file of the derive, with its text.
fn sources() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<(String, String)> = fs::read_dir(&dir)
        .expect("src exists")
        .map(|entry| entry.expect("readable").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .map(|path| {
            let name = path.file_name().expect("a file").to_string_lossy().into_owned();
            (name, fs::read_to_string(&path).expect("readable"))
        })
        .collect();
    files.sort();
    files
}

/// The code of a file before its unit tests.
fn code(text: &str) -> &str {
    text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text)
}

#[test]
fn no_file_over_600_lines() {
    let long: Vec<String> = sources()
        .into_iter()
        .filter(|(_, text)| text.lines().count() > 600)
        .map(|(name, text)| format!("{name}: {} lines", text.lines().count()))
        .collect();
    assert!(long.is_empty(), "split these on a seam: {long:?}");
}

/// The item is read by `syn` alone: no token-tree reader beside it, and no
/// type kept as tokens for the expansion to parse again.
#[test]
fn the_item_is_read_by_syn_alone() {
    for (name, text) in sources() {
        if name == "structure.rs" {
            continue;
        }
        assert!(!text.contains("Type::Verbatim"), "{name} handles a `Type::Verbatim`");
        assert!(!text.contains("TokenTree::Punct"), "{name} walks token trees");
    }
}

/// The expansion parses nothing and cannot panic: it reads the IR, every
/// fact of which `check` validated; and it generates tokens with `quote!`,
/// never source text lexed again.
#[test]
fn the_expansion_parses_nothing_and_cannot_panic() {
    for (name, text) in sources() {
        if name != "expand.rs" && name != "methods.rs" {
            continue;
        }
        let code = code(&text);
        for needle in [
            ".expect(",
            ".unwrap()",
            "unreachable!",
            "panic!",
            "message::parse",
            "parse_spec",
            "proc_macro::TokenStream",
            ".parse()",
            "field_named",
            "attrs.",
        ] {
            assert!(!code.contains(needle), "{name} contains `{needle}`");
        }
    }
}

/// One parser for `#[api(...)]`: the keys are looked up in one table.
#[test]
fn one_parser_one_key_table() {
    let sources = sources();
    let attr = &sources.iter().find(|(name, _)| name == "attr.rs").expect("attr.rs").1;
    assert!(!attr.contains("fn parse_simple"), "a second parser of `#[api]`");
    assert!(!sources.iter().any(|(name, _)| name == "symbol.rs"), "key names outside the table");
    for (name, text) in &sources {
        if name == "keys.rs" || name == "structure.rs" {
            continue;
        }
        assert!(
            !code(text).contains("fn home_of") && !code(text).contains("fn example("),
            "{name} describes keys"
        );
    }
}
