//! Every RDF serialization kgx writes parses with an independent parser (Python rdflib) into
//! exactly the triples or quads of graph.nq.

mod common;
use common::*;
use std::collections::BTreeSet;
use std::path::Path;

fn rdflib_count(format: &str, file: &Path) -> serde_json::Value {
    let python =
        python().unwrap_or_else(|| panic!("no Python with rdflib: run `bash scripts/setup.sh`"));
    let o = std::process::Command::new(python)
        .arg(root().join("tests/tools/rdf_count.py"))
        .arg(format)
        .arg(file)
        .output()
        .expect("python runs");
    assert!(
        o.status.success(),
        "rdflib could not parse {format}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("JSON from rdf_count.py")
}

#[test]
fn every_serialization_parses_with_rdflib() {
    let out = extract_samples(&[]);
    let nq = std::fs::read_to_string(out.path().join("graph.nq")).unwrap();
    let quads: BTreeSet<&str> = nq.lines().collect();
    let triples: BTreeSet<String> = quads
        .iter()
        .filter_map(|l| {
            let (triple, _graph) = l.strip_suffix(" .")?.rsplit_once(" <")?;
            Some(triple.to_string())
        })
        .collect();
    let graphs = 9; // one named graph per sample document, and the merged graph
                    // The store's dumps also hold the merged graph's corpus digest, which graph.nq leaves out.
    let bookkeeping = 1;
    let store = out.path().join("store");
    for (format, rdflib_format, dataset) in [
        ("nq", "nquads", true),
        ("trig", "trig", true),
        ("ttl", "turtle", false),
        ("nt", "nt", false),
        ("rdfxml", "xml", false),
        ("jsonld", "json-ld", true),
    ] {
        let file = out.path().join(format!("dump.{format}"));
        let o = kgx(&[
            "export",
            "--store",
            store.to_str().unwrap(),
            "--format",
            format,
            "--out",
            file.to_str().unwrap(),
        ]);
        assert!(
            o.status.success(),
            "export {format}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let got = rdflib_count(rdflib_format, &file);
        if dataset {
            assert_eq!(got["triples"], quads.len() + bookkeeping, "{format}: quads");
            assert_eq!(got["graphs"], graphs, "{format}: named graphs");
        } else {
            assert_eq!(
                got["triples"],
                triples.len() + bookkeeping,
                "{format}: triples"
            );
        }
        let labels = got["labels"]["https://w3id.org/kgx/id/place/330200"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            labels.iter().any(|l| l == "宁波市"),
            "{format}: 宁波市 label missing: {labels:?}"
        );
    }
    // graph.ttl as `kgx extract` writes it: the merged view.
    let ttl = rdflib_count("turtle", &out.path().join("graph.ttl"));
    assert_eq!(ttl["triples"], triples.len());
}

#[test]
fn a_document_graph_states_each_quad_once() {
    // The store-only path loads `document_quads` as made, unsorted: it must hold no
    // duplicates for the quad counts (and the store's load rate) to be honest.
    let pack = kgx::rules::load_pack(&root().join("rules")).expect("the default rule pack");
    let out = extract_samples(&["--formats", "jsonl"]);
    let mut checked = 0;
    for line in read_jsonl(&out.path().join("extractions.jsonl")) {
        let x: kgx::model::Extraction = serde_json::from_value(line).unwrap();
        let bytes = std::fs::read(samples().join(&x.doc)).unwrap();
        let text = kgx::input::decode_document(&x.doc, &bytes).unwrap().text;
        let quads = kgx::rdf::document_quads(&pack, &x, &text);
        let distinct: std::collections::HashSet<_> = quads.iter().collect();
        assert_eq!(distinct.len(), quads.len(), "{}", x.doc);
        assert_eq!(
            kgx::rdf::document_rdf(&pack, &x, &text).quads.len(),
            quads.len()
        );
        checked += quads.len();
    }
    assert!(checked > 3000, "{checked}");
}
