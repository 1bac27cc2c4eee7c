//! Louvain modularity classes (Blondel et al. 2008) for Gephi's `community` attribute.
//!
//! Deterministic by construction: nodes are visited in index order, ties between candidate
//! communities go to the lowest community id, and a move needs a strictly positive gain, so the
//! same graph (in the same node order) always gets the same partition. Callers that want the
//! partition to be independent of how the graph was built pass nodes in a canonical order.

use std::collections::BTreeMap;

/// An undirected weighted graph with `n` nodes; edges as (u, v, weight), self-loops allowed.
#[derive(Debug, Clone)]
struct Level {
    n: usize,
    /// Adjacency as (neighbour, weight); a self-loop appears once with its full weight.
    adj: Vec<Vec<(usize, f64)>>,
}

impl Level {
    fn new(n: usize, edges: &[(usize, usize, f64)]) -> Level {
        // Merge parallel edges so each neighbour is weighed once per node.
        let mut merged: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); n];
        for &(u, v, w) in edges {
            if u >= n || v >= n || w <= 0.0 {
                continue;
            }
            *merged[u].entry(v).or_default() += w;
            if u != v {
                *merged[v].entry(u).or_default() += w;
            }
        }
        Level {
            n,
            adj: merged
                .into_iter()
                .map(|m| m.into_iter().collect())
                .collect(),
        }
    }

    /// Weighted degree; a self-loop counts twice, as in the modularity formula.
    fn strength(&self, v: usize) -> f64 {
        self.adj[v]
            .iter()
            .map(|&(u, w)| if u == v { 2.0 * w } else { w })
            .sum()
    }

    /// One pass of local moving; the community of every node, renumbered 0..k in order of
    /// first appearance. None when no node moved.
    fn local_moving(&self) -> Option<Vec<usize>> {
        let strength: Vec<f64> = (0..self.n).map(|v| self.strength(v)).collect();
        let two_m: f64 = strength.iter().sum();
        if two_m == 0.0 {
            return None;
        }
        let mut community: Vec<usize> = (0..self.n).collect();
        let mut total: Vec<f64> = strength.clone();
        let mut moved_any = false;
        loop {
            let mut moved = false;
            for v in 0..self.n {
                let own = community[v];
                // Weight from v to each neighbouring community, excluding self-loops.
                let mut links: BTreeMap<usize, f64> = BTreeMap::new();
                links.insert(own, 0.0);
                for &(u, w) in &self.adj[v] {
                    if u != v {
                        *links.entry(community[u]).or_default() += w;
                    }
                }
                total[own] -= strength[v];
                let gain = |c: usize, k_in: f64| k_in - total[c] * strength[v] / two_m;
                let mut best = (own, gain(own, links[&own]));
                for (&c, &k_in) in &links {
                    let g = gain(c, k_in);
                    if g > best.1 + 1e-12 {
                        best = (c, g);
                    }
                }
                total[best.0] += strength[v];
                if best.0 != own {
                    community[v] = best.0;
                    moved = true;
                    moved_any = true;
                }
            }
            if !moved {
                break;
            }
        }
        moved_any.then(|| renumber(&community))
    }

    fn aggregate(&self, community: &[usize]) -> Level {
        let k = community.iter().max().map_or(0, |&c| c + 1);
        let mut edges = Vec::new();
        for v in 0..self.n {
            for &(u, w) in &self.adj[v] {
                // Each undirected edge is stored at both ends; keep it once.
                if u >= v {
                    edges.push((community[v], community[u], w));
                }
            }
        }
        Level::new(k, &edges)
    }
}

fn renumber(community: &[usize]) -> Vec<usize> {
    let mut ids: BTreeMap<usize, usize> = BTreeMap::new();
    let mut order = Vec::with_capacity(community.len());
    for &c in community {
        let next = ids.len();
        order.push(*ids.entry(c).or_insert(next));
    }
    order
}

/// The community of each of `n` nodes, numbered 0.. in order of each community's first node.
/// Isolated nodes get a community of their own.
pub(crate) fn louvain(n: usize, edges: &[(usize, usize, f64)]) -> Vec<usize> {
    let mut level = Level::new(n, edges);
    let mut membership: Vec<usize> = (0..n).collect();
    while let Some(community) = level.local_moving() {
        for m in &mut membership {
            *m = community[*m];
        }
        level = level.aggregate(&community);
    }
    renumber(&membership)
}

/// Newman's modularity of a partition, for tests.
#[cfg(test)]
fn modularity(n: usize, edges: &[(usize, usize, f64)], community: &[usize]) -> f64 {
    let level = Level::new(n, edges);
    let strength: Vec<f64> = (0..n).map(|v| level.strength(v)).collect();
    let two_m: f64 = strength.iter().sum();
    if two_m == 0.0 {
        return 0.0;
    }
    let k = community.iter().max().map_or(0, |&c| c + 1);
    let mut inside = vec![0.0; k];
    let mut total = vec![0.0; k];
    for v in 0..n {
        total[community[v]] += strength[v];
        for &(u, w) in &level.adj[v] {
            if community[u] == community[v] {
                inside[community[v]] += if u == v { 2.0 * w } else { w };
            }
        }
    }
    (0..k)
        .map(|c| inside[c] / two_m - (total[c] / two_m).powi(2))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clique(nodes: std::ops::Range<usize>) -> Vec<(usize, usize, f64)> {
        let mut edges = Vec::new();
        for u in nodes.clone() {
            for v in u + 1..nodes.end {
                edges.push((u, v, 1.0));
            }
        }
        edges
    }

    #[test]
    fn two_cliques_joined_by_one_edge_are_two_communities() {
        let mut edges = clique(0..5);
        edges.extend(clique(5..10));
        edges.push((4, 5, 1.0));
        let c = louvain(10, &edges);
        assert_eq!(c, vec![0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
        let q = modularity(10, &edges, &c);
        // Two 10-edge cliques + 1 bridge: Q = 2·(10/21 − (21/42)²) ≈ 0.452.
        assert!((q - 0.452_380_952).abs() < 1e-6, "{q}");
        assert!(q > modularity(10, &edges, &[0; 10]));
    }

    #[test]
    fn deterministic_and_handles_isolated_nodes() {
        let mut edges = clique(0..4);
        edges.extend(clique(5..9));
        edges.push((3, 5, 1.0));
        let a = louvain(10, &edges);
        assert_eq!(a, louvain(10, &edges));
        assert_eq!(a[4], 1, "isolated node 4 is alone: {a:?}");
        assert_eq!(a[9], 3, "isolated node 9 is alone: {a:?}");
        assert!(a[0..4].iter().all(|&c| c == 0));
        assert!(a[5..9].iter().all(|&c| c == 2));
    }

    #[test]
    fn empty_graph() {
        assert!(louvain(0, &[]).is_empty());
        assert_eq!(louvain(2, &[]), vec![0, 1]);
    }
}
