//! `kgx push`: send each document's named graph to an external store (SPARQL 1.1 Graph Store
//! HTTP Protocol). Each graph is one `PUT {endpoint}?graph={iri}`, which replaces the graph on
//! the other side, so pushing again is idempotent and a failed graph can simply be re-pushed.

use anyhow::{bail, Context, Result};
use base64::Engine as _;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode};
use oxigraph::store::Store;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The serialization of the graphs on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PushFormat {
    /// N-Triples (application/n-triples): line-based, understood by every store.
    #[default]
    Nt,
    /// Turtle (text/turtle): smaller on the wire.
    Ttl,
}

/// How to authenticate when credentials are given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthMode {
    /// Whatever the server asks for in its 401 (digest preferred over basic).
    #[default]
    Auto,
    /// HTTP basic, sent with the first request.
    Basic,
    /// HTTP digest (RFC 7616).
    Digest,
}

/// What `kgx push` does: which store, where to, how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The store folder (made by `kgx extract`).
    pub store: PathBuf,
    /// The Graph Store endpoint, e.g. `http://localhost:8890/sparql-graph-crud-auth`
    /// (Virtuoso) or `http://localhost:3030/ds/data` (Fuseki).
    pub endpoint: String,
    /// The user name; no credentials are sent without one.
    pub user: Option<String>,
    /// The password (the CLI takes it from `--password` or `$KGX_PASSWORD`).
    pub password: Option<String>,
    /// How to authenticate.
    pub auth: AuthMode,
    /// The wire format.
    pub format: PushFormat,
    /// Give up on one graph's request after this long.
    pub timeout: Duration,
}

impl Options {
    /// Pushing `output/store` to `endpoint` with no credentials, N-Triples, 300 s per graph.
    pub fn new(endpoint: impl Into<String>) -> Self {
        Options {
            store: PathBuf::from("output/store"),
            endpoint: endpoint.into(),
            user: None,
            password: None,
            auth: AuthMode::Auto,
            format: PushFormat::Nt,
            timeout: Duration::from_secs(300),
        }
    }
}

/// The outcome of pushing one graph.
#[derive(Debug, Clone)]
pub(crate) struct Pushed {
    /// The graph IRI.
    pub graph: String,
    /// How many triples were sent.
    pub triples: usize,
    /// The HTTP status of the success, or what went wrong.
    pub result: Result<u16, String>,
    /// How long the graph took, serialization included.
    pub elapsed: Duration,
}

/// The store's named graphs with IRIs, sorted (blank-node graph names cannot be addressed by
/// the Graph Store Protocol; kgx never makes them).
pub fn graphs(store: &Store) -> Result<Vec<NamedNode>> {
    let mut out = Vec::new();
    for g in store.named_graphs() {
        if let NamedOrBlankNode::NamedNode(n) = g? {
            out.push(n);
        }
    }
    out.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    Ok(out)
}

/// One graph's triples in the wire format, and how many there are.
pub(crate) fn serialize_graph(
    store: &Store,
    graph: &NamedNode,
    format: PushFormat,
) -> Result<(Vec<u8>, usize)> {
    let mut ser = RdfSerializer::from_format(match format {
        PushFormat::Nt => RdfFormat::NTriples,
        PushFormat::Ttl => RdfFormat::Turtle,
    });
    if format == PushFormat::Ttl {
        for (prefix, iri) in kgx_rdf::rdf::PREFIXES {
            ser = ser.with_prefix(prefix, iri)?;
        }
    }
    let mut w = ser.for_writer(Vec::new());
    let mut n = 0;
    for q in store.quads_for_pattern(
        None,
        None,
        None,
        Some(GraphNameRef::NamedNode(graph.as_ref())),
    ) {
        let q = q?;
        w.serialize_triple(q.as_ref())?;
        n += 1;
    }
    Ok((w.finish()?, n))
}

/// `{endpoint}?graph={iri}`, keeping any query the endpoint already has.
pub(crate) fn graph_url(endpoint: &str, graph: &str) -> String {
    let sep = if endpoint.contains('?') { '&' } else { '?' };
    let iri: String = form_urlencoded::byte_serialize(graph.as_bytes()).collect();
    format!("{endpoint}{sep}graph={iri}")
}

/// The request target of an absolute URL (path and query), which digest auth signs.
pub(crate) fn request_target(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find(['/', '?']) {
        Some(i) if after_scheme[i..].starts_with('/') => &after_scheme[i..],
        // "http://host?x" has the target "/?x"; callers only need the path-and-query.
        Some(i) => &after_scheme[i..],
        None => "/",
    }
}

/// Credentials and what the server last asked for; digest nonces are reused with a counter.
struct Auth {
    user: String,
    password: String,
    mode: AuthMode,
    digest: Option<(digest::Challenge, u32)>,
    basic: bool,
}

impl Auth {
    fn header(&mut self, method: &str, uri: &str) -> Result<Option<String>> {
        if self.basic || self.mode == AuthMode::Basic {
            let token = base64::engine::general_purpose::STANDARD
                .encode(format!("{}:{}", self.user, self.password));
            return Ok(Some(format!("Basic {token}")));
        }
        let Some((challenge, nc)) = &mut self.digest else {
            return Ok(None);
        };
        *nc += 1;
        let cnonce = digest::cnonce()?;
        Ok(Some(challenge.authorization(&digest::Request {
            user: &self.user,
            password: &self.password,
            method,
            uri,
            nc: *nc,
            cnonce: &cnonce,
        })))
    }

    /// Takes a 401's challenges; false when there is nothing new to try.
    fn learn(&mut self, challenges: &[String], tried_with_auth: bool) -> bool {
        let parsed: Vec<_> = challenges
            .iter()
            .flat_map(|h| digest::parse_challenges(h))
            .collect();
        let digest = parsed
            .iter()
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("digest"))
            .find_map(|(_, params)| digest::Challenge::from_params(params));
        if self.mode != AuthMode::Basic {
            if let Some(c) = digest {
                // A stale nonce is a fresh chance; a rejected fresh one means bad credentials.
                let retry = !tried_with_auth || c.stale || self.basic;
                self.digest = Some((c, 0));
                self.basic = false;
                return retry;
            }
        }
        let offers_basic = parsed.iter().any(|(s, _)| s.eq_ignore_ascii_case("basic"));
        if self.mode == AuthMode::Auto && offers_basic && !self.basic {
            self.basic = true;
            return true;
        }
        false
    }
}

fn put_graph(
    agent: &ureq::Agent,
    auth: &mut Option<Auth>,
    url: &str,
    content_type: &str,
    body: &[u8],
) -> Result<u16, String> {
    let target = request_target(url).to_string();
    let mut tried_with_auth = false;
    // One unauthenticated try, one with the challenge, one more for a stale nonce.
    for _ in 0..3 {
        let mut rq = agent.put(url).header("Content-Type", content_type);
        let header = match auth.as_mut() {
            Some(a) => a.header("PUT", &target).map_err(|e| e.to_string())?,
            None => None,
        };
        if let Some(h) = &header {
            rq = rq.header("Authorization", h);
        }
        let mut resp = rq.send(body).map_err(|e| format!("request failed: {e}"))?;
        let status = resp.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(status);
        }
        let challenges: Vec<String> = resp
            .headers()
            .get_all("www-authenticate")
            .iter()
            .filter_map(|v| v.to_str().ok().map(String::from))
            .collect();
        let text = resp
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .read_to_string()
            .unwrap_or_default();
        if status == 401 {
            let Some(a) = auth.as_mut() else {
                return Err(
                    "HTTP 401: the endpoint needs credentials (--user, KGX_PASSWORD)".into(),
                );
            };
            if a.learn(&challenges, header.is_some()) {
                tried_with_auth |= header.is_some();
                continue;
            }
            return Err(format!(
                "HTTP 401: credentials rejected{}",
                if tried_with_auth || header.is_some() {
                    ""
                } else {
                    " (no usable challenge)"
                }
            ));
        }
        return Err(format!("HTTP {status}: {}", snippet(&text)));
    }
    Err("HTTP 401: authentication did not succeed".into())
}

fn snippet(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

/// Pushes every named graph of the store, one PUT each, printing a line per graph on stdout
/// and a summary on stderr; an error if the store cannot be read or any graph failed.
pub fn run(args: &Options) -> Result<()> {
    if !args.store.exists() {
        bail!(
            "{}: no store here; run `kgx extract` first or pass --store DIR",
            args.store.display()
        );
    }
    if !(args.endpoint.starts_with("http://") || args.endpoint.starts_with("https://")) {
        bail!(
            "--endpoint must be an http:// or https:// URL, not {:?}",
            args.endpoint
        );
    }
    let store = Store::open_read_only(&args.store)
        .with_context(|| format!("{}: cannot open the store", args.store.display()))?;
    let password = args.password.clone();
    let mut auth = match (&args.user, password) {
        (Some(user), password) => Some(Auth {
            user: user.clone(),
            password: password.unwrap_or_default(),
            mode: args.auth,
            digest: None,
            basic: false,
        }),
        (None, Some(_)) => bail!("a password was given but no --user"),
        (None, None) => None,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        // A redirect would resend the graph, and the credentials, somewhere else.
        .max_redirects(0)
        .timeout_global(Some(args.timeout))
        .build()
        .into();
    let content_type = match args.format {
        PushFormat::Nt => "application/n-triples",
        PushFormat::Ttl => "text/turtle",
    };

    let graphs = graphs(&store)?;
    if graphs.is_empty() {
        bail!(
            "{}: the store has no named graphs to push",
            args.store.display()
        );
    }
    let mut results = Vec::with_capacity(graphs.len());
    for g in &graphs {
        let started = Instant::now();
        let (body, triples) = serialize_graph(&store, g, args.format)?;
        let result = put_graph(
            &agent,
            &mut auth,
            &graph_url(&args.endpoint, g.as_str()),
            content_type,
            &body,
        );
        let p = Pushed {
            graph: g.as_str().to_string(),
            triples,
            result,
            elapsed: started.elapsed(),
        };
        match &p.result {
            Ok(status) => println!(
                "ok     {:>6} triples  HTTP {status}  {:>6.1} ms  {}",
                p.triples,
                p.elapsed.as_secs_f64() * 1000.0,
                p.graph
            ),
            Err(e) => println!("FAILED {:>6} triples  {}  {e}", p.triples, p.graph),
        }
        results.push(p);
    }
    let failed = results.iter().filter(|p| p.result.is_err()).count();
    let sent: usize = results
        .iter()
        .filter(|p| p.result.is_ok())
        .map(|p| p.triples)
        .sum();
    eprintln!(
        "kgx: pushed {} of {} graphs ({sent} triples) to {}",
        results.len() - failed,
        results.len(),
        args.endpoint
    );
    if failed > 0 {
        bail!("{failed} graph(s) failed; push again to retry (PUT replaces, so it is safe)");
    }
    Ok(())
}

pub mod digest;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_targets() {
        let u = graph_url(
            "http://h:8890/sparql-graph-crud-auth",
            "https://w3id.org/kgx/graph/a b/%E5.txt",
        );
        assert_eq!(
            u,
            "http://h:8890/sparql-graph-crud-auth?graph=https%3A%2F%2Fw3id.org%2Fkgx%2Fgraph%2Fa+b%2F%25E5.txt"
        );
        assert_eq!(
            request_target(&u),
            "/sparql-graph-crud-auth?graph=https%3A%2F%2Fw3id.org%2Fkgx%2Fgraph%2Fa+b%2F%25E5.txt"
        );
        assert_eq!(
            graph_url("http://h/ds?x=1", "urn:g"),
            "http://h/ds?x=1&graph=urn%3Ag"
        );
        assert_eq!(request_target("http://h"), "/");
    }
}
