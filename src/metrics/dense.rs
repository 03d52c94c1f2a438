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
}
