//! `kgx explain`.

use super::load_pack;
use crate::cli::ExplainArgs;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(args: ExplainArgs) -> Result<ExitCode> {
    let ExplainArgs { file, rules } = args;
    let pack = match load_pack(rules.rules) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let doc = if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
        kgx::input::decode_document("stdin", &bytes)
            .map_err(|e| anyhow::anyhow!("standard input: {e}"))?
    } else {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let input = kgx::input::InputFile {
            rel: name,
            path: file.clone(),
        };
        kgx::input::read_document(&input).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?
    };
    let name = doc.rel.clone();
    print!("{}", kgx::explain::explain(&pack, &doc.text, &name));
    Ok(ExitCode::SUCCESS)
}
