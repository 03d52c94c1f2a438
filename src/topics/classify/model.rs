//! A trained multi-label topic model: TF-IDF features of analysed text (with the ontology's
//! rolled-up topic matches as extra features, see [`features`](super::features)), a linear
//! scorer trained by naive Bayes or logistic regression, the ontology's label evidence blended
//! in, and a decision rule.
//!
//! **Combining with the ontology.** Besides the topic features, each label mapped to ontology
//! topics (see [`label_link`](super::label_link)) gets `β · ln(1 + e_l)` added to its logit,
//! where `e_l` is the number of text tokens matching topics at or under the label's topics.
//!
//! **Decision rule.** Data where every training text has exactly one label gives a single-label
//! model: the best label only. Otherwise: the best label (when every training text has at
//! least one), plus every other label whose probability reaches its own threshold. `β` and the
//! thresholds are tuned by internal `k`-fold cross-validation on the training data (fold of
//! text `i` = `i mod k`): each threshold maximises its label's F1 over the out-of-fold
//! probabilities, but is never so low that the label would be predicted for more out-of-fold
//! texts than carry it (see [`label_threshold`]); `β ∈ {0, ½, 1, 2, 4}` maximises the macro-F1
//! of the whole rule (ties: the smaller).
//!
//! **Why the cap.** F1 alone is maximised by a low threshold when a label is hard to tell
//! apart (a weak scorer's best F1 is often "predict it nearly everywhere"): on 1,000 Spanish
//! TweetTopicXL tweets the uncapped rule predicted 4.9 labels per tweet against 1.8 true, and
//! `gaming` (6 tweets) for 80% of them. With the cap, a label is predicted about as often as
//! it occurs, so the number of labels per text stays near the training data's (the rule
//! records both, [`DecisionRule::labels_per_text`]).

use std::sync::Arc;

use ndarray::Array2;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::classifier::ClassifierScratch;
use super::fast_model::FastFeatures;
use super::features::{token_keys, Vocabulary};
use super::input::LabelledSet;
use super::label_link::LabelLink;
use super::linear::{membership, sigmoid, train_lr, train_nb, Linear, Link};
use crate::embed::Embeddings;
use crate::error::{Error, Result};
use crate::text::{Lang, TextAnalyzer};
use crate::topics::ontology::Ontology;

/// The trainer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Algorithm {
    /// Multinomial naive Bayes.
    Nb,
    /// One-vs-rest L2 logistic regression.
    Lr,
}

/// Training parameters, checked by [`TrainParams::validate`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainParams {
    pub algorithm: Algorithm,
    /// Inverse L2 strength of logistic regression (> 0).
    pub c: f64,
    /// Naive Bayes smoothing (> 0).
    pub alpha: f64,
    /// Add bigrams of consecutive tokens.
    pub bigrams: bool,
    /// Minimum document frequency of a term (≥ 1; bigrams at least 2).
    pub min_df: u32,
    /// Folds of the internal cross-validation that tunes β and thresholds (≥ 2).
    pub inner_folds: usize,
    /// Analyzer name (see `AnalyzerRegistry`).
    pub analyzer: String,
    /// Also a feature per dimension of the text's sentence embedding (`--features
    /// tfidf,embedding`): the model then needs the embedding model to classify.
    #[serde(default)]
    pub embedding: bool,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            algorithm: Algorithm::Lr,
            c: 10.0,
            alpha: 0.1,
            bigrams: true,
            min_df: 1,
            inner_folds: 5,
            analyzer: "social".into(),
            embedding: false,
        }
    }
}

impl TrainParams {
    /// Checks the ranges.
    pub fn validate(&self) -> Result<()> {
        if !(self.c > 0.0 && self.c.is_finite()) {
            return Err(Error::param("c", format!("must be > 0, got {}", self.c)));
        }
        if !(self.alpha > 0.0 && self.alpha.is_finite()) {
            return Err(Error::param(
                "alpha",
                format!("must be > 0, got {}", self.alpha),
            ));
        }
        if self.min_df == 0 {
            return Err(Error::param("min_df", "must be at least 1"));
        }
        if self.inner_folds < 2 {
            return Err(Error::param("inner_folds", "must be at least 2"));
        }
        Ok(())
    }
}

/// β values tried by the internal cross-validation.
const BETAS: [f32; 5] = [0.0, 0.5, 1.0, 2.0, 4.0];

/// A trained model, ready to classify.
#[derive(Debug)]
pub struct TopicModel {
    pub(crate) labels: Vec<String>,
    pub(crate) params: TrainParams,
    pub(crate) analyzer: Arc<TextAnalyzer>,
    /// The ontology's name (`builtin`, `klout`, …) and its link to the labels.
    pub(crate) link: Option<(String, LabelLink)>,
    pub(crate) vocab: Vocabulary,
    pub(crate) linear: Linear,
    pub(crate) rule: DecisionRule,
    /// The labels as a flat ontology (for paths in output).
    pub(crate) label_ontology: Ontology,
    /// Lookup tables of the memoised hot path (built from the above).
    pub(crate) fast: FastFeatures,
    /// Dimensions of the sentence embedding appended to each text's features (0: none); its
    /// features are `vocab.len()..vocab.len() + emb_dim`.
    pub(crate) emb_dim: usize,
    /// Trained on the embedding model's labels ([`distill`](super::distill)): each label is
    /// one topic of the linked ontology, and results are that ontology's topics.
    pub(crate) student: bool,
}

/// How probabilities become a label set.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DecisionRule {
    /// Only the best label.
    pub single: bool,
    /// Always keep the best label.
    pub always_top: bool,
    /// Per-label probability thresholds (multi-label).
    pub thresholds: Vec<f32>,
    /// Weight of the ontology evidence.
    pub beta: f32,
    /// Labels per text in the internal cross-validation: `(predicted, true)` (1, 1 for a
    /// single-label model; absent from models written before it was recorded).
    #[serde(default)]
    pub labels_per_text: Option<(f32, f32)>,
}

/// One analysed text: term hashes, per-label ontology evidence `ln(1 + e_l)`, and its
/// sentence embedding when the model uses one (else empty).
#[derive(Debug, Clone, Default)]
pub(crate) struct Doc {
    pub keys: Vec<u64>,
    pub evidence: Vec<f32>,
    pub emb: Vec<f32>,
}

/// A text's feature row: its unit TF-IDF vector (ids below `vocab.len()`), then its
/// embedding (unit length too) as features `vocab.len()..`.
pub(crate) fn feature_row(
    vocab: &Vocabulary,
    keys: &[u64],
    emb: &[f32],
    ids: &mut Vec<u32>,
    row: &mut Vec<(u32, f32)>,
) {
    vocab.vectorize(keys, ids, row);
    append_embedding(vocab, emb, row);
}

/// Appends `emb` to a TF-IDF row of `vocab` (see [`feature_row`]).
pub(crate) fn append_embedding(vocab: &Vocabulary, emb: &[f32], row: &mut Vec<(u32, f32)>) {
    let base = vocab.len();
    row.extend(emb.iter().enumerate().map(|(j, &v)| ((base + j) as u32, v)));
}

/// The design matrix of `docs[idx]`: vocabulary columns, then embedding columns.
fn design(vocab: &Vocabulary, docs: &[Doc], idx: &[usize]) -> sprs::CsMat<f32> {
    let dim = idx.first().map_or(0, |&i| docs[i].emb.len());
    let mut tri = sprs::TriMat::new((idx.len(), (vocab.len() + dim).max(1)));
    let (mut ids, mut row) = (Vec::new(), Vec::new());
    for (r, &i) in idx.iter().enumerate() {
        feature_row(vocab, &docs[i].keys, &docs[i].emb, &mut ids, &mut row);
        for &(c, v) in &row {
            tri.add_triplet(r, c as usize, v);
        }
    }
    tri.to_csr()
}

/// Analyses `text` into `doc` (with `names` recording feature names at training time).
pub(crate) fn analyze(
    analyzer: &TextAnalyzer,
    link: Option<&LabelLink>,
    bigrams: bool,
    labels: usize,
    text: &str,
    lang: Option<Lang>,
    s: &mut ClassifierScratch,
    doc: &mut Doc,
    mut names: Option<&mut FxHashMap<u64, String>>,
) {
    analyzer.analyze_with_hint(text, lang, &mut s.tokens);
    doc.keys.clear();
    doc.evidence.clear();
    doc.evidence.resize(labels, 0.0);
    token_keys(&s.tokens, bigrams, &mut doc.keys, names.as_deref_mut());
    if let Some(link) = link {
        link.apply(
            &s.tokens,
            &mut s.joined,
            &mut s.scores,
            &mut doc.keys,
            &mut doc.evidence,
            names,
        );
        doc.evidence.iter_mut().for_each(|e| *e = e.ln_1p());
    }
}

/// Analyses every text of `set` in parallel; returns the docs and the feature names.
pub(crate) fn analyze_all(
    analyzer: &TextAnalyzer,
    link: Option<&LabelLink>,
    bigrams: bool,
    set: &LabelledSet,
) -> (Vec<Doc>, FxHashMap<u64, String>) {
    let labels = set.labels.len();
    let parts: Vec<(Vec<Doc>, FxHashMap<u64, String>)> = set
        .records
        .par_chunks(256)
        .map(|chunk| {
            let mut s = ClassifierScratch::default();
            let mut names = FxHashMap::default();
            let docs = chunk
                .iter()
                .map(|r| {
                    let mut d = Doc::default();
                    analyze(
                        analyzer,
                        link,
                        bigrams,
                        labels,
                        &r.text,
                        r.lang,
                        &mut s,
                        &mut d,
                        Some(&mut names),
                    );
                    d
                })
                .collect();
            (docs, names)
        })
        .collect();
    let mut docs = Vec::with_capacity(set.records.len());
    let mut names = FxHashMap::default();
    for (d, n) in parts {
        docs.extend(d);
        for (k, v) in n {
            names.entry(k).or_insert(v);
        }
    }
    (docs, names)
}

/// Gives each doc its embedding (row `i` of `emb` for doc `i`) when `params` ask for embedding
/// features; the embedding's dimension (0 without). An error when they are asked for and not
/// given, or given for another number of texts.
pub(crate) fn attach_embeddings(
    params: &TrainParams,
    docs: &mut [Doc],
    emb: Option<&Embeddings>,
) -> Result<usize> {
    match (params.embedding, emb) {
        (false, _) => Ok(0),
        (true, None) => Err(Error::param(
            "features",
            "embedding features need each text's sentence embedding (the embedding model)",
        )),
        (true, Some(e)) if e.len() != docs.len() => Err(Error::param(
            "features",
            format!("{} embeddings for {} texts", e.len(), docs.len()),
        )),
        (true, Some(e)) => {
            for (i, d) in docs.iter_mut().enumerate() {
                d.emb = e.row(i).to_vec();
            }
            Ok(e.dim())
        }
    }
}

/// The vocabulary and linear scorer trained on `docs[idx]`.
pub(crate) fn fit_linear(
    params: &TrainParams,
    docs: &[Doc],
    gold: &[Vec<u32>],
    idx: &[usize],
    names: &FxHashMap<u64, String>,
    labels: usize,
    single: bool,
) -> (Vocabulary, Linear) {
    let keys: Vec<Vec<u64>> = idx.iter().map(|&i| docs[i].keys.clone()).collect();
    let vocab = Vocabulary::fit(&keys, names, params.min_df);
    let x = design(&vocab, docs, idx);
    let y = membership(
        labels,
        &idx.iter().map(|&i| gold[i].clone()).collect::<Vec<_>>(),
    );
    let linear = match params.algorithm {
        Algorithm::Nb => train_nb(&x, &y, labels, params.alpha, single),
        Algorithm::Lr => train_lr(&x, &y, labels, params.c),
    };
    (vocab, linear)
}

/// Probabilities from logits plus `beta` · evidence.
pub(crate) fn probabilities(link: Link, logits: &mut [f32], evidence: &[f32], beta: f32) {
    for (z, e) in logits.iter_mut().zip(evidence) {
        *z += beta * e;
    }
    match link {
        Link::Sigmoid => logits.iter_mut().for_each(|z| *z = sigmoid(*z)),
        Link::Softmax => {
            let m = logits.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
            let mut sum = 0.0;
            for z in logits.iter_mut() {
                *z = (*z - m).exp();
                sum += *z;
            }
            logits.iter_mut().for_each(|z| *z /= sum);
        }
    }
}

impl DecisionRule {
    /// The kept labels of one text's probabilities, best first (ties by index).
    pub fn decide(&self, probs: &[f32]) -> Vec<(u32, f32)> {
        let mut kept = Vec::new();
        self.decide_into(probs, &mut kept);
        kept
    }

    /// [`DecisionRule::decide`] into `kept` (cleared first), without sorting every label:
    /// the best label is found by one scan, and only the kept ones are sorted.
    pub fn decide_into(&self, probs: &[f32], kept: &mut Vec<(u32, f32)>) {
        // Best first, ties by index.
        let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        kept.clear();
        let labelled = probs.iter().enumerate().map(|(l, &p)| (l as u32, p));
        let Some(top) = labelled.clone().min_by(order) else {
            return;
        };
        if self.single {
            kept.push(top);
            return;
        }
        kept.extend(
            labelled.filter(|&(l, p)| {
                (l == top.0 && self.always_top) || p >= self.thresholds[l as usize]
            }),
        );
        kept.sort_unstable_by(order);
    }
}

/// One label's threshold from its out-of-fold `(probability, is it true)` pairs: the larger
/// of the F1-maximising cut ([`best_threshold`]) and the cut above which the label is
/// predicted for no more texts than carry it (the midpoint between the `p`-th and the next
/// lower distinct probability, `p` = positives), so that a label that cannot be told apart is
/// not predicted everywhere. 2 when the label has no positives (only the top-label rule can
/// predict it).
pub(crate) fn label_threshold(probs: &[(f32, bool)]) -> f32 {
    let positives = probs.iter().filter(|p| p.1).count();
    if positives == 0 {
        return 2.0;
    }
    let mut sorted = probs.to_vec();
    sorted.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
    best_threshold(&sorted, positives).max(rate_cap(&sorted, positives))
}

/// The cut above which at most `positives` of the `sorted` (descending) probabilities lie.
fn rate_cap(sorted: &[(f32, bool)], positives: usize) -> f32 {
    let Some(&(below, _)) = sorted.get(positives) else {
        return sorted[sorted.len() - 1].0 * 0.5;
    };
    match sorted[..positives].iter().rev().find(|p| p.0 > below) {
        Some(&(above, _)) => (above + below) / 2.0,
        // Every higher probability ties with the first one left out: none can be kept.
        None => f32::from_bits(below.to_bits() + 1),
    }
}

/// The threshold maximising one label's F1 when every probability ≥ it is predicted, over
/// `sorted` (descending, positives first among ties) with `positives` ≥ 1 true: the midpoint
/// below the best cut.
fn best_threshold(sorted: &[(f32, bool)], positives: usize) -> f32 {
    let (mut best, mut best_f1, mut tp) = (sorted[0].0, -1.0f64, 0usize);
    for j in 0..sorted.len() {
        tp += usize::from(sorted[j].1);
        if j + 1 < sorted.len() && sorted[j + 1].0 == sorted[j].0 {
            continue;
        }
        let f1 = 2.0 * tp as f64 / ((j + 1) as f64 + positives as f64);
        if f1 > best_f1 {
            best_f1 = f1;
            best = match sorted.get(j + 1) {
                Some(next) => (sorted[j].0 + next.0) / 2.0,
                None => sorted[j].0 * 0.5,
            };
        }
    }
    best
}

/// Tunes β and the thresholds on out-of-fold logits (`oof`, texts × labels) of texts `idx`.
fn tune(
    oof: &Array2<f32>,
    docs: &[Doc],
    gold: &[Vec<u32>],
    idx: &[usize],
    link: Link,
    betas: &[f32],
    always_top: bool,
) -> DecisionRule {
    let labels = oof.ncols();
    let mut best: Option<(f64, DecisionRule)> = None;
    for &beta in betas {
        let probs: Vec<Vec<f32>> = idx
            .iter()
            .enumerate()
            .map(|(r, &i)| {
                let mut z = oof.row(r).to_vec();
                probabilities(link, &mut z, &docs[i].evidence, beta);
                z
            })
            .collect();
        let thresholds: Vec<f32> = (0..labels)
            .map(|l| {
                let col: Vec<(f32, bool)> = idx
                    .iter()
                    .enumerate()
                    .map(|(r, &i)| (probs[r][l], gold[i].contains(&(l as u32))))
                    .collect();
                label_threshold(&col)
            })
            .collect();
        let mut rule = DecisionRule {
            single: false,
            always_top,
            thresholds,
            beta,
            labels_per_text: None,
        };
        let predicted: Vec<Vec<u32>> = probs
            .iter()
            .map(|p| rule.decide(p).into_iter().map(|(l, _)| l).collect())
            .collect();
        let truth: Vec<Vec<u32>> = idx.iter().map(|&i| gold[i].clone()).collect();
        let report = super::eval::Report::new(labels, &truth, &predicted);
        rule.labels_per_text = Some((
            report.predicted_labels_per_text as f32,
            report.true_labels_per_text as f32,
        ));
        if best.as_ref().is_none_or(|(b, _)| report.macro_f1 > *b) {
            best = Some((report.macro_f1, rule));
        }
    }
    best.expect("at least one beta").1
}

/// Everything trained on `docs[idx]`: vocabulary, scorer and decision rule.
pub(crate) fn fit(
    params: &TrainParams,
    docs: &[Doc],
    gold: &[Vec<u32>],
    idx: &[usize],
    names: &FxHashMap<u64, String>,
    labels: usize,
    with_ontology: bool,
) -> (Vocabulary, Linear, DecisionRule) {
    let single = idx.iter().all(|&i| gold[i].len() == 1);
    let always_top = idx.iter().all(|&i| !gold[i].is_empty());
    let (vocab, linear) = fit_linear(params, docs, gold, idx, names, labels, single);
    if single {
        let rule = DecisionRule {
            single,
            always_top,
            thresholds: vec![0.5; labels],
            beta: 0.0,
            labels_per_text: Some((1.0, 1.0)),
        };
        return (vocab, linear, rule);
    }
    let k = params.inner_folds.min(idx.len()).max(2);
    let mut oof = Array2::zeros((idx.len(), labels));
    for f in 0..k {
        let train: Vec<usize> = (0..idx.len())
            .filter(|p| p % k != f)
            .map(|p| idx[p])
            .collect();
        let (v, lin) = fit_linear(params, docs, gold, &train, names, labels, single);
        let (mut ids, mut row, mut z) = (Vec::new(), Vec::new(), Vec::new());
        for p in (0..idx.len()).filter(|p| p % k == f) {
            let d = &docs[idx[p]];
            feature_row(&v, &d.keys, &d.emb, &mut ids, &mut row);
            lin.logits(&row, &mut z);
            oof.row_mut(p).iter_mut().zip(&z).for_each(|(o, &v)| *o = v);
        }
    }
    let betas: &[f32] = if with_ontology { &BETAS } else { &BETAS[..1] };
    let rule = tune(&oof, docs, gold, idx, linear.link, betas, always_top);
    (vocab, linear, rule)
}

/// A flat ontology of label names (slug = id = name).
pub(crate) fn label_ontology(labels: &[String]) -> Ontology {
    let mut b = crate::topics::ontology::OntologyBuilder::new("model labels");
    for (i, l) in labels.iter().enumerate() {
        b.add_topic(l, l, l, i as u64 + 1)
            .expect("label names are distinct");
    }
    b.build().expect("a flat ontology has no cycle")
}

impl TopicModel {
    /// Trains on `set`. `ontology`: its name (as `--ontology` takes it) and the loaded
    /// ontology whose matches become features and evidence; `None` for words only.
    pub fn train(
        set: &LabelledSet,
        params: TrainParams,
        ontology: Option<(String, Ontology)>,
    ) -> Result<Self> {
        Self::train_linked(set, params, ontology, None, None)
    }

    /// [`TopicModel::train`] with each label's topics given (`map[label]`: topic ids or
    /// slugs) instead of found from the label's name.
    pub fn train_mapped(
        set: &LabelledSet,
        params: TrainParams,
        ontology: (String, Ontology),
        map: &[Vec<String>],
    ) -> Result<Self> {
        Self::train_linked(set, params, Some(ontology), Some(map), None)
    }

    /// [`TopicModel::train`] with `--features tfidf,embedding`: `emb` holds each text's
    /// sentence embedding (row `i` for record `i`).
    pub fn train_embedded(
        set: &LabelledSet,
        params: TrainParams,
        ontology: Option<(String, Ontology)>,
        emb: &Embeddings,
    ) -> Result<Self> {
        Self::train_linked(set, params, ontology, None, Some(emb))
    }

    fn train_linked(
        set: &LabelledSet,
        params: TrainParams,
        ontology: Option<(String, Ontology)>,
        map: Option<&[Vec<String>]>,
        emb: Option<&Embeddings>,
    ) -> Result<Self> {
        params.validate()?;
        if set.labels.is_empty() {
            return Err(Error::param("input", "the training data has no labels"));
        }
        let analyzer = super::classifier::analyzer_named(&params.analyzer)?;
        let link = ontology.map(|(name, o)| {
            (
                name,
                LabelLink::new(o, &analyzer, &set.labels, map.or(set.label_map.as_deref())),
            )
        });
        let (mut docs, names) =
            analyze_all(&analyzer, link.as_ref().map(|l| &l.1), params.bigrams, set);
        let emb_dim = attach_embeddings(&params, &mut docs, emb)?;
        let gold: Vec<Vec<u32>> = set.records.iter().map(|r| r.labels.clone()).collect();
        let idx: Vec<usize> = (0..docs.len()).collect();
        let (vocab, linear, rule) = fit(
            &params,
            &docs,
            &gold,
            &idx,
            &names,
            set.labels.len(),
            link.is_some(),
        );
        Ok(TopicModel {
            fast: FastFeatures::new(&vocab, link.as_ref().map(|l| &l.1), &rule, linear.link),
            labels: set.labels.clone(),
            label_ontology: label_ontology(&set.labels),
            emb_dim,
            student: false,
            params,
            analyzer,
            link,
            vocab,
            linear,
            rule,
        })
    }

    /// The label names, by index.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The decision rule (tuned thresholds and β).
    pub fn rule(&self) -> &DecisionRule {
        &self.rule
    }

    /// The training parameters.
    pub fn params(&self) -> &TrainParams {
        &self.params
    }

    /// Number of features.
    pub fn features(&self) -> usize {
        self.vocab.len() + self.emb_dim
    }

    /// Each label's ontology topics (slugs), when the model uses an ontology.
    pub fn label_map(&self) -> Option<Vec<Vec<String>>> {
        self.link.as_ref().map(|(_, l)| l.label_slugs())
    }

    /// The labels the model's ontology maps to no topic, with the closest topics (empty
    /// without an ontology).
    pub fn unmapped_labels(&self) -> Vec<crate::topics::UnmappedLabel> {
        self.link
            .as_ref()
            .map_or_else(Vec::new, |(_, l)| l.unmapped(&self.labels))
    }

    /// Dimensions of the sentence embedding the model reads (0: it reads none).
    pub fn embedding_dim(&self) -> usize {
        self.emb_dim
    }

    /// What the model reads of a text's embedding `emb` (the scratch's, set by the caller
    /// for a model with embedding features): all of it, or nothing for a model without them.
    pub(crate) fn embedding_of<'e>(&self, emb: &'e [f32]) -> &'e [f32] {
        if self.emb_dim == 0 {
            return &[];
        }
        debug_assert_eq!(emb.len(), self.emb_dim, "the caller sets the embedding");
        emb
    }

    /// Whether this is a student of the embedding model, whose results are topics of its
    /// ontology (see [`Student`](super::distill::Student)).
    pub fn is_student(&self) -> bool {
        self.student
    }

    /// The name of the ontology the model uses, if any.
    pub fn ontology_name(&self) -> Option<&str> {
        self.link.as_ref().map(|(n, _)| n.as_str())
    }

    /// The labels of `text` by the decision rule, with their probabilities, best first: the
    /// memoised fast path when the analyzer allows it (the same result as
    /// [`TopicModel::predict_reference`]), else the reference.
    pub fn predict(
        &self,
        text: &str,
        lang: Option<Lang>,
        s: &mut ClassifierScratch,
    ) -> Vec<(u32, f32)> {
        if self.analyzer.is_chunk_local() {
            self.predict_fast(text, lang, s);
            s.kept.clone()
        } else {
            self.predict_reference(text, lang, s)
        }
    }

    /// [`TopicModel::predict`] by the reference pipeline: the whole text analysed into tokens,
    /// term hashes, ontology phrase matching over the joined words, then TF-IDF (what the fast
    /// path is tested against; training uses it too).
    pub fn predict_reference(
        &self,
        text: &str,
        lang: Option<Lang>,
        s: &mut ClassifierScratch,
    ) -> Vec<(u32, f32)> {
        let mut doc = std::mem::take(&mut s.doc);
        analyze(
            &self.analyzer,
            self.link.as_ref().map(|l| &l.1),
            self.params.bigrams,
            self.labels.len(),
            text,
            lang,
            s,
            &mut doc,
            None,
        );
        let emb = std::mem::take(&mut s.embedding);
        feature_row(
            &self.vocab,
            &doc.keys,
            self.embedding_of(&emb),
            &mut s.ids,
            &mut s.row,
        );
        s.embedding = emb;
        self.linear.logits(&s.row, &mut s.logits);
        probabilities(
            self.linear.link,
            &mut s.logits,
            &doc.evidence,
            self.rule.beta,
        );
        s.doc = doc;
        self.rule.decide(&s.logits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(probability, true)` for 100 texts, probabilities descending, true at `ranks`.
    fn column(ranks: &[usize]) -> Vec<(f32, bool)> {
        (0..100)
            .map(|r| (1.0 - r as f32 / 100.0, ranks.contains(&r)))
            .collect()
    }

    fn kept(col: &[(f32, bool)], threshold: f32) -> usize {
        col.iter().filter(|p| p.0 >= threshold).count()
    }

    #[test]
    fn a_label_is_not_predicted_more_often_than_it_occurs() {
        // Five positives spread evenly: F1 alone is best when every text is predicted
        // (10/105 against 8/85, …), which is what made `gaming` the label of most tweets.
        let weak = column(&[19, 39, 59, 79, 99]);
        assert_eq!(kept(&weak, best_threshold(&weak, 5)), 100);
        assert_eq!(kept(&weak, label_threshold(&weak)), 5);
        // A label told apart well keeps its F1-best cut.
        let strong = column(&[0, 1, 2, 3, 4]);
        assert_eq!(kept(&strong, label_threshold(&strong)), 5);
        // Ties across the cut: none of the tied texts is kept rather than too many.
        let mut tied = column(&[0, 50]);
        tied.iter_mut().skip(1).for_each(|p| p.0 = 0.5);
        assert_eq!(kept(&tied, label_threshold(&tied)), 1);
        tied.iter_mut().for_each(|p| p.0 = 0.5);
        assert_eq!(kept(&tied, label_threshold(&tied)), 0);
        assert_eq!(label_threshold(&column(&[])), 2.0);
    }
}
