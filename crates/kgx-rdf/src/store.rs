//! Stage 6c: the oxigraph on-disk store (RocksDB). Each document's named graph is replaced in
//! one transaction, so a reader (or a crash) sees either the old graph or the new one, and a
//! run killed at any moment leaves a store that opens.

use crate::rdf::KGX;
use anyhow::{Context, Result};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term,
};
use oxigraph::store::{BulkLoader, Store};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Opens (or creates) the on-disk store, with an error that says what to do.
pub fn open(dir: &Path) -> Result<Store> {
    if !dir.exists() {
        create(dir)?;
    }
    Store::open(dir).with_context(|| {
        format!(
            "{}: cannot open the oxigraph store (is another kgx process using it?)",
            dir.display()
        )
    })
}

/// Creates an empty store atomically: RocksDB creates its column families one by one, and a
/// store killed half-way through that would not open read-only. It is built beside `dir` and
/// renamed into place once complete.
fn create(dir: &Path) -> Result<()> {
    let staging = dir.with_extension("creating");
    if staging.exists() {
        // Left by a run killed while creating the store: it never held data.
        std::fs::remove_dir_all(&staging)
            .with_context(|| format!("{}: cannot remove", staging.display()))?;
    }
    drop(
        Store::open(&staging)
            .with_context(|| format!("{}: cannot create the store", staging.display()))?,
    );
    std::fs::rename(&staging, dir)
        .with_context(|| format!("{}: cannot move the new store into place", dir.display()))
}

/// What the store says it holds for each document graph, by graph IRI: (the source's content
/// sha256, the rule-pack hash the graph was made with). A graph holds one source.
pub fn recorded_documents(store: &Store) -> Result<HashMap<String, (String, String)>> {
    let literal = |t: &Term| match t {
        Term::Literal(l) => Some(l.value().to_string()),
        _ => None,
    };
    let graph_of = |q: &Quad| match &q.graph_name {
        GraphName::NamedNode(g) => Some(g.as_str().to_string()),
        _ => None,
    };
    let mut shas: HashMap<String, String> = HashMap::new();
    let sha = NamedNode::new_unchecked(format!("{KGX}sha256"));
    for q in store.quads_for_pattern(None, Some(sha.as_ref()), None, None) {
        let q = q?;
        if let (Some(g), Some(v)) = (graph_of(&q), literal(&q.object)) {
            shas.insert(g, v);
        }
    }
    let mut out = HashMap::new();
    let hash = NamedNode::new_unchecked(format!("{KGX}rulePackHash"));
    for q in store.quads_for_pattern(None, Some(hash.as_ref()), None, None) {
        let q = q?;
        // Only the graph's own record counts.
        let Some(g) = graph_of(&q).filter(|g| q.subject.to_string() == format!("<{g}>")) else {
            continue;
        };
        if let (Some(sha), Some(v)) = (shas.get(&g), literal(&q.object)) {
            out.insert(g, (sha.clone(), v));
        }
    }
    Ok(out)
}

/// Removes the graphs of kgx before source, graph and document had IRIs of their own (document
/// graphs named `{base}doc/<path>`, the merged graph `{base}graph/merged`): the same
/// documents are written again under `{base}graph/`, and left in place they would be counted
/// twice by every query. Returns how many were removed.
pub fn remove_legacy_graphs(store: &Store, base: &str) -> Result<usize> {
    let legacy_documents = format!("{base}doc/");
    let legacy_merged = NamedNode::new_unchecked(format!("{base}graph/merged"));
    let digest = NamedNode::new_unchecked(format!("{KGX}corpusDigest"));
    let graphs: Vec<NamedOrBlankNode> = store.named_graphs().collect::<Result<_, _>>()?;
    let mut removed = 0;
    for g in graphs {
        let NamedOrBlankNode::NamedNode(n) = &g else {
            continue;
        };
        // `graph/merged` is also the graph of a root input file named `merged`: only the old
        // merged graph holds a corpus digest.
        let is_legacy = n.as_str().starts_with(&legacy_documents)
            || (*n == legacy_merged
                && store
                    .quads_for_pattern(
                        Some(n.as_ref().into()),
                        Some(digest.as_ref()),
                        None,
                        Some(GraphNameRef::NamedNode(n.as_ref())),
                    )
                    .next()
                    .is_some());
        if is_legacy {
            store.remove_named_graph(n.as_ref())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Quads handed to the bulk loader at a time. Each hand-over becomes one set of sorted SST
/// files built on its own thread: one per document (a few hundred quads) made thousands of
/// tiny files, loaded 85,000 quads/s and made every lookup seek in all of them (80 µs a
/// quad pattern on the 100 MB benchmark store; a full compaction after the load fixed that
/// for 11 s more). Measured on the 100 MB benchmark (with 2 MB document batches): 250,000
/// peaked at 735 MiB RSS, 150,000 at 545 MiB, at the same speed, and leaves ~30 files that
/// RocksDB's own background compaction keeps lookups fast on (every example query < 70 ms).
const BULK_BATCH: usize = 150_000;

/// Writes document graphs as they come. Documents the store has never seen go through
/// oxigraph's bulk loader (an order of magnitude faster than transactions); documents it holds
/// an older graph of are replaced one transaction each. Either way a document's completion
/// marker (its kgx:sha256 and kgx:rulePackHash) is written last, in a transaction, by
/// [`StoreWriter::finish`]: a run killed half-way leaves graphs without markers, which the
/// next run rewrites.
pub struct StoreWriter<'a> {
    store: &'a Store,
    known: HashSet<String>,
    loader: Option<BulkLoader<'a>>,
    pending: Vec<Quad>,
    markers: Vec<Quad>,
    /// Quads written so far.
    pub quads: usize,
}

impl<'a> StoreWriter<'a> {
    /// A writer into `store`, knowing which named graphs it already holds.
    pub fn new(store: &'a Store) -> Result<StoreWriter<'a>> {
        let known = store
            .named_graphs()
            .filter_map(|g| match g {
                Ok(NamedOrBlankNode::NamedNode(n)) => Some(Ok(n.into_string())),
                Ok(NamedOrBlankNode::BlankNode(_)) => None,
                Err(e) => Some(Err(e)),
            })
            .collect::<Result<_, _>>()?;
        Ok(StoreWriter {
            store,
            known,
            loader: None,
            pending: Vec::new(),
            markers: Vec::new(),
            quads: 0,
        })
    }

    /// Writes (or replaces) the named graph `doc_iri` with `quads`.
    pub fn add_document(&mut self, doc_iri: &str, quads: Vec<Quad>) -> Result<()> {
        self.quads += quads.len();
        if self.known.contains(doc_iri) {
            let graph = NamedNode::new_unchecked(doc_iri);
            let mut tx = self.store.start_transaction()?;
            tx.remove_named_graph(NamedOrBlankNodeRef::from(graph.as_ref()))?;
            tx.extend(quads.iter());
            return tx
                .commit()
                .with_context(|| format!("{doc_iri}: cannot commit to the store"));
        }
        for quad in quads {
            if is_marker(&quad) {
                self.markers.push(quad);
            } else {
                self.pending.push(quad);
            }
        }
        if self.pending.len() >= BULK_BATCH {
            self.hand_to_loader()?;
        }
        Ok(())
    }

    fn hand_to_loader(&mut self) -> Result<()> {
        let store = self.store;
        let loader = self.loader.get_or_insert_with(|| store.bulk_loader());
        loader.load_quads(std::mem::take(&mut self.pending))?;
        Ok(())
    }

    /// Commits the bulk load, then the completion markers; returns the number of quads written.
    pub fn finish(mut self) -> Result<usize> {
        if !self.pending.is_empty() {
            self.hand_to_loader()?;
        }
        if let Some(loader) = self.loader.take() {
            loader
                .commit()
                .context("cannot commit the bulk load to the store")?;
        }
        if !self.markers.is_empty() {
            let mut tx = self.store.start_transaction()?;
            tx.extend(self.markers.iter());
            tx.commit().context("cannot commit to the store")?;
        }
        self.store.flush()?;
        Ok(self.quads)
    }
}

fn is_marker(quad: &Quad) -> bool {
    quad.predicate
        .as_str()
        .strip_prefix(KGX)
        .is_some_and(|local| local == "sha256" || local == "rulePackHash")
}

/// Drops the named graphs of documents not in `keep` (document IRIs); returns how many.
pub fn prune(store: &Store, keep: &HashSet<String>) -> Result<usize> {
    let mut dropped = 0;
    let graphs: Vec<NamedOrBlankNode> = store.named_graphs().collect::<Result<_, _>>()?;
    for g in graphs {
        if let NamedOrBlankNode::NamedNode(n) = &g {
            if !keep.contains(n.as_str()) {
                store.remove_named_graph(n.as_ref())?;
                dropped += 1;
            }
        }
    }
    Ok(dropped)
}

/// The corpus digest the merged graph was built from (see `pipeline`), if the store has one.
pub fn merged_digest(store: &Store, merged_graph: &str) -> Result<Option<String>> {
    let graph = NamedNode::new(merged_graph)?;
    let digest = NamedNode::new_unchecked(format!("{KGX}corpusDigest"));
    for q in store.quads_for_pattern(
        Some(graph.as_ref().into()),
        Some(digest.as_ref()),
        None,
        Some(GraphNameRef::NamedNode(graph.as_ref())),
    ) {
        if let Term::Literal(l) = q?.object {
            return Ok(Some(l.value().to_string()));
        }
    }
    Ok(None)
}

/// Replaces the merged graph with `quads` and its digest marker, in one transaction: a run
/// killed before it leaves the old digest, which the next run sees is stale.
pub fn replace_merged(
    store: &Store,
    merged_graph: &str,
    quads: &[Quad],
    digest: &str,
) -> Result<()> {
    let graph = NamedNode::new(merged_graph)?;
    let marker = Quad::new(
        graph.clone(),
        NamedNode::new_unchecked(format!("{KGX}corpusDigest")),
        oxigraph::model::Literal::new_simple_literal(digest),
        graph.clone(),
    );
    let mut tx = store.start_transaction()?;
    tx.remove_named_graph(NamedOrBlankNodeRef::from(graph.as_ref()))?;
    tx.extend(quads.iter().chain([&marker]));
    tx.commit()
        .context("cannot commit the merged graph to the store")?;
    store.flush()?;
    Ok(())
}
