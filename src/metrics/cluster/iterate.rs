//! The power iteration, one round of messages per iteration. Round `r` starts from `x_r`: every
//! worker sends its subscribers the contributions `x_r[u] / out(u)`, and everyone its exact
//! partial sums of the dangling mass of `x_r` and of `|x_r − x_{r−1}|`. After the round every
//! worker knows the global L1 change of iteration `r` and stops (all alike) by the rule of
//! [`crate::metrics::pagerank`]; otherwise it pulls `x_{r+1}` for its own nodes. Teleport,
//! dangling mass, tolerance and the iteration count are those of the single-machine kernel.

use std::time::{Duration, Instant};

use super::checkpoint::{self, Checkpoints, Slot, State};
use super::exchange::{Mailbox, Msg};
use super::fixed;
use super::part::Part;
use crate::error::Result;
use crate::metrics::propagate::{gather_sum, weighted_sum};
use crate::metrics::ValidPageRankParams;

/// The run's constants.
pub(super) struct Setup<'a> {
    pub params: &'a ValidPageRankParams,
    /// Nodes in the whole graph.
    pub nodes: u64,
    pub checkpoints: Option<(&'a Checkpoints, Slot)>,
    /// Test hook: a pause before every round, so that a test can interrupt a run.
    pub delay: Option<Duration>,
}

/// This worker's ranks and how the iteration ended.
#[derive(Debug, Default)]
pub(super) struct Outcome {
    pub ranks: Vec<f64>,
    pub iterations: usize,
    pub converged: bool,
    pub last_change: f64,
    /// Seconds of every iteration.
    pub iteration_s: Vec<f64>,
}

/// Iterates from `start` (a checkpoint) or from the uniform vector.
pub(super) fn iterate(
    mb: &mut Mailbox<'_>,
    part: &Part,
    setup: &Setup<'_>,
    start: Option<State>,
) -> Result<Outcome> {
    let p = setup.params;
    let len = part.out_total.len();
    let tele = 1.0 / setup.nodes as f64;
    let stop = setup.nodes as f64 * p.tol();
    let inv_out: Vec<f64> = part
        .out_total
        .iter()
        .map(|&s| if s > 0.0 { 1.0 / s } else { 0.0 })
        .collect();
    let resumed = start.as_ref().map(|s| s.round);
    let State {
        mut round,
        mut change,
        ranks: mut x,
    } = start.unwrap_or(State {
        round: 0,
        change: 0,
        ranks: vec![tele; len],
    });
    let seg: Vec<usize> = std::iter::once(0)
        .chain(part.mirror_counts.iter().scan(0, |acc, &c| {
            *acc += c;
            Some(*acc)
        }))
        .collect();
    let mut mirror = vec![0.0f64; *seg.last().unwrap()];
    let mut next = vec![0.0f64; len];
    let mut out = Outcome::default();
    let mut t = Instant::now();
    loop {
        if let Some((cp, slot)) = setup.checkpoints {
            if round > 0 && round % cp.every as u64 == 0 && resumed != Some(round) {
                let state = State {
                    round,
                    change,
                    ranks: x,
                };
                checkpoint::save(cp, slot, &state)?;
                x = state.ranks;
            }
        }
        if let Some(d) = setup.delay {
            std::thread::sleep(d);
        }
        let last = round as usize >= p.max_iter();
        if !last {
            for (to, subs) in part.subscribers.iter().enumerate() {
                if !subs.is_empty() {
                    let c = subs.iter().map(|&i| x[i as usize] * inv_out[i as usize]);
                    mb.send(to, Msg::Contrib(c.collect()));
                }
            }
        }
        let dangling = fixed::sum((0..len).filter(|&i| inv_out[i] == 0.0).map(|i| x[i]));
        mb.broadcast(|| Msg::Sums { dangling, change });
        let (dangling, total_change) =
            receive(mb.exchange()?, &seg, &part.mirror_slot, &mut mirror);
        if round > 0 {
            out.last_change = total_change;
            out.iteration_s.push(t.elapsed().as_secs_f64());
            t = Instant::now();
            if last || (!p.fixed() && total_change < stop) {
                out.iterations = round as usize;
                out.converged = total_change < stop;
                out.ranks = x;
                return Ok(out);
            }
        }
        pull(part, &mirror, p.weighted(), &mut next);
        let d = p.damping();
        for v in next.iter_mut() {
            *v = d * (*v + dangling * tele) + (1.0 - d) * tele;
        }
        change = fixed::sum(next.iter().zip(&x).map(|(n, o)| (n - o).abs()));
        std::mem::swap(&mut x, &mut next);
        round += 1;
    }
}

/// Places the contributions in the mirror (sender `w`'s `k`-th value at `slot[seg[w] + k]`);
/// returns the global dangling mass and L1 change.
fn receive(got: Vec<(usize, Msg)>, seg: &[usize], slot: &[u32], mirror: &mut [f64]) -> (f64, f64) {
    let (mut dangling, mut change) = (0i128, 0i128);
    for (from, m) in got {
        match m {
            Msg::Sums {
                dangling: d,
                change: c,
            } => {
                dangling += d;
                change += c;
            }
            Msg::Contrib(values) => {
                assert_eq!(values.len(), seg[from + 1] - seg[from], "subscription size");
                for (&s, v) in slot[seg[from]..seg[from + 1]].iter().zip(values) {
                    mirror[s as usize] = v;
                }
            }
            _ => unreachable!("contributions expected"),
        }
    }
    (fixed::to_f64(dangling), fixed::to_f64(change))
}

/// `out[v] = Σ w · mirror[u]` over the in-edges of every owned `v`, in ascending source order
/// with the single-machine kernel's four-lane sum.
fn pull(part: &Part, mirror: &[f64], weighted: bool, out: &mut [f64]) {
    let weights = part.weights.as_deref().filter(|_| weighted);
    for (v, o) in out.iter_mut().enumerate() {
        let r = part.offsets[v] as usize..part.offsets[v + 1] as usize;
        *o = match weights {
            Some(w) => weighted_sum(&part.sources[r.clone()], &w[r], mirror),
            None => gather_sum(&part.sources[r], mirror),
        };
    }
}
