//! Sparse TF-IDF features of analysed text for the trained classifiers: every token but URLs
//! (stems, `#hashtags` and their parts, `@mentions`, emoji, numbers), optionally the bigrams of
//! consecutive kept tokens, and the ontology topics the zero-shot matcher finds in the text,
//! rolled up to their ancestors (`t:basketball`, `t:sports-and-recreation`), which let a few
//! training examples generalise to words they never saw.
//!
//! Terms are found by a 64-bit hash (xxh3) of their text, so scoring a post allocates nothing.
//! A feature's value is `(1 + ln tf) · idf` with `idf = ln((1 + n) / (1 + df)) + 1`
//! (scikit-learn's smoothed IDF, sublinear TF), and each text's vector has unit L2 norm.

use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use crate::text::{TokenKind, Tokens};

const BIGRAM_SEED: u64 = 0x6269_6772_616d;
const TOPIC_SEED: u64 = 0x746f_7069_63;

/// Hash of a unigram term.
pub(crate) fn word_key(text: &str) -> u64 {
    xxh3_64(text.as_bytes())
}

/// Hash of the bigram `first second` from the first word's hash.
pub(crate) fn bigram_key(first: u64, second: &str) -> u64 {
    xxh3_64_with_seed(second.as_bytes(), first ^ BIGRAM_SEED)
}

/// Hash of an ontology topic feature.
pub(crate) fn topic_key(slug: &str) -> u64 {
    xxh3_64_with_seed(slug.as_bytes(), TOPIC_SEED)
}

/// The hash of a stored term (`w:…`, `b:first second`, `t:slug`), or `None` if malformed.
pub(crate) fn term_key(term: &str) -> Option<u64> {
    let (kind, rest) = term.split_at_checked(2)?;
    match kind {
        "w:" => Some(word_key(rest)),
        "b:" => {
            let (a, b) = rest.split_once(' ')?;
            Some(bigram_key(word_key(a), b))
        }
        "t:" => Some(topic_key(rest)),
        _ => None,
    }
}

/// Appends the term hashes of `tokens` to `keys`; with `names`, also records each hash's term.
pub(crate) fn token_keys(
    tokens: &Tokens,
    bigrams: bool,
    keys: &mut Vec<u64>,
    mut names: Option<&mut FxHashMap<u64, String>>,
) {
    let mut prev: Option<(u64, &str)> = None;
    for (kind, text) in tokens.iter() {
        if kind == TokenKind::Url {
            continue;
        }
        let k = word_key(text);
        keys.push(k);
        if let Some(n) = names.as_deref_mut() {
            n.entry(k).or_insert_with(|| format!("w:{text}"));
        }
        if bigrams {
            if let Some((pk, ptext)) = prev {
                let b = bigram_key(pk, text);
                keys.push(b);
                if let Some(n) = names.as_deref_mut() {
                    n.entry(b).or_insert_with(|| format!("b:{ptext} {text}"));
                }
            }
            prev = Some((k, text));
        }
    }
}

/// A fitted vocabulary with IDF weights.
#[derive(Debug, Clone)]
pub(crate) struct Vocabulary {
    /// Term texts by feature id (`w:…`, `b:…`, `t:…`), sorted.
    pub terms: Vec<String>,
    pub idf: Vec<f32>,
    index: FxHashMap<u64, u32>,
}

impl Vocabulary {
    /// Fits on the term hashes of each document: keeps terms in at least `min_df` documents
    /// (bigrams in at least `max(min_df, 2)`), numbered in term order.
    pub fn fit(docs: &[Vec<u64>], names: &FxHashMap<u64, String>, min_df: u32) -> Self {
        let mut df: FxHashMap<u64, u32> = FxHashMap::default();
        let mut seen = Vec::new();
        for d in docs {
            seen.clear();
            seen.extend_from_slice(d);
            seen.sort_unstable();
            seen.dedup();
            for &k in &seen {
                *df.entry(k).or_insert(0) += 1;
            }
        }
        let n = docs.len() as f64;
        let mut kept: Vec<(&str, u32)> = df
            .iter()
            .filter_map(|(k, &c)| {
                let name = names.get(k)?;
                let need = if name.starts_with("b:") {
                    min_df.max(2)
                } else {
                    min_df
                };
                (c >= need).then_some((name.as_str(), c))
            })
            .collect();
        kept.sort_unstable();
        let idf = kept
            .iter()
            .map(|&(_, c)| (((1.0 + n) / (1.0 + f64::from(c))).ln() + 1.0) as f32)
            .collect();
        let terms: Vec<String> = kept.into_iter().map(|(t, _)| t.to_owned()).collect();
        Self::from_parts(terms, idf).expect("fitted terms are well formed")
    }

    /// Rebuilds a vocabulary from stored terms and IDFs; `None` if a term is malformed or
    /// the lengths differ.
    pub fn from_parts(terms: Vec<String>, idf: Vec<f32>) -> Option<Self> {
        if terms.len() != idf.len() {
            return None;
        }
        let mut index = FxHashMap::default();
        index.reserve(terms.len());
        for (i, t) in terms.iter().enumerate() {
            index.insert(term_key(t)?, i as u32);
        }
        Some(Vocabulary { terms, idf, index })
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// The feature id of a term hash.
    pub fn get(&self, key: u64) -> Option<u32> {
        self.index.get(&key).copied()
    }

    /// The unit-norm TF-IDF vector of a document's term hashes into `out` (sorted by feature;
    /// cleared first). `ids` is a reusable buffer.
    pub fn vectorize(&self, keys: &[u64], ids: &mut Vec<u32>, out: &mut Vec<(u32, f32)>) {
        ids.clear();
        ids.extend(keys.iter().filter_map(|&k| self.get(k)));
        self.weigh(ids, out);
    }

    /// The unit-norm TF-IDF vector of a document's feature ids (each occurrence once, any
    /// order; sorted here) into `out` (cleared first).
    pub fn weigh(&self, ids: &mut [u32], out: &mut Vec<(u32, f32)>) {
        ids.sort_unstable();
        out.clear();
        let mut norm = 0.0f32;
        let mut i = 0;
        while i < ids.len() {
            let f = ids[i];
            let mut j = i + 1;
            while j < ids.len() && ids[j] == f {
                j += 1;
            }
            // ln 1 = 0 exactly: skip the call for the usual single occurrence.
            let tf = if j - i == 1 {
                1.0
            } else {
                1.0 + ((j - i) as f32).ln()
            };
            let v = tf * self.idf[f as usize];
            norm += v * v;
            out.push((f, v));
            i = j;
        }
        if norm > 0.0 {
            let inv = 1.0 / norm.sqrt();
            for (_, v) in out.iter_mut() {
                *v *= inv;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tfidf_matches_scikit_learn_formula() {
        // Three documents over words a, b, c (hashes stand in for analysed tokens).
        let (a, b, c) = (word_key("a"), word_key("b"), word_key("c"));
        let names: FxHashMap<u64, String> = [(a, "w:a"), (b, "w:b"), (c, "w:c")]
            .into_iter()
            .map(|(k, v)| (k, v.to_owned()))
            .collect();
        let docs = vec![vec![a, a, b], vec![a, c], vec![a]];
        let v = Vocabulary::fit(&docs, &names, 1);
        assert_eq!(v.terms, ["w:a", "w:b", "w:c"]);
        // idf(a) = ln(4/4)+1 = 1; idf(b) = ln(4/2)+1.
        assert!((v.idf[0] - 1.0).abs() < 1e-6);
        assert!((v.idf[1] - (2f32.ln() + 1.0)).abs() < 1e-6);
        let get = |d: usize, f: u32| {
            let (mut ids, mut row) = (Vec::new(), Vec::new());
            v.vectorize(&docs[d], &mut ids, &mut row);
            row.iter().find(|e| e.0 == f).map(|e| e.1)
        };
        // Document 0: a has tf 2 → 1 + ln 2; b → idf(b); then unit norm.
        let (x, y) = (1.0 + 2f32.ln(), 2f32.ln() + 1.0);
        let n = (x * x + y * y).sqrt();
        assert!((get(0, 0).unwrap() - x / n).abs() < 1e-6);
        assert!((get(0, 1).unwrap() - y / n).abs() < 1e-6);
        assert!((get(2, 0).unwrap() - 1.0).abs() < 1e-6);
        assert_eq!(term_key("b:a b"), Some(bigram_key(a, "b")));
        assert_eq!(term_key("x"), None);
    }
}
