//! `kgx query`: SPARQL over the store. The default graph is the union of all documents' named
//! graphs (oxigraph's is otherwise empty), so queries need no GRAPH clause unless they ask
//! which document said something.

use crate::rdf::PREFIXES;
use anyhow::{bail, Context, Result};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{PreparedSparqlQuery, QueryResults};
use oxigraph::store::Store;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// How `kgx query` writes results: a CJK-aligned `table` for people, or the SPARQL results
/// formats (`json`, `csv`, `tsv`, `xml`). Graphs (CONSTRUCT, DESCRIBE) are Turtle whatever the
/// format, and an ASK answer is a bare `true` or `false` except in `json` and `xml`.
// No doc comments on the variants: clap would make them the values' help, changing
// `kgx query --help`.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultFormat {
    Table,
    Json,
    Csv,
    Tsv,
    Xml,
}

pub use kgx_rdf::sparql::evaluator;

fn prepare(query: &str) -> Result<PreparedSparqlQuery> {
    let mut prepared = evaluator()
        .parse_query(query)
        .map_err(|e| anyhow::anyhow!("SPARQL syntax error: {e}"))?;
    prepared.dataset_mut().set_default_graph_as_union();
    Ok(prepared)
}

/// Evaluates `query` over `store` with the union of the document graphs as default graph,
/// and writes the results to `out` in `format`. Errors on a syntax error, a failed
/// evaluation or a failed write.
pub fn run(store: &Store, query: &str, format: ResultFormat, out: &mut dyn Write) -> Result<()> {
    let results = prepare(query)?
        .on_store(store)
        .execute()
        .context("query evaluation failed")?;
    write_results(results, format, out)
}

/// `run`, then the query plan with the rows and time of each step, as JSON, to `plan`.
pub fn run_explained(
    store: &Store,
    query: &str,
    format: ResultFormat,
    out: &mut dyn Write,
    plan: &mut dyn Write,
) -> Result<()> {
    let (results, explanation) = prepare(query)?
        .on_store(store)
        .compute_statistics()
        .explain();
    write_results(results.context("query evaluation failed")?, format, out)?;
    explanation.write_in_json(plan)?;
    Ok(())
}

fn write_results(results: QueryResults, format: ResultFormat, out: &mut dyn Write) -> Result<()> {
    match results {
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            if format == ResultFormat::Table {
                let mut rows = Vec::new();
                for s in solutions {
                    let s = s?;
                    rows.push(
                        variables
                            .iter()
                            .map(|v| s.get(v).map(display_term).unwrap_or_default())
                            .collect(),
                    );
                }
                let header: Vec<String> =
                    variables.iter().map(|v| v.as_str().to_string()).collect();
                out.write_all(render_table(&header, &rows).as_bytes())?;
            } else {
                let mut ser = QueryResultsSerializer::from_format(results_format(format))
                    .serialize_solutions_to_writer(&mut *out, variables)?;
                for s in solutions {
                    let s = s?;
                    ser.serialize(s.iter())?;
                }
                ser.finish()?;
            }
        }
        QueryResults::Boolean(b) => match format {
            ResultFormat::Json | ResultFormat::Xml => {
                QueryResultsSerializer::from_format(results_format(format))
                    .serialize_boolean_to_writer(&mut *out, b)?;
            }
            _ => writeln!(out, "{b}")?,
        },
        QueryResults::Graph(triples) => {
            let mut ser = RdfSerializer::from_format(RdfFormat::Turtle);
            for (prefix, iri) in PREFIXES {
                ser = ser.with_prefix(prefix, iri)?;
            }
            let mut w = ser.for_writer(&mut *out);
            for t in triples {
                w.serialize_triple(&t?)?;
            }
            w.finish()?;
        }
    }
    Ok(())
}

fn results_format(format: ResultFormat) -> QueryResultsFormat {
    match format {
        ResultFormat::Json | ResultFormat::Table => QueryResultsFormat::Json,
        ResultFormat::Csv => QueryResultsFormat::Csv,
        ResultFormat::Tsv => QueryResultsFormat::Tsv,
        ResultFormat::Xml => QueryResultsFormat::Xml,
    }
}

/// Terms for people: literals by value, IRIs shortened with the known prefixes.
pub(crate) fn display_term(term: &Term) -> String {
    match term {
        Term::Literal(l) => l.value().to_string(),
        Term::NamedNode(n) => {
            let iri = n.as_str();
            PREFIXES
                .iter()
                .find_map(|(p, ns)| iri.strip_prefix(ns).map(|local| format!("{p}:{local}")))
                .unwrap_or_else(|| format!("<{iri}>"))
        }
        other => other.to_string(),
    }
}

/// A plain-text table whose columns line up for CJK (double-width) text.
pub fn render_table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::from("|");
        for (cell, w) in cells.iter().zip(&widths) {
            s.push(' ');
            s.push_str(cell);
            s.push_str(&" ".repeat(w - cell.width()));
            s.push_str(" |");
        }
        s.push('\n');
        s
    };
    let rule: String = {
        let mut s = String::from("|");
        for w in &widths {
            s.push_str(&"-".repeat(w + 2));
            s.push('|');
        }
        s.push('\n');
        s
    };
    let mut out = line(header);
    out.push_str(&rule);
    for row in rows {
        out.push_str(&line(row));
    }
    out.push_str(&format!("{} row(s)\n", rows.len()));
    out
}

/// Reads the query text from the argument or from `--file`.
pub fn query_text(inline: Option<String>, file: Option<&std::path::Path>) -> Result<String> {
    match (inline, file) {
        (Some(q), None) => Ok(q),
        (None, Some(f)) => std::fs::read_to_string(f)
            .with_context(|| format!("{}: cannot read the query file", f.display())),
        (Some(_), Some(_)) => bail!("give the query either inline or with --file, not both"),
        (None, None) => bail!("no query: pass it as an argument or with --file QUERY.rq"),
    }
}
