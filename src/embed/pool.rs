//! Sentence vectors from token vectors: the mean over the post's real tokens (the attention
//! mask; padding never counts), then L2 normalisation, as sentence-transformers does for
//! all-MiniLM-L6-v2 (`1_Pooling/config.json`: mean tokens; then `Normalize`).

/// Pools one post: `hidden` holds its `width` token vectors of `dim` floats (row-major),
/// of which the first `len` are real; writes the unit-length mean into `out` (`dim` floats).
pub(crate) fn mean_normalized(hidden: &[f32], dim: usize, len: usize, out: &mut [f32]) {
    debug_assert_eq!(out.len(), dim);
    out.fill(0.0);
    for token in hidden.chunks_exact(dim).take(len) {
        for (o, &h) in out.iter_mut().zip(token) {
            *o += h;
        }
    }
    let inv_len = 1.0 / len.max(1) as f32;
    out.iter_mut().for_each(|o| *o *= inv_len);
    let norm = out.iter().map(|&o| o * o).sum::<f32>().sqrt().max(1e-12);
    out.iter_mut().for_each(|o| *o /= norm);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_over_real_tokens_then_unit_length() {
        // Two real tokens and one padding token that must not count.
        let hidden = [1.0, 0.0, 3.0, 4.0, 100.0, 100.0];
        let mut out = [0.0; 2];
        mean_normalized(&hidden, 2, 2, &mut out);
        // mean (2, 2) → (1/√2, 1/√2)
        approx::assert_abs_diff_eq!(out[0], std::f32::consts::FRAC_1_SQRT_2, epsilon = 1e-6);
        approx::assert_abs_diff_eq!(out[1], std::f32::consts::FRAC_1_SQRT_2, epsilon = 1e-6);
    }
}
