//! Throughput bench of the extractor core: extracts every document of some folders on one
//! thread and writes one JSON line per extraction (in discovery order), so a change to the
//! core can be timed and its output compared byte for byte with a saved run.
//!
//! ```text
//! cargo run --release -p kgx-core --example extract_corpus -- \
//!     --rules rules --out /tmp/x.jsonl [--repeat N] DIR...
//! ```
//!
//! Prints the rule pack's load time, the extraction time (without pack loading and file
//! reading; the best of N runs with `--repeat N`), the input size and the throughput.

use anyhow::{bail, Context, Result};
use kgx_core::extract::extract;
use kgx_core::input::{decode_document, discover, Document};
use kgx_core::rules::load_pack;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

struct Args {
    rules: PathBuf,
    out: PathBuf,
    repeat: usize,
    inputs: Vec<PathBuf>,
}

const USAGE: &str = "usage: extract_corpus --rules DIR --out FILE [--repeat N] DIR...";

fn parse_args() -> Result<Args> {
    let mut rules = None;
    let mut out = None;
    let mut repeat = 1;
    let mut inputs = Vec::new();
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .with_context(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.to_str() {
            Some("--rules") => rules = Some(PathBuf::from(value("--rules")?)),
            Some("--out") => out = Some(PathBuf::from(value("--out")?)),
            Some("--repeat") => {
                let n = value("--repeat")?;
                repeat = n
                    .to_str()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n: &usize| n > 0)
                    .with_context(|| format!("--repeat needs a positive number, not {n:?}"))?;
            }
            _ => inputs.push(PathBuf::from(arg)),
        }
    }
    if inputs.is_empty() {
        bail!("no input folder given\n{USAGE}");
    }
    Ok(Args {
        rules: rules.with_context(|| format!("--rules is required\n{USAGE}"))?,
        out: out.with_context(|| format!("--out is required\n{USAGE}"))?,
        repeat,
        inputs,
    })
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let started = Instant::now();
    let pack = load_pack(&args.rules)
        .with_context(|| format!("{}: cannot load the rule pack", args.rules.display()))?;
    let load_seconds = started.elapsed().as_secs_f64();

    let mut docs: Vec<Document> = Vec::new();
    let mut bytes = 0usize;
    for file in discover(&args.inputs)? {
        let raw = std::fs::read(&file.path)
            .with_context(|| format!("{}: cannot read", file.path.display()))?;
        bytes += raw.len();
        let doc = decode_document(&file.rel, &raw)
            .with_context(|| format!("{}: cannot decode", file.path.display()))?;
        docs.push(doc);
    }

    let mut best = f64::INFINITY;
    let mut extractions = Vec::new();
    for _ in 0..args.repeat {
        let started = Instant::now();
        extractions = docs.iter().map(|doc| extract(&pack, doc)).collect();
        best = best.min(started.elapsed().as_secs_f64());
    }

    let file = std::fs::File::create(&args.out)
        .with_context(|| format!("{}: cannot create", args.out.display()))?;
    let mut out = std::io::BufWriter::new(file);
    for x in &extractions {
        serde_json::to_writer(&mut out, x)?;
        out.write_all(b"\n")?;
    }
    out.flush()
        .with_context(|| format!("{}: cannot write", args.out.display()))?;

    let mb = bytes as f64 / 1e6;
    eprintln!(
        "pack load {load_seconds:.3} s, extraction {best:.3} s, {mb:.2} MB, {:.2} MB/s ({} docs)",
        mb / best,
        docs.len()
    );
    Ok(())
}
