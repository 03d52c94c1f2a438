//! SplitMix64, the seeded generator behind everything random in clout (synthetic inputs, sampled
//! sources, community detection): one small counter-based stream per item, so output never
//! depends on the thread count.

/// SplitMix64: a small, well-mixed generator for seeding and per-item streams.
#[derive(Debug, Clone)]
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The stream of item `index` in stage `stage` of a run seeded with `seed`.
    pub fn stream(seed: u64, stage: u64, index: u64) -> SplitMix {
        let mut s = SplitMix(
            seed.wrapping_mul(0x9e37_79b9_7f4a_7c15)
                ^ stage.wrapping_mul(0xc2b2_ae3d_27d4_eb4f)
                ^ index.wrapping_mul(0xd1b5_4a32_d192_ed03),
        );
        s.next();
        s
    }

    #[inline]
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    #[inline]
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `0..n` (`n > 0`).
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }

    /// True with probability `p`.
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A uniform pick from a non-empty slice.
    #[inline]
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = 1.0 - self.unit();
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Exponential with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }

    /// Poisson with the given mean (Knuth's product method below 30, a rounded normal above).
    pub fn poisson(&mut self, mean: f64) -> u32 {
        if mean <= 0.0 {
            return 0;
        }
        if mean > 30.0 {
            return (mean + mean.sqrt() * self.normal()).round().max(0.0) as u32;
        }
        let limit = (-mean).exp();
        let mut k = 0;
        let mut p = self.unit();
        while p > limit {
            k += 1;
            p *= self.unit();
        }
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_of_the_samplers() {
        let mut r = SplitMix::stream(1, 2, 3);
        let n = 200_000;
        let (mut u, mut z, mut z2, mut e, mut p) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for _ in 0..n {
            u += r.unit();
            let x = r.normal();
            z += x;
            z2 += x * x;
            e += r.exponential(2.0);
            p += f64::from(r.poisson(4.5));
        }
        let n = n as f64;
        assert!((u / n - 0.5).abs() < 0.01);
        assert!((z / n).abs() < 0.01 && (z2 / n - 1.0).abs() < 0.02);
        assert!((e / n - 2.0).abs() < 0.03);
        assert!((p / n - 4.5).abs() < 0.03);
        assert!((0..1000).all(|_| r.below(7) < 7));
    }
}
