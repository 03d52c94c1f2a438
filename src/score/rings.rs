//! Closed engagement clusters (calibration v3): accounts that engage one another in cycles
//! longer than a reciprocal pair (`a → b → c → … → a`) while almost nobody outside engages
//! them — the shape of a ring that has learnt to avoid returning engagements.
//!
//! The clusters are the strongly connected components of the engagement graph (actor → target,
//! reciprocal pairs left out, since they are already discounted). The largest component is the
//! organic core and is never closed. Any other component `C` of at least 3 accounts is
//! **closed** when fewer than `ring_outside · |C|` distinct accounts outside it, themselves not
//! hollow, engage its members. Engagements inside a closed cluster are then discounted like
//! reciprocal ones (`reciprocal_discount`, no teleport), so that its members weigh what their
//! outside audience earns them — a closed ring becomes hollow.
//!
//! Known limit: a ring that earns real engagement from the core and engages the core back
//! merges into the core's component and is not caught here; the reciprocal discount, the
//! hollow rule and the flood cap still apply to it.

use super::combine::Calibration;
use super::engagement::Engagement;
use crate::ingest::Node;

/// Smallest component that can be closed (2 is a reciprocal pair).
pub const MIN_RING: usize = 3;

/// Marks the pairs inside closed clusters (see the module docs) and returns the size of every
/// account's closed cluster (0: none). `hollow`: accounts with no non-reciprocal engager.
pub fn close_rings(eng: &mut Engagement, hollow: &[bool], cal: &Calibration) -> Vec<u32> {
    let n = hollow.len();
    if cal.ring_outside <= 0.0 {
        return vec![0; n];
    }
    let comp = components(eng, n);
    let count = comp.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut size = vec![0u32; count];
    for &c in &comp {
        size[c as usize] += 1;
    }
    // The core: the largest component, the first found on a tie.
    let core = (0..count).max_by_key(|&c| (size[c], std::cmp::Reverse(c)));
    let candidate = |c: u32| size[c as usize] as usize >= MIN_RING && Some(c as usize) != core;
    let outside = outside_engagers(eng, &comp, hollow, &candidate, count);
    let closed: Vec<bool> = (0..count)
        .map(|c| candidate(c as u32) && (outside[c] as f64) < cal.ring_outside * size[c] as f64)
        .collect();
    for p in eng.pairs.iter_mut() {
        let (a, t) = (comp[p.actor as usize], comp[p.target as usize]);
        p.closed = a == t && closed[t as usize] && !p.reciprocal;
    }
    comp.iter()
        .map(|&c| {
            if closed[c as usize] {
                size[c as usize]
            } else {
                0
            }
        })
        .collect()
}

/// Distinct non-hollow accounts outside each candidate component that engage one of its
/// members (through a pair that is not reciprocal).
fn outside_engagers(
    eng: &Engagement,
    comp: &[u32],
    hollow: &[bool],
    candidate: &dyn Fn(u32) -> bool,
    count: usize,
) -> Vec<u32> {
    let mut seen: Vec<(u32, Node)> = eng
        .pairs
        .iter()
        .filter(|p| !p.reciprocal && !hollow[p.actor as usize])
        .map(|p| (comp[p.target as usize], p.actor))
        .filter(|&(c, a)| candidate(c) && comp[a as usize] != c)
        .collect();
    seen.sort_unstable();
    seen.dedup();
    let mut outside = vec![0u32; count];
    for (c, _) in seen {
        outside[c as usize] += 1;
    }
    outside
}

/// The strongly connected component of every account in the graph of non-reciprocal pairs
/// (iterative Tarjan, roots and neighbours in ascending order, so the numbering is fixed).
/// Edges run target → actor; reversing every edge leaves the components unchanged.
pub fn components(eng: &Engagement, n: usize) -> Vec<u32> {
    let mut t = Tarjan {
        index: vec![NONE; n],
        low: vec![0; n],
        comp: vec![NONE; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        calls: Vec::new(),
        next: 0,
        comps: 0,
    };
    for root in 0..n as Node {
        if t.index[root as usize] == NONE {
            t.enter(root);
            t.run(eng);
        }
    }
    t.comp
}

const NONE: u32 = u32::MAX;

/// The state of the iterative Tarjan walk.
struct Tarjan {
    index: Vec<u32>,
    low: Vec<u32>,
    comp: Vec<u32>,
    on_stack: Vec<bool>,
    stack: Vec<Node>,
    /// The explicit call stack: a node and the next of its pairs to look at.
    calls: Vec<(Node, usize)>,
    next: u32,
    comps: u32,
}

impl Tarjan {
    fn enter(&mut self, v: Node) {
        self.index[v as usize] = self.next;
        self.low[v as usize] = self.next;
        self.next += 1;
        self.stack.push(v);
        self.on_stack[v as usize] = true;
        self.calls.push((v, 0));
    }

    fn run(&mut self, eng: &Engagement) {
        while let Some(&(v, i)) = self.calls.last() {
            let pairs = eng.of(v);
            if let Some(off) = pairs[i..].iter().position(|p| !p.reciprocal) {
                let w = pairs[i + off].actor as usize;
                if let Some(top) = self.calls.last_mut() {
                    top.1 = i + off + 1;
                }
                if self.index[w] == NONE {
                    self.enter(w as Node);
                } else if self.on_stack[w] {
                    self.low[v as usize] = self.low[v as usize].min(self.index[w]);
                }
                continue;
            }
            self.calls.pop();
            if let Some(&(u, _)) = self.calls.last() {
                self.low[u as usize] = self.low[u as usize].min(self.low[v as usize]);
            }
            if self.low[v as usize] == self.index[v as usize] {
                self.pop_component(v);
            }
        }
    }

    fn pop_component(&mut self, v: Node) {
        while let Some(w) = self.stack.pop() {
            self.on_stack[w as usize] = false;
            self.comp[w as usize] = self.comps;
            if w == v {
                break;
            }
        }
        self.comps += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Interaction, Kind};
    use crate::score::window::Window;
    use crate::score::CALIBRATION_V2;

    fn engagement(n: usize, edges: &[(Node, Node)]) -> Engagement {
        let recs: Vec<Interaction> = edges
            .iter()
            .map(|&(actor, target)| Interaction {
                actor,
                target,
                kind: Kind::Share,
                time: 1,
                post: None,
                network: None,
            })
            .collect();
        let w = Window {
            as_of: 1,
            length: None,
        };
        Engagement::new(&recs, n, &w, &CALIBRATION_V2)
    }

    /// Independent reference: `u` and `v` share a component iff each reaches the other
    /// (transitive closure over non-reciprocal actor → target edges).
    fn same_component_by_closure(eng: &Engagement, n: usize) -> Vec<Vec<bool>> {
        let mut r = vec![vec![false; n]; n];
        for (v, row) in r.iter_mut().enumerate() {
            row[v] = true;
        }
        for p in eng.pairs.iter().filter(|p| !p.reciprocal) {
            r[p.actor as usize][p.target as usize] = true;
        }
        for k in 0..n {
            for i in 0..n {
                if r[i][k] {
                    for j in 0..n {
                        r[i][j] |= r[k][j];
                    }
                }
            }
        }
        (0..n)
            .map(|i| (0..n).map(|j| r[i][j] && r[j][i]).collect())
            .collect()
    }

    #[test]
    fn components_match_the_transitive_closure() {
        let mut state = 11u64;
        for round in 0..200 {
            let n = 2 + round % 25;
            let m = round % 60;
            let edges: Vec<(Node, Node)> = (0..m)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1);
                    let x = (state >> 33) as usize;
                    ((x % n) as Node, ((x >> 8) % n) as Node)
                })
                .collect();
            let eng = engagement(n, &edges);
            let comp = components(&eng, n);
            let want = same_component_by_closure(&eng, n);
            for u in 0..n {
                for v in 0..n {
                    assert_eq!(comp[u] == comp[v], want[u][v], "round {round}: {u} {v}");
                }
            }
        }
    }

    /// A directed 6-cycle (no pair returned) beside a larger core: closed when nobody outside
    /// engages it, open once 3 outside accounts (half its size) do.
    #[test]
    fn a_long_cycle_with_no_outside_audience_is_closed() {
        let cal = &crate::score::CALIBRATION_V3;
        // Core: 0..8, a directed cycle plus chords; ring: 10..16.
        let mut edges: Vec<(Node, Node)> = (0..8).map(|i| (i, (i + 1) % 8)).collect();
        edges.extend([(0, 4), (2, 6)]);
        edges.extend((0..6).map(|i| (10 + i, 10 + (i + 1) % 6)));
        for outsiders in [0u32, 2, 3] {
            let mut e = edges.clone();
            e.extend((0..outsiders).map(|k| (k, 10 + k)));
            let mut eng = engagement(16, &e);
            let hollow = crate::score::gaming::hollow(&eng, &[false; 16], cal);
            let sizes = close_rings(&mut eng, &hollow, cal);
            let closed = outsiders < 3;
            assert_eq!(sizes[10], if closed { 6 } else { 0 }, "{outsiders} outside");
            assert_eq!(sizes[0], 0, "the core is never closed");
            let inside = eng.of(11).iter().find(|p| p.actor == 10).unwrap();
            assert_eq!(inside.closed, closed);
            assert!(eng.pairs.iter().filter(|p| p.target < 8).all(|p| !p.closed));
            // Off under v2.
            let mut eng = engagement(16, &e);
            assert!(close_rings(&mut eng, &hollow, &CALIBRATION_V2)
                .iter()
                .all(|&s| s == 0));
        }
    }
}
