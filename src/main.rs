//! The `kgx` command line: parses arguments and calls the library.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cli;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use kgx::pipeline::{ExtractOptions, Format};
use kgx::query::ResultFormat;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kgx",
    version,
    about = "Chinese policy and news text → a knowledge graph (JSONL, RDF, SPARQL, GEXF)",
    after_help = "Exit codes, every subcommand: 0 ok; 1 a runtime error, or some inputs or graphs failed \
                  (the rest completed); 2 a usage or rule-pack error (nothing was done)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract entities and relations from files and folders; write every output.
    Extract {
        /// Files or folders (.txt, .md, .html; folders are walked recursively); `-` reads one
        /// document from standard input, named stdin.txt.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Rules folder [default: $KGX_RULES, ./rules, or the rules built into kgx].
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Output folder.
        #[arg(long, default_value = "output")]
        out: PathBuf,
        /// Worker threads [default: all cores].
        #[arg(long)]
        threads: Option<usize>,
        /// Outputs to write, comma-separated.
        #[arg(long, value_delimiter = ',', default_values = ["jsonl", "ttl", "nq", "gexf", "store"])]
        formats: Vec<Format>,
        /// No progress bar and no summary.
        #[arg(long, short)]
        quiet: bool,
        /// Stop at the first file that cannot be read.
        #[arg(long)]
        fail_fast: bool,
        /// Drop store graphs of documents no longer in the input.
        #[arg(long)]
        prune: bool,
        /// Process only shard I of N (e.g. 2/4), split deterministically by path.
        #[arg(long, value_parser = parse_shard)]
        shard: Option<(usize, usize)>,
        /// Re-extract every document even if it and the rules are unchanged.
        #[arg(long)]
        force: bool,
        /// A CSV table of what you know about documents, overriding what kgx reads: columns
        /// doc (path or file name) and any of place, issuer, date (YYYY[-MM[-DD]]), title.
        #[arg(long, value_name = "FILE.csv")]
        metadata: Option<PathBuf>,
    },
    /// Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the store.
    Query {
        /// The query text.
        query: Option<String>,
        /// Read the query from a file instead.
        #[arg(long)]
        file: Option<PathBuf>,
        #[arg(long, default_value = "output/store")]
        store: PathBuf,
        /// Result format [default: table on a terminal, json otherwise].
        #[arg(long, value_enum)]
        format: Option<ResultFormat>,
        /// Also write oxigraph's query plan, with row counts and times per step, as JSON to
        /// this file: what to read when a query is slow.
        #[arg(long, value_name = "FILE")]
        explain: Option<PathBuf>,
    },
    /// Score extractions against a gold file (precision, recall, F1 per class and relation).
    Eval {
        #[arg(long)]
        gold: PathBuf,
        extractions: PathBuf,
        /// List every false positive and false negative.
        #[arg(long)]
        explain: bool,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
        /// One row per document (with --json: a "documents" object), so a regression shows
        /// where it is.
        #[arg(long)]
        by_doc: bool,
        /// Score only these gold documents (file names, comma-separated).
        #[arg(long, value_delimiter = ',')]
        docs: Vec<String>,
    },
    /// Show every entity and relation found in a file, with the rule and what it beat.
    Explain {
        /// The file, or `-` for standard input.
        file: PathBuf,
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Write the store as RDF (ttl, nt, nq, trig, rdfxml, jsonld) or a graph (gexf, graphml, csv).
    Export(kgx::export::ExportArgs),
    /// Serve the store over the SPARQL 1.1 Protocol.
    Serve(cli::ServeArgs),
    /// Send every document's named graph to an external store (Graph Store HTTP Protocol).
    Push(cli::PushArgs),
    /// Print a shell completion script: `kgx completions bash > ~/.local/share/bash-completion/completions/kgx`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Check or test a rule pack.
    Rules {
        #[command(subcommand)]
        action: RulesAction,
    },
}

#[derive(Subcommand)]
enum RulesAction {
    /// Load every rule file and report errors with file:line:column.
    Check {
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Run every rule's inline examples.
    Test {
        #[arg(long)]
        rules: Option<PathBuf>,
    },
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

/// --rules, else $KGX_RULES, else ./rules, else the rules built into kgx.
fn rules_dir(arg: Option<PathBuf>) -> Result<PathBuf> {
    let given = arg
        .or_else(|| std::env::var_os("KGX_RULES").map(PathBuf::from))
        .or_else(|| {
            Path::new("rules/pack.toml")
                .exists()
                .then(|| PathBuf::from("rules"))
        });
    match given {
        Some(dir) => Ok(dir),
        None => kgx::embedded::rules_dir(),
    }
}

fn load_pack(arg: Option<PathBuf>) -> Result<kgx::rules::RulePack, ExitCode> {
    let dir = rules_dir(arg).map_err(|e| {
        eprintln!("kgx: error: {e:#}");
        ExitCode::from(2)
    })?;
    kgx::rules::load_pack(&dir).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(2)
    })
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        // `kgx query … | head` closing the pipe early is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kgx: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Extract {
            paths,
            rules,
            out,
            threads,
            formats,
            quiet,
            fail_fast,
            prune,
            shard,
            force,
            metadata,
        } => {
            let mut pack = match load_pack(rules) {
                Ok(p) => p,
                Err(code) => return Ok(code),
            };
            // A table that cannot be read is a usage error: nothing is extracted.
            let metadata = match metadata.map(|path| kgx::metadata::read(&path)).transpose() {
                Ok(m) => m,
                Err(e) => {
                    eprintln!("kgx: error: {e:#}");
                    return Ok(ExitCode::from(2));
                }
            };
            if let Some(m) = &metadata {
                pack.hash = m.pack_hash(&pack.hash);
            }
            // Standard input becomes a file the pipeline reads like any other: one document.
            let stdin_dir = tempfile::tempdir()?;
            let paths = paths
                .into_iter()
                .map(|p| -> Result<PathBuf> {
                    if p.as_os_str() != "-" {
                        return Ok(p);
                    }
                    let file = stdin_dir.path().join("stdin.txt");
                    let mut bytes = Vec::new();
                    std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
                    std::fs::write(&file, bytes)?;
                    Ok(file)
                })
                .collect::<Result<Vec<_>>>()?;
            let opts = ExtractOptions {
                inputs: paths,
                out,
                threads,
                formats,
                quiet,
                fail_fast,
                prune,
                shard,
                force,
                metadata,
            };
            let summary = kgx::pipeline::run_extract(&pack, &opts)?;
            if !quiet {
                eprintln!("kgx: {summary}");
                eprintln!("kgx: wrote {}", opts.out.display());
            }
            Ok(if summary.failed.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Query {
            query,
            file,
            store,
            format,
            explain,
        } => {
            let text = kgx::query::query_text(query, file.as_deref())?;
            let format = format.unwrap_or(if std::io::stdout().is_terminal() {
                ResultFormat::Table
            } else {
                ResultFormat::Json
            });
            if !store.exists() {
                anyhow::bail!(
                    "{}: no store here; run `kgx extract` first or pass --store DIR",
                    store.display()
                );
            }
            let store = oxigraph::store::Store::open_read_only(&store)
                .with_context(|| format!("{}: cannot open the store", store.display()))?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            match explain {
                None => kgx::query::run(&store, &text, format, &mut out)?,
                Some(path) => kgx::output::write_atomic(&path, |plan| {
                    kgx::query::run_explained(&store, &text, format, &mut out, plan)
                })?,
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval {
            gold,
            extractions,
            explain,
            json,
            by_doc,
            docs,
        } => {
            let only = (!docs.is_empty()).then_some(docs.as_slice());
            let report = kgx::eval::score_files_of(&gold, &extractions, only)?;
            if json {
                let value = if by_doc {
                    report.to_json_by_doc()
                } else {
                    report.to_json()
                };
                println!("{value}");
            } else {
                if explain {
                    print!("{}", report.render_explain());
                }
                if by_doc {
                    print!("{}", report.render_by_doc());
                    println!();
                }
                print!("{}", report.render_table());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { file, rules } => {
            let pack = match load_pack(rules) {
                Ok(p) => p,
                Err(code) => return Ok(code),
            };
            let doc = if file.as_os_str() == "-" {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
                kgx::input::decode_document("stdin", &bytes)
                    .map_err(|e| anyhow::anyhow!("standard input: {e}"))?
            } else {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let input = kgx::input::InputFile {
                    rel: name,
                    path: file.clone(),
                };
                kgx::input::read_document(&input)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?
            };
            let name = doc.rel.clone();
            print!("{}", kgx::explain::explain(&pack, &doc.text, &name));
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(args) => {
            kgx::export::run(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve(args) => {
            kgx::serve::run(&args.into())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "kgx",
                &mut std::io::stdout(),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Push(args) => {
            kgx::push::run(&args.into())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules { action } => match action {
            RulesAction::Check { rules } => {
                let pack = match load_pack(rules) {
                    Ok(p) => p,
                    Err(code) => return Ok(code),
                };
                println!(
                    "{} {}: {} rules, {} gazetteer entries, {} entity rules, {} relation rules; ok",
                    pack.name,
                    pack.version,
                    pack.rules.len(),
                    pack.gazetteer.entries.len(),
                    pack.entity_rules.len(),
                    pack.relation_rules.len()
                );
                Ok(ExitCode::SUCCESS)
            }
            RulesAction::Test { rules } => {
                let pack = match load_pack(rules) {
                    Ok(p) => p,
                    Err(code) => return Ok(code),
                };
                let (run, failures) = kgx::explain::test_rules(&pack);
                for f in &failures {
                    eprintln!("{f}");
                }
                println!("{run} examples, {} failed", failures.len());
                Ok(if failures.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            }
        },
    }
}
