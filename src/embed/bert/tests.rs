//! The encoder against a textbook BERT forward pass in f64 on a small random model: several
//! posts of different lengths in one unpadded batch, through every instruction-set path the
//! CPU has (the portable one always).

use super::*;
use crate::rng::SplitMix;

/// Hidden 24 in 4 heads of 6 (not a multiple of the 16 lanes, so padding paths run), 2 layers.
const HIDDEN: usize = 24;
const HEADS: usize = 4;
const INNER: usize = 40;
const VOCAB: usize = 50;
const POSITIONS: usize = 32;

/// `n` pseudo-random floats in [-scale, scale).
fn random(r: &mut SplitMix, n: usize, scale: f32) -> Vec<f32> {
    (0..n)
        .map(|_| ((r.unit() * 2.0 - 1.0) as f32) * scale)
        .collect()
}

/// A dense layer as (weight `[outputs, inputs]`, bias) and a norm as (weight, bias).
type Dense = (Vec<f32>, Vec<f32>);

struct Weights {
    words: Vec<f32>,
    positions: Vec<f32>,
    token_type: Vec<f32>,
    embedding_norm: Dense,
    /// Per layer: q, k, v, attention out, attention norm, up, down, output norm.
    layers: Vec<[Dense; 8]>,
}

fn random_weights() -> Weights {
    let mut r = SplitMix(7);
    let mut dense = |o: usize, i: usize| (random(&mut r, o * i, 0.4), random(&mut r, o, 0.1));
    let layers = (0..2)
        .map(|_| {
            [
                dense(HIDDEN, HIDDEN),
                dense(HIDDEN, HIDDEN),
                dense(HIDDEN, HIDDEN),
                dense(HIDDEN, HIDDEN),
                (
                    dense(1, HIDDEN).0.iter().map(|w| 1.0 + w).collect(),
                    dense(HIDDEN, 1).1,
                ),
                dense(INNER, HIDDEN),
                dense(HIDDEN, INNER),
                (
                    dense(1, HIDDEN).0.iter().map(|w| 1.0 + w).collect(),
                    dense(HIDDEN, 1).1,
                ),
            ]
        })
        .collect();
    let mut r = SplitMix(11);
    Weights {
        words: random(&mut r, VOCAB * HIDDEN, 1.0),
        positions: random(&mut r, POSITIONS * HIDDEN, 0.5),
        token_type: random(&mut r, HIDDEN, 0.2),
        embedding_norm: (
            random(&mut r, HIDDEN, 0.2)
                .iter()
                .map(|w| 1.0 + w)
                .collect(),
            random(&mut r, HIDDEN, 0.1),
        ),
        layers,
    }
}

fn model(w: &Weights) -> Bert {
    let norm = |d: &Dense| LayerNorm::new(d.0.clone(), d.1.clone(), 1e-12);
    let linear = |d: &Dense| Linear::new(&d.0, d.1.clone());
    Bert {
        hidden: HIDDEN,
        heads: HEADS,
        words: w.words.clone(),
        positions: w.positions.clone(),
        token_type: w.token_type.clone(),
        embedding_norm: norm(&w.embedding_norm),
        layers: w
            .layers
            .iter()
            .map(|[q, k, v, o, n1, up, down, n2]| Layer {
                qkv: Linear::concat(&[(&q.0, &q.1), (&k.0, &k.1), (&v.0, &v.1)]),
                attention_out: linear(o),
                attention_norm: norm(n1),
                up: linear(up),
                down: linear(down),
                output_norm: norm(n2),
            })
            .collect(),
    }
}

/// One post through BERT in f64, as `scripts/reference/embeddings_reference.py` computes it.
fn reference(w: &Weights, ids: &[u32]) -> Vec<Vec<f64>> {
    let f = |v: &[f32]| v.iter().map(|&x| x as f64).collect::<Vec<f64>>();
    let dense = |x: &[Vec<f64>], d: &Dense| -> Vec<Vec<f64>> {
        let inputs = x[0].len();
        x.iter()
            .map(|row| {
                (d.1.iter().enumerate())
                    .map(|(o, &b)| {
                        b as f64
                            + (0..inputs)
                                .map(|i| d.0[o * inputs + i] as f64 * row[i])
                                .sum::<f64>()
                    })
                    .collect()
            })
            .collect()
    };
    let norm = |x: &mut [Vec<f64>], d: &Dense| {
        for row in x {
            let n = row.len() as f64;
            let mean = row.iter().sum::<f64>() / n;
            let var = row.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
            for (i, v) in row.iter_mut().enumerate() {
                *v = (*v - mean) / (var + 1e-12).sqrt() * d.0[i] as f64 + d.1[i] as f64;
            }
        }
    };
    let mut x: Vec<Vec<f64>> = ids
        .iter()
        .enumerate()
        .map(|(p, &id)| {
            let (word, pos) = (
                f(&w.words[id as usize * HIDDEN..][..HIDDEN]),
                f(&w.positions[p * HIDDEN..][..HIDDEN]),
            );
            (0..HIDDEN)
                .map(|i| word[i] + pos[i] + w.token_type[i] as f64)
                .collect()
        })
        .collect();
    norm(&mut x, &w.embedding_norm);
    for [q, k, v, o, n1, up, down, n2] in &w.layers {
        let ctx = reference_attention(&dense(&x, q), &dense(&x, k), &dense(&x, v), HEADS);
        let a = dense(&ctx, o);
        x.iter_mut()
            .zip(&a)
            .for_each(|(x, a)| x.iter_mut().zip(a).for_each(|(x, a)| *x += a));
        norm(&mut x, n1);
        let inner: Vec<Vec<f64>> = dense(&x, up)
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|v| 0.5 * v * (1.0 + erf64(v / 2f64.sqrt())))
                    .collect()
            })
            .collect();
        let out = dense(&inner, down);
        x.iter_mut()
            .zip(&out)
            .for_each(|(x, a)| x.iter_mut().zip(a).for_each(|(x, a)| *x += a));
        norm(&mut x, n2);
    }
    x
}

/// Multi-head attention in f64 from the rows of Q, K and V: `softmax(Q·Kᵀ/√d)·V` per head.
pub(super) fn reference_attention(
    q: &[Vec<f64>],
    k: &[Vec<f64>],
    v: &[Vec<f64>],
    heads: usize,
) -> Vec<Vec<f64>> {
    let (len, hidden) = (q.len(), q[0].len());
    let d = hidden / heads;
    let mut ctx = vec![vec![0.0; hidden]; len];
    for h in 0..heads {
        let cols = h * d..(h + 1) * d;
        for i in 0..len {
            let dot = |j: usize| cols.clone().map(|c| q[i][c] * k[j][c]).sum::<f64>();
            let s: Vec<f64> = (0..len).map(|j| dot(j) / (d as f64).sqrt()).collect();
            let max = s.iter().cloned().fold(f64::MIN, f64::max);
            let e: Vec<f64> = s.iter().map(|s| (s - max).exp()).collect();
            let total: f64 = e.iter().sum();
            for c in cols.clone() {
                ctx[i][c] = (0..len).map(|j| e[j] / total * v[j][c]).sum();
            }
        }
    }
    ctx
}

/// erf in f64, to 1e-15 (a series of positive terms, so nothing cancels; ±1 beyond 6).
pub(super) fn erf64(x: f64) -> f64 {
    if x.abs() > 6.0 {
        return x.signum();
    }
    // erf(x) = 2/√π · e^(-x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), all terms positive.
    let (mut term, mut total) = (x, x);
    for n in 1..400 {
        term *= 2.0 * x * x / (2 * n + 1) as f64;
        total += term;
    }
    2.0 / std::f64::consts::PI.sqrt() * (-x * x).exp() * total
}

/// Posts of 1, 5, 20 and 17 tokens, laid out one after another.
fn posts() -> (Vec<u32>, Vec<usize>) {
    let lens = vec![1, 5, 20, 17];
    let ids = (0..lens.iter().sum::<usize>())
        .map(|i| (i * 7 % VOCAB) as u32)
        .collect();
    (ids, lens)
}

fn assert_matches_reference(got: &[f32], w: &Weights, ids: &[u32], lens: &[usize], path: &str) {
    let mut at = 0;
    for &len in lens {
        let want = reference(w, &ids[at..at + len]);
        for (t, row) in want.iter().enumerate() {
            for (c, &v) in row.iter().enumerate() {
                let g = got[(at + t) * HIDDEN + c] as f64;
                assert!(
                    (g - v).abs() < 1e-4,
                    "{path}: post at {at}, token {t}, dim {c}: {g} vs {v}"
                );
            }
        }
        at += len;
    }
}

#[test]
fn every_path_matches_the_f64_reference() {
    let w = random_weights();
    let bert = model(&w);
    let (ids, lens) = posts();
    let mut ws = Workspace::default();
    bert.encode_inline(&ids, &lens, &mut ws);
    assert_matches_reference(&ws.x, &w, &ids, &lens, "portable");
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        if has!("avx2") && has!("fma") {
            // SAFETY: checked just above.
            unsafe { bert.encode_avx2(&ids, &lens, &mut ws) };
            assert_matches_reference(&ws.x, &w, &ids, &lens, "avx2");
        }
        if has!("avx2") && has!("fma") && has!("avx512f") {
            // SAFETY: checked just above.
            unsafe { bert.encode_avx512(&ids, &lens, &mut ws) };
            assert_matches_reference(&ws.x, &w, &ids, &lens, "avx512");
        }
    }
}

#[test]
fn a_post_s_states_do_not_depend_on_its_batch() {
    let bert = model(&random_weights());
    let (ids, lens) = posts();
    let mut ws = Workspace::default();
    let batched = bert.encode(&ids, &lens, &mut ws).to_vec();
    let mut at = 0;
    for &len in &lens {
        let alone = bert.encode(&ids[at..at + len], &[len], &mut ws);
        for (a, b) in alone.iter().zip(&batched[at * HIDDEN..]) {
            approx::assert_abs_diff_eq!(a, b, epsilon = 1e-5);
        }
        at += len;
    }
    assert!(bert.encode(&[], &[], &mut ws).is_empty());
}
