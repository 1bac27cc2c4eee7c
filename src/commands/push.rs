//! `kgx push`.

use crate::cli::PushArgs;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(args: PushArgs) -> Result<ExitCode> {
    kgx::push::run(&args.into())?;
    Ok(ExitCode::SUCCESS)
}
