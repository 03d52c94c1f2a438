//! The Graph500 Kronecker (R-MAT) generator: `edge_factor · 2^scale` directed edges, each placed
//! by `scale` recursive choices of a quadrant with probabilities a = 0.57, b = 0.19, c = 0.19,
//! d = 0.05, then vertex ids permuted at random so that id order says nothing about degree.
//! Every edge draws from its own counter-based random stream, so the output is the same for any
//! thread count. Duplicates and self-loops are kept, as in Graph500; the graph builder merges
//! and drops them.

use rayon::prelude::*;

use crate::error::{Error, Result};
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
}

const A: f64 = 0.57;
const B: f64 = 0.19;
const C: f64 = 0.19;

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
        let mut rng = SplitMix(
            self.params.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15)
                ^ i.wrapping_mul(0xd1b5_4a32_d192_ed03),
        );
        let (mut s, mut d) = (0u32, 0u32);
        for _ in 0..self.params.scale {
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
        (self.permutation[s as usize], self.permutation[d as usize])
    }

    /// Edges `range` as `src dst` text lines, formatted in parallel.
    pub fn write_text(&self, range: std::ops::Range<u64>) -> Vec<u8> {
        const PIECE: u64 = 1 << 16;
        let pieces: Vec<Vec<u8>> = (range.start..range.end)
            .step_by(PIECE as usize)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|start| {
                let mut buf = Vec::with_capacity(PIECE as usize * 18);
                let mut fmt = itoa::Buffer::new();
                for i in start..(start + PIECE).min(range.end) {
                    let (s, d) = self.edge(i);
                    buf.extend_from_slice(fmt.format(s).as_bytes());
                    buf.push(b' ');
                    buf.extend_from_slice(fmt.format(d).as_bytes());
                    buf.push(b'\n');
                }
                buf
            })
            .collect();
        pieces.concat()
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
