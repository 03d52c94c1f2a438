//! Loops over floats in chunks of 16 lanes (one AVX-512 register), written so that the
//! compiler turns each chunk into one vector operation on any instruction set: sums kept in 16
//! independent lanes (their order of additions is fixed here, not left to the vector width, so
//! the result is the same everywhere), and maps without the long unrolled loops and scalar
//! tails that short rows (a post's ~40 attention scores) would otherwise spend their time in.

/// Lanes of a chunk: one AVX-512 register of `f32`.
pub(crate) const LANES: usize = 16;

/// Replaces every `x` of `xs` by `f(x)`, a chunk of [`LANES`] at a time.
#[inline(always)]
pub(crate) fn map_in_place(xs: &mut [f32], f: impl Fn(f32) -> f32) {
    let (chunks, tail) = xs.as_chunks_mut::<LANES>();
    for chunk in chunks {
        for x in chunk {
            *x = f(*x);
        }
    }
    for x in tail {
        *x = f(*x);
    }
}

/// `Σ f(x)` over `xs`, lane by lane, then the lanes and the tail in a fixed order.
#[inline(always)]
pub(crate) fn sum_by(xs: &[f32], f: impl Fn(f32) -> f32) -> f32 {
    let mut acc = [0f32; LANES];
    let chunks = xs.chunks_exact(LANES);
    let tail = chunks.remainder();
    for chunk in chunks {
        for (a, &x) in acc.iter_mut().zip(chunk) {
            *a += f(x);
        }
    }
    let mut total = tail.iter().fold(0.0, |s, &x| s + f(x));
    for a in acc {
        total += a;
    }
    total
}

/// `Σ xs`.
#[inline(always)]
pub(crate) fn sum(xs: &[f32]) -> f32 {
    sum_by(xs, |x| x)
}

/// The largest of `xs` (`-∞` when empty), lane by lane.
#[inline(always)]
pub(crate) fn max(xs: &[f32]) -> f32 {
    let mut acc = [f32::NEG_INFINITY; LANES];
    let chunks = xs.chunks_exact(LANES);
    let tail = chunks.remainder();
    for chunk in chunks {
        for (a, &x) in acc.iter_mut().zip(chunk) {
            *a = a.max(x);
        }
    }
    acc.into_iter()
        .chain(tail.iter().copied())
        .fold(f32::NEG_INFINITY, f32::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_sums_and_maxima_of_any_length() {
        for n in [0, 1, 15, 16, 17, 40, 384] {
            let xs: Vec<f32> = (0..n).map(|i| (i % 7) as f32 - 2.5).collect();
            let naive: f32 = xs.iter().sum();
            approx::assert_abs_diff_eq!(sum(&xs), naive, epsilon = 1e-3);
            approx::assert_abs_diff_eq!(
                sum_by(&xs, |x| x * x),
                xs.iter().map(|x| x * x).sum::<f32>(),
                epsilon = 1e-3
            );
            let m = xs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            assert_eq!(max(&xs), m);
            let mut doubled = xs.clone();
            map_in_place(&mut doubled, |x| 2.0 * x);
            assert!(doubled.iter().zip(&xs).all(|(d, x)| *d == 2.0 * x));
        }
    }
}
