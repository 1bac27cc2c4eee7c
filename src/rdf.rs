//! Stage 6a: extractions → RDF. One named graph per document (the document's IRI) holding its
//! entities' descriptions, its mentions with offsets (NIF 2.0) and the relations it states,
//! each traced to the document, the evidence span and the rule (reified with rdf:Statement).
//! The vocabulary is described in rules/ontology.ttl and the README.

use crate::iri;
use crate::model::{Class, Extraction, RelationType};
use crate::rules::RulePack;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};

pub const KGX: &str = "https://w3id.org/kgx/ns#";
pub const SCHEMA: &str = "https://schema.org/";
pub const ORG: &str = "http://www.w3.org/ns/org#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const FOAF: &str = "http://xmlns.com/foaf/0.1/";
pub const NIF: &str = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#";
pub const ITSRDF: &str = "http://www.w3.org/2005/11/its/rdf#";

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

fn zh(s: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(s, "zh")
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
    if let Some(date) = &x.date {
        add(&doc, term(DCTERMS, "date"), date_literal(date).into());
    }
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
        add(&ent, term(SKOS, "prefLabel"), zh(&e.label).into());
        if e.class == Class::Document {
            add(&ent, term(DCTERMS, "title"), zh(&e.label).into());
        }
        for name in &e.names {
            if crate::normalize::label_key(name) != crate::normalize::label_key(&e.label) {
                add(&ent, term(SKOS, "altLabel"), zh(name).into());
            }
        }
        if let Some(code) = &e.code {
            // GB/T 2260 for places, the 文号 for documents (dcterms:identifier), else a code.
            let p = match e.class {
                Class::Place => term(KGX, "gbCode"),
                Class::Document => term(DCTERMS, "identifier"),
                _ => term(KGX, "code"),
            };
            add(&ent, p, Literal::new_simple_literal(code).into());
        }
        add(&ent, term(KGX, "mentionedIn"), doc.clone().into());
        for m in &e.mentions {
            let mention = node(iri::mention_iri(&doc_iri, m.start, m.end));
            add(&mention, rdf::TYPE.into_owned(), term(NIF, "Phrase").into());
            add(&mention, term(NIF, "referenceContext"), doc.clone().into());
            add(&mention, term(NIF, "beginIndex"), int(m.start).into());
            add(&mention, term(NIF, "endIndex"), int(m.end).into());
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
    // Sentences and paragraphs (NIF), the windows of the co-occurrence view.
    for (spans, kind) in [(&x.sentences, "Sentence"), (&x.paragraphs, "Paragraph")] {
        for span in spans {
            let segment = node(iri::mention_iri(&doc_iri, span.start, span.end));
            add(&segment, rdf::TYPE.into_owned(), term(NIF, kind).into());
            add(&segment, term(NIF, "referenceContext"), doc.clone().into());
            add(&segment, term(NIF, "beginIndex"), int(span.start).into());
            add(&segment, term(NIF, "endIndex"), int(span.end).into());
        }
    }
    let class_of = |id: &str| x.entities.iter().find(|e| e.id == id).map(|e| e.class);
    for (i, r) in x.relations.iter().enumerate() {
        let s = node(&r.subject);
        let p = term(KGX, r.kind.rdf_local_name());
        let o = node(&r.object);
        add(&s, p.clone(), o.clone().into());
        // The standard property where one says the same, so generic tools understand it.
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
        let statement = node(format!("{doc_iri}#relation-{i}"));
        add(
            &statement,
            rdf::TYPE.into_owned(),
            rdf::STATEMENT.into_owned().into(),
        );
        add(&statement, rdf::SUBJECT.into_owned(), s.into());
        add(&statement, rdf::PREDICATE.into_owned(), p.into());
        add(&statement, rdf::OBJECT.into_owned(), o.into());
        add(
            &statement,
            term(KGX, "rule"),
            Literal::new_simple_literal(&r.rule).into(),
        );
        add(&statement, term(PROV, "wasDerivedFrom"), doc.clone().into());
        for ev in &r.evidence {
            let span = node(iri::mention_iri(&doc_iri, ev.start, ev.end));
            add(&statement, term(KGX, "evidence"), span.clone().into());
            add(&span, term(NIF, "referenceContext"), doc.clone().into());
            add(&span, term(NIF, "beginIndex"), int(ev.start).into());
            add(&span, term(NIF, "endIndex"), int(ev.end).into());
        }
    }
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

/// Sorted, de-duplicated N-Quads/N-Triples lines: byte-identical output whatever the order
/// documents were processed in.
pub fn sorted_lines(quads: &[Quad], with_graph: bool) -> Vec<String> {
    let mut lines: Vec<String> = quads
        .iter()
        .map(|q| {
            if with_graph {
                format!("{q} .")
            } else {
                format!("{} {} {} .", q.subject, q.predicate, q.object)
            }
        })
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}
