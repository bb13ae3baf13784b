//! The `apierror` package as crates.io shows it: its readme is in the
//! package, and every file or folder the readme names is in the package
//! too (or is a full URL), so that no link on its crates.io page is dead.

use std::process::Command;

#[test]
fn the_package_readme_names_only_what_the_package_holds() {
    let root = env!("CARGO_MANIFEST_DIR");
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
