//! SPARQL evaluation over the store with kgx's prefixes.

use crate::rdf::PREFIXES;
use oxigraph::sparql::SparqlEvaluator;

/// A SPARQL evaluator with kgx's prefixes predeclared.
pub fn evaluator() -> SparqlEvaluator {
    let mut e = SparqlEvaluator::new();
    for (prefix, iri) in PREFIXES {
        e = match e.clone().with_prefix(prefix, iri) {
            Ok(with) => with,
            Err(_) => e,
        };
    }
    e
}
