//! Softmax of attention scores, with a branch-free `exp` that vectorises (Cephes' single
//! precision polynomial after reduction by ln 2; within 2 ulp), where libm's `expf` does not.

use super::lanes;

/// e^x for x ≤ 0 (attention scores after subtracting their maximum); below -87.3 it stays at
/// about the smallest normal float instead of going subnormal or zero.
#[inline(always)]
pub(crate) fn exp_nonpositive(x: f32) -> f32 {
    /// 1.5 · 2²³: adding it rounds to the nearest integer, which then sits in the low bits.
    const ROUND: f32 = 12_582_912.0;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    let x = x.clamp(-87.336_54, 0.0);
    let shifted = x * std::f32::consts::LOG2_E + ROUND;
    let n = shifted - ROUND;
    // n as an integer, read from the bits (a float-to-int cast would not vectorise).
    let n_int = shifted.to_bits().wrapping_sub(ROUND.to_bits());
    let r = x - n * LN2_HI - n * LN2_LO;
    let mut p = 1.987_569_1e-4_f32;
    for c in [
        1.398_199_9e-3,
        8.333_452e-3,
        4.166_579_6e-2,
        0.166_666_65,
        0.5,
    ] {
        p = p * r + c;
    }
    let y = p * r * r + r + 1.0;
    y * f32::from_bits(n_int.wrapping_add(127) << 23)
}

/// Replaces `scores` by their softmax (`-∞` scores get a weight of about 1e-38, which does not
/// change the sum of the others: padding to a whole number of vectors costs nothing).
#[inline(always)]
pub(crate) fn softmax_in_place(scores: &mut [f32]) {
    let max = lanes::max(scores);
    lanes::map_in_place(scores, |s| exp_nonpositive(s - max));
    let inv = 1.0 / lanes::sum(scores);
    lanes::map_in_place(scores, |s| s * inv);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_is_within_2_ulp() {
        for i in 0..=870_000 {
            let x = -(i as f32) * 1e-4;
            let (got, want) = (exp_nonpositive(x) as f64, (x as f64).exp());
            let ulp = f32::EPSILON as f64 * want;
            assert!(
                (got - want).abs() <= 2.0 * ulp,
                "exp({x}) = {got}, not {want}"
            );
        }
        assert_eq!(exp_nonpositive(0.0), 1.0);
        let tiny = exp_nonpositive(-1000.0);
        assert!(
            tiny.is_normal() && tiny < 1.0001 * f32::MIN_POSITIVE,
            "{tiny}"
        );
    }

    #[test]
    fn softmax_sums_to_one_and_keeps_the_order() {
        let mut s = [1.0f32, 3.0, -2.0, 3.0, 0.5];
        softmax_in_place(&mut s);
        approx::assert_abs_diff_eq!(s.iter().sum::<f32>(), 1.0, epsilon = 1e-6);
        let e: Vec<f64> = [1.0f64, 3.0, -2.0, 3.0, 0.5]
            .iter()
            .map(|x| (x - 3.0).exp())
            .collect();
        let total: f64 = e.iter().sum();
        for (got, want) in s.iter().zip(&e) {
            approx::assert_relative_eq!(*got as f64, want / total, max_relative = 1e-6);
        }
    }
}
