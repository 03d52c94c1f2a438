//! Who engaged with whom in a window: interactions folded into one record per (target, actor)
//! pair — the actor acted on the target's content — with its actions by kind, its
//! engagement-graph weight and whether the target engaged back (reciprocity). Self-interactions
//! are dropped. The measures read this; the reactor weights are left to [`super::gaming`].

use rayon::prelude::*;

use super::combine::Calibration;
use super::grouped::grouped;
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
    /// Both ends are in one closed cluster (see [`super::rings`]).
    pub closed: bool,
    /// Flood scale of a hollow actor's engagement (1 otherwise); see [`super::gaming::flood`].
    pub scale: f64,
    /// Time of the actor's latest action on the target in the window.
    pub last: i64,
    /// Recency weight of the pair in True Reach (1 without recency weighting; see
    /// [`Engagement::weigh_recency`]).
    pub recency: f64,
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
    /// The earliest time of those records (`None`: no record in the window).
    pub first: Option<i64>,
}

impl Pair {
    /// Whether the pair is discounted as a returned engagement: reciprocal, or inside a closed
    /// cluster.
    pub fn discounted(&self) -> bool {
        self.reciprocal || self.closed
    }
}

impl Engagement {
    /// Folds the records inside `window` for `n` accounts.
    pub fn new(records: &[Interaction], n: usize, window: &Window, cal: &Calibration) -> Self {
        let mut actions: Vec<(Node, Node, f64, i64)> = Vec::new();
        let mut received = vec![[0u32; 7]; n];
        let mut made = vec![0u32; n];
        let mut in_window = 0;
        let mut first: Option<i64> = None;
        for r in records.iter().filter(|r| window.contains(r.time)) {
            in_window += 1;
            first = Some(first.map_or(r.time, |f| f.min(r.time)));
            if r.actor == r.target {
                continue;
            }
            received[r.target as usize][kind_index(r.kind)] += 1;
            made[r.actor as usize] += 1;
            actions.push((r.target, r.actor, cal.kind_weight(r.kind), r.time));
        }
        // Stable by actor within a target, so the weight sums run in file order.
        let (actions, _) = grouped(n, &actions, |a| a.0, |row| row.sort_by_key(|a| a.1));
        let pairs = fold_pairs(&actions);
        let start = target_starts(&pairs, n);
        let mut e = Engagement {
            pairs,
            start,
            received,
            made,
            records: in_window,
            first,
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

    /// Sets every pair's recency weight `floor + (1 − floor) · 2^(−age / h)` (calibration v4),
    /// `age` the time from its latest action to `as_of` and `h` the half-life: `fraction` of
    /// the span from the window's earliest record ([`Engagement::first`]) to `as_of` (no
    /// weighting when `fraction` is 0 or the span is empty).
    pub fn weigh_recency(&mut self, as_of: i64, fraction: f64, floor: f64) {
        let Some(rho) = self.recency(as_of, fraction, floor) else {
            return;
        };
        for p in &mut self.pairs {
            p.recency = rho(p.last);
        }
    }

    /// The recency weight of an action at a time, as [`Engagement::weigh_recency`] weighs a
    /// pair by its latest action; `None` without recency weighting.
    pub fn recency(&self, as_of: i64, fraction: f64, floor: f64) -> Option<impl Fn(i64) -> f64> {
        let span = self.first.map_or(0, |f| as_of.saturating_sub(f)) as f64;
        let h = span * fraction;
        (h > 0.0).then_some(move |t: i64| {
            let age = as_of.saturating_sub(t).max(0) as f64;
            floor + (1.0 - floor) * (-age / h).exp2()
        })
    }

    /// Marks pairs whose reverse pair exists: a binary search in the actor's own row (rows are
    /// sorted by actor), pairs in parallel.
    fn mark_reciprocal(&mut self) {
        let hits: Vec<bool> = self
            .pairs
            .par_iter()
            .map(|p| self.engaged(p.actor, p.target))
            .collect();
        for (p, hit) in self.pairs.iter_mut().zip(hits) {
            p.reciprocal = hit;
        }
    }
}

fn fold_pairs(actions: &[(Node, Node, f64, i64)]) -> Vec<Pair> {
    let mut pairs: Vec<Pair> = Vec::new();
    for &(target, actor, w, time) in actions {
        match pairs.last_mut() {
            Some(p) if p.target == target && p.actor == actor => {
                p.actions += 1;
                p.weight += w;
                p.last = p.last.max(time);
            }
            _ => pairs.push(Pair {
                target,
                actor,
                actions: 1,
                weight: w,
                reciprocal: false,
                closed: false,
                scale: 1.0,
                last: time,
                recency: 1.0,
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
