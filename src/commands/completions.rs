//! `kgx completions`.

use crate::cli::{Cli, CompletionsArgs};
use anyhow::Result;
use std::process::ExitCode;

pub fn run(args: CompletionsArgs) -> Result<ExitCode> {
    clap_complete::generate(
        args.shell,
        &mut <Cli as clap::CommandFactory>::command(),
        "kgx",
        &mut std::io::stdout(),
    );
    Ok(ExitCode::SUCCESS)
}
