//! The merged graph → GraphML (yEd, Cytoscape, networkx), with the same attributes as the
//! GEXF plus `label`, `color` (#rrggbb by class) and `size` (by PageRank), which GraphML has no
//! standard place for.

use crate::graph::{class_colour, ColumnType, View, EDGE_COLUMNS, NODE_COLUMNS};
use petgraph::visit::EdgeRef;
use quick_xml::escape::escape;
use std::fmt::Write as _;

fn graphml_type(t: ColumnType) -> &'static str {
    match t {
        ColumnType::String => "string",
        ColumnType::Integer => "int",
        ColumnType::Double => "double",
    }
}

/// Key ids are global in GraphML, so node and edge keys get distinct prefixes.
fn key(out: &mut String, domain: &str, name: &str, t: ColumnType) {
    let _ = writeln!(
        out,
        "  <key id=\"{}_{name}\" for=\"{domain}\" attr.name=\"{name}\" attr.type=\"{}\"/>",
        &domain[..1],
        graphml_type(t)
    );
}

fn data(out: &mut String, domain: &str, name: &str, value: &str) {
    let _ = writeln!(
        out,
        "      <data key=\"{}_{name}\">{}</data>",
        &domain[..1],
        escape(value)
    );
}

/// The GraphML text of a view, with typed keys for every column.
pub fn write(view: &View) -> String {
    let kg = view.graph;
    let g = &kg.graph;
    let mut out = String::with_capacity(512 * (g.node_count() + g.edge_count()) + 2048);
    out.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" ",
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
        "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns ",
        "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    ));
    key(&mut out, "node", "label", ColumnType::String);
    for (name, t) in NODE_COLUMNS {
        key(&mut out, "node", name, t);
    }
    key(&mut out, "node", "color", ColumnType::String);
    key(&mut out, "node", "size", ColumnType::Double);
    key(&mut out, "edge", "label", ColumnType::String);
    key(&mut out, "edge", "weight", ColumnType::Integer);
    for (name, t) in EDGE_COLUMNS {
        key(&mut out, "edge", name, t);
    }
    let edge_default = if kg.directed {
        "directed"
    } else {
        "undirected"
    };
    let _ = writeln!(out, "  <graph id=\"kgx\" edgedefault=\"{edge_default}\">");
    for n in g.node_indices() {
        let node = &g[n];
        let _ = writeln!(out, "    <node id=\"{}\">", escape(&node.id));
        data(&mut out, "node", "label", &node.label);
        for ((name, _), value) in NODE_COLUMNS.iter().zip(view.node_values(n)) {
            if let Some(v) = value {
                data(&mut out, "node", name, &v.to_string());
            }
        }
        let (r, gr, b) = class_colour(node.class);
        data(
            &mut out,
            "node",
            "color",
            &format!("#{r:02x}{gr:02x}{b:02x}"),
        );
        data(&mut out, "node", "size", &format!("{:.2}", view.size(n)));
        out.push_str("    </node>\n");
    }
    for e in g.edge_references() {
        let edge = e.weight();
        let _ = writeln!(
            out,
            "    <edge id=\"e{}\" source=\"{}\" target=\"{}\">",
            e.id().index(),
            escape(&g[e.source()].id),
            escape(&g[e.target()].id)
        );
        data(&mut out, "edge", "label", edge.kind.as_str());
        data(&mut out, "edge", "weight", &edge.weight.max(1).to_string());
        for ((name, _), value) in EDGE_COLUMNS.iter().zip(view.edge_values(edge)) {
            if let Some(v) = value {
                data(&mut out, "edge", name, &v.to_string());
            }
        }
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}
