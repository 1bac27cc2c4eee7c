//! Embeds the default rule pack (`rules/`) in the binary, so a `kgx` installed anywhere has
//! rules when neither --rules, $KGX_RULES nor ./rules gives it any (see src/embedded.rs).

use std::path::PathBuf;

// Shared with python/build.rs, which embeds the same folder in the Python module.
#[path = "build/embed_rules.rs"]
mod embed_rules;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let rules = root.join("rules");
    let list = embed_rules::rule_files(&rules);
    embed_rules::write_embedded_rules(&rules, &list, "pub(crate)");
}
