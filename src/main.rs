//! The `kgx` command line: parses arguments (`cli`), runs the subcommand (`commands`) and
//! maps its outcome to the exit code.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cli;
mod commands;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        // `kgx query … | head` closing the pipe early is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kgx: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract(args) => commands::extract::run(args),
        Command::Query(args) => commands::query::run(args),
        Command::Eval(args) => commands::eval::run(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Export(args) => commands::export::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::Push(args) => commands::push::run(args),
        Command::Completions(args) => commands::completions::run(args),
        Command::Rules { action } => commands::rules::run(action),
    }
}
