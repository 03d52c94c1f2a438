//! The one dataflow every phase talks through: a timely input whose records are addressed to a
//! worker, an exchange to that worker, and an inbox. Each call to [`Mailbox::exchange`] is a
//! round: the input advances to the next epoch and the worker steps until the probe says every
//! record of the round, from every worker, has arrived. Rounds are barriers; a worker that fails
//! says so in its next round ([`Mailbox::abort`]), so that the others stop with its reason, and a
//! lost process stops the stepping (see [`super::net::lost`]).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::generic::Operator;
use timely::dataflow::operators::Probe;
use timely::dataflow::{InputHandle, ProbeHandle};
use timely::worker::Worker;

use super::{net, ClusterError};
use crate::error::{Error, Result};

/// What workers tell each other; each phase uses its own kinds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) enum Msg {
    /// Id strings for their owner: concatenated, with their end offsets and hashes.
    Names {
        hashes: Vec<u64>,
        bytes: Vec<u8>,
        ends: Vec<u64>,
    },
    /// An owner's node count, and the positions among its nodes of the names it was sent.
    Positions { count: u64, positions: Vec<u32> },
    /// Edges for the owner of their destinations.
    Edges {
        dst: Vec<u32>,
        src: Vec<u32>,
        weights: Option<Vec<f64>>,
    },
    /// Out-edges for the owner of their sources: unweighted, `(node, count)`; weighted, one
    /// entry per edge with its destination, so that the owner adds in destination order.
    OutEdges {
        src: Vec<u32>,
        dst_or_count: Vec<u32>,
        weights: Option<Vec<f64>>,
    },
    /// The nodes of the receiver whose contributions the sender pulls along its edges.
    Need(Vec<u32>),
    /// Contributions of the receiver's subscription, in its order.
    Contrib(Vec<f64>),
    /// Exact partial sums (fixed point, see `fixed`): dangling mass and L1 change.
    Sums { dangling: i128, change: i128 },
    /// Per-worker counts: edges kept, records read, records skipped.
    Counts(Vec<u64>),
    /// The checkpoint rounds the sender can resume from.
    Rounds(Vec<u64>),
    /// Ranked rows for worker 0: names (as in `Names`) and ranks, and the sender's traffic
    /// (see `gather::Traffic`).
    Rows {
        bytes: Vec<u8>,
        ends: Vec<u64>,
        ranks: Vec<f64>,
        traffic: [u64; 3],
    },
    /// The sender failed with this message.
    Abort(String),
}

/// A record: receiving worker, sending worker, round, message.
type Envelope = (u32, u32, u64, Msg);

/// A worker's end of the all-to-all exchange.
pub(super) struct Mailbox<'w> {
    worker: &'w mut Worker,
    input: InputHandle<u64, CapacityContainerBuilder<Vec<Envelope>>>,
    probe: ProbeHandle<u64>,
    inbox: Rc<RefCell<Vec<(u64, u32, Msg)>>>,
    workers_per_process: usize,
    addrs: Vec<String>,
    /// Time spent waiting in rounds (stepping until the probe passes), in seconds.
    pub waited: f64,
}

impl<'w> Mailbox<'w> {
    /// Builds the exchange dataflow on `worker`. `addrs` names processes in errors.
    pub fn new(worker: &'w mut Worker, workers_per_process: usize, addrs: Vec<String>) -> Self {
        let mut input = InputHandle::new();
        let probe = ProbeHandle::new();
        let inbox: Rc<RefCell<Vec<(u64, u32, Msg)>>> = Rc::default();
        let sink = Rc::clone(&inbox);
        worker.dataflow::<u64, _, _>(|scope| {
            input
                .to_stream(scope)
                .unary::<CapacityContainerBuilder<Vec<()>>, _, _, _>(
                    Exchange::new(|e: &Envelope| e.0 as u64),
                    "Inbox",
                    move |_, _| {
                        move |input, _output| {
                            input.for_each(|_, data| {
                                let mut inbox = sink.borrow_mut();
                                inbox.extend(data.drain(..).map(|(_, from, t, m)| (t, from, m)));
                            })
                        }
                    },
                )
                .probe_with(&probe);
        });
        Mailbox {
            worker,
            input,
            probe,
            inbox,
            workers_per_process,
            addrs,
            waited: 0.0,
        }
    }

    /// This worker's index among all workers.
    pub fn me(&self) -> usize {
        self.worker.index()
    }

    /// How many workers there are in all.
    pub fn peers(&self) -> usize {
        self.worker.peers()
    }

    /// The process a worker runs in.
    pub fn process_of(&self, worker: usize) -> usize {
        worker / self.workers_per_process
    }

    /// Sends `msg` to worker `to` in this round.
    pub fn send(&mut self, to: usize, msg: Msg) {
        let me = self.me() as u32;
        let round = *self.input.time();
        self.input.send((to as u32, me, round, msg));
    }

    /// Sends a copy of `msg` to every worker, this one too.
    pub fn broadcast(&mut self, msg: impl Fn() -> Msg) {
        for to in 0..self.peers() {
            self.send(to, msg());
        }
    }

    /// Ends the round: returns what every worker sent here in it, by sender (in sending order
    /// for each sender). Fails when a worker aborted, or a process was lost.
    pub fn exchange(&mut self) -> Result<Vec<(usize, Msg)>> {
        let next = *self.input.time() + 1;
        self.input.advance_to(next);
        let t0 = std::time::Instant::now();
        while self.probe.less_than(&next) {
            self.worker.step_or_park(Some(Duration::from_millis(20)));
            if let Some((process, reason)) = net::lost() {
                let addr = self.addrs.get(process).cloned().unwrap_or_default();
                return Err(ClusterError::PeerLost {
                    process,
                    addr,
                    reason,
                }
                .into());
            }
        }
        self.waited += t0.elapsed().as_secs_f64();
        // A faster worker's records of the next round may be here already: keep them.
        let round = next - 1;
        let mut got: Vec<(usize, Msg)> = Vec::new();
        let mut later = Vec::new();
        for (t, from, m) in self.inbox.borrow_mut().drain(..) {
            if t == round {
                got.push((from as usize, m));
            } else {
                later.push((t, from, m));
            }
        }
        *self.inbox.borrow_mut() = later;
        got.sort_by_key(|(from, _)| *from);
        if let Some((from, Msg::Abort(message))) =
            got.iter().find(|(_, m)| matches!(m, Msg::Abort(_)))
        {
            return Err(ClusterError::Remote {
                process: self.process_of(*from),
                message: message.clone(),
            }
            .into());
        }
        Ok(got)
    }

    /// Tells every worker that this one failed with `err` (ending the round), and returns `err`.
    pub fn abort(&mut self, err: Error) -> Error {
        if matches!(
            err,
            Error::Cluster(ClusterError::Remote { .. } | ClusterError::PeerLost { .. })
        ) {
            return err;
        }
        let text = err.to_string();
        self.broadcast(|| Msg::Abort(text.clone()));
        let _ = self.exchange();
        err
    }

    /// Closes the input and lets the dataflow finish with the other workers' (`ok`), or
    /// removes it at once (a failed run, or a process lost while finishing).
    pub fn close(self, ok: bool) {
        let Mailbox { worker, input, .. } = self;
        drop(input);
        while ok && worker.has_dataflows() && net::lost().is_none() {
            worker.step_or_park(Some(Duration::from_millis(20)));
        }
        for id in worker.installed_dataflows() {
            worker.drop_dataflow(id);
        }
    }
}

/// Runs `phase`; when it fails, tells the other workers before returning its error.
pub(super) fn or_abort<T>(
    mb: &mut Mailbox<'_>,
    phase: impl FnOnce(&mut Mailbox<'_>) -> Result<T>,
) -> Result<T> {
    phase(mb).map_err(|e| mb.abort(e))
}
