//! The Graph500 Kronecker (R-MAT) generator: `edge_factor · 2^scale` directed edges, each placed
//! by `scale` recursive choices of a quadrant with probabilities a = 0.57, b = 0.19, c = 0.19,
//! d = 0.05, then vertex ids permuted at random so that id order says nothing about degree.
//! Every edge draws from its own counter-based random stream, so the output is the same for any
//! thread count. Duplicates and self-loops are kept, as in Graph500; the graph builder merges
//! and drops them.

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::ingest::{EdgeList, IdMap, Skips};
use crate::rng::SplitMix;

/// Kronecker parameters, unchecked.
///
/// | name | default | range |
/// |---|---|---|
/// | `scale` | 16 | 1..=31 (2^scale vertices) |
/// | `edge_factor` | 16 | 1..=1024 (edges per vertex) |
/// | `seed` | 1 | any |
#[derive(Debug, Clone, Copy)]
pub struct KroneckerParams {
    pub scale: u32,
    pub edge_factor: u32,
    pub seed: u64,
}

impl Default for KroneckerParams {
    fn default() -> Self {
        KroneckerParams {
            scale: 16,
            edge_factor: 16,
            seed: 1,
        }
    }
}

/// A checked Kronecker generator.
#[derive(Debug, Clone)]
pub struct Kronecker {
    params: KroneckerParams,
    permutation: Vec<u32>,
    /// [`thresholds`] of the quadrant probabilities.
    thresholds: [u64; 3],
}

const A: f64 = 0.57;
const B: f64 = 0.19;
const C: f64 = 0.19;

/// The quadrant boundaries `a`, `a + b`, `a + b + c` as integers on the 53-bit draws: a draw
/// `x` as a fraction `x · 2⁻⁵³` is below `p` exactly when `x < ⌈p · 2⁵³⌉` (both products are
/// exact in `f64`), so comparing integers chooses the same quadrants as comparing the
/// fractions, without a branch.
fn thresholds() -> [u64; 3] {
    let scale = (1u64 << 53) as f64;
    [A, A + B, A + B + C].map(|p| (p * scale).ceil() as u64)
}

/// Edges generated before the first of them is formatted, so that their permutation lookups
/// (random reads of a table of `4 · 2^scale` bytes) are prefetched and overlap.
const LOOKAHEAD: usize = 64;

impl KroneckerParams {
    /// Validates the parameters.
    pub fn check(self) -> Result<Kronecker> {
        if !(1..=31).contains(&self.scale) {
            return Err(Error::param(
                "scale",
                format!("{} is not in 1..=31", self.scale),
            ));
        }
        if !(1..=1024).contains(&self.edge_factor) {
            return Err(Error::param(
                "edge_factor",
                format!("{} is not in 1..=1024", self.edge_factor),
            ));
        }
        let n = 1usize << self.scale;
        let mut permutation: Vec<u32> = (0..n as u32).collect();
        let mut rng = SplitMix(self.seed ^ 0x005e_ed0f_9e37_79b9);
        for i in (1..n).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            permutation.swap(i, j);
        }
        Ok(Kronecker {
            params: self,
            permutation,
            thresholds: thresholds(),
        })
    }
}

impl Kronecker {
    /// Number of vertices, `2^scale`.
    pub fn num_vertices(&self) -> u64 {
        1 << self.params.scale
    }

    /// Number of edges generated, `edge_factor · 2^scale`.
    pub fn num_edges(&self) -> u64 {
        self.num_vertices() * self.params.edge_factor as u64
    }

    /// The `i`-th edge.
    #[inline]
    pub fn edge(&self, i: u64) -> (u32, u32) {
        let (s, d) = self.unpermuted(i);
        (self.permutation[s as usize], self.permutation[d as usize])
    }

    /// The `i`-th edge before the vertex permutation: `scale` quadrant choices, each from its
    /// own 53-bit draw of the edge's stream.
    #[inline]
    fn unpermuted(&self, i: u64) -> (u32, u32) {
        let mut rng = SplitMix(
            self.params.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15)
                ^ i.wrapping_mul(0xd1b5_4a32_d192_ed03),
        );
        let [ta, tab, tabc] = self.thresholds;
        let (mut s, mut d) = (0u32, 0u32);
        for _ in 0..self.params.scale {
            let x = rng.next() >> 11;
            // Quadrant 0 (a), 1 (b: destination bit), 2 (c: source bit), 3 (d: both).
            let q = (x >= ta) as u32 + (x >= tab) as u32 + (x >= tabc) as u32;
            s = (s << 1) | (q >> 1);
            d = (d << 1) | (q & 1);
        }
        (s, d)
    }

    /// Every edge in memory, in order, as an edge list over the dense ids `0..2^scale` (no text
    /// to write or parse: for benchmarks that only need the graph).
    pub fn edge_list(&self) -> EdgeList {
        let edges: Vec<(u32, u32)> = (0..self.num_edges())
            .into_par_iter()
            .map(|i| self.edge(i))
            .collect();
        let (src, dst) = edges.into_iter().unzip();
        EdgeList {
            ids: IdMap::dense(self.num_vertices() as usize),
            src,
            dst,
            weights: None,
            skips: Skips::default(),
            degree_ordered: false,
            undirected: false,
        }
    }

    /// Edges `range` as `src dst` text lines, formatted in parallel pieces (in order).
    pub fn write_text(&self, range: std::ops::Range<u64>) -> Vec<u8> {
        self.text_pieces(range).concat()
    }

    /// Edges `range` as text, in pieces of consecutive edges, formatted in parallel; their
    /// concatenation is [`write_text`](Self::write_text)'s.
    pub fn text_pieces(&self, range: std::ops::Range<u64>) -> Vec<Vec<u8>> {
        const PIECE: u64 = 1 << 16;
        (range.start..range.end)
            .step_by(PIECE as usize)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|start| self.piece(start..(start + PIECE).min(range.end)))
            .collect()
    }

    /// One piece: [`LOOKAHEAD`] edges are generated and their permutation slots prefetched
    /// before they are formatted.
    fn piece(&self, range: std::ops::Range<u64>) -> Vec<u8> {
        let mut buf = Vec::with_capacity((range.end - range.start) as usize * 18);
        let mut fmt = itoa::Buffer::new();
        let mut raw = [(0u32, 0u32); LOOKAHEAD];
        let perm = &self.permutation;
        let mut start = range.start;
        while start < range.end {
            let end = (start + LOOKAHEAD as u64).min(range.end);
            let raw = &mut raw[..(end - start) as usize];
            for (k, r) in raw.iter_mut().enumerate() {
                *r = self.unpermuted(start + k as u64);
                crate::cache_hint::prefetch(&perm[r.0 as usize]);
                crate::cache_hint::prefetch(&perm[r.1 as usize]);
            }
            for &(s, d) in raw.iter() {
                buf.extend_from_slice(fmt.format(perm[s as usize]).as_bytes());
                buf.push(b' ');
                buf.extend_from_slice(fmt.format(perm[d as usize]).as_bytes());
                buf.push(b'\n');
            }
            start = end;
        }
        buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_sized_and_skewed() {
        let k = KroneckerParams {
            scale: 10,
            edge_factor: 16,
            seed: 7,
        }
        .check()
        .unwrap();
        assert_eq!((k.num_vertices(), k.num_edges()), (1024, 16384));
        let text = k.write_text(0..k.num_edges());
        assert_eq!(text, k.write_text(0..k.num_edges()));
        assert_eq!(text.iter().filter(|&&c| c == b'\n').count(), 16384);
        // R-MAT skew: the busiest 1% of sources hold far more than 1% of the edges.
        let mut deg = vec![0u32; 1024];
        (0..k.num_edges()).for_each(|i| deg[k.edge(i).0 as usize] += 1);
        deg.sort_unstable_by(|a, b| b.cmp(a));
        let top: u32 = deg[..10].iter().sum();
        assert!(
            top as f64 > 0.08 * 16384.0,
            "top-10 sources hold {top} edges"
        );
        // Permutation: vertex 0 is not systematically the hub.
        let other = KroneckerParams {
            seed: 8,
            ..KroneckerParams {
                scale: 10,
                edge_factor: 16,
                seed: 7,
            }
        }
        .check()
        .unwrap();
        assert_ne!(text, other.write_text(0..other.num_edges()));
    }

    /// The quadrant choice as first written, with fractions: the integer thresholds must
    /// choose the same quadrants, so the same seed keeps giving the same graph.
    fn edge_by_fractions(k: &Kronecker, i: u64) -> (u32, u32) {
        let mut rng = SplitMix(
            k.params.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15)
                ^ i.wrapping_mul(0xd1b5_4a32_d192_ed03),
        );
        let (mut s, mut d) = (0u32, 0u32);
        for _ in 0..k.params.scale {
            let r = (rng.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
            let (sb, db) = if r < A {
                (0, 0)
            } else if r < A + B {
                (0, 1)
            } else if r < A + B + C {
                (1, 0)
            } else {
                (1, 1)
            };
            s = (s << 1) | sb;
            d = (d << 1) | db;
        }
        (k.permutation[s as usize], k.permutation[d as usize])
    }

    #[test]
    fn integer_thresholds_choose_as_the_fractions_do() {
        for (scale, seed) in [(10, 7), (17, 1), (3, 42)] {
            let k = KroneckerParams {
                scale,
                edge_factor: 16,
                seed,
            }
            .check()
            .unwrap();
            let m = k.num_edges().min(200_000);
            for i in 0..m {
                assert_eq!(
                    k.edge(i),
                    edge_by_fractions(&k, i),
                    "scale {scale} edge {i}"
                );
            }
            // The text (pieces, lookahead blocks and their tails) is the edges in order.
            let mut want = String::new();
            for i in 3..m {
                let (s, d) = edge_by_fractions(&k, i);
                want.push_str(&format!("{s} {d}\n"));
            }
            assert_eq!(String::from_utf8(k.write_text(3..m)).unwrap(), want);
        }
        // At the boundaries themselves: a draw equal to ⌈p·2⁵³⌉ is past p, one below is not.
        let scale = (1u64 << 53) as f64;
        for (t, p) in thresholds().into_iter().zip([A, A + B, A + B + C]) {
            assert!((t as f64) / scale >= p && ((t - 1) as f64) / scale < p);
        }
    }

    #[test]
    fn bad_parameters() {
        assert!(KroneckerParams {
            scale: 0,
            ..Default::default()
        }
        .check()
        .is_err());
        assert!(KroneckerParams {
            edge_factor: 0,
            ..Default::default()
        }
        .check()
        .is_err());
    }
}
