//! The working graph of community detection: undirected, weighted, self-loops kept apart, and
//! its aggregation (one node per community), which every level of Louvain and Leiden builds.

use crate::graph::Graph;
use crate::ingest::Node;

/// An undirected weighted graph in CSR form: each edge `u–v` (`u ≠ v`) in both rows, a
/// self-loop's weight in `loops`. A node's degree counts a self-loop twice (networkx's rule).
#[derive(Debug, Clone)]
pub(super) struct Net {
    offsets: Vec<usize>,
    targets: Vec<Node>,
    weights: Vec<f64>,
    loops: Vec<f64>,
    degree: Vec<f64>,
    /// Sum of the degrees: twice the total edge weight (2m).
    total: f64,
}

impl Net {
    /// The undirected view of `g`: `g` itself when it is undirected; otherwise each edge both
    /// ways, `a b` and `b a` one edge (weights added), as `GraphBuilder::undirected` reads it.
    pub fn from_graph(g: &Graph) -> Net {
        let n = g.num_nodes();
        let mut net = Net::with_capacity(n, g.num_edges() * if g.is_undirected() { 1 } else { 2 });
        let mut row: Vec<(Node, f64)> = Vec::new();
        for v in 0..n as Node {
            row.clear();
            push_row(
                &mut row,
                g.out_edges().neighbors(v),
                g.out_edges().weights_of(v),
            );
            if !g.is_undirected() {
                // In-edges, but a self-loop only once (it is among the out-edges too).
                let (inc, w) = (g.in_edges(), g.in_edges().weights_of(v));
                for (i, &u) in inc.neighbors(v).iter().enumerate() {
                    if u != v {
                        row.push((u, w.map_or(1.0, |w| w[i])));
                    }
                }
                merge_sorted(&mut row, g.is_weighted());
            }
            net.push_node(v, &row);
        }
        net.finish()
    }

    fn with_capacity(n: usize, entries: usize) -> Net {
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        Net {
            offsets,
            targets: Vec::with_capacity(entries),
            weights: Vec::with_capacity(entries),
            loops: Vec::with_capacity(n),
            degree: Vec::with_capacity(n),
            total: 0.0,
        }
    }

    /// Appends node `v` (the next one) with its row; an entry for `v` itself is its self-loop.
    fn push_node(&mut self, v: Node, row: &[(Node, f64)]) {
        let mut lp = 0.0;
        for &(u, w) in row {
            if u == v {
                lp += w;
            } else {
                self.targets.push(u);
                self.weights.push(w);
            }
        }
        self.offsets.push(self.targets.len());
        self.loops.push(lp);
    }

    /// Fills in the degrees and their sum once every row is in.
    fn finish(mut self) -> Net {
        self.degree = (0..self.len())
            .map(|v| {
                let r = self.offsets[v]..self.offsets[v + 1];
                self.weights[r].iter().sum::<f64>() + 2.0 * self.loops[v]
            })
            .collect();
        self.total = self.degree.iter().sum();
        self
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.loops.len()
    }

    /// The neighbours of `v` other than itself, with the weights of the edges.
    #[inline]
    pub fn row(&self, v: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let r = self.offsets[v]..self.offsets[v + 1];
        self.targets[r.clone()]
            .iter()
            .zip(&self.weights[r])
            .map(|(&u, &w)| (u as usize, w))
    }

    /// The weighted degree of `v` (a self-loop counted twice).
    #[inline]
    pub fn degree(&self, v: usize) -> f64 {
        self.degree[v]
    }

    /// The weight of `v`'s self-loop.
    #[inline]
    pub fn self_loop(&self, v: usize) -> f64 {
        self.loops[v]
    }

    /// Twice the total edge weight (2m), the sum of the degrees.
    pub fn total(&self) -> f64 {
        self.total
    }

    /// The graph of the communities of `membership` (numbered `0..k`): one node per community,
    /// the weights between communities added up, the weight inside a community its self-loop.
    pub fn aggregate(&self, membership: &[u32], k: usize) -> Net {
        let members = members_of(membership, k);
        let mut net = Net::with_capacity(k, self.targets.len().min(k * k));
        let mut scratch = Accumulator::new(k);
        let mut row = Vec::new();
        for (c, nodes) in members.iter().enumerate() {
            let mut lp = 0.0;
            for &v in nodes {
                lp += self.loops[v as usize];
                for (u, w) in self.row(v as usize) {
                    let cu = membership[u] as usize;
                    if cu == c {
                        lp += w / 2.0;
                    } else {
                        scratch.add(cu, w);
                    }
                }
            }
            row.clear();
            row.extend(scratch.drain().map(|(cu, w)| (cu as Node, w)));
            row.push((c as Node, lp));
            net.push_node(c as Node, &row);
        }
        net.finish()
    }
}

/// The nodes of each community `0..k`, ascending.
pub(super) fn members_of(membership: &[u32], k: usize) -> Vec<Vec<u32>> {
    let mut members = vec![Vec::new(); k];
    for (v, &c) in membership.iter().enumerate() {
        members[c as usize].push(v as u32);
    }
    members
}

fn push_row(row: &mut Vec<(Node, f64)>, targets: &[Node], weights: Option<&[f64]>) {
    match weights {
        Some(w) => row.extend(targets.iter().copied().zip(w.iter().copied())),
        None => row.extend(targets.iter().map(|&u| (u, 1.0))),
    }
}

/// Sorts `row` by neighbour and merges repeats: weights added when `weighted`, else one edge of
/// weight 1 (an unweighted `a b` with `b a` is one edge, as in networkx's `Graph`).
fn merge_sorted(row: &mut Vec<(Node, f64)>, weighted: bool) {
    row.sort_unstable_by_key(|&(u, _)| u);
    row.dedup_by(|next, kept| {
        if next.0 != kept.0 {
            return false;
        }
        if weighted {
            kept.1 += next.1;
        }
        true
    });
}

/// Sums of weights per community over one node's neighbours, in first-seen order, reset by
/// draining: O(neighbours), never O(communities).
#[derive(Debug)]
pub(super) struct Accumulator {
    sums: Vec<f64>,
    seen: Vec<bool>,
    touched: Vec<usize>,
}

impl Accumulator {
    pub fn new(k: usize) -> Accumulator {
        Accumulator {
            sums: vec![0.0; k],
            seen: vec![false; k],
            touched: Vec::new(),
        }
    }

    #[inline]
    pub fn add(&mut self, c: usize, w: f64) {
        if !self.seen[c] {
            self.seen[c] = true;
            self.touched.push(c);
        }
        self.sums[c] += w;
    }

    /// The sum for community `c` (0 when no neighbour is in it).
    #[inline]
    pub fn get(&self, c: usize) -> f64 {
        self.sums[c]
    }

    /// The communities seen, in first-seen order.
    pub fn touched(&self) -> &[usize] {
        &self.touched
    }

    /// Clears the sums (without yielding them).
    pub fn clear(&mut self) {
        for &c in &self.touched {
            self.sums[c] = 0.0;
            self.seen[c] = false;
        }
        self.touched.clear();
    }

    /// Yields `(community, sum)` in first-seen order and clears.
    pub fn drain(&mut self) -> impl Iterator<Item = (usize, f64)> + '_ {
        let (sums, seen) = (&mut self.sums, &mut self.seen);
        self.touched.drain(..).map(move |c| {
            seen[c] = false;
            (c, std::mem::take(&mut sums[c]))
        })
    }
}

/// Local moving's step, shared by Louvain and Leiden: takes `v` out of its community in
/// `comm` (whose degree sums are `tot`) and finds the neighbouring community whose joining
/// raises modularity most, staying put on ties; returns it with its gain (in edge-weight
/// units: weight to the community minus γ·k_v·K_c/2m). `tot` is left without `v`: the caller
/// adds `v`'s degree to the community it picks.
pub(super) fn best_move(
    net: &Net,
    v: usize,
    comm: &[u32],
    tot: &mut [f64],
    acc: &mut Accumulator,
    gamma: f64,
) -> (usize, f64) {
    let own = comm[v] as usize;
    let kv = net.degree(v);
    let scale = gamma * kv / net.total();
    for (u, w) in net.row(v) {
        acc.add(comm[u] as usize, w);
    }
    tot[own] -= kv;
    let mut best = own;
    let mut best_gain = acc.get(own) - scale * tot[own];
    for &c in acc.touched() {
        let gain = acc.get(c) - scale * tot[c];
        if gain > best_gain {
            best_gain = gain;
            best = c;
        }
    }
    acc.clear();
    (best, best_gain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::centrality::tests::{directed, undirected};

    #[test]
    fn a_directed_read_is_symmetrised_like_an_undirected_one() {
        let edges = [(0, 1), (1, 0), (1, 2), (2, 3), (3, 1)];
        let d = Net::from_graph(&directed(&edges, 4));
        let u = Net::from_graph(&undirected(&edges, 4));
        assert_eq!(d.offsets, u.offsets);
        assert_eq!(d.targets, u.targets);
        assert_eq!(d.weights, u.weights);
        assert_eq!(d.total(), 8.0, "4 undirected edges");
        assert_eq!(d.degree(1), 3.0);
    }

    /// A weighted self-loop of a directed read counts once, as in the undirected read and in
    /// networkx: loop weight w, degree 2w.
    #[test]
    fn a_directed_self_loop_is_not_doubled() {
        let mut list = crate::metrics::pagerank::tests::edge_list(&[(0, 0), (0, 1)], 2);
        list.weights = Some(vec![3.0, 1.0]);
        let g = crate::graph::GraphBuilder::new()
            .reorder_by_degree(false)
            .keep_self_loops(true)
            .build(list)
            .0;
        let net = Net::from_graph(&g);
        assert_eq!(net.self_loop(0), 3.0);
        assert_eq!(net.degree(0), 7.0);
        assert_eq!(net.total(), 8.0);
    }

    #[test]
    fn aggregation_keeps_degrees_and_puts_inner_weight_on_loops() {
        // Two triangles 0-1-2 and 3-4-5 joined by 2-3.
        let edges = [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)];
        let net = Net::from_graph(&undirected(&edges, 6));
        let agg = net.aggregate(&[0, 0, 0, 1, 1, 1], 2);
        assert_eq!(agg.len(), 2);
        assert_eq!(agg.self_loop(0), 3.0);
        assert_eq!(agg.self_loop(1), 3.0);
        assert_eq!(agg.row(0).collect::<Vec<_>>(), vec![(1, 1.0)]);
        assert_eq!(agg.degree(0), 7.0);
        assert_eq!(agg.total(), net.total());
    }
}
