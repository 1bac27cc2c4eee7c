//! Batch behaviour: incremental re-runs, pruning, sharding and recovery from SIGKILL.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    for entry in walk(from) {
        let rel = entry.strip_prefix(from).unwrap();
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &target).unwrap();
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn run(input: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "extract",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = kgx(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const OUTPUTS: [&str; 4] = ["extractions.jsonl", "graph.ttl", "graph.nq", "graph.gexf"];

/// Document graphs in the store (the merged graph is not one).
fn count_graphs(store: &Path) -> usize {
    let q = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a kgx:ExtractionGraph } }";
    let lines = query_lines(store, "csv", &[q]);
    lines[1].trim().parse().expect("a count")
}

#[test]
fn rerun_skips_unchanged_documents_and_replaces_changed_ones() {
    let input = tempfile::tempdir().unwrap();
    copy_dir(&samples(), input.path());
    let out = tempfile::tempdir().unwrap();
    let cold = run(input.path(), out.path(), &[]);
    assert!(cold.contains("8 documents (0 unchanged)"), "{cold}");
    let warm = run(input.path(), out.path(), &[]);
    assert!(
        warm.contains("8 documents (8 unchanged)") && warm.contains(" 0 quads written"),
        "{warm}"
    );

    let changed = input.path().join("news/ningbo-daily-page.txt");
    let mut text = std::fs::read_to_string(&changed).unwrap();
    text.push_str("\n国务院印发《关于推进数字乡村建设的意见》。\n");
    std::fs::write(&changed, text).unwrap();
    let third = run(input.path(), out.path(), &[]);
    assert!(third.contains("8 documents (7 unchanged)"), "{third}");

    // The incremental result equals a cold run on the same inputs.
    let fresh = tempfile::tempdir().unwrap();
    run(input.path(), fresh.path(), &[]);
    for f in OUTPUTS {
        assert!(
            read(&out.path().join(f)) == read(&fresh.path().join(f)),
            "{f} differs from a cold run"
        );
    }
    let docs = read_jsonl(&out.path().join("extractions.jsonl"));
    assert!(relations(doc(&docs, "news/ningbo-daily-page.txt"))
        .contains(&"issued(国务院 → 关于推进数字乡村建设的意见)".to_string()));

    // --prune drops the graph of a document that left the input.
    assert_eq!(count_graphs(&out.path().join("store")), 8);
    std::fs::remove_file(input.path().join("news/beijing-smes.html")).unwrap();
    run(input.path(), out.path(), &[]);
    assert_eq!(
        count_graphs(&out.path().join("store")),
        8,
        "without --prune the graph stays"
    );
    let pruned = run(input.path(), out.path(), &["--prune"]);
    assert!(pruned.contains("1 pruned"), "{pruned}");
    assert_eq!(count_graphs(&out.path().join("store")), 7);
}

#[test]
fn shards_together_equal_a_single_run() {
    let whole = tempfile::tempdir().unwrap();
    run(&samples(), whole.path(), &["--formats", "jsonl,nq"]);
    let mut lines: Vec<String> = Vec::new();
    let mut docs = 0;
    for i in 1..=3 {
        let part = tempfile::tempdir().unwrap();
        let shard = format!("{i}/3");
        run(
            &samples(),
            part.path(),
            &["--formats", "jsonl,nq", "--shard", &shard],
        );
        docs += read_jsonl(&part.path().join("extractions.jsonl")).len();
        lines.extend(
            std::fs::read_to_string(part.path().join("graph.nq"))
                .unwrap()
                .lines()
                .map(str::to_string),
        );
    }
    assert_eq!(docs, 8, "every document in exactly one shard");
    lines.sort();
    lines.dedup();
    // graph.nq lists documents in path order; shards interleave them.
    let mut single: Vec<String> = std::fs::read_to_string(whole.path().join("graph.nq"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    single.sort();
    assert_eq!(lines, single);
}

#[test]
fn a_run_killed_with_sigkill_is_completed_by_the_next() {
    // Enough documents that the kill lands in the middle of the work.
    let input = tempfile::tempdir().unwrap();
    for copy in 0..60 {
        for f in walk(&samples()) {
            let name = format!("{copy:03}-{}", f.file_name().unwrap().to_string_lossy());
            std::fs::copy(&f, input.path().join(name)).unwrap();
        }
    }
    let reference = tempfile::tempdir().unwrap();
    run(input.path(), reference.path(), &["--quiet"]);

    let out = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kgx"))
        .args([
            "extract",
            input.path().to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
            "--quiet",
        ])
        .env("KGX_RULES", root().join("rules"))
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    // The run must have been killed mid-work, not have finished before the signal: else this
    // test would check nothing about recovery.
    use std::os::unix::process::ExitStatusExt as _;
    assert_eq!(
        status.signal(),
        Some(9),
        "kgx finished before the kill ({status}); give the test more documents"
    );

    // Whatever the kill interrupted, the store opens and answers …
    if out.path().join("store").exists() {
        let o = kgx(&[
            "query",
            "--store",
            out.path().join("store").to_str().unwrap(),
            "ASK { ?s ?p ?o }",
        ]);
        assert!(
            o.status.success(),
            "store does not open after SIGKILL: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // … and the next run completes it to exactly the uninterrupted result.
    run(input.path(), out.path(), &["--quiet"]);
    for f in OUTPUTS {
        assert!(
            read(&out.path().join(f)) == read(&reference.path().join(f)),
            "{f} differs after recovery"
        );
    }
    assert_eq!(count_graphs(&out.path().join("store")), 480);
    let q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";
    let a = kgx(&[
        "query",
        "--store",
        out.path().join("store").to_str().unwrap(),
        "--format",
        "csv",
        q,
    ]);
    let b = kgx(&[
        "query",
        "--store",
        reference.path().join("store").to_str().unwrap(),
        "--format",
        "csv",
        q,
    ]);
    assert_eq!(a.stdout, b.stdout, "quad counts differ after recovery");
}

#[test]
fn a_store_left_half_created_is_rebuilt() {
    let out = tempfile::tempdir().unwrap();
    // What a run killed while RocksDB was creating its column families leaves behind.
    std::fs::create_dir(out.path().join("store.creating")).unwrap();
    std::fs::write(
        out.path().join("store.creating/CURRENT"),
        b"MANIFEST-000001\n",
    )
    .unwrap();
    run(&samples(), out.path(), &["--quiet"]);
    assert!(!out.path().join("store.creating").exists());
    assert_eq!(count_graphs(&out.path().join("store")), 8);
}

#[test]
fn a_store_of_another_rule_pack_is_rebuilt_and_the_run_says_so() {
    let rules = tempfile::tempdir().unwrap();
    copy_dir(&root().join("rules"), rules.path());
    let out = tempfile::tempdir().unwrap();
    let with_rules = [
        "--formats",
        "store",
        "--rules",
        rules.path().to_str().unwrap(),
    ];
    let first = run(&samples(), out.path(), &with_rules);
    assert!(!first.contains("another rule pack"), "{first}");
    // A changed rule pack (a store written by an older kgx has another pack hash too).
    let pack_toml = rules.path().join("pack.toml");
    let mut text = std::fs::read_to_string(&pack_toml).unwrap();
    text.push_str("\n# edited\n");
    std::fs::write(&pack_toml, text).unwrap();
    let second = run(&samples(), out.path(), &with_rules);
    assert!(
        second.contains("kgx: 8 document graphs in ")
            && second
                .contains("were written by another rule pack or an older kgx; they are rebuilt"),
        "{second}"
    );
}

/// A store of kgx before source, graph and document were separated holds the same documents
/// under `doc/<path>` and a merged graph at `graph/merged`: they are removed, the run says so,
/// and each document is then in the store once.
#[test]
fn a_store_of_the_old_iri_layout_is_rebuilt_and_the_run_says_so() {
    use oxigraph::model::{GraphName, Literal, NamedNode, Quad};
    let out = tempfile::tempdir().unwrap();
    let base = "https://w3id.org/kgx/id/";
    {
        let store = kgx::store::open(&out.path().join("store")).unwrap();
        let kgx_term =
            |local: &str| NamedNode::new(format!("https://w3id.org/kgx/ns#{local}")).unwrap();
        for (graph, p, o) in [
            ("doc/news/ningbo-daily-page.txt", "sha256", "0"),
            ("doc/news/ningbo-daily-page.txt", "rulePackHash", "0"),
            ("graph/merged", "corpusDigest", "0"),
        ] {
            let g = NamedNode::new(format!("{base}{graph}")).unwrap();
            store
                .insert(&Quad::new(
                    g.clone(),
                    kgx_term(p),
                    Literal::new_simple_literal(o),
                    GraphName::NamedNode(g),
                ))
                .unwrap();
        }
    }
    let stderr = run(&samples(), out.path(), &["--formats", "store"]);
    assert!(
        stderr.contains("kgx: 2 graphs in ")
            && stderr.contains("have the layout of kgx before 2026-12-04"),
        "{stderr}"
    );
    let store = out.path().join("store");
    assert_eq!(count_graphs(&store), 8);
    let q = "SELECT ?g WHERE { GRAPH ?g {} } ORDER BY ?g";
    let graphs = query_lines(&store, "csv", &[q]);
    assert!(
        graphs
            .iter()
            .all(|g| !g.contains("/id/doc/") && !g.contains("/id/graph/merged")),
        "{graphs:#?}"
    );
    assert_eq!(graphs.len(), 1 + 8 + 1, "{graphs:#?}");
}
