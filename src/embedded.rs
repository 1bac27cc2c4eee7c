//! The default rule pack, compiled into the binary by build.rs. Rules are loaded from a
//! folder (gazetteer paths are relative to the rule files), so the embedded pack is written
//! once to a cache folder named by its content hash and loaded from there.

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// `$XDG_CACHE_HOME/kgx/rules-HASH` (else `~/.cache/…`, else the temp folder), holding the
/// embedded rules; written on first use, atomically.
pub fn rules_dir() -> Result<PathBuf> {
    let mut hash = Sha256::new();
    for (path, bytes) in EMBEDDED_RULES {
        hash.update(path.as_bytes());
        hash.update(bytes);
    }
    let hex: String = hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("kgx");
    let dir = cache.join(format!("rules-{hex}"));
    if dir.join("pack.toml").is_file() {
        return Ok(dir);
    }
    let fill = || -> std::io::Result<()> {
        std::fs::create_dir_all(&cache)?;
        let staging = tempfile::tempdir_in(&cache)?;
        for (path, bytes) in EMBEDDED_RULES {
            let target = staging.path().join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(target, bytes)?;
        }
        let staged = staging.keep();
        // Another kgx may have won the race: its copy is the same.
        if std::fs::rename(&staged, &dir).is_err() {
            std::fs::remove_dir_all(&staged)?;
        }
        Ok(())
    };
    fill().with_context(|| {
        format!(
            "{}: cannot write the built-in rules; pass --rules DIR or set $KGX_RULES",
            dir.display()
        )
    })?;
    Ok(dir)
}
