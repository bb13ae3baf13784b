//! The lock file's format: reading it, writing it, and what it can hold.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write as _};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{MalformedLine, Record};
use crate::registry::unraw;

/// Parses the lock; on failure, every malformed line.
pub(super) fn parse(text: &str) -> Result<BTreeMap<String, Record>, Vec<MalformedLine>> {
    let mut records: BTreeMap<String, Record> = BTreeMap::new();
    let mut malformed = Vec::new();
    // Editors on some systems start a UTF-8 file with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = raw.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        match parse_line(content, line) {
            Ok(record) => {
                if let Some(first) = records.get(&record.code) {
                    malformed.push(MalformedLine {
                        line,
                        text: raw.to_owned(),
                        problem: format!(
                            "code `{}` is already locked on line {}: keep one line per code",
                            record.code, first.line
                        ),
                    });
                } else {
                    records.insert(record.code.clone(), record);
                }
            }
            Err(problem) => malformed.push(MalformedLine { line, text: raw.to_owned(), problem }),
        }
    }
    if malformed.is_empty() {
        Ok(records)
    } else {
        Err(malformed)
    }
}

fn parse_line(content: &str, line: usize) -> Result<Record, String> {
    let columns: Vec<&str> = content.split_whitespace().collect();
    let (code, status, owner, crate_name, retired) = match columns[..] {
        [code, status, owner, crate_name] => (code, status, owner, crate_name, false),
        [code, status, owner, crate_name, "retired"] => (code, status, owner, crate_name, true),
        [_, _, _, _, other] => {
            return Err(format!(
                "unexpected `{other}` after the crate: the only word allowed there is `retired`"
            ))
        }
        _ => {
            return Err(format!(
                "expected 4 columns, `CODE STATUS Type::Variant CRATE`, optionally followed by `retired`; \
                 found {}",
                columns.len()
            ))
        }
    };
    let status = match status.parse::<u16>() {
        Ok(status @ 400..=599) => status,
        _ => {
            return Err(format!(
                "status `{status}` is not an HTTP error status: expected an integer in 400..=599"
            ))
        }
    };
    let segments: Vec<&str> = owner.split("::").map(unraw).collect();
    // `Type::Variant` or `Type`; a type name may be a path (the library's
    // own errors are named `apierror::builtin::Kind::InvalidJson`).
    if !segments.iter().all(|s| is_identifier(s)) {
        return Err(format!("owner `{owner}` is not `Type::Variant` or `Type`"));
    }
    let crate_name = unraw(crate_name);
    if crate_name != "-" && !is_identifier(crate_name) {
        return Err(format!("`{crate_name}` is not a crate name (as in `use crate_name as _;`)"));
    }
    Ok(Record {
        code: code.to_owned(),
        status,
        // Read unraw, as written: a lock written by hand (or by an older
        // version) with `r#Match` names the same variant.
        owner: segments.join("::"),
        crate_name: crate_name.to_owned(),
        retired,
        line,
    })
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

pub(super) const HEADER: &str = "\
# apierror error-code lock: every code this program has shipped, one per line.
# A code keeps its status and owner; a removed code stays, marked `retired`,
# so that it is never reused. After a deliberate change, run the lock test
# with APIERROR_BLESS=1 to rewrite this file, and review the diff.
#
";

/// The lock's text: the header, then one aligned line per record, sorted by
/// code (the order of `records`).
pub(super) fn render<'a>(records: impl Iterator<Item = &'a Record> + Clone) -> String {
    let width = |column: fn(&Record) -> usize, title: &str| {
        records.clone().map(column).max().unwrap_or(0).max(title.len())
    };
    let code_width = width(|r| r.code.len(), "# code");
    let owner_width = width(|r| r.owner.len(), "Type::Variant");
    let crate_width = width(|r| r.crate_name.len(), "crate");
    let mut out = String::from(HEADER);
    out.push_str(&format!("{:code_width$}  status  {:owner_width$}  crate\n", "# code", "Type::Variant"));
    for r in records {
        out.push_str(&render_line(r, code_width, owner_width, crate_width));
        out.push('\n');
    }
    out
}

/// One record's line, without its line break, in columns of these widths.
fn render_line(r: &Record, code_width: usize, owner_width: usize, crate_width: usize) -> String {
    let line = format!("{:code_width$}  {:<6}  {:owner_width$}  {}", r.code, r.status, r.owner, r.crate_name);
    if r.retired {
        format!("{line:<width$}  retired", width = code_width + owner_width + crate_width + 12)
    } else {
        line
    }
}

/// Why the lock file cannot hold `record`, if it cannot: its line would
/// not read back as written (a comment, a split column, a name that is not
/// an identifier). The writer checks every record of the program with it,
/// so that it never writes a line the parser reads otherwise.
pub(super) fn unreadable(record: &Record) -> Option<String> {
    let code = record.code.as_str();
    if code.is_empty() {
        return Some("the code is empty".to_owned());
    }
    if code.starts_with('#') {
        return Some("a code starting with `#` would be read as a comment: choose another code".to_owned());
    }
    if code.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(
            "the code contains whitespace or a control character, which would split the lock's columns: \
             choose another code"
                .to_owned(),
        );
    }
    // Everything else: write the line, read it back, and compare.
    let line = render_line(record, 0, 0, 0);
    match parse(&line) {
        Ok(read) => match read.get(code) {
            Some(back)
                if back.status == record.status
                    && back.owner == record.owner
                    && back.crate_name == record.crate_name
                    && read.len() == 1 =>
            {
                None
            }
            _ => Some(format!("its lock line `{line}` does not read back as written")),
        },
        Err(lines) => Some(format!(
            "its lock line `{line}` could not be read back: {}",
            lines.first().map_or("", |l| l.problem.as_str())
        )),
    }
}

/// Writes `contents` to a temporary file beside `path`, then renames it over
/// `path`: a reader sees the old lock or the new one, never half of one.
pub(super) fn write_atomically(path: &Path, contents: &str) -> io::Result<()> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the lock path does not name a file"))?;
    let temp = path.with_file_name(format!(
        ".{}.{}-{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = fs::File::create(&temp)
        .and_then(|mut file| {
            file.write_all(contents.as_bytes())?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&temp, path));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}
