//! `kgx export`.

use crate::cli::ExportArgs;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(args: ExportArgs) -> Result<ExitCode> {
    kgx::export::run(&args.into())?;
    Ok(ExitCode::SUCCESS)
}
