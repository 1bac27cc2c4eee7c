//! `kgx eval`.

use crate::cli::EvalArgs;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    let EvalArgs {
        gold,
        extractions,
        explain,
        json,
        by_doc,
        docs,
    } = args;
    let only = (!docs.is_empty()).then_some(docs.as_slice());
    let report = kgx::eval::score_files_of(&gold, &extractions, only)?;
    if json {
        let value = if by_doc {
            report.to_json_by_doc()
        } else {
            report.to_json()
        };
        println!("{value}");
    } else {
        if explain {
            print!("{}", report.render_explain());
        }
        if by_doc {
            print!("{}", report.render_by_doc());
            println!();
        }
        print!("{}", report.render_table());
    }
    Ok(ExitCode::SUCCESS)
}
