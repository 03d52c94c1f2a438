//! Layer normalisation of each token vector: `(x - mean) / √(variance + eps) · weight + bias`,
//! with the variance about the mean (two passes, as the reference computes it).

use super::lanes;

/// A layer norm's learned scale and shift over `weight.len()` features.
#[derive(Debug)]
pub(crate) struct LayerNorm {
    weight: Vec<f32>,
    bias: Vec<f32>,
    eps: f32,
}

impl LayerNorm {
    /// From the weight and bias vectors (equally long) and epsilon.
    pub(crate) fn new(weight: Vec<f32>, bias: Vec<f32>, eps: f32) -> Self {
        assert_eq!(
            weight.len(),
            bias.len(),
            "layer norm weight and bias lengths"
        );
        LayerNorm { weight, bias, eps }
    }

    /// Normalises every row of `rows` (row-major, `weight.len()` floats each) in place.
    #[inline(always)]
    pub(crate) fn apply(&self, rows: &mut [f32]) {
        for row in rows.chunks_exact_mut(self.weight.len()) {
            self.normalize(row);
        }
    }

    /// `rows = norm(rows + bias + residual)`, row by row (`bias` as long as a row, `residual`
    /// as long as `rows`): a sublayer's output with its bias, the residual connection, then
    /// the norm, in one pass.
    #[inline(always)]
    pub(crate) fn apply_residual(&self, rows: &mut [f32], bias: &[f32], residual: &[f32]) {
        let n = self.weight.len();
        assert!(
            bias.len() == n && residual.len() == rows.len(),
            "residual shapes"
        );
        for (row, res) in rows.chunks_exact_mut(n).zip(residual.chunks_exact(n)) {
            for ((x, &b), &r) in row.iter_mut().zip(bias).zip(res) {
                *x = r + (*x + b);
            }
            self.normalize(row);
        }
    }

    /// Normalises one row.
    #[inline(always)]
    fn normalize(&self, row: &mut [f32]) {
        let n = row.len() as f32;
        let mean = lanes::sum(row) / n;
        let var = lanes::sum_by(row, |x| (x - mean) * (x - mean)) / n;
        let inv = 1.0 / (var + self.eps).sqrt();
        for ((x, &w), &b) in row.iter_mut().zip(&self.weight).zip(&self.bias) {
            *x = (*x - mean) * inv * w + b;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_get_zero_mean_unit_variance_then_scale_and_shift() {
        let norm = LayerNorm::new(vec![1.0, 1.0, 2.0], vec![0.0, 0.0, 1.0], 1e-12);
        // The sums of rows, bias and residual below: [1, 2, 3] and [5, 5, 5].
        let mut rows = [0.0, 0.0, 0.0, 2.5, 2.0, 1.5];
        let residual = [0.5, 1.0, 1.5, 2.0, 2.0, 2.0];
        norm.apply_residual(&mut rows, &[0.5, 1.0, 1.5], &residual);
        let s = (1.5f32).sqrt();
        let want = [-s, 0.0, 2.0 * s + 1.0, 0.0, 0.0, 1.0];
        for (got, want) in rows.iter().zip(want) {
            approx::assert_abs_diff_eq!(*got, want, epsilon = 1e-5);
        }
    }
}
