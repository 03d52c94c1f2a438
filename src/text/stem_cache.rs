//! A per-buffer memo of stems: social text repeats a small vocabulary (Zipf), so most words are
//! stemmed once per thread instead of once per occurrence. It lives in the caller's [`Tokens`]
//! (one per thread), never in the shared filter, and is bounded: it is emptied when full.
//!
//! Words and stems sit back to back in one text arena, found through a map from the word's
//! 64-bit hash (xxh3) to its entry; a hit is confirmed by comparing the word, so a hash
//! collision only costs a recomputation, never a wrong stem.
//!
//! [`Tokens`]: super::Tokens

use rust_stemmers::Algorithm;
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64;

/// Entries kept before the memo is emptied.
pub const STEM_CACHE_CAPACITY: usize = 1 << 16;

/// One memoised stem: `text[start..start + word]` is the word, the stem follows it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    start: u32,
    word: u32,
    stem: u32,
}

/// Stems of one algorithm, by word.
#[derive(Debug, Clone, Default)]
pub(super) struct StemCache {
    algorithm: Option<Algorithm>,
    index: FxHashMap<u64, u32>,
    entries: Vec<Entry>,
    text: String,
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
            self.clear();
            self.algorithm = Some(algorithm);
        }
        let key = xxh3_64(word.as_bytes());
        if let Some(&i) = self.index.get(&key) {
            let e = self.entries[i as usize];
            let (start, mid) = (e.start as usize, (e.start + e.word) as usize);
            if &self.text[start..mid] == word {
                out.push_str(&self.text[mid..mid + e.stem as usize]);
                return;
            }
        }
        let s = stem(word);
        out.push_str(&s);
        if self.entries.len() >= STEM_CACHE_CAPACITY || self.text.len() > u32::MAX as usize / 2 {
            self.clear();
        }
        let start = self.text.len() as u32;
        self.text.push_str(word);
        self.text.push_str(&s);
        self.index.insert(key, self.entries.len() as u32);
        self.entries.push(Entry {
            start,
            word: word.len() as u32,
            stem: s.len() as u32,
        });
    }

    fn clear(&mut self) {
        self.index.clear();
        self.entries.clear();
        self.text.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memo_returns_what_the_stemmer_returns() {
        let en = rust_stemmers::Stemmer::create(Algorithm::English);
        let fr = rust_stemmers::Stemmer::create(Algorithm::French);
        let mut cache = StemCache::default();
        let mut calls = 0;
        let words = ["running", "gardens", "running", "tips", "gardens", "été"];
        for round in 0..3 {
            for w in words {
                let mut out = String::from("x");
                cache.stem_into(Algorithm::English, w, &mut out, |w| {
                    calls += 1;
                    en.stem(w).into_owned()
                });
                assert_eq!(out, format!("x{}", en.stem(w)), "{w} in round {round}");
            }
        }
        assert_eq!(calls, 4, "each distinct word stemmed once");
        let mut out = String::new();
        cache.stem_into(Algorithm::French, "jardins", &mut out, |w| {
            fr.stem(w).into_owned()
        });
        assert_eq!(out, "jardin");
        // A (forged) hash collision is detected by the word comparison.
        let key = xxh3_64(b"other");
        let i = cache.index[&xxh3_64(b"jardins")];
        cache.index.insert(key, i);
        let mut out = String::new();
        cache.stem_into(Algorithm::French, "other", &mut out, |w| w.to_owned());
        assert_eq!(out, "other");
    }
}
