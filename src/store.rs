//! Stage 6c: the oxigraph on-disk store (RocksDB). Each document's named graph is replaced in
//! one transaction, so a reader (or a crash) sees either the old graph or the new one, and a
//! run killed at any moment leaves a store that opens.

use crate::model::Extraction;
use crate::rdf::KGX;
use crate::rules::RulePack;
use anyhow::{Context, Result};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term};
use oxigraph::store::Store;
use std::collections::{HashMap, HashSet};
use std::path::Path;

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

/// What the store says it holds for each document graph: (content sha256, rule-pack hash).
pub fn recorded_documents(store: &Store) -> Result<HashMap<String, (String, String)>> {
    let literal = |t: &Term| match t {
        Term::Literal(l) => Some(l.value().to_string()),
        _ => None,
    };
    let mut shas: HashMap<String, String> = HashMap::new();
    let sha = NamedNode::new_unchecked(format!("{KGX}sha256"));
    for q in store.quads_for_pattern(None, Some(sha.as_ref()), None, None) {
        let q = q?;
        if let (NamedOrBlankNode::NamedNode(s), Some(v)) = (&q.subject, literal(&q.object)) {
            // Only the document's own record in its own graph counts.
            if q.graph_name.to_string() == s.to_string() {
                shas.insert(s.as_str().to_string(), v);
            }
        }
    }
    let mut out = HashMap::new();
    let hash = NamedNode::new_unchecked(format!("{KGX}rulePackHash"));
    for q in store.quads_for_pattern(None, Some(hash.as_ref()), None, None) {
        let q = q?;
        if let (NamedOrBlankNode::NamedNode(s), Some(v)) = (&q.subject, literal(&q.object)) {
            if let Some(sha) = shas.get(s.as_str()) {
                out.insert(s.as_str().to_string(), (sha.clone(), v));
            }
        }
    }
    Ok(out)
}

/// Writes the named graph of every given document. Documents the store has never seen go
/// through oxigraph's bulk loader (an order of magnitude faster than transactions); documents
/// it holds an older graph of are replaced one transaction each. Either way a document's
/// completion marker (its kgx:sha256 and kgx:rulePackHash) is written last, in a transaction:
/// a run killed half-way leaves graphs without markers, which the next run rewrites.
/// Returns the number of quads written.
pub fn replace_documents<'a>(
    store: &Store,
    pack: &RulePack,
    extractions: impl IntoIterator<Item = &'a Extraction>,
) -> Result<usize> {
    let known: HashSet<String> = store
        .named_graphs()
        .filter_map(|g| match g {
            Ok(NamedOrBlankNode::NamedNode(n)) => Some(n.into_string()),
            _ => None,
        })
        .collect();
    let is_marker = |q: &Quad| {
        let p = q.predicate.as_str();
        p.strip_prefix(KGX)
            .is_some_and(|local| local == "sha256" || local == "rulePackHash")
    };
    let mut total = 0;
    // New documents stream into the bulk loader one at a time: memory holds one document's
    // quads, not the corpus's.
    let mut loader = store.bulk_loader();
    let mut loaded_fresh = false;
    let mut markers: Vec<Quad> = Vec::new();
    for x in extractions {
        let quads = crate::rdf::document_quads(pack, x);
        total += quads.len();
        let iri = crate::iri::document_iri(&pack.base_iri, &x.doc);
        if known.contains(&iri) {
            let graph = NamedNode::new_unchecked(iri);
            let mut tx = store.start_transaction()?;
            tx.remove_named_graph(NamedOrBlankNodeRef::from(graph.as_ref()))?;
            tx.extend(quads.iter());
            tx.commit()
                .with_context(|| format!("{}: cannot commit to the store", x.doc))?;
        } else {
            let (mark, rest): (Vec<Quad>, Vec<Quad>) = quads.into_iter().partition(is_marker);
            markers.extend(mark);
            loader.load_quads(rest)?;
            loaded_fresh = true;
        }
    }
    if loaded_fresh {
        loader
            .commit()
            .context("cannot commit the bulk load to the store")?;
    }
    if !markers.is_empty() {
        let mut tx = store.start_transaction()?;
        tx.extend(markers.iter());
        tx.commit().context("cannot commit to the store")?;
    }
    Ok(total)
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

/// Number of quads in one document's graph.
pub fn graph_len(store: &Store, graph: &str) -> Result<usize> {
    let g = NamedNode::new(graph)?;
    Ok(store
        .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(g.as_ref())))
        .count())
}
