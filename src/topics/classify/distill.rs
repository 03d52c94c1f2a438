//! Teacher → student: the semantic zero-shot classifier (the teacher, slow: a transformer per
//! post) labels a sample of a corpus's distinct texts, a linear TF-IDF model with the
//! ontology's features (the student, fast) is trained on those labels, and the student
//! classifies everything. Owns the sample rule, the training set and the agreement report;
//! the teacher is [`SemanticClassifier`], the student a
//! [`TopicModel`].

use std::time::Instant;

use rustc_hash::FxHashSet;

use super::input::{LabelledRecord, LabelledSet};
use super::model::{TopicModel, TrainParams};
use super::semantic_classifier::SemanticClassifier;
use crate::embed::Embedder;
use crate::error::{Error, Result};
use crate::text::Lang;
use crate::topics::ontology::{Ontology, TopicIdx};

/// Unchecked parameters of distillation.
///
/// | name | default | range | meaning |
/// |---|---|---|---|
/// | `teacher_up_to` | 5,000 | ≥ 0 | corpora of at most this many distinct texts are labelled by the teacher alone |
/// | `sample_fraction` | 0.05 | (0, 1] | above it, the teacher labels this fraction of the distinct texts … |
/// | `sample_min` | 5,000 | ≥ 100 | … but at least this many (fewer leave the student too few examples of a hundred-odd topics) … |
/// | `sample_max` | 20,000 | ≥ `sample_min` | … and at most this many (≈ 45 s of the teacher at 443 posts/s on 2 cores) |
/// | `held_out` | 0.2 | (0, 0.5] | share of the sample kept out of training, to measure the student's agreement with the teacher |
/// | `seed` | 0 | any | which texts are sampled (a hash of the text and the seed: the same texts whatever their order) |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DistillParams {
    pub teacher_up_to: usize,
    pub sample_fraction: f64,
    pub sample_min: usize,
    pub sample_max: usize,
    pub held_out: f64,
    pub seed: u64,
}

impl Default for DistillParams {
    fn default() -> Self {
        DistillParams {
            teacher_up_to: 5_000,
            sample_fraction: 0.05,
            sample_min: 5_000,
            sample_max: 20_000,
            held_out: 0.2,
            seed: 0,
        }
    }
}

/// Parameters that passed [`DistillParams::check`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidDistillParams(DistillParams);

impl DistillParams {
    /// Validates the parameters against their documented ranges.
    pub fn check(self) -> Result<ValidDistillParams> {
        if !(self.sample_fraction > 0.0 && self.sample_fraction <= 1.0) {
            return Err(Error::param(
                "sample_fraction",
                format!("{} is not in (0, 1]", self.sample_fraction),
            ));
        }
        if self.sample_min < 100 || self.sample_max < self.sample_min {
            return Err(Error::param(
                "sample_min",
                format!(
                    "need 100 ≤ sample_min ≤ sample_max, got {} and {}",
                    self.sample_min, self.sample_max
                ),
            ));
        }
        if !(self.held_out > 0.0 && self.held_out <= 0.5) {
            return Err(Error::param(
                "held_out",
                format!("{} is not in (0, 0.5]", self.held_out),
            ));
        }
        Ok(ValidDistillParams(self))
    }
}

impl ValidDistillParams {
    /// The checked values.
    pub fn get(&self) -> DistillParams {
        self.0
    }

    /// How many distinct texts the teacher labels in a corpus of `distinct` distinct texts:
    /// all of them up to `teacher_up_to`, else `clamp(⌈fraction × distinct⌉, min, max)`.
    pub fn sample_size(&self, distinct: usize) -> usize {
        let p = self.0;
        if distinct <= p.teacher_up_to {
            return distinct;
        }
        let want = (p.sample_fraction * distinct as f64).ceil() as usize;
        want.clamp(p.sample_min, p.sample_max).min(distinct)
    }

    /// Whether a corpus of `distinct` distinct texts is labelled by the teacher alone.
    pub fn teacher_only(&self, distinct: usize) -> bool {
        distinct <= self.0.teacher_up_to
    }
}

/// How well the student repeats the teacher on the held-out part of the sample.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Agreement {
    /// Held-out texts.
    pub texts: usize,
    /// Micro-F1 of the student's topics against the teacher's (exact topics).
    pub micro_f1: f64,
    /// Share of held-out texts whose first super-topic is the same (none = none counts).
    pub super_topic: f64,
}

/// What distillation did, for the user.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DistillReport {
    /// Distinct texts in the corpus.
    pub distinct: usize,
    /// Texts the teacher labelled (training + held out).
    pub sample: usize,
    /// Topics the student learned.
    pub topics: usize,
    pub agreement: Agreement,
    pub teacher_secs: f64,
    /// Sampled texts whose topics came from the label cache instead of the teacher.
    pub teacher_cached: usize,
    pub train_secs: f64,
    /// Texts the student classified, and how long it took (all of them, in parallel).
    pub texts: usize,
    pub classify_secs: f64,
    /// Why self-training, though asked for, did not run (it refines only a corpus the teacher
    /// labels alone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_self_trained: Option<String>,
}

impl std::fmt::Display for DistillReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let a = &self.agreement;
        write!(
            f,
            "topics by a student model trained on {} of {} distinct texts labelled by the \
             embedding model ({} topics; teacher {:.1} s{}, training {:.1} s); agreement with \
             the teacher on {} held-out texts: micro-F1 {:.3}, same super-topic {:.1}%",
            self.sample - a.texts,
            self.distinct,
            self.topics,
            self.teacher_secs,
            cached_note(self.teacher_cached),
            self.train_secs,
            a.texts,
            a.micro_f1,
            100.0 * a.super_topic
        )?;
        if self.texts > 0 {
            let rate = self.texts as f64 / self.classify_secs.max(1e-9);
            write!(
                f,
                "; the student classified {} texts in {:.2} s ({rate:.0}/s)",
                self.texts, self.classify_secs
            )?;
        }
        if let Some(why) = &self.not_self_trained {
            write!(f, "; not self-trained: {why}")?;
        }
        Ok(())
    }
}

/// `", N from the label cache"` when some texts' topics came from the cache.
pub(super) fn cached_note(cached: usize) -> String {
    if cached == 0 {
        String::new()
    } else {
        format!(", {cached} from the label cache")
    }
}

/// A trained student and the ontology topic of each of its labels.
#[derive(Debug)]
pub struct Student {
    pub model: TopicModel,
    /// Label index → topic of the teacher's ontology.
    pub topics: Vec<TopicIdx>,
    /// Per label: the labels of its ancestors.
    ancestors: Vec<Vec<u32>>,
}

impl Student {
    /// The student a model is, with its labels' topics from the ontology it links to; the
    /// model back for one that is not a student, or whose labels do not each name one topic.
    pub fn from_model(model: TopicModel) -> std::result::Result<Student, TopicModel> {
        let topics: Option<Vec<TopicIdx>> = match (&model.link, model.is_student()) {
            (Some((_, link)), true) => link
                .label_topics
                .iter()
                .map(|t| (t.len() == 1).then(|| t[0]))
                .collect(),
            _ => None,
        };
        let Some(topics) = topics else {
            return Err(model);
        };
        let o = &model.link.as_ref().expect("linked").1.ontology;
        let ancestors = label_ancestors(o, &topics);
        Ok(Student {
            model,
            topics,
            ancestors,
        })
    }

    /// The ontology the student's topics index into.
    pub fn ontology(&self) -> &Ontology {
        &self
            .model
            .link
            .as_ref()
            .expect("a student is linked")
            .1
            .ontology
    }

    /// The topics of one text, best first, at most `top`, as the teacher's ontology indexes them.
    pub fn classify(
        &self,
        text: &str,
        lang: Option<Lang>,
        top: usize,
        s: &mut crate::topics::ClassifierScratch,
    ) -> Vec<(TopicIdx, f64)> {
        if self.model.analyzer.is_chunk_local() {
            self.model.predict_fast(text, lang, s);
            return most_specific(&self.topics, &self.ancestors, &s.kept, top);
        }
        let kept = self.model.predict_reference(text, lang, s);
        self.most_specific(kept, top)
    }

    /// [`Student::classify`] by the model's reference pipeline.
    pub fn classify_reference(
        &self,
        text: &str,
        lang: Option<Lang>,
        top: usize,
        s: &mut crate::topics::ClassifierScratch,
    ) -> Vec<(TopicIdx, f64)> {
        let kept = self.model.predict_reference(text, lang, s);
        self.most_specific(kept, top)
    }

    fn most_specific(&self, kept: Vec<(u32, f32)>, top: usize) -> Vec<(TopicIdx, f64)> {
        most_specific(&self.topics, &self.ancestors, &kept, top)
    }
}

/// Of the labels a model kept, those with at least half the best probability, each standing
/// for its ancestors, as topics (`topics[l]`: label `l`'s topic; `ancestors[l]`: the labels of
/// its ancestors), at most `top`.
pub(super) fn most_specific(
    topics: &[TopicIdx],
    ancestors: &[Vec<u32>],
    kept: &[(u32, f32)],
    top: usize,
) -> Vec<(TopicIdx, f64)> {
    // A topic needs at least half the best topic's probability.
    let best = kept.iter().map(|k| k.1).fold(0.0, f32::max);
    let strong = |k: &&(u32, f32)| k.1 >= 0.5 * best;
    // The most specific topics: a label whose descendant is also kept stands for it.
    kept.iter()
        .filter(strong)
        .filter(|(l, _)| {
            !kept
                .iter()
                .filter(strong)
                .any(|(d, _)| ancestors[*d as usize].contains(l))
        })
        .map(|&(l, p)| (topics[l as usize], f64::from(p)))
        .take(top)
        .collect()
}

/// Per label (topic `topics[l]`): the labels of its ancestors.
pub(super) fn label_ancestors(o: &Ontology, topics: &[TopicIdx]) -> Vec<Vec<u32>> {
    let label_of: rustc_hash::FxHashMap<TopicIdx, u32> = topics
        .iter()
        .enumerate()
        .map(|(l, &t)| (t, l as u32))
        .collect();
    topics
        .iter()
        .map(|&t| {
            o.ancestors(t)
                .iter()
                .filter_map(|a| label_of.get(a).copied())
                .collect()
        })
        .collect()
}

/// A 64-bit hash of `text` and `seed` (FNV-1a, then a SplitMix64 finaliser): stable across
/// runs, platforms and input order.
fn text_hash(text: &str, seed: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for b in text.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The distinct texts of `texts` (first occurrence of each), ordered by their hash: a
/// prefix of it is a sample that does not depend on the input order.
pub fn hashed_distinct(texts: &[(&str, Option<Lang>)], seed: u64) -> Vec<usize> {
    let mut seen = FxHashSet::default();
    let mut keyed: Vec<(u64, usize)> = texts
        .iter()
        .enumerate()
        .filter(|(_, (t, _))| seen.insert(*t))
        .map(|(i, (t, _))| (text_hash(t, seed), i))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// What distillation gave: a student, or nothing to learn from.
#[derive(Debug)]
pub enum Distilled {
    Student(Box<Student>, DistillReport),
    /// The teacher found no topic in any text of the sample: there is nothing to learn, and
    /// the corpus gets no topics.
    NoTopics {
        sample: usize,
        teacher_secs: f64,
    },
}

/// Trains a student on the teacher's labels for a sample of `texts` (see [`DistillParams`]),
/// `top` topics per text; `ontology_name` is recorded in the student model.
pub fn distill(
    teacher: &SemanticClassifier,
    embedder: &Embedder,
    ontology_name: &str,
    texts: &[(&str, Option<Lang>)],
    top: usize,
    params: ValidDistillParams,
) -> Result<Distilled> {
    let p = params.get();
    let order = hashed_distinct(texts, p.seed);
    let n = params.sample_size(order.len());
    let sample: Vec<(&str, Option<Lang>)> = order[..n].iter().map(|&i| texts[i]).collect();
    let start = Instant::now();
    let (labels, cached) = teacher.classify_all_cached(embedder, &sample, |t| *t, top)?;
    let teacher_secs = start.elapsed().as_secs_f64();
    // Every k-th text of the hashed order is held out.
    let every = (1.0 / p.held_out).round().max(2.0) as usize;
    let held = |i: usize| i % every == every - 1;
    let o = teacher.ontology();
    let (set, topics) = training_set(o, &sample, &labels, |i| !held(i));
    if set.labels.is_empty() {
        return Ok(Distilled::NoTopics {
            sample: n,
            teacher_secs,
        });
    }
    let start = Instant::now();
    let map: Vec<Vec<String>> = topics
        .iter()
        .map(|&t| vec![o.topic(t).id.clone()])
        .collect();
    let mut model = TopicModel::train_mapped(
        &set,
        TrainParams {
            inner_folds: 3,
            ..TrainParams::default()
        },
        (ontology_name.to_owned(), o.clone()),
        &map,
    )?;
    model.student = true;
    let train_secs = start.elapsed().as_secs_f64();
    let ancestors = label_ancestors(o, &topics);
    let student = Student {
        model,
        topics,
        ancestors,
    };
    let held_out: Vec<usize> = (0..n).filter(|&i| held(i)).collect();
    let report = DistillReport {
        distinct: order.len(),
        sample: n,
        topics: set.labels.len(),
        agreement: agreement(&student, o, &sample, &labels, &held_out, top),
        teacher_secs,
        teacher_cached: cached,
        train_secs,
        texts: 0,
        classify_secs: 0.0,
        not_self_trained: None,
    };
    Ok(Distilled::Student(Box::new(student), report))
}

/// The teacher's labels of the texts `i` with `keep(i)` as a labelled set over topic slugs,
/// each topic with the topics above it (so that the student learns the super-topics from
/// every example under them, and falls back to them when no narrower topic is clear), and the
/// topic of each label.
pub(super) fn training_set(
    o: &Ontology,
    sample: &[(&str, Option<Lang>)],
    labels: &[Vec<(TopicIdx, f64)>],
    keep: impl Fn(usize) -> bool,
) -> (LabelledSet, Vec<TopicIdx>) {
    let mut used: Vec<TopicIdx> = (0..sample.len())
        .filter(|&i| keep(i))
        .flat_map(|i| labels[i].iter().flat_map(|&(t, _)| o.path(t)))
        .collect();
    used.sort_unstable_by(|&a, &b| o.topic(a).slug.cmp(&o.topic(b).slug));
    // One label per slug (the student's labels are named by slug).
    used.dedup_by(|a, b| o.topic(*a).slug == o.topic(*b).slug);
    let index: rustc_hash::FxHashMap<&str, u32> = used
        .iter()
        .enumerate()
        .map(|(l, &t)| (o.topic(t).slug.as_str(), l as u32))
        .collect();
    let records = (0..sample.len())
        .filter(|&i| keep(i))
        .map(|i| {
            let mut ls: Vec<u32> = labels[i]
                .iter()
                .flat_map(|&(t, _)| o.path(t))
                .map(|t| index[o.topic(t).slug.as_str()])
                .collect();
            ls.sort_unstable();
            ls.dedup();
            LabelledRecord {
                id: i.to_string(),
                text: sample[i].0.to_owned(),
                lang: sample[i].1,
                labels: ls,
            }
        })
        .collect();
    let set = LabelledSet {
        labels: used.iter().map(|&t| o.topic(t).slug.clone()).collect(),
        records,
        label_map: None,
    };
    (set, used)
}

/// The student's agreement with the teacher on the texts `held_out` of the sample.
fn agreement(
    student: &Student,
    o: &Ontology,
    sample: &[(&str, Option<Lang>)],
    labels: &[Vec<(TopicIdx, f64)>],
    held_out: &[usize],
    top: usize,
) -> Agreement {
    let (mut tp, mut fp, mut fnn, mut same) = (0usize, 0usize, 0usize, 0usize);
    let root = |t: Option<&(TopicIdx, f64)>| t.map(|&(t, _)| o.path(t)[0]);
    let mut s = crate::topics::ClassifierScratch::default();
    for &i in held_out {
        let (text, lang) = sample[i];
        let got = student.classify(text, lang, top, &mut s);
        let want = &labels[i];
        let hit = got
            .iter()
            .filter(|(t, _)| want.iter().any(|(w, _)| w == t))
            .count();
        tp += hit;
        fp += got.len() - hit;
        fnn += want.len() - hit;
        same += usize::from(root(got.first()) == root(want.first()));
    }
    let f1 = if tp == 0 {
        0.0
    } else {
        2.0 * tp as f64 / (2 * tp + fp + fnn) as f64
    };
    Agreement {
        texts: held_out.len(),
        micro_f1: f1,
        super_topic: if held_out.is_empty() {
            1.0
        } else {
            same as f64 / held_out.len() as f64
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_rule_follows_the_documented_clamp() {
        let p = DistillParams::default().check().unwrap();
        assert_eq!(p.sample_size(4_500), 4_500);
        assert!(p.teacher_only(5_000) && !p.teacher_only(5_001));
        assert_eq!(p.sample_size(5_001), 5_000);
        assert_eq!(p.sample_size(200_000), 10_000);
        assert_eq!(p.sample_size(10_000_000), 20_000);
        assert!(DistillParams {
            held_out: 0.0,
            ..Default::default()
        }
        .check()
        .is_err());
    }

    #[test]
    fn the_sample_does_not_depend_on_input_order_and_skips_repeats() {
        let a = [("x", None), ("y", None), ("x", None), ("z", None)];
        let b = [("z", None), ("x", None), ("y", None)];
        let pick = |t: &[(&str, Option<Lang>)]| -> Vec<String> {
            hashed_distinct(t, 7)
                .into_iter()
                .map(|i| t[i].0.to_owned())
                .collect()
        };
        assert_eq!(pick(&a), pick(&b));
        assert_eq!(pick(&a).len(), 3);
    }
}
