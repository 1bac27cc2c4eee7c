//! Graph outputs (GEXF, GraphML, CSV, RDF dumps) read back by independent tools: networkx
//! (scripts/setup.sh installs it) and jing against the GEXF 1.3 RELAX NG schema.

mod common;
use common::*;

use kgx::graph::KnowledgeGraph;
use kgx::model::Extraction;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

fn extractions(out: &Path) -> Vec<Extraction> {
    read_jsonl(&out.join("extractions.jsonl"))
        .into_iter()
        .map(|v| serde_json::from_value(v).expect("an Extraction"))
        .collect()
}

/// Runs kgx export on the store under `out`; panics with kgx's stderr on failure.
fn export(out: &Path, args: &[&str]) {
    let store = out.join("store");
    let mut all = vec!["export", "--store", store.to_str().expect("utf-8 path")];
    all.extend_from_slice(args);
    let o = kgx(&all);
    assert!(
        o.status.success(),
        "kgx {all:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The graph as networkx reads it (tests/tools/read_graph.py).
fn read_graph(kind: &str, file: &Path) -> Value {
    let python = python().unwrap_or_else(|| {
        panic!("no Python with networkx: run scripts/setup.sh (or set KGX_PYTHON)")
    });
    let o = Command::new(python)
        .arg(root().join("tests/tools/read_graph.py"))
        .arg(kind)
        .arg(file)
        .output()
        .expect("python runs");
    assert!(
        o.status.success(),
        "networkx cannot read {}: {}",
        file.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("read_graph.py prints JSON")
}

/// Distinct entities and distinct (subject, object, type) relations, counted straight from
/// extractions.jsonl: the figures every graph output must match.
fn expected_counts(xs: &[Extraction]) -> (usize, usize) {
    let nodes: BTreeSet<&str> = xs
        .iter()
        .flat_map(|x| x.entities.iter().map(|e| e.id.as_str()))
        .collect();
    let edges: BTreeSet<(&str, &str, &str)> = xs
        .iter()
        .flat_map(|x| x.relations.iter())
        .map(|r| (r.subject.as_str(), r.object.as_str(), r.kind.as_str()))
        .collect();
    (nodes.len(), edges.len())
}

fn node_by_label<'a>(g: &'a Value, label: &str) -> &'a Value {
    g["nodes"]
        .as_object()
        .and_then(|nodes| nodes.values().find(|n| n["label"] == label))
        .unwrap_or_else(|| panic!("no node labelled {label}"))
}

/// Node and edge counts and a few known attribute values, whatever the reader.
fn check_sample_graph(g: &Value, xs: &[Extraction]) {
    let (nodes, edges) = expected_counts(xs);
    assert_eq!(g["nodes"].as_object().map(|n| n.len()), Some(nodes));
    assert_eq!(g["edges"].as_array().map(Vec::len), Some(edges));
    assert_eq!(g["directed"], true);

    let council = node_by_label(g, "国务院");
    assert_eq!(council["class"], "Organization");
    let council_docs = xs
        .iter()
        .filter(|x| x.entities.iter().any(|e| e.label == "国务院"))
        .count();
    assert_eq!(council["documents"], council_docs);
    for key in [
        "type",
        "mentions",
        "degree",
        "weighted_degree",
        "pagerank",
        "community",
    ] {
        assert!(!council[key].is_null(), "国务院 lacks {key}: {council}");
    }
    assert!(council["pagerank"].as_f64().is_some_and(|p| p > 0.0));
    for label in ["国务院", "宁波市"] {
        let dates: Vec<&str> = xs
            .iter()
            .filter(|x| x.entities.iter().any(|e| e.label == label))
            .filter_map(|x| x.date.as_deref())
            .collect();
        let node = node_by_label(g, label);
        assert_eq!(node["first_seen"].as_str(), dates.iter().min().copied());
        assert_eq!(node["last_seen"].as_str(), dates.iter().max().copied());
    }

    let ningbo = node_by_label(g, "宁波市");
    assert_eq!(ningbo["class"], "Place");
    assert_eq!(ningbo["code"], "330200");

    let relations: BTreeSet<&str> = xs
        .iter()
        .flat_map(|x| x.relations.iter().map(|r| r.kind.as_str()))
        .collect();
    for (_, _, attrs) in g["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| (&e[0], &e[1], &e[2]))
    {
        let relation = attrs["relation"].as_str().expect("edge relation");
        assert!(relations.contains(relation), "unknown relation {relation}");
        assert_eq!(attrs["label"], relation);
        assert!(attrs["weight"].as_f64().is_some_and(|w| w >= 1.0));
        assert!(attrs["documents"].as_u64().is_some_and(|d| d >= 1));
    }
}

#[test]
fn gexf_reads_back_in_networkx() {
    let out = extract_samples(&[]);
    let xs = extractions(out.path());
    let g = read_graph("gexf", &out.path().join("graph.gexf"));
    check_sample_graph(&g, &xs);
}

#[test]
fn graphml_reads_back_in_networkx() {
    let out = extract_samples(&[]);
    let xs = extractions(out.path());
    let file = out.path().join("graph.graphml");
    export(
        out.path(),
        &["--format", "graphml", "--out", file.to_str().unwrap()],
    );
    let g = read_graph("graphml", &file);
    check_sample_graph(&g, &xs);
    let council = node_by_label(&g, "国务院");
    assert_eq!(council["color"], "#e41a1c");
}

#[test]
fn exported_gexf_equals_extract_gexf() {
    let out = extract_samples(&[]);
    let file = out.path().join("export.gexf");
    export(
        out.path(),
        &["--format", "gexf", "--out", file.to_str().unwrap()],
    );
    let a = std::fs::read_to_string(out.path().join("graph.gexf")).unwrap();
    let b = std::fs::read_to_string(&file).unwrap();
    assert!(
        a == b,
        "export from the store differs from extract's graph.gexf"
    );
}

/// The store read back builds the same graph as the extractions it was written from.
#[test]
fn graph_from_store_equals_graph_from_extractions() {
    let out = extract_samples(&[]);
    let xs = extractions(out.path());
    let from_x = KnowledgeGraph::from_extractions(&xs);
    let store = oxigraph::store::Store::open_read_only(out.path().join("store")).unwrap();
    let from_store = kgx::stored::relation_graph(&store).unwrap();
    type NodeKey = (String, String, String, String, Option<String>, usize, usize);
    let nodes = |g: &KnowledgeGraph| -> Vec<NodeKey> {
        g.graph
            .node_weights()
            .map(|n| {
                (
                    n.id.clone(),
                    n.label.clone(),
                    n.class.to_string(),
                    n.kind.clone(),
                    n.code.clone(),
                    n.mentions,
                    n.documents.len(),
                )
            })
            .collect()
    };
    let edges = |g: &KnowledgeGraph| -> BTreeMap<(String, String, &str), usize> {
        g.graph
            .raw_edges()
            .iter()
            .map(|e| {
                let (s, t) = (e.source(), e.target());
                (
                    (
                        g.graph[s].id.clone(),
                        g.graph[t].id.clone(),
                        e.weight.kind.as_str(),
                    ),
                    e.weight.weight,
                )
            })
            .collect()
    };
    assert!(from_x.graph.node_count() > 50);
    // Same nodes in the same order, so node indices (and GEXF order) agree too.
    assert_eq!(nodes(&from_x), nodes(&from_store));
    assert_eq!(edges(&from_x), edges(&from_store));
    let names = |g: &KnowledgeGraph| -> Vec<_> {
        g.graph.node_weights().map(|n| n.names.clone()).collect()
    };
    assert_eq!(names(&from_x), names(&from_store));
}

fn jing(file: &Path) {
    let schema = root().join("tests/schemas/gexf-1.3/gexf.rng");
    let o = Command::new("jing")
        .arg(&schema)
        .arg(file)
        .output()
        .expect("jing is not on PATH: run `bash scripts/setup.sh` (or `apt-get install jing`)");
    assert!(
        o.status.success(),
        "{} is not valid GEXF 1.3: {}",
        file.display(),
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn gexf_is_valid_gexf_1_3() {
    let out = extract_samples(&[]);
    jing(&out.path().join("graph.gexf"));
    let timeline = out.path().join("timeline.gexf");
    export(
        out.path(),
        &[
            "--format",
            "gexf",
            "--timeline",
            "--out",
            timeline.to_str().unwrap(),
        ],
    );
    jing(&timeline);
    let filtered = out.path().join("filtered.gexf");
    export(
        out.path(),
        &[
            "--format",
            "gexf",
            "--classes",
            "Place,Organization",
            "--giant-component",
            "--out",
            filtered.to_str().unwrap(),
        ],
    );
    jing(&filtered);
}

#[test]
fn timeline_spans_the_document_dates() {
    let out = extract_samples(&[]);
    let xs = extractions(out.path());
    let file = out.path().join("timeline.gexf");
    export(
        out.path(),
        &[
            "--format",
            "gexf",
            "--timeline",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    let xml = std::fs::read_to_string(&file).unwrap();
    let first = xs
        .iter()
        .filter_map(|x| x.date.as_deref())
        .min()
        .expect("dated samples");
    let last = xs.iter().filter_map(|x| x.date.as_deref()).max().unwrap();
    let graph_tag = xml
        .lines()
        .find(|l| l.trim_start().starts_with("<graph "))
        .unwrap();
    assert!(graph_tag.contains("mode=\"dynamic\" timeformat=\"date\""));
    let (start, _) = kgx::gexf::period(first).unwrap();
    let (_, end) = kgx::gexf::period(last).unwrap();
    assert!(
        graph_tag.contains(&format!("start=\"{start}\" end=\"{end}\"")),
        "{graph_tag} vs {first}..{last}"
    );
    let g = read_graph("gexf", &file);
    let mut dated = 0;
    for node in g["nodes"].as_object().unwrap().values() {
        let span = |key: &str| node[key].as_str().and_then(kgx::gexf::period);
        match (span("first_seen"), span("last_seen")) {
            (Some((from, _)), Some((_, to))) => {
                dated += 1;
                assert_eq!(node["start"].as_str(), Some(from.as_str()), "{node}");
                assert_eq!(node["end"].as_str(), Some(to.as_str()), "{node}");
            }
            _ => assert!(node["start"].is_null() && node["end"].is_null(), "{node}"),
        }
    }
    assert!(dated > 10);
    // Edge weights grow along the timeline: the last value of an edge's dynamic weight counts
    // its dated documents, so it is at most its weight, and equal where all are dated.
    assert!(xml.contains("<attributes class=\"edge\" mode=\"dynamic\">"));
    let attr = |tag: &str, name: &str| -> Option<String> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[at..at + tag[at..].find('"')?].to_string())
    };
    let (mut grown, mut complete) = (0, 0);
    for block in xml.split("<edge ").skip(1) {
        let block = &block[..block.find("</edge>").expect("closed edge")];
        let Some(last) = block.lines().rev().find(|l| l.contains("for=\"weight\"")) else {
            continue;
        };
        grown += 1;
        let number = |s: Option<String>| s.and_then(|v| v.parse::<f64>().ok()).expect("a number");
        let (value, weight) = (number(attr(last, "value")), number(attr(block, "weight")));
        assert!(value <= weight, "{block}");
        complete += usize::from(value == weight);
    }
    assert!(
        grown > 10 && complete > 10,
        "{grown} edges with a dynamic weight, {complete} complete"
    );
}

#[test]
fn filters_restrict_the_graph() {
    let out = extract_samples(&[]);
    let file = out.path().join("f.graphml");
    let path = file.to_str().unwrap();
    export(
        out.path(),
        &[
            "--format",
            "graphml",
            "--classes",
            "Organization",
            "--out",
            path,
        ],
    );
    let g = read_graph("graphml", &file);
    let nodes = g["nodes"].as_object().unwrap();
    assert!(!nodes.is_empty());
    assert!(nodes.values().all(|n| n["class"] == "Organization"));

    export(
        out.path(),
        &["--format", "graphml", "--top", "5", "--out", path],
    );
    let g = read_graph("graphml", &file);
    assert_eq!(g["nodes"].as_object().unwrap().len(), 5);

    export(
        out.path(),
        &[
            "--format",
            "graphml",
            "--giant-component",
            "--min-weight",
            "1",
            "--out",
            path,
        ],
    );
    let g = read_graph("graphml", &file);
    let n = g["nodes"].as_object().unwrap().len();
    assert!(n > 1);
    // A weakly connected graph on n nodes has at least n − 1 edges.
    assert!(g["edges"].as_array().unwrap().len() >= n - 1);

    let o = kgx(&[
        "export",
        "--store",
        out.path().join("store").to_str().unwrap(),
        "--format",
        "gexf",
        "--classes",
        "Planet",
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown class"));
}

#[test]
fn csv_tables_for_gephi() {
    let out = extract_samples(&[]);
    let xs = extractions(out.path());
    let dir = out.path().join("csv");
    export(
        out.path(),
        &["--format", "csv", "--out", dir.to_str().unwrap()],
    );
    let nodes = std::fs::read_to_string(dir.join("nodes.csv")).unwrap();
    let edges = std::fs::read_to_string(dir.join("edges.csv")).unwrap();
    let (n, e) = expected_counts(&xs);
    assert_eq!(nodes.lines().count(), n + 1);
    assert_eq!(edges.lines().count(), e + 1);
    assert!(nodes.starts_with("Id,Label,class,type,code,"));
    assert!(edges.starts_with("Source,Target,Type,Id,Label,Weight,relation,"));
    assert!(nodes.lines().any(|l| l.contains(",国务院,Organization,")));
}

/// Equal sorted line lists, reporting the first difference rather than both lists.
fn same_lines(got: &[String], want: &[String]) {
    let first = got.iter().zip(want).find(|(a, b)| a != b);
    assert!(
        first.is_none() && got.len() == want.len(),
        "{} lines vs {} expected; first difference: {first:?}",
        got.len(),
        want.len()
    );
}

#[test]
fn rdf_dumps_match_extract_outputs() {
    let out = extract_samples(&[]);
    let sorted_lines = |p: &Path| {
        let mut v: Vec<String> = std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
        v.sort();
        v.dedup();
        v
    };
    // The store keeps xsd:nonNegativeInteger offsets as xsd:integer (oxigraph canonicalises
    // integer subtypes), so compare modulo that.
    let canonical = |lines: Vec<String>| -> Vec<String> {
        let mut v: Vec<String> = lines
            .into_iter()
            .map(|l| l.replace("XMLSchema#nonNegativeInteger>", "XMLSchema#integer>"))
            .collect();
        v.sort();
        v
    };
    let nq = out.path().join("dump.nq");
    export(
        out.path(),
        &["--format", "nq", "--out", nq.to_str().unwrap()],
    );
    // The store also records which corpus its merged graph was built from (kgx:corpusDigest),
    // bookkeeping graph.nq leaves out so shards' files concatenate into a single run's.
    let mut dump = sorted_lines(&nq);
    let before = dump.len();
    dump.retain(|l| !l.contains("<https://w3id.org/kgx/ns#corpusDigest>"));
    assert_eq!(dump.len(), before - 1);
    same_lines(
        &canonical(dump),
        &canonical(sorted_lines(&out.path().join("graph.nq"))),
    );
    let nt = out.path().join("dump.nt");
    export(
        out.path(),
        &["--format", "nt", "--out", nt.to_str().unwrap()],
    );
    let union: BTreeSet<String> = canonical(sorted_lines(&out.path().join("graph.nq")))
        .iter()
        .filter_map(|l| {
            // "<s> <p> o <g> ." → "<s> <p> o ."; the graph is the last IRI before the dot.
            let body = l.strip_suffix(" .")?;
            let (triple, _graph) = body.rsplit_once(" <")?;
            Some(format!("{triple} ."))
        })
        .collect();
    let union: Vec<String> = union.into_iter().collect();
    let mut triples = sorted_lines(&nt);
    triples.retain(|l| !l.contains("<https://w3id.org/kgx/ns#corpusDigest>"));
    same_lines(&triples, &union);
    for format in ["ttl", "trig", "rdfxml", "jsonld"] {
        let file = out.path().join(format!("dump.{format}"));
        export(
            out.path(),
            &["--format", format, "--out", file.to_str().unwrap()],
        );
        assert!(
            std::fs::metadata(&file).unwrap().len() > 1000,
            "{format} is empty"
        );
    }
}

/// (lower IRI, higher IRI) → (weight, documents) of every co-occurrence edge, computed straight
/// from extractions.jsonl: an entity is in a window when one of its mentions starts inside it;
/// each window adds 1 to every pair of distinct entities in it.
fn expected_cooccurrence(
    xs: &[Extraction],
    paragraph: bool,
) -> BTreeMap<(String, String), (usize, usize)> {
    let mut pairs: BTreeMap<(String, String), (usize, BTreeSet<&str>)> = BTreeMap::new();
    for x in xs {
        let windows = if paragraph {
            &x.paragraphs
        } else {
            &x.sentences
        };
        assert!(!windows.is_empty(), "{} has no windows", x.doc);
        for w in windows {
            let inside: BTreeSet<&str> = x
                .entities
                .iter()
                .filter(|e| {
                    e.mentions
                        .iter()
                        .any(|m| w.start <= m.start && m.start < w.end)
                })
                .map(|e| e.id.as_str())
                .collect();
            let inside: Vec<&str> = inside.into_iter().collect();
            for (i, a) in inside.iter().enumerate() {
                for b in &inside[i + 1..] {
                    let entry = pairs.entry((a.to_string(), b.to_string())).or_default();
                    entry.0 += 1;
                    entry.1.insert(&x.doc);
                }
            }
        }
    }
    pairs
        .into_iter()
        .map(|(k, (w, docs))| (k, (w, docs.len())))
        .collect()
}

/// The co-occurrence edges networkx read: (lower IRI, higher IRI) → (weight, documents).
fn read_cooccurrence(g: &Value) -> BTreeMap<(String, String), (usize, usize)> {
    let mut out = BTreeMap::new();
    for e in g["edges"].as_array().unwrap() {
        let (a, b) = (e[0].as_str().unwrap(), e[1].as_str().unwrap());
        let key = if a < b { (a, b) } else { (b, a) };
        let attrs = &e[2];
        assert_eq!(attrs["relation"], "co_occurs", "{e}");
        let weight = attrs["weight"].as_f64().unwrap();
        assert_eq!(weight.fract(), 0.0, "{e}");
        let value = (
            weight as usize,
            attrs["documents"].as_u64().unwrap() as usize,
        );
        let key = (key.0.to_string(), key.1.to_string());
        assert!(out.insert(key, value).is_none(), "duplicate edge {e}");
    }
    out
}

/// The weight of the edge between two labels, if any.
fn weight_between(g: &Value, a: &str, b: &str) -> Option<f64> {
    let nodes = g["nodes"].as_object().unwrap();
    let label = |id: &Value| {
        nodes[id.as_str().unwrap()]["label"]
            .as_str()
            .unwrap()
            .to_string()
    };
    g["edges"].as_array().unwrap().iter().find_map(|e| {
        let pair = BTreeSet::from([label(&e[0]), label(&e[1])]);
        (pair == BTreeSet::from([a.to_string(), b.to_string()]))
            .then(|| e[2]["weight"].as_f64().unwrap())
    })
}

#[test]
fn cooccurrence_view_from_the_store() {
    let out = extract_samples(&[]);
    let xs = extractions(out.path());
    let (nodes, _) = expected_counts(&xs);

    // The store gives back exactly the windows extract computed that name two entities or
    // more (the others make no edge and are not stored).
    let store = oxigraph::store::Store::open_read_only(out.path().join("store")).unwrap();
    let corpus = kgx::stored::read(&store).unwrap();
    drop(store);
    let shared =
        |x: &kgx::model::Extraction, spans: &[kgx::model::Span]| -> Vec<kgx::model::Span> {
            let members = kgx::model::entities_by_window(x, spans);
            spans
                .iter()
                .zip(members)
                .filter(|(_, m)| m.len() >= 2)
                .map(|(s, _)| *s)
                .collect()
        };
    let mut stored_sentences = 0;
    for x in &xs {
        let sentences = corpus.sentences.get(&x.doc).cloned().unwrap_or_default();
        assert_eq!(sentences, shared(x, &x.sentences), "{}", x.doc);
        let paragraphs = corpus.paragraphs.get(&x.doc).cloned().unwrap_or_default();
        assert_eq!(paragraphs, shared(x, &x.paragraphs), "{}", x.doc);
        stored_sentences += sentences.len();
        assert!(sentences.len() < x.sentences.len(), "{}", x.doc);
    }
    assert!(stored_sentences > 20, "{stored_sentences}");

    let mut graphs = Vec::new();
    for (window, paragraph) in [("sentence", false), ("paragraph", true)] {
        let file = out.path().join(format!("co-{window}.gexf"));
        export(
            out.path(),
            &[
                "--format",
                "gexf",
                "--view",
                "cooccurrence",
                "--window",
                window,
                "--out",
                file.to_str().unwrap(),
            ],
        );
        jing(&file);
        let g = read_graph("gexf", &file);
        assert_eq!(g["directed"], false, "{window}");
        assert_eq!(g["multigraph"], false, "{window}");
        assert_eq!(g["nodes"].as_object().unwrap().len(), nodes, "{window}");
        let want = expected_cooccurrence(&xs, paragraph);
        let got = read_cooccurrence(&g);
        assert_eq!(got.len(), want.len(), "{window}: edge count");
        let first = want.iter().find(|(k, v)| got.get(*k) != Some(v));
        assert!(
            first.is_none(),
            "{window}: first differing edge {first:?} vs {:?}",
            first.map(|(k, _)| got.get(k))
        );
        // Degree and weighted degree agree with the edges.
        for (id, node) in g["nodes"].as_object().unwrap() {
            let touching: Vec<&(usize, usize)> = got
                .iter()
                .filter(|((a, b), _)| a == id || b == id)
                .map(|(_, v)| v)
                .collect();
            assert_eq!(node["degree"], touching.len(), "{window}: {node}");
            assert_eq!(
                node["weighted_degree"],
                touching.iter().map(|v| v.0).sum::<usize>(),
                "{window}: {node}"
            );
        }
        graphs.push(g);
    }
    let (sentence, paragraph) = (&graphs[0], &graphs[1]);

    // Known pairs in news/ningbo-daily-page.txt. 国务院 and the 指导意见 share two sentences
    // (“7月，国务院印发《…》” and “吴卫平：国务院《…》明确了…”); 国务院 and 李克强 one sentence
    // there and one in reports/national-report-excerpt.md.
    let doc = "关于积极推进互联网+行动的指导意见";
    assert_eq!(weight_between(sentence, "国务院", doc), Some(2.0));
    assert_eq!(weight_between(paragraph, "国务院", doc), Some(2.0));
    assert_eq!(weight_between(sentence, "国务院", "李克强"), Some(2.0));
    // 宁波 is named twice in “宁波可以借鉴这一模式，依托宁波大学、中国科学院宁波材料…”: one window,
    // weight 1.
    assert_eq!(weight_between(sentence, "宁波市", "宁波大学"), Some(1.0));
    assert_eq!(
        weight_between(sentence, "宁波大学", "中国科学院"),
        Some(1.0)
    );
    // 德国弗劳恩霍夫协会 and 宁波大学 share a paragraph but no sentence.
    assert_eq!(
        weight_between(sentence, "德国弗劳恩霍夫协会", "宁波大学"),
        None
    );
    assert_eq!(
        weight_between(paragraph, "德国弗劳恩霍夫协会", "宁波大学"),
        Some(1.0)
    );
    // 国务院 and 宁波 share two of the page's paragraphs but no sentence.
    assert_eq!(weight_between(sentence, "国务院", "宁波市"), None);
    assert_eq!(weight_between(paragraph, "国务院", "宁波市"), Some(2.0));

    // GraphML of the same view: undirected, the same edges.
    let file = out.path().join("co.graphml");
    export(
        out.path(),
        &[
            "--format",
            "graphml",
            "--view",
            "cooccurrence",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    let g = read_graph("graphml", &file);
    assert_eq!(g["directed"], false);
    assert_eq!(read_cooccurrence(&g), expected_cooccurrence(&xs, false));
}

#[test]
fn dot_export_for_graphviz() {
    let out = extract_samples(&[]);
    let xs = extractions(out.path());
    let (nodes, edges) = expected_counts(&xs);
    let file = out.path().join("graph.dot");
    export(
        out.path(),
        &["--format", "dot", "--out", file.to_str().unwrap()],
    );
    let dot = std::fs::read_to_string(&file).unwrap();
    assert!(dot.starts_with("digraph kgx {"));
    assert_eq!(dot.lines().filter(|l| l.contains(" -> ")).count(), edges);
    assert_eq!(
        dot.lines().filter(|l| l.contains("fillcolor=")).count(),
        nodes
    );
    assert!(dot.contains(r##"[label="国务院", class="Organization", fillcolor="#e41a1c""##));
    // Graphviz itself renders it.
    let o = Command::new("dot").arg("-Tsvg").arg(&file).output().expect(
        "graphviz is not on PATH: run `bash scripts/setup.sh` (or `apt-get install graphviz`)",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("国务院"));
}
