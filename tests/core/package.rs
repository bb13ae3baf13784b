//! The `apierror` package as crates.io shows it: its readme is in the
//! package, and every file or folder the readme names is in the package
//! too (or is a full URL), so that no link on its crates.io page is dead.

use std::process::Command;

#[test]
fn the_package_readme_names_only_what_the_package_holds() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let output = Command::new(env!("CARGO"))
        .args(["package", "-p", "apierror", "--list", "--allow-dirty", "--offline"])
        .current_dir(root)
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let files: Vec<String> = String::from_utf8(output.stdout).unwrap().lines().map(str::to_owned).collect();

    let manifest = std::fs::read_to_string(format!("{root}/error-core/Cargo.toml")).unwrap();
    let readme = manifest
        .lines()
        .find_map(|line| line.strip_prefix("readme = \"")?.strip_suffix('"'))
        .expect("error-core/Cargo.toml declares a readme");
    assert!(
        !readme.starts_with(".."),
        "the readme ({readme}) must be the package's own, not a file outside it"
    );
    assert!(files.iter().any(|file| file == readme), "{readme} is not in the package: {files:?}");
    let text = std::fs::read_to_string(format!("{root}/error-core/{readme}")).unwrap();

    // Markdown links and code spans that name a path of the repository.
    let mut named = Vec::new();
    for (open, close) in [("](", ')'), ("`", '`')] {
        for piece in text.split(open).skip(1) {
            let Some(target) = piece.split(close).next() else { continue };
            let looks_like_a_path = ["src/", "tests/", "examples/", "benches/", "../", "./"]
                .iter()
                .any(|prefix| target.starts_with(prefix));
            if looks_like_a_path {
                named.push(target.to_owned());
            }
        }
    }
    let missing: Vec<&String> = named
        .iter()
        .filter(|path| {
            let path = path.trim_start_matches("./").trim_end_matches('/');
            !files.iter().any(|file| file == path || file.starts_with(&format!("{path}/")))
        })
        .collect();
    assert!(missing.is_empty(), "the package readme names files that are not in the package: {missing:?}");
}

/// Every Rust block of both READMEs is compiled as a doctest (the root's
/// through `examples/src/lib.rs`, the package's through `error-core/src/lib.rs`): a
/// block fenced `ignore` is never compiled, so a snippet a newcomer copies
/// could fail to build unnoticed (the upstream snippet once lacked the
/// `FromUpstreamError` import). A block that needs a server is `no_run`.
#[test]
fn every_rust_block_of_the_readmes_is_compiled() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    for readme in ["README.md", "error-core/README.md"] {
        let text = std::fs::read_to_string(format!("{root}/{readme}")).unwrap();
        let ignored: Vec<String> = text
            .lines()
            .enumerate()
            .filter(|(_, line)| {
                let Some(info) = line.trim_start().strip_prefix("```") else { return false };
                let words: Vec<&str> = info.split(',').map(str::trim).collect();
                words.contains(&"ignore") || (words.contains(&"rust") && words.contains(&"compile_fail"))
            })
            .map(|(number, line)| format!("{readme}:{}: {line}", number + 1))
            .collect();
        assert!(
            ignored.is_empty(),
            "README blocks that no doctest compiles (fence them `rust` or `rust,no_run`):\n{}",
            ignored.join("\n")
        );
    }
}
