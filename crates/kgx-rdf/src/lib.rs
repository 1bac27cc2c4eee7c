//! kgx's RDF side: [`rdf`] (the vocabulary and the quads of a document and of the merged
//! graph), [`script`] (the language tag of labels: zh-Hans or zh-Hant), [`output`] (atomic files, JSONL/Turtle/N-Quads/GEXF sinks), [`store`] (the on-disk
//! oxigraph store: bulk loads, per-document transactions, the merged graph), [`stored`]
//! (reading a store back into extractions) and [`sparql`] (the evaluator with kgx's prefixes).
//! It depends on `kgx-core` and `kgx-graph`; the HTTP endpoint and the CLI sit above it.

#![warn(missing_docs)]

pub mod output;
pub mod rdf;
pub mod script;
pub mod sparql;
#[cfg(feature = "store")]
pub mod store;
pub mod stored;

pub use kgx_core::{iri, model, normalize, rules};
pub use kgx_graph::{gexf, graph};
