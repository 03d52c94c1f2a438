//! Evaluating classifiers on labelled texts: accuracy (the predicted label set equals the
//! true one; for single-label data, ordinary accuracy), micro and macro F1 (scikit-learn's
//! definitions: macro averages every label of the set, a label's F1 being 0 when it is never
//! true nor predicted), per-label precision and recall, the average number of labels
//! predicted and true per text; and deterministic `k`-fold
//! cross-validation, the fold of text `i` (file order) being `i mod k`.

use rayon::prelude::*;

use super::classifier::ClassifierScratch;
use super::input::LabelledSet;
use super::model::{analyze_all, attach_embeddings, feature_row, fit, probabilities, TrainParams};
use crate::embed::Embeddings;
use crate::error::{Error, Result};
use crate::topics::ontology::Ontology;

/// One label's counts and scores.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LabelScore {
    pub label: String,
    pub support: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// The scores of a set of predictions.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Report {
    pub texts: usize,
    pub accuracy: f64,
    pub micro_f1: f64,
    pub macro_f1: f64,
    /// Average number of labels predicted per text.
    pub predicted_labels_per_text: f64,
    /// Average number of true labels per text.
    pub true_labels_per_text: f64,
    pub labels: Vec<LabelScore>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl Report {
    /// Scores `predicted` against `truth` (label indices per text, any order) over `labels`
    /// labels, named `0..labels` (see [`Report::named`]).
    pub fn new(labels: usize, truth: &[Vec<u32>], predicted: &[Vec<u32>]) -> Self {
        let (mut tp, mut fp, mut fnn) = (vec![0; labels], vec![0; labels], vec![0; labels]);
        let (mut exact, mut true_labels, mut predicted_labels) = (0, 0, 0);
        for (t, p) in truth.iter().zip(predicted) {
            let mut ts = t.clone();
            let mut ps = p.clone();
            ts.sort_unstable();
            ps.sort_unstable();
            ts.dedup();
            ps.dedup();
            exact += usize::from(ts == ps);
            true_labels += ts.len();
            predicted_labels += ps.len();
            for &l in &ps {
                if ts.contains(&l) {
                    tp[l as usize] += 1;
                } else {
                    fp[l as usize] += 1;
                }
            }
            for &l in &ts {
                if !ps.contains(&l) {
                    fnn[l as usize] += 1;
                }
            }
        }
        let per: Vec<LabelScore> = (0..labels)
            .map(|l| LabelScore {
                label: l.to_string(),
                support: tp[l] + fnn[l],
                precision: ratio(tp[l], tp[l] + fp[l]),
                recall: ratio(tp[l], tp[l] + fnn[l]),
                f1: ratio(2 * tp[l], 2 * tp[l] + fp[l] + fnn[l]),
            })
            .collect();
        let (stp, sfp, sfn) = (
            tp.iter().sum::<usize>(),
            fp.iter().sum::<usize>(),
            fnn.iter().sum::<usize>(),
        );
        Report {
            texts: truth.len(),
            accuracy: ratio(exact, truth.len()),
            micro_f1: ratio(2 * stp, 2 * stp + sfp + sfn),
            macro_f1: if labels == 0 {
                0.0
            } else {
                per.iter().map(|s| s.f1).sum::<f64>() / labels as f64
            },
            predicted_labels_per_text: ratio(predicted_labels, truth.len()),
            true_labels_per_text: ratio(true_labels, truth.len()),
            labels: per,
        }
    }

    /// Puts the label names in.
    pub fn named(mut self, names: &[String]) -> Self {
        for (s, n) in self.labels.iter_mut().zip(names) {
            s.label = n.clone();
        }
        self
    }
}

/// Checks `k` for `n` texts.
fn check_folds(k: usize, n: usize) -> Result<()> {
    if k < 2 || k > n {
        return Err(Error::param(
            "folds",
            format!("must be between 2 and the number of texts ({n}), got {k}"),
        ));
    }
    Ok(())
}

/// `k`-fold cross-validation of training with `params` (and `ontology`, as in
/// [`TopicModel::train`](crate::topics::TopicModel::train)) on `set`: every text is predicted by the
/// model trained on the other folds; the report pools all predictions.
pub fn cross_validate(
    set: &LabelledSet,
    params: &TrainParams,
    ontology: Option<Ontology>,
    k: usize,
) -> Result<Report> {
    cross_validate_embedded(set, params, ontology, k, None)
}

/// [`cross_validate`] with each text's sentence embedding (row `i` for record `i`), needed
/// when `params` ask for embedding features.
pub fn cross_validate_embedded(
    set: &LabelledSet,
    params: &TrainParams,
    ontology: Option<Ontology>,
    k: usize,
    emb: Option<&Embeddings>,
) -> Result<Report> {
    let gold: Vec<Vec<u32>> = set.records.iter().map(|r| r.labels.clone()).collect();
    cross_validate_on(set, params, ontology, k, &gold, emb)
}

/// [`cross_validate`] with the models trained on `train_labels` (per text, e.g. a teacher's
/// predictions) instead of the set's own labels, and scored against the set's labels: how well
/// a student learns from a teacher, on texts it did not see. `emb`: as for [`cross_validate_embedded`].
pub fn cross_validate_on(
    set: &LabelledSet,
    params: &TrainParams,
    ontology: Option<Ontology>,
    k: usize,
    train_labels: &[Vec<u32>],
    emb: Option<&Embeddings>,
) -> Result<Report> {
    params.validate()?;
    let analyzer = super::classifier::analyzer_named(&params.analyzer)?;
    let link = ontology.map(|o| {
        super::label_link::LabelLink::new(o, &analyzer, &set.labels, set.label_map.as_deref())
    });
    let predicted: Vec<Vec<u32>> = out_of_fold(set, params, link.as_ref(), k, train_labels, emb)?
        .into_iter()
        .map(|p| p.into_iter().map(|(l, _)| l).collect())
        .collect();
    let gold: Vec<Vec<u32>> = set.records.iter().map(|r| r.labels.clone()).collect();
    Ok(Report::new(set.labels.len(), &gold, &predicted).named(&set.labels))
}

/// Cross-fitting: every text of `set` labelled by the model trained on `train_labels` of the
/// other `k` folds (text `i` in fold `i mod k`), with the ontology `link` bound to the set's
/// labels when given and each text's embedding (row `i`) when `params` ask for it. Returns the
/// labels the decision rule keeps, with their probabilities, best first.
pub(crate) fn out_of_fold(
    set: &LabelledSet,
    params: &TrainParams,
    link: Option<&super::label_link::LabelLink>,
    k: usize,
    train_labels: &[Vec<u32>],
    emb: Option<&Embeddings>,
) -> Result<Vec<Vec<(u32, f32)>>> {
    params.validate()?;
    check_folds(k, set.records.len())?;
    let analyzer = super::classifier::analyzer_named(&params.analyzer)?;
    let (mut docs, names) = analyze_all(&analyzer, link, params.bigrams, set);
    attach_embeddings(params, &mut docs, emb)?;
    let labels = set.labels.len();
    let mut predicted = vec![Vec::new(); docs.len()];
    for f in 0..k {
        let train: Vec<usize> = (0..docs.len()).filter(|i| i % k != f).collect();
        let (vocab, linear, rule) = fit(
            params,
            &docs,
            train_labels,
            &train,
            &names,
            labels,
            link.is_some(),
        );
        let test: Vec<usize> = (0..docs.len()).filter(|i| i % k == f).collect();
        let got: Vec<(usize, Vec<(u32, f32)>)> = test
            .par_iter()
            .map_init(
                || (Vec::new(), Vec::new(), Vec::new()),
                |(ids, row, z), &i| {
                    feature_row(&vocab, &docs[i].keys, &docs[i].emb, ids, row);
                    linear.logits(row, z);
                    probabilities(linear.link, z, &docs[i].evidence, rule.beta);
                    (i, rule.decide(z))
                },
            )
            .collect();
        for (i, p) in got {
            predicted[i] = p;
        }
    }
    Ok(predicted)
}

/// The labels of `set` that `model` does not have (it never predicts them, so each scores
/// zero), and the model's labels that `set` lacks (their predictions are not counted).
pub fn label_mismatch(
    model: &crate::topics::TopicModel,
    set: &LabelledSet,
) -> (Vec<String>, Vec<String>) {
    let missing = |a: &[String], b: &[String]| -> Vec<String> {
        a.iter().filter(|l| !b.contains(l)).cloned().collect()
    };
    (
        missing(&set.labels, model.labels()),
        missing(model.labels(), &set.labels),
    )
}

/// Evaluates an already trained classifier on `set` by label name: a model's labels are
/// matched to the set's by name (see [`label_mismatch`] for those that are not).
pub fn evaluate_model(model: &crate::topics::TopicModel, set: &LabelledSet) -> Result<Report> {
    evaluate_model_embedded(model, set, None)
}

/// [`evaluate_model`] with each text's sentence embedding (row `i` for record `i`), which a
/// model with embedding features needs.
pub fn evaluate_model_embedded(
    model: &crate::topics::TopicModel,
    set: &LabelledSet,
    emb: Option<&Embeddings>,
) -> Result<Report> {
    let dim = model.embedding_dim();
    match emb {
        _ if dim == 0 => {}
        Some(e) if e.dim() == dim && e.len() == set.records.len() => {}
        _ => {
            return Err(Error::param(
                "input",
                format!(
                    "the model reads {dim}-dimensional sentence embeddings: each text's is needed"
                ),
            ))
        }
    }
    let to_set: Vec<Option<u32>> = model
        .labels()
        .iter()
        .map(|l| set.labels.iter().position(|s| s == l).map(|p| p as u32))
        .collect();
    let predicted: Vec<Vec<u32>> = set
        .records
        .par_iter()
        .enumerate()
        .map_init(ClassifierScratch::default, |s, (i, r)| {
            s.embedding.clear();
            if let Some(e) = emb {
                s.embedding.extend_from_slice(e.row(i));
            }
            model
                .predict(&r.text, r.lang, s)
                .into_iter()
                .filter_map(|(l, _)| to_set[l as usize])
                .collect()
        })
        .collect();
    let gold: Vec<Vec<u32>> = set.records.iter().map(|r| r.labels.clone()).collect();
    Ok(Report::new(set.labels.len(), &gold, &predicted).named(&set.labels))
}

/// Zero-shot evaluation from an ontology alone: each label maps to ontology topics (see
/// [`label_link`](super::label_link)); a label's score is the number of tokens matching
/// topics at or under its topics; predicted: the best label, and for multi-label data every
/// label scoring at least half the best. Texts with no match get no label.
pub fn evaluate_zero_shot(ontology: Ontology, analyzer: &str, set: &LabelledSet) -> Result<Report> {
    let analyzer = super::classifier::analyzer_named(analyzer)?;
    let link = super::label_link::LabelLink::new(
        ontology,
        &analyzer,
        &set.labels,
        set.label_map.as_deref(),
    );
    let single = set.records.iter().all(|r| r.labels.len() == 1);
    let labels = set.labels.len();
    let predicted: Vec<Vec<u32>> = set
        .records
        .par_iter()
        .map_init(ClassifierScratch::default, |s, r| {
            analyzer.analyze_with_hint(&r.text, r.lang, &mut s.tokens);
            let mut keys = Vec::new();
            let mut ev = vec![0f32; labels];
            link.apply(
                &s.tokens,
                &mut s.joined,
                &mut s.scores,
                &mut keys,
                &mut ev,
                None,
            );
            let best = ev.iter().fold(0f32, |a, &b| a.max(b));
            if best <= 0.0 {
                return Vec::new();
            }
            let first = ev.iter().position(|&e| e == best).expect("max exists") as u32;
            if single {
                return vec![first];
            }
            (0..labels as u32)
                .filter(|&l| ev[l as usize] >= 0.5 * best)
                .collect()
        })
        .collect();
    let gold: Vec<Vec<u32>> = set.records.iter().map(|r| r.labels.clone()).collect();
    Ok(Report::new(labels, &gold, &predicted).named(&set.labels))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_by_hand() {
        // Three texts, labels 0..3. Truth {0}, {1,2}, {2}; predicted {0}, {1}, {0,2}.
        let r = Report::new(
            3,
            &[vec![0], vec![1, 2], vec![2]],
            &[vec![0], vec![1], vec![0, 2]],
        );
        assert!((r.accuracy - 1.0 / 3.0).abs() < 1e-12);
        // tp 0:1 1:1 2:1; fp 0:1; fn 2:1 → micro 2·3/(6+1+1) = 0.75.
        assert!((r.micro_f1 - 0.75).abs() < 1e-12);
        // F1: label 0 2/3, label 1 1, label 2 2/3.
        assert!((r.macro_f1 - (2.0 / 3.0 + 1.0 + 2.0 / 3.0) / 3.0).abs() < 1e-12);
        assert!((r.labels[0].precision - 0.5).abs() < 1e-12);
        assert!((r.labels[2].recall - 0.5).abs() < 1e-12);
        assert!((r.predicted_labels_per_text - 4.0 / 3.0).abs() < 1e-12);
        assert!((r.true_labels_per_text - 4.0 / 3.0).abs() < 1e-12);
        assert!(check_folds(1, 10).is_err() && check_folds(11, 10).is_err());
    }
}
