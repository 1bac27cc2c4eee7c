//! Stage 6: file sinks, fed one document at a time so memory holds one batch of documents,
//! not the corpus. Every file is written under a temporary name and renamed into place by
//! `commit`, so an interrupted run never leaves a half-written output where a complete one was.

use crate::graph::KnowledgeGraph;
use crate::rdf::PREFIXES;
use anyhow::{Context, Result};
use oxigraph::io::{RdfFormat, RdfSerializer, WriterQuadSerializer};
use oxigraph::model::{NamedOrBlankNodeRef, Quad, QuadRef, TripleRef};
use std::collections::HashSet;
use std::fs::File;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file written under `NAME.EXT.tmp` and renamed to `NAME.EXT` by [`AtomicFile::commit`].
/// Dropped without a commit (an error, `--fail-fast`), it removes the temporary file and
/// leaves whatever was at `path` untouched.
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// A temporary file beside `path`, renamed onto it by `commit`.
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let tmp = path.with_extension(format!(
            "{}.tmp",
            path.extension().and_then(|e| e.to_str()).unwrap_or("out")
        ));
        let file =
            File::create(&tmp).with_context(|| format!("{}: cannot create", tmp.display()))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> Result<()> {
        let Some(writer) = self.writer.take() else {
            return Ok(());
        };
        let file = writer
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("{}: cannot write", self.tmp.display()))?;
        file.sync_all()
            .with_context(|| format!("{}: cannot write", self.tmp.display()))?;
        std::fs::rename(&self.tmp, &self.path)
            .with_context(|| format!("{}: cannot rename into place", self.path.display()))
    }

    fn writer(&mut self) -> std::io::Result<&mut BufWriter<File>> {
        self.writer
            .as_mut()
            .ok_or_else(|| std::io::Error::other("write after commit"))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer()?.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.writer()?.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer()?.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            // Not committed: the run failed; the temporary file is of no use to anyone.
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `path` atomically with the bytes `fill` produces.
pub fn write_atomic(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    fill(&mut file)?;
    file.commit()
}

/// The union of named graphs as triples, one graph at a time, without keeping the union in
/// memory. A triple whose subject lies inside the graph's own IRI (a document's mentions,
/// statements, spans) occurs in that graph only and always passes; any other (about an entity,
/// a relation, the extraction activity) passes the first time, remembered by a 128-bit
/// fingerprint: memory grows with the graph, not with the corpus's mentions.
#[derive(Default)]
pub struct TripleUnion {
    written: HashSet<u128>,
}

impl TripleUnion {
    /// Whether `quad` of the graph named `graph_iri` (None: the default graph or a blank
    /// node, which own no subjects) is new to the union.
    pub fn is_new(&mut self, graph_iri: Option<&str>, quad: QuadRef) -> bool {
        let local = matches!((quad.subject, graph_iri), (NamedOrBlankNodeRef::NamedNode(s), Some(g)) if s.as_str().starts_with(g));
        local || self.written.insert(fingerprint(&TripleRef::from(quad)))
    }
}

/// graph.ttl, the merged view: every document's triples without their graph, in document
/// order, each document's sorted, each triple once.
pub struct TurtleSink {
    serializer: WriterQuadSerializer<AtomicFile>,
    union: TripleUnion,
}

impl TurtleSink {
    /// Starts a Turtle file at `path`, renamed into place at `commit`.
    pub fn create(path: &Path) -> Result<TurtleSink> {
        let mut serializer = RdfSerializer::from_format(RdfFormat::Turtle);
        for (prefix, iri) in PREFIXES {
            serializer = serializer.with_prefix(prefix, iri)?;
        }
        Ok(TurtleSink {
            serializer: serializer.for_writer(AtomicFile::create(path)?),
            union: TripleUnion::default(),
        })
    }

    /// Adds the quads of the document `doc_iri`, sorted and without duplicates.
    pub fn add_document(&mut self, doc_iri: &str, quads: &[Quad]) -> Result<()> {
        for quad in quads {
            if self.union.is_new(Some(doc_iri), quad.as_ref()) {
                self.serializer
                    .serialize_triple(TripleRef::from(quad.as_ref()))?;
            }
        }
        Ok(())
    }

    /// Finishes the Turtle and renames it into place.
    pub fn commit(self) -> Result<()> {
        self.serializer.finish()?.commit()
    }
}

/// Two SipHashes of `value` salted differently: a collision among 10^8 triples is about
/// 10^-22 likely.
fn fingerprint(value: &impl Hash) -> u128 {
    let half = |salt: u8| {
        let mut h = DefaultHasher::new();
        salt.hash(&mut h);
        value.hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// Writes the relation graph as GEXF to `path`, atomically.
pub fn write_gexf(path: &Path, graph: &KnowledgeGraph) -> Result<()> {
    let xml = crate::gexf::write_gexf(graph);
    write_atomic(path, |w| Ok(w.write_all(xml.as_bytes())?))
}
