//! The store read back as extractions, so every graph view (`kgx export`) is built by the same
//! code as `kgx extract`'s graph.gexf, from the store alone. Only relation evidence spans are
//! left out: no graph view uses them.

use crate::model::{Class, EntityOut, Extraction, MentionOut, RelationOut, RelationType, Span};
use crate::rdf::KGX;
use anyhow::{anyhow, Context, Result};
use oxigraph::model::Term;
use oxigraph::sparql::{QueryResults, QuerySolution};
use oxigraph::store::Store;
use std::collections::{BTreeMap, HashMap};

/// The documents of a store, plus the sentence and paragraph spans of each document where the
/// store has them (`nif:Sentence` / `nif:Paragraph` resources), keyed by document name.
#[derive(Debug, Default)]
pub struct StoredCorpus {
    /// Every document's extraction, in document order.
    pub extractions: Vec<Extraction>,
    /// Sentence spans naming two entities or more, by document.
    pub sentences: HashMap<String, Vec<Span>>,
    /// Paragraph spans naming two entities or more, by document.
    pub paragraphs: HashMap<String, Vec<Span>>,
}

const DOCUMENTS: &str = "SELECT ?g ?id ?sha ?chars ?date WHERE { GRAPH ?g {
    ?g prov:wasDerivedFrom ?source . ?source a kgx:SourceDocument ; dcterms:identifier ?id .
    OPTIONAL { ?source kgx:sha256 ?sha } OPTIONAL { ?source kgx:chars ?chars }
    OPTIONAL { ?context nif:sourceUrl ?source ; dcterms:date ?date } } }";

const MENTIONS: &str =
    "SELECT ?g ?e ?class ?type ?label ?code ?scope ?from ?to ?b ?end ?text ?rule WHERE { GRAPH ?g {
    ?e kgx:entityClass ?class ; kgx:entityType ?type ; skos:prefLabel ?label .
    OPTIONAL { ?e kgx:gbCode|kgx:iso3166Code|kgx:code|dcterms:identifier ?code }
    OPTIONAL { ?e kgx:scope ?scope }
    OPTIONAL { ?e kgx:validFrom ?from } OPTIONAL { ?e kgx:validTo ?to }
    ?m itsrdf:taIdentRef ?e ; nif:beginIndex ?b ; nif:endIndex ?end ; nif:anchorOf ?text .
    OPTIONAL { ?m kgx:rule ?rule } } }";

/// Entities a document implies but never names (浙江省人民政府 behind 省长 王浩).
const IMPLIED: &str = "SELECT ?g ?e ?class ?type ?label ?code ?scope ?from ?to WHERE { GRAPH ?g {
    ?e kgx:entityClass ?class ; kgx:entityType ?type ; skos:prefLabel ?label .
    OPTIONAL { ?e kgx:gbCode|kgx:iso3166Code|kgx:code|dcterms:identifier ?code }
    OPTIONAL { ?e kgx:scope ?scope }
    OPTIONAL { ?e kgx:validFrom ?from } OPTIONAL { ?e kgx:validTo ?to }
    FILTER NOT EXISTS { ?m itsrdf:taIdentRef ?e } } }";

const RELATIONS: &str = "SELECT ?g ?st ?s ?p ?o ?rule ?position WHERE { GRAPH ?g {
    ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
    OPTIONAL { ?st kgx:rule ?rule } OPTIONAL { ?st kgx:position ?position } } }";

/// A retired division's successors (many for a split).
const SUCCESSORS: &str = "SELECT ?g ?e ?next WHERE { GRAPH ?g { ?e dcterms:isReplacedBy ?next } }";

const SEGMENTS: &str = "SELECT ?g ?kind ?b ?end WHERE { GRAPH ?g {
    VALUES ?kind { nif:Sentence nif:Paragraph }
    ?s a ?kind ; nif:beginIndex ?b ; nif:endIndex ?end } }";

fn each_solution(
    store: &Store,
    query: &str,
    mut f: impl FnMut(&QuerySolution) -> Result<()>,
) -> Result<()> {
    let prepared = crate::sparql::evaluator()
        .parse_query(query)
        .map_err(|e| anyhow!("internal SPARQL syntax error: {e}"))?;
    let results = prepared
        .on_store(store)
        .execute()
        .context("reading the store failed")?;
    let QueryResults::Solutions(solutions) = results else {
        return Err(anyhow!("internal query is not a SELECT"));
    };
    for s in solutions {
        f(&s?)?;
    }
    Ok(())
}

/// The lexical value of a literal, or the IRI of a named node.
fn text(s: &QuerySolution, var: &str) -> Option<String> {
    match s.get(var)? {
        Term::Literal(l) => Some(l.value().to_string()),
        Term::NamedNode(n) => Some(n.as_str().to_string()),
        _ => None,
    }
}

fn required(s: &QuerySolution, var: &str) -> Result<String> {
    text(s, var).ok_or_else(|| anyhow!("store: a solution lacks ?{var}"))
}

fn number(s: &QuerySolution, var: &str) -> Result<usize> {
    let v = required(s, var)?;
    v.parse()
        .with_context(|| format!("store: ?{var} is not a number: {v}"))
}

fn year(s: &QuerySolution, var: &str) -> Result<Option<u16>> {
    text(s, var)
        .map(|v| {
            v.parse()
                .with_context(|| format!("store: ?{var} is not a year: {v}"))
        })
        .transpose()
}

/// An entity (without its mentions) from a solution of MENTIONS or IMPLIED.
fn entity_of(s: &QuerySolution) -> Result<EntityOut> {
    let class_name = required(s, "class")?;
    let class = Class::parse(&class_name)
        .ok_or_else(|| anyhow!("store: unknown entity class {class_name}"))?;
    Ok(EntityOut {
        id: required(s, "e")?,
        class,
        kind: required(s, "type")?,
        label: required(s, "label")?,
        names: Vec::new(),
        code: text(s, "code"),
        scope: text(s, "scope"),
        valid_from: year(s, "from")?,
        valid_to: year(s, "to")?,
        replaced_by: Vec::new(),
        mentions: Vec::new(),
    })
}

/// Graph IRI → extraction, while a store is read.
type Documents = HashMap<String, Extraction>;

/// Reads every document graph of a store back into extractions.
pub fn read(store: &Store) -> Result<StoredCorpus> {
    let mut docs = read_documents(store)?;
    add_named_entities(store, &mut docs)?;
    add_implied_entities(store, &mut docs)?;
    add_successors(store, &mut docs)?;
    add_relations(store, &mut docs)?;
    let mut corpus = read_segments(store, &docs)?;
    corpus.extractions = docs.into_values().collect();
    corpus.extractions.sort_by(|a, b| a.doc.cmp(&b.doc));
    Ok(corpus)
}

/// Every document graph, with its source's name, sha256, size and date; no entities yet.
fn read_documents(store: &Store) -> Result<Documents> {
    let mut docs = Documents::new();
    each_solution(store, DOCUMENTS, |s| {
        let x = Extraction {
            doc: required(s, "id")?,
            sha256: text(s, "sha").unwrap_or_default(),
            chars: text(s, "chars").and_then(|c| c.parse().ok()).unwrap_or(0),
            date: text(s, "date"),
            entities: Vec::new(),
            relations: Vec::new(),
            sentences: Vec::new(),
            paragraphs: Vec::new(),
        };
        docs.insert(required(s, "g")?, x);
        Ok(())
    })?;
    Ok(docs)
}

/// The entities each document names, with their mentions, in the order of their first one.
fn add_named_entities(store: &Store, docs: &mut Documents) -> Result<()> {
    // Graph IRI → (entity IRI → entity) while collecting.
    let mut entities: HashMap<String, BTreeMap<String, EntityOut>> = HashMap::new();
    each_solution(store, MENTIONS, |s| {
        let id = required(s, "e")?;
        let by_id = entities.entry(required(s, "g")?).or_default();
        let entity = match by_id.get_mut(&id) {
            Some(e) => e,
            None => by_id.entry(id).or_insert(entity_of(s)?),
        };
        entity.mentions.push(MentionOut {
            start: number(s, "b")?,
            end: number(s, "end")?,
            text: required(s, "text")?,
            rule: text(s, "rule").unwrap_or_default(),
        });
        Ok(())
    })?;
    for (graph, by_id) in entities {
        let Some(x) = docs.get_mut(&graph) else {
            continue;
        };
        let mut list: Vec<EntityOut> = by_id.into_values().collect();
        for e in &mut list {
            // As extract.rs writes them: mentions in text order, names = distinct mention texts.
            e.mentions.sort_by_key(|m| (m.start, m.end));
            e.mentions.dedup_by_key(|m| (m.start, m.end));
            for m in &e.mentions {
                if !e.names.contains(&m.text) {
                    e.names.push(m.text.clone());
                }
            }
        }
        list.sort_by_key(|e| e.mentions.first().map(|m| (m.start, m.end)));
        x.entities = list;
    }
    Ok(())
}

/// The entities each document implies but never names: after the named ones, by label and
/// class, as extract.rs orders them.
fn add_implied_entities(store: &Store, docs: &mut Documents) -> Result<()> {
    let mut implied: HashMap<String, Vec<EntityOut>> = HashMap::new();
    each_solution(store, IMPLIED, |s| {
        implied
            .entry(required(s, "g")?)
            .or_default()
            .push(entity_of(s)?);
        Ok(())
    })?;
    for (graph, mut list) in implied {
        if let Some(x) = docs.get_mut(&graph) {
            list.sort_by(|a, b| (&a.label, a.class).cmp(&(&b.label, b.class)));
            x.entities.extend(list);
        }
    }
    Ok(())
}

/// Each retired division's successors, sorted.
fn add_successors(store: &Store, docs: &mut Documents) -> Result<()> {
    each_solution(store, SUCCESSORS, |s| {
        let (graph, id) = (required(s, "g")?, required(s, "e")?);
        if let Some(e) = docs
            .get_mut(&graph)
            .and_then(|x| x.entities.iter_mut().find(|e| e.id == id))
        {
            e.replaced_by.push(required(s, "next")?);
        }
        Ok(())
    })?;
    for x in docs.values_mut() {
        for e in &mut x.entities {
            e.replaced_by.sort();
        }
    }
    Ok(())
}

/// Each document's relations (kgx's own types only), in their `kgx:position` order.
fn add_relations(store: &Store, docs: &mut Documents) -> Result<()> {
    let mut relations: HashMap<String, Vec<(usize, RelationOut)>> = HashMap::new();
    each_solution(store, RELATIONS, |s| {
        let p = required(s, "p")?;
        let Some(kind) = p.strip_prefix(KGX).and_then(|local| {
            RelationType::ALL
                .into_iter()
                .find(|t| t.rdf_local_name() == local)
        }) else {
            return Ok(());
        };
        relations.entry(required(s, "g")?).or_default().push((
            number(s, "position").unwrap_or(usize::MAX),
            RelationOut {
                kind,
                subject: required(s, "s")?,
                object: required(s, "o")?,
                rule: text(s, "rule").unwrap_or_default(),
                evidence: Vec::new(),
            },
        ));
        Ok(())
    })?;
    for (graph, mut list) in relations {
        if let Some(x) = docs.get_mut(&graph) {
            list.sort_by_key(|(i, _)| *i);
            x.relations = list.into_iter().map(|(_, r)| r).collect();
        }
    }
    Ok(())
}

/// The sentence and paragraph spans of the documents, sorted and without duplicates, in a
/// corpus with no extractions yet.
fn read_segments(store: &Store, docs: &Documents) -> Result<StoredCorpus> {
    let mut corpus = StoredCorpus::default();
    each_solution(store, SEGMENTS, |s| {
        let Some(x) = docs.get(&required(s, "g")?) else {
            return Ok(());
        };
        let span = Span {
            start: number(s, "b")?,
            end: number(s, "end")?,
        };
        let target = if required(s, "kind")?.ends_with("#Sentence") {
            &mut corpus.sentences
        } else {
            &mut corpus.paragraphs
        };
        target.entry(x.doc.clone()).or_default().push(span);
        Ok(())
    })?;
    for spans in corpus
        .sentences
        .values_mut()
        .chain(corpus.paragraphs.values_mut())
    {
        spans.sort();
        spans.dedup();
    }
    Ok(corpus)
}

/// The relation view of the store's documents, as `KnowledgeGraph::from_extractions` builds
/// it from extractions.jsonl.
pub fn relation_graph(store: &Store) -> Result<crate::graph::KnowledgeGraph> {
    Ok(crate::graph::KnowledgeGraph::from_extractions(
        &read(store)?.extractions,
    ))
}
