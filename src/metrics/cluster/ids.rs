//! Dense global ids without a central table: an id string belongs to the worker whose slice of
//! the 64-bit hash space holds its xxh3 hash (`owner = hash·p / 2^64`). Every worker sends each
//! distinct id it read to its owner; an owner sorts what it received by `(hash, bytes)`,
//! numbers it, and answers with positions; the owners' counts, added up in worker order, give
//! each owner a contiguous range of global ids. So the global order is the `(hash, bytes)`
//! order whatever the number of workers, and every id string lives on one worker only.

use super::exchange::{Mailbox, Msg};
use super::read::Tokens;
use crate::error::Result;
use crate::ingest::ids::MAX_NODES;

/// The worker owning an id of hash `h`, among `peers`.
pub(super) fn owner_of_hash(h: u64, peers: usize) -> usize {
    ((h as u128 * peers as u128) >> 64) as usize
}

/// The nodes a worker owns: global ids `start..start + len`, with their names in id order.
#[derive(Debug, Default)]
pub(super) struct Owned {
    /// First global id of every worker, and the total at the end (`peers + 1` entries).
    pub starts: Vec<u32>,
    pub start: u32,
    pub bytes: Vec<u8>,
    pub ends: Vec<u64>,
}

impl Owned {
    /// Number of owned nodes.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The name of owned node `i` (local index).
    pub fn name(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    /// Nodes in the whole graph.
    pub fn total(&self) -> u64 {
        *self.starts.last().unwrap() as u64
    }

    /// The worker owning global id `v`.
    pub fn owner(&self, v: u32) -> usize {
        self.starts.partition_point(|&s| s <= v) - 1
    }
}

/// Numbers every id: returns this worker's owned nodes, and the global id of each of `tokens`.
pub(super) fn assign(
    mb: &mut Mailbox<'_>,
    tokens: &Tokens,
    path: &std::path::Path,
) -> Result<(Owned, Vec<u32>)> {
    let peers = mb.peers();
    let mut asked: Vec<Vec<u32>> = vec![Vec::new(); peers];
    for (i, &h) in tokens.hashes.iter().enumerate() {
        asked[owner_of_hash(h, peers)].push(i as u32);
    }
    for (to, list) in asked.iter().enumerate() {
        let mut bytes = Vec::new();
        let mut ends = Vec::with_capacity(list.len());
        for &i in list {
            bytes.extend_from_slice(tokens.name(i as usize));
            ends.push(bytes.len() as u64);
        }
        let hashes = list.iter().map(|&i| tokens.hashes[i as usize]).collect();
        mb.send(
            to,
            Msg::Names {
                hashes,
                bytes,
                ends,
            },
        );
    }
    let got = mb.exchange()?;
    let (owned_names, answers) = number(got);
    for (to, positions) in answers.into_iter().enumerate() {
        let count = owned_names.ends.len() as u64;
        mb.send(to, Msg::Positions { count, positions });
    }
    let got = mb.exchange()?;
    let mut starts = vec![0u64];
    let mut positions = Vec::with_capacity(peers);
    for (_, m) in got {
        let Msg::Positions {
            count,
            positions: p,
        } = m
        else {
            unreachable!("positions expected")
        };
        starts.push(starts.last().unwrap() + count);
        positions.push(p);
    }
    let total = *starts.last().unwrap();
    if total > MAX_NODES {
        return Err(crate::error::Error::TooLarge {
            path: path.to_path_buf(),
            what: "nodes",
            limit: MAX_NODES,
        });
    }
    let starts: Vec<u32> = starts.into_iter().map(|s| s as u32).collect();
    let mut global = vec![0u32; tokens.len()];
    for (owner, list) in asked.iter().enumerate() {
        for (&i, &p) in list.iter().zip(&positions[owner]) {
            global[i as usize] = starts[owner] + p;
        }
    }
    let me = mb.me();
    let owned = Owned {
        start: starts[me],
        starts,
        ..owned_names
    };
    Ok((owned, global))
}

/// The distinct names received, sorted by `(hash, bytes)`, and for every sender the positions
/// of the names it sent.
fn number(got: Vec<(usize, Msg)>) -> (Owned, Vec<Vec<u32>>) {
    let msgs: Vec<(Vec<u64>, Vec<u8>, Vec<u64>)> = got
        .into_iter()
        .map(|(_, m)| match m {
            Msg::Names {
                hashes,
                bytes,
                ends,
            } => (hashes, bytes, ends),
            _ => unreachable!("names expected"),
        })
        .collect();
    let name = |m: usize, i: usize| {
        let (_, bytes, ends) = &msgs[m];
        let start = if i == 0 { 0 } else { ends[i - 1] as usize };
        &bytes[start..ends[i] as usize]
    };
    let key = |&(m, i): &(usize, usize)| (msgs[m].0[i], name(m, i));
    let mut all: Vec<(usize, usize)> = msgs
        .iter()
        .enumerate()
        .flat_map(|(m, (h, _, _))| (0..h.len()).map(move |i| (m, i)))
        .collect();
    all.sort_unstable_by(|a, b| key(a).cmp(&key(b)));
    let mut owned = Owned::default();
    let mut answers: Vec<Vec<u32>> = msgs.iter().map(|(h, _, _)| vec![0; h.len()]).collect();
    let mut last: Option<(usize, usize)> = None;
    for &(m, i) in &all {
        if last.is_none_or(|l| key(&l) != key(&(m, i))) {
            owned.bytes.extend_from_slice(name(m, i));
            owned.ends.push(owned.bytes.len() as u64);
            last = Some((m, i));
        }
        answers[m][i] = (owned.ends.len() - 1) as u32;
    }
    (owned, answers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_slices_are_contiguous_and_cover_every_worker() {
        assert_eq!(owner_of_hash(0, 3), 0);
        assert_eq!(owner_of_hash(u64::MAX, 3), 2);
        assert_eq!(owner_of_hash(u64::MAX / 3 + 1, 3), 1);
        let hs = [5u64, 1 << 40, 1 << 62, 1 << 63, u64::MAX - 7];
        for p in 1..6 {
            let owners: Vec<usize> = hs.iter().map(|&h| owner_of_hash(h, p)).collect();
            assert!(owners.windows(2).all(|w| w[0] <= w[1]) && owners[4] < p);
        }
    }
}
