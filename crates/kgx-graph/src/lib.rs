//! The merged graph of kgx: [`graph`] merges extractions (the relation, co-occurrence and
//! projected views, filters, metrics), [`community`] is Louvain, and [`gexf`], [`graphml`],
//! [`dot`] and [`csv_export`] write it. It depends on `kgx-core` only: no store, no RDF.

#![warn(missing_docs)]

pub mod community;
pub mod csv_export;
pub mod dot;
pub mod gexf;
pub mod graph;
pub mod graphml;
