//! The connections between processes, made here rather than by timely (which retries forever
//! and prints to standard output): process `i` accepts from higher processes and connects to
//! lower ones, each side proving with a handshake that it is the process the hostfile says,
//! all within a deadline. The sockets count the bytes they carry, and a process whose
//! connection breaks mid-run is recorded as lost (see [`lost`]).

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use super::{ClusterError, Hostfile};
use crate::error::Result;

/// The first bytes of every connection: "clout-pr" then the protocol version.
const MAGIC: u64 = u64::from_be_bytes(*b"clout-pr") ^ 1;

/// Bytes this process wrote to and read from its peers' sockets.
#[derive(Debug, Default)]
pub struct Traffic {
    pub sent: AtomicU64,
    pub received: AtomicU64,
}

/// A TCP socket that adds what it carries to a [`Traffic`].
pub struct Counted {
    stream: TcpStream,
    traffic: Arc<Traffic>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.stream.read(buf)?;
        self.traffic.received.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl Write for Counted {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.stream.write(buf)?;
        self.traffic.sent.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

impl timely::communication::allocator::zero_copy::stream::Stream for Counted {
    fn try_clone(&self) -> io::Result<Self> {
        Ok(Counted {
            stream: self.stream.try_clone()?,
            traffic: Arc::clone(&self.traffic),
        })
    }

    fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
        self.stream.set_nonblocking(nonblocking)
    }

    fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.stream.shutdown(how)
    }
}

/// Connects this process (`me`) to every other process of `hosts` within `timeout`: one
/// socket per process, `None` at `me`.
pub fn connect_all(
    hosts: &Hostfile,
    me: usize,
    workers: usize,
    timeout: Duration,
    traffic: &Arc<Traffic>,
) -> Result<Vec<Option<Counted>>> {
    let deadline = Instant::now() + timeout;
    let n = hosts.addrs.len();
    let listener = (me + 1 < n).then(|| listen(hosts, me)).transpose()?;
    let mut sockets: Vec<Option<TcpStream>> = (0..n).map(|_| None).collect();
    for (j, slot) in sockets.iter_mut().enumerate().take(me) {
        *slot = Some(dial(hosts, (me, workers), j, deadline)?);
    }
    if let Some(listener) = listener {
        accept_higher(hosts, (me, workers), &listener, &mut sockets, deadline)?;
    }
    Ok(sockets
        .into_iter()
        .map(|s| {
            s.map(|stream| Counted {
                stream,
                traffic: Arc::clone(traffic),
            })
        })
        .collect())
}

fn connect_error(hosts: &Hostfile, process: usize, reason: impl Into<String>) -> ClusterError {
    ClusterError::Connect {
        process,
        addr: hosts.addrs[process].clone(),
        reason: reason.into(),
    }
}

fn listen(hosts: &Hostfile, me: usize) -> Result<TcpListener> {
    let addr = &hosts.addrs[me];
    let listener = TcpListener::bind(addr.as_str()).map_err(|e| {
        connect_error(
            hosts,
            me,
            format!(
                "cannot listen there (line {} of {}): {e}",
                me + 1,
                hosts.path.display()
            ),
        )
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| connect_error(hosts, me, e.to_string()))?;
    Ok(listener)
}

/// Connects to lower process `j`, retrying until `deadline`, and introduces this process
/// (`me`: its index and worker count).
fn dial(hosts: &Hostfile, me: Me, j: usize, deadline: Instant) -> Result<TcpStream> {
    let addr = &hosts.addrs[j];
    let mut last = String::from("no address");
    while Instant::now() < deadline {
        let addrs = addr
            .to_socket_addrs()
            .map_err(|e| connect_error(hosts, j, format!("cannot resolve the address: {e}")))?;
        for a in addrs {
            match TcpStream::connect_timeout(&a, Duration::from_millis(500)) {
                Ok(mut s) => {
                    handshake(&mut s, me, hosts.addrs.len(), deadline)
                        .and_then(|peer| expect_peer(peer, j))
                        .map_err(|e| connect_error(hosts, j, e))?;
                    return Ok(s);
                }
                Err(e) => last = e.to_string(),
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(connect_error(
        hosts,
        j,
        format!("not reachable before the deadline ({last})"),
    )
    .into())
}

/// Accepts one connection from every higher process until `deadline`.
fn accept_higher(
    hosts: &Hostfile,
    (me, workers): Me,
    listener: &TcpListener,
    sockets: &mut [Option<TcpStream>],
    deadline: Instant,
) -> Result<()> {
    let n = hosts.addrs.len();
    while sockets[me + 1..].iter().any(Option::is_none) {
        match listener.accept() {
            Ok((mut s, _)) => {
                s.set_nonblocking(false)
                    .map_err(|e| connect_error(hosts, me, e.to_string()))?;
                let Ok(peer) = handshake(&mut s, (me, workers), n, deadline) else {
                    continue; // not one of ours: a port scan, say
                };
                if peer <= me || sockets[peer].is_some() {
                    return Err(connect_error(
                        hosts,
                        peer.min(n - 1),
                        format!("connected twice, or as process {peer}"),
                    )
                    .into());
                }
                sockets[peer] = Some(s);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                if Instant::now() >= deadline {
                    let j = (me + 1..n).find(|&j| sockets[j].is_none()).unwrap_or(me);
                    return Err(
                        connect_error(hosts, j, "did not connect before the deadline").into(),
                    );
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(connect_error(hosts, me, e.to_string()).into()),
        }
    }
    Ok(())
}

/// This process: its index and its worker count.
type Me = (usize, usize);

/// Sends `(MAGIC, me, n, workers)` and reads the peer's; returns the peer's index.
fn handshake(
    s: &mut TcpStream,
    (me, workers): Me,
    n: usize,
    deadline: Instant,
) -> std::result::Result<usize, String> {
    let wait = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_secs(1));
    let io = |e: io::Error| format!("handshake failed: {e}");
    s.set_nodelay(true).map_err(io)?;
    s.set_read_timeout(Some(wait)).map_err(io)?;
    let mut out = [0u8; 32];
    for (i, v) in [MAGIC, me as u64, n as u64, workers as u64]
        .iter()
        .enumerate()
    {
        out[i * 8..i * 8 + 8].copy_from_slice(&v.to_be_bytes());
    }
    s.write_all(&out).map_err(io)?;
    let mut back = [0u8; 32];
    s.read_exact(&mut back).map_err(io)?;
    s.set_read_timeout(None).map_err(io)?;
    let word = |i: usize| u64::from_be_bytes(back[i * 8..i * 8 + 8].try_into().unwrap());
    if word(0) != MAGIC {
        return Err("answered, but not as a clout cluster process of this version".into());
    }
    if word(2) != n as u64 {
        return Err(format!(
            "its hostfile lists {} processes, this one {n}",
            word(2)
        ));
    }
    if word(3) != workers as u64 {
        return Err(format!(
            "it runs {} workers, this one {workers}: give every process the same --workers",
            word(3)
        ));
    }
    Ok(word(1) as usize)
}

fn expect_peer(peer: usize, j: usize) -> std::result::Result<usize, String> {
    if peer == j {
        Ok(peer)
    } else {
        Err(format!(
            "answered as process {peer}: check --process and the hostfile"
        ))
    }
}

/// The first lost process and why, recorded by the panic hook of timely's network threads.
static LOST: Mutex<Option<(usize, String)>> = Mutex::new(None);

/// The process whose connection broke first in this run, and the reason.
pub fn lost() -> Option<(usize, String)> {
    LOST.lock().map(|g| g.clone()).unwrap_or(None)
}

/// Forgets any earlier loss (a new run starts).
pub fn reset_lost() {
    if let Ok(mut g) = LOST.lock() {
        *g = None;
    }
}

/// Installs (once) a panic hook that turns the panic of a timely network thread
/// (`timely:send-J` / `timely:recv-J`, which panic when process `J`'s socket breaks) into a
/// record of the lost process, and keeps quiet about worker threads that fail because of it.
/// Other panics go to the previous hook.
pub fn watch_for_lost_peers() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let name = std::thread::current().name().unwrap_or("").to_string();
            let peer = name
                .strip_prefix("timely:recv-")
                .or_else(|| name.strip_prefix("timely:send-"))
                .and_then(|j| j.parse::<usize>().ok());
            if let Some(j) = peer {
                let reason = panic_message(info);
                if let Ok(mut g) = LOST.lock() {
                    g.get_or_insert((j, reason));
                }
                return;
            }
            let quiet = name.starts_with("timely:") || name == "clout:comms";
            if quiet && lost().is_some() {
                return;
            }
            previous(info)
        }));
    });
}

fn panic_message(info: &std::panic::PanicHookInfo<'_>) -> String {
    let p = info.payload();
    let text = p
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "connection failed".into());
    text.trim_start_matches("timely communication error: ")
        .to_string()
}
