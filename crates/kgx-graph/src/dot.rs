//! The merged graph → Graphviz DOT, for a picture rather than for analysis: nodes filled with
//! their class colour and labelled with their canonical name, the label's font size (and so the
//! node) growing with PageRank, edge width with weight, and a colour key as the graph's label.
//! Layout is left to the renderer (`sfdp`, `neato`; see scripts/render-graph.sh). Tooltips carry
//! the figures the GEXF has as attributes, so an SVG rendering shows them on hover. A graph of
//! one class (a projection: provinces linked by shared programs) is coloured by Louvain
//! community instead, the key naming each community's largest member.

use crate::graph::{class_colour, View};
use kgx_core::model::Class;
use petgraph::visit::EdgeRef;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// A DOT double-quoted string: backslash and double quote escaped, line breaks as `\n`.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn hex((r, g, b): Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

type Rgb = (u8, u8, u8);

/// The colour key: one coloured cell and name per entry, as an HTML-like label.
fn legend(entries: &[(Rgb, String)]) -> String {
    let mut cells = String::new();
    for (colour, name) in entries {
        let _ = write!(
            cells,
            "<td bgcolor=\"{}\" width=\"14\" height=\"14\"></td><td align=\"left\">{} </td>",
            hex(*colour),
            html_escape::encode_text(name)
        );
    }
    format!("<<table border=\"0\" cellspacing=\"4\"><tr>{cells}</tr></table>>")
}

/// Colours for communities (ColorBrewer Set2, then Dark2), repeating past 16.
const COMMUNITY_COLOURS: [Rgb; 16] = [
    (102, 194, 165),
    (252, 141, 98),
    (141, 160, 203),
    (231, 138, 195),
    (166, 216, 84),
    (255, 217, 47),
    (229, 196, 148),
    (179, 179, 179),
    (27, 158, 119),
    (217, 95, 2),
    (117, 112, 179),
    (231, 41, 138),
    (102, 166, 30),
    (230, 171, 2),
    (166, 118, 29),
    (102, 102, 102),
];

/// Each node's fill and the key: by class, or by community when all nodes share one class.
fn fills(view: &View) -> (Vec<Rgb>, Vec<(Rgb, String)>) {
    let g = &view.graph.graph;
    let classes: BTreeSet<Class> = g.node_weights().map(|n| n.class).collect();
    if classes.len() != 1 {
        let fill = g.node_weights().map(|n| class_colour(n.class)).collect();
        let key = classes
            .iter()
            .map(|&c| (class_colour(c), c.as_str().to_string()))
            .collect();
        return (fill, key);
    }
    // Communities in order of first appearance; each named by its highest-PageRank member.
    let mut order: Vec<usize> = Vec::new();
    for m in &view.metrics {
        if !order.contains(&m.community) {
            order.push(m.community);
        }
    }
    let colour = |community: usize| {
        let i = order.iter().position(|&c| c == community).unwrap_or(0);
        COMMUNITY_COLOURS[i % COMMUNITY_COLOURS.len()]
    };
    let fill = view.metrics.iter().map(|m| colour(m.community)).collect();
    let key = order
        .iter()
        .map(|&community| {
            let members = g
                .node_indices()
                .filter(|n| view.metrics[n.index()].community == community);
            let count = members.clone().count();
            let top = members
                .max_by(|a, b| {
                    view.metrics[a.index()]
                        .pagerank
                        .total_cmp(&view.metrics[b.index()].pagerank)
                })
                .map_or("", |n| g[n].label.as_str());
            (
                colour(community),
                format!("{top} +{}", count.saturating_sub(1)),
            )
        })
        .collect();
    (fill, key)
}

/// The DOT text of a view.
pub fn write(view: &View) -> String {
    let kg = view.graph;
    let g = &kg.graph;
    let (keyword, arrow) = if kg.directed {
        ("digraph", "->")
    } else {
        ("graph", "--")
    };
    let mut out = String::with_capacity(256 * (g.node_count() + g.edge_count()) + 1024);
    let _ = writeln!(out, "{keyword} kgx {{");
    let (fill, key) = fills(view);
    let _ = writeln!(
        out,
        "  graph [overlap=false, splines=true, outputorder=edgesfirst, bgcolor=\"white\", \
         pad=0.3, fontname=\"sans-serif\", fontsize=14, labelloc=b, label={}];",
        legend(&key)
    );
    out.push_str(
        "  node [shape=ellipse, style=\"filled\", color=\"#ffffff\", penwidth=0.8, \
         fontname=\"sans-serif\", fontcolor=\"#111111\", margin=\"0.06,0.03\"];\n",
    );
    let _ = writeln!(
        out,
        "  edge [color=\"#8c8c8c99\", arrowsize=0.5{}];",
        if kg.directed { "" } else { ", dir=none" }
    );
    for n in g.node_indices() {
        let node = &g[n];
        let m = view.metrics[n.index()];
        let size = view.size(n);
        let (r, gr, b) = fill[n.index()];
        // Light text on the darker fills (red, blue, purple), dark text on the lighter ones.
        let luminance = 0.299 * f64::from(r) + 0.587 * f64::from(gr) + 0.114 * f64::from(b);
        let font = if luminance < 140.0 {
            "#ffffff"
        } else {
            "#111111"
        };
        let tooltip = format!(
            "{} ({} {}): PageRank {:.4}, degree {}, {} documents, community {}",
            node.label,
            node.class.as_str(),
            node.kind,
            m.pagerank,
            m.degree,
            node.documents.len(),
            m.community
        );
        let _ = writeln!(
            out,
            "  {} [label={}, class={}, fillcolor=\"{}\", fontcolor=\"{font}\", fontsize={:.1}, tooltip={}];",
            quoted(&node.id),
            quoted(&node.label),
            quoted(node.class.as_str()),
            hex((r, gr, b)),
            // 5–50 from View::size → 8–26 pt.
            6.0 + 0.4 * size,
            quoted(&tooltip)
        );
    }
    for e in g.edge_references() {
        let edge = e.weight();
        let _ = writeln!(
            out,
            "  {} {arrow} {} [penwidth={:.2}, weight={}, tooltip={}];",
            quoted(&g[e.source()].id),
            quoted(&g[e.target()].id),
            0.6 + (edge.weight as f64).ln(),
            edge.weight.max(1),
            quoted(&format!(
                "{} ({}×, {} documents)",
                edge.kind.as_str(),
                edge.weight,
                edge.documents.len()
            ))
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::KnowledgeGraph;
    use kgx_core::model::{EntityOut, Extraction, RelationOut, RelationType};

    fn entity(id: &str, label: &str, class: Class) -> EntityOut {
        EntityOut {
            id: id.into(),
            class,
            kind: "T".into(),
            label: label.into(),
            names: vec![label.into()],
            code: None,
            scope: None,
            valid_from: None,
            valid_to: None,
            replaced_by: Vec::new(),
            mentions: vec![],
        }
    }

    #[test]
    fn quotes_and_colours() {
        let x = Extraction {
            doc: "x.txt".into(),
            sha256: String::new(),
            chars: 0,
            date: None,
            entities: vec![
                entity("https://e/a", "国务院", Class::Organization),
                entity("https://e/b", "关于\"互联网+\"的意见\\", Class::Document),
            ],
            relations: vec![RelationOut {
                kind: RelationType::Issued,
                subject: "https://e/a".into(),
                object: "https://e/b".into(),
                rule: "r".into(),
                evidence: vec![],
            }],
            sentences: Vec::new(),
            paragraphs: Vec::new(),
        };
        let g = KnowledgeGraph::from_extractions([&x]);
        let dot = write(&View::new(&g));
        assert!(dot.starts_with("digraph kgx {\n"));
        assert!(dot.contains(
            r##""https://e/a" [label="国务院", class="Organization", fillcolor="#e41a1c""##
        ));
        assert!(dot.contains(r#"label="关于\"互联网+\"的意见\\""#));
        assert!(dot.contains(r#""https://e/a" -> "https://e/b" [penwidth=0.60, weight=1"#));
        assert!(dot.contains("issued (1×, 1 documents)"));
        assert!(dot.trim_end().ends_with('}'));
    }
}
