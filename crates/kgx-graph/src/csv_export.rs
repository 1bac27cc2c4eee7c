//! The merged graph → two CSV tables for Gephi's spreadsheet import (Data Laboratory → Import
//! Spreadsheet): `nodes.csv` with Gephi's `Id`, `Label` columns and `edges.csv` with `Source`,
//! `Target`, `Type`, `Id`, `Label`, `Weight`, each followed by the GEXF attributes.

use crate::graph::{View, EDGE_COLUMNS, NODE_COLUMNS};
use petgraph::visit::EdgeRef;
use std::fmt::Write as _;

/// RFC 4180 quoting, only where a field needs it.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn row(out: &mut String, fields: impl IntoIterator<Item = String>) {
    let line: Vec<String> = fields.into_iter().map(|f| field(&f)).collect();
    let _ = writeln!(out, "{}", line.join(","));
}

/// Gephi's node table: `Id,Label` and the node columns, one row per node.
pub fn nodes(view: &View) -> String {
    let g = &view.graph.graph;
    let mut out = String::new();
    row(
        &mut out,
        ["Id", "Label"]
            .into_iter()
            .chain(NODE_COLUMNS.iter().map(|(name, _)| *name))
            .map(String::from),
    );
    for n in g.node_indices() {
        let values = view.node_values(n);
        row(
            &mut out,
            [g[n].id.clone(), g[n].label.clone()].into_iter().chain(
                values
                    .iter()
                    .map(|v| v.as_ref().map(|v| v.to_string()).unwrap_or_default()),
            ),
        );
    }
    out
}

/// Gephi's edge table: `Source,Target,Type,Id,Label,Weight` and the edge columns.
pub fn edges(view: &View) -> String {
    let g = &view.graph.graph;
    let edge_type = if view.graph.directed {
        "Directed"
    } else {
        "Undirected"
    };
    let mut out = String::new();
    row(
        &mut out,
        ["Source", "Target", "Type", "Id", "Label", "Weight"]
            .into_iter()
            .chain(EDGE_COLUMNS.iter().map(|(name, _)| *name))
            .map(String::from),
    );
    for e in g.edge_references() {
        let edge = e.weight();
        let fixed = [
            g[e.source()].id.clone(),
            g[e.target()].id.clone(),
            edge_type.to_string(),
            e.id().index().to_string(),
            edge.kind.as_str().to_string(),
            edge.weight.max(1).to_string(),
        ];
        let values = view.edge_values(edge);
        row(
            &mut out,
            fixed.into_iter().chain(
                values
                    .iter()
                    .map(|v| v.as_ref().map(|v| v.to_string()).unwrap_or_default()),
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(super::field("国务院"), "国务院");
        assert_eq!(super::field("a,b"), "\"a,b\"");
        assert_eq!(super::field("say \"x\""), "\"say \"\"x\"\"\"");
    }
}
