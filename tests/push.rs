//! `kgx push` against an independent Graph Store Protocol server (tests/tools/gsp_server.py:
//! Python's http.server, rdflib to parse what arrives, its own digest and basic auth checks).

mod common;
use common::*;

use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

struct GspServer {
    child: Child,
    port: u16,
}

impl Drop for GspServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl GspServer {
    fn start(mode: &str) -> Self {
        let Some(python) = python() else {
            panic!("no Python with rdflib: run `bash scripts/setup.sh` (or set KGX_PYTHON)");
        };
        let mut child = Command::new(python)
            .arg(root().join("tests/tools/gsp_server.py"))
            .args([mode, "dba", "s3cret"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python runs");
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut line);
        }
        let port = line.trim().parse().unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("gsp_server.py printed no port: {line:?}")
        });
        GspServer { child, port }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/gsp", self.port)
    }

    fn summary(&self) -> Value {
        let mut r = ureq::get(format!("http://127.0.0.1:{}/summary", self.port))
            .call()
            .expect("summary");
        serde_json::from_str(&r.body_mut().read_to_string().expect("body")).expect("JSON")
    }
}

fn push(store: &Path, endpoint: &str, password: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kgx"))
        .args(["push", "--store", store.to_str().expect("utf-8")])
        .args(["--endpoint", endpoint, "--user", "dba"])
        .args(extra)
        .env("KGX_PASSWORD", password)
        .output()
        .expect("kgx push runs")
}

/// Triples per named graph, as `kgx query` counts them.
fn counts(store: &Path) -> BTreeMap<String, u64> {
    let o = kgx(&[
        "query",
        "--store",
        store.to_str().expect("utf-8"),
        "--format",
        "json",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    v["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .iter()
        .map(|b| {
            let g = b["g"]["value"].as_str().expect("g").to_string();
            let n = b["n"]["value"]
                .as_str()
                .and_then(|n| n.parse().ok())
                .expect("n");
            (g, n)
        })
        .collect()
}

fn received(summary: &Value) -> BTreeMap<String, u64> {
    summary["graphs"]
        .as_object()
        .expect("graphs")
        .iter()
        .map(|(g, n)| (g.clone(), n.as_u64().expect("count")))
        .collect()
}

#[test]
fn push_with_digest_auth_is_complete_and_idempotent() {
    let out = extract_samples(&["--formats", "store"]);
    let store = out.path().join("store");
    let expected = counts(&store);
    assert!(expected.len() >= 5, "{expected:?}");
    let server = GspServer::start("digest");

    let o = push(&store, &server.endpoint(), "s3cret", &[]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok")).count(),
        expected.len()
    );
    let s = server.summary();
    assert_eq!(received(&s), expected);
    // One challenge, then the nonce is reused with a growing nc.
    assert_eq!(s["challenged"], 1, "{s}");

    // PUT replaces: a second push (Turtle this time) leaves the same graphs and counts.
    let o = push(&store, &server.endpoint(), "s3cret", &["--format", "ttl"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = server.summary();
    assert_eq!(received(&s), expected);
    assert_eq!(s["puts"].as_u64(), Some(2 * expected.len() as u64));

    // A wrong password fails every graph and the exit code says so.
    let o = push(&store, &server.endpoint(), "wrong", &[]);
    assert!(!o.status.success());
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("FAILED") && stdout.contains("credentials rejected"),
        "{stdout}"
    );
    assert_eq!(
        server.summary()["puts"].as_u64(),
        Some(2 * expected.len() as u64)
    );
}

#[test]
fn push_with_basic_auth() {
    let out = extract_samples(&["--formats", "store"]);
    let store = out.path().join("store");
    let server = GspServer::start("basic");
    let o = push(&store, &server.endpoint(), "s3cret", &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(received(&server.summary()), counts(&store));
    let o = Command::new(env!("CARGO_BIN_EXE_kgx"))
        .args(["push", "--store", store.to_str().expect("utf-8")])
        .args(["--endpoint", &server.endpoint()])
        .env_remove("KGX_PASSWORD")
        .output()
        .expect("kgx push runs");
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("needs credentials"));
}
