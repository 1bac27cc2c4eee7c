//! Crash safety of `kgx serve --allow-update`: SIGKILL while updates stream in leaves a store
//! that opens and answers, holding every update the server acknowledged, each update whole or
//! not at all, and the extracted documents untouched.

mod common;
use common::*;

use serde_json::Value;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TOKEN: &str = "T0ken-for-the-crash-test";
/// Triples in each streamed update.
const BATCH: usize = 500;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn start(store: &Path, bind: &str) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_kgx"))
        .args(["serve", "--store", store.to_str().expect("utf-8 path")])
        .args(["--bind", bind, "--allow-update", "--token", TOKEN])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("kgx serve starts");
    let mut server = Server(child);
    wait_until_listening(&mut server.0, bind, Duration::from_secs(30));
    server
}

/// Sends one SPARQL update; its HTTP status, or None when the exchange failed.
fn update(agent: &ureq::Agent, url: &str, body: &str) -> Option<u16> {
    agent
        .post(url)
        .header("Content-Type", "application/sparql-update")
        .header("Authorization", &format!("Bearer {TOKEN}"))
        .send(body)
        .ok()
        .map(|r| r.status().as_u16())
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

fn batch_update(graph: &str) -> String {
    let mut body = format!("INSERT DATA {{ GRAPH <{graph}> {{\n");
    for i in 0..BATCH {
        body.push_str(&format!(
            "<{graph}/s{i}> <urn:kgx-crash:p> \"值 {i} 宁波市\" .\n"
        ));
    }
    body.push_str("} }");
    body
}

/// Runs a query with `kgx query` (a fresh process opening the store) and returns its JSON.
fn query(store: &Path, q: &str) -> Value {
    query_json(store, &[q])
}

/// `?g ?n` rows of a per-graph count as a map.
fn counts_per_graph(store: &Path) -> std::collections::BTreeMap<String, u64> {
    let json = query(
        store,
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    );
    json["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .iter()
        .map(|b| {
            (
                b["g"]["value"].as_str().expect("g").to_string(),
                b["n"]["value"]
                    .as_str()
                    .and_then(|n| n.parse().ok())
                    .expect("n"),
            )
        })
        .collect()
}

#[test]
fn sigkill_during_updates_leaves_a_store_that_opens_and_answers() {
    let out = extract_samples(&["--formats", "store"]);
    let store = out.path().join("store");
    let before = counts_per_graph(&store);
    assert!(!before.is_empty(), "the sample store holds document graphs");

    let bind = format!("127.0.0.1:{}", free_port());
    let url = format!("http://{bind}/sparql");
    let mut server = start(&store, &bind);
    let client = agent();

    // A few single updates, each acknowledged before the next.
    for i in 0..5 {
        let body = format!(
            "INSERT DATA {{ GRAPH <urn:kgx-crash:committed> {{ <urn:kgx-crash:s{i}> <urn:kgx-crash:p> {i} }} }}"
        );
        let status = update(&client, &url, &body).expect("the update is answered");
        assert!((200..300).contains(&status), "update {i} refused: {status}");
    }

    // Then a stream of larger updates from four clients, killed in the middle.
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let sent = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let (acked, sent, stop, url) = (acked.clone(), sent.clone(), stop.clone(), url.clone());
            std::thread::spawn(move || {
                let http = agent();
                for i in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let graph = format!("urn:kgx-crash:batch-{c}-{i}");
                    sent.lock().expect("lock").push(graph.clone());
                    match update(&http, &url, &batch_update(&graph)) {
                        Some(s) if (200..300).contains(&s) => {
                            acked.lock().expect("lock").push(graph)
                        }
                        Some(s) => panic!("streamed update refused: {s}"),
                        None => break, // the server is gone
                    }
                }
            })
        })
        .collect();
    // Kill once some updates are committed, while others are certainly in flight.
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.lock().expect("lock").len() < 12 {
        assert!(Instant::now() < deadline, "updates too slow");
        std::thread::sleep(Duration::from_millis(5));
    }
    server.0.kill().expect("SIGKILL"); // Child::kill is SIGKILL on Unix
    let status = server.0.wait().expect("wait");
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().expect("client thread");
    }
    drop(server);
    assert!(
        !status.success(),
        "the server was killed, not exited: {status}"
    );

    let acked = acked.lock().expect("lock").clone();
    let sent = sent.lock().expect("lock").clone();
    println!(
        "killed after {} acknowledged of {} sent streamed updates ({BATCH} triples each)",
        acked.len(),
        sent.len()
    );

    // The store opens and answers.
    let ask = query(
        &store,
        "ASK { GRAPH <urn:kgx-crash:committed> { <urn:kgx-crash:s4> <urn:kgx-crash:p> 4 } }",
    );
    assert_eq!(ask["boolean"], Value::Bool(true), "{ask}");

    let after = counts_per_graph(&store);
    // Document graphs are exactly as extracted.
    for (g, n) in &before {
        assert_eq!(after.get(g), Some(n), "document graph {g} changed");
    }
    // Every acknowledged update is there, whole.
    assert_eq!(after.get("urn:kgx-crash:committed"), Some(&5));
    for g in &acked {
        assert_eq!(after.get(g), Some(&(BATCH as u64)), "acknowledged {g}");
    }
    // An update in flight at the kill is there whole or not at all; nothing else appeared.
    for (g, n) in &after {
        if before.contains_key(g) || g == "urn:kgx-crash:committed" {
            continue;
        }
        assert!(sent.contains(g), "unexpected graph {g}");
        assert_eq!(*n, BATCH as u64, "update {g} half applied");
    }

    // The store also serves again.
    let bind = format!("127.0.0.1:{}", free_port());
    let server = start(&store, &bind);
    let status = update(
        &client,
        &format!("http://{bind}/sparql"),
        "INSERT DATA { GRAPH <urn:kgx-crash:after> { <urn:kgx-crash:a> <urn:kgx-crash:p> 1 } }",
    );
    assert_eq!(status.map(|s| (200..300).contains(&s)), Some(true));
    drop(server);
}
