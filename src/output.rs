//! Stage 6: sinks. Every file is written to a temporary name and renamed into place, so an
//! interrupted run never leaves a half-written output where a complete one was.

use crate::graph::KnowledgeGraph;
use crate::model::Extraction;
use crate::rdf::{self, PREFIXES};
use crate::rules::RulePack;
use anyhow::{Context, Result};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{Quad, Triple};
use std::io::Write;
use std::path::Path;

/// Writes `path` atomically with the bytes `fill` produces.
pub fn write_atomic(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let tmp = path.with_extension(format!(
        "{}.tmp",
        path.extension().and_then(|e| e.to_str()).unwrap_or("out")
    ));
    let file =
        std::fs::File::create(&tmp).with_context(|| format!("{}: cannot create", tmp.display()))?;
    let mut w = std::io::BufWriter::new(file);
    fill(&mut w)?;
    w.flush()?;
    w.into_inner()
        .map_err(|e| e.into_error())?
        .sync_all()
        .with_context(|| format!("{}: cannot write", tmp.display()))?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("{}: cannot rename into place", path.display()))?;
    Ok(())
}

pub fn write_jsonl(path: &Path, extractions: &[Extraction]) -> Result<()> {
    write_atomic(path, |w| {
        for x in extractions {
            serde_json::to_writer(&mut *w, x)?;
            w.write_all(b"\n")?;
        }
        Ok(())
    })
}

pub fn all_quads(pack: &RulePack, extractions: &[Extraction]) -> Vec<Quad> {
    extractions
        .iter()
        .flat_map(|x| rdf::document_quads(pack, x))
        .collect()
}

pub fn write_nquads(path: &Path, quads: &[Quad]) -> Result<()> {
    write_atomic(path, |w| {
        for line in rdf::sorted_lines(quads, true) {
            writeln!(w, "{line}")?;
        }
        Ok(())
    })
}

/// The merged view: the union of every document's triples, sorted, in Turtle.
pub fn write_turtle(path: &Path, quads: &[Quad]) -> Result<()> {
    let mut triples: Vec<Triple> = quads.iter().map(|q| Triple::from(q.clone())).collect();
    triples.sort_by_cached_key(|t| t.to_string());
    triples.dedup();
    write_atomic(path, |w| {
        let mut ser = RdfSerializer::from_format(RdfFormat::Turtle);
        for (prefix, iri) in PREFIXES {
            ser = ser.with_prefix(prefix, iri)?;
        }
        let mut s = ser.for_writer(w);
        for t in &triples {
            s.serialize_triple(t)?;
        }
        s.finish()?;
        Ok(())
    })
}

pub fn write_gexf(path: &Path, graph: &KnowledgeGraph) -> Result<()> {
    let xml = crate::gexf::write_gexf(graph);
    write_atomic(path, |w| Ok(w.write_all(xml.as_bytes())?))
}
