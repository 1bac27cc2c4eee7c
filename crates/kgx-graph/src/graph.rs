//! Stage 5: per-document extractions → one graph (petgraph) merged across documents, in one of
//! two views: relations (directed; edges keyed by (subject, object, type), so relations of
//! different types between the same pair stay distinct) or co-occurrence (undirected; entities
//! named in the same sentence or paragraph). Also the filters and the node metrics every graph
//! writer (GEXF, GraphML, CSV) shares, so the three formats carry the same figures.

use kgx_core::model::{entities_by_window, Class, Extraction, RelationType, Span};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// An entity merged across documents.
#[derive(Debug, Clone)]
pub struct Node {
    /// Its IRI.
    pub id: String,
    /// One of the five classes.
    pub class: Class,
    /// The finer type (City, Agency …).
    pub kind: String,
    /// The canonical name.
    pub label: String,
    /// Every name any document used for it.
    pub names: BTreeSet<String>,
    /// A gazetteer code (GB/T 2260, ISO 3166) or 文号.
    pub code: Option<String>,
    /// Programs: national, provincial or local (from any document that says).
    pub scope: Option<String>,
    /// Mentions over all documents.
    pub mentions: usize,
    /// The documents naming it.
    pub documents: BTreeSet<String>,
    /// Earliest and latest document date naming it (YYYY, YYYY-MM or YYYY-MM-DD).
    pub first_seen: Option<String>,
    /// Date of the latest dated document naming it.
    pub last_seen: Option<String>,
}

/// What an edge stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    /// A relation documents state.
    Relation(RelationType),
    /// Named in the same sentence or paragraph.
    CoOccurrence,
    /// A one-mode projection: both ends relate to the same entities.
    Shares,
}

impl EdgeKind {
    /// The name in graph files (`relation` column, GEXF `kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Relation(r) => r.as_str(),
            EdgeKind::CoOccurrence => "co_occurs",
            EdgeKind::Shares => "shares",
        }
    }
}

/// An edge of the merged graph.
#[derive(Debug, Clone)]
pub struct Edge {
    /// What it stands for.
    pub kind: EdgeKind,
    /// Relations: number of documents stating it (each document states a relation once).
    /// Co-occurrence: number of sentences or paragraphs naming both ends.
    /// Projection: number of entities both ends relate to.
    pub weight: usize,
    /// Projection: the Jaccard index of the two ends' related entities.
    pub jaccard: Option<f64>,
    /// The documents behind it.
    pub documents: BTreeSet<String>,
    /// Date of the earliest dated document behind it.
    pub first_seen: Option<String>,
    /// Date of the latest dated document behind it.
    pub last_seen: Option<String>,
    /// How much of `weight` dated documents added, by date (relation and co-occurrence
    /// views): the timeline's weight is the sum up to each date.
    pub weight_by_date: BTreeMap<String, usize>,
}

/// Documents' entities and relations merged by IRI: one node per entity, one edge per (subject, object, kind).
#[derive(Debug, Clone)]
pub struct KnowledgeGraph {
    /// The petgraph graph; undirected views keep each edge once.
    pub graph: DiGraph<Node, Edge>,
    /// False for the co-occurrence view: each edge is stored once, source index < target index.
    pub directed: bool,
    by_id: HashMap<String, NodeIndex>,
    by_edge: HashMap<(NodeIndex, NodeIndex, EdgeKind), EdgeIndex>,
}

impl Default for KnowledgeGraph {
    fn default() -> Self {
        KnowledgeGraph {
            graph: DiGraph::default(),
            directed: true,
            by_id: HashMap::new(),
            by_edge: HashMap::new(),
        }
    }
}

impl Edge {
    /// One more document (relations) or window (co-occurrence) behind the edge.
    fn add_weight(&mut self, date: Option<&String>) {
        self.weight += 1;
        if let Some(date) = date {
            *self.weight_by_date.entry(date.clone()).or_default() += 1;
        }
    }
}

fn widen(first: &mut Option<String>, last: &mut Option<String>, date: Option<&String>) {
    let Some(date) = date else { return };
    if first.as_ref().is_none_or(|f| date < f) {
        *first = Some(date.clone());
    }
    if last.as_ref().is_none_or(|l| date > l) {
        *last = Some(date.clone());
    }
}

fn sorted_by_doc<'a>(extractions: impl IntoIterator<Item = &'a Extraction>) -> Vec<&'a Extraction> {
    let mut sorted: Vec<&Extraction> = extractions.into_iter().collect();
    sorted.sort_by(|a, b| a.doc.cmp(&b.doc));
    sorted
}

impl KnowledgeGraph {
    /// The relation view; the result does not depend on the order of the extractions.
    pub fn from_extractions<'a>(
        extractions: impl IntoIterator<Item = &'a Extraction>,
    ) -> KnowledgeGraph {
        let mut g = KnowledgeGraph::default();
        for x in sorted_by_doc(extractions) {
            g.add(x);
        }
        g
    }

    /// The co-occurrence view: one undirected edge per pair of entities named in a common
    /// window, weighted by the number of such windows. `windows` gives a document's sorted
    /// sentence or paragraph spans (in the same char offsets as mentions); documents without
    /// them contribute nodes but no edges.
    pub fn cooccurrence<'a>(
        extractions: impl IntoIterator<Item = &'a Extraction>,
        windows: impl Fn(&str) -> Option<&'a [Span]>,
    ) -> KnowledgeGraph {
        let mut g = KnowledgeGraph {
            directed: false,
            ..KnowledgeGraph::default()
        };
        for x in sorted_by_doc(extractions) {
            let nodes = g.add_entities(x);
            let Some(spans) = windows(&x.doc) else {
                continue;
            };
            for window in entities_by_window(x, spans) {
                // Ascending node indices: an undirected edge is keyed (lower, higher).
                let mut list: Vec<NodeIndex> = window.into_iter().map(|e| nodes[e]).collect();
                list.sort_unstable();
                for (i, &a) in list.iter().enumerate() {
                    for &b in &list[i + 1..] {
                        let edge = g.edge_between(a, b, EdgeKind::CoOccurrence);
                        edge.add_weight(x.date.as_ref());
                        edge.documents.insert(x.doc.clone());
                        widen(&mut edge.first_seen, &mut edge.last_seen, x.date.as_ref());
                    }
                }
            }
        }
        g
    }

    /// The one-mode projection of the relation view onto the entities of `class` (and, if
    /// given, of these `types`): an undirected edge between two of them for every entity both
    /// are related to by one of `via` (all relations when empty), in either direction —
    /// provinces linked by the programs both implement. Weight: the number of shared
    /// entities; `jaccard`: shared / all entities either is related to. `documents` are the
    /// documents stating the relations to the shared entities.
    pub fn projection(
        &self,
        class: Class,
        types: &[String],
        via: &[RelationType],
    ) -> KnowledgeGraph {
        let kept = |n: NodeIndex| {
            let node = &self.graph[n];
            node.class == class && (types.is_empty() || types.contains(&node.kind))
        };
        // For each kept node: related entity → the relation edges to it (documents, dates).
        let mut related: HashMap<NodeIndex, HashMap<NodeIndex, Vec<EdgeIndex>>> = HashMap::new();
        for e in self.graph.edge_references() {
            let EdgeKind::Relation(r) = e.weight().kind else {
                continue;
            };
            if !via.is_empty() && !via.contains(&r) {
                continue;
            }
            for (end, other) in [(e.source(), e.target()), (e.target(), e.source())] {
                if kept(end) && end != other {
                    related
                        .entry(end)
                        .or_default()
                        .entry(other)
                        .or_default()
                        .push(e.id());
                }
            }
        }
        let mut g = KnowledgeGraph {
            directed: false,
            ..KnowledgeGraph::default()
        };
        // Nodes in IRI order, so the output does not depend on how the graph was built.
        let mut members: Vec<NodeIndex> = self.graph.node_indices().filter(|&n| kept(n)).collect();
        members.sort_by(|&a, &b| self.graph[a].id.cmp(&self.graph[b].id));
        let index: Vec<NodeIndex> = members
            .iter()
            .map(|&n| {
                let node = self.graph[n].clone();
                let i = g.graph.add_node(node);
                g.by_id.insert(self.graph[n].id.clone(), i);
                i
            })
            .collect();
        let empty = HashMap::new();
        for (i, a) in members.iter().enumerate() {
            let ra = related.get(a).unwrap_or(&empty);
            for (j, b) in members.iter().enumerate().skip(i + 1) {
                let rb = related.get(b).unwrap_or(&empty);
                let shared: Vec<&NodeIndex> = ra.keys().filter(|o| rb.contains_key(o)).collect();
                if shared.is_empty() {
                    continue;
                }
                let union = ra.len() + rb.len() - shared.len();
                let edge = g.edge_between(index[i], index[j], EdgeKind::Shares);
                edge.weight = shared.len();
                edge.jaccard = Some(shared.len() as f64 / union as f64);
                for o in shared {
                    for &via_edge in ra[o].iter().chain(&rb[o]) {
                        let via_edge = &self.graph[via_edge];
                        edge.documents.extend(via_edge.documents.iter().cloned());
                        for date in [&via_edge.first_seen, &via_edge.last_seen] {
                            widen(&mut edge.first_seen, &mut edge.last_seen, date.as_ref());
                        }
                    }
                }
            }
        }
        g
    }

    /// Adds one document's entities; their node indices, in entity order.
    fn add_entities(&mut self, x: &Extraction) -> Vec<NodeIndex> {
        let mut out = Vec::with_capacity(x.entities.len());
        for e in &x.entities {
            let idx = match self.by_id.get(&e.id) {
                Some(&i) => i,
                None => {
                    let i = self.graph.add_node(Node {
                        id: e.id.clone(),
                        class: e.class,
                        kind: e.kind.clone(),
                        label: e.label.clone(),
                        names: BTreeSet::new(),
                        code: e.code.clone(),
                        scope: e.scope.clone(),
                        mentions: 0,
                        documents: BTreeSet::new(),
                        first_seen: None,
                        last_seen: None,
                    });
                    self.by_id.insert(e.id.clone(), i);
                    i
                }
            };
            let node = &mut self.graph[idx];
            if node.scope.is_none() {
                node.scope = e.scope.clone();
            }
            node.names.extend(e.names.iter().cloned());
            node.mentions += e.mentions.len();
            node.documents.insert(x.doc.clone());
            widen(&mut node.first_seen, &mut node.last_seen, x.date.as_ref());
            out.push(idx);
        }
        out
    }

    fn edge_between(&mut self, s: NodeIndex, o: NodeIndex, kind: EdgeKind) -> &mut Edge {
        let idx = *self.by_edge.entry((s, o, kind)).or_insert_with(|| {
            self.graph.add_edge(
                s,
                o,
                Edge {
                    kind,
                    weight: 0,
                    jaccard: None,
                    documents: BTreeSet::new(),
                    first_seen: None,
                    last_seen: None,
                    weight_by_date: BTreeMap::new(),
                },
            )
        });
        &mut self.graph[idx]
    }

    /// Adds one document to the relation view.
    pub fn add(&mut self, x: &Extraction) {
        self.add_entities(x);
        for r in &x.relations {
            let (Some(&s), Some(&o)) = (self.by_id.get(&r.subject), self.by_id.get(&r.object))
            else {
                continue;
            };
            let edge = self.edge_between(s, o, EdgeKind::Relation(r.kind));
            if edge.documents.insert(x.doc.clone()) {
                edge.add_weight(x.date.as_ref());
            }
            widen(&mut edge.first_seen, &mut edge.last_seen, x.date.as_ref());
        }
    }

    /// The subgraph of the kept nodes and edges, in the same order.
    pub fn retain(
        &self,
        keep_node: impl Fn(NodeIndex, &Node) -> bool,
        keep_edge: impl Fn(&Edge) -> bool,
    ) -> KnowledgeGraph {
        let graph = self.graph.filter_map(
            |n, node| keep_node(n, node).then(|| node.clone()),
            |_, edge| keep_edge(edge).then(|| edge.clone()),
        );
        let by_id = graph
            .node_indices()
            .map(|n| (graph[n].id.clone(), n))
            .collect();
        let by_edge = graph
            .edge_references()
            .map(|e| ((e.source(), e.target(), e.weight().kind), e.id()))
            .collect();
        KnowledgeGraph {
            graph,
            directed: self.directed,
            by_id,
            by_edge,
        }
    }

    /// Applies the filters in a fixed order: classes, types, relation types and minimum edge
    /// weight, top N by PageRank (ranked within what those left), the largest weakly
    /// connected component, then isolated nodes.
    pub fn filtered(&self, f: &Filters) -> KnowledgeGraph {
        let mut g = self.retain(
            |_, n| {
                f.classes.as_ref().is_none_or(|c| c.contains(&n.class))
                    && f.types.as_ref().is_none_or(|t| t.contains(&n.kind))
            },
            |e| {
                let relation_kept = match (e.kind, &f.relations) {
                    (EdgeKind::Relation(r), Some(kept)) => kept.contains(&r),
                    _ => true,
                };
                relation_kept && e.weight >= f.min_weight
            },
        );
        if let Some(top) = f.top {
            let ranks = g.page_rank(0.85, 100);
            let mut order: Vec<NodeIndex> = g.graph.node_indices().collect();
            order.sort_by(|&a, &b| {
                ranks[b.index()]
                    .total_cmp(&ranks[a.index()])
                    .then_with(|| g.graph[a].id.cmp(&g.graph[b].id))
            });
            let keep: BTreeSet<NodeIndex> = order.into_iter().take(top).collect();
            g = g.retain(|n, _| keep.contains(&n), |_| true);
        }
        if f.giant_component {
            let component = g.components();
            let mut sizes: HashMap<usize, usize> = HashMap::new();
            for &c in &component {
                *sizes.entry(c).or_default() += 1;
            }
            // Components are numbered by their first node, so ties go to the earliest one.
            let giant = sizes
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(c, _)| c);
            g = g.retain(|n, _| Some(component[n.index()]) == giant, |_| true);
        }
        if f.drop_isolates {
            let degrees = g.degrees();
            g = g.retain(|n, _| degrees[n.index()].0 > 0, |_| true);
        }
        g
    }

    /// Weakly connected component of each node, numbered by the component's lowest node index.
    pub fn components(&self) -> Vec<usize> {
        fn find(parent: &mut [usize], mut v: usize) -> usize {
            while parent[v] != v {
                parent[v] = parent[parent[v]];
                v = parent[v];
            }
            v
        }
        let mut parent: Vec<usize> = (0..self.graph.node_count()).collect();
        for e in self.graph.edge_references() {
            let (a, b) = (
                find(&mut parent, e.source().index()),
                find(&mut parent, e.target().index()),
            );
            // The smaller index as root keeps the numbering by lowest node index.
            parent[a.max(b)] = a.min(b);
        }
        (0..parent.len()).map(|v| find(&mut parent, v)).collect()
    }

    /// Degree and weighted degree per node, in node-index order.
    pub(crate) fn degrees(&self) -> Vec<(usize, usize)> {
        self.graph
            .node_indices()
            .map(|n| {
                let edges = self
                    .graph
                    .edges_directed(n, petgraph::Direction::Outgoing)
                    .chain(self.graph.edges_directed(n, petgraph::Direction::Incoming));
                edges.fold((0, 0), |(d, w), e| (d + 1, w + e.weight().weight))
            })
            .collect()
    }

    /// Edges as (from, to, weight) the way PageRank walks them: both ways when undirected.
    fn walks(&self) -> Vec<(usize, usize, f64)> {
        let mut out = Vec::with_capacity(self.graph.edge_count() * 2);
        for e in self.graph.edge_references() {
            let (s, t, w) = (
                e.source().index(),
                e.target().index(),
                e.weight().weight as f64,
            );
            out.push((s, t, w));
            if !self.directed {
                out.push((t, s, w));
            }
        }
        out
    }

    /// PageRank by power iteration over edges, O(iterations · (V + E)); petgraph's own
    /// `page_rank` is O(V²·E) and unusable past a few thousand nodes.
    pub(crate) fn page_rank(&self, damping: f64, iterations: usize) -> Vec<f64> {
        let n = self.graph.node_count();
        if n == 0 {
            return Vec::new();
        }
        let walks = self.walks();
        let mut out_weight = vec![0.0; n];
        for &(s, _, w) in &walks {
            out_weight[s] += w;
        }
        let mut rank = vec![1.0 / n as f64; n];
        for _ in 0..iterations {
            let dangling: f64 = (0..n)
                .filter(|&v| out_weight[v] == 0.0)
                .map(|v| rank[v])
                .sum();
            let base = (1.0 - damping) / n as f64 + damping * dangling / n as f64;
            let mut next = vec![base; n];
            for &(s, t, w) in &walks {
                next[t] += damping * rank[s] * w / out_weight[s];
            }
            let delta: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
            rank = next;
            if delta < 1e-10 {
                break;
            }
        }
        rank
    }

    /// Louvain modularity class per node (direction ignored). Nodes are handed to Louvain
    /// sorted by IRI, so the classes depend on the graph, not on the order it was built in.
    pub(crate) fn communities(&self) -> Vec<usize> {
        let mut order: Vec<NodeIndex> = self.graph.node_indices().collect();
        order.sort_by(|&a, &b| self.graph[a].id.cmp(&self.graph[b].id));
        let mut position = vec![0; order.len()];
        for (p, n) in order.iter().enumerate() {
            position[n.index()] = p;
        }
        let edges: Vec<(usize, usize, f64)> = self
            .graph
            .edge_references()
            .map(|e| {
                (
                    position[e.source().index()],
                    position[e.target().index()],
                    e.weight().weight as f64,
                )
            })
            .collect();
        let by_position = crate::community::louvain(order.len(), &edges);
        (0..order.len()).map(|n| by_position[position[n]]).collect()
    }
}

/// The `kgx export` graph filters.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Only nodes of these classes.
    pub classes: Option<Vec<Class>>,
    /// Only nodes of these finer types (Province, City …).
    pub types: Option<Vec<String>>,
    /// Only relation edges of these types (other edge kinds are kept).
    pub relations: Option<Vec<RelationType>>,
    /// Only edges at least this heavy.
    pub min_weight: usize,
    /// Only the N nodes with the highest PageRank.
    pub top: Option<usize>,
    /// Only the largest weakly connected component.
    pub giant_component: bool,
    /// Drop nodes left without an edge (applied last).
    pub drop_isolates: bool,
}

/// An entity merged across documents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeMetrics {
    /// Edges at the node, either direction.
    pub degree: usize,
    /// Sum of their weights.
    pub weighted_degree: usize,
    /// PageRank (damping 0.85, 100 iterations).
    pub pagerank: f64,
    /// Louvain modularity class.
    pub community: usize,
}

/// The type of a node or edge attribute, as every graph format declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnType {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// A real number.
    Double,
}

/// A node or edge attribute value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string.
    Text(String),
    /// A count.
    Integer(usize),
    /// A real number.
    Double(f64),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Text(s) => f.write_str(s),
            Value::Integer(n) => write!(f, "{n}"),
            // Shortest text that reads back as the same number: six decimals printed 0.000000 for
            // most PageRanks of a large graph.
            Value::Double(x) => write!(f, "{x}"),
        }
    }
}

/// The node attributes every graph writer writes, in order.
pub(crate) const NODE_COLUMNS: [(&str, ColumnType); 12] = [
    ("class", ColumnType::String),
    ("type", ColumnType::String),
    ("code", ColumnType::String),
    ("scope", ColumnType::String),
    ("mentions", ColumnType::Integer),
    ("documents", ColumnType::Integer),
    ("degree", ColumnType::Integer),
    ("weighted_degree", ColumnType::Integer),
    ("pagerank", ColumnType::Double),
    ("community", ColumnType::Integer),
    ("first_seen", ColumnType::String),
    ("last_seen", ColumnType::String),
];

/// The edge attributes every graph writer writes, in order.
pub(crate) const EDGE_COLUMNS: [(&str, ColumnType); 5] = [
    ("relation", ColumnType::String),
    ("documents", ColumnType::Integer),
    ("jaccard", ColumnType::Double),
    ("first_seen", ColumnType::String),
    ("last_seen", ColumnType::String),
];

/// A graph with its metrics computed once, for the writers.
pub struct View<'a> {
    /// The graph shown.
    pub graph: &'a KnowledgeGraph,
    /// Each node's figures, by node index.
    pub metrics: Vec<NodeMetrics>,
    /// The highest PageRank, for sizes.
    pub max_pagerank: f64,
}

impl<'a> View<'a> {
    /// Computes the metrics of a graph once for every writer.
    pub fn new(graph: &'a KnowledgeGraph) -> View<'a> {
        let degrees = graph.degrees();
        let ranks = graph.page_rank(0.85, 100);
        let communities = graph.communities();
        let metrics: Vec<NodeMetrics> = (0..graph.graph.node_count())
            .map(|i| NodeMetrics {
                degree: degrees[i].0,
                weighted_degree: degrees[i].1,
                pagerank: ranks[i],
                community: communities[i],
            })
            .collect();
        let max_pagerank = ranks.iter().copied().fold(0.0, f64::max);
        View {
            graph,
            metrics,
            max_pagerank,
        }
    }

    /// Values in `NODE_COLUMNS` order; None where a node has no value (no code, no date).
    pub(crate) fn node_values(&self, n: NodeIndex) -> [Option<Value>; 12] {
        let node = &self.graph.graph[n];
        let m = self.metrics[n.index()];
        [
            Some(Value::Text(node.class.as_str().to_string())),
            Some(Value::Text(node.kind.clone())),
            node.code.clone().map(Value::Text),
            node.scope.clone().map(Value::Text),
            Some(Value::Integer(node.mentions)),
            Some(Value::Integer(node.documents.len())),
            Some(Value::Integer(m.degree)),
            Some(Value::Integer(m.weighted_degree)),
            Some(Value::Double(m.pagerank)),
            Some(Value::Integer(m.community)),
            node.first_seen.clone().map(Value::Text),
            node.last_seen.clone().map(Value::Text),
        ]
    }

    /// Values in `EDGE_COLUMNS` order.
    pub(crate) fn edge_values(&self, edge: &Edge) -> [Option<Value>; 5] {
        [
            Some(Value::Text(edge.kind.as_str().to_string())),
            Some(Value::Integer(edge.documents.len())),
            edge.jaccard.map(Value::Double),
            edge.first_seen.clone().map(Value::Text),
            edge.last_seen.clone().map(Value::Text),
        ]
    }

    /// Node size for viewers: 5–50 by the square root of PageRank relative to the largest, so
    /// area grows with rank.
    pub fn size(&self, n: NodeIndex) -> f64 {
        let rank = self.metrics[n.index()].pagerank;
        5.0 + 45.0 * (rank / self.max_pagerank.max(f64::MIN_POSITIVE)).sqrt()
    }
}

/// RGB per class: a qualitative palette (ColorBrewer Set1) that stays distinct for 5 classes.
pub(crate) fn class_colour(class: Class) -> (u8, u8, u8) {
    match class {
        Class::Place => (55, 126, 184),
        Class::Organization => (228, 26, 28),
        Class::Program => (77, 175, 74),
        Class::Document => (152, 78, 163),
        Class::Person => (255, 127, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kgx_core::model::{EntityOut, RelationOut};

    fn entity(id: &str, class: Class) -> EntityOut {
        EntityOut {
            id: id.into(),
            class,
            kind: "T".into(),
            label: id.into(),
            names: vec![id.into()],
            code: None,
            scope: None,
            valid_from: None,
            valid_to: None,
            replaced_by: Vec::new(),
            mentions: vec![],
        }
    }

    fn doc(name: &str, date: &str) -> Extraction {
        Extraction {
            doc: name.into(),
            sha256: String::new(),
            chars: 0,
            date: Some(date.into()),
            entities: vec![
                entity("a", Class::Organization),
                entity("b", Class::Document),
            ],
            relations: vec![RelationOut {
                kind: RelationType::Issued,
                subject: "a".into(),
                object: "b".into(),
                rule: "r".into(),
                evidence: vec![],
            }],
            sentences: Vec::new(),
            paragraphs: Vec::new(),
        }
    }

    #[test]
    fn merges_nodes_and_counts_documents() {
        let docs = [doc("y.txt", "2017"), doc("x.txt", "1954")];
        let g = KnowledgeGraph::from_extractions(&docs);
        assert_eq!(g.graph.node_count(), 2);
        assert_eq!(g.graph.edge_count(), 1);
        let e = g.graph.edge_weights().next().unwrap();
        assert_eq!(
            (e.weight, e.first_seen.as_deref(), e.last_seen.as_deref()),
            (2, Some("1954"), Some("2017"))
        );
        let pr = g.page_rank(0.85, 100);
        assert!(pr[1] > pr[0]);
        assert!((pr.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    fn mention(start: usize) -> kgx_core::model::MentionOut {
        kgx_core::model::MentionOut {
            start,
            end: start + 1,
            text: "x".into(),
            rule: "r".into(),
        }
    }

    #[test]
    fn cooccurrence_counts_shared_windows() {
        let mut x = doc("x.txt", "2001");
        x.entities[0].mentions = vec![mention(0), mention(10)];
        x.entities[1].mentions = vec![mention(2), mention(12)];
        x.entities.push(entity("c", Class::Place));
        x.entities[2].mentions = vec![mention(20)];
        let spans = [
            Span { start: 0, end: 5 },
            Span { start: 10, end: 15 },
            Span { start: 20, end: 25 },
        ];
        let g = KnowledgeGraph::cooccurrence([&x], |_| Some(&spans[..]));
        assert!(!g.directed);
        assert_eq!((g.graph.node_count(), g.graph.edge_count()), (3, 1));
        let e = g.graph.edge_weights().next().unwrap();
        assert_eq!((e.kind, e.weight), (EdgeKind::CoOccurrence, 2));
        let pr = g.page_rank(0.85, 100);
        assert!((pr[0] - pr[1]).abs() < 1e-12);
    }

    #[test]
    fn filters_apply_in_order() {
        let mut other = doc("z.txt", "2010");
        other.entities = vec![entity("c", Class::Place), entity("d", Class::Place)];
        other.relations[0].subject = "c".into();
        other.relations[0].object = "d".into();
        let docs = [doc("x.txt", "1954"), doc("y.txt", "1960"), other];
        let g = KnowledgeGraph::from_extractions(&docs);
        assert_eq!(g.components(), vec![0, 0, 2, 2]);
        let only = |f: Filters| {
            let g = g.filtered(&f);
            let ids: Vec<String> = g.graph.node_weights().map(|n| n.id.clone()).collect();
            (ids, g.graph.edge_count())
        };
        let places = Filters {
            classes: Some(vec![Class::Place]),
            ..Filters::default()
        };
        assert_eq!(only(places), (vec!["c".into(), "d".into()], 1));
        let heavy = Filters {
            min_weight: 2,
            giant_component: true,
            ..Filters::default()
        };
        assert_eq!(only(heavy), (vec!["a".into(), "b".into()], 1));
        let top = Filters {
            top: Some(1),
            ..Filters::default()
        };
        assert_eq!(only(top).0.len(), 1);
        let communities = g.communities();
        assert_eq!(communities[0], communities[1]);
        assert_ne!(communities[0], communities[2]);
    }

    /// Three provinces' reports: 浙江 and 江苏 both implement P1 and P2, 江苏 and 上海 share P2,
    /// and 上海 also implements P3; 宁波市 (a City) implements P1; one issued relation is no
    /// implementing.
    #[test]
    fn projection_links_provinces_by_shared_programs() {
        fn report(name: &str, date: &str, place: (&str, &str), programs: &[&str]) -> Extraction {
            let mut entities = vec![EntityOut {
                kind: place.1.into(),
                ..entity(place.0, Class::Place)
            }];
            entities.extend(programs.iter().map(|p| entity(p, Class::Program)));
            entities.push(entity("report", Class::Document));
            let mut relations: Vec<RelationOut> = programs
                .iter()
                .map(|p| RelationOut {
                    kind: RelationType::Implements,
                    subject: place.0.into(),
                    object: p.to_string(),
                    rule: "r".into(),
                    evidence: vec![],
                })
                .collect();
            relations.push(RelationOut {
                kind: RelationType::Issued,
                subject: place.0.into(),
                object: "report".into(),
                rule: "r".into(),
                evidence: vec![],
            });
            Extraction {
                entities,
                relations,
                ..doc(name, date)
            }
        }
        let docs = [
            report(
                "zj.txt",
                "2026-01-20",
                ("浙江省", "Province"),
                &["P1", "P2"],
            ),
            report(
                "js.txt",
                "2026-02-03",
                ("江苏省", "Province"),
                &["P1", "P2"],
            ),
            report(
                "sh.txt",
                "2026-02-05",
                ("上海市", "Province"),
                &["P2", "P3"],
            ),
            report("nb.txt", "2026-01-10", ("宁波市", "City"), &["P1"]),
        ];
        let g = KnowledgeGraph::from_extractions(&docs);
        let provinces = g.projection(
            Class::Place,
            &["Province".to_string()],
            &[RelationType::Implements],
        );
        assert!(!provinces.directed);
        let mut edges: Vec<(String, String, usize, String, usize, String, String)> = provinces
            .graph
            .edge_references()
            .map(|e| {
                let w = e.weight();
                (
                    provinces.graph[e.source()].label.clone(),
                    provinces.graph[e.target()].label.clone(),
                    w.weight,
                    format!("{:.3}", w.jaccard.unwrap_or(-1.0)),
                    w.documents.len(),
                    w.first_seen.clone().unwrap_or_default(),
                    w.last_seen.clone().unwrap_or_default(),
                )
            })
            .collect();
        edges.sort();
        let row = |a: &str, b: &str, w, j: &str, d, f: &str, l: &str| {
            (
                a.to_string(),
                b.to_string(),
                w,
                j.to_string(),
                d,
                f.to_string(),
                l.to_string(),
            )
        };
        // Nodes in IRI order: 上海市 < 江苏省 < 浙江省.
        assert_eq!(
            edges,
            vec![
                row(
                    "上海市",
                    "江苏省",
                    1,
                    "0.333",
                    2,
                    "2026-02-03",
                    "2026-02-05"
                ),
                row(
                    "上海市",
                    "浙江省",
                    1,
                    "0.333",
                    2,
                    "2026-01-20",
                    "2026-02-05"
                ),
                row(
                    "江苏省",
                    "浙江省",
                    2,
                    "1.000",
                    2,
                    "2026-01-20",
                    "2026-02-03"
                ),
            ]
        );
        assert_eq!(provinces.graph.node_count(), 3);
        // All places, and a filter that leaves 宁波市 alone with its one program.
        let places = g.projection(Class::Place, &[], &[RelationType::Implements]);
        assert_eq!(places.graph.node_count(), 4);
        assert_eq!(places.graph.edge_count(), 5);
        let via_issued = g.projection(Class::Place, &[], &[RelationType::Issued]);
        let kept = via_issued.filtered(&Filters {
            drop_isolates: true,
            ..Filters::default()
        });
        // All four issued the same "report" entity: every pair shares it.
        assert_eq!((kept.graph.node_count(), kept.graph.edge_count()), (4, 6));
        let nothing_shared = g.projection(Class::Program, &[], &[RelationType::Issued]);
        let kept = nothing_shared.filtered(&Filters {
            drop_isolates: true,
            ..Filters::default()
        });
        assert_eq!(kept.graph.node_count(), 0);
    }
}
