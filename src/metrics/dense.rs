//! Dense `f64` vectors for the per-node state of iterative kernels, backed by anonymous memory
//! that asks the kernel for transparent huge pages: the PageRank pull loop reads contributions at
//! random, and with 4 KiB pages most of those reads would also miss the TLB.

use std::ops::{Deref, DerefMut};

use memmap2::{Advice, MmapMut};

/// A zero-initialised vector of `f64` on huge pages where the system allows them (falls back to
/// an ordinary `Vec` where anonymous maps are unavailable).
pub enum DenseVec {
    Mapped { map: MmapMut, len: usize },
    Heap(Vec<f64>),
}

impl DenseVec {
    /// `len` zeros.
    pub fn zeros(len: usize) -> DenseVec {
        let bytes = len * std::mem::size_of::<f64>();
        if bytes < (4 << 20) {
            return DenseVec::Heap(vec![0.0; len]);
        }
        match MmapMut::map_anon(bytes) {
            Ok(map) => {
                // Only a hint: without transparent huge pages the map works the same.
                let _ = map.advise(Advice::HugePage);
                DenseVec::Mapped { map, len }
            }
            Err(_) => DenseVec::Heap(vec![0.0; len]),
        }
    }

    /// `len` copies of `x`.
    pub fn filled(len: usize, x: f64) -> DenseVec {
        let mut v = DenseVec::zeros(len);
        v.fill(x);
        v
    }

    /// Copies the values out.
    pub fn into_vec(self) -> Vec<f64> {
        match self {
            DenseVec::Heap(v) => v,
            mapped => mapped.to_vec(),
        }
    }
}

impl Deref for DenseVec {
    type Target = [f64];
    fn deref(&self) -> &[f64] {
        match self {
            DenseVec::Mapped { map, len } => &bytemuck::cast_slice(&map[..])[..*len],
            DenseVec::Heap(v) => v,
        }
    }
}

impl DerefMut for DenseVec {
    fn deref_mut(&mut self) -> &mut [f64] {
        match self {
            DenseVec::Mapped { map, len } => &mut bytemuck::cast_slice_mut(&mut map[..])[..*len],
            DenseVec::Heap(v) => v,
        }
    }
}

/// The element type of a contribution block: `f64`, or `f32` to halve the bytes a pull reads at
/// random (sums are still added in `f64`).
pub trait Contribution: bytemuck::Pod + Send + Sync {
    /// Rounds an `f64` to this type.
    fn narrow(x: f64) -> Self;
    /// Widens to `f64` (exact).
    fn widen(self) -> f64;
}

impl Contribution for f64 {
    #[inline(always)]
    fn narrow(x: f64) -> f64 {
        x
    }
    #[inline(always)]
    fn widen(self) -> f64 {
        self
    }
}

impl Contribution for f32 {
    #[inline(always)]
    fn narrow(x: f64) -> f32 {
        x as f32
    }
    #[inline(always)]
    fn widen(self) -> f64 {
        self as f64
    }
}

/// A zero-initialised [`DenseVec`] viewed as `len` values of type `C`.
pub struct DenseBuf<C> {
    raw: DenseVec,
    len: usize,
    _elem: std::marker::PhantomData<C>,
}

impl<C: Contribution> DenseBuf<C> {
    /// `len` zeros.
    pub fn zeros(len: usize) -> Self {
        let words = (len * std::mem::size_of::<C>()).div_ceil(8);
        DenseBuf {
            raw: DenseVec::zeros(words),
            len,
            _elem: std::marker::PhantomData,
        }
    }
}

impl<C: Contribution> Deref for DenseBuf<C> {
    type Target = [C];
    fn deref(&self) -> &[C] {
        &bytemuck::cast_slice(&self.raw[..])[..self.len]
    }
}

impl<C: Contribution> DerefMut for DenseBuf<C> {
    fn deref_mut(&mut self) -> &mut [C] {
        &mut bytemuck::cast_slice_mut(&mut self.raw[..])[..self.len]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_large_vectors_behave_alike() {
        for len in [3, 1 << 20] {
            let mut v = DenseVec::filled(len, 0.5);
            assert_eq!(v.len(), len);
            v[len - 1] = 2.0;
            assert_eq!(v.iter().sum::<f64>(), 0.5 * (len - 1) as f64 + 2.0);
            assert_eq!(v.into_vec().len(), len);
        }
    }

    #[test]
    fn typed_buffers_hold_their_length() {
        for len in [3, 1 << 20, (1 << 20) + 1] {
            let mut b = DenseBuf::<f32>::zeros(len);
            assert_eq!(b.len(), len);
            b[len - 1] = 1.5;
            assert_eq!(b.iter().sum::<f32>(), 1.5);
        }
    }
}
