//! The one classifier interface the rest of the engine uses (the CLI, topic expertise): a
//! [`Classifier`] is either zero-shot phrase matching over an ontology or a trained [`TopicModel`], and
//! answers, for one text, the topics it is about with a score, best first, as indices into its
//! [`Classifier::ontology`] (so results roll up with `Ontology::path` / `ancestors`).
//!
//! ```
//! use clout::topics::{Classifier, ClassifierScratch};
//! let c = Classifier::zero_shot(clout::topics::builtin(), "social").unwrap();
//! let mut scratch = ClassifierScratch::default();
//! let topics = c.classify("The NBA finals tonight #Basketball", None, 3, &mut scratch);
//! assert_eq!(c.ontology().topic(topics[0].0).slug, "basketball");
//! ```

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::distill::Student;
use super::model::{Doc, TopicModel};
use super::raw_memo::{Coder, Item, RawMemo};
use super::semantic::embed_windows;
use super::zero_shot::ZeroShot;
use crate::embed::Embedder;
use crate::error::{Error, Result};
use crate::text::{AnalyzerRegistry, Lang, TextAnalyzer, Tokens};
use crate::topics::ontology::source::OntologySource;
use crate::topics::ontology::{Ontology, TopicIdx};

/// A ready classifier; share it read-only across threads (one [`ClassifierScratch`] each).
#[derive(Debug)]
pub struct Classifier {
    ontology: Arc<Ontology>,
    analyzer: Arc<TextAnalyzer>,
    kind: Kind,
    /// The sentence-embedding model, for a trained model with embedding features.
    embedder: Option<Arc<Embedder>>,
}

#[derive(Debug)]
enum Kind {
    ZeroShot(ZeroShot),
    Model(Box<TopicModel>),
    Student(Box<Student>),
}

/// Per-thread buffers for [`Classifier::classify`]; reuse one per thread.
#[derive(Debug, Default)]
pub struct ClassifierScratch {
    pub(crate) tokens: Tokens,
    pub(crate) joined: String,
    pub(crate) scores: FxHashMap<TopicIdx, f64>,
    pub(crate) doc: Doc,
    pub(crate) ids: Vec<u32>,
    pub(crate) row: Vec<(u32, f32)>,
    pub(crate) logits: Vec<f32>,
    /// The fast path's memo (raw chunk → items) and buffers.
    pub(crate) memo: RawMemo,
    pub(crate) items: Vec<Item>,
    pub(crate) phrase_ids: Vec<u32>,
    pub(crate) matches: Vec<(u32, u32, u32)>,
    pub(crate) topic_scores: Vec<(TopicIdx, f64)>,
    pub(crate) kept: Vec<(u32, f32)>,
    /// Labels the decision rule looks at closer.
    pub(crate) candidates: Vec<u32>,
    /// The text's sentence embedding, for a model with embedding features.
    pub(crate) embedding: Vec<f32>,
}

/// Items per parallel task at least in [`Classifier::classify_all`].
const PARALLEL_MIN_LEN: usize = 64;

thread_local! {
    static SCRATCH: RefCell<ClassifierScratch> = RefCell::new(ClassifierScratch::default());
}

/// Runs `f` with this thread's own [`ClassifierScratch`], kept between calls (a fresh one if
/// the thread's is already in use further up the stack). Scratch holds only buffers and memos
/// of pure functions, so which one is used never changes a result.
pub fn with_thread_scratch<R>(f: impl FnOnce(&mut ClassifierScratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => f(&mut s),
        Err(_) => f(&mut ClassifierScratch::default()),
    })
}

/// The analyzer registered as `name`, or a parameter error listing the known names.
pub fn analyzer_named(name: &str) -> Result<Arc<TextAnalyzer>> {
    let registry = AnalyzerRegistry::default();
    registry.get(name).ok_or_else(|| {
        Error::param(
            "analyzer",
            format!(
                "unknown analyzer {name:?}; known: {}",
                registry.names().join(", ")
            ),
        )
    })
}

impl Classifier {
    /// Zero-shot phrase matching over `ontology`, texts analysed by the analyzer `analyzer`
    /// (a name of [`AnalyzerRegistry`], e.g. `social`).
    pub fn zero_shot(ontology: Ontology, analyzer: &str) -> Result<Self> {
        let analyzer = analyzer_named(analyzer)?;
        let matcher = ZeroShot::new(&ontology, &analyzer);
        Ok(Classifier {
            ontology: Arc::new(ontology),
            analyzer,
            kind: Kind::ZeroShot(matcher),
            embedder: None,
        })
    }

    /// A trained model; its labels form a flat ontology (each label a root), except for a
    /// student of the embedding model, whose results are topics of its teacher's ontology.
    pub fn from_model(model: TopicModel) -> Self {
        match Student::from_model(model) {
            Ok(s) => Self::from_student(s),
            Err(model) => Classifier {
                ontology: Arc::new(model.label_ontology.clone()),
                analyzer: Arc::clone(&model.analyzer),
                kind: Kind::Model(Box::new(model)),
                embedder: None,
            },
        }
    }

    /// A student of the embedding model: topics of its teacher's ontology, chosen as
    /// [`Student::classify`] does.
    pub fn from_student(student: Student) -> Self {
        Classifier {
            ontology: Arc::new(student.ontology().clone()),
            analyzer: Arc::clone(&student.model.analyzer),
            kind: Kind::Student(Box::new(student)),
            embedder: None,
        }
    }

    /// Gives a model with embedding features (see [`Classifier::needs_embedder`]) the
    /// sentence-embedding model it reads; an error when its vectors are not the size the
    /// model was trained on.
    pub fn with_embedder(mut self, embedder: Embedder) -> Result<Self> {
        let want = self.model().map_or(0, TopicModel::embedding_dim);
        if want > 0 && embedder.dim() != want {
            return Err(Error::param(
                "model",
                format!(
                    "the model reads {want}-dimensional sentence embeddings; the embedding \
                     model gives {}",
                    embedder.dim()
                ),
            ));
        }
        self.embedder = Some(Arc::new(embedder));
        Ok(self)
    }

    /// The sentence-embedding model given with [`Classifier::with_embedder`], if any.
    pub fn embedder(&self) -> Option<&Embedder> {
        self.embedder.as_deref()
    }

    /// Whether this is a trained model with embedding features (`--features
    /// tfidf,embedding`), which classifies only with the embedding model given.
    pub fn needs_embedder(&self) -> bool {
        self.model().is_some_and(|m| m.embedding_dim() > 0)
    }

    /// The trained model, if this is one (a student's too).
    pub fn model(&self) -> Option<&TopicModel> {
        match &self.kind {
            Kind::Model(m) => Some(m),
            Kind::Student(s) => Some(&s.model),
            Kind::ZeroShot(_) => None,
        }
    }

    /// Whether this is a student of the embedding model: like zero-shot, it keeps at most
    /// `top` topics rather than all that a decision rule keeps.
    pub fn is_student(&self) -> bool {
        matches!(self.kind, Kind::Student(_))
    }

    /// The topics the results index into (for a trained model: its labels, as an ontology).
    pub fn ontology(&self) -> &Ontology {
        &self.ontology
    }

    /// The ontology, shared.
    pub fn ontology_arc(&self) -> Arc<Ontology> {
        Arc::clone(&self.ontology)
    }

    /// The analyzer texts go through.
    pub fn analyzer(&self) -> &TextAnalyzer {
        &self.analyzer
    }

    /// The topics of `text` (language `hint` if known), best first (ties by index), at most
    /// `top`. Zero-shot scores are the number of tokens the topic's phrases cover; a trained
    /// model's are probabilities and hold only the labels its decision rule keeps. A model
    /// with embedding features embeds `text` here, one text at a time (no topics if it has no
    /// embedding model; [`Classifier::try_classify_all`] batches, and says so).
    ///
    /// With a chunk-local analyzer (all the built-in ones) this takes the memoised fast path:
    /// a per-scratch memo from each whitespace-separated chunk's raw bytes to its tokens'
    /// feature and phrase ids, phrase matching over token ids, no per-post allocation but
    /// the result. It returns exactly what [`Classifier::classify_reference`] returns.
    pub fn classify(
        &self,
        text: &str,
        hint: Option<Lang>,
        top: usize,
        scratch: &mut ClassifierScratch,
    ) -> Vec<(TopicIdx, f64)> {
        if self.needs_embedder() && !self.embed_one(text, scratch) {
            return Vec::new();
        }
        self.classify_embedded(text, hint, top, scratch)
    }

    /// Puts the sentence embedding of `text` into `scratch` (see [`embed_windows`]); false
    /// when there is no embedding model or it failed.
    fn embed_one(&self, text: &str, scratch: &mut ClassifierScratch) -> bool {
        let Some(e) = &self.embedder else {
            return false;
        };
        match embed_windows(e, &[text]) {
            Ok(v) => {
                scratch.embedding.clear();
                scratch.embedding.extend_from_slice(v.row(0));
                true
            }
            Err(_) => false,
        }
    }

    /// [`Classifier::classify`] with the text's embedding (if the model reads one) already in
    /// `scratch.embedding`.
    fn classify_embedded(
        &self,
        text: &str,
        hint: Option<Lang>,
        top: usize,
        scratch: &mut ClassifierScratch,
    ) -> Vec<(TopicIdx, f64)> {
        if !self.analyzer.is_chunk_local() {
            return self.classify_reference(text, hint, top, scratch);
        }
        let mut v: Vec<(TopicIdx, f64)> = match &self.kind {
            Kind::ZeroShot(m) => {
                let lang = self.analyzer.resolve_lang(text, hint);
                let coder = Coder {
                    vocab: None,
                    phrases: Some(&m.trie),
                };
                let s = scratch;
                s.memo
                    .items_of(m.owner, &self.analyzer, &coder, text, lang, &mut s.items);
                s.phrase_ids.clear();
                s.phrase_ids
                    .extend(s.items.iter().filter_map(Item::phrase_word));
                m.score_ids(&s.phrase_ids, &mut s.matches, &mut s.topic_scores);
                s.topic_scores.clone()
            }
            Kind::Model(m) => {
                m.predict_fast(text, hint, scratch);
                scratch
                    .kept
                    .iter()
                    .map(|&(l, p)| (l, f64::from(p)))
                    .collect()
            }
            Kind::Student(s) => s.classify(text, hint, top, scratch),
        };
        v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(top);
        v
    }

    /// [`Classifier::classify`] by the reference pipeline (the whole text analysed, phrases
    /// matched over the joined words, features by term hash): slower, and what the fast path
    /// is tested against.
    pub fn classify_reference(
        &self,
        text: &str,
        hint: Option<Lang>,
        top: usize,
        scratch: &mut ClassifierScratch,
    ) -> Vec<(TopicIdx, f64)> {
        let mut v: Vec<(TopicIdx, f64)> = match &self.kind {
            Kind::ZeroShot(m) => {
                self.analyzer
                    .analyze_with_hint(text, hint, &mut scratch.tokens);
                m.score_tokens(&scratch.tokens, &mut scratch.joined, &mut scratch.scores);
                scratch.scores.iter().map(|(&t, &s)| (t, s)).collect()
            }
            Kind::Model(m) => m
                .predict_reference(text, hint, scratch)
                .into_iter()
                .map(|(l, p)| (l, f64::from(p)))
                .collect(),
            Kind::Student(s) => s.classify_reference(text, hint, top, scratch),
        };
        v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(top);
        v
    }

    /// Classifies every item in parallel (`text(item)`: its text and language hint); results
    /// in input order, the same as [`Classifier::classify_all_sequential`] whatever the thread
    /// count. Each thread reuses one scratch across calls (see [`with_thread_scratch`]), so
    /// its stem memo stays warm.
    pub fn classify_all<T: Sync>(
        &self,
        items: &[T],
        text: impl Fn(&T) -> (&str, Option<Lang>) + Sync,
        top: usize,
    ) -> Vec<Vec<(TopicIdx, f64)>> {
        items
            .par_iter()
            .with_min_len(PARALLEL_MIN_LEN)
            .map(|item| {
                let (t, hint) = text(item);
                with_thread_scratch(|s| self.classify(t, hint, top, s))
            })
            .collect()
    }

    /// [`Classifier::classify_all`] for any classifier: a model with embedding features gets
    /// every text's embedding first, in batches; an error when the embedding model is not
    /// given or fails.
    pub fn try_classify_all<T: Sync>(
        &self,
        items: &[T],
        text: impl Fn(&T) -> (&str, Option<Lang>) + Sync,
        top: usize,
    ) -> Result<Vec<Vec<(TopicIdx, f64)>>> {
        if !self.needs_embedder() {
            return Ok(self.classify_all(items, text, top));
        }
        let embedder = self.embedder.as_ref().ok_or_else(|| {
            Error::param(
                "model",
                "the model reads sentence embeddings: it needs the embedding model (clout model \
                 install)",
            )
        })?;
        let texts: Vec<&str> = items.iter().map(|i| text(i).0).collect();
        let emb = embed_windows(embedder, &texts)?;
        Ok(items
            .par_iter()
            .enumerate()
            .with_min_len(PARALLEL_MIN_LEN)
            .map(|(i, item)| {
                let (t, hint) = text(item);
                with_thread_scratch(|s| {
                    s.embedding.clear();
                    s.embedding.extend_from_slice(emb.row(i));
                    self.classify_embedded(t, hint, top, s)
                })
            })
            .collect())
    }

    /// The sequential twin of [`Classifier::classify_all`], with one fresh scratch.
    pub fn classify_all_sequential<T>(
        &self,
        items: &[T],
        text: impl Fn(&T) -> (&str, Option<Lang>),
        top: usize,
    ) -> Vec<Vec<(TopicIdx, f64)>> {
        let mut s = ClassifierScratch::default();
        items
            .iter()
            .map(|item| {
                let (t, hint) = text(item);
                self.classify(t, hint, top, &mut s)
            })
            .collect()
    }

    /// The slugs from the root down to `topic` (for output).
    pub fn path_slugs(&self, topic: TopicIdx) -> Vec<&str> {
        self.ontology
            .path(topic)
            .iter()
            .map(|&p| self.ontology.topic(p).slug.as_str())
            .collect()
    }
}

/// Where a classifier comes from: a trained model file or an ontology for zero-shot matching
/// (what `--model FILE` / `--ontology NAME` choose on the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClassifierSource {
    /// A model file written by `clout topics train`.
    Model(PathBuf),
    /// Zero-shot over an ontology.
    Ontology(OntologySource),
}

impl ClassifierSource {
    /// Loads the classifier; `data_dir` is where `klout` / `iab` are read from and `analyzer`
    /// names the analyzer for zero-shot matching (a model keeps the one it was trained with).
    pub fn load(&self, data_dir: &Path, analyzer: &str) -> Result<Classifier> {
        match self {
            ClassifierSource::Ontology(source) => {
                Classifier::zero_shot(source.load(data_dir)?, analyzer)
            }
            ClassifierSource::Model(path) => {
                Ok(Classifier::from_model(TopicModel::load(path, data_dir)?))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_shot_through_the_interface_matches_the_matcher() {
        let c = Classifier::zero_shot(crate::topics::builtin(), "social").unwrap();
        let mut s = ClassifierScratch::default();
        let text = "What a dunk! The NBA finals are on #Basketball";
        let got = c.classify(text, None, 3, &mut s);
        let analyzer = analyzer_named("social").unwrap();
        let direct = ZeroShot::new(c.ontology(), &analyzer).classify(
            &analyzer,
            text,
            3,
            &mut Default::default(),
        );
        assert_eq!(got, direct);
        assert_eq!(
            c.path_slugs(got[0].0),
            ["sports-and-recreation", "basketball"]
        );
        assert!(Classifier::zero_shot(crate::topics::builtin(), "nope").is_err());
    }

    #[test]
    fn batches_equal_one_text_at_a_time() {
        let c = Classifier::zero_shot(crate::topics::builtin(), "social").unwrap();
        let texts: Vec<String> = (0..500)
            .map(|i| {
                let t = c.ontology().topic((i % c.ontology().len()) as TopicIdx);
                format!("Sooo #{}Fans love {} ({i}) https://t.co/x", t.slug, t.name)
            })
            .collect();
        let alone: Vec<_> = texts
            .iter()
            .map(|t| c.classify(t, None, 5, &mut ClassifierScratch::default()))
            .collect();
        assert!(alone.iter().filter(|v| !v.is_empty()).count() > 400);
        fn text(t: &String) -> (&str, Option<Lang>) {
            (t.as_str(), None)
        }
        assert_eq!(c.classify_all_sequential(&texts, text, 5), alone);
        assert_eq!(c.classify_all(&texts, text, 5), alone);
        // A thread's scratch in use further up the stack is not borrowed twice.
        let nested = with_thread_scratch(|_| c.classify_all_sequential(&texts[..3], text, 5));
        assert_eq!(nested, alone[..3]);
        with_thread_scratch(|_| with_thread_scratch(|s| assert!(s.tokens.is_empty())));
    }

    #[test]
    fn zero_shot_fast_path_equals_the_reference_on_names_and_non_ascii() {
        let c = Classifier::zero_shot(crate::topics::builtin(), "social").unwrap();
        let mut warm = ClassifierScratch::default();
        let mut texts: Vec<String> = c
            .ontology()
            .topics()
            .iter()
            .map(|t| format!("{} and {} #{}", t.name.to_uppercase(), t.slug, t.name))
            .collect();
        texts.extend(
            [
                "Machine Learning and learning machines, MACHINE learning",
                "İstanbul'da FUTBOL maçı ve Straße STRASSE Fußball 🏀🔥 中文 日本のアニメ",
                "Élections: le président déçu 🇫🇷 ｂａｓｋｅｔｂａｌｌ ﬁlm e\u{301}te\u{301}",
                "country music, country, music 👨\u{200D}👩\u{200D}👧 http:// https://t.co/x",
            ]
            .map(String::from),
        );
        let mut matched = 0;
        for round in 0..2 {
            for t in &texts {
                for hint in [None, Some(Lang::Tur), Some(Lang::Deu), Some(Lang::Fra)] {
                    let want = c.classify_reference(t, hint, 5, &mut ClassifierScratch::default());
                    matched += usize::from(!want.is_empty());
                    assert_eq!(c.classify(t, hint, 5, &mut warm), want, "{t} {round}");
                }
            }
        }
        assert!(matched > texts.len() * 4, "{matched}");
    }

    proptest::proptest! {
        /// Random sequences of topic words, separators and non-ASCII pieces: the fast path
        /// (a scratch warm from earlier cases) equals the reference.
        #[test]
        fn zero_shot_fast_path_equals_the_reference(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "machine", "Learning", "learning", "country", "music", "NBA", "finals",
                "basketball", "#MachineLearning", "#nba", "soooo", "the", "and", " ", "  ",
                "\t", "\n", ",", ".", "!", "İ", "ß", "é", "e\u{301}", "😀", "🇫🇷", "中", "ｆ",
                "\u{a0}", "\u{3000}", "http://", "www.", "@bbc", "'s", "2024",
            ]), 0..20),
            hint in proptest::sample::select(vec![None, Some(Lang::Eng), Some(Lang::Tur)]),
        ) {
            use std::sync::OnceLock;
            static C: OnceLock<Classifier> = OnceLock::new();
            let c = C.get_or_init(|| Classifier::zero_shot(crate::topics::builtin(), "social").unwrap());
            let text = parts.concat();
            let want = c.classify_reference(&text, hint, 10, &mut ClassifierScratch::default());
            let got = with_thread_scratch(|s| c.classify(&text, hint, 10, s));
            proptest::prop_assert_eq!(got, want);
        }
    }
}
