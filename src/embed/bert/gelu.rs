//! The exact (erf) GELU of BERT, `x · (1 + erf(x / √2)) / 2`, with a branch-free rational
//! approximation of erf that vectorises (libm's `erff` does not, and was a tenth of the time).
//! The approximation is Eigen's and XLA's single-precision erf: within 5e-7 of the true erf.

/// erf(x) for f32: a 13th-degree odd polynomial over a 8th-degree even one on [-4, 4],
/// where erf is ±1 to single precision outside.
#[inline(always)]
pub(crate) fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = -2.726_142_3e-10_f32;
    for c in [
        2.770_681_4e-8,
        -2.101_024e-6,
        -5.692_506_4e-5,
        -7.349_906_3e-4,
        -2.954_6e-3,
        -1.609_603_3e-2,
    ] {
        p = p * x2 + c;
    }
    let mut q = -1.456_607_2e-5_f32;
    for c in [
        -2.133_740_6e-4,
        -1.682_827e-3,
        -7.373_329_2e-3,
        -1.426_474e-2,
    ] {
        q = q * x2 + c;
    }
    x * p / q
}

/// Adds `bias` to every row of `rows` (rows as long as `bias`), then takes the GELU.
#[inline(always)]
pub(crate) fn gelu_in_place(rows: &mut [f32], bias: &[f32]) {
    for row in rows.chunks_exact_mut(bias.len()) {
        for (x, &b) in row.iter_mut().zip(bias) {
            let v = *x + b;
            *x = 0.5 * v * (1.0 + erf(v * std::f32::consts::FRAC_1_SQRT_2));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::erf64;
    use super::*;

    #[test]
    fn erf_is_within_5e_7_everywhere() {
        for i in -80_000..=80_000 {
            let x = i as f32 * 1e-4;
            let err = (erf(x) as f64 - erf64(x as f64)).abs();
            assert!(err < 5e-7, "erf({x}) off by {err}");
        }
        assert_eq!(erf(0.0), 0.0);
        for (x, want) in [(-30.0, -1.0), (30.0, 1.0)] {
            approx::assert_abs_diff_eq!(erf(x), want, epsilon = 2e-7);
        }
    }

    #[test]
    fn gelu_of_biased_rows_matches_its_definition() {
        let x = [-10.0f32, -3.0, -0.5, 0.0, 0.5, 1.0, 3.0, 10.0];
        let want: Vec<f64> = x
            .iter()
            .map(|&x| 0.5 * x as f64 * (1.0 + erf64(x as f64 / 2f64.sqrt())))
            .collect();
        let bias = [1.0, -1.0, 0.5, 0.0];
        let mut xs: Vec<f32> = x
            .iter()
            .zip(bias.iter().cycle())
            .map(|(x, b)| x - b)
            .collect();
        gelu_in_place(&mut xs, &bias);
        for (g, w) in xs.iter().zip(want) {
            approx::assert_abs_diff_eq!(*g as f64, w, epsilon = 2e-6);
        }
    }
}
