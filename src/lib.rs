//! kgx: Chinese policy and news text → a knowledge graph.
//!
//! The pipeline, one module per stage (see ARCHITECTURE.md):
//! [`input`] (files → decoded documents) → [`normalize`] (NFKC text + offset map) →
//! [`mentions`] (rules → non-overlapping mentions) → [`extract`] (entities, relations: one
//! [`model::Extraction`] per document) → [`graph`] (merged across documents) → sinks
//! ([`output`] JSONL/Turtle/N-Quads, [`gexf`], [`store`]).

pub mod community;
pub mod csv_export;
pub mod dot;
pub mod eval;
pub mod explain;
pub mod export;
pub mod extract;
pub mod gexf;
pub mod graph;
pub mod graphml;
mod html;
pub mod input;
pub mod iri;
pub mod mentions;
pub mod model;
pub mod normalize;
pub mod output;
pub mod pipeline;
pub mod push;
pub mod query;
pub mod rdf;
pub mod rules;
pub mod serve;
pub mod store;
pub mod stored;
pub mod text;
