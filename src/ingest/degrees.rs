//! Out-degree counts of numeric ids, taken while the chunks are parsed (so that the dense
//! numbering by degree needs no second walk over the parsed ids). Each rayon worker owns one
//! byte array, allocated at its cap but resident only where ids fall, so sparse ids cannot
//! make it huge; a byte is small enough for the array to stay in cache, and counts beyond it spill to
//! a map. Counts are sums, so the result does not depend on which worker parsed which chunk.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use rustc_hash::FxHashMap;

/// One worker's counts: `a[x] = 2·c | (x is a target)` where x was a source `c + spill[x]`
/// times (`c` < 128; every 64 counts beyond move to `spill`).
#[derive(Default)]
struct Bytes {
    a: Vec<u8>,
    spill: FxHashMap<u32, u32>,
}

/// Per-worker counts of sources and marks of targets.
pub(super) struct DegreeCounts {
    cap: usize,
    workers: Vec<Mutex<Bytes>>,
    /// An id reached the cap: the counts are incomplete and must not be used.
    overflow: AtomicBool,
}

impl DegreeCounts {
    /// Counters for ids below `cap`, one per worker of the current rayon pool.
    pub fn new(cap: u64) -> DegreeCounts {
        let cap = cap.min(u32::MAX as u64 - 1) as usize;
        let workers = (0..rayon::current_num_threads().max(1))
            .map(|_| Mutex::new(Bytes::default()))
            .collect();
        DegreeCounts {
            cap,
            workers,
            overflow: AtomicBool::new(false),
        }
    }

    /// The counter of the calling worker (a caller outside the pool shares the first one),
    /// held until dropped.
    pub fn worker(&self) -> Counter<'_> {
        let i = rayon::current_thread_index().unwrap_or(0) % self.workers.len();
        let mut guard = self.workers[i].lock().unwrap_or_else(|e| e.into_inner());
        let Bytes { a, spill } = std::mem::take(&mut *guard);
        Counter {
            a,
            spill,
            guard,
            cap: self.cap,
            owner: self,
            live: !self.overflow.load(Ordering::Relaxed),
            ring: [(0, 0); RING],
            next: 0,
            held: 0,
        }
    }

    /// The out-degree of every id below `len`, `u32::MAX` for ids never seen; `None` if an id
    /// reached the cap.
    pub fn finish(self, len: usize) -> Option<Vec<u32>> {
        if self.overflow.into_inner() {
            return None;
        }
        let workers: Vec<Bytes> = self
            .workers
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
            .filter(|b| !b.a.is_empty())
            .collect();
        let mut table = super::numeric::merge_degree_codes(len, workers.len(), |j, x| {
            workers[j].a.get(x).copied().map_or(0, u32::from)
        });
        for w in &workers {
            for (&x, &k) in &w.spill {
                table[x as usize] += k;
            }
        }
        Some(table)
    }
}

/// Edges whose counts are prefetched and applied this many edges later: the counts are
/// random accesses into an array larger than L2, and the parser's work between two of them
/// would otherwise leave few misses in flight.
const RING: usize = 16;

/// One worker's counts, locked for the chunk it parses.
pub(super) struct Counter<'a> {
    /// The worker's counts, moved out of `guard` while counting (no aliasing through the lock).
    a: Vec<u8>,
    spill: FxHashMap<u32, u32>,
    guard: std::sync::MutexGuard<'a, Bytes>,
    cap: usize,
    owner: &'a DegreeCounts,
    live: bool,
    ring: [(u32, u32); RING],
    next: usize,
    held: usize,
}

impl Counter<'_> {
    /// Counts the edge `s → d` (applied `RING` edges later, or when dropped).
    #[inline(always)]
    pub fn add(&mut self, s: u64, d: u64) {
        if !self.live {
            return;
        }
        let hi = s.max(d) as usize;
        if hi >= self.a.len() && !self.grow(hi) {
            return;
        }
        prefetch(&self.a, s as usize);
        prefetch(&self.a, d as usize);
        if self.held == RING {
            let (ps, pd) = self.ring[self.next];
            self.apply(ps, pd);
        } else {
            self.held += 1;
        }
        self.ring[self.next] = (s as u32, d as u32);
        self.next = (self.next + 1) % RING;
    }

    #[inline(always)]
    fn apply(&mut self, s: u32, d: u32) {
        let v = &mut self.a[s as usize];
        if *v >= 254 {
            *v -= 128;
            *self.spill.entry(s).or_default() += 64;
        }
        *v += 2;
        self.a[d as usize] |= 1;
    }

    #[cold]
    fn grow(&mut self, hi: usize) -> bool {
        if hi >= self.cap {
            self.owner.overflow.store(true, Ordering::Relaxed);
            self.live = false;
            return false;
        }
        // The whole capped array at once: pages never touched take no memory, and it is never
        // reallocated (a freed large block would move the allocator's mmap threshold).
        self.a = crate::mem::zeroed_vec(self.cap);
        true
    }
}

impl Drop for Counter<'_> {
    fn drop(&mut self) {
        if self.live {
            for k in 0..self.held {
                let (s, d) = self.ring[(self.next + RING - self.held + k) % RING];
                self.apply(s, d);
            }
        }
        *self.guard = Bytes {
            a: std::mem::take(&mut self.a),
            spill: std::mem::take(&mut self.spill),
        };
    }
}

/// Asks for the cache line of `a[i]` (`i < a.len()`).
#[inline(always)]
pub(super) fn prefetch<T>(a: &[T], i: usize) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `i` is in bounds, and a prefetch never faults nor changes memory.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(a.as_ptr().add(i) as *const i8);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (a, i);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_sources_and_marks_targets() {
        // Fewer and more edges than the delay ring holds; counts past a byte's spill.
        for reps in [1, 3 * RING + 5, 1000] {
            let c = DegreeCounts::new(100);
            for _ in 0..2 {
                let mut w = c.worker();
                for _ in 0..reps {
                    w.add(3, 7);
                    w.add(3, 0);
                    w.add(7, 3);
                }
            }
            let n = 2 * reps as u32;
            let mut want = vec![u32::MAX; 9];
            (want[0], want[3], want[7]) = (0, 2 * n, n);
            assert_eq!(c.finish(9).unwrap(), want, "{reps}");
        }
    }

    #[test]
    fn an_id_at_the_cap_voids_the_counts() {
        let c = DegreeCounts::new(10);
        c.worker().add(1, 10);
        assert!(c.finish(11).is_none());
    }
}
