//! Stage 6c: the oxigraph on-disk store (RocksDB). Each document's named graph is replaced in
//! one transaction, so a reader (or a crash) sees either the old graph or the new one.

use crate::model::Extraction;
use crate::rules::RulePack;
use anyhow::{Context, Result};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNodeRef};
use oxigraph::store::Store;
use std::path::Path;

pub fn open(dir: &Path) -> Result<Store> {
    Store::open(dir).with_context(|| {
        format!(
            "{}: cannot open the oxigraph store (is another kgx process using it?)",
            dir.display()
        )
    })
}

/// Replaces the named graph of every given document with its current quads.
pub fn replace_documents(
    store: &Store,
    pack: &RulePack,
    extractions: &[Extraction],
) -> Result<usize> {
    let mut total = 0;
    for x in extractions {
        let quads = crate::rdf::document_quads(pack, x);
        total += quads.len();
        let graph = NamedNode::new_unchecked(crate::iri::document_iri(&pack.base_iri, &x.doc));
        let mut tx = store.start_transaction()?;
        tx.remove_named_graph(NamedOrBlankNodeRef::from(graph.as_ref()))?;
        tx.extend(quads.iter());
        tx.commit()
            .with_context(|| format!("{}: cannot commit to the store", x.doc))?;
    }
    Ok(total)
}

/// Number of quads in one document's graph.
pub fn graph_len(store: &Store, graph: &str) -> Result<usize> {
    let g = NamedNode::new(graph)?;
    Ok(store
        .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(g.as_ref())))
        .count())
}
