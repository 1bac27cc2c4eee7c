//! Embeds the default rule pack (`../rules`, the folder the `kgx` binary embeds too) in the
//! extension module, as the root crate's build.rs does for the binary; at run time
//! `kgx_core::embedded::write_rules` writes it to the same content-named cache folder.

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
    let here = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let rules = here.join("..").join("rules");
    println!("cargo:rerun-if-changed={}", rules.display());
    let mut list = Vec::new();
    files(&rules, &mut list);
    list.sort();
    assert!(
        list.iter().any(|p| p.ends_with("pack.toml")),
        "{}: no rule pack to embed (the package builds from a kgx checkout)",
        rules.display()
    );
    let mut code = String::from("pub static EMBEDDED_RULES: &[(&str, &[u8])] = &[\n");
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
