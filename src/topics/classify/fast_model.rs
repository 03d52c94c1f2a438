//! The memoised hot path of a trained model: a post's chunks become [`Item`]s through the
//! per-thread [`RawMemo`] (one hash lookup per chunk seen before), unigram features come
//! straight from the items, bigrams from one table keyed by the two words' term hashes, and
//! ontology topics from phrase matching over token ids, rolled up through per-topic feature
//! id lists. No per-post allocation but the returned labels. It computes what the reference
//! ([`TopicModel::predict_reference`]) computes, in the same floating-point order, so labels
//! and probabilities are identical (tested on TweetTopicXL and on non-ASCII text).
//!
//! [`Item`]: super::raw_memo::Item
//! [`RawMemo`]: super::raw_memo::RawMemo

use rustc_hash::FxHashMap;

use super::classifier::ClassifierScratch;
use super::features::{word_key, Vocabulary};
use super::label_link::LabelLink;
use super::linear::Link;
use super::logit_rule::LogitRule;
use super::model::{probabilities, DecisionRule, TopicModel};
use super::raw_memo::{new_owner, Coder, Item, NONE};
use crate::text::Lang;

/// A model's lookup tables for the fast path.
#[derive(Debug)]
pub(crate) struct FastFeatures {
    /// Owner id of per-thread memo entries made for this model.
    owner: u64,
    /// Bigram feature ids by the term hashes of their two words.
    pairs: FxHashMap<(u64, u64), u32>,
    /// Per ontology topic: the feature ids of it and its ancestors (those in the vocabulary).
    topic_features: Vec<Vec<u32>>,
    /// The decision rule over logits, for a sigmoid model.
    rule: Option<LogitRule>,
}

impl FastFeatures {
    /// The tables of a model with vocabulary `vocab`, ontology link `link`, decision rule
    /// `rule` and scorer link `scores`.
    pub fn new(
        vocab: &Vocabulary,
        link: Option<&LabelLink>,
        rule: &DecisionRule,
        scores: Link,
    ) -> Self {
        let mut pairs = FxHashMap::default();
        for (id, term) in vocab.terms.iter().enumerate() {
            if let Some((a, b)) = term.strip_prefix("b:").and_then(|t| t.split_once(' ')) {
                pairs.insert((word_key(a), word_key(b)), id as u32);
            }
        }
        let topic_features = link.map_or_else(Vec::new, |l| {
            l.rolled_keys
                .iter()
                .map(|keys| keys.iter().filter_map(|&k| vocab.get(k)).collect())
                .collect()
        });
        FastFeatures {
            owner: new_owner(),
            pairs,
            topic_features,
            rule: LogitRule::new(rule, scores),
        }
    }
}

impl TopicModel {
    /// [`TopicModel::predict`] by the fast path, the kept labels into `s.kept`. The analyzer
    /// must be chunk-local.
    pub(crate) fn predict_fast(&self, text: &str, hint: Option<Lang>, s: &mut ClassifierScratch) {
        let fast = &self.fast;
        let link = self.link.as_ref().map(|l| &l.1);
        let coder = Coder {
            vocab: Some(&self.vocab),
            phrases: link.map(|l| &l.matcher.trie),
        };
        let lang = self.analyzer.resolve_lang(text, hint);
        s.memo
            .items_of(fast.owner, &self.analyzer, &coder, text, lang, &mut s.items);
        // Unigrams and bigrams of every token but URLs.
        s.ids.clear();
        let bigrams = self.params.bigrams && !fast.pairs.is_empty();
        let mut prev: Option<u64> = None;
        for it in s.items.iter().filter(|it| !it.is_url()) {
            if it.feature != NONE {
                s.ids.push(it.feature);
            }
            if bigrams {
                if let Some(&f) = prev.and_then(|p| fast.pairs.get(&(p, it.key))) {
                    s.ids.push(f);
                }
                prev = Some(it.key);
            }
        }
        // Ontology topics: rolled-up features (each once) and label evidence.
        let evidence = &mut s.doc.evidence;
        evidence.clear();
        evidence.resize(self.labels.len(), 0.0);
        if let Some(link) = link {
            s.phrase_ids.clear();
            s.phrase_ids
                .extend(s.items.iter().filter_map(Item::phrase_word));
            link.matcher
                .score_ids(&s.phrase_ids, &mut s.matches, &mut s.topic_scores);
            let start = s.ids.len();
            for &(t, score) in &s.topic_scores {
                s.ids.extend_from_slice(&fast.topic_features[t as usize]);
                for &l in &link.label_hits[t as usize] {
                    evidence[l as usize] += score as f32;
                }
            }
            let topics = &mut s.ids[start..];
            topics.sort_unstable();
            let mut w = 0;
            for r in 0..topics.len() {
                if r == 0 || topics[r] != topics[w - 1] {
                    topics[w] = topics[r];
                    w += 1;
                }
            }
            s.ids.truncate(start + w);
            // ln(1 + 0) = 0: only labels with evidence need the call.
            evidence
                .iter_mut()
                .filter(|e| **e > 0.0)
                .for_each(|e| *e = e.ln_1p());
        }
        self.vocab.weigh(&mut s.ids, &mut s.row);
        if self.emb_dim > 0 {
            let emb = std::mem::take(&mut s.embedding);
            super::model::append_embedding(&self.vocab, self.embedding_of(&emb), &mut s.row);
            s.embedding = emb;
        }
        self.linear.logits(&s.row, &mut s.logits);
        match &fast.rule {
            Some(rule) => rule.decide(
                &self.rule,
                &mut s.logits,
                &s.doc.evidence,
                &mut s.candidates,
                &mut s.kept,
            ),
            None => {
                probabilities(
                    self.linear.link,
                    &mut s.logits,
                    &s.doc.evidence,
                    self.rule.beta,
                );
                self.rule.decide_into(&s.logits, &mut s.kept);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Lang;
    use crate::topics::classify::input::{LabelledRecord, LabelledSet};
    use crate::topics::{builtin, TrainParams};

    fn set() -> LabelledSet {
        let texts = [
            ("The NBA finals tonight, what a dunk! #Basketball", vec![0]),
            ("Goal! Football at the stadium #WorldCup ⚽", vec![0]),
            ("New laptop software update and machine learning", vec![1]),
            ("Apple phone camera review https://t.co/x", vec![1]),
            ("Basketball players and software engineers", vec![0, 1]),
            ("Der Fußball heute im Stadion", vec![0]),
            ("Künstliche Intelligenz und Software", vec![1]),
            ("İstanbul maçı bugün, futbol", vec![0]),
        ];
        LabelledSet {
            labels: vec!["sports".into(), "technology".into()],
            records: texts
                .iter()
                .enumerate()
                .map(|(i, (t, l))| LabelledRecord {
                    id: i.to_string(),
                    text: (*t).into(),
                    labels: l.clone(),
                    lang: None,
                })
                .collect(),
            label_map: None,
        }
    }

    const TEXTS: &[&str] = &[
        "What a DUNK at the nba finals tonight!!! #NBAFinals2024 @espn 🏀🔥",
        "machine learning software, machine learning!",
        "Straße STRASSE straße İstanbul ISTANBUL ıstanbul Futbol maçı",
        "Élections à Paris: le président déçu 🇫🇷 中文 日本語のテキスト",
        "ｆｕｌｌｗｉｄｔｈ ﬁnals bas\u{a8}ketball e\u{301}te\u{301} 👨\u{200D}👩\u{200D}👧",
        "soooo goooood basketball basketball basketball https://x.co/a http://",
        "",
        "   \t\n ",
    ];

    #[test]
    fn fast_path_equals_the_reference() {
        for bigrams in [true, false] {
            let params = TrainParams {
                bigrams,
                inner_folds: 2,
                ..TrainParams::default()
            };
            for ontology in [Some(("builtin".to_string(), builtin())), None] {
                let m = TopicModel::train(&set(), params.clone(), ontology).unwrap();
                assert!(m.analyzer.is_chunk_local());
                let mut warm = ClassifierScratch::default();
                for round in 0..2 {
                    for &t in TEXTS.iter().chain(
                        set()
                            .records
                            .iter()
                            .map(|r| r.text.as_str())
                            .collect::<Vec<_>>()
                            .iter(),
                    ) {
                        for hint in [None, Some(Lang::Deu), Some(Lang::Tur), Some(Lang::Jpn)] {
                            let want =
                                m.predict_reference(t, hint, &mut ClassifierScratch::default());
                            assert_eq!(
                                m.predict(t, hint, &mut warm),
                                want,
                                "{t:?} {hint:?} {round}"
                            );
                        }
                    }
                }
            }
        }
    }
}
