//! A per-buffer memo of stems: social text repeats a small vocabulary (Zipf), so most words are
//! stemmed once per thread instead of once per occurrence. It lives in the caller's [`Tokens`]
//! (one per thread), never in the shared filter, and is bounded: it is emptied when full.
//!
//! [`Tokens`]: super::Tokens

use rust_stemmers::Algorithm;
use rustc_hash::FxHashMap;

/// Entries kept before the memo is emptied.
pub const STEM_CACHE_CAPACITY: usize = 1 << 16;

/// Stems of one algorithm, by word.
#[derive(Debug, Clone, Default)]
pub(super) struct StemCache {
    algorithm: Option<Algorithm>,
    stems: FxHashMap<Box<str>, Box<str>>,
}

impl StemCache {
    /// Appends the stem of `word` to `out`, computing it with `stem` on a miss.
    pub(super) fn stem_into(
        &mut self,
        algorithm: Algorithm,
        word: &str,
        out: &mut String,
        stem: impl FnOnce(&str) -> String,
    ) {
        if self.algorithm != Some(algorithm) {
            self.stems.clear();
            self.algorithm = Some(algorithm);
        }
        if let Some(s) = self.stems.get(word) {
            out.push_str(s);
            return;
        }
        let s = stem(word);
        out.push_str(&s);
        if self.stems.len() >= STEM_CACHE_CAPACITY {
            self.stems.clear();
        }
        self.stems.insert(word.into(), s.into_boxed_str());
    }
}
