//! Multi-head self-attention of one post, `softmax(Q·Kᵀ / √d)·V` per head, over the post's own
//! tokens only (posts are not padded, so no mask is needed). Reads the post's rows of the fused
//! `[Q K V]` projection and writes its rows of the context; the inner loops run over contiguous
//! keys (scores) and contiguous head dimensions (context), so they vectorise.

use super::lanes::LANES;
use super::softmax::softmax_in_place;

/// Reusable buffers of one thread's attention, holding one post's queries, keys and values
/// rearranged so that every head reads contiguous memory.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// The queries scaled by `1/√head_dim`: `len` rows of `hidden`.
    queries: Vec<f32>,
    /// The keys transposed: `hidden` rows of `len` floats rounded up to [`LANES`] (zeros after).
    keys_t: Vec<f32>,
    /// The values: `len` rows of `heads` blocks of `head_dim` floats rounded up to [`LANES`].
    values: Vec<f32>,
    /// One query's scores, then its attention weights (the first `len` of them).
    scores: Vec<f32>,
}

impl Scratch {
    /// Copies a post's `[q | k | v]` rows, plus `bias`, into the per-head layouts.
    #[inline(always)]
    fn fill(&mut self, qkv: &[f32], bias: &[f32], hidden: usize, heads: usize) {
        let len = qkv.len() / (3 * hidden);
        let d = hidden / heads;
        let (keys, dims) = (len.next_multiple_of(LANES), d.next_multiple_of(LANES));
        let scale = 1.0 / (d as f32).sqrt();
        self.queries.resize(len * hidden, 0.0);
        self.keys_t.clear();
        self.keys_t.resize(hidden * keys, 0.0);
        self.values.clear();
        self.values.resize(len * heads * dims, 0.0);
        self.scores.resize(keys, 0.0);
        let (q_bias, kv_bias) = bias.split_at(hidden);
        let (k_bias, v_bias) = kv_bias.split_at(hidden);
        let keys_t = &mut self.keys_t[..];
        let rows = qkv.chunks_exact(3 * hidden);
        for (j, (row, queries)) in rows.zip(self.queries.chunks_exact_mut(hidden)).enumerate() {
            let (q, kv) = row.split_at(hidden);
            let (k, v) = kv.split_at(hidden);
            for ((o, &x), &b) in queries.iter_mut().zip(q).zip(q_bias) {
                *o = (x + b) * scale;
            }
            for (c, (&x, &b)) in k.iter().zip(k_bias).enumerate() {
                keys_t[c * keys + j] = x + b;
            }
            let values = &mut self.values[j * heads * dims..][..heads * dims];
            let v_heads = v.chunks_exact(d).zip(v_bias.chunks_exact(d));
            for (o, (v, b)) in values.chunks_exact_mut(dims).zip(v_heads) {
                for ((o, &x), &b) in o.iter_mut().zip(v).zip(b) {
                    *o = x + b;
                }
            }
        }
    }
}

/// The shape of multi-head attention.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Heads {
    /// Hidden size, all heads together.
    pub(crate) hidden: usize,
    /// Number of heads (dividing `hidden`).
    pub(crate) count: usize,
}

/// Attention of a post of `len = qkv.len() / (3·hidden)` tokens; `qkv` holds its rows
/// `[q | k | v]` (`3·hidden` floats each) without their `bias` (`3·hidden` floats, added here),
/// `ctx` receives `len` rows of `hidden`.
#[inline(always)]
pub(crate) fn attend(qkv: &[f32], bias: &[f32], heads: Heads, ctx: &mut [f32], s: &mut Scratch) {
    let Heads {
        hidden,
        count: heads,
    } = heads;
    let len = qkv.len() / (3 * hidden);
    let d = hidden / heads;
    debug_assert_eq!(ctx.len(), len * hidden);
    let (keys, dims) = (len.next_multiple_of(LANES), d.next_multiple_of(LANES));
    s.fill(qkv, bias, hidden, heads);
    for h in 0..heads {
        let keys_t = &s.keys_t[h * d * keys..][..d * keys];
        let rows = s
            .queries
            .chunks_exact(hidden)
            .zip(ctx.chunks_exact_mut(hidden));
        for (query, out) in rows {
            let query = &query[h * d..][..d];
            let (scores, _) = s.scores.as_chunks_mut::<LANES>();
            for (j0, chunk) in scores.iter_mut().enumerate() {
                let keys = keys_t
                    .chunks_exact(keys)
                    .map(|k| &k.as_chunks::<LANES>().0[j0]);
                *chunk = weighted_sum(query, keys);
            }
            s.scores[len..].fill(f32::NEG_INFINITY);
            softmax_in_place(&mut s.scores);
            let weights = &s.scores[..len];
            for (c0, out) in out[h * d..][..d].chunks_mut(LANES).enumerate() {
                let at = h * dims / LANES + c0;
                let values = s
                    .values
                    .chunks_exact(heads * dims)
                    .map(|v| &v.as_chunks::<LANES>().0[at]);
                let sum = weighted_sum(weights, values);
                out.copy_from_slice(&sum[..out.len()]);
            }
        }
    }
}

/// `Σᵢ weights[i] · rows[i]`, in four interleaved partial sums (four independent chains of
/// additions keep the vector units busy), added up in a fixed order.
#[inline(always)]
fn weighted_sum<'a>(
    weights: &[f32],
    mut rows: impl Iterator<Item = &'a [f32; LANES]>,
) -> [f32; LANES] {
    let mut acc = [[0f32; LANES]; 4];
    let mut next = || rows.next().expect("a row per weight");
    let quads = weights.chunks_exact(4);
    let tail = quads.remainder();
    for w in quads {
        let [a0, a1, a2, a3] = &mut acc;
        add_scaled(a0, w[0], next());
        add_scaled(a1, w[1], next());
        add_scaled(a2, w[2], next());
        add_scaled(a3, w[3], next());
    }
    for &w in tail {
        add_scaled(&mut acc[0], w, next());
    }
    let [a0, a1, a2, a3] = acc;
    let mut total = [0f32; LANES];
    for l in 0..LANES {
        total[l] = (a0[l] + a1[l]) + (a2[l] + a3[l]);
    }
    total
}

/// `acc += w · row`.
#[inline(always)]
fn add_scaled(acc: &mut [f32; LANES], w: f32, row: &[f32; LANES]) {
    for l in 0..LANES {
        acc[l] += w * row[l];
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::reference_attention;
    use super::*;

    #[test]
    fn matches_the_textbook_formula() {
        let (hidden, heads, len) = (8, 2, 5);
        let qkv: Vec<f32> = (0..len * 3 * hidden)
            .map(|i| ((i * 37 % 23) as f32 - 11.0) / 7.0)
            .collect();
        let bias: Vec<f32> = (0..3 * hidden).map(|i| (i % 5) as f32 / 10.0).collect();
        let part = |p: usize| -> Vec<Vec<f64>> {
            let rows = qkv.chunks_exact(3 * hidden);
            let at = p * hidden..(p + 1) * hidden;
            rows.map(|r| at.clone().map(|c| (r[c] + bias[c]) as f64).collect())
                .collect()
        };
        let want = reference_attention(&part(0), &part(1), &part(2), heads);
        let mut ctx = vec![0.0; len * hidden];
        let shape = Heads {
            hidden,
            count: heads,
        };
        attend(&qkv, &bias, shape, &mut ctx, &mut Scratch::default());
        for (got, want) in ctx.iter().zip(want.iter().flatten()) {
            approx::assert_abs_diff_eq!(*got as f64, want, epsilon = 1e-5);
        }
    }
}
