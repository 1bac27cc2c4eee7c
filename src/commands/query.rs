//! `kgx query`.

use crate::cli::QueryArgs;
use anyhow::{Context, Result};
use kgx::query::ResultFormat;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

pub fn run(args: QueryArgs) -> Result<ExitCode> {
    let QueryArgs {
        query,
        file,
        store,
        format,
        explain,
    } = args;
    let store = store.store;
    let text = kgx::query::query_text(query, file.as_deref())?;
    let format = format.unwrap_or(if std::io::stdout().is_terminal() {
        ResultFormat::Table
    } else {
        ResultFormat::Json
    });
    if !store.exists() {
        anyhow::bail!(
            "{}: no store here; run `kgx extract` first or pass --store DIR",
            store.display()
        );
    }
    let store = oxigraph::store::Store::open_read_only(&store)
        .with_context(|| format!("{}: cannot open the store", store.display()))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match explain {
        None => kgx::query::run(&store, &text, format, &mut out)?,
        Some(path) => kgx::output::write_atomic(&path, |plan| {
            kgx::query::run_explained(&store, &text, format, &mut out, plan)
        })?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
