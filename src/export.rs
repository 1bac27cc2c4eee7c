//! `kgx export`: any serialization of the store, or a graph view (GEXF, GraphML, CSV, DOT) built
//! from the store alone.

use crate::graph::{Filters, KnowledgeGraph, View};
use crate::model::{Class, RelationType};
use crate::output::{write_atomic, TripleUnion};
use crate::rdf::PREFIXES;
use anyhow::{anyhow, bail, Context, Result};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedOrBlankNode, TripleRef};
use oxigraph::store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `kgx export` writes: an RDF serialization of the store or a graph file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Turtle: the union of all documents' graphs.
    Ttl,
    /// N-Triples: the union of all documents' graphs.
    Nt,
    /// N-Quads: one named graph per document.
    Nq,
    /// TriG: one named graph per document.
    Trig,
    /// RDF/XML: the union of all documents' graphs.
    Rdfxml,
    /// JSON-LD: one named graph per document.
    Jsonld,
    /// GEXF 1.3 for Gephi.
    Gexf,
    /// GraphML (yEd, Cytoscape, networkx).
    Graphml,
    /// nodes.csv and edges.csv for Gephi's spreadsheet import; --out names a folder.
    Csv,
    /// Graphviz DOT, coloured by class and sized by PageRank, for a picture.
    Dot,
}

/// The co-occurrence window: entities named in the same sentence, or the same paragraph
/// (line), are linked.
// No doc comments on the variants: clap would make them the values' help, changing
// `kgx export --help`.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Window {
    Sentence,
    Paragraph,
}

/// Which edges a graph file draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphView {
    /// Directed edges: the relations documents state.
    Relations,
    /// Undirected edges between entities named in the same sentence or paragraph.
    Cooccurrence,
}

/// What `kgx export` writes (the flags are `ExportArgs` in the binary's `src/cli.rs`).
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The store folder.
    pub store: PathBuf,
    /// What to write.
    pub format: ExportFormat,
    /// Output file, else standard output; for csv, a folder (created if missing).
    pub out: Option<PathBuf>,
    /// GEXF only: a dynamic graph whose nodes and edges live from their first to their last
    /// document date.
    pub timeline: bool,
    /// Graph formats: which edges to draw.
    pub view: GraphView,
    /// The co-occurrence window.
    pub window: Window,
    /// Keep only these entity classes (empty: all).
    pub classes: Vec<String>,
    /// Drop edges lighter than this.
    pub min_weight: usize,
    /// Keep only nodes of these types (empty: all).
    pub types: Vec<String>,
    /// Keep only relation edges of these types (empty: all); with `project`, the relations
    /// that link the projected nodes to what they share.
    pub relations: Vec<String>,
    /// A one-mode projection onto this class.
    pub project: Option<String>,
    /// Keep the N nodes with the highest PageRank.
    pub top: Option<usize>,
    /// Keep only the largest weakly connected component.
    pub giant_component: bool,
    /// Drop nodes without an edge (applied last).
    pub drop_isolates: bool,
}

fn parse_class(c: &str) -> Result<Class> {
    Class::parse(c.trim()).ok_or_else(|| {
        anyhow!(
            "unknown class {c:?}; expected one of {}",
            Class::ALL.map(Class::as_str).join(", ")
        )
    })
}

impl ExportOptions {
    fn filters(&self) -> Result<Filters> {
        let classes = if self.classes.is_empty() {
            None
        } else {
            let parsed = self
                .classes
                .iter()
                .map(|c| parse_class(c))
                .collect::<Result<Vec<Class>>>()?;
            Some(parsed)
        };
        Ok(Filters {
            classes,
            types: (!self.types.is_empty())
                .then(|| self.types.iter().map(|t| t.trim().to_string()).collect()),
            relations: (!self.relations.is_empty())
                .then(|| self.relation_types())
                .transpose()?,
            min_weight: self.min_weight,
            top: self.top,
            giant_component: self.giant_component,
            drop_isolates: self.drop_isolates,
        })
    }

    fn relation_types(&self) -> Result<Vec<RelationType>> {
        self.relations
            .iter()
            .map(|r| {
                RelationType::parse(r.trim()).ok_or_else(|| {
                    anyhow!(
                        "unknown relation {r:?}; expected one of {}",
                        RelationType::ALL.map(RelationType::as_str).join(", ")
                    )
                })
            })
            .collect()
    }
}

/// Runs `kgx export`. Errors if the store does not exist, if the options do not hold (an unknown class or relation name, `project` with the
/// co-occurrence view), or when the output cannot be written.
pub fn run(args: &ExportOptions) -> Result<()> {
    if !args.store.exists() {
        bail!(
            "{}: no store here; run `kgx extract` first or pass --store DIR",
            args.store.display()
        );
    }
    let filters = args.filters()?;
    let store = Store::open_read_only(&args.store)
        .with_context(|| format!("{}: cannot open the store", args.store.display()))?;
    let rdf = |format: RdfFormat| {
        let out = args.out.as_deref();
        emit(out, |w| dump_rdf(&store, format, w))
    };
    match args.format {
        ExportFormat::Ttl => rdf(RdfFormat::Turtle),
        ExportFormat::Nt => rdf(RdfFormat::NTriples),
        ExportFormat::Nq => rdf(RdfFormat::NQuads),
        ExportFormat::Trig => rdf(RdfFormat::TriG),
        ExportFormat::Rdfxml => rdf(RdfFormat::RdfXml),
        ExportFormat::Jsonld => rdf(RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        }),
        ExportFormat::Gexf | ExportFormat::Graphml | ExportFormat::Csv | ExportFormat::Dot => {
            let graph = build_graph(&store, args.view, args.window)?;
            let graph = match &args.project {
                Some(class) => {
                    if args.view != GraphView::Relations {
                        bail!("--project works on the relations view; drop --view");
                    }
                    let via = args.relation_types()?;
                    graph.projection(parse_class(class)?, &args.types, &via)
                }
                None => graph,
            }
            .filtered(&filters);
            let view = View::new(&graph);
            match args.format {
                ExportFormat::Gexf => {
                    let opts = crate::gexf::GexfOptions {
                        timeline: args.timeline,
                    };
                    let xml = crate::gexf::write(&view, opts);
                    emit(args.out.as_deref(), |w| Ok(w.write_all(xml.as_bytes())?))
                }
                ExportFormat::Graphml => {
                    let xml = crate::graphml::write(&view);
                    emit(args.out.as_deref(), |w| Ok(w.write_all(xml.as_bytes())?))
                }
                ExportFormat::Dot => {
                    let dot = crate::dot::write(&view);
                    emit(args.out.as_deref(), |w| Ok(w.write_all(dot.as_bytes())?))
                }
                _ => write_csv(&view, args.out.as_deref()),
            }
        }
    }
}

/// The graph of the store in the requested view, before filters.
pub(crate) fn build_graph(
    store: &Store,
    view: GraphView,
    window: Window,
) -> Result<KnowledgeGraph> {
    let corpus = crate::stored::read(store)?;
    Ok(match view {
        GraphView::Relations => KnowledgeGraph::from_extractions(&corpus.extractions),
        GraphView::Cooccurrence => {
            // Only windows naming two entities or more are stored: a store without any
            // simply has no co-occurrence edges.
            let spans = match window {
                Window::Sentence => &corpus.sentences,
                Window::Paragraph => &corpus.paragraphs,
            };
            KnowledgeGraph::cooccurrence(&corpus.extractions, |doc| {
                spans.get(doc).map(Vec::as_slice)
            })
        }
    })
}

/// Writes to `out` atomically, or to standard output.
fn emit(out: Option<&Path>, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    match out {
        Some(path) => write_atomic(path, fill),
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            fill(&mut lock)?;
            lock.flush()?;
            Ok(())
        }
    }
}

fn dump_rdf(store: &Store, format: RdfFormat, w: &mut dyn Write) -> Result<()> {
    let mut ser = RdfSerializer::from_format(format);
    for (prefix, iri) in PREFIXES {
        ser = ser.with_prefix(prefix, iri)?;
    }
    if format.supports_datasets() {
        store.dump_to_writer(ser, w)?;
        return Ok(());
    }
    // Graph formats get the union of the graphs, streamed graph by graph (in IRI order, so the
    // output is byte-stable) with each triple once.
    let mut graphs: Vec<NamedOrBlankNode> = store.named_graphs().collect::<Result<_, _>>()?;
    graphs.sort_by_cached_key(|g| g.to_string());
    let mut union = TripleUnion::default();
    let mut s = ser.for_writer(w);
    let default = std::iter::once((None, GraphName::DefaultGraph));
    let named = graphs.into_iter().map(|g| {
        let iri = match &g {
            NamedOrBlankNode::NamedNode(n) => Some(n.as_str().to_string()),
            NamedOrBlankNode::BlankNode(_) => None,
        };
        (iri, GraphName::from(g))
    });
    for (iri, graph) in default.chain(named) {
        for quad in store.quads_for_pattern(None, None, None, Some(graph.as_ref())) {
            let quad = quad?;
            if union.is_new(iri.as_deref(), quad.as_ref()) {
                s.serialize_triple(TripleRef::from(quad.as_ref()))?;
            }
        }
    }
    s.finish()?;
    Ok(())
}

fn write_csv(view: &View, out: Option<&Path>) -> Result<()> {
    let dir = out.ok_or_else(|| anyhow!("--format csv writes two files: give --out FOLDER"))?;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    let nodes = crate::csv_export::nodes(view);
    let edges = crate::csv_export::edges(view);
    write_atomic(&dir.join("nodes.csv"), |w| {
        Ok(w.write_all(nodes.as_bytes())?)
    })?;
    write_atomic(&dir.join("edges.csv"), |w| {
        Ok(w.write_all(edges.as_bytes())?)
    })
}
