//! Phrase matching over token ids: the zero-shot matcher's phrases (analysed topic names, as
//! sequences of analysed tokens) in a trie keyed by phrase-word ids, so that a post's tokens,
//! once turned into ids (per-thread memo), are matched without building or scanning a string.
//! It finds exactly what Aho–Corasick over the space-joined tokens finds (every occurrence of
//! every phrase as whole consecutive tokens), as token spans.

use rustc_hash::FxHashMap;

use super::raw_memo::NONE;

/// Phrases as a trie over word ids.
#[derive(Debug, Default)]
pub(crate) struct PhraseTrie {
    words: FxHashMap<String, u32>,
    /// `(node << 32) | word` → child node; node 0 is the root.
    edges: FxHashMap<u64, u32>,
    /// Per node: the phrase ending there, or [`NONE`].
    phrase_at: Vec<u32>,
}

impl PhraseTrie {
    /// The trie of `phrases`, each a sequence of token texts; phrase `p` is reported as `p`.
    pub fn new<'a>(phrases: impl IntoIterator<Item = Vec<&'a str>>) -> Self {
        let mut t = PhraseTrie {
            phrase_at: vec![NONE],
            ..Default::default()
        };
        for (p, words) in phrases.into_iter().enumerate() {
            let mut node = 0u32;
            for w in words {
                let next_word = t.words.len() as u32;
                let id = *t.words.entry(w.to_owned()).or_insert(next_word);
                let next_node = t.phrase_at.len() as u32;
                node = *t
                    .edges
                    .entry(u64::from(node) << 32 | u64::from(id))
                    .or_insert(next_node);
                if node == next_node {
                    t.phrase_at.push(NONE);
                }
            }
            t.phrase_at[node as usize] = p as u32;
        }
        t
    }

    /// The id of a phrase word, or [`NONE`].
    pub fn word(&self, text: &str) -> u32 {
        self.words.get(text).copied().unwrap_or(NONE)
    }

    /// Every occurrence of every phrase in `ids` (word ids, [`NONE`] for other words) into
    /// `out` (cleared first) as `(start, end, phrase)` token spans.
    pub fn find_all(&self, ids: &[u32], out: &mut Vec<(u32, u32, u32)>) {
        out.clear();
        for start in 0..ids.len() {
            let mut node = 0u32;
            for (end, &w) in ids.iter().enumerate().skip(start) {
                if w == NONE {
                    break;
                }
                match self.edges.get(&(u64::from(node) << 32 | u64::from(w))) {
                    Some(&n) => node = n,
                    None => break,
                }
                let p = self.phrase_at[node as usize];
                if p != NONE {
                    out.push((start as u32, end as u32 + 1, p));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_overlapping_whole_token_phrases() {
        let t = PhraseTrie::new([vec!["machin", "learn"], vec!["learn"], vec!["a", "b", "c"]]);
        let id = |w: &str| t.word(w);
        let ids = [
            id("machin"),
            id("learn"),
            NONE,
            id("a"),
            id("b"),
            id("c"),
            id("learn"),
        ];
        let mut out = Vec::new();
        t.find_all(&ids, &mut out);
        assert_eq!(out, [(0, 2, 0), (1, 2, 1), (3, 6, 2), (6, 7, 1)]);
        t.find_all(&[id("a"), id("b")], &mut out);
        assert!(out.is_empty());
    }
}
