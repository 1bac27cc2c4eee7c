//! Stage 6b: the merged graph → GEXF 1.3 for Gephi, valid against the 1.3 RELAX NG schema.
//! Colours by class and sizes by PageRank so the first view is readable; every relation type
//! has its own edge `kind` so Gephi keeps parallel edges of different types apart; weights are
//! ≥ 1 (Gephi drops weight-0 edges). With a timeline, nodes and edges carry start/end dates so
//! Gephi's timeline plays the network from the first document to the last.

use crate::graph::{class_colour, ColumnType, KnowledgeGraph, View, EDGE_COLUMNS, NODE_COLUMNS};
use petgraph::visit::EdgeRef;
use quick_xml::escape::escape;
use std::fmt::Write as _;

/// How the GEXF is written.
#[derive(Debug, Clone, Copy, Default)]
pub struct GexfOptions {
    /// `mode="dynamic"` with start/end dates on nodes and edges.
    pub timeline: bool,
}

/// The GEXF of `graph` as `kgx extract` writes it: relations, no timeline.
pub fn write_gexf(graph: &KnowledgeGraph) -> String {
    write(&View::new(graph), GexfOptions::default())
}

fn gexf_type(t: ColumnType) -> &'static str {
    match t {
        ColumnType::String => "string",
        ColumnType::Integer => "integer",
        ColumnType::Double => "double",
    }
}

/// The GEXF 1.3 text of a view.
pub fn write(view: &View, opts: GexfOptions) -> String {
    let kg = view.graph;
    let g = &kg.graph;
    let mut out = String::with_capacity(512 * (g.node_count() + g.edge_count()) + 2048);
    out.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" version=\"1.3\">\n",
        "  <meta>\n    <creator>kgx</creator>\n",
        "    <description>Knowledge graph extracted from Chinese policy text by kgx</description>\n",
        "  </meta>\n",
    ));
    let edge_type = if kg.directed {
        "directed"
    } else {
        "undirected"
    };
    let _ = write!(out, "  <graph defaultedgetype=\"{edge_type}\"");
    if opts.timeline {
        out.push_str(" mode=\"dynamic\" timeformat=\"date\"");
        let first = g
            .node_weights()
            .filter_map(|n| n.first_seen.as_deref())
            .min();
        let last = g
            .node_weights()
            .filter_map(|n| n.last_seen.as_deref())
            .max();
        out.push_str(&time_attributes(first, last));
    } else {
        out.push_str(" mode=\"static\"");
    }
    out.push_str(">\n");
    write_attribute_decls(&mut out, "node", &NODE_COLUMNS);
    write_attribute_decls(&mut out, "edge", &EDGE_COLUMNS);
    if opts.timeline {
        // Gephi reads a dynamic edge attribute `weight` as the edge's weight over time.
        out.push_str(concat!(
            "    <attributes class=\"edge\" mode=\"dynamic\">\n",
            "      <attribute id=\"weight\" title=\"Weight\" type=\"float\"/>\n",
            "    </attributes>\n",
        ));
    }
    let _ = writeln!(out, "    <nodes count=\"{}\">", g.node_count());
    for n in g.node_indices() {
        let node = &g[n];
        let _ = write!(
            out,
            "      <node id=\"{}\" label=\"{}\"",
            escape(&node.id),
            escape(&node.label)
        );
        if opts.timeline {
            out.push_str(&time_attributes(
                node.first_seen.as_deref(),
                node.last_seen.as_deref(),
            ));
        }
        out.push_str(">\n");
        write_values(&mut out, &NODE_COLUMNS, &view.node_values(n), "");
        let (r, gr, b) = class_colour(node.class);
        let _ = writeln!(out, "        <viz:color r=\"{r}\" g=\"{gr}\" b=\"{b}\"/>");
        let _ = writeln!(out, "        <viz:size value=\"{:.2}\"/>", view.size(n));
        out.push_str("      </node>\n");
    }
    out.push_str("    </nodes>\n");
    let _ = writeln!(out, "    <edges count=\"{}\">", g.edge_count());
    for e in g.edge_references() {
        let edge = e.weight();
        let kind = edge.kind.as_str();
        let _ = write!(
            out,
            "      <edge id=\"{}\" source=\"{}\" target=\"{}\" label=\"{kind}\" kind=\"{kind}\" weight=\"{}\"",
            e.id().index(),
            escape(&g[e.source()].id),
            escape(&g[e.target()].id),
            edge.weight.max(1)
        );
        if opts.timeline {
            out.push_str(&time_attributes(
                edge.first_seen.as_deref(),
                edge.last_seen.as_deref(),
            ));
        }
        out.push_str(">\n");
        let growth = if opts.timeline {
            weight_over_time(edge)
        } else {
            String::new()
        };
        write_values(&mut out, &EDGE_COLUMNS, &view.edge_values(edge), &growth);
        out.push_str("      </edge>\n");
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}

/// ` start="…" end="…"` covering the first date's period to the end of the last date's
/// period; empty when either is missing or malformed (the element is then always visible).
fn time_attributes(first: Option<&str>, last: Option<&str>) -> String {
    match (first.and_then(period), last.and_then(period)) {
        (Some((start, _)), Some((_, end))) => format!(" start=\"{start}\" end=\"{end}\""),
        _ => String::new(),
    }
}

/// The first and last day (xsd:date) of a YYYY, YYYY-MM or YYYY-MM-DD date.
pub fn period(date: &str) -> Option<(String, String)> {
    let mut parts = date.split('-');
    let number = |p: Option<&str>, digits: usize| {
        p.filter(|p| p.len() == digits && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let year = number(parts.next(), 4)?;
    let (month, day) = match (parts.next(), parts.next()) {
        (None, _) => (None, None),
        (m, None) => (Some(number(m, 2)?), None),
        (m, d) => (Some(number(m, 2)?), Some(number(d, 2)?)),
    };
    if parts.next().is_some() {
        return None;
    }
    let last_day = |m: u32| match m {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    Some(match (month, day) {
        (None, _) => (format!("{year:04}-01-01"), format!("{year:04}-12-31")),
        (Some(m @ 1..=12), None) => (
            format!("{year:04}-{m:02}-01"),
            format!("{year:04}-{m:02}-{:02}", last_day(m)),
        ),
        (Some(m @ 1..=12), Some(d)) if (1..=last_day(m)).contains(&d) => {
            let day = format!("{year:04}-{m:02}-{d:02}");
            (day.clone(), day)
        }
        _ => return None,
    })
}

fn write_attribute_decls(out: &mut String, class: &str, attrs: &[(&str, ColumnType)]) {
    let _ = writeln!(out, "    <attributes class=\"{class}\" mode=\"static\">");
    for (id, kind) in attrs {
        let _ = writeln!(
            out,
            "      <attribute id=\"{id}\" title=\"{id}\" type=\"{}\"/>",
            gexf_type(*kind)
        );
    }
    out.push_str("    </attributes>\n");
}

/// `extra`: further `<attvalue>` lines (the timeline's dynamic weight).
fn write_values(
    out: &mut String,
    columns: &[(&str, ColumnType)],
    values: &[Option<crate::graph::Value>],
    extra: &str,
) {
    out.push_str("        <attvalues>\n");
    for ((id, _), value) in columns.iter().zip(values) {
        if let Some(value) = value {
            let _ = writeln!(
                out,
                "          <attvalue for=\"{id}\" value=\"{}\"/>",
                escape(value.to_string().as_str())
            );
        }
    }
    out.push_str(extra);
    out.push_str("        </attvalues>\n");
}

/// The edge's weight as it grows: from each dated document's first day, the weight of the
/// documents up to that date, until the day before the next such date (GEXF intervals are
/// closed) or the end of the edge's last date.
fn weight_over_time(edge: &crate::graph::Edge) -> String {
    let mut steps: Vec<(String, usize)> = Vec::new();
    for (date, added) in &edge.weight_by_date {
        let Some((start, _)) = period(date) else {
            continue;
        };
        match steps.iter_mut().find(|(s, _)| *s == start) {
            Some(step) => step.1 += added,
            None => steps.push((start, *added)),
        }
    }
    steps.sort();
    let end = edge
        .last_seen
        .as_deref()
        .and_then(period)
        .map(|(_, end)| end);
    let mut out = String::new();
    let mut total = 0;
    for (i, (start, added)) in steps.iter().enumerate() {
        total += added;
        let until = match steps.get(i + 1) {
            Some((next, _)) => day_before(next),
            None => end.clone(),
        };
        if let Some(until) = until {
            let _ = writeln!(
                out,
                "          <attvalue for=\"weight\" value=\"{total}\" start=\"{start}\" end=\"{until}\"/>"
            );
        }
    }
    out
}

/// The day before a YYYY-MM-DD day.
fn day_before(day: &str) -> Option<String> {
    let mut parts = day.split('-').map(|p| p.parse::<i32>().ok());
    let (year, month, d) = (parts.next()??, parts.next()??, parts.next()??);
    Some(match (month, d) {
        (_, 2..) => format!("{year:04}-{month:02}-{:02}", d - 1),
        (2.., _) => period(&format!("{year:04}-{:02}", month - 1))?.1,
        _ => format!("{:04}-12-31", year - 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_before() {
        assert_eq!(day_before("2026-03-05").as_deref(), Some("2026-03-04"));
        assert_eq!(day_before("2024-03-01").as_deref(), Some("2024-02-29"));
        assert_eq!(day_before("1985-01-01").as_deref(), Some("1984-12-31"));
    }

    #[test]
    fn a_timeline_weight_grows_with_the_documents() {
        let edge = crate::graph::Edge {
            kind: crate::graph::EdgeKind::CoOccurrence,
            weight: 4,
            jaccard: None,
            documents: Default::default(),
            first_seen: Some("1985".into()),
            last_seen: Some("2015-03-05".into()),
            weight_by_date: [("1985".to_string(), 1), ("2015-03-05".to_string(), 3)].into(),
        };
        assert_eq!(
            weight_over_time(&edge),
            concat!(
                "          <attvalue for=\"weight\" value=\"1\" start=\"1985-01-01\" end=\"2015-03-04\"/>\n",
                "          <attvalue for=\"weight\" value=\"4\" start=\"2015-03-05\" end=\"2015-03-05\"/>\n",
            )
        );
    }

    #[test]
    fn periods_of_partial_dates() {
        let p = |d| period(d).map(|(a, b)| format!("{a}..{b}"));
        assert_eq!(p("1954").as_deref(), Some("1954-01-01..1954-12-31"));
        assert_eq!(p("2000-02").as_deref(), Some("2000-02-01..2000-02-29"));
        assert_eq!(p("1900-02").as_deref(), Some("1900-02-01..1900-02-28"));
        assert_eq!(p("2015-03-05").as_deref(), Some("2015-03-05..2015-03-05"));
        assert_eq!(p("2015-13"), None);
        assert_eq!(p("2015-02-30"), None);
        assert_eq!(p("15"), None);
        assert_eq!(p("2015-03-05-1"), None);
    }
}
