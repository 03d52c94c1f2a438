//! The per-thread memo of the classifiers' hot path: from a chunk's raw bytes (see
//! [`text::chunks`](crate::text::chunks); before case folding, normalisation, stop words and
//! stemming) and the text's language straight to what its analysed tokens mean to one
//! classifier ([`Item`]: feature key and id, phrase word id). On the common path a chunk costs
//! one hash lookup; only a chunk not seen before is analysed. A hit is confirmed by comparing
//! the bytes, so a hash collision costs a recomputation, never a wrong token. Chunks holding a
//! URL (unique by nature) are not kept, and the memo is emptied when full.
//!
//! A memo belongs to one classifier at a time (its owner id): used for another, it is emptied
//! first. It holds only results of pure functions, so its state never changes a result.

use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::features::{word_key, Vocabulary};
use super::phrase_trie::PhraseTrie;
use crate::text::chunks::chunks;
use crate::text::{Lang, TextAnalyzer, TokenKind, Tokens};

/// Chunks kept before the memo is emptied.
pub const RAW_MEMO_CAPACITY: usize = 1 << 16;

/// "No such feature / phrase word".
pub(crate) const NONE: u32 = u32::MAX;
/// A token the phrase matcher steps over (not a word, hashtag part or number).
pub(crate) const SKIP: u32 = u32::MAX - 1;

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
    /// Its phrase word id, [`NONE`] (a word no phrase has) or [`SKIP`].
    pub phrase: u32,
    /// A URL: no feature, no bigram.
    pub url: bool,
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
        let url = kind == TokenKind::Url;
        let key = if url || self.vocab.is_none() {
            0
        } else {
            word_key(text)
        };
        let feature = match self.vocab {
            Some(v) if !url => v.get(key).unwrap_or(NONE),
            _ => NONE,
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
            url,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    bytes_start: u32,
    bytes_len: u32,
    items_start: u32,
    items_len: u32,
    lang: Lang,
    at_end: bool,
}

/// Chunk → items, for one owner.
#[derive(Debug, Default)]
pub(crate) struct RawMemo {
    owner: u64,
    index: FxHashMap<u64, u32>,
    entries: Vec<Entry>,
    bytes: Vec<u8>,
    items: Vec<Item>,
    /// Analysis buffer for chunks not seen before (its stem memo stays warm too).
    tokens: Tokens,
}

impl RawMemo {
    fn clear(&mut self) {
        self.index.clear();
        self.entries.clear();
        self.bytes.clear();
        self.items.clear();
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
        if self.owner != owner {
            self.clear();
            self.owner = owner;
        }
        out.clear();
        for chunk in chunks(text) {
            let seed = (lang as u64) << 1 | u64::from(chunk.at_end);
            let hash = xxh3_64_with_seed(chunk.text.as_bytes(), seed);
            if let Some(&i) = self.index.get(&hash) {
                let e = self.entries[i as usize];
                let (b, n) = (e.bytes_start as usize, e.bytes_len as usize);
                if e.lang == lang
                    && e.at_end == chunk.at_end
                    && &self.bytes[b..b + n] == chunk.text.as_bytes()
                {
                    let s = e.items_start as usize;
                    out.extend_from_slice(&self.items[s..s + e.items_len as usize]);
                    continue;
                }
            }
            analyzer.analyze_in(chunk.with_space, lang, &mut self.tokens);
            let first = out.len();
            let mut url = false;
            for (kind, t) in self.tokens.iter() {
                url |= kind == TokenKind::Url;
                out.push(coder.item(kind, t));
            }
            if url {
                continue;
            }
            if self.entries.len() >= RAW_MEMO_CAPACITY || self.bytes.len() > u32::MAX as usize / 2 {
                self.clear();
            }
            let entry = Entry {
                bytes_start: self.bytes.len() as u32,
                bytes_len: chunk.text.len() as u32,
                items_start: self.items.len() as u32,
                items_len: (out.len() - first) as u32,
                lang,
                at_end: chunk.at_end,
            };
            self.bytes.extend_from_slice(chunk.text.as_bytes());
            self.items.extend_from_slice(&out[first..]);
            self.index.insert(hash, self.entries.len() as u32);
            self.entries.push(entry);
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
        let coder = Coder {
            vocab: None,
            phrases: None,
        };
        let mut memo = RawMemo::default();
        let mut tokens = Tokens::new();
        let mut got = Vec::new();
        let texts = [
            "Running late at #NBAFinals https://t.co/x http://",
            "running LATE at #NBAFinals https://t.co/y http:// x",
            "İstanbul Straße 😀 中文",
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
                }
            }
        }
        assert!(!memo.entries.is_empty());
        // A (forged) hash collision is caught by the byte comparison: `the` (a stop word,
        // no token) is not given the one item of `alpha`.
        memo.clear();
        memo.owner = 1;
        memo.items_of(1, &a, &coder, "alpha", Lang::Eng, &mut got);
        assert_eq!(got.len(), 1);
        let forged = xxh3_64_with_seed(b"the", (Lang::Eng as u64) << 1 | 1);
        memo.index.insert(forged, 0);
        memo.items_of(1, &a, &coder, "the", Lang::Eng, &mut got);
        assert!(got.is_empty());
    }
}
