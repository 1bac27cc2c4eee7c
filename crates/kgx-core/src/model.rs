//! The plain data types passed between pipeline stages.
//!
//! `Extraction` is serialised verbatim as one line of `extractions.jsonl`; its field names and
//! order are a public contract (see README, "The extractions.jsonl contract").

use serde::{Deserialize, Serialize};
use std::fmt;

/// The five entity classes of GUIDELINES.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Class {
    Place,
    Organization,
    Program,
    Document,
    Person,
}

impl Class {
    pub const ALL: [Class; 5] = [
        Class::Place,
        Class::Organization,
        Class::Program,
        Class::Document,
        Class::Person,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Class::Place => "Place",
            Class::Organization => "Organization",
            Class::Program => "Program",
            Class::Document => "Document",
            Class::Person => "Person",
        }
    }

    pub fn parse(s: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Path segment of entity IRIs.
    pub fn iri_segment(self) -> &'static str {
        match self {
            Class::Place => "place",
            Class::Organization => "org",
            Class::Program => "program",
            Class::Document => "document",
            Class::Person => "person",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The seven relation types of GUIDELINES.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationType {
    Issued,
    Cites,
    Proposed,
    Implements,
    PartOf,
    LocatedIn,
    AffiliatedWith,
}

impl RelationType {
    pub const ALL: [RelationType; 7] = [
        RelationType::Issued,
        RelationType::Cites,
        RelationType::Proposed,
        RelationType::Implements,
        RelationType::PartOf,
        RelationType::LocatedIn,
        RelationType::AffiliatedWith,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RelationType::Issued => "issued",
            RelationType::Cites => "cites",
            RelationType::Proposed => "proposed",
            RelationType::Implements => "implements",
            RelationType::PartOf => "part_of",
            RelationType::LocatedIn => "located_in",
            RelationType::AffiliatedWith => "affiliated_with",
        }
    }

    pub fn parse(s: &str) -> Option<RelationType> {
        RelationType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// camelCase local name used for the RDF predicate.
    pub fn rdf_local_name(self) -> &'static str {
        match self {
            RelationType::Issued => "issued",
            RelationType::Cites => "cites",
            RelationType::Proposed => "proposed",
            RelationType::Implements => "implements",
            RelationType::PartOf => "partOf",
            RelationType::LocatedIn => "locatedIn",
            RelationType::AffiliatedWith => "affiliatedWith",
        }
    }
}

impl fmt::Display for RelationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A half-open range of char (Unicode scalar value) offsets into a document's decoded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionOut {
    pub start: usize,
    pub end: usize,
    /// Exactly `text[start..end]` of the decoded document (in chars).
    pub text: String,
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityOut {
    pub id: String,
    pub class: Class,
    #[serde(rename = "type")]
    pub kind: String,
    pub label: String,
    pub names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Programs: "national", "provincial" or "local", where the name or a gazetteer says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Divisions (GB/T 2260): the first year the code and name are in use, the first year
    /// they no longer are, and the divisions that replaced a retired one (their IRIs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<u16>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced_by: Vec<String>,
    pub mentions: Vec<MentionOut>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationOut {
    #[serde(rename = "type")]
    pub kind: RelationType,
    pub subject: String,
    pub object: String,
    pub rule: String,
    pub evidence: Vec<Span>,
}

/// One document's extraction: a line of extractions.jsonl.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extraction {
    pub doc: String,
    pub sha256: String,
    pub chars: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub entities: Vec<EntityOut>,
    pub relations: Vec<RelationOut>,
    /// Sentence spans (the co-occurrence windows of the graph views).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<Span>,
    /// Paragraph (line) spans.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paragraphs: Vec<Span>,
}

/// What a user knows about one document (`kgx extract --metadata FILE.csv`): each field given
/// overrides what kgx reads from the document's frame.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocMetadata {
    /// The own place, by a name the gazetteer or the text knows (湖北省).
    pub place: Option<String>,
    /// The issuing body, by name (湖北省人民政府).
    pub issuer: Option<String>,
    /// YYYY, YYYY-MM or YYYY-MM-DD.
    pub date: Option<String>,
    /// The document's title.
    pub title: Option<String>,
}

/// For each window of `spans` (sorted, disjoint), the indices in `x.entities` of the
/// entities with a mention starting inside it: who co-occurs with whom.
pub fn entities_by_window(
    x: &Extraction,
    spans: &[Span],
) -> Vec<std::collections::BTreeSet<usize>> {
    let mut members: Vec<std::collections::BTreeSet<usize>> =
        vec![std::collections::BTreeSet::new(); spans.len()];
    for (index, e) in x.entities.iter().enumerate() {
        for m in &e.mentions {
            let i = spans.partition_point(|s| s.end <= m.start);
            if spans.get(i).is_some_and(|s| s.start <= m.start) {
                members[i].insert(index);
            }
        }
    }
    members
}
