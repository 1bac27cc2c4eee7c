//! Helpers shared by the integration tests: run the kgx binary, read its outputs.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn samples() -> PathBuf {
    root().join("samples/corpus")
}

pub fn kgx(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kgx"))
        .args(args)
        .env("KGX_RULES", root().join("rules"))
        .output()
        .expect("kgx runs")
}

/// `kgx extract INPUT --out OUT EXTRA...`.
pub fn kgx_extract(input: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "extract",
        input.to_str().expect("utf-8 path"),
        "--out",
        out.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    kgx(&args)
}

/// Runs `kgx extract` on the sample corpus into a fresh folder and returns it.
pub fn extract_samples(extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    let o = kgx_extract(&samples(), out.path(), &[&["--quiet"], extra].concat());
    assert!(
        o.status.success(),
        "kgx extract failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

pub fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("jsonl exists")
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

pub fn doc<'a>(docs: &'a [Value], name: &str) -> &'a Value {
    docs.iter()
        .find(|d| d["doc"] == name)
        .unwrap_or_else(|| panic!("no document {name}"))
}

/// The entity of a document with this label (or name), with its class.
pub fn entity<'a>(d: &'a Value, class: &str, name: &str) -> Option<&'a Value> {
    d["entities"].as_array()?.iter().find(|e| {
        e["class"] == class
            && (e["label"] == name
                || e["names"]
                    .as_array()
                    .is_some_and(|n| n.iter().any(|x| x == name)))
    })
}

/// `type(subject label → object label)` strings of a document's relations, sorted.
pub fn relations(d: &Value) -> Vec<String> {
    let label = |id: &Value| {
        d["entities"]
            .as_array()
            .and_then(|es| es.iter().find(|e| &e["id"] == id))
            .and_then(|e| e["label"].as_str())
            .unwrap_or("?")
            .to_string()
    };
    let mut out: Vec<String> = d["relations"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| {
                    format!(
                        "{}({} → {})",
                        r["type"].as_str().unwrap_or("?"),
                        label(&r["subject"]),
                        label(&r["object"])
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out.dedup();
    out
}

/// Runs `kgx query --store STORE --format FORMAT ARGS…` and returns its standard output.
pub fn query_output(store: &Path, format: &str, args: &[&str]) -> Vec<u8> {
    let mut all = vec![
        "query",
        "--store",
        store.to_str().expect("utf-8 path"),
        "--format",
        format,
    ];
    all.extend_from_slice(args);
    let o = kgx(&all);
    assert!(
        o.status.success(),
        "kgx query {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

/// `kgx query` output as lines (csv, tsv, table).
pub fn query_lines(store: &Path, format: &str, args: &[&str]) -> Vec<String> {
    String::from_utf8_lossy(&query_output(store, format, args))
        .lines()
        .map(str::to_string)
        .collect()
}

/// `kgx query --format json` output, parsed.
pub fn query_json(store: &Path, args: &[&str]) -> Value {
    serde_json::from_slice(&query_output(store, "json", args)).expect("kgx query prints JSON")
}
/// Python with the test tools installed (scripts/setup.sh makes it), if available.
pub fn python() -> Option<PathBuf> {
    let p = std::env::var_os("KGX_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("tests/tools/.venv/bin/python"));
    p.exists().then_some(p)
}

/// Waits until `child` (a `kgx serve`) accepts connections on `bind`; panics if it exits or
/// `timeout` passes first.
pub fn wait_until_listening(child: &mut Child, bind: &str, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while std::net::TcpStream::connect(bind).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("kgx serve exited early: {status}");
        }
        assert!(
            Instant::now() < deadline,
            "kgx serve did not listen on {bind}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
