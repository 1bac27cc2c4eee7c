//! The transport of `kgx serve`: oxhttp (the HTTP/1.1 layer of `oxigraph serve`) carrying
//! [`Request`]s to [`Service::handle`], and the shutdown on SIGINT/SIGTERM.
//!
//! What bounds what:
//! - connections: oxhttp gives each one a thread, at most `max_connections`; a further
//!   connection waits in the listen backlog until one closes;
//! - slow or idle clients: every socket has `socket_timeout` as its read and write timeout, so
//!   a connection that sends nothing (before a request, or between keep-alive requests) or
//!   takes no response bytes for that long is closed; a request body must also arrive whole
//!   within `socket_timeout` of its headers (else 408). oxhttp reads the headers (at most
//!   8 KiB) itself, so a client dribbling header bytes faster than the timeout holds its
//!   connection until they end: `max_connections` bounds how many can;
//! - evaluation: a request's body is read whole on its connection's thread before it takes
//!   one of the `threads` evaluation [`Slots`]; it waits at most `timeout` for one (else 503),
//!   and an evaluation that outlives its timeout keeps its slot until it has stopped;
//! - bodies: a `Content-Length` over `max_body_bytes` is refused (413) without reading the
//!   body, a longer chunked body once it passes the limit; either way the connection closes.

use super::{too_large, Config, NoSlot, Options, Request, Response, Service, Slots};
use anyhow::{bail, Context, Result};
use oxhttp::model::header::CONNECTION;
use oxhttp::model::{Body, HeaderName, HeaderValue, Method, StatusCode};
use oxigraph::store::Store;
use std::io::{ErrorKind, Read};
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// How long requests in flight get to finish after SIGINT/SIGTERM before they are cancelled.
pub(crate) const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// How long responses already computed get to be written before the process exits.
const LINGER: Duration = Duration::from_millis(200);

type HttpRequest = oxhttp::model::Request<Body>;
type HttpResponse = oxhttp::model::Response<Body>;

/// What every connection thread shares.
struct Shared {
    /// Taken out at shutdown: a request that finds none is refused.
    service: RwLock<Option<Arc<Service>>>,
    slots: Arc<Slots>,
    /// Set on SIGINT/SIGTERM: no new request is admitted.
    stopping: AtomicBool,
    max_body: usize,
    socket_timeout: Duration,
    /// The longest a request waits for an evaluation slot.
    queue_wait: Duration,
}

impl Shared {
    fn service(&self) -> Option<Arc<Service>> {
        self.service
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// One HTTP exchange, logged on stderr.
    fn respond(&self, rq: &mut HttpRequest) -> HttpResponse {
        let started = Instant::now();
        let method = rq.method().as_str().to_string();
        let target = rq
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        let head = rq.method() == Method::HEAD;
        let resp = self.answer(rq, method.clone(), target.clone());
        log(&method, &target, resp.status, started);
        to_http(resp, head)
    }

    fn answer(&self, rq: &mut HttpRequest, method: String, url: String) -> Response {
        if self.stopping.load(Ordering::Acquire) {
            close_after(rq);
            return shutting_down();
        }
        let body = match read_body(rq, self.max_body, self.socket_timeout, &self.stopping) {
            Ok(body) => body,
            Err(resp) => {
                close_after(rq);
                return resp;
            }
        };
        // Taken after the body has arrived, so a slow upload never delays the shutdown.
        let Some(service) = self.service() else {
            close_after(rq);
            return shutting_down();
        };
        let path = url.split('?').next().unwrap_or("");
        let lease = if path == "/sparql" {
            match self.slots.acquire(self.queue_wait, &self.stopping) {
                Ok(lease) => Some(Arc::new(lease)),
                Err(NoSlot::Stopping) => {
                    close_after(rq);
                    return shutting_down();
                }
                Err(NoSlot::Busy) => {
                    return Response::text(
                        503,
                        format!(
                            "all {} evaluation slots stayed busy for {} ms; try again \
                             (kgx serve --threads, --timeout-ms)",
                            self.slots.max(),
                            self.queue_wait.as_millis()
                        ),
                    )
                    .with_header("Retry-After", "1")
                }
            }
        } else {
            None
        };
        let headers = rq
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        service.handle(&Request {
            method,
            url,
            headers,
            body,
            lease,
        })
    }
}

/// Makes oxhttp close the connection once the response is written, without reading what is
/// left of the body: oxhttp decides by the request's `Connection` header, and drains the body
/// it handed over, which is replaced by an empty one.
fn close_after(rq: &mut HttpRequest) {
    rq.headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    *rq.body_mut() = Body::empty();
}

fn shutting_down() -> Response {
    Response::text(503, "kgx serve is shutting down").with_header("Retry-After", "1")
}

/// Reads a request body whole: at most `max` bytes, arriving within `timeout` of the
/// headers (each read also times out after `timeout`, the socket's read timeout).
fn read_body(
    rq: &mut HttpRequest,
    max: usize,
    timeout: Duration,
    stopping: &AtomicBool,
) -> Result<Vec<u8>, Response> {
    let body = rq.body_mut();
    let announced = body.len();
    if announced.is_some_and(|n| n > max as u64) {
        return Err(too_large(max));
    }
    let late = || {
        Response::text(
            408,
            format!(
                "the request body did not arrive within {} ms (kgx serve --socket-timeout-ms)",
                timeout.as_millis()
            ),
        )
    };
    let deadline = Instant::now() + timeout;
    let mut out = Vec::with_capacity(announced.map_or(0, |n| n as usize));
    let mut buf = [0u8; 16 * 1024];
    loop {
        match body.read(&mut buf) {
            Ok(0) => return Ok(out),
            Ok(n) => {
                if out.len() + n > max {
                    return Err(too_large(max));
                }
                out.extend_from_slice(&buf[..n]);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            // A socket read timeout is EAGAIN (WouldBlock) on Unix, TimedOut on Windows.
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(late())
            }
            Err(e) => {
                return Err(Response::text(
                    400,
                    format!("cannot read the request body: {e}"),
                ))
            }
        }
        if Instant::now() > deadline {
            return Err(late());
        }
        if stopping.load(Ordering::Acquire) {
            return Err(shutting_down());
        }
    }
}

/// Our response as oxhttp's. A header oxhttp cannot carry is dropped (none of ours; note that
/// oxhttp never writes `Connection`, `Date` or `Access-Control-Allow-Methods` itself).
fn to_http(resp: Response, head: bool) -> HttpResponse {
    let body = if head { Vec::new() } else { resp.body };
    let mut out = HttpResponse::new(Body::from(body));
    *out.status_mut() =
        StatusCode::from_u16(resp.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in &resp.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            out.headers_mut().append(name, value);
        }
    }
    out
}

/// One line per request on stderr: method, path (without the query string, which may be long
/// or private), status and time. `scripts/load-test.sh` counts statuses from it.
fn log(method: &str, target: &str, status: u16, started: Instant) {
    let path = target.split('?').next().unwrap_or("");
    eprintln!(
        "kgx: {method} {path} {status} {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
}

/// The addresses `bind` names. Port 0 is replaced by a free port the OS picks, since oxhttp
/// binds the sockets itself and does not tell which port it got.
fn addresses(bind: &str) -> Result<Vec<SocketAddr>> {
    let addrs: Vec<SocketAddr> = bind
        .to_socket_addrs()
        .with_context(|| format!("--bind {bind}: not an address and port such as 127.0.0.1:7878"))?
        .collect();
    if addrs.is_empty() {
        bail!("--bind {bind}: the name resolves to no address");
    }
    addrs
        .into_iter()
        .map(|a| {
            if a.port() != 0 {
                return Ok(a);
            }
            let probe = TcpListener::bind(a).with_context(|| format!("cannot listen on {a}"))?;
            Ok(probe.local_addr()?)
        })
        .collect()
}

/// Sets `flag` on SIGINT and SIGTERM; a second signal, once it is set, ends the process at
/// once (the default action), for a shutdown that hangs.
fn on_termination(flag: &Arc<AtomicBool>) -> Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    for signal in [SIGINT, SIGTERM] {
        // The order matters: the default action is armed by the flag the first signal sets.
        signal_hook::flag::register_conditional_default(signal, flag.clone())
            .and_then(|_| signal_hook::flag::register(signal, flag.clone()))
            .context("cannot install the SIGINT/SIGTERM handlers")?;
    }
    Ok(())
}

/// Serves the store until SIGINT or SIGTERM, then shuts down cleanly: no new request is
/// admitted (503), requests in flight get 5 s (`SHUTDOWN_GRACE`) to finish before they are
/// cancelled (503), the store is flushed (when writable) and closed, and this returns `Ok`.
pub fn run(opts: &Options) -> Result<()> {
    if !opts.store.exists() {
        bail!(
            "{}: no store here; run `kgx extract` first or pass --store DIR",
            opts.store.display()
        );
    }
    if opts.max_connections == 0 {
        bail!("--max-connections 0 would accept no connection; give at least 1");
    }
    if opts.socket_timeout.is_zero() {
        bail!("--socket-timeout-ms 0 is not a timeout; give at least 1");
    }
    let store = if opts.allow_update {
        kgx_rdf::store::open(&opts.store)?
    } else {
        Store::open_read_only(&opts.store)
            .with_context(|| format!("{}: cannot open the store", opts.store.display()))?
    };
    let addrs = addresses(&opts.bind)?;
    let threads = opts
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .max(1);
    let signalled = Arc::new(AtomicBool::new(false));
    on_termination(&signalled)?;

    let service = Arc::new(Service::new(store, Config::from(opts)));
    let shared = Arc::new(Shared {
        service: RwLock::new(Some(service.clone())),
        slots: Slots::new(threads),
        stopping: AtomicBool::new(false),
        max_body: opts.max_body_bytes,
        socket_timeout: opts.socket_timeout,
        queue_wait: opts.timeout,
    });
    let handler = shared.clone();
    let mut server = oxhttp::Server::new(move |rq| handler.respond(rq))
        .with_server_name(concat!("kgx/", env!("CARGO_PKG_VERSION")))
        .context("the server name is not a header value")?
        .with_global_timeout(opts.socket_timeout)
        .with_max_concurrent_connections(opts.max_connections);
    for a in &addrs {
        server = server.bind(*a);
    }
    // The listener threads run until the process exits; nothing joins them.
    let _listening = server.spawn().with_context(|| {
        format!(
            "cannot listen on {} (another server on that port? pick another with --bind)",
            opts.bind
        )
    })?;
    let addr = addrs[0];
    if opts.allow_update && opts.token.is_none() {
        eprintln!("kgx: warning: --allow-update without --token: anyone who can reach {addr} can change the store");
    }
    eprintln!(
        "kgx: serving {} at http://{addr}/ (SPARQL endpoint http://{addr}/sparql, {}; {threads} workers)",
        opts.store.display(),
        if opts.allow_update { "read-write" } else { "read-only" }
    );

    while !signalled.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(service);
    shutdown(&shared, opts.allow_update)
}

/// The shutdown after a signal: see [`run`].
fn shutdown(shared: &Shared, writable: bool) -> Result<()> {
    let in_flight = shared.slots.taken();
    eprintln!(
        "kgx: shutting down: {in_flight} request(s) in flight, {} s to finish",
        SHUTDOWN_GRACE.as_secs()
    );
    shared.stopping.store(true, Ordering::Release);
    shared.slots.wake_all();
    let service = shared
        .service
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    let Some(service) = service else {
        return Ok(());
    };
    if !shared.slots.wait_idle(Instant::now() + SHUTDOWN_GRACE) {
        eprintln!(
            "kgx: cancelling {} request(s) still in flight",
            shared.slots.taken()
        );
        service.shutdown();
        if !shared.slots.wait_idle(Instant::now() + SHUTDOWN_GRACE) {
            eprintln!(
                "kgx: warning: {} evaluation(s) still running after cancellation; exiting anyway \
                 (updates are transactions: the store keeps each whole or not at all)",
                shared.slots.taken()
            );
        }
    }
    service.shutdown();
    // Requests that took the service before it was taken out hold it only while answering.
    let deadline = Instant::now() + SHUTDOWN_GRACE;
    let mut service = service;
    let service = loop {
        match Arc::try_unwrap(service) {
            Ok(s) => break Some(s),
            Err(still_shared) if Instant::now() < deadline => {
                service = still_shared;
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(_) => break None,
        }
    };
    // Responses computed a moment ago are still being written by their connection threads.
    std::thread::sleep(LINGER);
    if let Some(service) = service {
        if writable {
            service
                .store()
                .flush()
                .context("cannot flush the store before exiting")?;
        }
        // The last handle: dropping it closes the store.
        drop(service);
    }
    eprintln!("kgx: stopped");
    Ok(())
}
