//! The plain data types passed between pipeline stages.
//!
//! `Extraction` is serialised verbatim as one line of `extractions.jsonl`; its field names and
//! order are a public contract (see README, "The extractions.jsonl contract").

use serde::{Deserialize, Serialize};
use std::fmt;

/// The five entity classes of GUIDELINES.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Class {
    /// Countries, administrative divisions and other named places.
    Place,
    /// Government bodies, party organs, firms, universities, associations.
    Organization,
    /// Named programs, plans, strategies and projects (乡村振兴战略, 中欧班列).
    Program,
    /// Policy documents: a title in 《》, or the document's own heading.
    Document,
    /// People, by name.
    Person,
}

impl Class {
    /// Every class, in declaration order.
    pub const ALL: [Class; 5] = [
        Class::Place,
        Class::Organization,
        Class::Program,
        Class::Document,
        Class::Person,
    ];

    /// The name of the class in extractions.jsonl and the rule files (`"Place"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Place => "Place",
            Class::Organization => "Organization",
            Class::Program => "Program",
            Class::Document => "Document",
            Class::Person => "Person",
        }
    }

    /// The class named exactly `s` (as [`Class::as_str`] writes it), or `None`.
    pub fn parse(s: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Path segment of entity IRIs.
    pub(crate) fn iri_segment(self) -> &'static str {
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
    /// An organization or place issued a document (印发, 发布; a notice's title or signature).
    Issued,
    /// A document cites another (根据, 依据, 按照《…》).
    Cites,
    /// A person, organization or place proposed a program (提出, 倡议, 部署).
    Proposed,
    /// A place or organization implements a program (实施, 推进, 开展, 建设).
    Implements,
    /// The administrative hierarchy between places, or a sub-body of a body.
    PartOf,
    /// An organization is located in a place.
    LocatedIn,
    /// A person holds a post at an organization or place.
    AffiliatedWith,
}

impl RelationType {
    /// Every relation type, in declaration order.
    pub const ALL: [RelationType; 7] = [
        RelationType::Issued,
        RelationType::Cites,
        RelationType::Proposed,
        RelationType::Implements,
        RelationType::PartOf,
        RelationType::LocatedIn,
        RelationType::AffiliatedWith,
    ];

    /// The snake_case name in extractions.jsonl and the rule files (`"part_of"`).
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

    /// The relation type named exactly `s` (as [`RelationType::as_str`] writes it), or `None`.
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
    /// The first char of the range.
    pub start: usize,
    /// One past the last char; `start <= end`.
    pub end: usize,
}

/// Where an entity is named in the text, as written to extractions.jsonl.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionOut {
    /// Char offset of the first char in the decoded document (not the normalised text).
    pub start: usize,
    /// Char offset one past the last char, half-open like [`Span`].
    pub end: usize,
    /// Exactly `text[start..end]` of the decoded document (in chars).
    pub text: String,
    /// The id of the rule that found the mention (`document.title` for the heading).
    pub rule: String,
}

/// One entity of a document, as written to extractions.jsonl.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityOut {
    /// The entity's IRI (see [`crate::iri`]): the same in every run, and in every document
    /// except for a person no gazetteer lists, who is named within a scope.
    pub id: String,
    /// The coarse class; also fixes the IRI's path segment.
    pub class: Class,
    /// The finer type (City, Province, Agency, University …), `"type"` in JSON.
    #[serde(rename = "type")]
    pub kind: String,
    /// The canonical name.
    pub label: String,
    /// The distinct texts of its mentions, in text order (the label only where written so).
    pub names: Vec<String>,
    /// The gazetteer's code (GB/T 2260 division, ISO 3166 country), or a Document's 文号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Programs: "national", "provincial" or "local", where the name or a gazetteer says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Divisions (GB/T 2260): the first year the code and name are in use, the first year
    /// they no longer are, and the divisions that replaced a retired one (their IRIs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<u16>,
    /// See `valid_from`: the first year the division is no longer in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<u16>,
    /// See `valid_from`: the IRIs of the divisions that replaced a retired one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced_by: Vec<String>,
    /// In text order; empty for an entity the text implies but never names.
    pub mentions: Vec<MentionOut>,
}

/// One relation of a document, as written to extractions.jsonl.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationOut {
    /// The relation type, `"type"` in JSON.
    #[serde(rename = "type")]
    pub kind: RelationType,
    /// The subject's entity IRI (an `id` of the same extraction).
    pub subject: String,
    /// The object's entity IRI (an `id` of the same extraction).
    pub object: String,
    /// The id of the relation rule that found it (`metadata` for what `--metadata` states).
    pub rule: String,
    /// The char spans of the text that support it (in the decoded document).
    pub evidence: Vec<Span>,
}

/// One document's extraction: a line of extractions.jsonl.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extraction {
    /// The document's path relative to the input root, with `/` separators; the sort key.
    pub doc: String,
    /// SHA-256 of the raw bytes (before decoding), lower-case hex.
    pub sha256: String,
    /// Length of the decoded text in chars: no offset is above it.
    pub chars: usize,
    /// The date the document gives itself, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Named entities first (in order of first mention), then the implied ones.
    pub entities: Vec<EntityOut>,
    /// Relations between entities of this extraction, by first evidence span, type, subject, object.
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
