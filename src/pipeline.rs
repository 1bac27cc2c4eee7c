//! `kgx extract`: the whole pipeline, documents in, every sink out.

use crate::extract::extract_with;
use crate::graph::KnowledgeGraph;
use crate::input::{decode_document, discover, sha256_hex, InputError, InputFile};
use crate::model::Extraction;
use crate::output::{write_atomic, AtomicFile, TurtleSink};
use crate::rdf::DocumentRdf;
use crate::rules::RulePack;
use crate::store::StoreWriter;
use anyhow::{bail, Context, Result};
use oxigraph::model::Quad;
use oxigraph::store::Store;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Which outputs a run writes, each under the output folder: `extractions.jsonl`, `graph.ttl`,
/// `graph.nq`, `graph.gexf` and the oxigraph store `store/`.
// No doc comments on the variants: clap would make them the values' help, changing
// `kgx extract --help`.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Ttl,
    Nq,
    Gexf,
    Store,
}

/// What `kgx extract` does (the flags are `ExtractArgs` in the binary's `src/cli.rs`).
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// Files and folders to read (folders recursively, by [`crate::input::discover`]).
    pub inputs: Vec<PathBuf>,
    /// The output folder (created if missing); it also holds the previous run's state.
    pub out: PathBuf,
    /// Worker threads; `None`: one per core.
    pub threads: Option<usize>,
    /// The outputs to write.
    pub formats: Vec<Format>,
    /// No progress bar or log lines on standard error.
    pub quiet: bool,
    /// Stop at the first file that cannot be read or decoded, instead of skipping it.
    pub fail_fast: bool,
    /// Drop store graphs of documents that are no longer in the input.
    pub prune: bool,
    /// `(i, n)`: process only the i-th of n deterministic shards (1-based).
    pub shard: Option<(usize, usize)>,
    /// Ignore what earlier runs left and extract everything again.
    pub force: bool,
    /// What the user knows about some documents (`--metadata FILE.csv`). The pack's hash
    /// must already include the table's (`Metadata::pack_hash`), so a changed table
    /// re-extracts.
    pub metadata: Option<crate::metadata::Metadata>,
}

/// What a run did; its `Display` is the line `kgx extract` prints at the end.
#[derive(Debug, Default)]
pub struct Summary {
    /// Documents extracted or reused (not those that failed).
    pub documents: usize,
    /// Their size on disk, in bytes.
    pub bytes: u64,
    /// Entities of those documents' extractions, summed over documents.
    pub entities: usize,
    /// Relations of those documents' extractions, summed over documents.
    pub relations: usize,
    /// Quads written to the store by this run (0 without the `store` output).
    pub quads: usize,
    /// Documents whose extraction was reused from the previous run (same bytes, same rules).
    pub unchanged: usize,
    /// Store graphs dropped by --prune.
    pub pruned: usize,
    /// (document, reason) for every file that could not be read or decoded.
    pub failed: Vec<(String, String)>,
    /// Wall-clock time of the run.
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

/// Where each document's line is in the previous run's extractions.jsonl. Only this index is
/// kept in memory; a reused extraction is read back from the file when its turn comes.
struct PreviousRun {
    file: Option<File>,
    lines: HashMap<String, PreviousLine>,
}

struct PreviousLine {
    sha256: String,
    offset: u64,
    len: usize,
    entities: usize,
    relations: usize,
}

/// The fields of an extractions.jsonl line the index needs (serde skips the rest).
#[derive(serde::Deserialize)]
struct LineKey {
    doc: String,
    sha256: String,
    entities: Vec<serde::de::IgnoredAny>,
    relations: Vec<serde::de::IgnoredAny>,
}

impl PreviousRun {
    fn none() -> PreviousRun {
        PreviousRun {
            file: None,
            lines: HashMap::new(),
        }
    }

    /// The index of `out/extractions.jsonl` if the same rule pack made it, else an empty one.
    /// A line that does not parse (an older format, a hand edit) is simply extracted again.
    fn open(out: &Path, pack: &RulePack) -> PreviousRun {
        let same_rules =
            std::fs::read_to_string(out.join(STATE_FILE)).is_ok_and(|h| h.trim() == pack.hash);
        let Some(file) = same_rules
            .then(|| File::open(out.join("extractions.jsonl")).ok())
            .flatten()
        else {
            return PreviousRun::none();
        };
        let mut lines = HashMap::new();
        let mut offset = 0u64;
        let mut reader = BufReader::new(&file);
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
            if let Ok(key) = serde_json::from_str::<LineKey>(&line) {
                let entry = PreviousLine {
                    sha256: key.sha256,
                    offset,
                    len: line.len(),
                    entities: key.entities.len(),
                    relations: key.relations.len(),
                };
                lines.insert(key.doc, entry);
            }
            offset += line.len() as u64;
            line.clear();
        }
        PreviousRun {
            file: Some(file),
            lines,
        }
    }

    /// The previous extraction of `rel` and its JSONL line, if it was made from `bytes`.
    fn reusable(&self, rel: &str, bytes: &[u8]) -> Option<(Extraction, String)> {
        let entry = self.lines.get(rel)?;
        if entry.sha256 != sha256_hex(bytes) {
            return None;
        }
        let mut raw = vec![0; entry.len];
        self.file
            .as_ref()?
            .read_exact_at(&mut raw, entry.offset)
            .ok()?;
        let line = String::from_utf8(raw).ok()?;
        let x = serde_json::from_str(&line).ok()?;
        Some((x, line))
    }
}

/// What the sinks need to know before a document is processed.
struct Plan<'a> {
    pack: &'a RulePack,
    previous: &'a PreviousRun,
    /// (content sha256, rule-pack hash) the store holds for each document IRI.
    recorded: &'a HashMap<String, (String, String)>,
    store: Option<&'a Store>,
    /// The corpus digest the store's merged graph was built from.
    merged_digest: Option<&'a str>,
    wants: &'a [Format],
    metadata: Option<&'a crate::metadata::Metadata>,
}

impl Plan<'_> {
    fn wants(&self, f: Format) -> bool {
        self.wants.contains(&f)
    }

    /// Whether the store lacks this document's current graph.
    fn store_is_stale(&self, doc_iri: &str, sha256: &str) -> bool {
        self.wants(Format::Store)
            && self
                .recorded
                .get(doc_iri)
                .is_none_or(|(sha, hash)| sha != sha256 || hash != &self.pack.hash)
    }
}

/// One document, ready for the sinks: the work that can run in parallel is done.
struct Processed {
    extraction: Extraction,
    /// Its extractions.jsonl line, newline included.
    jsonl: String,
    doc_iri: String,
    /// Its quads, when an RDF sink needs them: sorted with their N-Quads lines for graph.nq
    /// and graph.ttl; as made when only the store wants them.
    rdf: Option<DocumentRdf>,
    /// Its contribution to the merged graph, when graph.nq or the store is written.
    merged: Vec<Quad>,
    store_is_stale: bool,
    bytes: u64,
    reused: bool,
}

enum Outcome {
    Done(Box<Processed>),
    Failed(String, String),
}

fn process(plan: &Plan, file: &InputFile) -> Outcome {
    let failed = |reason: String| Outcome::Failed(file.path.display().to_string(), reason);
    let bytes = match std::fs::read(&file.path) {
        Ok(b) => b,
        Err(e) => return failed(InputError::Io(e).to_string()),
    };
    // The text is kept for the RDF (its nif:Context); a reused extraction decodes it again
    // only if RDF is written.
    let (extraction, jsonl, reused, text) = match plan.previous.reusable(&file.rel, &bytes) {
        Some((x, line)) => (x, line, true, None),
        None => {
            let doc = match decode_document(&file.rel, &bytes) {
                Ok(doc) => doc,
                Err(e) => return failed(e.to_string()),
            };
            let meta = plan.metadata.and_then(|m| m.get(&file.rel));
            let x = extract_with(plan.pack, &doc, meta);
            let mut line = match serde_json::to_string(&x) {
                Ok(l) => l,
                Err(e) => return failed(format!("cannot serialise the extraction: {e}")),
            };
            line.push('\n');
            (x, line, false, Some(doc.text))
        }
    };
    let doc_iri = crate::iri::graph_iri(&plan.pack.base_iri, &extraction.doc);
    let store_is_stale = plan.store_is_stale(&doc_iri, &extraction.sha256);
    let rdf_files = plan.wants(Format::Nq) || plan.wants(Format::Ttl);
    let rdf = if rdf_files || store_is_stale {
        let text = match text {
            Some(text) => text,
            None => match decode_document(&file.rel, &bytes) {
                Ok(doc) => doc.text,
                Err(e) => return failed(e.to_string()),
            },
        };
        let quads = crate::rdf::document_quads(plan.pack, &extraction, &text);
        Some(if rdf_files {
            crate::rdf::sorted_rdf(quads)
        } else {
            DocumentRdf {
                quads,
                nquads: String::new(),
            }
        })
    } else {
        None
    };
    let merged = if plan.wants(Format::Nq) || plan.wants(Format::Store) {
        crate::rdf::merged_quads(plan.pack, &extraction)
    } else {
        Vec::new()
    };
    Outcome::Done(Box::new(Processed {
        extraction,
        jsonl,
        doc_iri,
        rdf,
        merged,
        store_is_stale,
        bytes: bytes.len() as u64,
        reused,
    }))
}

/// What the merged graph is built from: the rule pack and every (document IRI, content
/// sha256), in input order. Equal digests, equal merged graphs.
#[derive(Clone)]
struct CorpusDigest(Sha256);

impl CorpusDigest {
    fn new(pack: &RulePack) -> CorpusDigest {
        CorpusDigest(Sha256::new().chain_update(pack.hash.as_bytes()))
    }

    fn add(&mut self, doc_iri: &str, sha256: &str) {
        self.0.update(format!("\n{doc_iri} {sha256}").as_bytes());
    }

    fn hex(self) -> String {
        self.0
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// The merged graph as documents arrive: every document's facts once.
struct MergedGraph {
    quads: HashSet<Quad>,
    digest: CorpusDigest,
}

/// Every output of the run, fed document by document in input order.
struct Sinks<'s> {
    pack: &'s RulePack,
    jsonl: Option<AtomicFile>,
    nquads: Option<AtomicFile>,
    turtle: Option<TurtleSink>,
    graph: Option<KnowledgeGraph>,
    merged: Option<MergedGraph>,
    store: Option<StoreWriter<'s>>,
}

impl<'s> Sinks<'s> {
    fn create(
        pack: &'s RulePack,
        out: &Path,
        wants: &[Format],
        store: Option<&'s Store>,
    ) -> Result<Sinks<'s>> {
        let wants = |f: Format| wants.contains(&f);
        Ok(Sinks {
            pack,
            jsonl: wants(Format::Jsonl)
                .then(|| AtomicFile::create(&out.join("extractions.jsonl")))
                .transpose()?,
            nquads: wants(Format::Nq)
                .then(|| AtomicFile::create(&out.join("graph.nq")))
                .transpose()?,
            turtle: wants(Format::Ttl)
                .then(|| TurtleSink::create(&out.join("graph.ttl")))
                .transpose()?,
            graph: wants(Format::Gexf).then(KnowledgeGraph::default),
            merged: (wants(Format::Nq) || wants(Format::Store)).then(|| MergedGraph {
                quads: HashSet::new(),
                digest: CorpusDigest::new(pack),
            }),
            store: store.map(StoreWriter::new).transpose()?,
        })
    }

    fn add(&mut self, p: Processed) -> Result<()> {
        if let Some(w) = &mut self.jsonl {
            w.write_all(p.jsonl.as_bytes())?;
        }
        if let Some(g) = &mut self.graph {
            g.add(&p.extraction);
        }
        if let Some(m) = &mut self.merged {
            m.digest.add(&p.doc_iri, &p.extraction.sha256);
            m.quads.extend(p.merged);
        }
        let Some(rdf) = p.rdf else { return Ok(()) };
        if let Some(w) = &mut self.nquads {
            w.write_all(rdf.nquads.as_bytes())?;
        }
        if let Some(t) = &mut self.turtle {
            t.add_document(&p.doc_iri, &rdf.quads)?;
        }
        match &mut self.store {
            Some(store) if p.store_is_stale => store.add_document(&p.doc_iri, rdf.quads),
            _ => Ok(()),
        }
    }

    /// Commits the store, then puts every file in place; returns the quads written to the store.
    fn commit(mut self, out: &Path, plan: &Plan) -> Result<usize> {
        let pack = self.pack;
        let mut quads = self.store.map(StoreWriter::finish).transpose()?;
        if let Some(merged) = self.merged {
            let rdf = crate::rdf::sorted_rdf(merged.quads.into_iter().collect());
            if let Some(w) = &mut self.nquads {
                w.write_all(rdf.nquads.as_bytes())?;
            }
            if let (Some(store), Some(written)) = (plan.store, quads.as_mut()) {
                let digest = merged.digest.hex();
                if plan.merged_digest != Some(digest.as_str()) {
                    let graph = crate::rdf::merged_graph_iri(&pack.base_iri);
                    crate::store::replace_merged(store, &graph, &rdf.quads, &digest)?;
                    *written += rdf.quads.len() + 1;
                }
            }
        }
        if let Some(w) = self.jsonl {
            w.commit()?;
            // After the extractions it vouches for: killed in between, the next run finds the
            // old hash and extracts again rather than trusting lines of another rule pack.
            write_atomic(&out.join(STATE_FILE), |w| Ok(writeln!(w, "{}", pack.hash)?))?;
        }
        if let Some(w) = self.nquads {
            w.commit()?;
        }
        if let Some(t) = self.turtle {
            t.commit()?;
        }
        if let Some(g) = self.graph {
            crate::output::write_gexf(&out.join("graph.gexf"), &g)?;
        }
        Ok(quads.unwrap_or(0))
    }
}

/// Documents handed to the worker threads at a time: enough to keep every core busy, few
/// enough that memory holds a couple of batches (their extractions and quads: about 30 times
/// the text), not the corpus. 8 MB batches peaked at 1.2 GiB RSS on the 100 MB benchmark,
/// 2 MB at 0.7 GiB, at the same speed.
const BATCH_FILES: usize = 64;
const BATCH_BYTES: u64 = 2 << 20;

fn batches(files: &[InputFile]) -> Vec<&[InputFile]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, f) in files.iter().enumerate() {
        bytes += std::fs::metadata(&f.path).map_or(0, |m| m.len());
        if i + 1 - start >= BATCH_FILES || bytes >= BATCH_BYTES {
            out.push(&files[start..=i]);
            (start, bytes) = (i + 1, 0);
        }
    }
    if start < files.len() {
        out.push(&files[start..]);
    }
    out
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
pub(crate) fn shard_of(rel: &str, n: usize) -> usize {
    let digest = sha256_hex(rel.as_bytes());
    let prefix = u64::from_str_radix(&digest[..15], 16).unwrap_or(0);
    (prefix % n.max(1) as u64) as usize
}

/// When every output already reflects these inputs and rules: the same documents with the
/// same bytes as the previous run, every output file present, every store graph current.
/// Reads and hashes every input (in parallel) but extracts and writes nothing.
fn up_to_date(files: &[InputFile], plan: &Plan, opts: &ExtractOptions) -> Result<Option<Summary>> {
    let previous = &plan.previous.lines;
    if previous.len() != files.len() || !files.iter().all(|f| previous.contains_key(&f.rel)) {
        return Ok(None);
    }
    let outputs_present = [
        (Format::Jsonl, "extractions.jsonl"),
        (Format::Ttl, "graph.ttl"),
        (Format::Nq, "graph.nq"),
        (Format::Gexf, "graph.gexf"),
    ]
    .iter()
    .all(|(f, name)| !plan.wants(*f) || opts.out.join(name).exists());
    if !outputs_present {
        return Ok(None);
    }
    let mut digest = CorpusDigest::new(plan.pack);
    let mut store_is_current = true;
    for f in files {
        let iri = crate::iri::graph_iri(&plan.pack.base_iri, &f.rel);
        let sha256 = &previous[&f.rel].sha256;
        store_is_current &= !plan.store_is_stale(&iri, sha256);
        digest.add(&iri, sha256);
    }
    if let Some(store) = plan.store {
        let merged_is_current = plan.merged_digest == Some(digest.hex().as_str());
        // With --prune, also no graph beyond the documents' and the merged one.
        let nothing_to_prune = !opts.prune || store.named_graphs().count() == files.len() + 1;
        if !(store_is_current && merged_is_current && nothing_to_prune) {
            return Ok(None);
        }
    }
    let sizes: Option<Vec<u64>> = files
        .par_iter()
        .map(|f| {
            let bytes = std::fs::read(&f.path).ok()?;
            (sha256_hex(&bytes) == previous[&f.rel].sha256).then_some(bytes.len() as u64)
        })
        .collect();
    let Some(sizes) = sizes else { return Ok(None) };
    Ok(Some(Summary {
        documents: files.len(),
        unchanged: files.len(),
        bytes: sizes.iter().sum(),
        entities: previous.values().map(|l| l.entities).sum(),
        relations: previous.values().map(|l| l.relations).sum(),
        ..Summary::default()
    }))
}

/// Runs `kgx extract`: every input document through `pack` into the outputs of `opts`,
/// reusing the previous run's extractions of unchanged files. A file that cannot be read is
/// skipped and listed in [`Summary::failed`] (an error with `fail_fast`); an output that
/// cannot be written is an error.
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
        PreviousRun::none()
    } else {
        PreviousRun::open(&opts.out, pack)
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let store = opts
        .formats
        .contains(&Format::Store)
        .then(|| crate::store::open(&opts.out.join("store")))
        .transpose()?;
    // The store is checked on its own: a run killed after some graphs were written resumes
    // with exactly the documents whose graph is missing or stale.
    if let Some(s) = &store {
        let removed = crate::store::remove_legacy_graphs(s, &pack.base_iri)?;
        if removed > 0 && !opts.quiet {
            eprintln!(
                "kgx: {removed} graphs in {} have the layout of kgx before 2026-12-04 \
                 (documents named {}doc/…); they were removed and their documents are \
                 written again under {}graph/",
                opts.out.join("store").display(),
                pack.base_iri,
                pack.base_iri
            );
        }
    }
    let recorded = match &store {
        Some(s) => crate::store::recorded_documents(s)?,
        None => HashMap::new(),
    };
    // A store written by another rule pack or an older kgx (its output format is part of the
    // pack hash): say so, since every such graph is rebuilt and the run takes longer.
    let other_packs = recorded
        .values()
        .filter(|(_, hash)| hash != &pack.hash)
        .count();
    if other_packs > 0 && !opts.quiet {
        eprintln!(
            "kgx: {other_packs} document graphs in {} were written by another rule pack or an \
             older kgx; they are rebuilt with this one",
            opts.out.join("store").display()
        );
    }
    let merged_graph = crate::rdf::merged_graph_iri(&pack.base_iri);
    let merged_digest = match &store {
        Some(s) => crate::store::merged_digest(s, &merged_graph)?,
        None => None,
    };
    let plan = Plan {
        pack,
        previous: &previous,
        recorded: &recorded,
        store: store.as_ref(),
        merged_digest: merged_digest.as_deref(),
        wants: &opts.formats,
        metadata: opts.metadata.as_ref(),
    };
    if !opts.force {
        if let Some(mut summary) = pool.install(|| up_to_date(&files, &plan, opts))? {
            summary.seconds = started.elapsed().as_secs_f64();
            return Ok(summary);
        }
    }

    let progress = Progress::new(files.len(), opts.quiet);
    let mut sinks = Sinks::create(pack, &opts.out, &opts.formats, store.as_ref())?;
    let mut summary = Summary::default();
    // Workers extract one batch while this thread writes the previous one, in input order.
    std::thread::scope(|scope| -> Result<()> {
        let (done, ready) = std::sync::mpsc::sync_channel::<Vec<Outcome>>(1);
        let (plan, progress, pool, files) = (&plan, &progress, &pool, &files);
        scope.spawn(move || {
            for batch in batches(files) {
                let outcomes = pool.install(|| {
                    batch
                        .par_iter()
                        .map(|f| {
                            let o = process(plan, f);
                            progress.tick();
                            o
                        })
                        .collect()
                });
                if done.send(outcomes).is_err() {
                    break; // the writer stopped (--fail-fast or an error)
                }
            }
        });
        for outcome in ready.iter().flatten() {
            match outcome {
                Outcome::Done(p) => {
                    summary.documents += 1;
                    summary.bytes += p.bytes;
                    summary.entities += p.extraction.entities.len();
                    summary.relations += p.extraction.relations.len();
                    summary.unchanged += usize::from(p.reused);
                    sinks.add(*p)?;
                }
                Outcome::Failed(path, reason) => {
                    progress
                        .bar
                        .suspend(|| eprintln!("kgx: skipped {path}: {reason}"));
                    if opts.fail_fast {
                        bail!("stopped at the first failure (--fail-fast)");
                    }
                    summary.failed.push((path, reason));
                }
            }
        }
        Ok(())
    })?;
    progress.bar.finish_and_clear();
    summary.quads = sinks.commit(&opts.out, &plan)?;
    if let (Some(store), true) = (&store, opts.prune) {
        let keep: HashSet<String> = files
            .iter()
            .map(|f| crate::iri::graph_iri(&pack.base_iri, &f.rel))
            .chain([merged_graph])
            .collect();
        summary.pruned = crate::store::prune(store, &keep)?;
        store.flush()?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}
