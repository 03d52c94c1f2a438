//! A cache hint for hot loops that read scattered memory (the classifiers' table slots and
//! weight rows, the Kronecker generator's permutation): [`prefetch`] asks the processor to
//! start bringing a line of memory close before it is read, so that the misses overlap
//! instead of following one another. A hint only: it never changes a result, and does nothing
//! on targets other than x86_64.

/// Asks the processor to bring the cache line holding `p` into its caches.
#[inline(always)]
pub(crate) fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch never faults (any address may be given) and reads nothing the
    // program sees; SSE is part of the x86_64 baseline.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}
