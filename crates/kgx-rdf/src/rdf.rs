//! Stage 6a: extractions → RDF. One named graph per document (the document's IRI) holding its
//! entities' descriptions, its mentions with offsets (NIF 2.0) and the relations it states,
//! each traced to the document, the evidence span and the rule (reified with rdf:Statement).
//! The vocabulary is described in rules/ontology.ttl and the README.

use crate::iri;
use crate::model::{Class, EntityOut, Extraction, RelationType};
use crate::rules::RulePack;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::HashSet;

/// kgx's own vocabulary (rules/ontology.ttl).
pub const KGX: &str = "https://w3id.org/kgx/ns#";
/// schema.org.
pub(crate) const SCHEMA: &str = "https://schema.org/";
/// The W3C Organization Ontology.
pub(crate) const ORG: &str = "http://www.w3.org/ns/org#";
/// SKOS (labels).
pub(crate) const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
/// Dublin Core terms.
pub(crate) const DCTERMS: &str = "http://purl.org/dc/terms/";
/// PROV-O (provenance).
pub(crate) const PROV: &str = "http://www.w3.org/ns/prov#";
/// FOAF (people).
pub(crate) const FOAF: &str = "http://xmlns.com/foaf/0.1/";
/// NIF 2.0 core (mentions and text spans).
pub const NIF: &str = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#";
/// ITS 2.0 RDF (a mention's entity).
pub(crate) const ITSRDF: &str = "http://www.w3.org/2005/11/its/rdf#";
/// RDF Schema.
pub(crate) const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";

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

/// `{graph}#relation-{16 hex digits of sha256(type, subject, object)}`: a document states a
/// relation once, so this names it whatever rule found it and in whatever order.
pub(crate) fn statement_iri(
    graph_iri: &str,
    kind: RelationType,
    subject: &str,
    object: &str,
) -> String {
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
    format!("{graph_iri}#relation-{hex}")
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

/// The quads of one document's named graph. `text` is the document's text as extracted (what
/// the offsets count in), the string of its nif:Context.
///
/// Three resources describe the input: the source file (`source/<path>`: sha256, format,
/// size), the named graph (`graph/<path>`: generated by the extraction activity from the
/// source) and the source's text as a nif:Context, which every span points into. The policy
/// document the file holds is one of its entities (its title, with dcterms:issued).
pub fn document_quads(pack: &RulePack, x: &Extraction, text: &str) -> Vec<Quad> {
    let graph_iri = iri::graph_iri(&pack.base_iri, &x.doc);
    let source_iri = iri::source_iri(&pack.base_iri, &x.doc);
    let graph_node = node(&graph_iri);
    let source = node(&source_iri);
    let mut spans = SpanNodes::new(&source_iri, x.chars);
    let graph = GraphName::NamedNode(graph_node.clone());
    let mut quads = Vec::new();
    let mut add = |s: &NamedNode, p: NamedNode, o: Term| {
        quads.push(Quad::new(
            NamedOrBlankNode::NamedNode(s.clone()),
            p,
            o,
            graph.clone(),
        ));
    };
    describe_source(&mut add, &source, x);
    describe_context(&mut add, &spans.context, &source, x, text);
    describe_extraction(&mut add, &graph_node, &source, pack);
    facts(x, &mut add);
    describe_mentions(&mut add, &mut spans, &source, x);
    describe_segments(&mut add, &mut spans, x);
    describe_statements(&mut add, &mut spans, &graph_iri, &source, x);
    quads
}

/// A plain literal as an object.
fn plain(s: &str) -> Term {
    Term::from(Literal::new_simple_literal(s))
}

/// The source file: its name, sha256, media type and size in chars.
fn describe_source(
    add: &mut impl FnMut(&NamedNode, NamedNode, Term),
    source: &NamedNode,
    x: &Extraction,
) {
    add(
        source,
        rdf::TYPE.into_owned(),
        term(KGX, "SourceDocument").into(),
    );
    add(source, term(DCTERMS, "identifier"), plain(&x.doc));
    add(source, term(KGX, "sha256"), plain(&x.sha256));
    add(
        source,
        term(DCTERMS, "format"),
        plain(kgx_core::input::media_type(&x.doc)),
    );
    add(source, term(KGX, "chars"), int(x.chars).into());
}

/// NIF 2.0: the text the offsets count in, dated as the text dates itself.
fn describe_context(
    add: &mut impl FnMut(&NamedNode, NamedNode, Term),
    context: &NamedNode,
    source: &NamedNode,
    x: &Extraction,
    text: &str,
) {
    add(context, rdf::TYPE.into_owned(), term(NIF, "Context").into());
    add(context, term(NIF, "isString"), plain(text));
    add(context, term(NIF, "beginIndex"), int(0).into());
    add(context, term(NIF, "endIndex"), int(x.chars).into());
    add(context, term(NIF, "sourceUrl"), source.clone().into());
    if let Some(date) = &x.date {
        add(context, term(DCTERMS, "date"), date_literal(date).into());
    }
}

/// The named graph as the product of an extraction: from the source, by the rule pack.
fn describe_extraction(
    add: &mut impl FnMut(&NamedNode, NamedNode, Term),
    graph_node: &NamedNode,
    source: &NamedNode,
    pack: &RulePack,
) {
    let pack_label = format!("{} {}", pack.name, pack.version);
    add(
        graph_node,
        rdf::TYPE.into_owned(),
        term(KGX, "ExtractionGraph").into(),
    );
    add(
        graph_node,
        term(PROV, "wasDerivedFrom"),
        source.clone().into(),
    );
    add(graph_node, term(KGX, "rulePack"), plain(&pack_label));
    // With the source's sha256, the key that lets a re-run skip a document whose graph is
    // current.
    add(graph_node, term(KGX, "rulePackHash"), plain(&pack.hash));
    // PROV-O: the graph was generated by an extraction activity that used this rule pack.
    // The activity is named by the pack's hash, not by a clock, so outputs stay
    // byte-identical across runs; the pack's name and version label it.
    let pack_short = &pack.hash[..pack.hash.len().min(16)];
    let activity = node(format!("{}activity/extract-{pack_short}", pack.base_iri));
    let rules = node(format!("{}rulepack/{pack_short}", pack.base_iri));
    add(
        graph_node,
        term(PROV, "wasGeneratedBy"),
        activity.clone().into(),
    );
    add(
        &activity,
        rdf::TYPE.into_owned(),
        term(PROV, "Activity").into(),
    );
    add(&activity, term(PROV, "used"), rules.clone().into());
    add(&rules, rdf::TYPE.into_owned(), term(PROV, "Entity").into());
    add(&rules, term(RDFS, "label"), plain(&pack_label));
}

/// The spans of one document's text as NIF resources. A span (mention, sentence, evidence) is
/// one resource however many roles it plays: its context and offsets are stated once.
struct SpanNodes<'a> {
    source_iri: &'a str,
    /// The whole text (nif:Context), which every span points into.
    context: NamedNode,
    described: HashSet<(usize, usize)>,
}

impl<'a> SpanNodes<'a> {
    fn new(source_iri: &'a str, chars: usize) -> Self {
        SpanNodes {
            source_iri,
            context: node(iri::span_iri(source_iri, 0, chars)),
            described: HashSet::new(),
        }
    }

    /// The span `start..end`, described (context and offsets) the first time it is asked for.
    fn node(
        &mut self,
        add: &mut impl FnMut(&NamedNode, NamedNode, Term),
        start: usize,
        end: usize,
    ) -> NamedNode {
        let span = node(iri::span_iri(self.source_iri, start, end));
        if self.described.insert((start, end)) {
            add(
                &span,
                term(NIF, "referenceContext"),
                self.context.clone().into(),
            );
            add(&span, term(NIF, "beginIndex"), int(start).into());
            add(&span, term(NIF, "endIndex"), int(end).into());
        }
        span
    }
}

/// Each entity is mentioned in the source; each mention is a nif:Phrase naming its entity,
/// with the rule that found it.
fn describe_mentions(
    add: &mut impl FnMut(&NamedNode, NamedNode, Term),
    spans: &mut SpanNodes,
    source: &NamedNode,
    x: &Extraction,
) {
    for e in &x.entities {
        let ent = node(&e.id);
        add(&ent, term(KGX, "mentionedIn"), source.clone().into());
        for m in &e.mentions {
            let mention = spans.node(add, m.start, m.end);
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
}

/// Sentences and paragraphs (NIF), the windows of the co-occurrence view: only those that
/// name two entities or more, the only ones that make an edge. The others were 58% of all
/// quads on ../shared/corpus and told a query nothing a mention's offsets do not.
fn describe_segments(
    add: &mut impl FnMut(&NamedNode, NamedNode, Term),
    spans: &mut SpanNodes,
    x: &Extraction,
) {
    for (segments, kind) in [(&x.sentences, "Sentence"), (&x.paragraphs, "Paragraph")] {
        let members = crate::model::entities_by_window(x, segments);
        for (span, _) in segments.iter().zip(&members).filter(|(_, m)| m.len() >= 2) {
            let segment = spans.node(add, span.start, span.end);
            add(&segment, rdf::TYPE.into_owned(), term(NIF, kind).into());
        }
    }
}

/// Each relation as a statement traced to the document, the evidence span and the rule. Its
/// IRI hashes what it says, so editing or reordering rules does not rename it; its position
/// keeps the extraction's order for readers of the store.
fn describe_statements(
    add: &mut impl FnMut(&NamedNode, NamedNode, Term),
    spans: &mut SpanNodes,
    graph_iri: &str,
    source: &NamedNode,
    x: &Extraction,
) {
    for (i, r) in x.relations.iter().enumerate() {
        let statement = node(statement_iri(graph_iri, r.kind, &r.subject, &r.object));
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
        add(
            &statement,
            term(PROV, "wasDerivedFrom"),
            source.clone().into(),
        );
        for ev in &r.evidence {
            let span = spans.node(add, ev.start, ev.end);
            add(&statement, term(KGX, "evidence"), span.into());
        }
    }
}

/// What a document says about things beyond itself: its entities' types, classes, labels and
/// codes, and its relations as plain triples (with the standard property where one says the
/// same, so generic tools understand them). These go both into the document's graph and into
/// the merged graph.
fn facts(x: &Extraction, add: &mut impl FnMut(&NamedNode, NamedNode, Term)) {
    let tag = labels_tag(x);
    for e in &x.entities {
        entity_facts(e, x.date.as_deref(), tag, add);
    }
    relation_facts(x, add);
}

/// An entity's types, class, labels in `tag`, code, years and successors, scope; a document's
/// title, with `date` (the date of the text it is named in) if that is its own heading.
fn entity_facts(
    e: &EntityOut,
    date: Option<&str>,
    tag: &str,
    add: &mut impl FnMut(&NamedNode, NamedNode, Term),
) {
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
        if let Some(date) = date.filter(|_| own) {
            add(&ent, term(DCTERMS, "issued"), date_literal(date).into());
        }
    }
    for name in &e.names {
        if crate::normalize::label_key(name) != crate::normalize::label_key(&e.label) {
            add(&ent, term(SKOS, "altLabel"), zh(name, tag).into());
        }
    }
    if let Some(code) = &e.code {
        add(
            &ent,
            code_property(e.class, code),
            Literal::new_simple_literal(code).into(),
        );
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

/// The property of an entity's code: GB/T 2260 for places, the 文号 for documents
/// (dcterms:identifier), else a code.
fn code_property(class: Class, code: &str) -> NamedNode {
    let gb_code = code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit());
    match class {
        Class::Place if gb_code => term(KGX, "gbCode"),
        // Countries: ISO 3166-1 alpha-2 (CN, DE), not a GB/T 2260 code.
        Class::Place => term(KGX, "iso3166Code"),
        Class::Document => term(DCTERMS, "identifier"),
        _ => term(KGX, "code"),
    }
}

/// Each relation as a kgx triple, then as the standard and Dublin Core triples that say the
/// same.
fn relation_facts(x: &Extraction, add: &mut impl FnMut(&NamedNode, NamedNode, Term)) {
    let class_of = |id: &str| x.entities.iter().find(|e| e.id == id).map(|e| e.class);
    for r in &x.relations {
        let s = node(&r.subject);
        let o = node(&r.object);
        add(&s, term(KGX, r.kind.rdf_local_name()), o.clone().into());
        if let Some(standard) = standard_property(r.kind, class_of(&r.subject), class_of(&r.object))
        {
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

/// The property of a standard vocabulary (W3C Organization, schema.org) that says what a
/// relation of `kind` between entities of these classes says, where there is one.
fn standard_property(
    kind: RelationType,
    subject: Option<Class>,
    object: Option<Class>,
) -> Option<NamedNode> {
    match (kind, subject, object) {
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
    }
}

/// The named graph that holds every document's facts (`facts`) once: labels and relations without
/// the repetition of one copy per document, which is what makes corpus-wide queries cheap.
pub use crate::iri::merged_graph_iri;

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
pub fn document_rdf(pack: &RulePack, x: &Extraction, text: &str) -> DocumentRdf {
    sorted_rdf(document_quads(pack, x, text))
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
    use crate::model::RelationOut;

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
            let mut out: Vec<String> = document_quads(&pack, x, "")
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
        let graph = iri::graph_iri(&pack.base_iri, "a.txt");
        let issued = statement_iri(&graph, RelationType::Issued, "https://e/o", "https://e/d");
        assert!(before.contains(&format!("<{issued}>")), "{before:?}");
        assert_ne!(
            issued,
            statement_iri(&graph, RelationType::Cites, "https://e/o", "https://e/d")
        );
    }

    /// The file, the graph of its extraction and its text are three resources; spans point into
    /// the text, statements derive from the file.
    #[test]
    fn source_graph_and_context_are_separate() {
        let pack = default_pack();
        let text = "国务院印发《规划》";
        let mut x = extraction(
            vec![EntityOut {
                mentions: vec![crate::model::MentionOut {
                    start: 0,
                    end: 3,
                    text: "国务院".into(),
                    rule: "gaz.central".into(),
                }],
                ..entity("https://e/o", Class::Organization)
            }],
            vec![relation(
                RelationType::Issued,
                "https://e/o",
                "https://e/d",
                "issued.verb",
            )],
        );
        x.doc = "d/a.html".into();
        x.chars = 9;
        x.sha256 = "ab".into();
        x.date = Some("2024".into());
        let base = &pack.base_iri;
        let lines: Vec<String> = document_rdf(&pack, &x, text)
            .nquads
            .lines()
            .map(|l| l.replace(base.as_str(), "B:").replace(NIF, "nif:"))
            .collect();
        let has = |line: &str| {
            let line = format!("{line} <B:graph/d/a.html> .");
            assert!(
                lines.contains(&line),
                "missing {line} in\n{}",
                lines.join("\n")
            );
        };
        has("<B:source/d/a.html> <http://purl.org/dc/terms/format> \"text/html\"");
        has("<B:source/d/a.html> <https://w3id.org/kgx/ns#sha256> \"ab\"");
        has("<B:source/d/a.html#char=0,9> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <nif:Context>");
        has("<B:source/d/a.html#char=0,9> <nif:isString> \"国务院印发《规划》\"");
        has("<B:source/d/a.html#char=0,9> <nif:sourceUrl> <B:source/d/a.html>");
        has("<B:source/d/a.html#char=0,9> <http://purl.org/dc/terms/date> \"2024\"^^<http://www.w3.org/2001/XMLSchema#gYear>");
        has("<B:source/d/a.html#char=0,3> <nif:referenceContext> <B:source/d/a.html#char=0,9>");
        has("<B:graph/d/a.html> <http://www.w3.org/ns/prov#wasDerivedFrom> <B:source/d/a.html>");
        has("<https://e/o> <https://w3id.org/kgx/ns#mentionedIn> <B:source/d/a.html>");
        let statement = statement_iri(
            &iri::graph_iri(base, "d/a.html"),
            RelationType::Issued,
            "https://e/o",
            "https://e/d",
        )
        .replace(base.as_str(), "B:");
        has(&format!(
            "<{statement}> <http://www.w3.org/ns/prov#wasDerivedFrom> <B:source/d/a.html>"
        ));
        // Nothing is said of the graph's IRI but what concerns the extraction.
        let of_graph: Vec<&String> = lines
            .iter()
            .filter(|l| l.starts_with("<B:graph/d/a.html> "))
            .collect();
        assert_eq!(of_graph.len(), 5, "{of_graph:#?}");
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
