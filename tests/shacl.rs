//! The RDF kgx publishes conforms to rules/shapes.ttl, checked by an independent validator
//! (pyshacl), and documents that share a title are distinct. tests/fixtures/same-title holds
//! three work reports titled 政府工作报告, written for this test (places real, people invented):
//! two years of 浙江 and one of 江苏.

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// pyshacl's findings on one graph.nq: (named graphs checked, violations).
fn shacl_violations(nq: &Path) -> (u64, Vec<Value>) {
    let python = python().unwrap_or_else(|| {
        panic!("no Python with pyshacl: run `bash scripts/setup.sh` (installs tests/tools/requirements.txt)")
    });
    let o = std::process::Command::new(python)
        .arg(root().join("tests/tools/shacl_check.py"))
        .arg(root().join("rules/shapes.ttl"))
        .arg(nq)
        .output()
        .expect("python runs");
    assert!(
        o.status.success(),
        "shacl_check.py failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report: Value = serde_json::from_slice(&o.stdout).expect("JSON from shacl_check.py");
    let graphs = report["graphs"].as_u64().expect("graphs");
    let violations = report["violations"].as_array().cloned().unwrap_or_default();
    (graphs, violations)
}

#[test]
fn the_samples_conform_to_the_shapes() {
    let out = extract_samples(&[]);
    let (graphs, violations) = shacl_violations(&out.path().join("graph.nq"));
    assert_eq!(graphs, 9, "eight sample documents and the merged graph");
    assert!(violations.is_empty(), "{violations:#?}");
}

#[test]
fn same_titled_reports_are_distinct_documents() {
    let out = tempfile::tempdir().expect("temp dir");
    let input = root().join("tests/fixtures/same-title");
    let o = kgx_extract(&input, out.path(), &["--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let docs = read_jsonl(&out.path().join("extractions.jsonl"));
    let own_titles: BTreeSet<String> = docs
        .iter()
        .flat_map(|d| d["entities"].as_array().cloned().unwrap_or_default())
        .filter(|e| e["class"] == "Document" && e["label"] == "政府工作报告")
        .map(|e| e["id"].as_str().unwrap_or_default().to_string())
        .collect();
    let base = "https://w3id.org/kgx/id/document/政府工作报告";
    assert_eq!(
        own_titles,
        BTreeSet::from([
            format!("{base}/江苏省人民政府/2026-01-18"),
            format!("{base}/浙江省人民政府/2025-01-14"),
            format!("{base}/浙江省人民政府/2026-01-20"),
        ])
    );
    let (graphs, violations) = shacl_violations(&out.path().join("graph.nq"));
    assert_eq!(graphs, 4, "three documents and the merged graph");
    assert!(violations.is_empty(), "{violations:#?}");
}
