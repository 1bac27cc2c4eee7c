//! Embeds the default rule pack (`../rules`, the folder the `kgx` binary embeds too) in the
//! extension module, as the root crate's build.rs does for the binary; at run time
//! `kgx_core::embedded::write_rules` writes it to the same content-named cache folder.

use std::path::PathBuf;

// The root crate's build.rs embeds the same folder with the same code.
#[path = "../build/embed_rules.rs"]
mod embed_rules;

fn main() {
    let here = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let rules = here.join("..").join("rules");
    let list = embed_rules::rule_files(&rules);
    assert!(
        list.iter().any(|p| p.ends_with("pack.toml")),
        "{}: no rule pack to embed (the package builds from a kgx checkout)",
        rules.display()
    );
    // `pub`: python/src/lib.rs includes it in its own `mod embedded`.
    embed_rules::write_embedded_rules(&rules, &list, "pub");
}
