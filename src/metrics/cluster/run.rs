//! Starting a cluster run: connections, timely's workers, each worker's phases in order
//! (read, number, partition, resume, iterate, gather), and a watchdog on the calling thread
//! that returns within seconds when a process is lost, whatever the workers are doing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use timely::communication::allocator::zero_copy::initialize::{
    initialize_networking_from_sockets, CommsGuard,
};
use timely::communication::allocator::{AllocatorBuilder, ProcessBuilder};
use timely::communication::{Hooks, WorkerGuards};
use timely::worker::Worker;
use timely::WorkerConfig;

use super::checkpoint::{self, Checkpoints, Slot};
use super::exchange::{or_abort, Mailbox, Msg};
use super::gather::{gather, Ranked};
use super::iterate::{iterate, Setup};
use super::net::{self, Traffic};
use super::read::{read_share, Input};
use super::{ids, part, ClusterError, Hostfile};
use crate::error::{Error, Result};
use crate::metrics::ValidPageRankParams;

/// Where this process stands in the cluster, and how to run.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    pub hosts: Hostfile,
    /// This process: a line of the hostfile (0-based).
    pub process: usize,
    /// Worker threads in every process (the same in all).
    pub workers: usize,
    /// How long to wait for the other processes to come up.
    pub connect_timeout: Duration,
    pub checkpoints: Option<Checkpoints>,
    /// Test hook: a pause before every iteration.
    pub round_delay: Option<Duration>,
}

/// What one worker runs.
struct Job {
    input: Input,
    params: ValidPageRankParams,
    top: Option<usize>,
    workers: usize,
    addrs: Vec<String>,
    checkpoints: Option<Checkpoints>,
    delay: Option<Duration>,
    traffic: Option<Arc<Traffic>>,
}

/// PageRank of the graph in `input` over the cluster: on process 0 the ranked rows (the best
/// `top`, or all), `None` on the others. Every process calls this with the same arguments but
/// its own `process`.
pub fn pagerank(
    opts: &ClusterOptions,
    input: &Input,
    params: &ValidPageRankParams,
    top: Option<usize>,
) -> Result<Option<Ranked>> {
    opts.hosts.check_process(opts.process)?;
    check(opts.workers, params)?;
    net::watch_for_lost_peers();
    net::reset_lost();
    let traffic = Arc::new(Traffic::default());
    let sockets = net::connect_all(
        &opts.hosts,
        opts.process,
        opts.workers,
        opts.connect_timeout,
        &traffic,
    )?;
    let hooks = Hooks::default();
    let local = ProcessBuilder::new_typed_vector(opts.workers, hooks.refill.clone(), None);
    let (builders, comms) =
        initialize_networking_from_sockets(local, sockets, opts.process, opts.workers, hooks)
            .map_err(|e| ClusterError::Engine(e.to_string()))?;
    let builders = builders.into_iter().map(AllocatorBuilder::Tcp).collect();
    let job = Job {
        input: input.clone(),
        params: params.clone(),
        top,
        workers: opts.workers,
        addrs: opts.hosts.addrs.clone(),
        checkpoints: opts.checkpoints.clone(),
        delay: opts.round_delay,
        traffic: Some(traffic),
    };
    launch(builders, Box::new(Comms(Some(comms))), job)
}

/// The same computation in this process alone, on `workers` threads (no network): what the
/// cluster computes, for tests and for comparison.
pub fn pagerank_in_process(
    workers: usize,
    input: &Input,
    params: &ValidPageRankParams,
    top: Option<usize>,
) -> Result<Option<Ranked>> {
    check(workers, params)?;
    let hooks = Hooks::default();
    let builders = ProcessBuilder::new_typed_vector(workers, hooks.refill, None)
        .into_iter()
        .map(AllocatorBuilder::Process)
        .collect();
    let job = Job {
        input: input.clone(),
        params: params.clone(),
        top,
        workers,
        addrs: Vec::new(),
        checkpoints: None,
        delay: None,
        traffic: None,
    };
    launch(builders, Box::new(()), job)
}

fn check(workers: usize, params: &ValidPageRankParams) -> Result<()> {
    if workers == 0 {
        return Err(Error::param("workers", "must be at least 1"));
    }
    if !params.is_plain() {
        return Err(Error::param(
            "personalization",
            "the cluster mode computes the uniform-teleport PageRank only",
        ));
    }
    Ok(())
}

type WorkerResult = Result<Option<Ranked>>;

fn launch(
    builders: Vec<AllocatorBuilder>,
    others: Box<dyn std::any::Any + Send>,
    job: Job,
) -> WorkerResult {
    let job = Arc::new(job);
    let addrs = job.addrs.clone();
    let guards = timely::execute::execute_from(builders, others, WorkerConfig::default(), {
        let job = Arc::clone(&job);
        move |worker| work(worker, &job)
    })
    .map_err(ClusterError::Engine)?;
    watch(guards, &addrs)
}

/// Waits for the workers; when a process is lost and they do not stop within two seconds,
/// leaves them (the caller exits) and reports the loss.
fn watch(guards: WorkerGuards<WorkerResult>, addrs: &[String]) -> WorkerResult {
    let mut lost_since: Option<Instant> = None;
    while !guards.guards().iter().all(|g| g.is_finished()) {
        if let Some((process, reason)) = net::lost() {
            let since = *lost_since.get_or_insert_with(Instant::now);
            if since.elapsed() > Duration::from_secs(2) {
                std::mem::forget(guards);
                return Err(lost_error(process, reason, addrs));
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut result = Ok(None);
    let mut lost = None;
    for r in guards.join() {
        match r {
            Ok(Ok(Some(ranked))) => result = result.map(|_| Some(ranked)),
            Ok(Ok(None)) => {}
            Ok(Err(Error::Cluster(e @ ClusterError::PeerLost { .. }))) => lost = Some(e),
            Ok(Err(e)) => {
                if result.is_ok() {
                    result = Err(e)
                }
            }
            Err(panic) => {
                if let Some((process, reason)) = net::lost() {
                    lost = Some(match lost_error(process, reason, addrs) {
                        Error::Cluster(e) => e,
                        _ => unreachable!(),
                    });
                } else {
                    result =
                        Err(ClusterError::Engine(format!("a worker panicked: {panic}")).into());
                }
            }
        }
    }
    match (result, lost) {
        (Err(e), _) => Err(e),
        (Ok(_), Some(lost)) => Err(lost.into()),
        (ok, None) => ok,
    }
}

fn lost_error(process: usize, reason: String, addrs: &[String]) -> Error {
    ClusterError::PeerLost {
        process,
        addr: addrs.get(process).cloned().unwrap_or_default(),
        reason,
    }
    .into()
}

/// Timely's network threads. Dropped after the workers: joined (they flush the last messages
/// and the clean shutdown) unless a process was lost, and never waited on for long.
struct Comms(Option<CommsGuard>);

impl Drop for Comms {
    fn drop(&mut self) {
        let Some(guard) = self.0.take() else { return };
        if net::lost().is_some() {
            std::mem::forget(guard);
            return;
        }
        let Ok(joiner) = std::thread::Builder::new()
            .name("clout:comms".into())
            .spawn(move || drop(guard))
        else {
            return;
        };
        let t0 = Instant::now();
        while !joiner.is_finished() && t0.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        if joiner.is_finished() {
            let _ = joiner.join();
        }
    }
}

/// One worker: the phases, then the dataflow closed (forcibly when the run failed).
fn work(worker: &mut Worker, job: &Job) -> WorkerResult {
    let mut mb = Mailbox::new(worker, job.workers, job.addrs.clone());
    let result = phases(&mut mb, job);
    mb.close(result.is_ok());
    result
}

fn phases(mb: &mut Mailbox<'_>, job: &Job) -> WorkerResult {
    let t0 = Instant::now();
    let path = &job.input.path;
    let share = or_abort(mb, |mb| read_share(&job.input, mb.me(), mb.peers()))?;
    let (records, skipped) = (share.records, share.skipped);
    let (owned, global) = ids::assign(mb, &share.tokens, path)?;
    let part = part::build(mb, share, &global, &owned, job.input.undirected)?;
    drop(global);
    let counts = totals(mb, [part.edges, part.loops, records, skipped])?;
    if counts[2] == 0 {
        return Err(Error::Empty {
            path: path.clone(),
            what: "no edges found".into(),
        });
    }
    let nodes = owned.total();
    let slot = Slot {
        worker: mb.me(),
        peers: mb.peers(),
        fingerprint: fingerprint(job, nodes, counts[0], &owned),
    };
    let cp = job.checkpoints.as_ref();
    let start = match cp {
        Some(cp) => or_abort(mb, |mb| resume_point(mb, cp, slot, owned.len()))?,
        None => None,
    };
    let resumed_from = start.as_ref().map(|s| s.round);
    let setup = Setup {
        params: &job.params,
        nodes,
        checkpoints: cp.map(|cp| (cp, slot)),
        delay: job.delay,
    };
    let setup_s = t0.elapsed().as_secs_f64();
    let sent0 = sent(job, mb.me());
    let outcome = or_abort(mb, |mb| iterate(mb, &part, &setup, start))?;
    let sent_iterating = sent(job, mb.me()) - sent0;
    let mut ranked = gather(
        mb,
        &owned,
        &outcome.ranks,
        job.top,
        [
            sent_iterating,
            sent(job, mb.me()),
            part.remote_values(mb.me()),
        ],
    )?;
    if let Some(r) = ranked.as_mut() {
        r.nodes = nodes;
        r.edges = if job.input.undirected {
            (counts[0] - counts[1]) / 2 + counts[1]
        } else {
            counts[0]
        };
        r.records = counts[2];
        r.skipped = counts[3];
        r.iterations = outcome.iterations;
        r.converged = outcome.converged;
        r.last_change = outcome.last_change;
        r.iteration_s = outcome.iteration_s;
        r.setup_s = setup_s;
        r.resumed_from = resumed_from;
        r.workers = mb.peers();
    }
    Ok(ranked)
}

/// Bytes this process has sent to its peers so far (counted by its first worker only).
fn sent(job: &Job, me: usize) -> u64 {
    if !me.is_multiple_of(job.workers) {
        return 0;
    }
    job.traffic
        .as_ref()
        .map_or(0, |t| t.sent.load(std::sync::atomic::Ordering::Relaxed))
}

/// Sums of per-worker counts over all workers.
fn totals<const K: usize>(mb: &mut Mailbox<'_>, mine: [u64; K]) -> Result<[u64; K]> {
    mb.broadcast(|| Msg::Counts(mine.to_vec()));
    let mut sum = [0u64; K];
    for (_, m) in mb.exchange()? {
        let Msg::Counts(c) = m else {
            unreachable!("counts expected")
        };
        sum.iter_mut().zip(c).for_each(|(s, c)| *s += c);
    }
    Ok(sum)
}

/// The latest checkpoint round every worker has, and this worker's state there.
fn resume_point(
    mb: &mut Mailbox<'_>,
    cp: &Checkpoints,
    slot: Slot,
    len: usize,
) -> Result<Option<checkpoint::State>> {
    let mine = checkpoint::rounds(cp, slot)?;
    mb.broadcast(|| Msg::Rounds(mine.clone()));
    let mut common: Option<Vec<u64>> = None;
    for (_, m) in mb.exchange()? {
        let Msg::Rounds(r) = m else {
            unreachable!("rounds expected")
        };
        common = Some(match common {
            None => r,
            Some(c) => c.into_iter().filter(|x| r.contains(x)).collect(),
        });
    }
    match common.unwrap_or_default().last() {
        Some(&round) => Ok(Some(checkpoint::load(cp, slot, round, len)?)),
        None => Ok(None),
    }
}

/// What a checkpoint's ranks depend on: the graph, the parameters, this worker's nodes.
fn fingerprint(job: &Job, nodes: u64, edges: u64, owned: &ids::Owned) -> u64 {
    let p = &job.params;
    let text = format!(
        "{nodes} {edges} {} {} {} {} {} {} {}",
        p.damping().to_bits(),
        p.tol().to_bits(),
        p.weighted(),
        job.input.undirected,
        job.input.keep_self_loops,
        owned.start,
        owned.len(),
    );
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}
