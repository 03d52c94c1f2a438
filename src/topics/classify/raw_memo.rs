//! The per-thread memo of the classifiers' hot path: from a chunk's raw bytes (see
//! [`text::chunks`](crate::text::chunks); before case folding, normalisation, stop words and
//! stemming) and the text's language straight to what its analysed tokens mean to one
//! classifier ([`Item`]: feature key and id, phrase word id). On the common path a chunk costs
//! one probe of an open-addressing table whose slot points at the chunk's bytes and items,
//! stored side by side (about two cache misses); only a chunk not seen before is analysed. A
//! hit is confirmed by comparing the bytes, so a hash collision costs a recomputation, never a
//! wrong token. Chunks holding a URL (unique by nature) are not kept, and the memo is emptied
//! when full.
//!
//! A memo belongs to one classifier at a time (its owner id): used for another, it is emptied
//! first. It holds only results of pure functions, so its state never changes a result.

use std::sync::atomic::{AtomicU64, Ordering};

use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::features::{word_key, Vocabulary};
use super::phrase_trie::PhraseTrie;
use crate::cache_hint::prefetch;
use crate::text::chunks::chunks;
use crate::text::{Lang, TextAnalyzer, TokenKind, Tokens};

/// Chunks kept before the memo is emptied.
pub const RAW_MEMO_CAPACITY: usize = 1 << 16;
/// Table slots (a power of two; at most half full).
const SLOTS: usize = RAW_MEMO_CAPACITY * 2;

/// "No such feature / phrase word".
pub(crate) const NONE: u32 = u32::MAX;
/// A token the phrase matcher steps over (not a word, hashtag part or number).
pub(crate) const SKIP: u32 = u32::MAX - 1;
/// A URL: no feature, no bigram, stepped over by the phrase matcher.
pub(crate) const URL: u32 = u32::MAX - 2;

static NEXT_OWNER: AtomicU64 = AtomicU64::new(1);

/// A fresh owner id for a classifier's memo entries.
pub(crate) fn new_owner() -> u64 {
    NEXT_OWNER.fetch_add(1, Ordering::Relaxed)
}

/// What one analysed token means to a classifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Item {
    /// The term hash of the token's text ([`word_key`]); 0 for URLs.
    pub key: u64,
    /// Its unigram feature id, or [`NONE`].
    pub feature: u32,
    /// Its phrase word id, [`NONE`] (a word no phrase has), [`SKIP`] or [`URL`].
    pub phrase: u32,
}

impl Item {
    /// A URL token.
    pub fn is_url(&self) -> bool {
        self.phrase == URL
    }

    /// What the phrase matcher sees: a word id or [`NONE`]; `None` when it steps over.
    pub fn phrase_word(&self) -> Option<u32> {
        (self.phrase != SKIP && self.phrase != URL).then_some(self.phrase)
    }

    fn words(&self) -> [u64; 2] {
        [
            self.key,
            u64::from(self.feature) << 32 | u64::from(self.phrase),
        ]
    }

    fn from_words(w: &[u64]) -> Self {
        Item {
            key: w[0],
            feature: (w[1] >> 32) as u32,
            phrase: w[1] as u32,
        }
    }
}

/// Turns analysed tokens into [`Item`]s for one classifier.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Coder<'a> {
    pub vocab: Option<&'a Vocabulary>,
    pub phrases: Option<&'a PhraseTrie>,
}

impl Coder<'_> {
    /// The item of the analysed token `(kind, text)`.
    pub fn item(&self, kind: TokenKind, text: &str) -> Item {
        if kind == TokenKind::Url {
            return Item {
                key: 0,
                feature: NONE,
                phrase: URL,
            };
        }
        let (key, feature) = match self.vocab {
            Some(v) => {
                let key = word_key(text);
                (key, v.get(key).unwrap_or(NONE))
            }
            None => (0, NONE),
        };
        let phrase = if kind.is_wordlike() || kind == TokenKind::Number {
            self.phrases.map_or(NONE, |p| p.word(text))
        } else {
            SKIP
        };
        Item {
            key,
            feature,
            phrase,
        }
    }
}

/// One table slot; `tag` 0 is empty, else `(lang + 1) << 1 | at_end`.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    hash: u64,
    /// Where the chunk's bytes (padded to whole words), then its items, start in the arena.
    offset: u32,
    bytes_len: u16,
    items_len: u16,
    tag: u32,
}

/// Chunk → items, for one owner.
#[derive(Debug, Default)]
pub(crate) struct RawMemo {
    owner: u64,
    slots: Vec<Slot>,
    entries: usize,
    arena: Vec<u64>,
    /// Analysis buffer for chunks not seen before (its stem memo stays warm too).
    tokens: Tokens,
    /// The current text's chunk hashes (computed first, so that their slots are fetched
    /// from memory together rather than one miss after another).
    hashes: Vec<u64>,
}

/// Chunks ahead of the one probed whose entry bytes are fetched early.
const ARENA_AHEAD: usize = 2;

/// The words of `bytes`, little-endian, the last one padded with zeros.
fn byte_words(bytes: &[u8]) -> impl Iterator<Item = u64> + '_ {
    bytes.chunks(8).map(|c| {
        let mut w = [0u8; 8];
        w[..c.len()].copy_from_slice(c);
        u64::from_le_bytes(w)
    })
}

impl RawMemo {
    fn clear(&mut self) {
        self.slots.clear();
        self.slots.resize(SLOTS, Slot::default());
        self.entries = 0;
        self.arena.clear();
    }

    /// The slot holding `(hash, tag, bytes)`, or the empty slot where it goes.
    fn probe(&self, hash: u64, tag: u32, bytes: &[u8]) -> (usize, bool) {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let s = &self.slots[i];
            if s.tag == 0 {
                return (i, false);
            }
            if s.hash == hash
                && s.tag == tag
                && usize::from(s.bytes_len) == bytes.len()
                && byte_words(bytes)
                    .zip(&self.arena[s.offset as usize..])
                    .all(|(a, &b)| a == b)
            {
                return (i, true);
            }
            i = (i + 1) & mask;
        }
    }

    /// The items of `text` (in language `lang`, analysed by `analyzer`, a chunk-local one)
    /// into `out` (cleared first): the items of its tokens in order, as the whole text's
    /// analysis would give them.
    pub fn items_of(
        &mut self,
        owner: u64,
        analyzer: &TextAnalyzer,
        coder: &Coder<'_>,
        text: &str,
        lang: Lang,
        out: &mut Vec<Item>,
    ) {
        debug_assert!(analyzer.is_chunk_local());
        if self.owner != owner || self.slots.is_empty() {
            self.clear();
            self.owner = owner;
        }
        out.clear();
        let tag_of = |at_end: bool| (lang as u32 + 1) << 1 | u32::from(at_end);
        let mut hashes = std::mem::take(&mut self.hashes);
        hashes.clear();
        let mask = self.slots.len() - 1;
        for chunk in chunks(text) {
            let hash = xxh3_64_with_seed(chunk.text.as_bytes(), u64::from(tag_of(chunk.at_end)));
            prefetch(&self.slots[hash as usize & mask]);
            hashes.push(hash);
        }
        for (i, (chunk, &hash)) in chunks(text).zip(&hashes).enumerate() {
            if let Some(&ahead) = hashes.get(i + ARENA_AHEAD) {
                self.prefetch_entry(ahead);
            }
            let bytes = chunk.text.as_bytes();
            let tag = tag_of(chunk.at_end);
            let (mut at, found) = self.probe(hash, tag, bytes);
            if found {
                let s = self.slots[at];
                let start = s.offset as usize + bytes.len().div_ceil(8);
                let items = &self.arena[start..start + 2 * usize::from(s.items_len)];
                out.extend(items.chunks_exact(2).map(Item::from_words));
                continue;
            }
            analyzer.analyze_in(chunk.with_space, lang, &mut self.tokens);
            let first = out.len();
            let mut url = false;
            for (kind, t) in self.tokens.iter() {
                url |= kind == TokenKind::Url;
                out.push(coder.item(kind, t));
            }
            let n_items = out.len() - first;
            if url || bytes.len() > usize::from(u16::MAX) || n_items > usize::from(u16::MAX) {
                continue;
            }
            if self.entries >= RAW_MEMO_CAPACITY || self.arena.len() > u32::MAX as usize / 2 {
                self.clear();
                at = self.probe(hash, tag, bytes).0;
            }
            self.slots[at] = Slot {
                hash,
                offset: self.arena.len() as u32,
                bytes_len: bytes.len() as u16,
                items_len: n_items as u16,
                tag,
            };
            self.entries += 1;
            self.arena.extend(byte_words(bytes));
            for it in &out[first..] {
                self.arena.extend(it.words());
            }
        }
        self.hashes = hashes;
    }

    /// Prefetches the entry bytes of the slot where `hash` starts probing, if it holds one.
    #[inline]
    fn prefetch_entry(&self, hash: u64) {
        let s = &self.slots[hash as usize & (self.slots.len() - 1)];
        if s.tag != 0 {
            if let Some(w) = self.arena.get(s.offset as usize) {
                prefetch(w);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::AnalyzerRegistry;

    #[test]
    fn memo_gives_the_items_of_the_whole_analysis() {
        let a = AnalyzerRegistry::default().get("social").unwrap();
        let trie = PhraseTrie::new([vec!["run"], vec!["late"]]);
        let coder = Coder {
            vocab: None,
            phrases: Some(&trie),
        };
        let mut memo = RawMemo::default();
        let mut tokens = Tokens::new();
        let mut got = Vec::new();
        let mut phrase_words = 0;
        let texts = [
            "Running late at #NBAFinals https://t.co/x http://",
            "running LATE at #NBAFinals https://t.co/y http:// x",
            "İstanbul Straße 😀 中文 a-very-long-chunk-of-more-than-eight-bytes",
        ];
        for round in 0..3 {
            for (i, t) in texts.iter().enumerate() {
                // A new owner empties the memo; the same one keeps it.
                let owner = if round == 2 { 7 + i as u64 } else { 1 };
                for lang in [Lang::Eng, Lang::Tur] {
                    memo.items_of(owner, &a, &coder, t, lang, &mut got);
                    a.analyze_in(t, lang, &mut tokens);
                    let want: Vec<Item> = tokens.iter().map(|(k, s)| coder.item(k, s)).collect();
                    assert_eq!(got, want, "{t} {lang:?} round {round}");
                    phrase_words += got
                        .iter()
                        .filter(|it| it.phrase_word().is_some_and(|p| p != NONE))
                        .count();
                }
            }
        }
        assert!(memo.entries > 0);
        assert!(phrase_words > 0);
        // A (forged) hash collision is caught by the byte comparison: `about` (a stop word,
        // no token) is not given the one item of `alpha`.
        memo.clear();
        memo.items_of(1, &a, &coder, "alpha", Lang::Eng, &mut got);
        assert_eq!(got.len(), 1);
        let tag = (Lang::Eng as u32 + 1) << 1 | 1;
        let alpha = xxh3_64_with_seed(b"alpha", u64::from(tag));
        let the = xxh3_64_with_seed(b"about", u64::from(tag));
        let slot = memo.probe(alpha, tag, b"alpha").0;
        let mut forged = memo.slots[slot];
        forged.hash = the;
        let at = memo.probe(the, tag, b"about").0;
        memo.slots[at] = forged;
        memo.items_of(1, &a, &coder, "about", Lang::Eng, &mut got);
        assert!(got.is_empty());
    }
}
