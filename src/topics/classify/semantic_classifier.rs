//! Semantic zero-shot classification of posts over an ontology, top down: the matcher, the
//! topic vectors and the parameters bound together; see [`semantic`](super::semantic) for the
//! scoring. The model itself is left to [`crate::embed`].

use std::sync::Arc;

use rayon::prelude::*;

use super::classifier::ClassifierScratch;
use super::label_cache::{text_key, LabelCache, TeacherKey, Topics, MAX_ENTRIES};
use super::semantic::{add_keyword_bonus, descend, TopicVectors, ValidSemanticParams};
use super::zero_shot::ZeroShot;
use crate::embed::{Embedder, Embeddings};
use crate::error::Result;
use crate::text::{Lang, TextAnalyzer};
use crate::topics::ontology::{Ontology, TopicIdx};

/// An ontology ready for semantic zero-shot classification.
#[derive(Debug)]
pub struct SemanticClassifier {
    ontology: Ontology,
    matcher: ZeroShot,
    analyzer: Arc<TextAnalyzer>,
    vectors: TopicVectors,
    params: ValidSemanticParams,
    analyzer_name: String,
    /// Where the topics of texts labelled before are kept, with the model's tokens per text.
    labels: Option<(LabelCache, usize)>,
}

impl SemanticClassifier {
    /// Embeds the topics of `ontology` (through `cache` when given); `analyzer` names the
    /// keyword matcher's analyzer.
    pub fn new(
        ontology: Ontology,
        analyzer: &str,
        embedder: &Embedder,
        params: ValidSemanticParams,
        cache: Option<&crate::topics::VectorCache>,
    ) -> Result<Self> {
        let analyzer_name = analyzer.to_owned();
        let analyzer = super::classifier::analyzer_named(analyzer)?;
        let matcher = ZeroShot::new(&ontology, &analyzer);
        let vectors = TopicVectors::new(&ontology, embedder, cache)?;
        Ok(SemanticClassifier {
            ontology,
            matcher,
            analyzer,
            vectors,
            params,
            analyzer_name,
            labels: None,
        })
    }

    /// Reads the topics of texts labelled before from `cache`, and keeps there those of the
    /// texts it labels ([`SemanticClassifier::classify_all_cached`]); `embedder` is the model
    /// the texts will be embedded with.
    pub fn with_label_cache(mut self, cache: LabelCache, embedder: &Embedder) -> Self {
        self.labels = Some((cache, embedder.params().max_tokens()));
        self
    }

    /// [`SemanticClassifier::classify_all`] through the label cache when there is one: only
    /// the texts it does not hold are embedded (each distinct one once). Also gives how many
    /// items were found in the cache.
    pub fn classify_all_cached<T: Sync>(
        &self,
        embedder: &Embedder,
        items: &[T],
        text: impl Fn(&T) -> (&str, Option<Lang>) + Sync,
        top: usize,
    ) -> Result<(Vec<Topics>, usize)> {
        let Some((cache, max_tokens)) = &self.labels else {
            return Ok((self.classify_all(embedder, items, text, top)?, 0));
        };
        let file = cache.file(&TeacherKey {
            ontology: &self.ontology,
            max_tokens: *max_tokens,
            params: self.params.get(),
            analyzer: &self.analyzer_name,
            top,
        });
        let mut entries = file.read();
        let keys: Vec<u128> = items
            .par_iter()
            .map(|it| {
                let (t, l) = text(it);
                text_key(t, l)
            })
            .collect();
        let mut new_keys = rustc_hash::FxHashSet::default();
        let missing: Vec<usize> = (0..items.len())
            .filter(|&i| !entries.contains_key(&keys[i]) && new_keys.insert(keys[i]))
            .collect();
        let texts: Vec<(&str, Option<Lang>)> = missing.iter().map(|&i| text(&items[i])).collect();
        let found = self.classify_all(embedder, &texts, |t| *t, top)?;
        let hits = keys.iter().filter(|k| !new_keys.contains(*k)).count();
        for (&i, f) in missing.iter().zip(found) {
            entries.insert(keys[i], f);
        }
        let out: Vec<Topics> = keys.iter().map(|k| entries[k].clone()).collect();
        if !missing.is_empty() {
            if entries.len() > MAX_ENTRIES {
                entries = keys.iter().copied().zip(out.iter().cloned()).collect();
            }
            // A cache that cannot be written costs only time.
            let _ = file.write(&entries);
        }
        Ok((out, hits))
    }

    /// The ontology.
    pub fn ontology(&self) -> &Ontology {
        &self.ontology
    }

    /// Up to `top` topics per post, best first, each the end of a top-down path (the best
    /// super-topic's, then those of the other super-topics within `topic_margin` of it), with its
    /// score (cosine + keyword bonus). Posts with no super-topic above the abstain threshold
    /// get none.
    pub fn classify_all<T: Sync>(
        &self,
        embedder: &Embedder,
        items: &[T],
        text: impl Fn(&T) -> (&str, Option<Lang>) + Sync,
        top: usize,
    ) -> Result<Vec<Vec<(TopicIdx, f64)>>> {
        Ok(self.classify_all_embedded(embedder, items, text, top)?.0)
    }

    /// [`SemanticClassifier::classify_all`], and the posts' embeddings (row `i` for item `i`;
    /// long texts as the mean of their first windows).
    pub fn classify_all_embedded<T: Sync>(
        &self,
        embedder: &Embedder,
        items: &[T],
        text: impl Fn(&T) -> (&str, Option<Lang>) + Sync,
        top: usize,
    ) -> Result<(Vec<Vec<(TopicIdx, f64)>>, Embeddings)> {
        let texts: Vec<&str> = items.iter().map(|t| text(t).0).collect();
        let posts = super::semantic::embed_windows(embedder, &texts)?;
        let p = self.params.get();
        let o = &self.ontology;
        let found = items
            .par_iter()
            .enumerate()
            .map_init(
                || {
                    (
                        ClassifierScratch::default(),
                        Vec::new(),
                        Vec::new(),
                        Vec::new(),
                        Vec::new(),
                    )
                },
                |(s, cos, scores, ev, own), (i, item)| {
                    let (body, lang) = text(item);
                    self.analyzer.analyze_with_hint(body, lang, &mut s.tokens);
                    self.matcher
                        .score_tokens(&s.tokens, &mut s.joined, &mut s.scores);
                    self.vectors.cosines(posts.row(i), own, cos);
                    scores.clone_from(cos);
                    let kw = s.scores.iter().map(|(&t, &n)| (t, n));
                    add_keyword_bonus(o, kw, p.keyword_weight, p.keywords_full_at, scores, ev);
                    let Some(&first) = descend(o, cos, scores, p.abstain).first() else {
                        return Vec::new();
                    };
                    let floor = scores[first as usize] - p.topic_margin;
                    let mut roots: Vec<TopicIdx> = o
                        .roots()
                        .iter()
                        .copied()
                        .filter(|&r| cos[r as usize] >= p.abstain && scores[r as usize] >= floor)
                        .collect();
                    roots.sort_by(|&a, &b| {
                        scores[b as usize]
                            .total_cmp(&scores[a as usize])
                            .then(a.cmp(&b))
                    });
                    let mut found: Vec<(TopicIdx, f64)> = roots
                        .into_iter()
                        .take(top)
                        .map(|r| {
                            let leaf = descend_from(o, r, cos, scores, p.abstain);
                            (leaf, f64::from(scores[leaf as usize]))
                        })
                        .collect();
                    found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                    found.dedup_by_key(|f| f.0);
                    found
                },
            )
            .collect();
        Ok((found, posts))
    }
}

/// The end of the top-down path from `root`.
fn descend_from(
    o: &Ontology,
    root: TopicIdx,
    cos: &[f32],
    scores: &[f32],
    abstain: f32,
) -> TopicIdx {
    let mut cur = root;
    let mut seen = vec![root];
    loop {
        let next = o
            .children(cur)
            .iter()
            .copied()
            .filter(|&c| cos[c as usize] >= abstain && !seen.contains(&c))
            .max_by(|&a, &b| {
                scores[a as usize]
                    .total_cmp(&scores[b as usize])
                    .then(b.cmp(&a))
            });
        match next {
            Some(c) => {
                seen.push(c);
                cur = c;
            }
            None => return cur,
        }
    }
}
