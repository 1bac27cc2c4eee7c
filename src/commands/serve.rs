//! `kgx serve`.

use crate::cli::ServeArgs;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    kgx::serve::run(&args.into())?;
    Ok(ExitCode::SUCCESS)
}
