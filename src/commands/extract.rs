//! `kgx extract`.

use super::load_pack;
use crate::cli::ExtractArgs;
use anyhow::Result;
use kgx::pipeline::ExtractOptions;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let ExtractArgs {
        paths,
        rules,
        out,
        threads,
        formats,
        quiet,
        fail_fast,
        prune,
        shard,
        force,
        metadata,
    } = args;
    let mut pack = match load_pack(rules.rules) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    // A table that cannot be read is a usage error: nothing is extracted.
    let metadata = match metadata.map(|path| kgx::metadata::read(&path)).transpose() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("kgx: error: {e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    if let Some(m) = &metadata {
        pack.hash = m.pack_hash(&pack.hash);
    }
    // Standard input becomes a file the pipeline reads like any other: one document.
    let stdin_dir = tempfile::tempdir()?;
    let paths = paths
        .into_iter()
        .map(|p| -> Result<PathBuf> {
            if p.as_os_str() != "-" {
                return Ok(p);
            }
            let file = stdin_dir.path().join("stdin.txt");
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
            std::fs::write(&file, bytes)?;
            Ok(file)
        })
        .collect::<Result<Vec<_>>>()?;
    let opts = ExtractOptions {
        inputs: paths,
        out,
        threads,
        formats,
        quiet,
        fail_fast,
        prune,
        shard,
        force,
        metadata,
    };
    let summary = kgx::pipeline::run_extract(&pack, &opts)?;
    if !quiet {
        eprintln!("kgx: {summary}");
        eprintln!("kgx: wrote {}", opts.out.display());
    }
    Ok(if summary.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
