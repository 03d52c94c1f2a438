//! Semantic zero-shot over an ontology: every topic is embedded from a short description (its
//! name, other display names, the path of its parents and its keywords). A post's cosine to a
//! topic is the best cosine of the topic or any topic under it, so that a super-topic stands
//! for everything it holds; keyword evidence (the [`ZeroShot`](crate::topics::ZeroShot) matcher, rolled up
//! to ancestors) adds a bounded bonus beside it, but never stands alone: a topic whose cosine
//! is below the abstain threshold is not chosen, whatever its keywords. Topics are picked top
//! down: the best super-topic, then its best child, and so on while the child clears the
//! threshold. The embedding model is left to [`crate::embed`].

use crate::embed::{dot, EmbedError, Embedder, Embeddings};
use crate::error::{Error, Result};
use crate::topics::ontology::{Ontology, TopicIdx};

/// Unchecked parameters of semantic matching.
///
/// | name | default | range | meaning |
/// |---|---|---|---|
/// | `abstain` | 0.10 | [-1, 1] | a topic (or label prompt) needs at least this cosine to be chosen; a post with none gets no topic |
/// | `keyword_weight` | 0.10 | [0, 1] | bonus for keyword evidence: weight × (topic's matched tokens / best topic's) × strength |
/// | `keywords_full_at` | 20 | [1, 10⁶] | strength = min(1, matched tokens in the post / this): many matches (an article) count fully, one word in a tweet a little |
/// | `margin` | 0.10 | [0, 1] | evaluation: super-topics within this of the best stay open; multi-label: labels within it of the best are kept |
/// | `topic_margin` | 0.05 | [0, 1] | classification: other super-topics within this of the best give a post further topics (a post's engagement is shared among its topics, so a second topic must be nearly as good as the first) |
/// | `max_labels` | 2 | ≥ 1 | multi-label: at most this many labels |
/// | `label_prompt_bonus` | 0.10 | [-1, 1] | evaluation: a label's own name embedded as a prompt ("food & dining") scores its cosine + this, beside its topics |
///
/// Calibrated on the visible labelled sets (BBC News, TweetTopicXL train + validation) by a
/// grid over these values, for the best BBC accuracy + 2 × TweetTopicXL micro-F1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SemanticParams {
    pub abstain: f32,
    pub keyword_weight: f32,
    pub margin: f32,
    /// Classification: other super-topics within this of the best give further topics.
    pub topic_margin: f32,
    /// Keyword evidence counts fully once a post has this many matched tokens.
    pub keywords_full_at: f32,
    /// Multi-label: at most this many labels.
    pub max_labels: usize,
    /// Added to the cosine of a label's own name (evaluation against labelled sets).
    pub label_prompt_bonus: f32,
}

impl Default for SemanticParams {
    fn default() -> Self {
        SemanticParams {
            abstain: 0.10,
            keyword_weight: 0.10,
            keywords_full_at: 20.0,
            margin: 0.10,
            topic_margin: 0.05,
            max_labels: 2,
            label_prompt_bonus: 0.10,
        }
    }
}

/// Parameters that passed [`SemanticParams::check`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidSemanticParams(SemanticParams);

impl SemanticParams {
    /// Validates the parameters against their documented ranges.
    pub fn check(self) -> Result<ValidSemanticParams> {
        let within = |name, v: f32, lo: f32, hi: f32| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(Error::param(name, format!("{v} is not in [{lo}, {hi}]")))
            }
        };
        within("abstain", self.abstain, -1.0, 1.0)?;
        within("keyword_weight", self.keyword_weight, 0.0, 1.0)?;
        within("margin", self.margin, 0.0, 1.0)?;
        within("topic_margin", self.topic_margin, 0.0, 1.0)?;
        within("keywords_full_at", self.keywords_full_at, 1.0, 1e6)?;
        within("label_prompt_bonus", self.label_prompt_bonus, -1.0, 1.0)?;
        if self.max_labels == 0 {
            return Err(Error::param("max_labels", "must be at least 1"));
        }
        Ok(ValidSemanticParams(self))
    }
}

impl ValidSemanticParams {
    /// The checked values.
    pub fn get(&self) -> SemanticParams {
        self.0
    }
}

/// The text a topic is embedded from: `Name (other names). Parent > Name: keyword, keyword`.
pub fn topic_text(ontology: &Ontology, t: TopicIdx) -> String {
    let topic = ontology.topic(t);
    let mut text = topic.name.clone();
    let mut others: Vec<&str> = Vec::new();
    for (_, n) in &topic.names {
        if !n.eq_ignore_ascii_case(&topic.name) && !others.iter().any(|o| o.eq_ignore_ascii_case(n))
        {
            others.push(n);
        }
    }
    if !others.is_empty() {
        text.push_str(&format!(" ({})", others[..others.len().min(6)].join(", ")));
    }
    let path = ontology.path(t);
    if path.len() > 1 {
        let names: Vec<&str> = path
            .iter()
            .map(|&p| ontology.topic(p).name.as_str())
            .collect();
        text.push_str(&format!(". {}", names.join(" > ")));
    }
    if !topic.keywords.is_empty() {
        text.push_str(": ");
        text.push_str(&topic.keywords.join(", "));
    }
    text
}

/// Words per window of [`embed_windows`]: about 100 WordPiece tokens of English, under the
/// model's 128.
pub const WINDOW_WORDS: usize = 80;
/// Windows per text at most (the first ones: a long article's lead says most of what it is
/// about).
pub const MAX_WINDOWS: usize = 4;

/// Unit vectors of `texts`, a long text as the normalised mean of the vectors of its first
/// [`MAX_WINDOWS`] windows of [`WINDOW_WORDS`] words (the model reads 128 tokens at most, so
/// one vector of an article would see only its first paragraph); a short post is one window.
pub fn embed_windows<S: AsRef<str> + Sync>(
    embedder: &Embedder,
    texts: &[S],
) -> Result<Embeddings, EmbedError> {
    let mut windows: Vec<String> = Vec::with_capacity(texts.len());
    let mut owner: Vec<usize> = Vec::with_capacity(texts.len());
    for (i, t) in texts.iter().enumerate() {
        let words: Vec<&str> = t.as_ref().split_whitespace().collect();
        if words.len() <= WINDOW_WORDS {
            windows.push(t.as_ref().to_owned());
            owner.push(i);
            continue;
        }
        for chunk in words.chunks(WINDOW_WORDS).take(MAX_WINDOWS) {
            windows.push(chunk.join(" "));
            owner.push(i);
        }
    }
    let e = embedder.embed(&windows)?;
    let dim = e.dim();
    let mut out = Embeddings::zeros(texts.len(), dim);
    let data = out.as_mut_slice();
    for (w, &i) in owner.iter().enumerate() {
        for (o, x) in data[i * dim..][..dim].iter_mut().zip(e.row(w)) {
            *o += x;
        }
    }
    for row in data.chunks_mut(dim) {
        let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            row.iter_mut().for_each(|x| *x /= norm);
        }
    }
    Ok(out)
}

/// Every topic's vector, and the topics of every subtree.
#[derive(Debug, Clone)]
pub struct TopicVectors {
    own: Embeddings,
    /// Per topic: itself and its descendants, each once.
    subtree: Vec<Vec<TopicIdx>>,
}

impl TopicVectors {
    /// Embeds every topic of `ontology` with `embedder`, through `cache` when given.
    pub fn new(
        ontology: &Ontology,
        embedder: &Embedder,
        cache: Option<&crate::topics::VectorCache>,
    ) -> Result<Self, EmbedError> {
        let texts: Vec<String> = (0..ontology.len() as TopicIdx)
            .map(|t| topic_text(ontology, t))
            .collect();
        let own = match cache {
            Some(c) => c.embed(embedder, &texts)?,
            None => embedder.embed(&texts)?,
        };
        let subtree = (0..ontology.len() as TopicIdx)
            .map(|t| {
                let mut s = ontology.descendants(t);
                s.insert(0, t);
                s
            })
            .collect();
        Ok(TopicVectors { own, subtree })
    }

    /// Number of topics.
    pub fn len(&self) -> usize {
        self.own.len()
    }

    /// Whether there are no topics.
    pub fn is_empty(&self) -> bool {
        self.own.is_empty()
    }

    /// Topic `t`'s own vector.
    pub fn vector(&self, t: TopicIdx) -> &[f32] {
        self.own.row(t as usize)
    }

    /// Each topic's subtree cosine to `post` (a unit vector): the best cosine of the topic or
    /// any topic under it, so that a super-topic stands for everything it holds; into `out`,
    /// with `own` a reusable buffer.
    pub fn cosines(&self, post: &[f32], own: &mut Vec<f32>, out: &mut Vec<f32>) {
        own.clear();
        own.extend((0..self.own.len()).map(|t| dot(post, self.own.row(t))));
        out.clear();
        out.extend(self.subtree.iter().map(|s| {
            s.iter()
                .map(|&d| own[d as usize])
                .fold(f32::NEG_INFINITY, f32::max)
        }));
    }
}

/// Adds the keyword bonus to `scores`: `keywords` holds (topic, tokens matched) pairs; each
/// topic's tokens count for it and its ancestors; a topic gets `weight` × its tokens / the
/// best topic's × min(1, all matched tokens / `full_at`).
pub fn add_keyword_bonus(
    ontology: &Ontology,
    keywords: impl Iterator<Item = (TopicIdx, f64)>,
    weight: f32,
    full_at: f32,
    scores: &mut [f32],
    evidence: &mut Vec<f32>,
) {
    let mut total = 0.0;
    evidence.clear();
    evidence.resize(scores.len(), 0.0);
    for (t, tokens) in keywords {
        total += tokens as f32;
        evidence[t as usize] += tokens as f32;
        for a in ontology.ancestors(t) {
            evidence[a as usize] += tokens as f32;
        }
    }
    let best = evidence.iter().copied().fold(0.0, f32::max).max(1.0);
    let strength = weight * (total / full_at.max(1.0)).min(1.0) / best;
    for (s, &e) in scores.iter_mut().zip(evidence.iter()) {
        *s += strength * e;
    }
}

/// The top-down path for one post: the best root, then its best child, and so on, each step
/// needing a cosine of at least `abstain` (`cosines`, without the keyword bonus) while
/// `scores` (cosine + bonus) rank the candidates. Empty when no root clears the threshold.
pub fn descend(
    ontology: &Ontology,
    cosines: &[f32],
    scores: &[f32],
    abstain: f32,
) -> Vec<TopicIdx> {
    let best = |cands: &[TopicIdx]| -> Option<TopicIdx> {
        cands
            .iter()
            .copied()
            .filter(|&t| cosines[t as usize] >= abstain)
            .max_by(|&a, &b| {
                scores[a as usize]
                    .total_cmp(&scores[b as usize])
                    .then(b.cmp(&a))
            })
    };
    let mut path = Vec::new();
    let mut cands = ontology.roots();
    while let Some(t) = best(cands) {
        if path.contains(&t) {
            break;
        }
        path.push(t);
        cands = ontology.children(t);
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_text_has_name_path_and_keywords() {
        let o = crate::topics::builtin();
        let nba = o.find("nba").unwrap();
        let text = topic_text(&o, nba);
        assert!(text.contains("Sports and Recreation > "), "{text}");
        assert!(text.contains(&o.topic(nba).name), "{text}");
    }

    #[test]
    fn descent_stops_below_the_threshold_and_keywords_never_stand_alone() {
        let o = crate::topics::builtin();
        let n = o.len();
        let sports = o.find("sports-and-recreation").unwrap();
        let nba = o.find("nba").unwrap();
        let mut cos = vec![0.0f32; n];
        cos[sports as usize] = 0.5;
        let path_to_nba = o.path(nba);
        for &t in &path_to_nba {
            cos[t as usize] = 0.5;
        }
        let path = descend(&o, &cos, &cos, 0.3);
        assert_eq!(path, path_to_nba);
        // Below the threshold: nothing, however high the keyword-boosted score.
        let low = vec![0.1f32; n];
        let high = vec![0.9f32; n];
        assert!(descend(&o, &low, &high, 0.3).is_empty());
        assert!(SemanticParams {
            abstain: 2.0,
            ..Default::default()
        }
        .check()
        .is_err());
    }
}
