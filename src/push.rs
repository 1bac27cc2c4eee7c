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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PushFormat {
    /// N-Triples (application/n-triples): line-based, understood by every store.
    Nt,
    /// Turtle (text/turtle): smaller on the wire.
    Ttl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuthMode {
    /// Whatever the server asks for in its 401 (digest preferred over basic).
    Auto,
    /// HTTP basic, sent with the first request.
    Basic,
    /// HTTP digest (RFC 7616).
    Digest,
}

#[derive(Debug, Clone, clap::Args)]
pub struct PushArgs {
    #[arg(long, default_value = "output/store")]
    pub store: PathBuf,
    /// The Graph Store endpoint, e.g. http://localhost:8890/sparql-graph-crud-auth
    /// (Virtuoso) or http://localhost:3030/ds/data (Fuseki).
    #[arg(long)]
    pub endpoint: String,
    #[arg(long)]
    pub user: Option<String>,
    /// Password [default: $KGX_PASSWORD]; prefer the variable, arguments show in `ps`.
    #[arg(long)]
    pub password: Option<String>,
    #[arg(long, value_enum, default_value_t = AuthMode::Auto)]
    pub auth: AuthMode,
    /// Serialization of the graphs on the wire.
    #[arg(long, value_enum, default_value_t = PushFormat::Nt)]
    pub format: PushFormat,
    /// Give up on one graph's request after this many seconds.
    #[arg(long, default_value_t = 300, value_name = "N")]
    pub timeout_s: u64,
}

/// The outcome of pushing one graph.
#[derive(Debug, Clone)]
pub struct Pushed {
    pub graph: String,
    pub triples: usize,
    pub result: Result<u16, String>,
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
pub fn serialize_graph(
    store: &Store,
    graph: &NamedNode,
    format: PushFormat,
) -> Result<(Vec<u8>, usize)> {
    let mut ser = RdfSerializer::from_format(match format {
        PushFormat::Nt => RdfFormat::NTriples,
        PushFormat::Ttl => RdfFormat::Turtle,
    });
    if format == PushFormat::Ttl {
        for (prefix, iri) in crate::rdf::PREFIXES {
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
pub fn graph_url(endpoint: &str, graph: &str) -> String {
    let sep = if endpoint.contains('?') { '&' } else { '?' };
    let iri: String = form_urlencoded::byte_serialize(graph.as_bytes()).collect();
    format!("{endpoint}{sep}graph={iri}")
}

/// The request target of an absolute URL (path and query), which digest auth signs.
pub fn request_target(url: &str) -> &str {
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

pub fn run(args: &PushArgs) -> Result<()> {
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
    let password = args
        .password
        .clone()
        .or_else(|| std::env::var("KGX_PASSWORD").ok());
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
        .timeout_global(Some(Duration::from_secs(args.timeout_s)))
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

/// HTTP digest access authentication, client side (RFC 7616, compatible with RFC 2617).
pub mod digest {
    use anyhow::Result;
    use md5::{Digest as _, Md5};
    use sha2::Digest as _;
    use sha2::Sha256;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Algorithm {
        Md5,
        Md5Sess,
        Sha256,
        Sha256Sess,
    }

    impl Algorithm {
        fn parse(s: &str) -> Option<Self> {
            match s.to_ascii_uppercase().as_str() {
                "MD5" => Some(Self::Md5),
                "MD5-SESS" => Some(Self::Md5Sess),
                "SHA-256" => Some(Self::Sha256),
                "SHA-256-SESS" => Some(Self::Sha256Sess),
                _ => None,
            }
        }

        fn name(self) -> &'static str {
            match self {
                Self::Md5 => "MD5",
                Self::Md5Sess => "MD5-sess",
                Self::Sha256 => "SHA-256",
                Self::Sha256Sess => "SHA-256-sess",
            }
        }

        fn hash(self, data: &str) -> String {
            match self {
                Self::Md5 | Self::Md5Sess => hex(&Md5::digest(data.as_bytes())),
                Self::Sha256 | Self::Sha256Sess => hex(&Sha256::digest(data.as_bytes())),
            }
        }

        fn sess(self) -> bool {
            matches!(self, Self::Md5Sess | Self::Sha256Sess)
        }
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A `WWW-Authenticate: Digest …` challenge.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Challenge {
        pub realm: String,
        pub nonce: String,
        pub opaque: Option<String>,
        pub algorithm: Algorithm,
        /// The server offers qop=auth; without it, the RFC 2069 form is used.
        pub qop_auth: bool,
        pub stale: bool,
    }

    impl Challenge {
        /// From a parsed challenge's parameters; `None` when it lacks a nonce or asks for an
        /// algorithm or protection we do not implement (auth-int only).
        pub fn from_params(params: &[(String, String)]) -> Option<Self> {
            let get = |k: &str| {
                params
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(k))
                    .map(|(_, v)| v.as_str())
            };
            let algorithm = match get("algorithm") {
                Some(a) => Algorithm::parse(a)?,
                None => Algorithm::Md5,
            };
            let qop_auth = match get("qop") {
                Some(q) => {
                    if !q.split(',').any(|t| t.trim().eq_ignore_ascii_case("auth")) {
                        return None;
                    }
                    true
                }
                None => false,
            };
            Some(Challenge {
                realm: get("realm").unwrap_or("").to_string(),
                nonce: get("nonce")?.to_string(),
                opaque: get("opaque").map(String::from),
                algorithm,
                qop_auth,
                stale: get("stale").is_some_and(|s| s.eq_ignore_ascii_case("true")),
            })
        }

        /// The `response` value: KD(H(A1), nonce:nc:cnonce:qop:H(A2)).
        pub fn response(&self, r: &Request) -> String {
            let Request {
                user,
                password,
                method,
                uri,
                nc,
                cnonce,
            } = *r;
            let h = |s: &str| self.algorithm.hash(s);
            let mut ha1 = h(&format!("{user}:{}:{password}", self.realm));
            if self.algorithm.sess() {
                ha1 = h(&format!("{ha1}:{}:{cnonce}", self.nonce));
            }
            let ha2 = h(&format!("{method}:{uri}"));
            if self.qop_auth {
                h(&format!(
                    "{ha1}:{}:{nc:08x}:{cnonce}:auth:{ha2}",
                    self.nonce
                ))
            } else {
                h(&format!("{ha1}:{}:{ha2}", self.nonce))
            }
        }

        /// The full `Authorization` header value.
        pub fn authorization(&self, r: &Request) -> String {
            let response = self.response(r);
            let Request {
                user,
                uri,
                nc,
                cnonce,
                ..
            } = *r;
            let mut h = format!(
                "Digest username={}, realm={}, nonce={}, uri={}, algorithm={}, response=\"{response}\"",
                quote(user),
                quote(&self.realm),
                quote(&self.nonce),
                quote(uri),
                self.algorithm.name()
            );
            if self.qop_auth {
                h.push_str(&format!(
                    ", qop=auth, nc={nc:08x}, cnonce={}",
                    quote(cnonce)
                ));
            }
            if let Some(o) = &self.opaque {
                h.push_str(&format!(", opaque={}", quote(o)));
            }
            h
        }
    }

    /// One request's part of a digest computation.
    #[derive(Clone, Copy)]
    pub struct Request<'a> {
        pub user: &'a str,
        pub password: &'a str,
        pub method: &'a str,
        pub uri: &'a str,
        pub nc: u32,
        pub cnonce: &'a str,
    }

    fn quote(s: &str) -> String {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }

    /// A fresh client nonce: 128 random bits, hex.
    pub fn cnonce() -> Result<String> {
        let mut b = [0u8; 16];
        getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("no randomness for a cnonce: {e}"))?;
        Ok(hex(&b))
    }

    /// Splits a `WWW-Authenticate` value into challenges: `(scheme, [(param, value)])`
    /// (RFC 9110 §11.6.1). One header may hold several, e.g. `Digest realm="a", Basic realm="b"`.
    pub fn parse_challenges(header: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
        let chars: Vec<char> = header.chars().collect();
        let mut i = 0;
        let is_token = |c: char| !c.is_whitespace() && !matches!(c, ',' | '=' | '"');
        while i < chars.len() {
            while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
                i += 1;
            }
            let start = i;
            while i < chars.len() && is_token(chars[i]) {
                i += 1;
            }
            if start == i {
                // Not a token (stray '=' or quote): skip it rather than loop forever.
                i += 1;
                continue;
            }
            let token: String = chars[start..i].iter().collect();
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            if j < chars.len() && chars[j] == '=' && !out.is_empty() {
                i = j + 1;
                while i < chars.len() && chars[i].is_whitespace() {
                    i += 1;
                }
                let mut value = String::new();
                if i < chars.len() && chars[i] == '"' {
                    i += 1;
                    while i < chars.len() && chars[i] != '"' {
                        if chars[i] == '\\' && i + 1 < chars.len() {
                            i += 1;
                        }
                        value.push(chars[i]);
                        i += 1;
                    }
                    i += 1;
                } else {
                    while i < chars.len() && chars[i] != ',' && !chars[i].is_whitespace() {
                        value.push(chars[i]);
                        i += 1;
                    }
                }
                if let Some((_, params)) = out.last_mut() {
                    params.push((token, value));
                }
            } else {
                out.push((token, Vec::new()));
            }
        }
        out
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn rfc2617_worked_example() {
            // RFC 2617 §3.5.
            let header = r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#;
            let parsed = parse_challenges(header);
            assert_eq!(parsed.len(), 1);
            let c = Challenge::from_params(&parsed[0].1).expect("a usable challenge");
            assert_eq!(c.realm, "testrealm@host.com");
            assert!(c.qop_auth);
            let request = Request {
                user: "Mufasa",
                password: "Circle Of Life",
                method: "GET",
                uri: "/dir/index.html",
                nc: 1,
                cnonce: "0a4f113b",
            };
            assert_eq!(c.response(&request), "6629fae49393a05397450978507c4ef1");
            let h = c.authorization(&request);
            assert!(h.contains("nc=00000001"), "{h}");
            assert!(
                h.contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""),
                "{h}"
            );
        }

        #[test]
        fn rfc7616_worked_examples() {
            // RFC 7616 §3.9.1: the same request answered with MD5 and with SHA-256.
            let base = r#"realm="http-auth@example.org", qop="auth, auth-int", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;
            let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
            let expect = [
                ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
                (
                    "SHA-256",
                    "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
                ),
            ];
            for (alg, want) in expect {
                let parsed = parse_challenges(&format!("Digest algorithm={alg}, {base}"));
                let c = Challenge::from_params(&parsed[0].1).expect("a usable challenge");
                let r = c.response(&Request {
                    user: "Mufasa",
                    password: "Circle of Life",
                    method: "GET",
                    uri: "/dir/index.html",
                    nc: 1,
                    cnonce,
                });
                assert_eq!(r, want, "{alg}");
            }
        }

        #[test]
        fn several_challenges_in_one_header() {
            let parsed = parse_challenges(
                r#"Basic realm="x, y", Digest realm="virtuoso", nonce="n\"1", algorithm=MD5"#,
            );
            let schemes: Vec<&str> = parsed.iter().map(|(s, _)| s.as_str()).collect();
            assert_eq!(schemes, ["Basic", "Digest"]);
            assert_eq!(parsed[0].1, [("realm".to_string(), "x, y".to_string())]);
            let c = Challenge::from_params(&parsed[1].1).expect("digest");
            assert_eq!(c.nonce, "n\"1");
            assert!(!c.qop_auth);
            // auth-int only is refused rather than answered wrongly.
            let p = parse_challenges(r#"Digest nonce="n", qop="auth-int""#);
            assert!(Challenge::from_params(&p[0].1).is_none());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_targets() {
        let u = graph_url(
            "http://h:8890/sparql-graph-crud-auth",
            "https://w3id.org/kgx/doc/a b/%E5.txt",
        );
        assert_eq!(
            u,
            "http://h:8890/sparql-graph-crud-auth?graph=https%3A%2F%2Fw3id.org%2Fkgx%2Fdoc%2Fa+b%2F%25E5.txt"
        );
        assert_eq!(
            request_target(&u),
            "/sparql-graph-crud-auth?graph=https%3A%2F%2Fw3id.org%2Fkgx%2Fdoc%2Fa+b%2F%25E5.txt"
        );
        assert_eq!(
            graph_url("http://h/ds?x=1", "urn:g"),
            "http://h/ds?x=1&graph=urn%3Ag"
        );
        assert_eq!(request_target("http://h"), "/");
    }
}
