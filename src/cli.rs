//! Every clap type of the `kgx` binary: the flags as the user types them. Subcommands whose
//! library takes plain options (`kgx export`, `kgx serve`, `kgx push`) convert their arguments
//! here into `kgx::export::ExportOptions`, `kgx::serve::Options` and `kgx::push::Options`.

use clap::{Parser, Subcommand};
use kgx::export::{ExportFormat, ExportOptions, GraphView, Window};
use kgx::pipeline::Format;
use kgx::push::{self, AuthMode, PushFormat};
use kgx::query::ResultFormat;
use kgx::serve;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "kgx",
    version,
    about = "Chinese policy and news text → a knowledge graph (JSONL, RDF, SPARQL, GEXF)",
    after_help = "Exit codes, every subcommand: 0 ok; 1 a runtime error, or some inputs or graphs failed \
                  (the rest completed); 2 a usage or rule-pack error (nothing was done)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Extract entities and relations from files and folders; write every output.
    Extract(ExtractArgs),
    /// Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the store.
    Query(QueryArgs),
    /// Score extractions against a gold file (precision, recall, F1 per class and relation).
    Eval(EvalArgs),
    /// Show every entity and relation found in a file, with the rule and what it beat.
    Explain(ExplainArgs),
    /// Write the store as RDF (ttl, nt, nq, trig, rdfxml, jsonld) or a graph (gexf, graphml, csv).
    Export(ExportArgs),
    /// Serve the store over the SPARQL 1.1 Protocol.
    Serve(ServeArgs),
    /// Send every document's named graph to an external store (Graph Store HTTP Protocol).
    Push(PushArgs),
    /// Print a shell completion script: `kgx completions bash > ~/.local/share/bash-completion/completions/kgx`.
    Completions(CompletionsArgs),
    /// Check or test a rule pack.
    Rules {
        #[command(subcommand)]
        action: RulesAction,
    },
}

#[derive(Subcommand)]
pub enum RulesAction {
    /// Load every rule file and report errors with file:line:column.
    Check {
        #[command(flatten)]
        rules: RulesArg,
    },
    /// Run every rule's inline examples.
    Test {
        #[command(flatten)]
        rules: RulesArg,
    },
}

// `--rules`, the one definition of every subcommand that loads a rule pack.
#[derive(Debug, Clone, clap::Args)]
pub struct RulesArg {
    /// Rules folder [default: $KGX_RULES, ./rules, or the rules built into kgx].
    #[arg(long)]
    pub rules: Option<PathBuf>,
}

// `--store`, the one definition of every subcommand that reads or serves the store.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArg {
    #[arg(long, default_value = "output/store")]
    pub store: PathBuf,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ExtractArgs {
    /// Files or folders (.txt, .md, .html; folders are walked recursively); `-` reads one
    /// document from standard input, named stdin.txt.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RulesArg,
    /// Output folder.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Worker threads [default: all cores].
    #[arg(long)]
    pub threads: Option<usize>,
    /// Outputs to write, comma-separated.
    #[arg(long, value_delimiter = ',', default_values = ["jsonl", "ttl", "nq", "gexf", "store"])]
    pub formats: Vec<Format>,
    /// No progress bar and no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Stop at the first file that cannot be read.
    #[arg(long)]
    pub fail_fast: bool,
    /// Drop store graphs of documents no longer in the input.
    #[arg(long)]
    pub prune: bool,
    /// Process only shard I of N (e.g. 2/4), split deterministically by path.
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Re-extract every document even if it and the rules are unchanged.
    #[arg(long)]
    pub force: bool,
    /// A CSV table of what you know about documents, overriding what kgx reads: columns
    /// doc (path or file name) and any of place, issuer, date (YYYY[-MM[-DD]]), title.
    #[arg(long, value_name = "FILE.csv")]
    pub metadata: Option<PathBuf>,
}

fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or("write the shard as I/N, e.g. 2/4")?;
    let i: usize = i
        .trim()
        .parse()
        .map_err(|_| format!("`{i}` is not a shard number"))?;
    let n: usize = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a shard count"))?;
    if n == 0 || i == 0 || i > n {
        return Err(format!("shard {i}/{n}: need 1 ≤ I ≤ N"));
    }
    Ok((i, n))
}

#[derive(Debug, Clone, clap::Args)]
pub struct QueryArgs {
    /// The query text.
    pub query: Option<String>,
    /// Read the query from a file instead.
    #[arg(long)]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub store: StoreArg,
    /// Result format [default: table on a terminal, json otherwise].
    #[arg(long, value_enum)]
    pub format: Option<ResultFormat>,
    /// Also write oxigraph's query plan, with row counts and times per step, as JSON to
    /// this file: what to read when a query is slow.
    #[arg(long, value_name = "FILE")]
    pub explain: Option<PathBuf>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct EvalArgs {
    #[arg(long)]
    pub gold: PathBuf,
    pub extractions: PathBuf,
    /// List every false positive and false negative.
    #[arg(long)]
    pub explain: bool,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
    /// One row per document (with --json: a "documents" object), so a regression shows
    /// where it is.
    #[arg(long)]
    pub by_doc: bool,
    /// Score only these gold documents (file names, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub docs: Vec<String>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ExplainArgs {
    /// The file, or `-` for standard input.
    pub file: PathBuf,
    #[command(flatten)]
    pub rules: RulesArg,
}

#[derive(Debug, Clone, clap::Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub store: StoreArg,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Output file [default: standard output]; for csv, a folder (created if missing).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// GEXF only: a dynamic graph whose nodes and edges live from their first to their last
    /// document date, for Gephi's timeline.
    #[arg(long)]
    pub timeline: bool,
    /// Graph formats: which edges to draw.
    #[arg(long, value_enum, default_value = "relations")]
    pub view: GraphView,
    /// Co-occurrence window.
    #[arg(long, value_enum, default_value = "sentence")]
    pub window: Window,
    /// Keep only these entity classes, comma-separated (Place,Organization,Program,Document,Person).
    #[arg(long, value_delimiter = ',')]
    pub classes: Vec<String>,
    /// Drop edges lighter than this.
    #[arg(long, default_value_t = 1)]
    pub min_weight: usize,
    /// Keep only nodes of these types, comma-separated (Province,City; the `type` column).
    #[arg(long, value_delimiter = ',')]
    pub types: Vec<String>,
    /// Keep only relation edges of these types, comma-separated (implements,issued); with
    /// --project, the relations that link the projected nodes to what they share.
    #[arg(long, alias = "via", value_delimiter = ',')]
    pub relations: Vec<String>,
    /// A one-mode projection onto this class: an undirected edge between two of its nodes
    /// weighted by the entities both relate to (--relations), with their Jaccard index —
    /// `--project Place --via implements --types Province` links provinces by shared programs.
    #[arg(long)]
    pub project: Option<String>,
    /// Keep the N nodes with the highest PageRank (after --classes and --min-weight).
    #[arg(long)]
    pub top: Option<usize>,
    /// Keep only the largest weakly connected component.
    #[arg(long)]
    pub giant_component: bool,
    /// Drop nodes without an edge (applied last).
    #[arg(long)]
    pub drop_isolates: bool,
}

impl From<ExportArgs> for ExportOptions {
    fn from(a: ExportArgs) -> Self {
        ExportOptions {
            store: a.store.store,
            format: a.format,
            out: a.out,
            timeline: a.timeline,
            view: a.view,
            window: a.window,
            classes: a.classes,
            min_weight: a.min_weight,
            types: a.types,
            relations: a.relations,
            project: a.project,
            top: a.top,
            giant_component: a.giant_component,
            drop_isolates: a.drop_isolates,
        }
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArg,
    /// Address and port to listen on. Anything but loopback exposes the store to the network.
    #[arg(long, default_value = "127.0.0.1:7878")]
    pub bind: String,
    /// Accept SPARQL updates (POST application/sparql-update or form `update=`); opens the
    /// store read-write, which locks it against `kgx extract`.
    #[arg(long)]
    pub allow_update: bool,
    /// Require `Authorization: Bearer TOKEN` for updates.
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Cancel a query or update that runs longer than this.
    #[arg(long, default_value_t = 30_000, value_name = "N")]
    pub timeout_ms: u64,
    /// Stop a result after this many rows (SELECT) or triples (CONSTRUCT, DESCRIBE); the
    /// response then carries `X-KGX-Truncated: true`.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub max_rows: usize,
    /// Send `Access-Control-Allow-Origin: *` so pages on other origins can query.
    #[arg(long)]
    pub cors: bool,
    /// Refuse request bodies larger than this (413).
    #[arg(long, default_value_t = 1 << 20, value_name = "N")]
    pub max_body_bytes: usize,
    /// Connections served at once (reading a request, waiting for a worker, evaluating, or
    /// idle between requests); more wait to be accepted until one closes.
    #[arg(long, default_value_t = 64, value_name = "N")]
    pub max_connections: usize,
    /// Worker threads evaluating requests [default: number of cores].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Close a connection that sends nothing, or takes no response bytes, for this long;
    /// a request body must also arrive whole within it (else 408).
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub socket_timeout_ms: u64,
}

impl From<ServeArgs> for serve::Options {
    fn from(a: ServeArgs) -> Self {
        serve::Options {
            store: a.store.store,
            bind: a.bind,
            allow_update: a.allow_update,
            token: a.token,
            timeout: Duration::from_millis(a.timeout_ms),
            max_rows: a.max_rows,
            cors: a.cors,
            max_body_bytes: a.max_body_bytes,
            max_connections: a.max_connections,
            threads: a.threads,
            socket_timeout: Duration::from_millis(a.socket_timeout_ms),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PushFormatArg {
    /// N-Triples (application/n-triples): line-based, understood by every store.
    Nt,
    /// Turtle (text/turtle): smaller on the wire.
    Ttl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuthModeArg {
    /// Whatever the server asks for in its 401 (digest preferred over basic).
    Auto,
    /// HTTP basic, sent with the first request.
    Basic,
    /// HTTP digest (RFC 7616).
    Digest,
}

#[derive(Debug, Clone, clap::Args)]
pub struct PushArgs {
    #[command(flatten)]
    pub store: StoreArg,
    /// The Graph Store endpoint, e.g. http://localhost:8890/sparql-graph-crud-auth
    /// (Virtuoso) or http://localhost:3030/ds/data (Fuseki).
    #[arg(long)]
    pub endpoint: String,
    #[arg(long)]
    pub user: Option<String>,
    /// Password [default: $KGX_PASSWORD]; prefer the variable, arguments show in `ps`.
    #[arg(long)]
    pub password: Option<String>,
    #[arg(long, value_enum, default_value_t = AuthModeArg::Auto)]
    pub auth: AuthModeArg,
    /// Serialization of the graphs on the wire.
    #[arg(long, value_enum, default_value_t = PushFormatArg::Nt)]
    pub format: PushFormatArg,
    /// Give up on one graph's request after this many seconds.
    #[arg(long, default_value_t = 300, value_name = "N")]
    pub timeout_s: u64,
}

impl From<PushArgs> for push::Options {
    fn from(a: PushArgs) -> Self {
        push::Options {
            store: a.store.store,
            endpoint: a.endpoint,
            user: a.user,
            password: a.password.or_else(|| std::env::var("KGX_PASSWORD").ok()),
            auth: match a.auth {
                AuthModeArg::Auto => AuthMode::Auto,
                AuthModeArg::Basic => AuthMode::Basic,
                AuthModeArg::Digest => AuthMode::Digest,
            },
            format: match a.format {
                PushFormatArg::Nt => PushFormat::Nt,
                PushFormatArg::Ttl => PushFormat::Ttl,
            },
            timeout: Duration::from_secs(a.timeout_s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Serve {
        #[command(flatten)]
        args: ServeArgs,
    }

    #[derive(Parser)]
    struct Push {
        #[command(flatten)]
        args: PushArgs,
    }

    #[test]
    fn flag_defaults_are_the_library_defaults() {
        let parsed = Serve::try_parse_from(["serve"]).expect("no flag is required");
        assert_eq!(serve::Options::from(parsed.args), serve::Options::default());
        let parsed = Push::try_parse_from(["push", "--endpoint", "http://h/gsp"]).expect("parses");
        let mut expected = push::Options::new("http://h/gsp");
        expected.password = std::env::var("KGX_PASSWORD").ok();
        assert_eq!(push::Options::from(parsed.args), expected);
    }
}
