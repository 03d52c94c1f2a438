//! Zero-shot topic matching from an ontology alone: every topic's slug, display names (all
//! languages) and keywords are analysed with the same analyzer as the posts, and all the
//! resulting phrases are matched at once (Aho–Corasick over the analysed token sequence, whole
//! tokens only). A phrase found inside a longer matched phrase does not count by itself
//! ("learning" in "machine learning"). A topic scores the number of tokens its phrases cover; results carry the
//! roll-up path. Trained classifiers are left to later work.

use aho_corasick::{AhoCorasick, MatchKind};
use rustc_hash::FxHashMap;

use super::phrase_trie::PhraseTrie;
use super::raw_memo::new_owner;
use crate::text::{Lang, TextAnalyzer, TokenKind, Tokens};
use crate::topics::ontology::{Ontology, TopicIdx};

/// A phrase matcher over one ontology.
#[derive(Debug)]
pub struct ZeroShot {
    matcher: AhoCorasick,
    /// For each pattern: the topics it names and its length in tokens.
    patterns: Vec<(Vec<TopicIdx>, u32)>,
    /// The same patterns over token ids (the fast path).
    pub(crate) trie: PhraseTrie,
    /// Owner id of per-thread memo entries made for this matcher.
    pub(crate) owner: u64,
}

/// Per-thread buffers for [`ZeroShot::classify`].
#[derive(Debug, Default)]
pub struct Scratch {
    tokens: Tokens,
    joined: String,
    scores: FxHashMap<TopicIdx, f64>,
}

fn joined_words(tokens: &Tokens, out: &mut String) {
    out.clear();
    out.push(' ');
    for (kind, text) in tokens.iter() {
        if kind.is_wordlike() || kind == TokenKind::Number {
            out.push_str(text);
            out.push(' ');
        }
    }
}

impl ZeroShot {
    /// Builds the matcher for `ontology`, analysing its names with `analyzer`.
    pub fn new(ontology: &Ontology, analyzer: &TextAnalyzer) -> Self {
        let mut by_phrase: FxHashMap<String, (Vec<TopicIdx>, u32)> = FxHashMap::default();
        let mut tokens = Tokens::new();
        let mut joined = String::new();
        for (i, t) in ontology.topics().iter().enumerate() {
            let names = t.names.iter().map(|(_, n)| n.as_str());
            let slug = t.slug.replace('-', " ");
            let all = [slug.as_str(), t.name.as_str()]
                .into_iter()
                .chain(names)
                .chain(t.keywords.iter().map(String::as_str));
            for name in all {
                analyzer.analyze(name, &mut tokens);
                joined_words(&tokens, &mut joined);
                let len = joined.split_ascii_whitespace().count() as u32;
                if len == 0 {
                    continue;
                }
                let e = by_phrase.entry(joined.clone()).or_insert((Vec::new(), len));
                if !e.0.contains(&(i as TopicIdx)) {
                    e.0.push(i as TopicIdx);
                }
            }
        }
        let mut phrases: Vec<(String, (Vec<TopicIdx>, u32))> = by_phrase.into_iter().collect();
        phrases.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(phrases.iter().map(|(p, _)| p.as_str()))
            .expect("phrase patterns build");
        // A pattern is ` a b ` (tokens between single spaces; tokens hold no space).
        let trie = PhraseTrie::new(
            phrases
                .iter()
                .map(|(p, _)| p[1..p.len() - 1].split(' ').collect()),
        );
        ZeroShot {
            matcher,
            patterns: phrases.into_iter().map(|(_, v)| v).collect(),
            trie,
            owner: new_owner(),
        }
    }

    /// Number of distinct phrases matched.
    pub fn phrases(&self) -> usize {
        self.patterns.len()
    }

    /// Topics of `text`, best first (ties by index), at most `top`.
    pub fn classify(
        &self,
        analyzer: &TextAnalyzer,
        text: &str,
        top: usize,
        scratch: &mut Scratch,
    ) -> Vec<(TopicIdx, f64)> {
        self.classify_with_hint(analyzer, text, None, top, scratch)
    }

    /// [`ZeroShot::classify`] for a text whose language may be known (`hint`).
    pub fn classify_with_hint(
        &self,
        analyzer: &TextAnalyzer,
        text: &str,
        hint: Option<Lang>,
        top: usize,
        scratch: &mut Scratch,
    ) -> Vec<(TopicIdx, f64)> {
        analyzer.analyze_with_hint(text, hint, &mut scratch.tokens);
        let Scratch {
            tokens,
            joined,
            scores,
        } = scratch;
        self.score_tokens(tokens, joined, scores);
        let mut v: Vec<(TopicIdx, f64)> = scores.iter().map(|(&t, &s)| (t, s)).collect();
        v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(top);
        v
    }

    /// Scores every topic whose phrases occur in already analysed `tokens` into `scores`
    /// (cleared first): the number of tokens its phrases cover. `joined` is a reusable buffer.
    pub fn score_tokens(
        &self,
        tokens: &Tokens,
        joined: &mut String,
        scores: &mut FxHashMap<TopicIdx, f64>,
    ) {
        joined_words(tokens, joined);
        scores.clear();
        let matches: Vec<(usize, usize, usize)> = self
            .matcher
            .find_overlapping_iter(joined.as_str())
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        for (k, &(start, end, p)) in matches.iter().enumerate() {
            // A phrase inside a longer matched phrase is part of it ("learning" in "machine
            // learning", "country" in "country music"): only the longer one counts.
            let inside =
                |&(s, e, _): &(usize, usize, usize)| s <= start && end <= e && e - s > end - start;
            if matches[..k].iter().chain(&matches[k + 1..]).any(inside) {
                continue;
            }
            let (topics, len) = &self.patterns[p];
            for &t in topics {
                *scores.entry(t).or_insert(0.0) += f64::from(*len);
            }
        }
    }

    /// [`ZeroShot::score_tokens`] over phrase-word ids (the wordlike and number tokens, in
    /// order, as [`PhraseTrie::word`] gives them) into `scores` (cleared first; each topic
    /// once, in order of first match). `matches` is a reusable buffer.
    pub(crate) fn score_ids(
        &self,
        ids: &[u32],
        matches: &mut Vec<(u32, u32, u32)>,
        scores: &mut Vec<(TopicIdx, f64)>,
    ) {
        self.trie.find_all(ids, matches);
        scores.clear();
        for (k, &(start, end, p)) in matches.iter().enumerate() {
            // The same rule as over text: token spans nest exactly as the byte spans do.
            let inside =
                |&(s, e, _): &(u32, u32, u32)| s <= start && end <= e && e - s > end - start;
            if matches[..k].iter().chain(&matches[k + 1..]).any(inside) {
                continue;
            }
            let (topics, len) = &self.patterns[p as usize];
            for &t in topics {
                match scores.iter_mut().find(|(u, _)| *u == t) {
                    Some((_, s)) => *s += f64::from(*len),
                    None => scores.push((t, f64::from(*len))),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::AnalyzerRegistry;

    #[test]
    fn matches_names_and_keywords_as_whole_tokens() {
        let o = crate::topics::builtin();
        let analyzer = AnalyzerRegistry::default().get("social").unwrap();
        let zs = ZeroShot::new(&o, &analyzer);
        let mut s = Scratch::default();
        let top = zs.classify(
            &analyzer,
            "What a dunk! The NBA finals are on #Basketball",
            3,
            &mut s,
        );
        assert_eq!(o.topic(top[0].0).id, "basketball");
        let top = zs.classify(
            &analyzer,
            "My #GardeningTips: compost your garden beds",
            1,
            &mut s,
        );
        assert_eq!(o.topic(top[0].0).id, "gardening");
        // `ai` inside `said` is no match: whole tokens only.
        assert!(zs.classify(&analyzer, "she said", 3, &mut s).is_empty());
    }
}
