//! kgx's HTTP side, above `kgx-rdf`: [`serve`] answers the SPARQL 1.1 Protocol over a store
//! (`kgx serve`, on oxhttp, the HTTP layer of `oxigraph serve`), and [`push`] sends every
//! document graph of a store to another one by the SPARQL 1.1 Graph Store HTTP Protocol
//! (`kgx push`, on ureq).
//!
//! Neither knows about a command line: each takes a plain `Options` struct (`kgx`'s CLI
//! builds it from its arguments).

#![warn(missing_docs)]

pub mod push;
pub mod serve;
