//! Out-degree counts of numeric ids, taken while the chunks are parsed (so that the dense
//! numbering by degree needs no second walk over all parsed ids). Each rayon worker owns a bit
//! of "is a target" per id, set as each edge is parsed (it stays in the core's own cache), and a
//! byte of source count per id, counted over each chunk's sources right after the chunk is parsed
//! (a tight loop whose random accesses are prefetched well ahead); counts beyond a byte spill to
//! a map. Both arrays are allocated at their cap but resident only where ids fall, so sparse ids
//! cannot make them huge. Counts are sums, so the result does not depend on which worker parsed
//! which chunk.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use rustc_hash::FxHashMap;

use super::numeric::NumId;

/// One worker's counts: x was a source `a[x] + spill[x]` times (every 128 counts past a byte
/// move to `spill`), and a target if bit x of `targets` is set.
#[derive(Default)]
struct Bytes {
    a: Vec<u8>,
    targets: Vec<u64>,
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
        let Bytes { a, targets, spill } = std::mem::take(&mut *guard);
        Counter {
            a,
            targets,
            spill,
            guard,
            cap: self.cap,
            owner: self,
            live: !self.overflow.load(Ordering::Relaxed),
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
            let w = &workers[j];
            let count = w.a.get(x).copied().map_or(0, u32::from);
            let target = w
                .targets
                .get(x / 64)
                .is_some_and(|b| b >> (x % 64) & 1 == 1);
            (2 * count) | u32::from(target)
        });
        for w in &workers {
            for (&x, &k) in &w.spill {
                table[x as usize] += k;
            }
        }
        Some(table)
    }
}

/// One worker's counts, locked for the chunk it parses.
pub(super) struct Counter<'a> {
    /// The worker's counts, moved out of `guard` while counting (no aliasing through the lock).
    a: Vec<u8>,
    targets: Vec<u64>,
    spill: FxHashMap<u32, u32>,
    guard: std::sync::MutexGuard<'a, Bytes>,
    cap: usize,
    owner: &'a DegreeCounts,
    live: bool,
}

impl Counter<'_> {
    /// Notes the edge `s → d`: marks `d` as a target and checks both ids against the cap. The
    /// source is counted later, by [`Counter::count_sources`].
    #[inline(always)]
    pub fn note(&mut self, s: u64, d: u64) {
        if !self.live {
            return;
        }
        let hi = s.max(d) as usize;
        if hi >= self.a.len() && !self.grow(hi) {
            return;
        }
        self.targets[d as usize / 64] |= 1 << (d % 64);
    }

    /// Counts each of `sources` once as a source; every one must have been noted first.
    pub fn count_sources<T: NumId>(&mut self, sources: &[T]) {
        const AHEAD: usize = 32;
        if !self.live {
            return;
        }
        for (i, x) in sources.iter().enumerate() {
            if let Some(next) = sources.get(i + AHEAD) {
                prefetch(&self.a, next.get() as usize);
            }
            let v = &mut self.a[x.get() as usize];
            if *v == u8::MAX {
                *v -= 128;
                *self.spill.entry(x.get() as u32).or_default() += 128;
            }
            *v += 1;
        }
    }

    #[cold]
    fn grow(&mut self, hi: usize) -> bool {
        if hi >= self.cap {
            self.owner.overflow.store(true, Ordering::Relaxed);
            self.live = false;
            return false;
        }
        // The whole capped arrays at once: pages never touched take no memory, and they are
        // never reallocated (a freed large block would move the allocator's mmap threshold).
        self.a = vec![0; self.cap];
        self.targets = vec![0; self.cap.div_ceil(64)];
        true
    }
}

impl Drop for Counter<'_> {
    fn drop(&mut self) {
        *self.guard = Bytes {
            a: std::mem::take(&mut self.a),
            targets: std::mem::take(&mut self.targets),
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
        // Counts within a byte and past it (spilled).
        for reps in [1usize, 45, 1000] {
            let c = DegreeCounts::new(100);
            for _ in 0..2 {
                let mut w = c.worker();
                let mut sources = Vec::new();
                for _ in 0..reps {
                    for (s, d) in [(3u32, 7u32), (3, 0), (7, 3)] {
                        w.note(s.into(), d.into());
                        sources.push(s);
                    }
                }
                w.count_sources(&sources);
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
        c.worker().note(1, 10);
        assert!(c.finish(11).is_none());
    }
}
