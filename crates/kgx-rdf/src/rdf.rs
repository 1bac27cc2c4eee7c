//! Stage 6a: extractions → RDF. One named graph per document (the document's IRI) holding its
//! entities' descriptions, its mentions with offsets (NIF 2.0) and the relations it states,
//! each traced to the document, the evidence span and the rule (reified with rdf:Statement).
//! The vocabulary is described in rules/ontology.ttl and the README.

use crate::iri;
use crate::model::{Class, Extraction, RelationType};
use crate::rules::RulePack;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::HashSet;

/// kgx's own vocabulary (rules/ontology.ttl).
pub const KGX: &str = "https://w3id.org/kgx/ns#";
/// schema.org.
pub const SCHEMA: &str = "https://schema.org/";
/// The W3C Organization Ontology.
pub const ORG: &str = "http://www.w3.org/ns/org#";
/// SKOS (labels).
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
/// Dublin Core terms.
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
/// PROV-O (provenance).
pub const PROV: &str = "http://www.w3.org/ns/prov#";
/// FOAF (people).
pub const FOAF: &str = "http://xmlns.com/foaf/0.1/";
/// NIF 2.0 core (mentions and text spans).
pub const NIF: &str = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#";
/// ITS 2.0 RDF (a mention's entity).
pub const ITSRDF: &str = "http://www.w3.org/2005/11/its/rdf#";
/// RDF Schema.
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";

/// Prefixes for Turtle output and SPARQL queries.
pub const PREFIXES: [(&str, &str); 11] = [
    ("kgx", KGX),
    ("schema", SCHEMA),
    ("org", ORG),
    ("skos", SKOS),
    ("dcterms", DCTERMS),
    ("prov", PROV),
    ("foaf", FOAF),
    ("nif", NIF),
    ("itsrdf", ITSRDF),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// A NamedNode from an IRI kgx built itself (escaped by `iri`), so it is always valid.
fn node(iri: impl Into<String>) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

fn term(ns: &str, local: &str) -> NamedNode {
    node(format!("{ns}{local}"))
}

/// A Chinese label, tagged with its document's script (`zh-Hans` or `zh-Hant`).
fn zh(s: &str, tag: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(s, tag)
}

/// The language tag of one document's labels.
fn labels_tag(x: &Extraction) -> &'static str {
    crate::script::language_tag(
        x.entities.iter().flat_map(|e| {
            std::iter::once(e.label.as_str()).chain(e.names.iter().map(String::as_str))
        }),
    )
}

/// `{doc}#relation-{16 hex digits of sha256(type, subject, object)}`: a document states a
/// relation once, so this names it whatever rule found it and in whatever order.
pub fn statement_iri(doc_iri: &str, kind: RelationType, subject: &str, object: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [kind.as_str(), subject, object] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let hex: String = h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{doc_iri}#relation-{hex}")
}

/// xsd:integer, the type oxigraph stores integers as, so a store dump equals graph.nq.
fn int(n: usize) -> Literal {
    Literal::from(n as i64)
}

/// rdf:type IRIs for an entity: the class's standard type, then a finer one where it exists.
fn types(class: Class, kind: &str) -> Vec<NamedNode> {
    let mut out = match class {
        Class::Place => vec![term(SCHEMA, "Place")],
        Class::Organization => vec![term(ORG, "Organization")],
        Class::Program => vec![term(KGX, "Program")],
        Class::Document => vec![term(FOAF, "Document")],
        Class::Person => vec![term(SCHEMA, "Person")],
    };
    let finer = match (class, kind) {
        (Class::Place, "Country") => Some(term(SCHEMA, "Country")),
        (Class::Place, "City") => Some(term(SCHEMA, "City")),
        (Class::Place, "Province" | "Prefecture" | "County" | "District") => {
            Some(term(SCHEMA, "AdministrativeArea"))
        }
        (
            Class::Organization,
            "Agency" | "PartyOrgan" | "Legislature" | "Court" | "Procuratorate"
            | "ForeignGovernment",
        ) => Some(term(SCHEMA, "GovernmentOrganization")),
        (Class::Organization, "University") => Some(term(SCHEMA, "CollegeOrUniversity")),
        (Class::Organization, "Company" | "Bank") => Some(term(SCHEMA, "Corporation")),
        (Class::Organization, "Newspaper") => Some(term(SCHEMA, "NewsMediaOrganization")),
        _ => None,
    };
    out.extend(finer);
    out
}

/// The quads of one document's named graph.
pub fn document_quads(pack: &RulePack, x: &Extraction) -> Vec<Quad> {
    let doc_iri = iri::document_iri(&pack.base_iri, &x.doc);
    let doc = node(&doc_iri);
    let graph = GraphName::NamedNode(doc.clone());
    let mut quads = Vec::new();
    let mut add = |s: &NamedNode, p: NamedNode, o: Term| {
        quads.push(Quad::new(
            NamedOrBlankNode::NamedNode(s.clone()),
            p,
            o,
            graph.clone(),
        ));
    };
    add(
        &doc,
        rdf::TYPE.into_owned(),
        term(KGX, "SourceDocument").into(),
    );
    add(
        &doc,
        term(DCTERMS, "identifier"),
        Literal::new_simple_literal(&x.doc).into(),
    );
    add(
        &doc,
        term(KGX, "sha256"),
        Literal::new_simple_literal(&x.sha256).into(),
    );
    add(&doc, term(KGX, "chars"), int(x.chars).into());
    add(
        &doc,
        term(KGX, "rulePack"),
        Literal::new_simple_literal(format!("{} {}", pack.name, pack.version)).into(),
    );
    // With sha256, the key that lets a re-run skip a document whose graph is current.
    add(
        &doc,
        term(KGX, "rulePackHash"),
        Literal::new_simple_literal(&pack.hash).into(),
    );
    // PROV-O: the document's graph was generated by an extraction activity that used this
    // rule pack. The activity is named by the pack's hash, not by a clock, so outputs stay
    // byte-identical across runs; the pack's name and version label it.
    let pack_short = &pack.hash[..pack.hash.len().min(16)];
    let activity = node(format!("{}activity/extract-{pack_short}", pack.base_iri));
    let rules = node(format!("{}rulepack/{pack_short}", pack.base_iri));
    let pack_label = Literal::new_simple_literal(format!("{} {}", pack.name, pack.version));
    add(&doc, term(PROV, "wasGeneratedBy"), activity.clone().into());
    add(
        &activity,
        rdf::TYPE.into_owned(),
        term(PROV, "Activity").into(),
    );
    add(&activity, term(PROV, "used"), rules.clone().into());
    add(&rules, rdf::TYPE.into_owned(), term(PROV, "Entity").into());
    add(&rules, term(RDFS, "label"), pack_label.into());
    if let Some(date) = &x.date {
        add(&doc, term(DCTERMS, "date"), date_literal(date).into());
    }
    facts(x, &mut add);
    // A span (mention, sentence, evidence) is one resource however many roles it plays: its
    // context and offsets are stated once.
    let mut described: HashSet<(usize, usize)> = HashSet::new();
    let mut span_node = |add: &mut dyn FnMut(&NamedNode, NamedNode, Term), start, end| {
        let span = node(iri::mention_iri(&doc_iri, start, end));
        if described.insert((start, end)) {
            add(&span, term(NIF, "referenceContext"), doc.clone().into());
            add(&span, term(NIF, "beginIndex"), int(start).into());
            add(&span, term(NIF, "endIndex"), int(end).into());
        }
        span
    };
    for e in &x.entities {
        let ent = node(&e.id);
        add(&ent, term(KGX, "mentionedIn"), doc.clone().into());
        for m in &e.mentions {
            let mention = span_node(&mut add, m.start, m.end);
            add(&mention, rdf::TYPE.into_owned(), term(NIF, "Phrase").into());
            add(
                &mention,
                term(NIF, "anchorOf"),
                Literal::new_simple_literal(&m.text).into(),
            );
            add(&mention, term(ITSRDF, "taIdentRef"), ent.clone().into());
            add(
                &mention,
                term(KGX, "rule"),
                Literal::new_simple_literal(&m.rule).into(),
            );
        }
    }
    // Sentences and paragraphs (NIF), the windows of the co-occurrence view: only those that
    // name two entities or more, the only ones that make an edge. The others were 58% of all
    // quads on ../shared/corpus and told a query nothing a mention's offsets do not.
    for (spans, kind) in [(&x.sentences, "Sentence"), (&x.paragraphs, "Paragraph")] {
        let members = crate::model::entities_by_window(x, spans);
        for (span, _) in spans.iter().zip(&members).filter(|(_, m)| m.len() >= 2) {
            let segment = span_node(&mut add, span.start, span.end);
            add(&segment, rdf::TYPE.into_owned(), term(NIF, kind).into());
        }
    }
    // Each relation as a statement traced to the document, the evidence span and the rule. Its
    // IRI hashes what it says, so editing or reordering rules does not rename it; its
    // position keeps the extraction's order for readers of the store.
    for (i, r) in x.relations.iter().enumerate() {
        let statement = node(statement_iri(&doc_iri, r.kind, &r.subject, &r.object));
        add(&statement, term(KGX, "position"), int(i).into());
        add(
            &statement,
            rdf::TYPE.into_owned(),
            rdf::STATEMENT.into_owned().into(),
        );
        add(
            &statement,
            rdf::SUBJECT.into_owned(),
            node(&r.subject).into(),
        );
        add(
            &statement,
            rdf::PREDICATE.into_owned(),
            term(KGX, r.kind.rdf_local_name()).into(),
        );
        add(&statement, rdf::OBJECT.into_owned(), node(&r.object).into());
        add(
            &statement,
            term(KGX, "rule"),
            Literal::new_simple_literal(&r.rule).into(),
        );
        add(&statement, term(PROV, "wasDerivedFrom"), doc.clone().into());
        for ev in &r.evidence {
            let span = span_node(&mut add, ev.start, ev.end);
            add(&statement, term(KGX, "evidence"), span.into());
        }
    }
    quads
}

/// What a document says about things beyond itself: its entities' types, classes, labels and
/// codes, and its relations as plain triples (with the standard property where one says the
/// same, so generic tools understand them). These go both into the document's graph and into
/// the merged graph.
fn facts(x: &Extraction, add: &mut impl FnMut(&NamedNode, NamedNode, Term)) {
    let tag = labels_tag(x);
    for e in &x.entities {
        let ent = node(&e.id);
        for t in types(e.class, &e.kind) {
            add(&ent, rdf::TYPE.into_owned(), t.into());
        }
        add(
            &ent,
            term(KGX, "entityClass"),
            Literal::new_simple_literal(e.class.as_str()).into(),
        );
        add(
            &ent,
            term(KGX, "entityType"),
            Literal::new_simple_literal(&e.kind).into(),
        );
        add(&ent, term(SKOS, "prefLabel"), zh(&e.label, tag).into());
        if e.class == Class::Document {
            add(&ent, term(DCTERMS, "title"), zh(&e.label, tag).into());
            // The document's own title (its heading) carries the document's date.
            let own = e.mentions.iter().any(|m| m.rule == "document.title");
            if let Some(date) = x.date.as_deref().filter(|_| own) {
                add(&ent, term(DCTERMS, "issued"), date_literal(date).into());
            }
        }
        for name in &e.names {
            if crate::normalize::label_key(name) != crate::normalize::label_key(&e.label) {
                add(&ent, term(SKOS, "altLabel"), zh(name, tag).into());
            }
        }
        if let Some(code) = &e.code {
            // GB/T 2260 for places, the 文号 for documents (dcterms:identifier), else a code.
            let gb_code = code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit());
            let p = match e.class {
                Class::Place if gb_code => term(KGX, "gbCode"),
                // Countries: ISO 3166-1 alpha-2 (CN, DE), not a GB/T 2260 code.
                Class::Place => term(KGX, "iso3166Code"),
                Class::Document => term(DCTERMS, "identifier"),
                _ => term(KGX, "code"),
            };
            add(&ent, p, Literal::new_simple_literal(code).into());
        }
        // The years a division's code and name are in use (GB/T 2260), and what replaced it.
        for (year, local) in [(e.valid_from, "validFrom"), (e.valid_to, "validTo")] {
            if let Some(year) = year {
                let literal = Literal::new_typed_literal(year.to_string(), xsd::G_YEAR);
                add(&ent, term(KGX, local), literal.into());
            }
        }
        for successor in &e.replaced_by {
            add(&ent, term(DCTERMS, "isReplacedBy"), node(successor).into());
        }
        if let Some(scope) = &e.scope {
            add(
                &ent,
                term(KGX, "scope"),
                Literal::new_simple_literal(scope).into(),
            );
        }
    }
    let class_of = |id: &str| x.entities.iter().find(|e| e.id == id).map(|e| e.class);
    for r in &x.relations {
        let s = node(&r.subject);
        let o = node(&r.object);
        add(&s, term(KGX, r.kind.rdf_local_name()), o.clone().into());
        let standard = match (r.kind, class_of(&r.subject), class_of(&r.object)) {
            (RelationType::PartOf, Some(Class::Organization), Some(Class::Organization)) => {
                Some(term(ORG, "subOrganizationOf"))
            }
            (RelationType::PartOf, Some(Class::Place), Some(Class::Place)) => {
                Some(term(SCHEMA, "containedInPlace"))
            }
            (RelationType::LocatedIn, _, _) => Some(term(SCHEMA, "location")),
            (RelationType::AffiliatedWith, _, Some(Class::Organization)) => {
                Some(term(SCHEMA, "affiliation"))
            }
            _ => None,
        };
        if let Some(standard) = standard {
            add(&s, standard, o.clone().into());
        }
        // Dublin Core says the same of documents: the issuer publishes, a document references.
        match (r.kind, class_of(&r.object)) {
            (RelationType::Issued, Some(Class::Document)) => {
                add(&o, term(DCTERMS, "publisher"), s.into());
            }
            (RelationType::Cites, Some(Class::Document)) => {
                add(&s, term(DCTERMS, "references"), o.into());
            }
            _ => {}
        }
    }
}

/// The named graph that holds every document's [`facts`] once: labels and relations without
/// the repetition of one copy per document, which is what makes corpus-wide queries cheap.
pub fn merged_graph_iri(base: &str) -> String {
    format!("{base}graph/merged")
}

/// One document's contribution to the merged graph.
pub fn merged_quads(pack: &RulePack, x: &Extraction) -> Vec<Quad> {
    let graph = GraphName::NamedNode(node(merged_graph_iri(&pack.base_iri)));
    let mut quads = Vec::new();
    facts(x, &mut |s: &NamedNode, p: NamedNode, o: Term| {
        quads.push(Quad::new(s.clone(), p, o, graph.clone()));
    });
    quads
}

/// xsd:date for full dates, xsd:gYear / gYearMonth otherwise.
fn date_literal(date: &str) -> Literal {
    let datatype = match date.len() {
        4 => xsd::G_YEAR,
        7 => xsd::G_YEAR_MONTH,
        _ => xsd::DATE,
    };
    Literal::new_typed_literal(date, datatype)
}

/// Quads sorted by their N-Quads line, without duplicates, and those lines: the same bytes
/// whatever the order documents were processed in.
pub struct DocumentRdf {
    /// The quads, sorted by their N-Quads line.
    pub quads: Vec<Quad>,
    /// Those lines.
    pub nquads: String,
}

/// A document's quads and their N-Quads text, sorted and without duplicates.
pub fn document_rdf(pack: &RulePack, x: &Extraction) -> DocumentRdf {
    sorted_rdf(document_quads(pack, x))
}

/// `quads` sorted by their N-Quads line, without duplicates, and those lines.
pub fn sorted_rdf(quads: Vec<Quad>) -> DocumentRdf {
    let mut lines: Vec<(String, Quad)> =
        quads.into_iter().map(|q| (format!("{q} .\n"), q)).collect();
    lines.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    lines.dedup_by(|a, b| a.0 == b.0);
    let mut nquads = String::with_capacity(lines.iter().map(|l| l.0.len()).sum());
    let mut quads = Vec::with_capacity(lines.len());
    for (line, quad) in lines {
        nquads.push_str(&line);
        quads.push(quad);
    }
    DocumentRdf { quads, nquads }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntityOut, RelationOut};

    fn entity(id: &str, class: Class) -> EntityOut {
        EntityOut {
            id: id.into(),
            class,
            kind: "T".into(),
            label: id.into(),
            names: vec![],
            code: None,
            scope: None,
            valid_from: None,
            valid_to: None,
            replaced_by: Vec::new(),
            mentions: vec![],
        }
    }

    fn extraction(entities: Vec<EntityOut>, relations: Vec<RelationOut>) -> Extraction {
        Extraction {
            doc: "a.txt".into(),
            sha256: String::new(),
            chars: 0,
            date: None,
            entities,
            relations,
            sentences: vec![],
            paragraphs: vec![],
        }
    }

    fn default_pack() -> RulePack {
        let dir = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules"));
        crate::rules::load_pack(&dir).expect("the default pack loads")
    }

    fn relation(kind: RelationType, s: &str, o: &str, rule: &str) -> RelationOut {
        RelationOut {
            kind,
            subject: s.into(),
            object: o.into(),
            rule: rule.into(),
            evidence: vec![],
        }
    }

    /// Editing a rule's id or the order rules run in renames no statement.
    #[test]
    fn statement_iris_do_not_depend_on_rules() {
        let pack = default_pack();
        let x = extraction(
            vec![
                entity("https://e/o", Class::Organization),
                entity("https://e/d", Class::Document),
                entity("https://e/p", Class::Program),
            ],
            vec![
                relation(
                    RelationType::Issued,
                    "https://e/o",
                    "https://e/d",
                    "issued.verb",
                ),
                relation(
                    RelationType::Implements,
                    "https://e/o",
                    "https://e/p",
                    "implements.verb",
                ),
            ],
        );
        let mut edited = x.clone();
        edited.relations.reverse();
        for r in &mut edited.relations {
            r.rule = format!("renamed.{}", r.rule);
        }
        let statements = |x: &Extraction| -> Vec<String> {
            let mut out: Vec<String> = document_quads(&pack, x)
                .into_iter()
                .filter(|q| {
                    q.predicate == rdf::TYPE && q.object == rdf::STATEMENT.into_owned().into()
                })
                .map(|q| q.subject.to_string())
                .collect();
            out.sort();
            out
        };
        let before = statements(&x);
        assert_eq!(before.len(), 2);
        assert_eq!(before, statements(&edited));
        let doc = iri::document_iri(&pack.base_iri, "a.txt");
        let issued = statement_iri(&doc, RelationType::Issued, "https://e/o", "https://e/d");
        assert!(before.contains(&format!("<{issued}>")), "{before:?}");
        assert_ne!(
            issued,
            statement_iri(&doc, RelationType::Cites, "https://e/o", "https://e/d")
        );
    }

    /// A country's ISO code is not a GB/T 2260 code.
    #[test]
    fn codes_get_their_own_properties() {
        let pack = default_pack();
        let place = |id: &str, code: &str| EntityOut {
            code: Some(code.into()),
            ..entity(id, Class::Place)
        };
        let x = extraction(
            vec![place("https://e/nb", "330200"), place("https://e/de", "DE")],
            vec![],
        );
        let mut coded: Vec<(String, String)> = merged_quads(&pack, &x)
            .into_iter()
            .filter(|q| q.predicate.as_str().ends_with("Code"))
            .map(|q| {
                (
                    q.subject.to_string(),
                    q.predicate
                        .as_str()
                        .rsplit('#')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                )
            })
            .collect();
        coded.sort();
        assert_eq!(
            coded,
            [
                ("<https://e/de>".to_string(), "iso3166Code".to_string()),
                ("<https://e/nb>".to_string(), "gbCode".to_string()),
            ]
        );
    }

    /// Dublin Core beside kgx's own terms: publisher, references, the own title's date.
    #[test]
    fn documents_get_dublin_core_terms() {
        let pack = default_pack();
        let titled = |id: &str, class, rule: &str| EntityOut {
            mentions: vec![crate::model::MentionOut {
                start: 0,
                end: 1,
                text: "x".into(),
                rule: rule.into(),
            }],
            ..entity(id, class)
        };
        let x = Extraction {
            chars: 1,
            date: Some("2026-01-27".into()),
            ..extraction(
                vec![
                    titled("https://e/gov", Class::Organization, "org.place-body"),
                    titled("https://e/report", Class::Document, "document.title"),
                    titled("https://e/plan", Class::Document, "document.quoted"),
                ],
                vec![
                    relation(
                        RelationType::Issued,
                        "https://e/gov",
                        "https://e/report",
                        "r",
                    ),
                    relation(
                        RelationType::Cites,
                        "https://e/report",
                        "https://e/plan",
                        "r",
                    ),
                ],
            )
        };
        let mut dc: Vec<String> = merged_quads(&pack, &x)
            .into_iter()
            .filter(|q| {
                q.predicate.as_str().starts_with(DCTERMS)
                    && !q.predicate.as_str().ends_with("title")
            })
            .map(|q| format!("{} {} {}", q.subject, q.predicate, q.object))
            .collect();
        dc.sort();
        assert_eq!(
            dc,
            [
                "<https://e/report> <http://purl.org/dc/terms/issued> \"2026-01-27\"^^<http://www.w3.org/2001/XMLSchema#date>",
                "<https://e/report> <http://purl.org/dc/terms/publisher> <https://e/gov>",
                "<https://e/report> <http://purl.org/dc/terms/references> <https://e/plan>",
            ]
        );
    }
}
