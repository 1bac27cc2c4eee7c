//! Stage 6b: the merged graph → GEXF 1.3 for Gephi. Colours by class and sizes by PageRank so
//! the first view is readable; every relation type has its own edge `kind` so Gephi keeps
//! parallel edges of different types apart; weights are ≥ 1 (Gephi drops weight-0 edges).

use crate::graph::KnowledgeGraph;
use crate::model::Class;
use petgraph::visit::EdgeRef;
use quick_xml::escape::escape;
use std::fmt::Write as _;

/// RGB per class: a qualitative palette (ColorBrewer Set1) that stays distinct for 5 classes.
pub fn class_colour(class: Class) -> (u8, u8, u8) {
    match class {
        Class::Place => (55, 126, 184),
        Class::Organization => (228, 26, 28),
        Class::Program => (77, 175, 74),
        Class::Document => (152, 78, 163),
        Class::Person => (255, 127, 0),
    }
}

const NODE_ATTRIBUTES: [(&str, &str); 10] = [
    ("class", "string"),
    ("type", "string"),
    ("code", "string"),
    ("mentions", "integer"),
    ("documents", "integer"),
    ("degree", "integer"),
    ("weighted_degree", "integer"),
    ("pagerank", "double"),
    ("first_seen", "string"),
    ("last_seen", "string"),
];

const EDGE_ATTRIBUTES: [(&str, &str); 3] = [
    ("relation", "string"),
    ("documents", "integer"),
    ("first_seen", "string"),
];

pub fn write_gexf(graph: &KnowledgeGraph) -> String {
    let g = &graph.graph;
    let degrees = graph.degrees();
    let ranks = graph.page_rank(0.85, 100);
    let max_rank = ranks
        .iter()
        .copied()
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let mut out = String::with_capacity(256 * (g.node_count() + g.edge_count()) + 2048);
    out.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" version=\"1.3\">\n",
        "  <meta>\n    <creator>kgx</creator>\n",
        "    <description>Knowledge graph extracted from Chinese policy text by kgx</description>\n",
        "  </meta>\n",
        "  <graph defaultedgetype=\"directed\" mode=\"static\">\n",
    ));
    write_attribute_decls(&mut out, "node", &NODE_ATTRIBUTES);
    write_attribute_decls(&mut out, "edge", &EDGE_ATTRIBUTES);
    let _ = writeln!(out, "    <nodes count=\"{}\">", g.node_count());
    for n in g.node_indices() {
        let node = &g[n];
        let (degree, weighted) = degrees[n.index()];
        let rank = ranks[n.index()];
        let _ = writeln!(
            out,
            "      <node id=\"{}\" label=\"{}\">",
            escape(&node.id),
            escape(&node.label)
        );
        out.push_str("        <attvalues>\n");
        let values = [
            ("class", node.class.as_str().to_string()),
            ("type", node.kind.clone()),
            ("code", node.code.clone().unwrap_or_default()),
            ("mentions", node.mentions.to_string()),
            ("documents", node.documents.len().to_string()),
            ("degree", degree.to_string()),
            ("weighted_degree", weighted.to_string()),
            ("pagerank", format!("{rank:.6}")),
            ("first_seen", node.first_seen.clone().unwrap_or_default()),
            ("last_seen", node.last_seen.clone().unwrap_or_default()),
        ];
        write_values(&mut out, &values);
        out.push_str("        </attvalues>\n");
        let (r, gr, b) = class_colour(node.class);
        let _ = writeln!(out, "        <viz:color r=\"{r}\" g=\"{gr}\" b=\"{b}\"/>");
        let _ = writeln!(
            out,
            "        <viz:size value=\"{:.2}\"/>",
            5.0 + 45.0 * (rank / max_rank).sqrt()
        );
        out.push_str("      </node>\n");
    }
    out.push_str("    </nodes>\n");
    let _ = writeln!(out, "    <edges count=\"{}\">", g.edge_count());
    for e in g.edge_references() {
        let edge = e.weight();
        let kind = edge.kind.as_str();
        let _ = writeln!(
            out,
            "      <edge id=\"{}\" source=\"{}\" target=\"{}\" label=\"{kind}\" kind=\"{kind}\" weight=\"{}\">",
            e.id().index(),
            escape(&g[e.source()].id),
            escape(&g[e.target()].id),
            edge.weight.max(1)
        );
        out.push_str("        <attvalues>\n");
        let values = [
            ("relation", kind.to_string()),
            ("documents", edge.documents.len().to_string()),
            ("first_seen", edge.first_seen.clone().unwrap_or_default()),
        ];
        write_values(&mut out, &values);
        out.push_str("        </attvalues>\n      </edge>\n");
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}

fn write_attribute_decls(out: &mut String, class: &str, attrs: &[(&str, &str)]) {
    let _ = writeln!(out, "    <attributes class=\"{class}\" mode=\"static\">");
    for (id, kind) in attrs {
        let _ = writeln!(
            out,
            "      <attribute id=\"{id}\" title=\"{id}\" type=\"{kind}\"/>"
        );
    }
    out.push_str("    </attributes>\n");
}

fn write_values(out: &mut String, values: &[(&str, String)]) {
    for (id, value) in values {
        if !value.is_empty() {
            let _ = writeln!(
                out,
                "          <attvalue for=\"{id}\" value=\"{}\"/>",
                escape(value.as_str())
            );
        }
    }
}
