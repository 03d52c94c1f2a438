//! A worker's part of the graph, partitioned by destination: every edge goes to the owner of its
//! destination, so that each node's new rank is a sum over in-edges held by its own worker (a
//! pull, in ascending source order as on one machine), and no partial sums cross the network;
//! what crosses it is each source's contribution, sent once per iteration to each worker that
//! holds an edge from it (its subscribers). Duplicate edges merge as on one machine (weights
//! added, here in ascending order); out-degrees and out-weights are summed at the source's
//! owner, a weighted node's in ascending destination order.

use super::exchange::{Mailbox, Msg};
use super::ids::Owned;
use super::read::Share;
use crate::error::Result;

/// The in-edges of the owned nodes, and who sends and receives contributions.
#[derive(Debug, Default)]
pub(super) struct Part {
    /// Row offsets of the owned nodes (`len + 1` entries).
    pub offsets: Vec<u64>,
    /// In-neighbours as indices into the mirror (the received contributions), ascending.
    pub sources: Vec<u32>,
    pub weights: Option<Vec<f64>>,
    /// Out-degree or out-weight of every owned node (0: dangling).
    pub out_total: Vec<f64>,
    /// How many mirror entries come from each worker, in worker order.
    pub mirror_counts: Vec<usize>,
    /// Where the `i`-th needed source (ascending global id) sits in the mirror.
    pub mirror_slot: Vec<u32>,
    /// For each worker, the owned nodes (local indices) whose contributions it needs.
    pub subscribers: Vec<Vec<u32>>,
    /// Merged edges held here, and how many of them are self-loops.
    pub edges: u64,
    pub loops: u64,
}

impl Part {
    /// Contributions this worker sends to other workers in each iteration.
    pub fn remote_values(&self, me: usize) -> u64 {
        let to_others = self
            .subscribers
            .iter()
            .enumerate()
            .filter(|(to, _)| *to != me);
        to_others.map(|(_, s)| s.len() as u64).sum()
    }
}

/// Builds this worker's part from its share of the file, with `global` ids for its tokens.
pub(super) fn build(
    mb: &mut Mailbox<'_>,
    share: Share,
    global: &[u32],
    owned: &Owned,
    undirected: bool,
) -> Result<Part> {
    send_edges(mb, share, global, owned, undirected);
    let got = mb.exchange()?;
    let (dst, src, weights) = merge(got);
    send_out_edges(mb, &dst, &src, weights.as_deref(), owned);
    let got = mb.exchange()?;
    let out_total = out_totals(got, owned);
    let mut part = rows(&dst, &src, weights, owned);
    part.out_total = out_total;
    subscribe(mb, &mut part, &src, owned)?;
    Ok(part)
}

/// Edges bound for one worker: destinations, sources, weights.
type Bucket = (Vec<u32>, Vec<u32>, Option<Vec<f64>>);

/// Sends every edge (both ways when undirected) to the owner of its destination.
fn send_edges(mb: &mut Mailbox<'_>, share: Share, global: &[u32], owned: &Owned, undirected: bool) {
    let peers = mb.peers();
    let mut out: Vec<Bucket> = (0..peers)
        .map(|_| {
            (
                Vec::new(),
                Vec::new(),
                share.weights.as_ref().map(|_| Vec::new()),
            )
        })
        .collect();
    let mut put = |s: u32, d: u32, w: Option<f64>| {
        let o = &mut out[owned.owner(d)];
        o.0.push(d);
        o.1.push(s);
        if let (Some(ws), Some(w)) = (o.2.as_mut(), w) {
            ws.push(w);
        }
    };
    for i in 0..share.src.len() {
        let (s, d) = (global[share.src[i] as usize], global[share.dst[i] as usize]);
        let w = share.weights.as_ref().map(|ws| ws[i]);
        put(s, d, w);
        if undirected && s != d {
            put(d, s, w);
        }
    }
    for (to, (dst, src, weights)) in out.into_iter().enumerate() {
        mb.send(to, Msg::Edges { dst, src, weights });
    }
}

/// The received edges sorted by `(dst, src)` (weights ascending within), duplicates merged.
fn merge(got: Vec<(usize, Msg)>) -> (Vec<u32>, Vec<u32>, Option<Vec<f64>>) {
    // `(dst << 32 | src, weight bits)`: weights are ≥ 0, so their bits sort as their values.
    let mut all: Vec<(u64, u64)> = Vec::new();
    let mut weighted = false;
    for (_, m) in got {
        let Msg::Edges { dst, src, weights } = m else {
            unreachable!("edges expected")
        };
        weighted |= weights.is_some();
        let w = |i: usize| weights.as_ref().map_or(0, |ws| ws[i].to_bits());
        all.extend((0..dst.len()).map(|i| ((dst[i] as u64) << 32 | src[i] as u64, w(i))));
    }
    all.sort_unstable();
    let (mut dst, mut src, mut ws) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = None;
    for (key, w) in all {
        let w = f64::from_bits(w);
        if last == Some(key) {
            if let Some(sum) = ws.last_mut() {
                *sum += w;
            }
            continue;
        }
        last = Some(key);
        dst.push((key >> 32) as u32);
        src.push(key as u32);
        if weighted {
            ws.push(w);
        }
    }
    (dst, src, weighted.then_some(ws))
}

/// Sends each source's out-degree here (unweighted), or its edges (weighted), to its owner.
fn send_out_edges(
    mb: &mut Mailbox<'_>,
    dst: &[u32],
    src: &[u32],
    weights: Option<&[f64]>,
    owned: &Owned,
) {
    let peers = mb.peers();
    let mut out: Vec<(Vec<u32>, Vec<u32>, Vec<f64>)> = vec![Default::default(); peers];
    match weights {
        Some(ws) => {
            for i in 0..src.len() {
                let o = &mut out[owned.owner(src[i])];
                o.0.push(src[i]);
                o.1.push(dst[i]);
                o.2.push(ws[i]);
            }
        }
        None => {
            let mut by_src: Vec<u32> = src.to_vec();
            by_src.sort_unstable();
            for run in by_src.chunk_by(|a, b| a == b) {
                let o = &mut out[owned.owner(run[0])];
                o.0.push(run[0]);
                o.1.push(run.len() as u32);
            }
        }
    }
    for (to, (src, dst_or_count, ws)) in out.into_iter().enumerate() {
        let weights = weights.map(|_| ws);
        mb.send(
            to,
            Msg::OutEdges {
                src,
                dst_or_count,
                weights,
            },
        );
    }
}

/// Out-degree or out-weight of every owned node.
fn out_totals(got: Vec<(usize, Msg)>, owned: &Owned) -> Vec<f64> {
    let mut total = vec![0.0f64; owned.len()];
    let mut weighted: Vec<(u32, u32, f64)> = Vec::new();
    for (_, m) in got {
        let Msg::OutEdges {
            src,
            dst_or_count,
            weights,
        } = m
        else {
            unreachable!("out-edges expected")
        };
        match weights {
            Some(ws) => weighted.extend((0..src.len()).map(|i| (src[i], dst_or_count[i], ws[i]))),
            None => {
                for (s, c) in src.iter().zip(&dst_or_count) {
                    total[(s - owned.start) as usize] += *c as f64;
                }
            }
        }
    }
    weighted.sort_unstable_by_key(|&(s, d, _)| (s, d));
    for (s, _, w) in weighted {
        total[(s - owned.start) as usize] += w;
    }
    total
}

/// The CSR of the owned rows; sources still global ids.
fn rows(dst: &[u32], src: &[u32], weights: Option<Vec<f64>>, owned: &Owned) -> Part {
    let mut offsets = vec![0u64; owned.len() + 1];
    for &d in dst {
        offsets[(d - owned.start) as usize + 1] += 1;
    }
    for i in 0..owned.len() {
        offsets[i + 1] += offsets[i];
    }
    Part {
        offsets,
        sources: src.to_vec(),
        weights,
        edges: dst.len() as u64,
        loops: dst.iter().zip(src).filter(|(d, s)| d == s).count() as u64,
        ..Part::default()
    }
}

/// Asks each owner for the contributions of the sources here, and learns who asks for which.
/// The mirror (where received contributions go) is laid out by descending use, so that the
/// contributions most edges read share cache lines; rows still add in ascending source order.
fn subscribe(mb: &mut Mailbox<'_>, part: &mut Part, src: &[u32], owned: &Owned) -> Result<()> {
    let peers = mb.peers();
    // Sources in ascending order, each with the edges that read it.
    let mut keyed: Vec<u64> = src
        .iter()
        .enumerate()
        .map(|(pos, &s)| (s as u64) << 32 | pos as u64)
        .collect();
    keyed.sort_unstable();
    let mut needed: Vec<u32> = Vec::new();
    let mut uses: Vec<u32> = Vec::new();
    for &k in &keyed {
        let s = (k >> 32) as u32;
        if needed.last() != Some(&s) {
            needed.push(s);
            uses.push(0);
        }
        *uses.last_mut().unwrap() += 1;
    }
    let mut by_use: Vec<u32> = (0..needed.len() as u32).collect();
    by_use.sort_unstable_by_key(|&i| (std::cmp::Reverse(uses[i as usize]), i));
    part.mirror_slot = vec![0; needed.len()];
    for (slot, &i) in by_use.iter().enumerate() {
        part.mirror_slot[i as usize] = slot as u32;
    }
    let mut i = usize::MAX;
    let mut last = None;
    for &k in &keyed {
        if last != Some(k >> 32) {
            last = Some(k >> 32);
            i = i.wrapping_add(1);
        }
        part.sources[(k & 0xffff_ffff) as usize] = part.mirror_slot[i];
    }
    part.mirror_counts = vec![0; peers];
    let mut need: Vec<Vec<u32>> = vec![Vec::new(); peers];
    for &v in &needed {
        let o = owned.owner(v);
        part.mirror_counts[o] += 1;
        need[o].push(v);
    }
    for (to, list) in need.into_iter().enumerate() {
        mb.send(to, Msg::Need(list));
    }
    part.subscribers = mb
        .exchange()?
        .into_iter()
        .map(|(_, m)| match m {
            Msg::Need(list) => list.into_iter().map(|v| v - owned.start).collect(),
            _ => unreachable!("needs expected"),
        })
        .collect();
    Ok(())
}
