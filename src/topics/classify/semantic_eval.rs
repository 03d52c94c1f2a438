//! Semantic zero-shot evaluation on labelled texts: the ontology bound to the label set, the
//! topics' and texts' embeddings computed once ([`SemanticEval`]), then labels predicted with
//! any [`SemanticParams`](crate::topics::SemanticParams) and scored like the other classifiers
//! ([`Report`]). The scoring itself is [`semantic`](super::semantic)'s.

use rayon::prelude::*;

use super::classifier::ClassifierScratch;
use super::eval::Report;
use super::input::LabelledSet;
use crate::error::Result;
use crate::topics::ontology::{Ontology, TopicIdx};

/// A labelled set prepared for semantic zero-shot evaluation: the ontology bound to the labels,
/// every topic's vectors and every text's embedding, computed once so that parameters can be
/// compared (calibrated) without running the model again.
#[derive(Debug)]
pub struct SemanticEval {
    link: super::label_link::LabelLink,
    vectors: super::semantic::TopicVectors,
    posts: crate::embed::Embeddings,
    /// Per topic: the roots above it (itself for a root).
    roots: Vec<Vec<TopicIdx>>,
    /// Per text: (topic, matched tokens) of the keyword matcher.
    keywords: Vec<Vec<(TopicIdx, f64)>>,
    /// Per label: its name embedded as a prompt.
    label_vecs: crate::embed::Embeddings,
}

impl SemanticEval {
    /// Embeds the topics of `ontology` and the texts of `set`, and matches keywords.
    pub fn new(
        ontology: Ontology,
        analyzer: &str,
        set: &LabelledSet,
        embedder: &crate::embed::Embedder,
        cache: Option<&crate::topics::VectorCache>,
    ) -> Result<Self> {
        let analyzer = super::classifier::analyzer_named(analyzer)?;
        let link = super::label_link::LabelLink::new(
            ontology,
            &analyzer,
            &set.labels,
            set.label_map.as_deref(),
        );
        let o = &link.ontology;
        let vectors = super::semantic::TopicVectors::new(o, embedder, cache)?;
        let texts: Vec<&str> = set.records.iter().map(|r| r.text.as_str()).collect();
        let posts = super::semantic::embed_windows(embedder, &texts)?;
        let roots = (0..o.len() as TopicIdx)
            .map(|t| {
                let mut r: Vec<TopicIdx> = o
                    .ancestors(t)
                    .into_iter()
                    .filter(|&a| o.parents(a).is_empty())
                    .collect();
                if o.parents(t).is_empty() {
                    r.push(t);
                }
                r
            })
            .collect();
        let keywords = set
            .records
            .par_iter()
            .map_init(ClassifierScratch::default, |s, r| {
                analyzer.analyze_with_hint(&r.text, r.lang, &mut s.tokens);
                link.matcher
                    .score_tokens(&s.tokens, &mut s.joined, &mut s.scores);
                let mut kw: Vec<(TopicIdx, f64)> = s.scores.iter().map(|(&t, &n)| (t, n)).collect();
                kw.sort_unstable_by_key(|&(t, _)| t);
                kw
            })
            .collect();
        let names: Vec<String> = set.labels.iter().map(|l| label_prompt(l)).collect();
        let label_vecs = embedder.embed(&names)?;
        Ok(SemanticEval {
            link,
            vectors,
            posts,
            roots,
            keywords,
            label_vecs,
        })
    }

    /// The labels predicted for text `i` (see [`evaluate_semantic`]).
    fn predict(
        &self,
        i: usize,
        labels: usize,
        single: bool,
        p: super::semantic::SemanticParams,
        buf: &mut [Vec<f32>; 4],
    ) -> Vec<u32> {
        let o = &self.link.ontology;
        let [cos, scores, ev, own] = buf;
        self.vectors.cosines(self.posts.row(i), own, cos);
        scores.clone_from(cos);
        super::semantic::add_keyword_bonus(
            o,
            self.keywords[i].iter().copied(),
            p.keyword_weight,
            p.keywords_full_at,
            scores,
            ev,
        );
        let best_root = o
            .roots()
            .iter()
            .filter(|&&t| cos[t as usize] >= p.abstain)
            .map(|&t| scores[t as usize])
            .fold(f32::NEG_INFINITY, f32::max);
        let mut label_score = vec![f32::NEG_INFINITY; labels];
        for t in 0..o.len() {
            let open = self.roots[t]
                .iter()
                .any(|&rt| scores[rt as usize] >= best_root - p.margin);
            if cos[t] < p.abstain || !open {
                continue;
            }
            for &l in &self.link.label_hits[t] {
                label_score[l as usize] = label_score[l as usize].max(scores[t]);
            }
        }
        let post = self.posts.row(i);
        for (l, s) in label_score.iter_mut().enumerate() {
            let c = crate::embed::dot(post, self.label_vecs.row(l));
            if c >= p.abstain {
                *s = s.max(c + p.label_prompt_bonus);
            }
        }
        let best = label_score
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max);
        if best == f32::NEG_INFINITY {
            return Vec::new();
        }
        if single {
            return vec![label_score
                .iter()
                .position(|&x| x == best)
                .expect("max exists") as u32];
        }
        let mut kept: Vec<u32> = (0..labels as u32)
            .filter(|&l| label_score[l as usize] >= best - p.margin)
            .collect();
        kept.sort_by(|&a, &b| {
            label_score[b as usize]
                .total_cmp(&label_score[a as usize])
                .then(a.cmp(&b))
        });
        kept.truncate(p.max_labels.max(1));
        kept
    }

    /// The labels predicted for every text of `set` (the set it was made from) with `params`.
    pub fn predictions(
        &self,
        set: &LabelledSet,
        params: super::semantic::ValidSemanticParams,
    ) -> Vec<Vec<u32>> {
        let single = set.records.iter().all(|r| r.labels.len() == 1);
        let labels = set.labels.len();
        (0..set.records.len())
            .into_par_iter()
            .map_init(Default::default, |buf, i| {
                self.predict(i, labels, single, params.get(), buf)
            })
            .collect()
    }

    /// Scores the predictions made with `params` against `set` (the set it was made from).
    pub fn report(
        &self,
        set: &LabelledSet,
        params: super::semantic::ValidSemanticParams,
    ) -> Report {
        let predicted = self.predictions(set, params);
        let labels = set.labels.len();
        let gold: Vec<Vec<u32>> = set.records.iter().map(|r| r.labels.clone()).collect();
        Report::new(labels, &gold, &predicted).named(&set.labels)
    }
}

/// A label name as a prompt: `food_&_dining` → `food & dining`.
fn label_prompt(label: &str) -> String {
    label.replace('_', " ")
}

/// Semantic zero-shot evaluation: each label maps to ontology topics as in
/// [`evaluate_zero_shot`](super::eval::evaluate_zero_shot); a text's label score is the best score (subtree cosine + keyword
/// bonus, see [`semantic`](super::semantic)) of a topic at or under the label's topics whose
/// cosine clears the abstain threshold, among the super-topics within `margin` of the text's
/// best one (top-down), or the cosine of the label's own name + `label_prompt_bonus`.
/// Predicted: the best label, and for multi-label data the labels within `margin` of it (at
/// most `max_labels`). Texts with nothing above the threshold get no label.
pub fn evaluate_semantic(
    ontology: Ontology,
    analyzer: &str,
    set: &LabelledSet,
    embedder: &crate::embed::Embedder,
    params: super::semantic::ValidSemanticParams,
    cache: Option<&crate::topics::VectorCache>,
) -> Result<Report> {
    Ok(SemanticEval::new(ontology, analyzer, set, embedder, cache)?.report(set, params))
}

/// Teacher → student on a labelled set: the semantic zero-shot teacher labels every text, and
/// a student (TF-IDF + the ontology's features, and the texts' embeddings when `train` asks
/// for them) is trained on the teacher's labels
/// of all folds but one and scored on that one against the true labels, for each of `k`
/// folds (text `i` in fold `i mod k`; `train` and `k` given as a pair). Returns the teacher's report and the student's.
pub fn evaluate_student(
    ontology: Ontology,
    analyzer: &str,
    set: &LabelledSet,
    embedder: &crate::embed::Embedder,
    params: super::semantic::ValidSemanticParams,
    (train, k): (&crate::topics::TrainParams, usize),
    cache: Option<&crate::topics::VectorCache>,
) -> Result<(Report, Report)> {
    let eval = SemanticEval::new(ontology.clone(), analyzer, set, embedder, cache)?;
    let teacher = eval.predictions(set, params);
    let gold: Vec<Vec<u32>> = set.records.iter().map(|r| r.labels.clone()).collect();
    let teacher_report = Report::new(set.labels.len(), &gold, &teacher).named(&set.labels);
    let student =
        super::eval::cross_validate_on(set, train, Some(ontology), k, &teacher, Some(&eval.posts))?;
    Ok((teacher_report, student))
}

/// The self-training step of semantic zero-shot evaluation ([`evaluate_self_trained`]): a
/// student with TF-IDF and embedding features, C = 1, cross-fitted over 5 folds, on sets of at
/// least 100 texts. Chosen on TweetTopicXL train + validation (200 tweets: teacher micro-F1
/// 0.433, student 0.444 with these values; C = 10 or 10 folds were below the teacher there).
pub const SELF_TRAIN_FOLDS: usize = 5;
/// Texts a set needs for self-training (fewer: the teacher alone).
pub const SELF_TRAIN_MIN_TEXTS: usize = 100;

/// What a topic classifier gave a labelled set, scored against its labels: each text's
/// topics (`topics[i]`, best first, as `topics classify` gives them) stand for the labels
/// mapped to them or to a topic above them (the label map of zero-shot evaluation); for
/// single-label data, the labels of the best topic that has any, and of those the first.
pub fn evaluate_topics(
    ontology: Ontology,
    analyzer: &str,
    set: &LabelledSet,
    topics: &[Vec<(TopicIdx, f64)>],
) -> Result<Report> {
    let analyzer = super::classifier::analyzer_named(analyzer)?;
    let link = super::label_link::LabelLink::new(
        ontology,
        &analyzer,
        &set.labels,
        set.label_map.as_deref(),
    );
    let single = set.records.iter().all(|r| r.labels.len() == 1);
    let predicted: Vec<Vec<u32>> = topics
        .iter()
        .map(|ts| {
            let mut ls: Vec<u32> = if single {
                ts.iter()
                    .find_map(|&(t, _)| link.label_hits[t as usize].first().copied())
                    .into_iter()
                    .collect()
            } else {
                ts.iter()
                    .flat_map(|&(t, _)| link.label_hits[t as usize].iter().copied())
                    .collect()
            };
            ls.sort_unstable();
            ls.dedup();
            ls
        })
        .collect();
    let gold: Vec<Vec<u32>> = set.records.iter().map(|r| r.labels.clone()).collect();
    Ok(Report::new(set.labels.len(), &gold, &predicted).named(&set.labels))
}

/// Self-training is for posts: a set whose median text is at most this many characters
/// (Mastodon's default post limit, the longest of the common platforms': tweets are 280,
/// Bluesky posts 300) is self-trained by default; longer texts (news articles) are left to the
/// teacher, which reads them whole and gains nothing from it (BBC News: 88.48% → 87.99%).
pub const SHORT_POST_CHARS: usize = 500;

/// Whether the median of `texts` is a short post ([`SHORT_POST_CHARS`]); false when empty.
pub fn short_posts<'a>(texts: impl Iterator<Item = &'a str>) -> bool {
    let mut lens: Vec<usize> = texts.map(|t| t.chars().count()).collect();
    if lens.is_empty() {
        return false;
    }
    let mid = lens.len() / 2;
    let (_, median, _) = lens.select_nth_unstable(mid);
    *median <= SHORT_POST_CHARS
}

/// The student's training parameters for self-training (see [`SELF_TRAIN_FOLDS`]).
pub fn self_train_params(analyzer: &str) -> crate::topics::TrainParams {
    crate::topics::TrainParams {
        c: 1.0,
        embedding: true,
        analyzer: analyzer.to_owned(),
        ..Default::default()
    }
}

/// Semantic zero-shot refined by self-training, still without a single true label: the
/// teacher labels every text, and each text's labels are then those of a student trained on
/// the teacher's labels of the other folds ([`evaluate_student`] with [`self_train_params`]),
/// so that what the embedding model sees across the whole set corrects single texts. Returns
/// the teacher's report and the refined one; the teacher's twice for a set under
/// [`SELF_TRAIN_MIN_TEXTS`].
pub fn evaluate_self_trained(
    ontology: Ontology,
    analyzer: &str,
    set: &LabelledSet,
    embedder: &crate::embed::Embedder,
    params: super::semantic::ValidSemanticParams,
    cache: Option<&crate::topics::VectorCache>,
) -> Result<(Report, Report)> {
    if set.records.len() < SELF_TRAIN_MIN_TEXTS {
        let teacher = evaluate_semantic(ontology, analyzer, set, embedder, params, cache)?;
        return Ok((teacher.clone(), teacher));
    }
    let train = self_train_params(analyzer);
    evaluate_student(
        ontology,
        analyzer,
        set,
        embedder,
        params,
        (&train, SELF_TRAIN_FOLDS),
        cache,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_posts_is_decided_by_the_median_length() {
        let tweet = "x".repeat(280);
        let article = "y".repeat(3000);
        assert!(short_posts([tweet.as_str(), &tweet, &article].into_iter()));
        assert!(!short_posts(
            [tweet.as_str(), &article, &article].into_iter()
        ));
        assert!(
            short_posts(["é".repeat(500).as_str()].into_iter()),
            "characters, not bytes"
        );
        assert!(!short_posts(["z".repeat(501).as_str()].into_iter()));
        assert!(!short_posts(std::iter::empty()));
    }
}
