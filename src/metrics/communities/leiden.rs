//! Leiden (Traag, Waltman & van Eck 2019) for modularity: fast local moving from a queue, a
//! refinement that splits each community into well-connected parts (merging nodes at random,
//! favouring larger gains, with randomness θ), aggregation of the refined parts with the
//! unrefined communities as the start of the next level; repeated until a whole pass changes
//! nothing. Every community it returns is connected.

use std::collections::VecDeque;

use super::modularity::modularity;
use super::net::{best_move, members_of, Accumulator, Net};
use super::{dense, Found};
use crate::rng::SplitMix;

/// The bound on passes when asked to run until nothing changes.
pub(super) const UNTIL_STABLE: usize = 1000;

/// Leiden communities of `net` at resolution `gamma` with refinement randomness `theta`: at
/// most `max_passes` passes, each from the previous one's communities; fewer when a pass
/// changes nothing (then `converged`).
pub(super) fn leiden(
    net: &Net,
    gamma: f64,
    theta: f64,
    max_passes: usize,
    rng: &mut SplitMix,
) -> Found {
    let mut membership: Vec<u32> = (0..net.len() as u32).collect();
    let mut q = modularity(net, &membership, gamma);
    let mut passes = 0;
    let mut converged = false;
    while passes < max_passes {
        passes += 1;
        let next = pass(net, &membership, gamma, theta, rng);
        if next == membership {
            converged = true;
            break;
        }
        let next_q = modularity(net, &next, gamma);
        if next_q < q {
            converged = true;
            break;
        }
        let gained = next_q - q;
        membership = next;
        q = next_q;
        if gained <= f64::EPSILON * q.abs() {
            converged = true;
            break;
        }
    }
    Found {
        membership,
        rounds: passes,
        converged,
    }
}

/// One pass of the Leiden algorithm from the partition `start` of `net`'s nodes.
fn pass(net: &Net, start: &[u32], gamma: f64, theta: f64, rng: &mut SplitMix) -> Vec<u32> {
    let mut part = start.to_vec();
    // node_of[v]: the node of the current level that holds original node v.
    let mut node_of: Vec<u32> = (0..net.len() as u32).collect();
    let mut level: std::borrow::Cow<Net> = std::borrow::Cow::Borrowed(net);
    loop {
        move_nodes_fast(&level, &mut part, gamma, rng);
        let k = dense(&mut part);
        if k == level.len() {
            break;
        }
        let mut refined = refine(&level, &part, k, gamma, theta, rng);
        let mut r = dense(&mut refined);
        if r == level.len() {
            // Nothing merged in refinement: aggregate the communities themselves.
            refined.clone_from(&part);
            r = k;
        }
        let mut next_part = vec![0u32; r];
        for (v, &c) in refined.iter().enumerate() {
            next_part[c as usize] = part[v];
        }
        for x in node_of.iter_mut() {
            *x = refined[*x as usize];
        }
        level = std::borrow::Cow::Owned(level.aggregate(&refined, r));
        part = next_part;
    }
    let mut out: Vec<u32> = node_of.iter().map(|&x| part[x as usize]).collect();
    dense(&mut out);
    out
}

/// Fast local moving: nodes taken from a queue (first in a random order); a node joins the
/// community, or an empty one, that raises modularity most; when it moves, its neighbours
/// outside its new community are queued again.
fn move_nodes_fast(net: &Net, part: &mut [u32], gamma: f64, rng: &mut SplitMix) {
    let n = net.len();
    let mut tot = vec![0.0; n];
    let mut size = vec![0usize; n];
    for (v, &c) in part.iter().enumerate() {
        tot[c as usize] += net.degree(v);
        size[c as usize] += 1;
    }
    let mut empty: Vec<usize> = (0..n).filter(|&c| size[c] == 0).collect();
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut queue: VecDeque<usize> = order.into();
    let mut queued = vec![true; n];
    let mut acc = Accumulator::new(n);
    while let Some(v) = queue.pop_front() {
        queued[v] = false;
        let own = part[v] as usize;
        let kv = net.degree(v);
        let (mut best, best_gain) = best_move(net, v, part, &mut tot, &mut acc, gamma);
        if best_gain < 0.0 && size[own] > 1 {
            if let Some(&e) = empty.last() {
                best = e;
            }
        }
        tot[best] += kv;
        if best == own {
            continue;
        }
        if best == empty.last().copied().unwrap_or(usize::MAX) {
            empty.pop();
        }
        size[own] -= 1;
        size[best] += 1;
        if size[own] == 0 {
            empty.push(own);
        }
        part[v] = best as u32;
        for (u, _) in net.row(v) {
            if !queued[u] && part[u] as usize != best {
                queued[u] = true;
                queue.push_back(u);
            }
        }
    }
}

/// The refined partition: within each community of `part` (numbered `0..k`), nodes start
/// alone; each well-connected node still alone joins a well-connected part of its community at
/// random, with probability ∝ exp(gain / θ) over the parts (its own included) it would not
/// lower modularity by joining.
fn refine(
    net: &Net,
    part: &[u32],
    k: usize,
    gamma: f64,
    theta: f64,
    rng: &mut SplitMix,
) -> Vec<u32> {
    let n = net.len();
    let two_m = net.total();
    let mut refined: Vec<u32> = (0..n as u32).collect();
    let mut tot: Vec<f64> = (0..n).map(|v| net.degree(v)).collect();
    let mut alone = vec![true; n];
    // external[r]: weight from part r to the rest of its community.
    let mut external = vec![0.0; n];
    let mut acc = Accumulator::new(n);
    let mut cand: Vec<(usize, f64)> = Vec::new();
    for mut nodes in members_of(part, k) {
        let community_tot: f64 = nodes.iter().map(|&v| net.degree(v as usize)).sum();
        for &v in &nodes {
            let v = v as usize;
            external[v] = net
                .row(v)
                .filter(|&(u, _)| part[u] == part[v])
                .map(|(_, w)| w)
                .sum();
        }
        rng.shuffle(&mut nodes);
        for &v in &nodes {
            let v = v as usize;
            let kv = net.degree(v);
            let own_external = external[v];
            if !alone[v] || own_external < gamma * kv * (community_tot - kv) / two_m {
                continue;
            }
            for (u, w) in net.row(v) {
                if part[u] == part[v] {
                    acc.add(refined[u] as usize, w);
                }
            }
            cand.clear();
            cand.push((v, 0.0));
            for &r in acc.touched() {
                let well = external[r] >= gamma * tot[r] * (community_tot - tot[r]) / two_m;
                let gain = acc.get(r) - gamma * kv * tot[r] / two_m;
                if r != v && well && gain >= 0.0 {
                    cand.push((r, gain));
                }
            }
            let chosen = draw(&cand, theta, rng);
            if chosen != v {
                let w_vr = acc.get(chosen);
                refined[v] = chosen as u32;
                tot[chosen] += kv;
                tot[v] = 0.0;
                external[chosen] += own_external - 2.0 * w_vr;
                alone[v] = false;
                alone[chosen] = false;
            }
            acc.clear();
        }
    }
    refined
}

/// One of `cand` drawn with probability ∝ exp(gain / θ) (computed from the largest gain, so
/// nothing overflows).
fn draw(cand: &[(usize, f64)], theta: f64, rng: &mut SplitMix) -> usize {
    let top = cand.iter().map(|c| c.1).fold(f64::MIN, f64::max);
    let total: f64 = cand.iter().map(|c| ((c.1 - top) / theta).exp()).sum();
    let mut x = rng.unit() * total;
    for &(r, gain) in cand {
        x -= ((gain - top) / theta).exp();
        if x < 0.0 {
            return r;
        }
    }
    cand.last().map_or(0, |c| c.0)
}
