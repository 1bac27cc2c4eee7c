//! `kgx extract`: the whole pipeline, documents in, every sink out.

use crate::extract::extract;
use crate::graph::KnowledgeGraph;
use crate::input::{decode_document, discover, sha256_hex, InputError, InputFile};
use crate::model::Extraction;
use crate::output;
use crate::rules::RulePack;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
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
    /// Drop store graphs of documents that are no longer in the input.
    pub prune: bool,
    /// `(i, n)`: process only the i-th of n deterministic shards (1-based).
    pub shard: Option<(usize, usize)>,
    /// Ignore what earlier runs left and extract everything again.
    pub force: bool,
}

#[derive(Debug, Default)]
pub struct Summary {
    pub documents: usize,
    pub bytes: u64,
    pub entities: usize,
    pub relations: usize,
    pub quads: usize,
    /// Documents whose extraction was reused from the previous run (same bytes, same rules).
    pub unchanged: usize,
    /// Store graphs dropped by --prune.
    pub pruned: usize,
    /// (document, reason) for every file that could not be read or decoded.
    pub failed: Vec<(String, String)>,
    pub seconds: f64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mb = self.bytes as f64 / 1e6;
        write!(
            f,
            "{} documents ({} unchanged), {:.2} MB, {} entities, {} relations, {} quads written, {} pruned, {} failed, {:.2} s, {:.2} MB/s",
            self.documents,
            self.unchanged,
            mb,
            self.entities,
            self.relations,
            self.quads,
            self.pruned,
            self.failed.len(),
            self.seconds,
            mb / self.seconds.max(1e-9)
        )
    }
}

/// The rule-pack hash the extractions.jsonl beside it was made with; without it (or with a
/// different one) the previous run's extractions are not reused.
const STATE_FILE: &str = ".kgx-rules";

enum Outcome {
    Extracted(Extraction, u64),
    Reused(Extraction, u64),
    Failed(String, String),
}

fn process(pack: &RulePack, file: &InputFile, previous: &HashMap<String, Extraction>) -> Outcome {
    let bytes = match std::fs::read(&file.path) {
        Ok(b) => b,
        Err(e) => {
            return Outcome::Failed(
                file.path.display().to_string(),
                InputError::Io(e).to_string(),
            )
        }
    };
    let size = bytes.len() as u64;
    if let Some(x) = previous.get(&file.rel) {
        if x.sha256 == sha256_hex(&bytes) {
            return Outcome::Reused(x.clone(), size);
        }
    }
    match decode_document(&file.rel, &bytes) {
        Ok(doc) => Outcome::Extracted(extract(pack, &doc), size),
        Err(e) => Outcome::Failed(file.path.display().to_string(), e.to_string()),
    }
}

/// Progress on a terminal as a bar; otherwise a log line every tenth of the way.
struct Progress {
    bar: indicatif::ProgressBar,
    log_every: Option<usize>,
    total: usize,
    done: std::sync::atomic::AtomicUsize,
}

impl Progress {
    fn new(total: usize, quiet: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = if quiet || !terminal {
            indicatif::ProgressBar::hidden()
        } else {
            let bar = indicatif::ProgressBar::new(total as u64);
            let style = indicatif::ProgressStyle::with_template(
                "{bar:30} {pos}/{len} docs {per_sec} {elapsed_precise} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        };
        let log_every = (!quiet && !terminal && total >= 20).then(|| total.div_ceil(10));
        Progress {
            bar,
            log_every,
            total,
            done: Default::default(),
        }
    }

    fn tick(&self) {
        self.bar.inc(1);
        let done = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if let Some(every) = self.log_every {
            if done.is_multiple_of(every) || done == self.total {
                eprintln!("kgx: {done}/{} documents", self.total);
            }
        }
    }
}

/// Which of `n` shards a document belongs to: a hash of its relative path, so every machine
/// agrees without coordination.
pub fn shard_of(rel: &str, n: usize) -> usize {
    let digest = sha256_hex(rel.as_bytes());
    let prefix = u64::from_str_radix(&digest[..15], 16).unwrap_or(0);
    (prefix % n.max(1) as u64) as usize
}

fn read_previous(out: &Path, pack: &RulePack) -> HashMap<String, Extraction> {
    let same_rules =
        std::fs::read_to_string(out.join(STATE_FILE)).is_ok_and(|h| h.trim() == pack.hash);
    if !same_rules {
        return HashMap::new();
    }
    let Ok(text) = std::fs::read_to_string(out.join("extractions.jsonl")) else {
        return HashMap::new();
    };
    // A line that does not parse (an older format, a hand edit) is simply extracted again.
    text.lines()
        .filter_map(|l| serde_json::from_str::<Extraction>(l).ok())
        .map(|x| (x.doc.clone(), x))
        .collect()
}

pub fn run_extract(pack: &RulePack, opts: &ExtractOptions) -> Result<Summary> {
    let started = Instant::now();
    let mut files = discover(&opts.inputs)?;
    if let Some((i, n)) = opts.shard {
        files.retain(|f| shard_of(&f.rel, n) == i - 1);
    }
    if files.is_empty() {
        bail!("no .txt, .md or .html files under the given paths");
    }
    std::fs::create_dir_all(&opts.out)
        .with_context(|| format!("{}: cannot create the output folder", opts.out.display()))?;
    let previous = if opts.force {
        HashMap::new()
    } else {
        read_previous(&opts.out, pack)
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let progress = Progress::new(files.len(), opts.quiet);
    let outcomes: Vec<Outcome> = pool.install(|| {
        files
            .par_iter()
            .map(|f| {
                let o = process(pack, f, &previous);
                progress.tick();
                o
            })
            .collect()
    });
    progress.bar.finish_and_clear();
    let mut summary = Summary::default();
    let mut extractions = Vec::with_capacity(outcomes.len());
    let mut changed_docs = Vec::new();
    for o in outcomes {
        let (x, bytes, reused) = match o {
            Outcome::Extracted(x, b) => (x, b, false),
            Outcome::Reused(x, b) => (x, b, true),
            Outcome::Failed(path, reason) => {
                eprintln!("kgx: skipped {path}: {reason}");
                if opts.fail_fast {
                    bail!("stopped at the first failure (--fail-fast)");
                }
                summary.failed.push((path, reason));
                continue;
            }
        };
        summary.documents += 1;
        summary.bytes += bytes;
        summary.entities += x.entities.len();
        summary.relations += x.relations.len();
        if reused {
            summary.unchanged += 1;
        } else {
            changed_docs.push(extractions.len());
        }
        extractions.push(x);
    }
    let wants = |f: Format| opts.formats.contains(&f);
    let mut store_changed = false;
    if wants(Format::Store) {
        let store = crate::store::open(&opts.out.join("store"))?;
        let recorded = crate::store::recorded_documents(&store)?;
        // The store is checked on its own: a run killed after some graphs were written
        // resumes with exactly the documents whose graph is missing or stale.
        let stale: Vec<&Extraction> = extractions
            .iter()
            .filter(|x| {
                let iri = crate::iri::document_iri(&pack.base_iri, &x.doc);
                recorded.get(&iri) != Some(&(x.sha256.clone(), pack.hash.clone()))
            })
            .collect();
        summary.quads = crate::store::replace_documents(&store, pack, stale.iter().copied())?;
        store_changed = !stale.is_empty();
        if opts.prune {
            let keep: HashSet<String> = extractions
                .iter()
                .map(|x| crate::iri::document_iri(&pack.base_iri, &x.doc))
                .collect();
            summary.pruned = crate::store::prune(&store, &keep)?;
            store_changed |= summary.pruned > 0;
        }
        store.flush()?;
    }
    let outputs_present = [
        (Format::Jsonl, "extractions.jsonl"),
        (Format::Ttl, "graph.ttl"),
        (Format::Nq, "graph.nq"),
        (Format::Gexf, "graph.gexf"),
    ]
    .iter()
    .all(|(f, name)| !wants(*f) || opts.out.join(name).exists());
    let same_document_set = previous.len() == extractions.len();
    if changed_docs.is_empty()
        && same_document_set
        && outputs_present
        && !store_changed
        && !opts.force
    {
        // Nothing to write: every output already reflects these inputs and rules.
        summary.seconds = started.elapsed().as_secs_f64();
        return Ok(summary);
    }
    if wants(Format::Jsonl) {
        output::write_jsonl(&opts.out.join("extractions.jsonl"), &extractions)?;
        output::write_atomic(&opts.out.join(STATE_FILE), |w| {
            Ok(writeln!(w, "{}", pack.hash)?)
        })?;
    }
    if wants(Format::Ttl) || wants(Format::Nq) {
        let quads = output::all_quads(pack, &extractions);
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
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}
