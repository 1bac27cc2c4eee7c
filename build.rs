//! Embeds the default rule pack (`rules/`) in the binary, so a `kgx` installed anywhere has
//! rules when neither --rules, $KGX_RULES nor ./rules gives it any (see src/embedded.rs).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

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

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut list = Vec::new();
    files(&rules, &mut list);
    list.sort();
    let mut code = String::from("pub(crate) static EMBEDDED_RULES: &[(&str, &[u8])] = &[\n");
    for path in &list {
        let rel = path.strip_prefix(&rules).expect("under rules/");
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
