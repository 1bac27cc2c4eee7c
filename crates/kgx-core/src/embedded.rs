//! A rule pack compiled into a program (`include_bytes!` of every file of a rules folder, as
//! the `kgx` binary's and the Python package's build scripts generate), written once to a
//! cache folder named by its content hash: rules load from a folder, since gazetteer paths are
//! relative to the rule files.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// `$XDG_CACHE_HOME/kgx` (else `~/.cache/kgx`, else `kgx` in the temp folder).
pub fn cache_root() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("kgx")
}

/// `{cache}/rules-HASH` holding `files` (`(path relative to the rules folder, bytes)`), written
/// on first use through a staging folder renamed into place, so a reader never sees half a
/// pack and concurrent writers (processes or threads) agree.
pub fn write_rules(files: &[(&str, &[u8])], cache: &Path) -> std::io::Result<PathBuf> {
    let mut hash = Sha256::new();
    for (path, bytes) in files {
        hash.update(path.as_bytes());
        hash.update(bytes);
    }
    let hex: String = hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let dir = cache.join(format!("rules-{hex}"));
    if dir.join("pack.toml").is_file() {
        return Ok(dir);
    }
    std::fs::create_dir_all(cache)?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let staging = cache.join(format!(
        ".rules-{hex}.{}.{nanos}.{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let fill = || -> std::io::Result<()> {
        for (path, bytes) in files {
            let rel = Path::new(path);
            if rel.is_absolute() || rel.components().any(|c| c.as_os_str() == "..") {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("{path}: not a path inside the rules folder"),
                ));
            }
            let target = staging.join(rel);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(target, bytes)?;
        }
        Ok(())
    };
    if let Err(e) = fill() {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    // Another writer may have won the race: its copy is the same.
    if std::fs::rename(&staging, &dir).is_err() {
        std::fs::remove_dir_all(&staging)?;
        if !dir.join("pack.toml").is_file() {
            return Err(std::io::Error::other(format!(
                "{}: cannot put the rules in place",
                dir.display()
            )));
        }
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_once_and_reuses() {
        let cache = std::env::temp_dir().join(format!("kgx-embedded-test-{}", std::process::id()));
        let files: &[(&str, &[u8])] = &[("pack.toml", b"[pack]\n"), ("sub/a.tsv", b"x\n")];
        let dir = write_rules(files, &cache).expect("writes");
        assert_eq!(std::fs::read(dir.join("sub/a.tsv")).expect("read"), b"x\n");
        assert_eq!(write_rules(files, &cache).expect("reuses"), dir);
        let bad: &[(&str, &[u8])] = &[("../escape", b"")];
        assert!(write_rules(bad, &cache).is_err());
        let _ = std::fs::remove_dir_all(&cache);
    }
}
