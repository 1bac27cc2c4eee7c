//! Embedding a rule pack in a crate, shared by the build scripts of `kgx` (build.rs) and of
//! the Python package (python/build.rs), which include this file with `#[path]`: both embed
//! the same `rules/` folder, which `kgx_core::embedded::write_rules` writes back at run time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Every file under `rules`, at any depth, sorted by path: the embedded pack's order does not
/// depend on the file system's.
pub fn rule_files(rules: &Path) -> Vec<PathBuf> {
    let mut list = Vec::new();
    files(rules, &mut list);
    list.sort();
    list
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Writes `$OUT_DIR/embedded_rules.rs`: `{visibility} static EMBEDDED_RULES`, each of `list`
/// (files under `rules`) as its path below `rules` and its bytes, for the crate to
/// `include!`; and has cargo rerun the build script when the folder or any of them changes.
pub fn write_embedded_rules(rules: &Path, list: &[PathBuf], visibility: &str) {
    println!("cargo:rerun-if-changed={}", rules.display());
    let mut code = format!("{visibility} static EMBEDDED_RULES: &[(&str, &[u8])] = &[\n");
    for path in list {
        let rel = path.strip_prefix(rules).expect("under rules/");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
        println!("cargo:rerun-if-changed={}", path.display());
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    std::fs::write(out.join("embedded_rules.rs"), code).expect("OUT_DIR is writable");
}
