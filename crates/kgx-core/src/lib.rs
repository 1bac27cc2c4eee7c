//! The extractor of kgx: bytes in, one [`model::Extraction`] per document out.
//!
//! [`input`] (files → decoded documents) → [`normalize`] (NFKC text + offset map) →
//! [`mentions`] (rules → non-overlapping mentions) → [`extract`] (entities and relations).
//! [`rules`] is the rule language; [`eval`] the scorer; [`explain`] what the rules did.

#![warn(missing_docs)]

pub mod embedded;
pub mod eval;
pub mod explain;
pub mod extract;
mod html;
pub mod input;
pub mod iri;
pub mod mentions;
pub mod model;
pub mod normalize;
pub mod rules;
pub mod text;
