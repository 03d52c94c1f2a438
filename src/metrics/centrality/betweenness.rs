//! Betweenness centrality by Brandes' algorithm, normalised as
//! `nx.betweenness_centrality(normalized=True)`: exact over every source, or estimated from `k`
//! sampled sources with networkx's rescaling and a standard error per node. The single-source
//! step counts hops (breadth-first, here) or takes the weights as distances (Dijkstra,
//! `dijkstra.rs`; networkx's `weight="weight"`). Dependencies are pulled from successors, so the
//! in-edges are never read. Sources are cut into fixed chunks whose sums are added in chunk
//! order, so the parallel kernels, their sequential twins and any thread count give the same
//! bits.

use rayon::prelude::*;

use super::dijkstra::Dijkstra;
use crate::graph::Graph;
use crate::ingest::Node;
use crate::rng::SplitMix;

/// Sources per chunk: fixed, so that the order of the sums never depends on the threads.
const CHUNK: usize = 16;
const UNSEEN: u32 = u32::MAX;

/// Betweenness of every node, with the sampling error when sources were sampled.
#[derive(Debug, Clone, PartialEq)]
pub struct Betweenness {
    pub values: Vec<f64>,
    pub sampling: Option<Sampling>,
}

/// How a sampled estimate was made and how far it may be off.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Sampling {
    pub samples: usize,
    pub seed: u64,
    /// The largest standard error of any node's estimate (finite-population corrected).
    pub max_standard_error: f64,
    /// Three times `max_standard_error`: each node's exact value lies within this of its
    /// estimate with about 99.7% confidence (normal approximation).
    pub error_bound: f64,
}

/// Per-source dependencies summed over a run of sources, with their squares when sampling.
pub(super) struct Sums {
    sum: Vec<f64>,
    sq: Option<Vec<f64>>,
}

impl Sums {
    fn zeros(n: usize, squares: bool) -> Sums {
        Sums {
            sum: vec![0.0; n],
            sq: squares.then(|| vec![0.0; n]),
        }
    }

    /// Adds one source's dependency `d` of node `w`.
    #[inline]
    pub(super) fn add_dependency(&mut self, w: Node, d: f64) {
        self.sum[w as usize] += d;
        if let Some(sq) = self.sq.as_mut() {
            sq[w as usize] += d * d;
        }
    }

    fn add(&mut self, other: &Sums) {
        self.sum
            .iter_mut()
            .zip(&other.sum)
            .for_each(|(a, b)| *a += b);
        if let (Some(a), Some(b)) = (self.sq.as_mut(), other.sq.as_ref()) {
            a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
        }
    }
}

/// One worker's single-source step: adds the dependencies of every node on source `s` to the
/// sums, leaving its scratch ready for the next source.
pub(super) trait Dependencies {
    fn new(n: usize) -> Self;
    fn accumulate(&mut self, g: &Graph, s: Node, acc: &mut Sums);
}

/// One worker's single-source scratch. Per node, the BFS distance and one number: the count
/// of shortest paths during the search, then the node's dependency coefficient
/// `(1 + δ(w)) / σ(w)` once its successors are done. Distances sit in their own small array:
/// every edge reads one, only edges along shortest paths read the number.
struct Brandes {
    dist: Vec<u32>,
    value: Vec<f64>,
    order: Vec<Node>,
    /// σ of `order[i]`, saved before the coefficients overwrite it.
    sigma: Vec<f64>,
}

impl Dependencies for Brandes {
    fn new(n: usize) -> Brandes {
        Brandes {
            dist: vec![UNSEEN; n],
            value: vec![0.0; n],
            order: Vec::with_capacity(n),
            sigma: Vec::with_capacity(n),
        }
    }

    fn accumulate(&mut self, g: &Graph, s: Node, acc: &mut Sums) {
        self.accumulate_hops(g, s, acc)
    }
}

impl Brandes {
    /// Shortest-path counts from `s` along out-edges, in breadth-first order.
    fn search(&mut self, g: &Graph, s: Node) {
        self.order.clear();
        self.order.push(s);
        (self.dist[s as usize], self.value[s as usize]) = (0, 1.0);
        let mut head = 0;
        while head < self.order.len() {
            let x = self.order[head] as usize;
            head += 1;
            let (next, sx) = (self.dist[x] + 1, self.value[x]);
            for &y in g.out_edges().neighbors(x as Node) {
                let dy = &mut self.dist[y as usize];
                if *dy == UNSEEN {
                    *dy = next;
                    self.order.push(y);
                }
                if *dy == next {
                    self.value[y as usize] += sx;
                }
            }
        }
    }

    /// Adds source `s`'s dependencies to `acc`, then clears the scratch. In reverse
    /// breadth-first order each node pulls from its successors on shortest paths:
    /// `δ(w) = σ(w) Σ_x (1 + δ(x)) / σ(x)` (Brandes' recurrence, one addition per edge).
    fn accumulate_hops(&mut self, g: &Graph, s: Node, acc: &mut Sums) {
        self.search(g, s);
        self.sigma.clear();
        self.sigma
            .extend(self.order.iter().map(|&w| self.value[w as usize]));
        for (i, &w) in self.order.iter().enumerate().rev() {
            let next = self.dist[w as usize] + 1;
            let mut pulled = 0.0;
            for &x in g.out_edges().neighbors(w) {
                if self.dist[x as usize] == next {
                    pulled += self.value[x as usize];
                }
            }
            let sigma = self.sigma[i];
            self.value[w as usize] = 1.0 / sigma + pulled;
            if i > 0 {
                acc.add_dependency(w, sigma * pulled);
            }
        }
        for &w in &self.order {
            (self.dist[w as usize], self.value[w as usize]) = (UNSEEN, 0.0);
        }
    }
}

fn chunk_sums<K: Dependencies>(g: &Graph, sources: &[Node], squares: bool) -> Sums {
    let mut b = K::new(g.num_nodes());
    let mut acc = Sums::zeros(g.num_nodes(), squares);
    for &s in sources {
        b.accumulate(g, s, &mut acc);
    }
    acc
}

/// The sums over `sources`, chunk sums added in chunk order; `parallel` runs a batch of chunks
/// at a time on rayon's pool.
fn dependency_sums<K: Dependencies>(
    g: &Graph,
    sources: &[Node],
    squares: bool,
    parallel: bool,
) -> Sums {
    let mut total = Sums::zeros(g.num_nodes(), squares);
    let chunks: Vec<&[Node]> = sources.chunks(CHUNK).collect();
    let batch = if parallel {
        2 * rayon::current_num_threads()
    } else {
        1
    };
    for group in chunks.chunks(batch) {
        let parts: Vec<Sums> = if parallel {
            group
                .par_iter()
                .map(|c| chunk_sums::<K>(g, c, squares))
                .collect()
        } else {
            group
                .iter()
                .map(|c| chunk_sums::<K>(g, c, squares))
                .collect()
        };
        parts.iter().for_each(|p| total.add(p));
    }
    total
}

/// Exact (`samples: None`) or sampled betweenness, in parallel.
pub fn betweenness(g: &Graph, samples: Option<usize>, seed: u64) -> Betweenness {
    run::<Brandes>(g, samples, seed, true)
}

/// The sequential twin of [`betweenness`]; the results are identical.
pub fn betweenness_sequential(g: &Graph, samples: Option<usize>, seed: u64) -> Betweenness {
    run::<Brandes>(g, samples, seed, false)
}

/// Betweenness with the edge weights as distances (`nx.betweenness_centrality(G,
/// weight="weight")`), exact or sampled as [`betweenness`], in parallel. `g` must be weighted
/// with finite, positive weights (checked by `CentralityParams::check`).
pub fn betweenness_weighted(g: &Graph, samples: Option<usize>, seed: u64) -> Betweenness {
    run::<Dijkstra>(g, samples, seed, true)
}

/// The sequential twin of [`betweenness_weighted`]; the results are identical.
pub fn betweenness_weighted_sequential(
    g: &Graph,
    samples: Option<usize>,
    seed: u64,
) -> Betweenness {
    run::<Dijkstra>(g, samples, seed, false)
}

fn run<K: Dependencies>(
    g: &Graph,
    samples: Option<usize>,
    seed: u64,
    parallel: bool,
) -> Betweenness {
    let n = g.num_nodes();
    let Some(k) = samples else {
        let all: Vec<Node> = (0..n as Node).collect();
        let mut values = dependency_sums::<K>(g, &all, false, parallel).sum;
        if n > 2 {
            let scale = 1.0 / ((n - 1) as f64 * (n - 2) as f64);
            values.iter_mut().for_each(|x| *x *= scale);
        }
        return Betweenness {
            values,
            sampling: None,
        };
    };
    let sources = sample(n, k, seed);
    let sums = dependency_sums::<K>(g, &sources, true, parallel);
    estimate(n, &sources, sums, seed)
}

/// networkx's rescaling of a sampled sum (`_rescale` with `endpoints=False`): a sampled node
/// had `k − 1` sources that could pass through it, the others `k`; and each node's standard
/// error from the spread of its per-source dependencies.
fn estimate(n: usize, sources: &[Node], sums: Sums, seed: u64) -> Betweenness {
    let k = sources.len();
    let mut sampled = vec![false; n];
    sources.iter().for_each(|&s| sampled[s as usize] = true);
    let sq = sums.sq.expect("sampling keeps squares");
    let pairs = n.saturating_sub(2).max(1) as f64; // N − 1 with N = n − 1
    let population = (n - 1) as f64;
    let mut max_se = 0.0f64;
    let values = (0..n)
        .map(|v| {
            let kv = (k - sampled[v] as usize) as f64;
            if n < 3 {
                return sums.sum[v];
            }
            let mean = sums.sum[v] / kv;
            if kv > 1.0 {
                let var = ((sq[v] - kv * mean * mean) / (kv - 1.0)).max(0.0);
                let fpc = ((population - kv) / (population - 1.0)).max(0.0);
                max_se = max_se.max((var / kv * fpc).sqrt() / pairs);
            }
            mean / pairs
        })
        .collect();
    Betweenness {
        values,
        sampling: Some(Sampling {
            samples: k,
            seed,
            max_standard_error: max_se,
            error_bound: 3.0 * max_se,
        }),
    }
}

/// `k` distinct nodes of `0..n` chosen by a partial Fisher–Yates shuffle (splitmix64).
fn sample(n: usize, k: usize, seed: u64) -> Vec<Node> {
    let mut rng = SplitMix(seed);
    let mut all: Vec<Node> = (0..n as Node).collect();
    for i in 0..k.min(n) {
        let j = i + (rng.next() % (n - i) as u64) as usize;
        all.swap(i, j);
    }
    all.truncate(k.min(n));
    all.sort_unstable();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::centrality::tests::{directed, random, undirected};
    use approx::assert_relative_eq;

    #[test]
    fn path_star_and_triangle_with_a_tail_by_hand() {
        // Path 0-1-2-3: node 1 lies on 0–2 and 0–3 (both ways): 4 of (n−1)(n−2) = 6.
        let b = betweenness(&undirected(&[(0, 1), (1, 2), (2, 3)], 4), None, 0).values;
        assert_eq!(b, vec![0.0, 4.0 / 6.0, 4.0 / 6.0, 0.0]);
        // Star: the centre is on every leaf pair: 1 after normalisation.
        let b = betweenness(&undirected(&[(0, 1), (0, 2), (0, 3), (0, 4)], 5), None, 0).values;
        assert_eq!(b, vec![1.0, 0.0, 0.0, 0.0, 0.0]);
        // Triangle 0-1-2 with tail 2-3: node 2 is on 0–3 and 1–3, both ways: 4 / 6.
        let g = undirected(&[(0, 1), (1, 2), (0, 2), (2, 3)], 4);
        assert_eq!(
            betweenness(&g, None, 0).values,
            vec![0.0, 0.0, 4.0 / 6.0, 0.0]
        );
        // Directed path 0 → 1 → 2: only 0 → 2 passes through 1: 1 / 2.
        let b = betweenness(&directed(&[(0, 1), (1, 2)], 3), None, 0).values;
        assert_eq!(b, vec![0.0, 0.5, 0.0]);
    }

    #[test]
    fn parallel_equals_sequential_across_sizes_and_threads() {
        for (n, m) in [(2, 1), (40, 90), (300, 1500)] {
            for undirected in [false, true] {
                let g = random(n, m, undirected, 11);
                for samples in [None, Some(n.min(25) as usize)] {
                    let seq = betweenness_sequential(&g, samples, 3);
                    for threads in [1, 3, 8] {
                        let pool = rayon::ThreadPoolBuilder::new()
                            .num_threads(threads)
                            .build()
                            .unwrap();
                        assert_eq!(pool.install(|| betweenness(&g, samples, 3)), seq);
                    }
                }
            }
        }
    }

    #[test]
    fn sampling_every_source_is_exact_and_fewer_stay_within_the_bound() {
        let g = random(200, 800, true, 5);
        let exact = betweenness(&g, None, 0).values;
        let all = betweenness(&g, Some(200), 1);
        for (a, b) in exact.iter().zip(&all.values) {
            assert_relative_eq!(a, b, epsilon = 1e-12);
        }
        assert!(all.sampling.unwrap().max_standard_error < 1e-12);
        let est = betweenness(&g, Some(60), 9);
        let bound = est.sampling.as_ref().unwrap().error_bound;
        assert!(bound > 0.0);
        let worst = exact
            .iter()
            .zip(&est.values)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(worst < 2.0 * bound, "worst error {worst} vs bound {bound}");
        assert_eq!(sample(200, 60, 9), sample(200, 60, 9));
    }
}
