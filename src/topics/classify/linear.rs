//! The two trainers, both producing a linear scorer `z = x·W + b` over sparse TF-IDF rows
//! (weights dense, features × labels, so that scoring a sparse text reads one short row per
//! feature):
//!
//! - multinomial naive Bayes with Laplace/Lidstone smoothing `alpha`: for single-label data
//!   the usual multi-class model (`W[f,c] = ln θ_cf`, `b_c = ln P(c)`, softmax link); for
//!   multi-label data one binary "label vs the rest" model per label (`W = ln θ_cf − ln θ_¬c,f`,
//!   `b = ln P(c) − ln P(¬c)`, sigmoid link);
//! - L2-regularised logistic regression, one binary model per label (one-vs-rest), minimising
//!   `½‖w‖² + C Σ log(1 + e^(−y z))` (bias unregularised, as scikit-learn's lbfgs solver) with
//!   L-BFGS from zero (no randomness; labels are trained in parallel, each sequentially, so
//!   the result is the same on any thread count).

use ndarray::{Array1, Array2};
use rayon::prelude::*;
use sprs::CsMat;

use crate::cache_hint::prefetch;

/// How logits become scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Link {
    /// Independent per-label probabilities `σ(z_l)`.
    Sigmoid,
    /// One distribution over labels.
    Softmax,
}

/// Weights (features × labels), biases and link.
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    pub weights: Array2<f32>,
    pub bias: Array1<f32>,
    pub link: Link,
}

/// Labels scored together by [`Linear::logits`]: their running sums stay in registers
/// while the row's features go by (8 vectors of 4, or 4 of 8).
const LABEL_BLOCK: usize = 32;

impl Linear {
    /// Logits of one sparse row into `out` (length = labels): `b_l + Σ v_f · W[f, l]`, added
    /// in row order for each label, so exactly [`Linear::logits_reference`]'s values. Label
    /// blocks of [`LABEL_BLOCK`] keep their sums in registers across the row's features,
    /// instead of loading and storing every label's sum once per feature.
    pub fn logits(&self, row: &[(u32, f32)], out: &mut Vec<f32>) {
        let Some(weights) = self.weights.as_slice() else {
            return self.logits_reference(row, out);
        };
        let labels = self.bias.len();
        out.clear();
        out.extend(self.bias.iter().copied());
        let (full, part) = out.as_chunks_mut::<LABEL_BLOCK>();
        fetch_block(weights, labels, 0, row);
        for (b, sums) in full.iter_mut().enumerate() {
            // The next block's weights load while this one's are added.
            fetch_block(weights, labels, (b + 1) * LABEL_BLOCK, row);
            add_block(sums, weights, labels, b * LABEL_BLOCK, row);
        }
        add_part(part, weights, labels, labels - part.len(), row);
    }

    /// The sequential twin of [`Linear::logits`]: one pass over all labels per feature.
    pub fn logits_reference(&self, row: &[(u32, f32)], out: &mut Vec<f32>) {
        out.clear();
        out.extend(self.bias.iter().copied());
        for &(f, v) in row {
            let w = self.weights.row(f as usize);
            for (o, &wv) in out.iter_mut().zip(w.iter()) {
                *o += v * wv;
            }
        }
    }
}

/// Prefetches `W[f, start..start + LABEL_BLOCK]` for each feature `f` of `row` (the part
/// of it below `labels`; a cache line holds 16 weights).
#[inline]
fn fetch_block(weights: &[f32], labels: usize, start: usize, row: &[(u32, f32)]) {
    let end = (start + LABEL_BLOCK).min(labels);
    for &(f, _) in row {
        let at = f as usize * labels;
        for col in (start..end).step_by(16) {
            if let Some(w) = weights.get(at + col) {
                prefetch(w);
            }
        }
    }
}

/// Adds `v · W[f, start..start + LABEL_BLOCK]` for each `(f, v)` of `row` to `sums`
/// (`weights` row-major with `labels` columns).
#[inline]
fn add_block(
    sums: &mut [f32; LABEL_BLOCK],
    weights: &[f32],
    labels: usize,
    start: usize,
    row: &[(u32, f32)],
) {
    let mut acc = *sums;
    for &(f, v) in row {
        let at = f as usize * labels + start;
        let w: &[f32; LABEL_BLOCK] = weights[at..at + LABEL_BLOCK]
            .try_into()
            .expect("a whole block");
        for (a, &wv) in acc.iter_mut().zip(w) {
            *a += v * wv;
        }
    }
    *sums = acc;
}

/// [`add_block`] for the last, shorter block.
fn add_part(sums: &mut [f32], weights: &[f32], labels: usize, start: usize, row: &[(u32, f32)]) {
    let len = sums.len();
    for &(f, v) in row {
        let at = f as usize * labels + start;
        for (a, &wv) in sums.iter_mut().zip(&weights[at..at + len]) {
            *a += v * wv;
        }
    }
}

/// Logistic function.
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// `ln(1 + e^m)` without overflow.
fn softplus(m: f64) -> f64 {
    if m > 0.0 {
        m + (-m).exp().ln_1p()
    } else {
        m.exp().ln_1p()
    }
}

/// Membership matrix: `y[d][l]` is true when document `d` has label `l`.
pub fn membership(labels: usize, docs: &[Vec<u32>]) -> Vec<Vec<bool>> {
    docs.iter()
        .map(|ls| {
            let mut v = vec![false; labels];
            for &l in ls {
                v[l as usize] = true;
            }
            v
        })
        .collect()
}

/// Multinomial naive Bayes (see the module docs); `single` picks the multi-class model.
pub fn train_nb(
    x: &CsMat<f32>,
    y: &[Vec<bool>],
    labels: usize,
    alpha: f64,
    single: bool,
) -> Linear {
    let d = x.cols();
    let n = x.rows() as f64;
    // Per-label feature mass, and the total mass.
    let mut mass = vec![vec![0f64; d]; labels];
    let mut total = vec![0f64; d];
    let mut docs = vec![0f64; labels];
    for (r, row) in x.outer_iterator().enumerate() {
        for (c, &v) in row.iter() {
            total[c] += f64::from(v);
        }
        for (l, &on) in y[r].iter().enumerate() {
            if on {
                docs[l] += 1.0;
                for (c, &v) in row.iter() {
                    mass[l][c] += f64::from(v);
                }
            }
        }
    }
    let log_theta = |m: &[f64]| -> Vec<f64> {
        let sum: f64 = m.iter().sum::<f64>() + alpha * d as f64;
        m.iter().map(|&v| ((v + alpha) / sum).ln()).collect()
    };
    let mut weights = Array2::zeros((d, labels));
    let mut bias = Array1::zeros(labels);
    for l in 0..labels {
        let on = log_theta(&mass[l]);
        let prior = ((docs[l] + 1.0) / (n + labels as f64)).ln();
        if single {
            for f in 0..d {
                weights[[f, l]] = on[f] as f32;
            }
            bias[l] = prior as f32;
        } else {
            let rest: Vec<f64> = total.iter().zip(&mass[l]).map(|(t, m)| t - m).collect();
            let off = log_theta(&rest);
            for f in 0..d {
                weights[[f, l]] = (on[f] - off[f]) as f32;
            }
            let p = (docs[l] + 1.0) / (n + 2.0);
            bias[l] = (p.ln() - (1.0 - p).ln()) as f32;
        }
    }
    Linear {
        weights,
        bias,
        link: if single { Link::Softmax } else { Link::Sigmoid },
    }
}

/// One-vs-rest L2 logistic regression with inverse regularisation `c`.
pub fn train_lr(x: &CsMat<f32>, y: &[Vec<bool>], labels: usize, c: f64) -> Linear {
    let per_label: Vec<(Vec<f64>, f64)> = (0..labels)
        .into_par_iter()
        .map(|l| {
            let t: Vec<f64> = y.iter().map(|ys| f64::from(u8::from(ys[l]))).collect();
            binary_lr(x, &t, c)
        })
        .collect();
    let d = x.cols();
    let mut weights = Array2::zeros((d, labels));
    let mut bias = Array1::zeros(labels);
    for (l, (w, b)) in per_label.iter().enumerate() {
        for f in 0..d {
            weights[[f, l]] = w[f] as f32;
        }
        bias[l] = *b as f32;
    }
    Linear {
        weights,
        bias,
        link: Link::Sigmoid,
    }
}

/// Objective and gradient of binary L2 logistic regression at `theta = [w; b]`.
fn objective(x: &CsMat<f32>, t: &[f64], c: f64, theta: &[f64], grad: &mut [f64]) -> f64 {
    let d = x.cols();
    let (w, b) = (&theta[..d], theta[d]);
    let mut f = 0.5 * w.iter().map(|v| v * v).sum::<f64>();
    grad[..d].copy_from_slice(w);
    grad[d] = 0.0;
    for (r, row) in x.outer_iterator().enumerate() {
        let z = b + row
            .iter()
            .map(|(col, &v)| w[col] * f64::from(v))
            .sum::<f64>();
        let y = 2.0 * t[r] - 1.0;
        f += c * softplus(-y * z);
        let p = 1.0 / (1.0 + (-z).exp());
        let g = c * (p - t[r]);
        for (col, &v) in row.iter() {
            grad[col] += g * f64::from(v);
        }
        grad[d] += g;
    }
    f
}

/// L-BFGS (memory 10, Armijo backtracking) from zero; returns `(w, b)`.
fn binary_lr(x: &CsMat<f32>, t: &[f64], c: f64) -> (Vec<f64>, f64) {
    const MEMORY: usize = 10;
    const MAX_ITER: usize = 200;
    let n = x.cols() + 1;
    let mut theta = vec![0f64; n];
    let mut grad = vec![0f64; n];
    let mut f = objective(x, t, c, &theta, &mut grad);
    let scale = grad.iter().fold(0f64, |m, g| m.max(g.abs())).max(1e-12);
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut trial = vec![0f64; n];
    let mut trial_grad = vec![0f64; n];
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    for _ in 0..MAX_ITER {
        if grad.iter().fold(0f64, |m, g| m.max(g.abs())) < 1e-5 * scale {
            break;
        }
        // Two-loop recursion: dir = −H·grad.
        let mut q = grad.clone();
        let mut alphas = vec![0f64; s_hist.len()];
        for i in (0..s_hist.len()).rev() {
            let rho = 1.0 / dot(&y_hist[i], &s_hist[i]);
            alphas[i] = rho * dot(&s_hist[i], &q);
            q.iter_mut()
                .zip(&y_hist[i])
                .for_each(|(qv, yv)| *qv -= alphas[i] * yv);
        }
        let gamma = match (s_hist.last(), y_hist.last()) {
            (Some(s), Some(y)) => dot(s, y) / dot(y, y),
            _ => 1.0 / grad.iter().map(|g| g * g).sum::<f64>().sqrt().max(1e-12),
        };
        q.iter_mut().for_each(|v| *v *= gamma);
        for i in 0..s_hist.len() {
            let rho = 1.0 / dot(&y_hist[i], &s_hist[i]);
            let beta = rho * dot(&y_hist[i], &q);
            q.iter_mut()
                .zip(&s_hist[i])
                .for_each(|(qv, sv)| *qv += (alphas[i] - beta) * sv);
        }
        let dir: Vec<f64> = q.iter().map(|v| -v).collect();
        let slope = dot(&grad, &dir);
        if slope >= 0.0 {
            // Not a descent direction: restart from steepest descent.
            s_hist.clear();
            y_hist.clear();
            continue;
        }
        let mut step = 1.0;
        let mut accepted = false;
        for _ in 0..30 {
            for i in 0..n {
                trial[i] = theta[i] + step * dir[i];
            }
            let ft = objective(x, t, c, &trial, &mut trial_grad);
            if ft <= f + 1e-4 * step * slope {
                let s: Vec<f64> = (0..n).map(|i| trial[i] - theta[i]).collect();
                let y: Vec<f64> = (0..n).map(|i| trial_grad[i] - grad[i]).collect();
                let decrease = f - ft;
                std::mem::swap(&mut theta, &mut trial);
                std::mem::swap(&mut grad, &mut trial_grad);
                f = ft;
                if dot(&s, &y) > 1e-12 {
                    if s_hist.len() == MEMORY {
                        s_hist.remove(0);
                        y_hist.remove(0);
                    }
                    s_hist.push(s);
                    y_hist.push(y);
                }
                accepted = decrease > 1e-10 * f.abs().max(1.0);
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            break;
        }
    }
    let b = theta[n - 1];
    theta.truncate(n - 1);
    (theta, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprs::TriMat;

    fn dense(rows: &[&[f32]]) -> CsMat<f32> {
        let mut t = TriMat::new((rows.len(), rows[0].len()));
        for (r, row) in rows.iter().enumerate() {
            for (c, &v) in row.iter().enumerate() {
                if v != 0.0 {
                    t.add_triplet(r, c, v);
                }
            }
        }
        t.to_csr()
    }

    #[test]
    fn logistic_regression_matches_scikit_learn() {
        // sklearn.linear_model.LogisticRegression(C=1.0) (lbfgs, tol 1e-8) on this data gives
        // coef [[0.535723, -0.676471]], intercept [-0.349464] (run once by hand).
        let x = dense(&[
            &[1.0, 0.0],
            &[0.8, 0.2],
            &[0.0, 1.0],
            &[0.3, 0.9],
            &[0.6, 0.6],
        ]);
        let y: Vec<Vec<bool>> = [true, true, false, false, false]
            .iter()
            .map(|&b| vec![b])
            .collect();
        let m = train_lr(&x, &y, 1, 1.0);
        assert!(
            (m.weights[[0, 0]] - 0.535723).abs() < 1e-3,
            "{:?}",
            m.weights
        );
        assert!(
            (m.weights[[1, 0]] + 0.676471).abs() < 1e-3,
            "{:?}",
            m.weights
        );
        assert!((m.bias[0] + 0.349464).abs() < 1e-3, "{:?}", m.bias);
    }

    /// A hand-made model of `labels` labels over 7 features, weights spanning magnitudes.
    fn hand_made(labels: usize) -> Linear {
        let weights = Array2::from_shape_fn((7, labels), |(f, l)| {
            let x = ((f * 131 + l * 31) % 97) as f32 - 48.0;
            x * 10f32.powi((f + l) as i32 % 7 - 3)
        });
        let bias = Array1::from_shape_fn(labels, |l| 0.1 * l as f32 - 3.0);
        Linear {
            weights,
            bias,
            link: Link::Sigmoid,
        }
    }

    #[test]
    fn blocked_scorer_gives_exactly_the_reference_logits() {
        let rows: [&[(u32, f32)]; 4] = [
            &[],
            &[(3, 1.0)],
            &[(0, 0.31), (2, 0.5), (5, 0.77), (6, 0.11)],
            &[(6, 0.2), (1, 0.9), (4, 0.333), (1, 0.1)],
        ];
        for labels in [1, 5, 31, 32, 33, 64, 190, 200] {
            let m = hand_made(labels);
            let (mut got, mut want) = (Vec::new(), Vec::new());
            for row in rows {
                m.logits(row, &mut got);
                m.logits_reference(row, &mut want);
                let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&got), bits(&want), "{labels} labels, row {row:?}");
            }
        }
        // A column-major copy (not one slice per row) takes the reference path.
        let m = hand_made(40);
        let mut t = m.clone();
        t.weights = m.weights.t().as_standard_layout().t().to_owned();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        t.logits(rows[2], &mut a);
        m.logits_reference(rows[2], &mut b);
        assert_eq!(a, b);
    }

    #[test]
    fn naive_bayes_by_hand() {
        // Two classes, two features; alpha 1.
        // class 0 mass (3, 1) → θ = (4/6, 2/6); class 1 mass (0, 2) → θ = (1/4, 3/4).
        let x = dense(&[&[2.0, 1.0], &[1.0, 0.0], &[0.0, 2.0]]);
        let y = membership(2, &[vec![0], vec![0], vec![1]]);
        let m = train_nb(&x, &y, 2, 1.0, true);
        assert!((m.weights[[0, 0]] - (4f32 / 6.0).ln()).abs() < 1e-6);
        assert!((m.weights[[1, 1]] - (3f32 / 4.0).ln()).abs() < 1e-6);
        // Priors with add-one: (2+1)/(3+2), (1+1)/(3+2).
        assert!((m.bias[0] - 0.6f32.ln()).abs() < 1e-6);
        assert_eq!(m.link, Link::Softmax);
        let mut z = Vec::new();
        m.logits(&[(1, 1.0)], &mut z);
        assert!(z[1] > z[0]);
        let ovr = train_nb(&x, &y, 2, 1.0, false);
        // Label 1 vs rest: rest mass = class 0's → W[1,1] = ln(3/4) − ln(2/6).
        assert!((ovr.weights[[1, 1]] - ((0.75f32).ln() - (2f32 / 6.0).ln())).abs() < 1e-6);
    }
}
