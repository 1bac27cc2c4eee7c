//! `kgx serve` over the sample corpus: the SPARQL 1.1 Protocol as a client sees it, through
//! real sockets, and an independent client (SPARQLWrapper) against `kgx query`.

mod common;
use common::*;

use serde_json::Value;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `kgx serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

/// A port nothing listens on right now: the OS picks it for a listener we drop at once. Another
/// process could take it in between, which `start` reports as a failure to come up.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn start(store: &Path, extra: &[&str]) -> Server {
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_kgx"))
        .args(["serve", "--store", store.to_str().expect("utf-8 path")])
        .args(["--bind", &bind])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("kgx serve starts");
    let mut server = Server { child, port };
    wait_until_listening(&mut server.child, &bind, Duration::from_secs(20));
    server
}

struct Reply {
    status: u16,
    content_type: String,
    truncated: bool,
    cors: bool,
    body: String,
    ms: f64,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

fn reply(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>, started: Instant) -> Reply {
    let mut r = r.expect("HTTP exchange");
    let header = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (content_type, truncated, cors) = (
        header("content-type"),
        !header("x-kgx-truncated").is_empty(),
        header("access-control-allow-origin") == "*",
    );
    Reply {
        status: r.status().as_u16(),
        content_type,
        truncated,
        cors,
        body: r.body_mut().read_to_string().expect("UTF-8 body"),
        ms: started.elapsed().as_secs_f64() * 1000.0,
    }
}

fn get(s: &Server, path: &str, query: Option<&str>, accept: Option<&str>) -> Reply {
    let started = Instant::now();
    let mut rq = agent().get(s.url(path));
    if let Some(q) = query {
        rq = rq.query("query", q);
    }
    if let Some(a) = accept {
        rq = rq.header("Accept", a);
    }
    reply(rq.call(), started)
}

fn post(s: &Server, content_type: &str, body: &str, accept: &str, auth: Option<&str>) -> Reply {
    let started = Instant::now();
    let mut rq = agent()
        .post(s.url("/sparql"))
        .header("Content-Type", content_type)
        .header("Accept", accept);
    if let Some(a) = auth {
        rq = rq.header("Authorization", a);
    }
    reply(rq.send(body), started)
}

fn form(key: &str, value: &str) -> String {
    let v: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
    format!("{key}={v}")
}

const SELECT: &str = "SELECT ?org ?doc WHERE { ?o kgx:issued ?d ; skos:prefLabel ?org . ?d skos:prefLabel ?doc } ORDER BY ?org ?doc";
const CONSTRUCT: &str = "CONSTRUCT { ?o kgx:issued ?d } WHERE { ?o kgx:issued ?d }";

#[test]
fn protocol_negotiation_and_errors() {
    let out = extract_samples(&["--formats", "store"]);
    let s = start(&out.path().join("store"), &[]);
    let mut latencies = Vec::new();

    // SELECT by GET, POST form and POST sparql-query, each result format by Accept.
    let results = [
        (
            "application/sparql-results+json",
            "application/sparql-results+json",
        ),
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/html, */*;q=0.8", "application/sparql-results+json"),
    ];
    for (accept, want) in results {
        let replies = [
            get(&s, "/sparql", Some(SELECT), Some(accept)),
            post(
                &s,
                "application/x-www-form-urlencoded",
                &form("query", SELECT),
                accept,
                None,
            ),
            post(&s, "application/sparql-query", SELECT, accept, None),
        ];
        for r in replies {
            assert_eq!(r.status, 200, "{accept}: {}", r.body);
            assert!(
                r.content_type.starts_with(want),
                "{accept} → {}",
                r.content_type
            );
            assert!(r.body.contains("国务院"), "{accept}: {}", r.body);
            latencies.push(r.ms);
        }
    }
    let json: Value =
        serde_json::from_str(&get(&s, "/sparql", Some(SELECT), None).body).expect("JSON results");
    assert_eq!(json["head"]["vars"], serde_json::json!(["org", "doc"]));
    assert!(json["results"]["bindings"]
        .as_array()
        .is_some_and(|b| !b.is_empty()));
    let ask = get(&s, "/sparql", Some("ASK { ?s a kgx:Program }"), None);
    assert_eq!(ask.body, r#"{"head":{},"boolean":true}"#);

    // CONSTRUCT in each graph format.
    let graphs = [
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("*/*", "text/turtle"),
    ];
    for (accept, want) in graphs {
        let r = post(&s, "application/sparql-query", CONSTRUCT, accept, None);
        assert_eq!(r.status, 200, "{accept}: {}", r.body);
        assert!(
            r.content_type.starts_with(want),
            "{accept} → {}",
            r.content_type
        );
        assert!(r.body.contains("issued"), "{accept}: {}", r.body);
        latencies.push(r.ms);
    }
    let nt = post(
        &s,
        "application/sparql-query",
        CONSTRUCT,
        "application/n-triples",
        None,
    );
    assert!(nt.body.lines().all(|l| l.ends_with(" .")), "{}", nt.body);
    let ld = post(
        &s,
        "application/sparql-query",
        CONSTRUCT,
        "application/ld+json",
        None,
    );
    serde_json::from_str::<Value>(&ld.body).expect("JSON-LD is JSON");
    assert_eq!(
        get(&s, "/sparql", Some(SELECT), Some("image/png")).status,
        406
    );

    // Read-only: updates are refused whichever way they come.
    let insert = "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }";
    let r = post(&s, "application/sparql-update", insert, "*/*", None);
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("--allow-update"), "{}", r.body);
    let r = post(
        &s,
        "application/x-www-form-urlencoded",
        &form("update", insert),
        "*/*",
        None,
    );
    assert_eq!(r.status, 403, "{}", r.body);

    // A malformed query: 400 with the parser's own message, the one `kgx query` prints.
    let bad = "SELECT ?x WHERE { ?x ?y }";
    let r = get(&s, "/sparql", Some(bad), None);
    assert_eq!(r.status, 400);
    let message = r
        .body
        .trim()
        .strip_prefix("SPARQL syntax error: ")
        .unwrap_or("");
    assert!(!message.is_empty(), "{}", r.body);
    let cli = kgx(&[
        "query",
        "--store",
        out.path().join("store").to_str().unwrap_or(""),
        bad,
    ]);
    assert!(
        String::from_utf8_lossy(&cli.stderr).contains(message),
        "parser message {message:?} differs from kgx query's {}",
        String::from_utf8_lossy(&cli.stderr)
    );

    // Only / and /sparql exist.
    for path in ["/nope", "/sparql/x", "/index.html", "/../etc/passwd"] {
        assert_eq!(get(&s, path, None, None).status, 404, "{path}");
    }
    let page = get(&s, "/", None, None);
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.body.contains("who-issued-what") && page.body.contains("trace-a-relation"));
    assert!(!page.cors, "CORS is opt-in");
    assert_eq!(get(&s, "/sparql", None, None).status, 400);

    latencies.sort_by(f64::total_cmp);
    eprintln!(
        "kgx serve: {} requests, median {:.1} ms, max {:.1} ms",
        latencies.len(),
        latencies[latencies.len() / 2],
        latencies[latencies.len() - 1]
    );
}

/// Bindings as comparable JSON: what every SPARQL JSON results reader must agree on.
fn bindings(results: &Value) -> (Value, Vec<Value>) {
    let rows = results["results"]["bindings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (results["head"]["vars"].clone(), rows)
}

#[test]
fn sparqlwrapper_gets_the_same_bindings_as_kgx_query() {
    let Some(python) = python() else {
        panic!("no Python with SPARQLWrapper: run `bash scripts/setup.sh` (or set KGX_PYTHON)");
    };
    let out = extract_samples(&["--formats", "store"]);
    let store = out.path().join("store");
    let s = start(&store, &[]);
    let endpoint = s.url("/sparql");
    let mut compared = 0;
    let mut files: Vec<_> = std::fs::read_dir(root().join("queries"))
        .expect("queries/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    files.sort();
    for file in files {
        let f = file.to_str().expect("utf-8 path");
        let expected = bindings(&query_json(&store, &["--file", f]));
        for method in ["get", "post"] {
            let py = Command::new(&python)
                .arg(root().join("tests/tools/sparql_client.py"))
                .args([&endpoint, f, method])
                .output()
                .expect("python runs");
            assert!(
                py.status.success(),
                "{f} {method}: {}",
                String::from_utf8_lossy(&py.stderr)
            );
            let got = bindings(&serde_json::from_slice(&py.stdout).expect("SPARQLWrapper JSON"));
            assert_eq!(got, expected, "{f} by {method}");
        }
        assert!(!expected.1.is_empty(), "{f} answers nothing on the samples");
        compared += 1;
    }
    assert!(compared >= 5, "only {compared} example queries");
}

#[test]
fn updates_need_the_flag_and_the_token() {
    let out = extract_samples(&["--formats", "store"]);
    let s = start(
        &out.path().join("store"),
        &["--allow-update", "--token", "t0ken"],
    );
    let insert = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> \"c\" } }";
    let r = post(&s, "application/sparql-update", insert, "*/*", None);
    assert_eq!(r.status, 401, "{}", r.body);
    let r = post(
        &s,
        "application/sparql-update",
        insert,
        "*/*",
        Some("Bearer nope"),
    );
    assert_eq!(r.status, 401, "{}", r.body);
    let r = post(
        &s,
        "application/sparql-update",
        "INSERT DATA {",
        "*/*",
        Some("Bearer t0ken"),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    let r = post(
        &s,
        "application/sparql-update",
        insert,
        "*/*",
        Some("Bearer t0ken"),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let r = post(
        &s,
        "application/x-www-form-urlencoded",
        &form("update", "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> \"d\" } }"),
        "*/*",
        Some("Bearer t0ken"),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let r = get(
        &s,
        "/sparql",
        Some("SELECT ?c WHERE { <http://example.org/a> <http://example.org/b> ?c } ORDER BY ?c"),
        Some("text/csv"),
    );
    assert_eq!(r.body.replace("\r\n", "\n"), "c\nc\nd\n");
}

#[test]
fn timeout_row_cap_and_cors() {
    let out = extract_samples(&["--formats", "store"]);
    let s = start(
        &out.path().join("store"),
        &["--timeout-ms", "300", "--max-rows", "5", "--cors"],
    );
    // A cross product of the whole store with itself, three times: hours of work.
    let runaway = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i";
    let r = get(&s, "/sparql", Some(runaway), None);
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("--timeout-ms"), "{}", r.body);
    assert!(r.ms < 3000.0, "the timeout answered after {:.0} ms", r.ms);

    let r = get(&s, "/sparql", Some("SELECT * WHERE { ?s ?p ?o }"), None);
    assert_eq!(r.status, 200);
    assert!(r.truncated && r.cors);
    let json: Value = serde_json::from_str(&r.body).expect("JSON");
    assert_eq!(
        json["results"]["bindings"].as_array().map(Vec::len),
        Some(5)
    );
    let r = get(
        &s,
        "/sparql",
        Some("SELECT * WHERE { ?s a kgx:Program } LIMIT 3"),
        None,
    );
    assert!(!r.truncated);

    let started = Instant::now();
    let preflight = agent()
        .options(s.url("/sparql"))
        .header("Origin", "http://example.org")
        .header("Access-Control-Request-Method", "POST")
        .call();
    let r = reply(preflight, started);
    assert_eq!(r.status, 204);
    assert!(r.cors);
}
