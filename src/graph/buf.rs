//! A read-only array that is either owned or borrowed from a memory-mapped cache file, so that
//! the graph is the same type whether it was just built or loaded from disk.

use std::ops::Deref;
use std::sync::Arc;

use bytemuck::Pod;
use memmap2::Mmap;

/// An immutable slice of `T`, owned or inside a shared memory map.
pub enum Buf<T: Pod> {
    Owned(Vec<T>),
    Mapped {
        map: Arc<Mmap>,
        offset: usize,
        len: usize,
    },
}

impl<T: Pod> Buf<T> {
    /// A view of `len` items at byte `offset` of `map`. Panics if out of bounds or misaligned,
    /// which the cache reader rules out before calling.
    pub fn mapped(map: Arc<Mmap>, offset: usize, len: usize) -> Self {
        let bytes = &map[offset..offset + len * std::mem::size_of::<T>()];
        assert_eq!(
            bytes.as_ptr() as usize % std::mem::align_of::<T>(),
            0,
            "misaligned cache section"
        );
        Buf::Mapped { map, offset, len }
    }
}

impl<T: Pod> Deref for Buf<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            Buf::Owned(v) => v,
            Buf::Mapped { map, offset, len } => {
                bytemuck::cast_slice(&map[*offset..*offset + *len * std::mem::size_of::<T>()])
            }
        }
    }
}

impl<T: Pod> From<Vec<T>> for Buf<T> {
    fn from(v: Vec<T>) -> Self {
        Buf::Owned(v)
    }
}

impl<T: Pod + std::fmt::Debug> std::fmt::Debug for Buf<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter().take(16)).finish()
    }
}
