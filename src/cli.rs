//! Clap types of the subcommands whose library takes plain options (`kgx serve`, `kgx push`):
//! the flags as the user types them, turned into `kgx::serve::Options` / `kgx::push::Options`.

use kgx::push::{self, AuthMode, PushFormat};
use kgx::serve;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    #[arg(long, default_value = "output/store")]
    pub store: PathBuf,
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
            store: a.store,
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
            store: a.store,
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
