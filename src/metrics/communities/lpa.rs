//! Asynchronous label propagation (Raghavan et al. 2007) as networkx's `asyn_lpa_communities`
//! runs it: in a fresh random order each sweep, a node takes the label most of its neighbours'
//! edge weight carries (ties drawn at random), until every node holds a most frequent label.

use super::net::{Accumulator, Net};
use super::{dense, Found};
use crate::rng::SplitMix;

/// A bound on the sweeps (label propagation can oscillate on ties).
const MAX_SWEEPS: usize = 1000;

/// Label-propagation communities of `net`.
pub(super) fn label_propagation(net: &Net, rng: &mut SplitMix) -> Found {
    let n = net.len();
    let mut label: Vec<u32> = (0..n as u32).collect();
    let mut order: Vec<usize> = (0..n).collect();
    let mut acc = Accumulator::new(n);
    let mut best: Vec<usize> = Vec::new();
    let mut sweeps = 0;
    let mut converged = false;
    while sweeps < MAX_SWEEPS {
        sweeps += 1;
        rng.shuffle(&mut order);
        let mut changed = false;
        for &v in &order {
            for (u, w) in net.row(v) {
                acc.add(label[u] as usize, w);
            }
            let most = acc
                .touched()
                .iter()
                .map(|&c| acc.get(c))
                .fold(f64::MIN, f64::max);
            best.clear();
            best.extend(acc.touched().iter().filter(|&&c| acc.get(c) == most));
            acc.clear();
            if best.is_empty() || best.contains(&(label[v] as usize)) {
                continue;
            }
            label[v] = *rng.pick(&best) as u32;
            changed = true;
        }
        if !changed {
            converged = true;
            break;
        }
    }
    dense(&mut label);
    Found {
        membership: label,
        rounds: sweeps,
        converged,
    }
}
