//! One module per subcommand, each with `run(args) -> Result<ExitCode>`: 0 ok; 1 a runtime
//! error or some inputs failed (an `Err` is mapped to 1 by `main`); 2 a usage or rule-pack
//! error, returned as `Ok(ExitCode::from(2))` after its message is printed.

pub mod completions;
pub mod eval;
pub mod explain;
pub mod export;
pub mod extract;
pub mod push;
pub mod query;
pub mod rules;
pub mod serve;

use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// --rules, else $KGX_RULES, else ./rules, else the rules built into kgx.
pub fn rules_dir(arg: Option<PathBuf>) -> Result<PathBuf> {
    let given = arg
        .or_else(|| std::env::var_os("KGX_RULES").map(PathBuf::from))
        .or_else(|| {
            Path::new("rules/pack.toml")
                .exists()
                .then(|| PathBuf::from("rules"))
        });
    match given {
        Some(dir) => Ok(dir),
        None => kgx::embedded::rules_dir(),
    }
}

/// The rule pack of `rules_dir`; on any error, the message is printed and the exit code is 2.
pub fn load_pack(arg: Option<PathBuf>) -> Result<kgx::rules::RulePack, ExitCode> {
    let dir = rules_dir(arg).map_err(|e| {
        eprintln!("kgx: error: {e:#}");
        ExitCode::from(2)
    })?;
    kgx::rules::load_pack(&dir).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(2)
    })
}
