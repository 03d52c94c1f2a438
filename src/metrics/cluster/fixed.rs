//! Exact sums of non-negative floats in fixed point (units of 2^-80 in an `i128`), so that a
//! global sum (dangling mass, L1 change) is the same whatever the number of workers and the
//! order their partial sums arrive in: integer addition is associative. Each term is truncated
//! to a multiple of 2^-80 (≈ 8e-25), far below the 1e-12 the results are held to.

/// Fraction bits.
const SCALE: i32 = 80;

/// `x` (finite, `0 ≤ x < 2^40`) in units of 2^-SCALE, truncated.
#[inline]
pub(super) fn to_fixed(x: f64) -> i128 {
    debug_assert!(x.is_finite() && (0.0..(1u64 << 40) as f64).contains(&x));
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        return 0;
    }
    let mant = ((bits & ((1u64 << 52) - 1)) | (1u64 << 52)) as i128;
    let shift = exp - 1075 + SCALE;
    if shift >= 0 {
        mant << shift.min(74)
    } else if shift > -64 {
        mant >> -shift
    } else {
        0
    }
}

/// A fixed-point sum back as a float (rounded once).
pub(super) fn to_f64(s: i128) -> f64 {
    s as f64 * (-(SCALE as f64)).exp2()
}

/// The exact sum of `xs`.
pub(super) fn sum(xs: impl Iterator<Item = f64>) -> i128 {
    xs.map(to_fixed).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_do_not_depend_on_order_and_match_float_sums() {
        let xs: Vec<f64> = (1..2000).map(|i| 1.0 / (i as f64 * 7.3)).collect();
        let fwd = sum(xs.iter().copied());
        let back = sum(xs.iter().rev().copied());
        assert_eq!(fwd, back);
        let float: f64 = xs.iter().sum();
        assert!((to_f64(fwd) - float).abs() < 1e-14);
        assert_eq!(to_f64(to_fixed(0.5)), 0.5);
        assert_eq!(to_fixed(0.0), 0);
        assert_eq!(to_f64(to_fixed(3.0e5)), 3.0e5);
    }
}
