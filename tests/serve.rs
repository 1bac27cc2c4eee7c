//! `kgx serve` over the sample corpus: the SPARQL 1.1 Protocol as a client sees it, through
//! real sockets, and an independent client (SPARQLWrapper) against `kgx query`.

mod common;
use common::*;

use serde_json::Value;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
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
    start_logging(store, extra, Stdio::null())
}

/// `start` with the server's stderr (its request log) sent to `stderr`.
fn start_logging(store: &Path, extra: &[&str], stderr: Stdio) -> Server {
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_kgx"))
        .args(["serve", "--store", store.to_str().expect("utf-8 path")])
        .args(["--bind", &bind])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(stderr)
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

/// What the server sends on a raw connection until it closes it; panics if it has not closed
/// it within `limit`. A reset after the response counts as closed.
fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Vec<u8> {
    stream
        .set_read_timeout(Some(limit))
        .expect("a read timeout");
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return got,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!(
                    "the server did not close the connection within {limit:?}; it sent {:?}",
                    String::from_utf8_lossy(&got)
                )
            }
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return got,
            Err(e) => panic!("read failed: {e}"),
        }
    }
}

/// The status and body of one raw HTTP/1.1 response.
fn parse_response(raw: &[u8]) -> (u16, String) {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("not an HTTP response: {text:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {head:?}"));
    (status, body.to_string())
}

const COUNT: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
/// Hours of joins on the samples that read the store all along, so oxigraph sees a
/// cancellation at once. (An ORDER BY over a cross product is not like that: it materialises
/// its input in memory and checks no token, oxigraph/oxigraph#1871.)
const RUNAWAY_COUNT: &str =
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?p ?d . ?e ?p ?f . ?g ?p ?h }";
/// The body every slow upload announces: a query, padded with spaces.
const SLOW_BODY_LEN: usize = 64;

/// A client that sends a POST's headers, then its body one byte per second; returns how many
/// body bytes it sent before the server answered, the answer (up to the close) and when the
/// answer came.
fn slow_upload(addr: &str) -> (usize, Vec<u8>, Duration) {
    let mut s = TcpStream::connect(addr).expect("connect");
    let started = Instant::now();
    let mut body = b"ASK { ?s ?p ?o }".to_vec();
    body.resize(SLOW_BODY_LEN, b' ');
    let head = format!(
        "POST /sparql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/sparql-query\r\n\
         Content-Length: {SLOW_BODY_LEN}\r\n\r\n"
    );
    s.write_all(head.as_bytes()).expect("headers sent");
    s.set_read_timeout(Some(Duration::from_secs(1)))
        .expect("a read timeout");
    let mut sent = 0;
    let mut buf = [0u8; 4096];
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no answer to a slow upload after 30 s"
        );
        if sent < SLOW_BODY_LEN && s.write_all(&body[sent..sent + 1]).is_ok() {
            sent += 1;
        }
        // Waiting for an answer is the one-second pause between bytes.
        match s.read(&mut buf) {
            Ok(0) => return (sent, Vec::new(), started.elapsed()),
            Ok(n) => {
                let answered = started.elapsed();
                let mut got = buf[..n].to_vec();
                got.extend(read_until_closed(&mut s, Duration::from_secs(5)));
                return (sent, got, answered);
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => panic!("slow upload: read failed after {sent} bytes: {e}"),
        }
    }
}

/// Issue #12: while 64 connections that send nothing are held and 8 clients upload a body one
/// byte per second, a normal query is answered at once; after the socket timeout the idle
/// connections and the slow uploads have been closed by the server.
#[test]
fn idle_and_slow_clients_do_not_stall_a_query() {
    let out = extract_samples(&["--formats", "store"]);
    let store = out.path().join("store");
    let expected = query_json(&store, &[COUNT]);
    assert!(
        expected["results"]["bindings"][0]["n"]["value"]
            .as_str()
            .is_some_and(|n| n.parse::<u64>().is_ok_and(|n| n > 1000)),
        "{expected}"
    );
    // 64 + 8 + the queries: more than the default --max-connections (64), whose surplus
    // would wait in the listen backlog until the idle ones time out.
    let s = start(
        &store,
        &["--socket-timeout-ms", "2000", "--max-connections", "128"],
    );
    let addr = format!("127.0.0.1:{}", s.port);

    let opened = Instant::now();
    let mut idle: Vec<TcpStream> = (0..64)
        .map(|_| TcpStream::connect(&addr).expect("an idle connection"))
        .collect();
    let uploads: Vec<_> = (0..8)
        .map(|_| {
            let addr = addr.clone();
            std::thread::spawn(move || slow_upload(&addr))
        })
        .collect();
    // Every upload has sent its headers and is dribbling its body.
    std::thread::sleep(Duration::from_millis(500));

    let mut worst: f64 = 0.0;
    for _ in 0..5 {
        let r = get(
            &s,
            "/sparql",
            Some(COUNT),
            Some("application/sparql-results+json"),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(
            serde_json::from_str::<Value>(&r.body).expect("JSON results"),
            expected
        );
        assert!(r.ms < 1000.0, "a query took {:.0} ms", r.ms);
        worst = worst.max(r.ms);
    }
    // The queries ran while the idle connections were held: each is still open, silent.
    assert!(
        opened.elapsed() < Duration::from_millis(1900),
        "the queries ended too late ({:?}) to show anything",
        opened.elapsed()
    );
    for c in &idle {
        c.set_nonblocking(true).expect("non-blocking");
        let mut byte = [0u8; 1];
        let held = matches!((&*c).read(&mut byte), Err(e) if e.kind() == ErrorKind::WouldBlock);
        assert!(
            held,
            "an idle connection was closed before the socket timeout"
        );
        c.set_nonblocking(false).expect("blocking");
    }
    eprintln!("kgx serve: 5 queries with 64 idle and 8 slow clients held, worst {worst:.1} ms");

    // After the socket timeout the server has closed every idle connection. What it sends
    // first is oxhttp's answer to a read timeout: the socket's EAGAIN, as a 500.
    for c in &mut idle {
        let got = read_until_closed(c, Duration::from_secs(5));
        let (status, body) = parse_response(&got);
        assert_eq!(status, 500, "{}", String::from_utf8_lossy(&got));
        assert_eq!(body, "Resource temporarily unavailable (os error 11)");
    }
    let closed = opened.elapsed();
    assert!(
        closed >= Duration::from_secs(2) && closed < Duration::from_millis(4500),
        "idle connections closed after {closed:?}, not just after the 2 s socket timeout"
    );
    // Each slow upload was refused once its body had not arrived within the timeout.
    for u in uploads {
        let (sent, got, answered) = u.join().expect("slow upload thread");
        let (status, body) = parse_response(&got);
        assert_eq!(status, 408, "{}", String::from_utf8_lossy(&got));
        assert_eq!(
            body,
            "the request body did not arrive within 2000 ms (kgx serve --socket-timeout-ms)\n"
        );
        assert!(
            (2..=5).contains(&sent),
            "{sent} of {SLOW_BODY_LEN} bytes sent"
        );
        assert!(
            answered >= Duration::from_secs(2) && answered < Duration::from_secs(5),
            "the slow upload was answered after {answered:?}"
        );
    }
    // And the server still answers.
    let r = get(&s, "/sparql", Some(COUNT), None);
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn an_oversized_body_is_refused_without_being_read() {
    let out = extract_samples(&["--formats", "store"]);
    let s = start(&out.path().join("store"), &["--max-body-bytes", "1000"]);
    let addr = format!("127.0.0.1:{}", s.port);
    let refused = "request body over 1000 bytes (kgx serve --max-body-bytes)\n";

    // Announced too long: answered before a byte of the body is sent, then closed.
    let mut c = TcpStream::connect(&addr).expect("connect");
    let head = format!(
        "POST /sparql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/sparql-query\r\n\
         Content-Length: 1001\r\n\r\n"
    );
    c.write_all(head.as_bytes()).expect("sent");
    let (status, body) = parse_response(&read_until_closed(&mut c, Duration::from_secs(5)));
    assert_eq!((status, body.as_str()), (413, refused));

    // Chunked: refused once past the limit.
    let mut c = TcpStream::connect(&addr).expect("connect");
    let chunk = " ".repeat(600);
    let rq = format!(
        "POST /sparql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/sparql-query\r\n\
         Transfer-Encoding: chunked\r\n\r\n258\r\n{chunk}\r\n258\r\n{chunk}\r\n"
    );
    c.write_all(rq.as_bytes()).expect("sent");
    let (status, body) = parse_response(&read_until_closed(&mut c, Duration::from_secs(5)));
    assert_eq!((status, body.as_str()), (413, refused));

    // Exactly at the limit: answered.
    let mut query = "ASK { ?s ?p ?o }".to_string();
    query.push_str(&" ".repeat(1000 - query.len()));
    let r = post(&s, "application/sparql-query", &query, "*/*", None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body, r#"{"head":{},"boolean":true}"#);
}

/// Sends a signal to a child with kill(1), so the tests need no libc binding.
#[cfg(unix)]
fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([format!("-{name}"), child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{name} failed");
}

/// Waits for a child to exit; panics after `limit`.
#[cfg(unix)]
fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "kgx serve still runs after {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn sigterm_cancels_what_runs_closes_the_store_and_exits_0() {
    let out = extract_samples(&["--formats", "store"]);
    let store = out.path().join("store");
    let log_path = out.path().join("serve.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let mut s = start_logging(
        &store,
        &[
            "--allow-update",
            "--token",
            "t0ken",
            "--timeout-ms",
            "120000",
        ],
        Stdio::from(log),
    );
    let insert = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> \"before the signal\" } }";
    let r = post(
        &s,
        "application/sparql-update",
        insert,
        "*/*",
        Some("Bearer t0ken"),
    );
    assert_eq!(r.status, 204, "{}", r.body);

    // A query that would run for hours, in flight when the signal comes.
    let url = s.url("/sparql");
    let runaway = std::thread::spawn(move || {
        let started = Instant::now();
        let r = agent().get(&url).query("query", RUNAWAY_COUNT).call();
        reply(r, started)
    });
    std::thread::sleep(Duration::from_millis(700));
    let signalled = Instant::now();
    signal(&s.child, "TERM");
    let r = runaway.join().expect("runaway client");
    let answered = signalled.elapsed();
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.body, "query cancelled: kgx serve is shutting down\n");
    // The 5 s grace for requests in flight, then the cancellation.
    assert!(
        answered >= Duration::from_millis(4500) && answered < Duration::from_secs(9),
        "the query in flight was answered {answered:?} after SIGTERM"
    );
    let status = wait_exit(&mut s.child, Duration::from_secs(15));
    assert_eq!(status.code(), Some(0), "{status}");
    let exited = signalled.elapsed();

    let log = std::fs::read_to_string(&log_path).expect("the log");
    let lines: Vec<&str> = log.lines().collect();
    assert!(
        lines.contains(&"kgx: shutting down: 1 request(s) in flight, 5 s to finish")
            && lines.contains(&"kgx: cancelling 1 request(s) still in flight"),
        "{log}"
    );
    assert_eq!(lines.last(), Some(&"kgx: stopped"), "{log}");
    // The cancelled evaluation stopped: the shutdown did not have to leave it running.
    assert!(!log.contains("still running"), "{log}");
    // Nothing listens any more, and the store, closed, opens and holds the update.
    assert!(TcpStream::connect(("127.0.0.1", s.port)).is_err());
    let json = query_json(
        &store,
        &["SELECT ?c WHERE { <http://example.org/a> <http://example.org/b> ?c }"],
    );
    assert_eq!(
        json["results"]["bindings"][0]["c"]["value"],
        "before the signal"
    );
    eprintln!("kgx serve: SIGTERM → 503 to the query in flight after {answered:?}, exit 0 after {exited:?}");
}

#[cfg(unix)]
#[test]
fn sigint_with_nothing_in_flight_exits_0_at_once() {
    let out = extract_samples(&["--formats", "store"]);
    let mut s = start(&out.path().join("store"), &[]);
    assert_eq!(get(&s, "/sparql", Some(COUNT), None).status, 200);
    // An idle keep-alive connection does not hold the shutdown up.
    let _idle = TcpStream::connect(("127.0.0.1", s.port)).expect("connect");
    let signalled = Instant::now();
    signal(&s.child, "INT");
    let status = wait_exit(&mut s.child, Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "{status}");
    assert!(
        signalled.elapsed() < Duration::from_secs(2),
        "exit took {:?}",
        signalled.elapsed()
    );
}

/// A query cancelled by its timeout stops, and its evaluation slot is free again: with one
/// slot, the next query is answered at once instead of waiting behind it.
#[test]
fn a_cancelled_evaluation_stops_and_frees_its_slot() {
    let out = extract_samples(&["--formats", "store"]);
    let s = start(
        &out.path().join("store"),
        &["--threads", "1", "--timeout-ms", "1000"],
    );
    for _ in 0..3 {
        let r = get(&s, "/sparql", Some(RUNAWAY_COUNT), None);
        assert_eq!(r.status, 503, "{}", r.body);
        assert_eq!(
            r.body,
            "query cancelled after 1000 ms (kgx serve --timeout-ms)\n"
        );
        assert!(r.ms < 2500.0, "the timeout answered after {:.0} ms", r.ms);
        // Were the cancelled evaluation still running, this would wait for the slot (up to
        // --timeout-ms) and then get 503.
        let r = get(&s, "/sparql", Some("ASK { ?s ?p ?o }"), None);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body, r#"{"head":{},"boolean":true}"#);
        assert!(
            r.ms < 900.0,
            "the next query waited {:.0} ms for the slot",
            r.ms
        );
    }
}
