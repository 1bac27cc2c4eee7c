//! The default rule pack, compiled into the binary by build.rs and written once to a cache
//! folder named by its content hash ([`kgx_core::embedded`]), since rules load from a folder.

use anyhow::{Context, Result};
use std::path::PathBuf;

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// `$XDG_CACHE_HOME/kgx/rules-HASH` (else `~/.cache/…`, else the temp folder), holding the
/// embedded rules; written on first use, atomically.
pub fn rules_dir() -> Result<PathBuf> {
    let cache = kgx_core::embedded::cache_root();
    kgx_core::embedded::write_rules(EMBEDDED_RULES, &cache).with_context(|| {
        format!(
            "{}: cannot write the built-in rules; pass --rules DIR or set $KGX_RULES",
            cache.display()
        )
    })
}
