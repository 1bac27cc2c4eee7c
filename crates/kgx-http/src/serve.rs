//! `kgx serve`: the SPARQL 1.1 Protocol over the store, at `/sparql`, and a query page at `/`.
//!
//! Two layers. `Service::handle` is the protocol: a plain [`Request`] in, a [`Response`]
//! out, tested without sockets. The transport ([`run`], on oxhttp) only moves bytes and
//! enforces the limits that need a socket: a thread per connection up to `max_connections`,
//! read and write timeouts on every socket, request bodies read whole (at most
//! `max_body_bytes`, within `socket_timeout`) before a request takes one of the `threads`
//! evaluation slots, and a clean shutdown on SIGINT/SIGTERM. A query is evaluated to the end
//! (bounded by `max_rows` and `timeout`) before the status line is sent, so a timeout or an
//! evaluation error is a proper HTTP error, never a cut-off 200.

use anyhow::Result;
use kgx_rdf::rdf::PREFIXES;
use kgx_rdf::sparql::evaluator;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryResults};
use oxigraph::store::Store;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

mod transport;

pub use transport::run;

/// How `kgx serve` runs: the store, the address, and every limit. [`Default`] holds the
/// defaults of `kgx serve`'s flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The store folder (made by `kgx extract`).
    pub store: PathBuf,
    /// Address and port to listen on, e.g. `127.0.0.1:7878`; a host name binds every address
    /// it resolves to. Anything but loopback exposes the store to the network.
    pub bind: String,
    /// Accept SPARQL updates; opens the store read-write, which locks it against `kgx extract`.
    pub allow_update: bool,
    /// When set, updates need `Authorization: Bearer TOKEN`.
    pub token: Option<String>,
    /// A query or update running longer than this is cancelled (503). Also the longest a
    /// request waits for an evaluation slot.
    pub timeout: Duration,
    /// Results stop after this many rows (SELECT) or triples (CONSTRUCT, DESCRIBE).
    pub max_rows: usize,
    /// Send `Access-Control-Allow-Origin: *`.
    pub cors: bool,
    /// Request bodies larger than this are refused (413) without being read.
    pub max_body_bytes: usize,
    /// Connections served at once (each has a thread); more wait to be accepted.
    pub max_connections: usize,
    /// Evaluations at once [`None`: the number of cores].
    pub threads: Option<usize>,
    /// Read and write timeout of every socket: a connection that sends nothing (or takes no
    /// response bytes) for this long is closed, and a request body must arrive whole within it.
    pub socket_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            store: PathBuf::from("output/store"),
            bind: "127.0.0.1:7878".into(),
            allow_update: false,
            token: None,
            timeout: Duration::from_millis(30_000),
            max_rows: 10_000,
            cors: false,
            max_body_bytes: 1 << 20,
            max_connections: 64,
            threads: None,
            socket_timeout: Duration::from_millis(10_000),
        }
    }
}

/// What the protocol layer ([`Service`]) needs of the [`Options`].
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// Accept updates.
    pub allow_update: bool,
    /// The bearer token updates need, if any.
    pub token: Option<String>,
    /// Evaluation timeout of a query or update.
    pub timeout: Duration,
    /// Row (or triple) cap of a result.
    pub max_rows: usize,
    /// Send CORS headers.
    pub cors: bool,
}

impl From<&Options> for Config {
    fn from(o: &Options) -> Self {
        Config {
            allow_update: o.allow_update,
            token: o.token.clone(),
            timeout: o.timeout,
            max_rows: o.max_rows,
            cors: o.cors,
        }
    }
}

/// An HTTP request, independent of the server crate.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `GET`, `POST` …
    pub method: String,
    /// The request target as sent: path and query string.
    pub url: String,
    /// Header fields in the order received.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
    /// Held until everything the request started has finished (see [`Lease`]).
    pub(crate) lease: Option<Arc<Lease>>,
}

impl Request {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The evaluation slots (`threads`): at most `max` requests evaluate at once, counting
/// evaluations that outlived their timeout, so cancelled work cannot pile up.
#[derive(Debug)]
pub(crate) struct Slots {
    taken: Mutex<usize>,
    max: usize,
    freed: Condvar,
}

/// Why [`Slots::acquire`] gave no slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoSlot {
    /// Every slot stayed taken for the whole wait.
    Busy,
    /// The server is shutting down.
    Stopping,
}

impl Slots {
    /// `max` slots (at least one).
    pub fn new(max: usize) -> Arc<Self> {
        Arc::new(Slots {
            taken: Mutex::new(0),
            max: max.max(1),
            freed: Condvar::new(),
        })
    }

    /// How many slots there are.
    pub fn max(&self) -> usize {
        self.max
    }

    fn count(&self) -> MutexGuard<'_, usize> {
        // A panic while holding this lock leaves a consistent count: it is one integer.
        self.taken.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many slots are taken.
    pub fn taken(&self) -> usize {
        *self.count()
    }

    /// A slot, waiting at most `wait` for one to be freed; gives up early once `stopping`.
    pub(crate) fn acquire(
        self: &Arc<Self>,
        wait: Duration,
        stopping: &AtomicBool,
    ) -> Result<Lease, NoSlot> {
        let deadline = Instant::now() + wait;
        let mut taken = self.count();
        loop {
            if stopping.load(Ordering::Acquire) {
                return Err(NoSlot::Stopping);
            }
            if *taken < self.max {
                *taken += 1;
                return Ok(Lease(self.clone()));
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(NoSlot::Busy);
            }
            taken = self
                .freed
                .wait_timeout(taken, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Wakes every request waiting for a slot (they then look at the stopping flag).
    pub(crate) fn wake_all(&self) {
        let _taken = self.count();
        self.freed.notify_all();
    }

    /// Waits until no slot is taken or `deadline` passes; true if none is taken.
    pub(crate) fn wait_idle(&self, deadline: Instant) -> bool {
        let mut taken = self.count();
        while *taken > 0 {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            taken = self
                .freed
                .wait_timeout(taken, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }
}

/// One request's evaluation slot; given back when the last holder (the request, or a query
/// evaluation that outlived its timeout) drops it.
#[derive(Debug)]
pub(crate) struct Lease(Arc<Slots>);

impl Drop for Lease {
    fn drop(&mut self) {
        let mut taken = self.0.count();
        *taken = taken.saturating_sub(1);
        self.0.freed.notify_all();
    }
}

/// An HTTP response, independent of the server crate.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header fields, `Content-Type` first.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl Response {
    fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    fn text(status: u16, message: impl std::fmt::Display) -> Self {
        Self::new(status, "text/plain; charset=utf-8", format!("{message}\n"))
    }

    fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The example queries of `queries/`, compiled in so the page works from any folder.
pub(crate) const EXAMPLES: [(&str, &str); 6] = [
    (
        "who-issued-what",
        include_str!("../../../queries/who-issued-what.rq"),
    ),
    (
        "programs-of-a-city",
        include_str!("../../../queries/programs-of-a-city.rq"),
    ),
    (
        "documents-citing-a-plan",
        include_str!("../../../queries/documents-citing-a-plan.rq"),
    ),
    (
        "agencies-of-a-province",
        include_str!("../../../queries/agencies-of-a-province.rq"),
    ),
    (
        "programs-by-year",
        include_str!("../../../queries/programs-by-year.rq"),
    ),
    (
        "trace-a-relation",
        include_str!("../../../queries/trace-a-relation.rq"),
    ),
];

const PAGE: &str = include_str!("serve/page.html");

/// The query page with the examples inlined as JSON. `<` is escaped so no query text can
/// close the script element.
pub fn page() -> String {
    let examples: Vec<serde_json::Value> = EXAMPLES
        .iter()
        .map(|(name, text)| serde_json::json!({ "name": name, "query": text }))
        .collect();
    let json = serde_json::Value::Array(examples)
        .to_string()
        .replace('<', "\\u003c");
    let prefixes = PREFIXES
        .iter()
        .map(|(p, iri)| format!("PREFIX {p}: <{iri}>"))
        .collect::<Vec<_>>()
        .join("\n");
    PAGE.replace("{{EXAMPLES}}", &json)
        .replace("{{PREFIXES}}", &html_escape::encode_text(&prefixes))
}

/// Result formats a client may ask for, first = default.
const RESULT_TYPES: [(&str, QueryResultsFormat); 7] = [
    ("application/sparql-results+json", QueryResultsFormat::Json),
    ("application/json", QueryResultsFormat::Json),
    ("application/sparql-results+xml", QueryResultsFormat::Xml),
    ("application/xml", QueryResultsFormat::Xml),
    ("text/xml", QueryResultsFormat::Xml),
    ("text/csv", QueryResultsFormat::Csv),
    ("text/tab-separated-values", QueryResultsFormat::Tsv),
];

const JSON_LD: RdfFormat = RdfFormat::JsonLd {
    profile: JsonLdProfileSet::empty(),
};

/// Graph formats a client may ask for, first = default.
const GRAPH_TYPES: [(&str, RdfFormat); 9] = [
    ("text/turtle", RdfFormat::Turtle),
    ("application/x-turtle", RdfFormat::Turtle),
    ("application/n-triples", RdfFormat::NTriples),
    ("text/plain", RdfFormat::NTriples),
    ("application/rdf+xml", RdfFormat::RdfXml),
    ("application/xml", RdfFormat::RdfXml),
    ("text/xml", RdfFormat::RdfXml),
    ("application/ld+json", JSON_LD),
    ("application/json", JSON_LD),
];

/// Picks the representation for an `Accept` header (RFC 9110 §12.5.1): highest q first, then
/// header order; `*/*` and `type/*` take the first offer that fits. No header = the default.
/// `None` means nothing acceptable (406).
pub(crate) fn negotiate<T: Copy>(accept: Option<&str>, offers: &[(&str, T)]) -> Option<T> {
    let first = offers.first()?;
    let accept = match accept.map(str::trim) {
        None | Some("") => return Some(first.1),
        Some(a) => a,
    };
    let mut ranges: Vec<(f32, String)> = accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let range = parts.next()?.trim().to_ascii_lowercase();
            let mut q = 1.0f32;
            for p in parts {
                if let Some((k, v)) = p.split_once('=') {
                    if k.trim().eq_ignore_ascii_case("q") {
                        q = v.trim().parse().unwrap_or(0.0);
                    }
                }
            }
            (!range.is_empty() && q > 0.0).then_some((q, range))
        })
        .collect();
    // A stable sort keeps header order among equal weights.
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, range) in &ranges {
        if range == "*/*" {
            return Some(first.1);
        }
        if let Some(kind) = range.strip_suffix("/*") {
            if let Some((_, f)) = offers
                .iter()
                .find(|(m, _)| m.split('/').next() == Some(kind))
            {
                return Some(*f);
            }
            continue;
        }
        if let Some((_, f)) = offers.iter().find(|(m, _)| *m == range) {
            return Some(*f);
        }
    }
    None
}

/// The RDF dataset a request names with `default-graph-uri` / `named-graph-uri`.
#[derive(Debug, Default, Clone)]
struct DatasetParams {
    default: Vec<String>,
    named: Vec<String>,
}

/// A request's SPARQL operation, from the query string or the body.
#[derive(Debug, Default)]
struct Operation {
    query: Option<String>,
    update: Option<String>,
    dataset: DatasetParams,
}

impl Operation {
    fn add_params(&mut self, encoded: &[u8]) -> Result<(), Response> {
        for (k, v) in form_urlencoded::parse(encoded) {
            match k.as_ref() {
                "query" => set_once(&mut self.query, v.into_owned(), "query")?,
                "update" => set_once(&mut self.update, v.into_owned(), "update")?,
                "default-graph-uri" => self.dataset.default.push(v.into_owned()),
                "named-graph-uri" => self.dataset.named.push(v.into_owned()),
                "using-graph-uri" | "using-named-graph-uri" => {
                    return Err(Response::text(
                        400,
                        format!("{k} is not supported; use USING in the update instead"),
                    ))
                }
                _ => {}
            }
        }
        Ok(())
    }
}

fn set_once(slot: &mut Option<String>, value: String, name: &str) -> Result<(), Response> {
    if slot.is_some() {
        return Err(Response::text(
            400,
            format!("more than one {name} parameter"),
        ));
    }
    *slot = Some(value);
    Ok(())
}

/// Cancels a token when a deadline passes, unless dropped first. One short-lived thread per
/// evaluation: the count is bounded by the worker pool, and it ends as soon as the guard drops.
struct Deadline {
    _done: mpsc::Sender<()>,
}

impl Deadline {
    fn start(timeout: Duration, token: CancellationToken) -> Self {
        let (done, wait) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            if let Err(RecvTimeoutError::Timeout) = wait.recv_timeout(timeout) {
                token.cancel();
            }
        });
        Deadline { _done: done }
    }
}

/// Compares secrets without an early exit, so response time does not leak a prefix match.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The protocol: answers [`Request`]s from a store, whatever carries them.
pub(crate) struct Service {
    store: Store,
    config: Config,
    page: String,
    /// The cancellation tokens of the evaluations under way, by a running number, so
    /// [`Service::shutdown`] can cancel them.
    running: Mutex<HashMap<u64, CancellationToken>>,
    next_id: AtomicU64,
    stopping: AtomicBool,
}

/// An evaluation's entry in [`Service::running`], removed when dropped.
struct Running<'a> {
    service: &'a Service,
    id: u64,
    token: CancellationToken,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.service.running().remove(&self.id);
    }
}

impl Service {
    /// A service over `store` (opened read-write if `config.allow_update`).
    pub fn new(store: Store, config: Config) -> Self {
        Service {
            store,
            config,
            page: page(),
            running: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
            stopping: AtomicBool::new(false),
        }
    }

    /// The store it answers from.
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn running(&self) -> MutexGuard<'_, HashMap<u64, CancellationToken>> {
        // A map of tokens stays consistent whatever panicked while holding it.
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A fresh cancellation token, registered until the guard drops; already cancelled when
    /// the service is shutting down.
    fn start_evaluation(&self) -> Running<'_> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let token = CancellationToken::new();
        let mut running = self.running();
        if self.stopping.load(Ordering::Acquire) {
            token.cancel();
        }
        running.insert(id, token.clone());
        Running {
            service: self,
            id,
            token,
        }
    }

    /// Cancels every evaluation under way and every later one: their requests are answered
    /// with 503 at once (a cancelled evaluation's thread ends at oxigraph's next check).
    pub fn shutdown(&self) {
        let running = self.running();
        self.stopping.store(true, Ordering::Release);
        for token in running.values() {
            token.cancel();
        }
    }

    /// Whether [`Service::shutdown`] was called.
    pub(crate) fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::Acquire)
    }

    /// Answers one request: `/` (the query page), `/sparql` (the SPARQL 1.1 Protocol), 404
    /// elsewhere.
    pub(crate) fn handle(&self, req: &Request) -> Response {
        let (path, query_string) = req.url.split_once('?').unwrap_or((&req.url, ""));
        let resp = match path {
            "/" => match req.method.as_str() {
                "GET" | "HEAD" => Response::new(200, "text/html; charset=utf-8", self.page.clone())
                    .with_header(
                        "Content-Security-Policy",
                        "default-src 'none'; script-src 'unsafe-inline'; \
                         style-src 'unsafe-inline'; connect-src 'self'",
                    ),
                _ => Response::text(405, "use GET").with_header("Allow", "GET, HEAD"),
            },
            "/sparql" => self.sparql(req, query_string),
            _ => Response::text(404, "not found: the SPARQL endpoint is /sparql"),
        };
        let mut resp = resp.with_header("X-Content-Type-Options", "nosniff");
        if self.config.cors {
            resp = resp
                .with_header("Access-Control-Allow-Origin", "*")
                .with_header("Access-Control-Expose-Headers", "X-KGX-Truncated");
        }
        resp
    }

    fn sparql(&self, req: &Request, query_string: &str) -> Response {
        let mut op = Operation::default();
        if let Err(r) = op.add_params(query_string.as_bytes()) {
            return r;
        }
        match req.method.as_str() {
            "GET" => {
                if op.update.is_some() {
                    return Response::text(405, "updates must be sent with POST")
                        .with_header("Allow", "POST");
                }
            }
            "POST" => {
                let content_type = req
                    .header("Content-Type")
                    .unwrap_or("")
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                let body = || {
                    String::from_utf8(req.body.clone())
                        .map_err(|_| Response::text(400, "the request body is not UTF-8"))
                };
                let added = match content_type.as_str() {
                    "application/x-www-form-urlencoded" => op.add_params(&req.body),
                    "application/sparql-query" => {
                        body().and_then(|b| set_once(&mut op.query, b, "query"))
                    }
                    "application/sparql-update" => {
                        body().and_then(|b| set_once(&mut op.update, b, "update"))
                    }
                    other => Err(Response::text(
                        415,
                        format!(
                            "unsupported Content-Type {other:?}: use application/sparql-query, \
                             application/sparql-update or application/x-www-form-urlencoded"
                        ),
                    )),
                };
                if let Err(r) = added {
                    return r;
                }
            }
            "OPTIONS" if self.config.cors => {
                return Response::new(204, "text/plain", Vec::new())
                    .with_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                    .with_header(
                        "Access-Control-Allow-Headers",
                        "Accept, Authorization, Content-Type",
                    )
                    .with_header("Access-Control-Max-Age", "600");
            }
            _ => return Response::text(405, "use GET or POST").with_header("Allow", "GET, POST"),
        }
        match (op.query, op.update) {
            (Some(q), None) => self.query(&q, &op.dataset, req.header("Accept"), &req.lease),
            (None, Some(u)) => self.update(&u, req),
            (Some(_), Some(_)) => Response::text(400, "give either query or update, not both"),
            (None, None) => Response::text(400, "missing query (or update) parameter"),
        }
    }

    fn query(
        &self,
        text: &str,
        dataset: &DatasetParams,
        accept: Option<&str>,
        lease: &Option<Arc<Lease>>,
    ) -> Response {
        let running = self.start_evaluation();
        if self.is_stopping() {
            return self.cancelled("query");
        }
        let token = running.token.clone();
        let mut prepared = match evaluator()
            .with_cancellation_token(token.clone())
            .parse_query(text)
        {
            Ok(p) => p,
            Err(e) => return Response::text(400, format!("SPARQL syntax error: {e}")),
        };
        let ds = prepared.dataset_mut();
        if !dataset.default.is_empty() || !dataset.named.is_empty() {
            // The protocol's dataset parameters override FROM / FROM NAMED (SPARQL 1.1
            // Protocol §2.1.4).
            match named_nodes(&dataset.default) {
                Ok(d) if !d.is_empty() => {
                    ds.set_default_graph(d.into_iter().map(GraphName::NamedNode).collect())
                }
                Ok(_) => ds.set_default_graph_as_union(),
                Err(r) => return r,
            }
            if !dataset.named.is_empty() {
                match named_nodes(&dataset.named) {
                    Ok(n) => ds.set_available_named_graphs(
                        n.into_iter().map(NamedOrBlankNode::NamedNode).collect(),
                    ),
                    Err(r) => return r,
                }
            }
        } else if ds.is_default_dataset() {
            // kgx keeps nothing in the store's default graph: every fact is in a document's
            // graph, so the useful default is their union (as `kgx query`).
            ds.set_default_graph_as_union();
        }
        // oxigraph checks the token only while it reads the store, so a CPU-bound phase (a
        // large join or sort over what it has read) can outlive it. Evaluating on a thread of
        // its own lets the client get its 503 on time; the thread holds the request's lease,
        // so a runaway evaluation still takes one of the `threads` slots until it ends and
        // cancelled work cannot pile up.
        let (tx, rx) = mpsc::channel();
        let store = self.store.clone();
        let max_rows = self.config.max_rows;
        let accept = accept.map(String::from);
        let lease = lease.clone();
        let eval_token = token.clone();
        let spawned = std::thread::Builder::new()
            .name("kgx-query".into())
            .spawn(move || {
                // Declared first, dropped last: the slot is given back only once this thread
                // no longer holds the store.
                let _lease = lease;
                let store = store;
                let results = prepared.on_store(&store).execute();
                let _ = tx.send(
                    serialize(results, accept.as_deref(), max_rows, &eval_token)
                        .map_err(|e| e.to_string()),
                );
            });
        if let Err(e) = spawned {
            return Response::text(503, format!("cannot start the evaluation: {e}"));
        }
        let deadline = Instant::now() + self.config.timeout;
        loop {
            // Short waits, so a cancellation by `shutdown` is answered at once.
            let wait = deadline
                .saturating_duration_since(Instant::now())
                .min(Duration::from_millis(50));
            match rx.recv_timeout(wait) {
                Ok(Ok(r)) => return r,
                Ok(Err(_)) if token.is_cancelled() => return self.cancelled("query"),
                Ok(Err(e)) => return Response::text(500, format!("query evaluation failed: {e}")),
                Err(RecvTimeoutError::Disconnected) => {
                    return Response::text(500, "query evaluation failed: its thread ended")
                }
                Err(RecvTimeoutError::Timeout) => {
                    if token.is_cancelled() || Instant::now() >= deadline {
                        token.cancel();
                        return self.cancelled("query");
                    }
                }
            }
        }
    }

    /// The 503 of a cancelled query or update: by its timeout, or by the shutdown.
    fn cancelled(&self, what: &str) -> Response {
        if self.is_stopping() {
            Response::text(503, format!("{what} cancelled: kgx serve is shutting down"))
                .with_header("Retry-After", "1")
        } else {
            Response::text(
                503,
                format!(
                    "{what} cancelled after {} ms (kgx serve --timeout-ms)",
                    self.config.timeout.as_millis()
                ),
            )
        }
    }
}

/// Runs a query's results to the end, at most `max` rows or triples, in the format the client
/// accepts.
fn serialize(
    results: Result<QueryResults<'_>, oxigraph::sparql::QueryEvaluationError>,
    accept: Option<&str>,
    max: usize,
    token: &CancellationToken,
) -> Result<Response, Box<dyn std::error::Error>> {
    // Checked per row too: a cancelled evaluation stops here even between store reads.
    let alive = || {
        if token.is_cancelled() {
            Err("cancelled")
        } else {
            Ok(())
        }
    };
    let mut truncated = false;
    let (content_type, body) = match results? {
        QueryResults::Solutions(solutions) => {
            let Some(format) = negotiate(accept, &RESULT_TYPES) else {
                return Ok(not_acceptable(&RESULT_TYPES));
            };
            let variables = solutions.variables().to_vec();
            let mut ser = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(Vec::new(), variables)?;
            for (i, s) in solutions.enumerate() {
                if i == max {
                    truncated = true;
                    break;
                }
                alive()?;
                ser.serialize(&s?)?;
            }
            (format.media_type(), ser.finish()?)
        }
        QueryResults::Boolean(b) => {
            let Some(format) = negotiate(accept, &RESULT_TYPES) else {
                return Ok(not_acceptable(&RESULT_TYPES));
            };
            let body = QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(Vec::new(), b)?;
            (format.media_type(), body)
        }
        QueryResults::Graph(triples) => {
            let Some(format) = negotiate(accept, &GRAPH_TYPES) else {
                return Ok(not_acceptable(&GRAPH_TYPES));
            };
            let mut ser = RdfSerializer::from_format(format);
            if matches!(format, RdfFormat::Turtle | RdfFormat::RdfXml) {
                for (prefix, iri) in PREFIXES {
                    ser = ser.with_prefix(prefix, iri)?;
                }
            }
            let mut w = ser.for_writer(Vec::new());
            for (i, t) in triples.enumerate() {
                if i == max {
                    truncated = true;
                    break;
                }
                alive()?;
                w.serialize_triple(&t?)?;
            }
            (format.media_type(), w.finish()?)
        }
    };
    // CSV and TSV media types already name their charset; the others are UTF-8 by spec.
    let content_type = if content_type.starts_with("text/") && !content_type.contains("charset") {
        format!("{content_type}; charset=utf-8")
    } else {
        content_type.to_string()
    };
    let mut resp = Response::new(200, &content_type, body);
    if truncated {
        resp = resp.with_header("X-KGX-Truncated", "true");
    }
    Ok(resp)
}

impl Service {
    fn update(&self, text: &str, req: &Request) -> Response {
        if !self.config.allow_update {
            return Response::text(
                403,
                "this endpoint is read-only: start kgx serve with --allow-update to accept updates",
            );
        }
        if let Some(expected) = &self.config.token {
            let given = req
                .header("Authorization")
                .and_then(|h| h.strip_prefix("Bearer "))
                .map(str::trim);
            if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), expected.as_bytes())) {
                return Response::text(401, "updates need Authorization: Bearer <token>")
                    .with_header("WWW-Authenticate", "Bearer realm=\"kgx\"");
            }
        }
        let running = self.start_evaluation();
        if self.is_stopping() {
            return self.cancelled("update");
        }
        let token = running.token.clone();
        let prepared = match evaluator()
            .with_cancellation_token(token.clone())
            .parse_update(text)
        {
            Ok(p) => p,
            Err(e) => return Response::text(400, format!("SPARQL syntax error: {e}")),
        };
        let _deadline = Deadline::start(self.config.timeout, token.clone());
        // An update is one transaction: cancelled, it leaves the store as it was.
        match prepared.on_store(&self.store).execute() {
            Ok(()) => Response::new(204, "text/plain", Vec::new()),
            Err(_) if token.is_cancelled() && self.is_stopping() => self.cancelled("update"),
            Err(e) if token.is_cancelled() => Response::text(
                503,
                format!(
                    "update cancelled after {} ms: {e}",
                    self.config.timeout.as_millis()
                ),
            ),
            Err(e) => Response::text(500, format!("update failed: {e}")),
        }
    }
}

fn named_nodes(iris: &[String]) -> Result<Vec<NamedNode>, Response> {
    iris.iter()
        .map(|i| {
            NamedNode::new(i.as_str())
                .map_err(|e| Response::text(400, format!("invalid graph IRI <{i}>: {e}")))
        })
        .collect()
}

fn not_acceptable<T>(offers: &[(&str, T)]) -> Response {
    let list: Vec<&str> = offers.iter().map(|(m, _)| *m).collect();
    Response::text(
        406,
        format!(
            "no acceptable representation; this result is available as {}",
            list.join(", ")
        ),
    )
}

fn too_large(max_body: usize) -> Response {
    Response::text(
        413,
        format!("request body over {max_body} bytes (kgx serve --max-body-bytes)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_follows_weights_and_wildcards() {
        let n = |a| negotiate(a, &RESULT_TYPES);
        assert_eq!(n(None), Some(QueryResultsFormat::Json));
        assert_eq!(n(Some("text/csv")), Some(QueryResultsFormat::Csv));
        assert_eq!(
            n(Some("text/csv;q=0.5, application/sparql-results+xml")),
            Some(QueryResultsFormat::Xml)
        );
        assert_eq!(
            n(Some("text/html, */*;q=0.8")),
            Some(QueryResultsFormat::Json)
        );
        assert_eq!(n(Some("text/*")), Some(QueryResultsFormat::Xml));
        assert_eq!(n(Some("image/png")), None);
        assert_eq!(n(Some("text/csv;q=0")), None);
        assert_eq!(
            negotiate(Some("application/n-triples"), &GRAPH_TYPES),
            Some(RdfFormat::NTriples)
        );
    }

    #[test]
    fn page_embeds_every_example_safely() {
        let p = page();
        for (name, _) in EXAMPLES {
            assert!(p.contains(name), "{name} missing from the page");
        }
        let script = p.split("id=\"examples\"").nth(1).unwrap_or("");
        let json = script.split("</script>").next().unwrap_or("");
        assert!(!json[1..].contains('<'), "unescaped < in the examples JSON");
    }

    #[test]
    fn every_query_file_is_an_example() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../queries");
        for entry in std::fs::read_dir(dir).expect("queries/ exists") {
            let path = entry.expect("readable entry").path();
            if path.extension().is_some_and(|e| e == "rq") {
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                assert!(
                    EXAMPLES.iter().any(|(n, _)| *n == stem),
                    "queries/{stem}.rq is not in serve::EXAMPLES"
                );
            }
        }
    }

    fn service(allow_update: bool, token: Option<&str>) -> Service {
        let store = Store::new().expect("in-memory store");
        Service::new(
            store,
            Config {
                allow_update,
                token: token.map(String::from),
                timeout: Duration::from_secs(5),
                max_rows: 2,
                cors: true,
            },
        )
    }

    fn post(ct: &str, body: &str, auth: Option<&str>) -> Request {
        let mut headers = vec![("Content-Type".to_string(), ct.to_string())];
        if let Some(a) = auth {
            headers.push(("Authorization".into(), a.into()));
        }
        Request {
            method: "POST".into(),
            url: "/sparql".into(),
            headers,
            body: body.as_bytes().to_vec(),
            lease: None,
        }
    }

    #[test]
    fn updates_need_the_flag_and_the_token() {
        let insert = "INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/p> 1, 2, 3 } }";
        let ro = service(false, None);
        assert_eq!(
            ro.handle(&post("application/sparql-update", insert, None))
                .status,
            403
        );
        let rw = service(true, Some("s3cret"));
        let r = rw.handle(&post("application/sparql-update", insert, None));
        assert_eq!(r.status, 401);
        let r = rw.handle(&post(
            "application/sparql-update",
            insert,
            Some("Bearer wrong"),
        ));
        assert_eq!(r.status, 401);
        let r = rw.handle(&post(
            "application/sparql-update",
            insert,
            Some("Bearer s3cret"),
        ));
        assert_eq!(r.status, 204, "{}", String::from_utf8_lossy(&r.body));
        // The union default graph sees the named graph; the row cap is 2.
        let r = rw.handle(&post(
            "application/sparql-query",
            "SELECT ?o WHERE { ?s ?p ?o }",
            None,
        ));
        assert_eq!(r.status, 200);
        assert_eq!(r.header("X-KGX-Truncated"), Some("true"));
        let json: serde_json::Value = serde_json::from_slice(&r.body).expect("JSON results");
        assert_eq!(
            json["results"]["bindings"].as_array().map(Vec::len),
            Some(2)
        );
    }

    #[test]
    fn slots_bound_evaluations_and_give_up_when_stopping() {
        let slots = Slots::new(1);
        let stopping = AtomicBool::new(false);
        let first = slots
            .acquire(Duration::ZERO, &stopping)
            .expect("a free slot");
        assert_eq!(slots.taken(), 1);
        let started = Instant::now();
        assert_eq!(
            slots.acquire(Duration::from_millis(50), &stopping).err(),
            Some(NoSlot::Busy)
        );
        assert!(started.elapsed() >= Duration::from_millis(50));
        // A slot freed while a request waits goes to it.
        let freer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            drop(first);
        });
        let second = slots
            .acquire(Duration::from_secs(10), &stopping)
            .expect("the freed slot");
        freer.join().expect("thread");
        assert!(!slots.wait_idle(Instant::now() + Duration::from_millis(10)));
        drop(second);
        assert!(slots.wait_idle(Instant::now()));
        stopping.store(true, Ordering::Release);
        assert_eq!(
            slots.acquire(Duration::from_secs(10), &stopping).err(),
            Some(NoSlot::Stopping)
        );
    }

    #[test]
    fn shutdown_cancels_a_running_query_at_once() {
        let s = std::sync::Arc::new(service(true, None));
        let mut insert = String::from("INSERT DATA { GRAPH <http://ex/g> {");
        for i in 0..300 {
            insert.push_str(&format!(" <http://ex/s{i}> <http://ex/p> {i} ."));
        }
        insert.push_str(" } }");
        assert_eq!(
            s.handle(&post("application/sparql-update", &insert, None))
                .status,
            204
        );
        let runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?p ?d . ?e ?p ?f . ?g ?p ?h }";
        let stopper = {
            let s = s.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(200));
                s.shutdown();
            })
        };
        let started = Instant::now();
        let r = s.handle(&post("application/sparql-query", runaway, None));
        stopper.join().expect("thread");
        assert_eq!(r.status, 503);
        assert_eq!(
            String::from_utf8_lossy(&r.body),
            "query cancelled: kgx serve is shutting down\n"
        );
        assert!(started.elapsed() < Duration::from_secs(3));
        // Later requests are cancelled before they start.
        let r = s.handle(&post("application/sparql-query", "ASK {}", None));
        assert_eq!(r.status, 503);
        assert!(s.running().is_empty());
    }

    #[test]
    fn bad_requests_get_4xx_with_a_reason() {
        let s = service(false, None);
        let r = s.handle(&post("application/sparql-query", "SELEKT * WHERE {}", None));
        assert_eq!(r.status, 400);
        assert!(String::from_utf8_lossy(&r.body).contains("SPARQL syntax error"));
        let r = s.handle(&post("text/plain", "SELECT * {}", None));
        assert_eq!(r.status, 415);
        let r = s.handle(&Request {
            method: "GET".into(),
            url: "/sparql?query=ASK%7B%7D&query=ASK%7B%7D".into(),
            ..Default::default()
        });
        assert_eq!(r.status, 400);
        let r = s.handle(&Request {
            method: "DELETE".into(),
            url: "/sparql".into(),
            ..Default::default()
        });
        assert_eq!(r.status, 405);
        let r = s.handle(&Request {
            method: "GET".into(),
            url: "/etc/passwd".into(),
            ..Default::default()
        });
        assert_eq!(r.status, 404);
        let r = s.handle(&Request {
            method: "GET".into(),
            url: "/sparql?query=ASK%7B%7D".into(),
            headers: vec![("Accept".into(), "image/png".into())],
            ..Default::default()
        });
        assert_eq!(r.status, 406);
    }
}
