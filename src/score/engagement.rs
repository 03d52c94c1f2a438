//! Who engaged with whom in a window: interactions folded into one record per (target, actor)
//! pair — the actor acted on the target's content — with its actions by kind, its
//! engagement-graph weight and whether the target engaged back (reciprocity). Self-interactions
//! are dropped. The measures read this; the reactor weights are left to [`super::gaming`].

use rayon::prelude::*;

use super::combine::Calibration;
use super::window::Window;
use crate::ingest::{Interaction, Kind, Node};

/// Kinds in a fixed order, for per-kind counts.
pub const KINDS: [Kind; 7] = [
    Kind::Share,
    Kind::Mention,
    Kind::Reply,
    Kind::Comment,
    Kind::Like,
    Kind::List,
    Kind::Reaction,
];

/// The index of a kind in [`KINDS`].
pub fn kind_index(k: Kind) -> usize {
    KINDS
        .iter()
        .position(|&x| x == k)
        .expect("every kind is listed")
}

/// One engaged (target, actor) pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    pub target: Node,
    pub actor: Node,
    /// Actions of the actor on the target in the window.
    pub actions: u32,
    /// Σ kind weights of those actions.
    pub weight: f64,
    /// The target also acted on the actor in the window.
    pub reciprocal: bool,
    /// Flood scale of a hollow actor's engagement (1 otherwise); see [`super::gaming::flood`].
    pub scale: f64,
}

/// Engagement in a window, pairs sorted by (target, actor).
#[derive(Debug, Clone)]
pub struct Engagement {
    pub pairs: Vec<Pair>,
    /// `pairs[start[v]..start[v + 1]]` are the pairs of target `v`.
    pub start: Vec<usize>,
    /// Actions received per account and kind (index by [`kind_index`]).
    pub received: Vec<[u32; 7]>,
    /// Actions made per account (on others) in the window.
    pub made: Vec<u32>,
    /// Records in the window (self-interactions included).
    pub records: usize,
}

impl Engagement {
    /// Folds the records inside `window` for `n` accounts.
    pub fn new(records: &[Interaction], n: usize, window: &Window, cal: &Calibration) -> Self {
        let mut keyed: Vec<(u64, f64, Kind)> = Vec::new();
        let mut received = vec![[0u32; 7]; n];
        let mut made = vec![0u32; n];
        let mut in_window = 0;
        for r in records.iter().filter(|r| window.contains(r.time)) {
            in_window += 1;
            if r.actor == r.target {
                continue;
            }
            received[r.target as usize][kind_index(r.kind)] += 1;
            made[r.actor as usize] += 1;
            let key = (r.target as u64) << 32 | r.actor as u64;
            keyed.push((key, cal.kind_weight(r.kind), r.kind));
        }
        // Stable, so the weight sums run in file order and are reproducible.
        keyed.par_sort_by_key(|k| k.0);
        let pairs = fold_pairs(&keyed);
        let start = target_starts(&pairs, n);
        let mut e = Engagement {
            pairs,
            start,
            received,
            made,
            records: in_window,
        };
        e.mark_reciprocal();
        e
    }

    /// The pairs of target `v` (its engagers, ascending).
    pub fn of(&self, v: Node) -> &[Pair] {
        &self.pairs[self.start[v as usize]..self.start[v as usize + 1]]
    }

    /// Whether `actor` engaged with `target` in the window.
    pub fn engaged(&self, target: Node, actor: Node) -> bool {
        self.of(target)
            .binary_search_by_key(&actor, |p| p.actor)
            .is_ok()
    }

    /// Marks pairs whose reverse pair exists: the reversed keys, sorted, merged against the
    /// pairs (already sorted by key). O(E log E), no per-pair searches in long rows.
    fn mark_reciprocal(&mut self) {
        let key = |t: Node, a: Node| (t as u64) << 32 | a as u64;
        let mut rev: Vec<(u64, usize)> = self
            .pairs
            .iter()
            .enumerate()
            .map(|(i, p)| (key(p.actor, p.target), i))
            .collect();
        rev.par_sort_unstable();
        let mut j = 0;
        for (k, i) in rev {
            while j < self.pairs.len() && key(self.pairs[j].target, self.pairs[j].actor) < k {
                j += 1;
            }
            let hit = j < self.pairs.len() && key(self.pairs[j].target, self.pairs[j].actor) == k;
            self.pairs[i].reciprocal = hit;
        }
    }
}

fn fold_pairs(keyed: &[(u64, f64, Kind)]) -> Vec<Pair> {
    let mut pairs: Vec<Pair> = Vec::new();
    for &(key, w, _) in keyed {
        let (target, actor) = ((key >> 32) as Node, key as u32);
        match pairs.last_mut() {
            Some(p) if p.target == target && p.actor == actor => {
                p.actions += 1;
                p.weight += w;
            }
            _ => pairs.push(Pair {
                target,
                actor,
                actions: 1,
                weight: w,
                reciprocal: false,
                scale: 1.0,
            }),
        }
    }
    pairs
}

fn target_starts(pairs: &[Pair], n: usize) -> Vec<usize> {
    let mut start = vec![0usize; n + 1];
    for p in pairs {
        start[p.target as usize + 1] += 1;
    }
    for v in 0..n {
        start[v + 1] += start[v];
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::combine::CALIBRATION_V1;

    fn rec(actor: Node, target: Node, kind: Kind, time: i64) -> Interaction {
        Interaction {
            actor,
            target,
            kind,
            time,
            post: None,
            network: None,
        }
    }

    #[test]
    fn pairs_merge_and_reciprocity() {
        let recs = [
            rec(1, 0, Kind::Share, 5),
            rec(1, 0, Kind::Like, 6),
            rec(0, 1, Kind::Reply, 7),
            rec(2, 0, Kind::Share, 8),
            rec(2, 2, Kind::Share, 8),
            rec(2, 1, Kind::Share, 100),
        ];
        let w = Window {
            as_of: 10,
            length: None,
        };
        let e = Engagement::new(&recs, 3, &w, &CALIBRATION_V1);
        assert_eq!(e.records, 5);
        assert_eq!(e.of(0).len(), 2);
        let p = e.of(0)[0];
        assert_eq!(
            (p.actor, p.actions, p.weight, p.reciprocal),
            (1, 2, 1.25, true)
        );
        assert!(!e.of(0)[1].reciprocal);
        assert_eq!(e.received[0][0], 2);
        assert_eq!(e.made[2], 1);
    }
}
