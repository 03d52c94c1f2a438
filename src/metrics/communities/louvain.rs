//! Louvain (Blondel et al. 2008) as networkx runs it: local moving in a random order until no
//! move raises modularity, then one node per community, level after level while modularity
//! rises by more than a threshold.

use std::borrow::Cow;

use super::modularity::modularity;
use super::net::{best_move, Accumulator, Net};
use super::{dense, Found};
use crate::rng::SplitMix;

/// networkx's threshold: stop when a level raises modularity by this or less.
pub(super) const THRESHOLD: f64 = 1e-7;
/// A bound on the sweeps of one level's local moving (each strictly raises modularity, so this
/// is only a guard against float ties).
const MAX_SWEEPS: usize = 1000;

/// Louvain communities of `net` at resolution `gamma`.
pub(super) fn louvain(net: &Net, gamma: f64, rng: &mut SplitMix) -> Found {
    let mut membership: Vec<u32> = (0..net.len() as u32).collect();
    let mut level: Cow<Net> = Cow::Borrowed(net);
    let mut q = modularity(net, &membership, gamma);
    let mut levels = 0;
    let mut converged = true;
    loop {
        let (local, k, moved, settled) = one_level(&level, gamma, rng);
        converged &= settled;
        if !moved {
            break;
        }
        levels += 1;
        for c in membership.iter_mut() {
            *c = local[*c as usize];
        }
        let new_q = modularity(&level, &local, gamma);
        if new_q - q <= THRESHOLD {
            break;
        }
        q = new_q;
        level = Cow::Owned(level.aggregate(&local, k));
    }
    Found {
        membership,
        rounds: levels,
        converged,
    }
}

/// One level: each node, in a shuffled order, joins the neighbouring community that raises
/// modularity most (ties: the first seen), sweep after sweep until none moves. Returns the
/// communities numbered densely, their number, whether any node moved, and whether the sweeps
/// settled (rather than stopping at their bound).
fn one_level(net: &Net, gamma: f64, rng: &mut SplitMix) -> (Vec<u32>, usize, bool, bool) {
    let n = net.len();
    let mut comm: Vec<u32> = (0..n as u32).collect();
    let mut tot: Vec<f64> = (0..n).map(|v| net.degree(v)).collect();
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut acc = Accumulator::new(n);
    let mut moved = false;
    let mut settled = false;
    for _ in 0..MAX_SWEEPS {
        let mut moves = 0;
        for &v in &order {
            let own = comm[v] as usize;
            let (best, _) = best_move(net, v, &comm, &mut tot, &mut acc, gamma);
            tot[best] += net.degree(v);
            if best != own {
                comm[v] = best as u32;
                moves += 1;
            }
        }
        moved |= moves > 0;
        if moves == 0 {
            settled = true;
            break;
        }
    }
    let k = dense(&mut comm);
    (comm, k, moved, settled)
}
