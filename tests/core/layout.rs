//! Every test file of this package runs. `tests/` declares its binaries in
//! `tests/Cargo.toml` (`autotests = false`: its folder is not a package's
//! `tests/` folder), so a new `tests/*.rs` that no `[[test]]` names, or a
//! file of a binary's folder that its `main.rs` does not declare, would
//! compile into nothing and pass unnoticed.

use std::fs;
use std::path::Path;

#[test]
fn every_test_file_is_a_binary_or_a_module_of_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let declared: Vec<&str> =
        manifest.lines().filter_map(|line| line.strip_prefix("path = \"")?.strip_suffix('"')).collect();
    let mut missing = Vec::new();
    for entry in fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.extension().is_some_and(|ext| ext == "rs") {
            if !declared.contains(&name.as_str()) {
                missing.push(format!("tests/{name}: no [[test]] in tests/Cargo.toml"));
            }
        } else if path.join("main.rs").is_file() {
            // A binary's folder: its main.rs is declared, and declares each
            // of its files as a module.
            let main = format!("{name}/main.rs");
            if !declared.contains(&main.as_str()) {
                missing.push(format!("tests/{main}: no [[test]] in tests/Cargo.toml"));
            }
            let text = fs::read_to_string(path.join("main.rs")).unwrap();
            for file in fs::read_dir(&path).unwrap() {
                let file = file.unwrap().path();
                let Some(stem) = file.file_stem().map(|stem| stem.to_string_lossy().into_owned()) else {
                    continue;
                };
                let is_module = file.extension().is_some_and(|ext| ext == "rs") && stem != "main";
                if is_module && !text.lines().any(|line| line.trim() == format!("mod {stem};")) {
                    missing.push(format!("tests/{name}/{stem}.rs: no `mod {stem};` in tests/{main}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "test files that no binary compiles:\n{}", missing.join("\n"));
}
