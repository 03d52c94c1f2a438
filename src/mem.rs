//! Large zero-filled buffers backed by transparent huge pages where the system allows it: the
//! graph's edge arrays and id tables are read at random, and with 4 KiB pages every such read
//! also misses the TLB, and every first write is a page fault.

use bytemuck::Zeroable;

/// Buffers smaller than this keep ordinary pages (a huge page is 2 MiB).
const HUGE_MIN_BYTES: usize = 4 << 20;
const HUGE_PAGE: usize = 2 << 20;

/// `len` zeroed items, in memory advised for huge pages before it is first touched.
pub fn zeroed_vec<T: Zeroable + Clone>(len: usize) -> Vec<T> {
    let v = vec![T::zeroed(); len];
    advise_huge(&v);
    v
}

/// Asks the system to back the huge-page-aligned interior of `items` with huge pages. Only a
/// hint: it changes no contents, and where unsupported it does nothing.
pub fn advise_huge<T>(items: &[T]) {
    let bytes = std::mem::size_of_val(items);
    if bytes < HUGE_MIN_BYTES {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        let start = items.as_ptr() as usize;
        let first = start.next_multiple_of(HUGE_PAGE);
        let end = (start + bytes) / HUGE_PAGE * HUGE_PAGE;
        if end > first {
            // SAFETY: the range lies inside `items`' allocation; MADV_HUGEPAGE only changes how
            // later page faults are served, never the contents or the validity of the memory.
            unsafe {
                libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
            }
        }
    }
}
