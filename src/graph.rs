//! Stage 5: per-document extractions → one graph (petgraph) merged across documents.
//! Nodes are entities keyed by IRI; edges are relations keyed by (subject, object, type), so
//! relations of different types between the same pair stay distinct.

use crate::model::{Class, Extraction, RelationType};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    pub class: Class,
    pub kind: String,
    pub label: String,
    pub names: BTreeSet<String>,
    pub code: Option<String>,
    pub mentions: usize,
    pub documents: BTreeSet<String>,
    /// Earliest and latest document date naming it (YYYY or YYYY-MM-DD).
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Edge {
    pub kind: RelationType,
    /// Number of documents stating it (each document states a relation once).
    pub weight: usize,
    pub documents: BTreeSet<String>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

#[derive(Debug, Default)]
pub struct KnowledgeGraph {
    pub graph: DiGraph<Node, Edge>,
    by_id: HashMap<String, NodeIndex>,
    by_edge: HashMap<(NodeIndex, NodeIndex, RelationType), petgraph::graph::EdgeIndex>,
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

impl KnowledgeGraph {
    /// Merges extractions; the result does not depend on their order.
    pub fn from_extractions<'a>(
        extractions: impl IntoIterator<Item = &'a Extraction>,
    ) -> KnowledgeGraph {
        let mut sorted: Vec<&Extraction> = extractions.into_iter().collect();
        sorted.sort_by(|a, b| a.doc.cmp(&b.doc));
        let mut g = KnowledgeGraph::default();
        for x in sorted {
            g.add(x);
        }
        g
    }

    pub fn add(&mut self, x: &Extraction) {
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
            node.names.extend(e.names.iter().cloned());
            node.mentions += e.mentions.len();
            node.documents.insert(x.doc.clone());
            widen(&mut node.first_seen, &mut node.last_seen, x.date.as_ref());
        }
        for r in &x.relations {
            let (Some(&s), Some(&o)) = (self.by_id.get(&r.subject), self.by_id.get(&r.object))
            else {
                continue;
            };
            let idx = *self.by_edge.entry((s, o, r.kind)).or_insert_with(|| {
                self.graph.add_edge(
                    s,
                    o,
                    Edge {
                        kind: r.kind,
                        weight: 0,
                        documents: BTreeSet::new(),
                        first_seen: None,
                        last_seen: None,
                    },
                )
            });
            let edge = &mut self.graph[idx];
            if edge.documents.insert(x.doc.clone()) {
                edge.weight += 1;
            }
            widen(&mut edge.first_seen, &mut edge.last_seen, x.date.as_ref());
        }
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.by_id.get(id).map(|&i| &self.graph[i])
    }

    /// Degree and weighted degree per node, in node-index order.
    pub fn degrees(&self) -> Vec<(usize, usize)> {
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

    /// PageRank by power iteration over edges, O(iterations · (V + E)); petgraph's own
    /// `page_rank` is O(V²·E) and unusable past a few thousand nodes.
    pub fn page_rank(&self, damping: f64, iterations: usize) -> Vec<f64> {
        let n = self.graph.node_count();
        if n == 0 {
            return Vec::new();
        }
        let out_weight: Vec<f64> = self
            .graph
            .node_indices()
            .map(|v| self.graph.edges(v).map(|e| e.weight().weight as f64).sum())
            .collect();
        let mut rank = vec![1.0 / n as f64; n];
        for _ in 0..iterations {
            let dangling: f64 = (0..n)
                .filter(|&v| out_weight[v] == 0.0)
                .map(|v| rank[v])
                .sum();
            let base = (1.0 - damping) / n as f64 + damping * dangling / n as f64;
            let mut next = vec![base; n];
            for e in self.graph.edge_references() {
                let (s, t) = (e.source().index(), e.target().index());
                next[t] += damping * rank[s] * e.weight().weight as f64 / out_weight[s];
            }
            let delta: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
            rank = next;
            if delta < 1e-10 {
                break;
            }
        }
        rank
    }
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
            names: vec![id.into()],
            code: None,
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
}
