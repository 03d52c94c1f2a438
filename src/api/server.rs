//! The HTTP/1.1 server: hyper on a tokio runtime with a fixed number of worker threads, serving
//! [`respond`](super::handlers::respond) from a shared read-only [`Snapshot`]. Owns the limits
//! (request head size, header read timeout, open connections) and the start/stop handle.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::handlers::{respond, Kind};
use super::snapshot::Snapshot;
use crate::error::{Error, Result};

/// Largest request head (request line and headers) in bytes; larger gets `431`.
pub const MAX_HEAD: usize = 8 * 1024;
/// A client must send its request head within this time, or the connection is closed.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How to serve. Defaults: loopback port 8080, 2 worker threads, 1024 open connections.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub addr: SocketAddr,
    /// Worker threads (≥ 1).
    pub workers: usize,
    /// Open connections at most (≥ 1); further clients wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            workers: 2,
            max_connections: 1024,
        }
    }
}

/// A running server; dropping it (or [`Server::shutdown`]) stops it.
pub struct Server {
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
    accept: Option<tokio::task::JoinHandle<()>>,
}

/// Binds `config.addr` (port 0 picks a free port) and starts serving `snapshot` in the
/// background. Errors: bad configuration, or the address cannot be bound.
pub fn start(snapshot: Arc<Snapshot>, config: &ServeConfig) -> Result<Server> {
    if config.workers == 0 {
        return Err(Error::param("workers", "must be at least 1"));
    }
    if config.max_connections == 0 {
        return Err(Error::param("max_connections", "must be at least 1"));
    }
    let net_err = |error| Error::Net {
        addr: config.addr,
        error,
    };
    let std_listener = std::net::TcpListener::bind(config.addr).map_err(net_err)?;
    std_listener.set_nonblocking(true).map_err(net_err)?;
    let addr = std_listener.local_addr().map_err(net_err)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(config.workers)
        .thread_name("clout-api")
        .enable_io()
        .enable_time()
        .build()
        .map_err(net_err)?;
    let listener = {
        let _guard = runtime.enter();
        TcpListener::from_std(std_listener).map_err(net_err)?
    };
    let permits = Arc::new(Semaphore::new(config.max_connections));
    let accept = runtime.spawn(accept_loop(listener, snapshot, permits));
    Ok(Server {
        addr,
        runtime: Some(runtime),
        accept: Some(accept),
    })
}

impl Server {
    /// The bound address (with the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until the process ends.
    pub fn wait(mut self) {
        if let (Some(rt), Some(accept)) = (&self.runtime, self.accept.take()) {
            let _ = rt.block_on(accept);
        }
    }

    /// Stops accepting, drops open connections and joins the worker threads.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(accept) = self.accept.take() {
            accept.abort();
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(Duration::from_secs(2));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn accept_loop(listener: TcpListener, snapshot: Arc<Snapshot>, permits: Arc<Semaphore>) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_header_size(MAX_HEAD)
        .max_buf_size(MAX_HEAD.max(8192) * 2);
    let http = Arc::new(http);
    loop {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors and the like: back off instead of spinning.
                eprintln!("clout serve: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let snap = snapshot.clone();
        let http = http.clone();
        tokio::spawn(async move {
            let svc =
                service_fn(move |req| std::future::ready(Ok::<_, Infallible>(handle(&snap, &req))));
            let _ = http.serve_connection(TokioIo::new(stream), svc).await;
            drop(permit);
        });
    }
}

fn handle(snap: &Snapshot, req: &Request<Incoming>) -> Response<Full<Bytes>> {
    let target = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
    let reply = respond(snap, req.method().as_str(), target);
    let mut resp = Response::new(Full::new(reply.body));
    *resp.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::BAD_REQUEST);
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(reply.kind.content_type()),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if reply.kind == Kind::Html {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(super::html::CSP),
        );
    }
    if reply.status == 405 {
        h.insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    }
    resp
}
