//! `kgx extract`: the whole pipeline, documents in, every sink out.

use crate::extract::extract;
use crate::graph::KnowledgeGraph;
use crate::input::{discover, read_document, InputFile};
use crate::model::Extraction;
use crate::output;
use crate::rules::RulePack;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

/// Which outputs a run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Ttl,
    Nq,
    Gexf,
    Store,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Jsonl,
        Format::Ttl,
        Format::Nq,
        Format::Gexf,
        Format::Store,
    ];
}

#[derive(Debug, Clone)]
pub struct ExtractOptions {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub threads: Option<usize>,
    pub formats: Vec<Format>,
    pub quiet: bool,
    pub fail_fast: bool,
}

#[derive(Debug, Default)]
pub struct Summary {
    pub documents: usize,
    pub bytes: u64,
    pub entities: usize,
    pub relations: usize,
    pub quads: usize,
    /// (document, reason) for every file that could not be read or decoded.
    pub failed: Vec<(String, String)>,
    pub seconds: f64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mb = self.bytes as f64 / 1e6;
        write!(
            f,
            "{} documents, {:.2} MB, {} entities, {} relations, {} quads, {} failed, {:.2} s, {:.2} MB/s",
            self.documents,
            mb,
            self.entities,
            self.relations,
            self.quads,
            self.failed.len(),
            self.seconds,
            mb / self.seconds.max(1e-9)
        )
    }
}

enum Outcome {
    Done(Extraction, u64),
    Failed(String, String),
}

fn process(pack: &RulePack, file: &InputFile) -> Outcome {
    match read_document(file) {
        Ok(doc) => {
            let bytes = doc.text.len() as u64;
            Outcome::Done(extract(pack, &doc), bytes)
        }
        Err(e) => Outcome::Failed(file.path.display().to_string(), e.to_string()),
    }
}

fn progress_bar(total: usize, quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    let style = indicatif::ProgressStyle::with_template(
        "{bar:30} {pos}/{len} docs {per_sec} {elapsed_precise} eta {eta} {msg}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

pub fn run_extract(pack: &RulePack, opts: &ExtractOptions) -> Result<Summary> {
    let started = Instant::now();
    let files = discover(&opts.inputs)?;
    if files.is_empty() {
        bail!("no .txt, .md or .html files under the given paths");
    }
    std::fs::create_dir_all(&opts.out)
        .with_context(|| format!("{}: cannot create the output folder", opts.out.display()))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let bar = progress_bar(files.len(), opts.quiet);
    let outcomes: Vec<Outcome> = pool.install(|| {
        files
            .par_iter()
            .map(|f| {
                let o = process(pack, f);
                bar.inc(1);
                o
            })
            .collect()
    });
    bar.finish_and_clear();
    let mut summary = Summary::default();
    let mut extractions = Vec::with_capacity(outcomes.len());
    for o in outcomes {
        match o {
            Outcome::Done(x, bytes) => {
                summary.documents += 1;
                summary.bytes += bytes;
                summary.entities += x.entities.len();
                summary.relations += x.relations.len();
                extractions.push(x);
            }
            Outcome::Failed(path, reason) => {
                eprintln!("kgx: skipped {path}: {reason}");
                if opts.fail_fast {
                    bail!("stopped at the first failure (--fail-fast)");
                }
                summary.failed.push((path, reason));
            }
        }
    }
    let wants = |f: Format| opts.formats.contains(&f);
    if wants(Format::Jsonl) {
        output::write_jsonl(&opts.out.join("extractions.jsonl"), &extractions)?;
    }
    if wants(Format::Ttl) || wants(Format::Nq) {
        let quads = output::all_quads(pack, &extractions);
        summary.quads = quads.len();
        if wants(Format::Nq) {
            output::write_nquads(&opts.out.join("graph.nq"), &quads)?;
        }
        if wants(Format::Ttl) {
            output::write_turtle(&opts.out.join("graph.ttl"), &quads)?;
        }
    }
    if wants(Format::Gexf) {
        let graph = KnowledgeGraph::from_extractions(&extractions);
        output::write_gexf(&opts.out.join("graph.gexf"), &graph)?;
    }
    if wants(Format::Store) {
        let store = crate::store::open(&opts.out.join("store"))?;
        summary.quads = crate::store::replace_documents(&store, pack, &extractions)?;
        store.flush()?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}
