//! How a pipeline labels the topics of a whole corpus of posts: the [`PostLabeler`] interface,
//! and the [`TopicEngine`] behind `clout run`, `clout top`, `topics experts` and `topics
//! classify` — keyword or trained-model classification post by post, or the embedding model:
//! alone for a small corpus, as the teacher of a fast student above a documented size
//! ([`distill`](super::distill)). Owns choosing that path and saying which one ran.

use std::time::Instant;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::classifier::{with_thread_scratch, Classifier, ClassifierScratch};
use super::distill::{
    distill, hashed_distinct, DistillReport, Distilled, Student, ValidDistillParams,
};
use super::semantic_classifier::SemanticClassifier;
use crate::embed::Embedder;
use crate::error::Result;
use crate::ingest::Post;
use crate::text::{lang, Lang};
use crate::topics::ontology::{Ontology, TopicIdx};

/// Topics of one text, best first.
pub type TopicList = Vec<(TopicIdx, f64)>;

/// Gives the topics of many posts at once, so that a model can batch them.
pub trait PostLabeler: Sync {
    /// The topics of `posts[i]` for each `i` of `selected`, in that order, and how they were
    /// found.
    fn label(&self, posts: &[Post], selected: &[usize]) -> Result<(Vec<TopicList>, Labelling)>;
}

/// A function of one post (with per-thread scratch) labels posts one by one.
impl<F> PostLabeler for F
where
    F: Fn(&Post, &mut ClassifierScratch) -> TopicList + Sync,
{
    fn label(&self, posts: &[Post], selected: &[usize]) -> Result<(Vec<TopicList>, Labelling)> {
        let lists = selected
            .par_iter()
            .with_min_len(64)
            .map(|&i| with_thread_scratch(|s| self(&posts[i], s)))
            .collect();
        Ok((lists, Labelling::Words))
    }
}

/// Which path found a corpus's topics, for the user.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Labelling {
    /// Keyword matching or a trained model, post by post.
    Words,
    /// The embedding model labelled every distinct text; `not_self_trained` says why
    /// self-training, though asked for, did not run.
    Teacher {
        texts: usize,
        secs: f64,
        /// Texts whose topics came from the label cache.
        cached: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        not_self_trained: Option<String>,
    },
    /// The embedding model labelled every distinct text, then self-training refined its
    /// topics ([`self_train`](super::self_train)).
    SelfTrained {
        texts: usize,
        teacher_secs: f64,
        train_secs: f64,
    },
    /// A student trained on the embedding model's labels of a sample.
    Student(DistillReport),
    /// The embedding model found no topic in any text of the sample: no text has a topic.
    NoTopics { sample: usize, secs: f64 },
}

impl std::fmt::Display for Labelling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Labelling::Words => write!(f, "topics by keyword matching or the given model"),
            Labelling::Teacher {
                texts,
                secs,
                cached,
                not_self_trained,
            } => {
                write!(
                    f,
                    "topics by the embedding model on all {texts} distinct texts ({secs:.1} s{})",
                    super::distill::cached_note(*cached)
                )?;
                match not_self_trained {
                    Some(why) => write!(f, "; not self-trained: {why}"),
                    None => Ok(()),
                }
            }
            Labelling::SelfTrained {
                texts,
                teacher_secs,
                train_secs,
            } => write!(
                f,
                "topics by the embedding model on all {texts} distinct texts ({teacher_secs:.1} s), \
                 refined by self-training on its own labels (a student per fold of {}, {train_secs:.1} s; \
                 short posts)",
                super::semantic_eval::SELF_TRAIN_FOLDS
            ),
            Labelling::Student(r) => r.fmt(f),
            Labelling::NoTopics { sample, secs } => write!(
                f,
                "no topics: the embedding model found none in the {sample} sampled texts \
                 ({secs:.1} s), so no student was trained and no text has a topic"
            ),
        }
    }
}

/// The semantic path: the teacher, its model and when to distill.
#[derive(Debug)]
pub struct Semantic {
    pub teacher: SemanticClassifier,
    pub embedder: Embedder,
    /// The ontology's name as `--ontology` takes it (recorded in the student).
    pub ontology_name: String,
    pub distill: ValidDistillParams,
    /// When the teacher's topics of a corpus it labels alone are self-trained.
    pub self_train: super::self_train::When,
}

/// A topic classifier for whole corpora.
#[derive(Debug)]
pub enum TopicEngine {
    /// Keyword zero-shot or a trained model, post by post.
    Words(Classifier),
    /// The embedding model (teacher), distilled into a student above a corpus size.
    Semantic(Box<Semantic>),
}

/// A topic engine and how many topics a post keeps.
#[derive(Debug)]
pub struct PostTopicEngine {
    pub engine: TopicEngine,
    /// Topics kept per post (at most).
    pub top: usize,
}

impl TopicEngine {
    /// The ontology results index into.
    pub fn ontology(&self) -> &Ontology {
        match self {
            TopicEngine::Words(c) => c.ontology(),
            TopicEngine::Semantic(s) => s.teacher.ontology(),
        }
    }

    /// Up to `top` topics of every item, best first, and how they were found.
    pub fn label_all<'a, T: Sync>(
        &self,
        items: &'a [T],
        text: impl Fn(&'a T) -> (&'a str, Option<Lang>) + Sync,
        top: usize,
    ) -> Result<(Vec<TopicList>, Labelling)> {
        let (lists, labelling, _) = self.label_all_student(items, text, top)?;
        Ok((lists, labelling))
    }

    /// [`TopicEngine::label_all`], and the student when one was trained.
    pub fn label_all_student<'a, T: Sync>(
        &self,
        items: &'a [T],
        text: impl Fn(&'a T) -> (&'a str, Option<Lang>) + Sync,
        top: usize,
    ) -> Result<(Vec<TopicList>, Labelling, Option<Student>)> {
        let texts: Vec<(&str, Option<Lang>)> = items.iter().map(&text).collect();
        match self {
            TopicEngine::Words(c) => Ok((
                c.try_classify_all(&texts, |t| *t, top)?,
                Labelling::Words,
                None,
            )),
            TopicEngine::Semantic(s) => s.label(&texts, top),
        }
    }
}

impl Semantic {
    /// The teacher on every distinct text of a small corpus, else a student.
    fn label(
        &self,
        texts: &[(&str, Option<Lang>)],
        top: usize,
    ) -> Result<(Vec<TopicList>, Labelling, Option<Student>)> {
        let p = self.distill.get();
        let distinct = hashed_distinct(texts, p.seed);
        if self.distill.teacher_only(distinct.len()) {
            let start = Instant::now();
            let unique: Vec<(&str, Option<Lang>)> = distinct.iter().map(|&i| texts[i]).collect();
            let (found, labelling) = if self
                .self_train
                .applies(unique.len(), unique.iter().map(|t| t.0))
            {
                let (found, emb) =
                    self.teacher
                        .classify_all_embedded(&self.embedder, &unique, |t| *t, top)?;
                let secs = start.elapsed().as_secs_f64();
                self.refine(&unique, found, &emb, top, secs)?
            } else {
                let (found, cached) =
                    self.teacher
                        .classify_all_cached(&self.embedder, &unique, |t| *t, top)?;
                let labelling = Labelling::Teacher {
                    texts: unique.len(),
                    secs: start.elapsed().as_secs_f64(),
                    cached,
                    not_self_trained: self.self_train.why_not(unique.len()),
                };
                (found, labelling)
            };
            let by_text: FxHashMap<&str, usize> =
                unique.iter().enumerate().map(|(k, t)| (t.0, k)).collect();
            let lists = texts.iter().map(|t| found[by_text[t.0]].clone()).collect();
            return Ok((lists, labelling, None));
        }
        let (student, mut report) = match distill(
            &self.teacher,
            &self.embedder,
            &self.ontology_name,
            texts,
            top,
            self.distill,
        )? {
            Distilled::Student(s, report) => (*s, report),
            Distilled::NoTopics {
                sample,
                teacher_secs,
            } => {
                let none = vec![Vec::new(); texts.len()];
                let labelling = Labelling::NoTopics {
                    sample,
                    secs: teacher_secs,
                };
                return Ok((none, labelling, None));
            }
        };
        let start = Instant::now();
        let lists = texts
            .par_iter()
            .with_min_len(64)
            .map(|&(t, l)| with_thread_scratch(|s| student.classify(t, l, top, s)))
            .collect();
        report.classify_secs = start.elapsed().as_secs_f64();
        report.texts = texts.len();
        if self.self_train != super::self_train::When::Never {
            report.not_self_trained = Some(format!(
                "self-training refines a corpus the embedding model labels alone (at most {} \
                 distinct texts, `--teacher-up-to`); this one has {}",
                p.teacher_up_to,
                distinct.len()
            ));
        }
        let labelling = Labelling::Student(report);
        Ok((lists, labelling, Some(student)))
    }
}

impl Semantic {
    /// The teacher's topics `found` of the distinct texts `unique` (embedded as `emb`, in
    /// `teacher_secs`), self-trained (when [`Semantic::self_train`] applies).
    fn refine(
        &self,
        unique: &[(&str, Option<Lang>)],
        found: Vec<TopicList>,
        emb: &crate::embed::Embeddings,
        top: usize,
        teacher_secs: f64,
    ) -> Result<(Vec<TopicList>, Labelling)> {
        let texts = unique.len();
        let teacher = |why: Option<String>| Labelling::Teacher {
            texts,
            secs: teacher_secs,
            cached: 0,
            not_self_trained: why,
        };
        let start = Instant::now();
        let o = self.teacher.ontology();
        Ok(
            match super::self_train::self_train(o, unique, &found, emb, top)? {
                Some(refined) => (
                    refined,
                    Labelling::SelfTrained {
                        texts,
                        teacher_secs,
                        train_secs: start.elapsed().as_secs_f64(),
                    },
                ),
                None => (
                    found,
                    teacher(Some(
                        "the embedding model found no topic to learn from".into(),
                    )),
                ),
            },
        )
    }
}

impl PostTopicEngine {
    /// The ontology results index into.
    pub fn ontology(&self) -> &Ontology {
        self.engine.ontology()
    }
}

/// The text and language hint of a post.
fn post_text(p: &Post) -> (&str, Option<Lang>) {
    (p.text.as_str(), p.lang.as_deref().and_then(lang::from_code))
}

impl PostLabeler for PostTopicEngine {
    fn label(&self, posts: &[Post], selected: &[usize]) -> Result<(Vec<TopicList>, Labelling)> {
        self.engine
            .label_all(selected, |&i| post_text(&posts[i]), self.top)
    }
}
