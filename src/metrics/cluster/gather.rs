//! The result at worker 0: every worker ranks its own nodes (descending rank, ties by id as on
//! one machine) and sends its best `top` (or all) with their names; worker 0 merges them.

use std::cmp::Ordering;

use super::exchange::{Mailbox, Msg};
use super::ids::Owned;
use crate::error::Result;
use crate::ingest::ids::parse_canonical_u64;

/// The ranked result of a cluster run, on process 0.
#[derive(Debug, Clone, Default)]
pub struct Ranked {
    /// `(id, rank)`, best first.
    pub rows: Vec<(String, f64)>,
    pub nodes: u64,
    /// Edges as the single-machine command counts them (merged; undirected once).
    pub edges: u64,
    pub records: u64,
    pub skipped: u64,
    pub iterations: usize,
    pub converged: bool,
    pub last_change: f64,
    /// Seconds of every iteration (worker 0's view).
    pub iteration_s: Vec<f64>,
    /// Seconds from the start to the first iteration: reading, numbering, partitioning.
    pub setup_s: f64,
    /// The checkpoint round the run resumed from.
    pub resumed_from: Option<u64>,
    /// Workers in all.
    pub workers: usize,
    /// Bytes all processes sent each other while iterating, and in the whole run.
    pub bytes_iterating: u64,
    pub bytes_total: u64,
    /// Contributions sent from one worker to another each iteration (8 bytes each).
    pub values_per_iteration: u64,
}

/// Descending rank, then ids as numbers when both are, else as text.
fn order(a: (&[u8], f64), b: (&[u8], f64)) -> Ordering {
    b.1.partial_cmp(&a.1)
        .unwrap_or_else(|| a.1.is_nan().cmp(&b.1.is_nan()))
        .then_with(
            || match (parse_canonical_u64(a.0), parse_canonical_u64(b.0)) {
                (Some(x), Some(y)) => x.cmp(&y),
                _ => a.0.cmp(b.0),
            },
        )
}

/// Sends this worker's best rows to worker 0; there, returns them all merged.
pub(super) fn gather(
    mb: &mut Mailbox<'_>,
    owned: &Owned,
    ranks: &[f64],
    top: Option<usize>,
    traffic: [u64; 3],
) -> Result<Option<Ranked>> {
    let mut mine: Vec<usize> = (0..owned.len()).collect();
    mine.sort_unstable_by(|&a, &b| order((owned.name(a), ranks[a]), (owned.name(b), ranks[b])));
    mine.truncate(top.unwrap_or(usize::MAX));
    let mut bytes = Vec::new();
    let mut ends = Vec::with_capacity(mine.len());
    for &i in &mine {
        bytes.extend_from_slice(owned.name(i));
        ends.push(bytes.len() as u64);
    }
    let ranks = mine.iter().map(|&i| ranks[i]).collect();
    mb.send(
        0,
        Msg::Rows {
            bytes,
            ends,
            ranks,
            traffic,
        },
    );
    let got = mb.exchange()?;
    if mb.me() != 0 {
        return Ok(None);
    }
    let mut out = Ranked::default();
    let mut rows: Vec<(Vec<u8>, f64)> = Vec::new();
    for (_, m) in got {
        let Msg::Rows {
            bytes,
            ends,
            ranks,
            traffic,
        } = m
        else {
            unreachable!("rows expected")
        };
        out.bytes_iterating += traffic[0];
        out.bytes_total += traffic[1];
        out.values_per_iteration += traffic[2];
        let mut start = 0;
        for (end, r) in ends.into_iter().zip(ranks) {
            rows.push((bytes[start..end as usize].to_vec(), r));
            start = end as usize;
        }
    }
    rows.sort_unstable_by(|a, b| order((&a.0, a.1), (&b.0, b.1)));
    rows.truncate(top.unwrap_or(usize::MAX));
    out.rows = rows
        .into_iter()
        .map(|(n, r)| (String::from_utf8_lossy(&n).into_owned(), r))
        .collect();
    Ok(Some(out))
}
