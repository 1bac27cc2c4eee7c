//! kgx: Chinese policy and news text → a knowledge graph.
//!
//! The extractor lives in the `kgx-core` crate (no store, no network), the merged graph and
//! its writers in `kgx-graph` (no store either), the SPARQL endpoint and push in `kgx-http`;
//! their modules are re-exported here so `kgx::extract`, `kgx::graph`, `kgx::serve` … name
//! one API.
//!
//! The pipeline, one module per stage (see ARCHITECTURE.md):
//! [`input`] (files → decoded documents) → [`normalize`] (NFKC text + offset map) →
//! [`mentions`] (rules → non-overlapping mentions) → [`extract`] (entities, relations: one
//! [`model::Extraction`] per document) → [`graph`] (merged across documents) → sinks
//! ([`output`] JSONL/Turtle/N-Quads, [`gexf`], [`store`]).

#![warn(missing_docs)]

pub mod embedded;
pub mod export;
pub mod metadata;
pub mod pipeline;
pub mod query;

pub use kgx_core::{eval, explain, extract, input, iri, mentions, model, normalize, rules, text};
pub use kgx_graph::{community, csv_export, dot, gexf, graph, graphml};
pub use kgx_http::{push, serve};
pub use kgx_rdf::{output, rdf, sparql, store, stored};
