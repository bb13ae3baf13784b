//! The library's own structure, as issue 19 set it (DESIGN's "Inside
//! error-core"): checked, so that it stays so.

use std::fs;
use std::path::{Path, PathBuf};

/// The source folder.
fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every folder under `dir`, `dir` included.
fn folders(dir: &Path) -> Vec<PathBuf> {
    let mut all = vec![dir.to_path_buf()];
    for entry in fs::read_dir(dir).expect("readable") {
        let path = entry.expect("readable").path();
        if path.is_dir() {
            all.extend(folders(&path));
        }
    }
    all
}

/// Every source file of the library: its path under `src/` (with `/`) and
/// its text.
fn sources() -> Vec<(String, String)> {
    let src = src();
    let mut files: Vec<(String, String)> = folders(&src)
        .into_iter()
        .flat_map(|dir| fs::read_dir(dir).expect("readable"))
        .map(|entry| entry.expect("readable").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .map(|path| {
            let name = path.strip_prefix(&src).expect("under src").to_string_lossy().replace('\\', "/");
            (name, fs::read_to_string(&path).expect("readable"))
        })
        .collect();
    files.sort();
    files
}

/// The code of a file: its lines before its unit tests, without comments.
fn code(text: &str) -> impl Iterator<Item = &str> {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    text.lines().filter(|line| !line.trim_start().starts_with("//"))
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

/// One module style: a module with parts is a folder with a `mod.rs` and no
/// `foo.rs` beside it; a module without parts is one `foo.rs`.
#[test]
fn one_module_style() {
    let src = src();
    let mut found = 0;
    for dir in folders(&src).into_iter().skip(1) {
        let name = dir.strip_prefix(&src).expect("under src").display().to_string();
        assert!(
            !dir.with_extension("rs").exists(),
            "`{name}.rs` beside `{name}/`: move it to `{name}/mod.rs`"
        );
        let has_rust = fs::read_dir(&dir)
            .expect("readable")
            .any(|entry| entry.expect("readable").path().extension().is_some_and(|ext| ext == "rs"));
        if has_rust {
            assert!(dir.join("mod.rs").exists(), "`{name}/` has parts but no `mod.rs`");
            found += 1;
        }
    }
    assert!(found >= 4, "db, upstream, registry, openapi and validation are folders: {found}");
}

/// What reads a driver's or a client's types lives in that backend's file:
/// a new driver is a new file, and no other file changes with it.
#[test]
fn drivers_are_read_only_in_their_backend_files() {
    let backends = ["db/sqlx/", "db/tokio_postgres.rs", "upstream/reqwest.rs"];
    let driver_reads = [
        "as_database_error",
        "as_db_error",
        "try_downcast_ref",
        "PgDatabaseError",
        "MySqlDatabaseError",
        "SqliteError",
        "reqwest::Error",
        "reqwest::Response",
        "reqwest::Url",
        "reqwest::RequestBuilder",
    ];
    let sources = sources();
    for (name, text) in &sources {
        if name == "structure.rs" || backends.iter().any(|backend| name.starts_with(backend)) {
            continue;
        }
        for line in code(text) {
            for read in driver_reads {
                assert!(!line.contains(read), "{name} reads a driver (`{read}`): {line}");
            }
        }
    }
    // Each backend is named in one match, `Source::backend`: the accessors
    // read it through the `Backend` and `Report` traits.
    for (variant, backend) in [("Sqlx(", "db/sqlx/"), ("TokioPostgres(", "db/tokio_postgres.rs")] {
        let matched: usize = sources
            .iter()
            .filter(|(name, _)| name.starts_with("db/") && !name.starts_with(backend))
            .flat_map(|(_, text)| code(text))
            .filter(|line| {
                line.contains(&format!("Self::{variant}")) || line.contains(&format!("Source::{variant}"))
            })
            .count();
        assert_eq!(matched, 1, "`Source::{variant}..)` matched outside `Source::backend`");
    }
    // Within sqlx, each driver's error type is named once outside its own
    // file: in the one downcast that picks its `Report`.
    let sqlx = &sources.iter().find(|(name, _)| name == "db/sqlx/mod.rs").expect("db/sqlx/mod.rs").1;
    for driver in ["PgDatabaseError", "MySqlDatabaseError", "SqliteError"] {
        let named = code(sqlx).filter(|line| line.contains(driver)).count();
        assert_eq!(named, 1, "db/sqlx/mod.rs names `{driver}` outside its one downcast");
    }
}

/// The text helpers that the JSON writer, the render and the log share are
/// a leaf: no circle through them.
#[test]
fn the_text_helpers_are_a_leaf() {
    let sources = sources();
    let file = |wanted: &str| &sources.iter().find(|(name, _)| name == wanted).expect("a source").1;
    assert!(!code(file("text.rs")).any(|line| line.contains("crate::")), "text.rs imports the crate");
    for (name, uses) in
        [("json.rs", ["crate::log", "crate::render"]), ("log.rs", ["crate::render", "crate::json"])]
    {
        for used in uses {
            assert!(!code(file(name)).any(|line| line.contains(used)), "{name} uses {used}");
        }
    }
}
