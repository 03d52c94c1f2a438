//! `clout topics train / classify / eval`: trained or zero-shot topics of each post, with
//! roll-up paths, and their quality on labelled texts.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use super::Output;
use crate as clout;
use clout::topics::classify::eval::{
    cross_validate_embedded, evaluate_model_embedded, evaluate_zero_shot, label_mismatch, Report,
};
use clout::topics::classify::input::{read_labelled, read_texts, LabelledSet, TextRecord};
use clout::topics::classify::semantic_eval::{
    evaluate_self_trained, evaluate_semantic, evaluate_student,
};
use clout::topics::{
    unmapped_labels, Algorithm, Classifier, ClassifierSource, Ontology, OntologySource, TopicIdx,
    TopicModel, TrainParams, UnmappedLabel,
};

#[derive(Debug, Subcommand)]
pub enum TopicsCommand {
    /// Topics of each post, best first: a trained model's labels, or zero-shot phrase matching
    /// over an ontology.
    Classify(ClassifyArgs),
    /// Per-account topic expertise from the engagement posts earned on each topic.
    Experts(super::experts::ExpertsArgs),
    /// Train a multi-label classifier (naive Bayes or logistic regression) on labelled texts.
    Train(TrainArgs),
    /// Accuracy, micro/macro F1 and per-label precision/recall on labelled texts.
    Eval(EvalArgs),
}

/// `--model FILE` or `--ontology NAME`: the classifier to use.
#[derive(Debug, Args, Clone)]
pub struct ClassifierArgs {
    /// A model file written by `clout topics train`.
    #[arg(long, conflicts_with = "ontology")]
    pub model: Option<PathBuf>,
    /// Zero-shot over `builtin`, `klout`, `iab`, or a taxonomy TSV file (`id, parents, name,
    /// keywords`) [default: builtin].
    #[arg(long)]
    pub ontology: Option<String>,
    /// Analyzer name for zero-shot matching (see `clout::text::AnalyzerRegistry`).
    #[arg(long, default_value = "social")]
    pub analyzer: String,
    /// Data directory for `klout` and `iab` [default: $CLOUT_DATA_DIR or ../shared/data].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

impl ClassifierArgs {
    fn data_dir(&self) -> PathBuf {
        self.data_dir
            .clone()
            .unwrap_or_else(clout::topics::default_data_dir)
    }

    fn source(&self) -> ClassifierSource {
        match &self.model {
            Some(m) => ClassifierSource::Model(m.clone()),
            None => ClassifierSource::Ontology(OntologySource::parse(
                self.ontology.as_deref().unwrap_or("builtin"),
            )),
        }
    }

    /// Loads the chosen classifier.
    pub fn load(&self) -> Result<Classifier> {
        let what = match &self.model {
            Some(m) => format!("model {}", m.display()),
            None => format!("ontology {}", self.ontology.as_deref().unwrap_or("builtin")),
        };
        let c = self
            .source()
            .load(&self.data_dir(), &self.analyzer)
            .with_context(|| format!("loading {what}"))?;
        if !c.needs_embedder() {
            return Ok(c);
        }
        let e = super::model::load_required(clout::embed::EmbedParams::default())
            .with_context(|| format!("{what} reads sentence embeddings"))?;
        Ok(c.with_embedder(e)?)
    }
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Labelled texts: JSON lines `{"id","text","labels":[…]}`, the TweetTopicXL layout (one
    /// 0/1 field per label), or a folder with one sub-folder of text files per label.
    #[arg(long)]
    pub input: PathBuf,
    /// Where to write the model (atomically).
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub train: TrainFlags,
    /// Analyzer name (see `clout::text::AnalyzerRegistry`).
    #[arg(long, default_value = "social")]
    pub analyzer: String,
    /// Data directory for `klout` and `iab` [default: $CLOUT_DATA_DIR or ../shared/data].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

/// Training parameters shared by `train` and `eval --folds`.
#[derive(Debug, Args)]
pub struct TrainFlags {
    /// `nb` (multinomial naive Bayes) or `lr` (one-vs-rest L2 logistic regression).
    #[arg(long, default_value = "lr", value_parser = ["nb", "lr"])]
    pub algorithm: String,
    /// Ontology whose matches become features and label evidence: `builtin`, `klout`, `iab`,
    /// a taxonomy TSV, or `none`.
    #[arg(long = "with-ontology", default_value = "builtin", value_name = "NAME")]
    pub with_ontology: String,
    /// Inverse L2 regularisation of logistic regression.
    #[arg(long, default_value_t = TrainParams::default().c)]
    pub c: f64,
    /// Naive Bayes smoothing.
    #[arg(long, default_value_t = TrainParams::default().alpha)]
    pub alpha: f64,
    /// Unigrams only (no bigrams).
    #[arg(long)]
    pub no_bigrams: bool,
    /// Minimum number of texts a term must occur in.
    #[arg(long, default_value_t = 1)]
    pub min_df: u32,
    /// Features: `tfidf` (words, bigrams and ontology topics), or `tfidf,embedding` to add
    /// each text's sentence embedding (needs the embedding model, to train and to classify).
    #[arg(long, default_value = "tfidf", value_parser = parse_features)]
    pub features: Features,
}

/// What `--features` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    pub embedding: bool,
}

fn parse_features(s: &str) -> std::result::Result<Features, String> {
    let mut names: Vec<&str> = s.split(',').map(str::trim).collect();
    names.sort_unstable();
    names.dedup();
    match names.as_slice() {
        ["tfidf"] => Ok(Features { embedding: false }),
        ["embedding", "tfidf"] => Ok(Features { embedding: true }),
        _ => Err(format!(
            "{s:?}: expected `tfidf` or `tfidf,embedding` (TF-IDF features are always used)"
        )),
    }
}

impl TrainFlags {
    fn params(&self, analyzer: &str) -> TrainParams {
        TrainParams {
            algorithm: if self.algorithm == "nb" {
                Algorithm::Nb
            } else {
                Algorithm::Lr
            },
            c: self.c,
            alpha: self.alpha,
            bigrams: !self.no_bigrams,
            min_df: self.min_df,
            analyzer: analyzer.to_owned(),
            embedding: self.features.embedding,
            ..TrainParams::default()
        }
    }

    /// Each text's sentence embedding when `--features` asks for them (the embedding model
    /// is then required).
    fn embeddings(&self, set: &LabelledSet) -> Result<Option<clout::embed::Embeddings>> {
        if !self.features.embedding {
            return Ok(None);
        }
        embed_set(set).map(Some)
    }

    fn ontology(&self, data_dir: &std::path::Path) -> Result<Option<(String, Ontology)>> {
        if self.with_ontology == "none" {
            return Ok(None);
        }
        let o = OntologySource::parse(&self.with_ontology)
            .load(data_dir)
            .with_context(|| format!("loading ontology {}", self.with_ontology))?;
        Ok(Some((self.with_ontology.clone(), o)))
    }
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub classifier: ClassifierArgs,
    /// Labelled texts (the layouts `train` reads).
    #[arg(long)]
    pub input: PathBuf,
    /// Cross-validate training on the input instead: `K` folds, text `i` (file order) in fold
    /// `i mod K`. Uses the training flags, not `--model`.
    #[arg(long, value_name = "K", conflicts_with = "model")]
    pub folds: Option<usize>,
    #[command(flatten)]
    pub train: TrainFlags,
    #[command(flatten)]
    pub semantic: SemanticFlags,
    /// Semantic: also train a student (the training flags) on the teacher's labels of all
    /// folds but one and score it on that one, for K folds (text `i` in fold `i mod K`).
    #[arg(long, value_name = "K", conflicts_with_all = ["folds", "model", "keywords"])]
    pub student: Option<usize>,
    /// Zero-shot: score what `topics classify` gives the texts (the embedding model alone,
    /// self-trained or distilled into a student, as the corpus decides; or keywords), its
    /// topics standing for the labels mapped to them.
    #[arg(long, conflicts_with_all = ["folds", "model", "student"])]
    pub as_classified: bool,
    /// Zero-shot and cross-validation: which ontology topics each label stands for, one
    /// `label<TAB>topic[,topic…]` per line (slugs, ids or names; `#` comments); labels left out
    /// are mapped by their names. See `data/fixtures/tweet-topic-xl-builtin.tsv`.
    #[arg(long, value_name = "FILE", conflicts_with = "model")]
    pub label_map: Option<PathBuf>,
    /// One JSON object: `{"texts","accuracy","micro_f1","macro_f1",
    /// "predicted_labels_per_text","true_labels_per_text","labels":[…]}` (with `--student`:
    /// `{"teacher":{…},"student":{…}}`).
    #[arg(long)]
    pub json: bool,
    /// Write here (atomically) instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// When the semantic zero-shot labels are self-trained (`--self-train`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SelfTrain {
    /// On sets of short posts (median text ≤ 500 characters).
    Auto,
    On,
    Off,
}

impl SelfTrain {
    fn when(self) -> clout::topics::classify::self_train::When {
        use clout::topics::classify::self_train::When;
        match self {
            SelfTrain::Auto => When::Auto,
            SelfTrain::On => When::Always,
            SelfTrain::Off => When::Never,
        }
    }
}

/// Semantic zero-shot (the default when the embedding model is installed): the embedding
/// model beside the keyword matcher.
#[derive(Debug, Args, Clone)]
pub struct SemanticFlags {
    /// Require the sentence-embedding model (an error when it is not installed) instead of
    /// falling back to keyword matching with a note.
    #[arg(long, conflicts_with = "keywords")]
    pub semantic: bool,
    /// Keyword matching only, without the embedding model.
    #[arg(long)]
    pub keywords: bool,
    /// Semantic: a topic needs at least this cosine to be chosen.
    #[arg(long, default_value_t = clout::topics::SemanticParams::default().abstain, allow_hyphen_values = true)]
    pub abstain: f32,
    /// Semantic: weight of the keyword-evidence bonus.
    #[arg(long, default_value_t = clout::topics::SemanticParams::default().keyword_weight)]
    pub keyword_weight: f32,
    /// Semantic: labels within this of the best are kept (multi-label data), super-topics
    /// within it stay open.
    #[arg(long, default_value_t = clout::topics::SemanticParams::default().margin)]
    pub margin: f32,
    /// Semantic classification: other super-topics within this of the best give a post
    /// further topics.
    #[arg(long, default_value_t = clout::topics::SemanticParams::default().topic_margin)]
    pub topic_margin: f32,
    /// Semantic: the embedding model labels every text of a corpus of at most this many
    /// distinct texts; above it, a sample (5% of the distinct texts, at least 5,000, at most
    /// 20,000) that trains a fast student model, which labels everything.
    #[arg(long, value_name = "N", default_value_t = clout::topics::classify::distill::DistillParams::default().teacher_up_to)]
    pub teacher_up_to: usize,
    /// Semantic: refine the embedding model's labels by self-training (a student with TF-IDF
    /// and embedding features trained on them, cross-fitted over the texts; no true label
    /// used; see README). `auto` self-trains sets of at least 100 short posts (median text ≤
    /// 500 characters); `--self-train` alone is `on` (a value needs `=`: `--self-train=off`).
    /// Default: `auto` for `topics eval` (in a
    /// labelled set's labels, where it lifts tweets), `off` for the topics of `classify`,
    /// `run` and the other commands (in the ontology's topics it gained nothing, see README),
    /// which self-train a corpus the embedding model labels alone when asked.
    #[arg(
        long,
        value_name = "WHEN",
        value_enum,
        default_missing_value = "on",
        num_args = 0..=1,
        require_equals = true,
        conflicts_with = "keywords"
    )]
    pub self_train: Option<SelfTrain>,
}

impl SemanticFlags {
    /// The embedding model and checked parameters, unless `--keywords` is given or the model
    /// is not installed (then a note, once; with `--semantic` an error).
    pub fn load(
        &self,
        progress: super::Progress,
    ) -> Result<Option<(clout::embed::Embedder, clout::topics::ValidSemanticParams)>> {
        if self.keywords {
            return Ok(None);
        }
        let params = clout::topics::SemanticParams {
            abstain: self.abstain,
            keyword_weight: self.keyword_weight,
            margin: self.margin,
            topic_margin: self.topic_margin,
            ..Default::default()
        }
        .check()?;
        let embedder = if self.semantic {
            Some(super::model::load_required(
                clout::embed::EmbedParams::default(),
            )?)
        } else {
            super::model::load_or_note(clout::embed::EmbedParams::default())?
        };
        // The count appears with the first batch embedded, not while inputs are still read.
        let bar = std::sync::OnceLock::new();
        let count = move |n| {
            bar.get_or_init(|| progress.counter("embedding texts"))
                .inc(n)
        };
        Ok(embedder.map(|e| (e.with_progress(count), params)))
    }
}

impl ClassifierArgs {
    /// The topic engine: the given model, else semantic zero-shot over the ontology (teacher,
    /// distilled into a student above a corpus size) when the embedding model is there, else
    /// keyword zero-shot.
    pub fn engine(
        &self,
        semantic: &SemanticFlags,
        progress: super::Progress,
    ) -> Result<clout::topics::TopicEngine> {
        use clout::topics::TopicEngine;
        if self.model.is_some() {
            anyhow::ensure!(
                !semantic.semantic,
                "--semantic is zero-shot over an ontology: it does not take --model"
            );
            return Ok(TopicEngine::Words(self.load()?));
        }
        let Some((embedder, params)) = semantic.load(progress)? else {
            return Ok(TopicEngine::Words(self.load()?));
        };
        let name = self.ontology.as_deref().unwrap_or("builtin");
        let ontology = OntologySource::parse(name)
            .load(&self.data_dir())
            .with_context(|| format!("loading ontology {name}"))?;
        let teacher = clout::topics::SemanticClassifier::new(
            ontology,
            &self.analyzer,
            &embedder,
            params,
            clout::topics::VectorCache::from_env().as_ref(),
        )?;
        let teacher = match clout::topics::classify::label_cache::LabelCache::from_env() {
            Some(cache) => teacher.with_label_cache(cache, &embedder),
            None => teacher,
        };
        Ok(TopicEngine::Semantic(Box::new(
            clout::topics::classify::engine::Semantic {
                teacher,
                embedder,
                ontology_name: name.to_owned(),
                distill: clout::topics::classify::distill::DistillParams {
                    teacher_up_to: semantic.teacher_up_to,
                    ..Default::default()
                }
                .check()?,
                self_train: semantic.self_train.unwrap_or(SelfTrain::Off).when(),
            },
        )))
    }
}

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    #[command(flatten)]
    pub classifier: ClassifierArgs,
    /// Posts: JSON lines `{"id","text","lang"?}` (the engine's posts format; TweetTopicXL and
    /// labelled JSON lines work as they are) or a folder of label sub-folders.
    #[arg(long)]
    pub input: PathBuf,
    /// Topics per post, at most [default: 3 zero-shot; with --model, every label its decision
    /// rule keeps].
    #[arg(long)]
    pub top: Option<usize>,
    #[command(flatten)]
    pub semantic: SemanticFlags,
    /// Semantic: when a student model is trained (a corpus above `--teacher-up-to`), also
    /// write it here (atomically), for `classify --model` later without the teacher.
    #[arg(long, value_name = "FILE")]
    pub save_student: Option<PathBuf>,
    /// One JSON object per post: `{"id","topics":[{"topic","score","path"}]}`.
    #[arg(long)]
    pub json: bool,
    /// Write here (atomically) instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// One post's line of `--json` output.
#[derive(serde::Serialize)]
struct PostOut<'a> {
    id: &'a str,
    topics: Vec<TopicOut<'a>>,
}

/// One topic of a post: its slug, score and path from the root.
#[derive(serde::Serialize)]
struct TopicOut<'a> {
    topic: &'a str,
    score: f64,
    path: Vec<&'a str>,
}

pub fn run(command: TopicsCommand, progress: super::Progress, quiet: bool) -> Result<()> {
    match command {
        TopicsCommand::Classify(args) => classify(args, progress),
        TopicsCommand::Experts(args) => super::experts::run(args, progress),
        TopicsCommand::Train(args) => train(args, progress, quiet),
        TopicsCommand::Eval(args) => eval(args, progress),
    }
}

/// Zero-shot topics per post without `--top`.
const ZERO_SHOT_TOP: usize = 3;

fn classify(args: ClassifyArgs, progress: super::Progress) -> Result<()> {
    anyhow::ensure!(args.top != Some(0), "--top must be at least 1");
    let engine = args.classifier.engine(&args.semantic, progress)?;
    let texts = read_texts(&args.input)?;
    // A model's decision rule decides how many labels a post gets: --top only cuts them when
    // given.
    let top = match &engine {
        clout::topics::TopicEngine::Words(c) if c.model().is_some() && !c.is_student() => {
            args.top.unwrap_or(usize::MAX)
        }
        _ => args.top.unwrap_or(ZERO_SHOT_TOP),
    };
    let (results, labelling, student) =
        engine.label_all_student(&texts, |t| (t.text.as_str(), t.lang), top)?;
    super::experts::say_labelling(&labelling);
    if let Some(path) = &args.save_student {
        match student {
            Some(s) => s.model.save(path)?,
            None if matches!(labelling, clout::topics::Labelling::NoTopics { .. }) => eprintln!(
                "clout: note: no student was trained (the embedding model found no topic): {} \
                 not written",
                path.display()
            ),
            None => eprintln!(
                "clout: note: no student was trained ({} distinct texts or fewer are labelled \
                 by the teacher alone, or the embedding model is not used): {} not written",
                args.semantic.teacher_up_to,
                path.display()
            ),
        }
    }
    let mut out = Output::create(args.out.as_deref())?;
    write_posts(&mut out, engine.ontology(), &texts, &results, args.json)?;
    out.finish()
}

/// Posts formatted per parallel task, and per window written before the next is formatted.
const POSTS_PER_TASK: usize = 2_048;
const POSTS_PER_WINDOW: usize = 64 * POSTS_PER_TASK;

/// Writes one line per post (`--json` or `id<TAB>topic:score …`), in input order; lines are
/// formatted in parallel, a window at a time, and written in order.
fn write_posts(
    out: &mut Output,
    o: &Ontology,
    texts: &[TextRecord],
    results: &[Vec<(TopicIdx, f64)>],
    json: bool,
) -> Result<()> {
    use rayon::prelude::*;
    for (ts, rs) in texts
        .chunks(POSTS_PER_WINDOW)
        .zip(results.chunks(POSTS_PER_WINDOW))
    {
        let parts: Vec<Vec<u8>> = ts
            .par_chunks(POSTS_PER_TASK)
            .zip(rs.par_chunks(POSTS_PER_TASK))
            .map(|(ts, rs)| {
                let mut buf = Vec::new();
                for (t, topics) in ts.iter().zip(rs) {
                    post_line(&mut buf, o, t, topics, json)?;
                }
                Ok(buf)
            })
            .collect::<Result<_>>()?;
        for part in parts {
            out.write_all(&part)?;
        }
    }
    Ok(())
}

/// One post's output line, with its newline.
fn post_line(
    buf: &mut Vec<u8>,
    o: &Ontology,
    t: &TextRecord,
    topics: &[(TopicIdx, f64)],
    json: bool,
) -> Result<()> {
    if json {
        let topics = topics
            .iter()
            .map(|&(i, score)| TopicOut {
                topic: &o.topic(i).slug,
                score,
                path: o
                    .path(i)
                    .iter()
                    .map(|&p| o.topic(p).slug.as_str())
                    .collect(),
            })
            .collect();
        serde_json::to_writer(&mut *buf, &PostOut { id: &t.id, topics })?;
    } else {
        write!(buf, "{}\t", t.id)?;
        for (k, &(i, score)) in topics.iter().enumerate() {
            let sep = if k == 0 { "" } else { " " };
            write!(buf, "{sep}{}:{score}", o.topic(i).slug)?;
        }
    }
    buf.push(b'\n');
    Ok(())
}

fn train(args: TrainArgs, progress: super::Progress, quiet: bool) -> Result<()> {
    let set = read_labelled(&args.input)?;
    let data_dir = args
        .data_dir
        .clone()
        .unwrap_or_else(clout::topics::default_data_dir);
    let ontology = args.train.ontology(&data_dir)?;
    let emb = args.train.embeddings(&set)?;
    let spinner = progress.spinner("training");
    let params = args.train.params(&args.analyzer);
    let model = match &emb {
        Some(e) => TopicModel::train_embedded(&set, params, ontology, e)?,
        None => TopicModel::train(&set, params, ontology)?,
    };
    spinner.finish_and_clear();
    model.save(&args.out)?;
    if let Some(name) = model.ontology_name() {
        warn_unmapped(
            name,
            &model.unmapped_labels(),
            "the ontology adds nothing to them",
        );
    }
    if !quiet {
        print_trained(&model, set.records.len());
    }
    Ok(())
}

/// The sentence embedding of every text of `set` (the embedding model is required).
fn embed_set(set: &LabelledSet) -> Result<clout::embed::Embeddings> {
    let e = super::model::load_required(clout::embed::EmbedParams::default())?;
    embed_set_with(&e, set)
}

/// [`embed_set`] with an embedding model already loaded.
fn embed_set_with(
    e: &clout::embed::Embedder,
    set: &LabelledSet,
) -> Result<clout::embed::Embeddings> {
    let texts: Vec<&str> = set.records.iter().map(|r| r.text.as_str()).collect();
    Ok(clout::topics::classify::semantic::embed_windows(e, &texts)?)
}

/// `train`'s summary on standard error: sizes, the decision rule, the label map.
fn print_trained(model: &TopicModel, texts: usize) {
    let rule = model.rule();
    let per_text = match rule.labels_per_text {
        Some((predicted, truth)) if !rule.single => {
            format!(", {predicted:.2} labels per text in cross-validation ({truth:.2} true)")
        }
        _ => String::new(),
    };
    eprintln!(
        "trained on {texts} texts: {} labels, {} features, {}{per_text}; ontology weight β = {}",
        model.labels().len(),
        model.features(),
        if rule.single {
            "single-label (best label only)"
        } else {
            "multi-label (best label plus labels over their thresholds)"
        },
        rule.beta
    );
    if let Some(map) = model.label_map() {
        for (l, topics) in model.labels().iter().zip(map) {
            eprintln!(
                "  {l} → {}",
                if topics.is_empty() {
                    "-".to_string()
                } else {
                    topics.join(", ")
                }
            );
        }
    }
}

/// Warns about labels that map to no topic of `ontology`, with the closest topics; `effect`
/// says what it means for them.
fn warn_unmapped(ontology: &str, unmapped: &[UnmappedLabel], effect: &str) {
    if unmapped.is_empty() {
        return;
    }
    let list: Vec<String> = unmapped
        .iter()
        .map(|u| {
            if u.closest.is_empty() {
                format!("{} (no topic has a similar name)", u.label)
            } else {
                format!("{} (closest: {})", u.label, u.closest.join(", "))
            }
        })
        .collect();
    eprintln!(
        "clout: warning: labels mapped to no topic of {ontology} ({effect}; rename a label to a \
         topic's name or slug to link it): {}",
        list.join("; ")
    );
}

fn eval(args: EvalArgs, progress: super::Progress) -> Result<()> {
    anyhow::ensure!(
        !(args.semantic.semantic && (args.folds.is_some() || args.classifier.model.is_some())),
        "--semantic is zero-shot over an ontology: it does not take --model or --folds"
    );
    let mut set = read_labelled(&args.input)?;
    if args.as_classified {
        return eval_as_classified(&args, &mut set, progress);
    }
    let report = match (args.folds, &args.classifier.model) {
        (Some(k), _) => {
            let ontology = args.train.ontology(&args.classifier.data_dir())?;
            if let Some((name, o)) = &ontology {
                let unmapped = unmapped_labels(o, &set.labels);
                warn_unmapped(name, &unmapped, "the ontology adds nothing to them");
            }
            if let Some(o) = ontology.as_ref().map(|(_, o)| o) {
                apply_map(&args, &mut set, o)?;
            }
            let ontology = ontology.map(|(_, o)| o);
            let params = args.train.params(&args.classifier.analyzer);
            let emb = args.train.embeddings(&set)?;
            cross_validate_embedded(&set, &params, ontology, k, emb.as_ref())?
        }
        (None, Some(_)) => {
            let c = args.classifier.load()?;
            let model = c.model().expect("--model loads a model");
            warn_mismatch(model, &set);
            // The classifier loaded the embedding model its model reads: use that one.
            let emb = c.embedder().map(|e| embed_set_with(e, &set)).transpose()?;
            evaluate_model_embedded(model, &set, emb.as_ref())?
        }
        (None, None) => {
            let name = args.classifier.ontology.as_deref().unwrap_or("builtin");
            let o = OntologySource::parse(name)
                .load(&args.classifier.data_dir())
                .with_context(|| format!("loading ontology {name}"))?;
            apply_map(&args, &mut set, &o)?;
            let cache = clout::topics::VectorCache::from_env();
            match (args.semantic.load(progress)?, args.student) {
                (Some((e, p)), Some(k)) => {
                    let train = args.train.params(&args.classifier.analyzer);
                    let analyzer = &args.classifier.analyzer;
                    let (teacher, student) =
                        evaluate_student(o, analyzer, &set, &e, p, (&train, k), cache.as_ref())?;
                    return write_student(&args, &teacher, &student);
                }
                (Some((e, p)), None)
                    if !args
                        .semantic
                        .self_train
                        .unwrap_or(SelfTrain::Auto)
                        .when()
                        .applies(
                            set.records.len(),
                            set.records.iter().map(|r| r.text.as_str()),
                        ) =>
                {
                    evaluate_semantic(o, &args.classifier.analyzer, &set, &e, p, cache.as_ref())?
                }
                (Some((e, p)), None) => {
                    let analyzer = &args.classifier.analyzer;
                    let (teacher, refined) =
                        evaluate_self_trained(o, analyzer, &set, &e, p, cache.as_ref())?;
                    say_self_trained(&teacher, &refined, set.records.len());
                    refined
                }
                (None, Some(_)) => anyhow::bail!(
                    "--student needs the embedding model as its teacher (run `clout model install`)"
                ),
                (None, None) => {
                    let unmapped = match &set.label_map {
                        Some(_) => Vec::new(),
                        None => unmapped_labels(&o, &set.labels),
                    };
                    warn_unmapped(
                        name,
                        &unmapped,
                        "zero-shot never predicts them: each scores 0",
                    );
                    evaluate_zero_shot(o, &args.classifier.analyzer, &set)?
                }
            }
        }
    };
    emit_report(&args, &report)
}

/// `eval --as-classified`: the texts through `classify`'s engine, its topics scored against
/// the labels.
fn eval_as_classified(
    args: &EvalArgs,
    set: &mut LabelledSet,
    progress: super::Progress,
) -> Result<()> {
    let engine = args.classifier.engine(&args.semantic, progress)?;
    apply_map(args, set, engine.ontology())?;
    fn text(
        r: &clout::topics::classify::input::LabelledRecord,
    ) -> (&str, Option<clout::text::Lang>) {
        (r.text.as_str(), r.lang)
    }
    let (topics, labelling) = engine.label_all(&set.records, text, 3)?;
    eprintln!("clout: {labelling}");
    let report = clout::topics::classify::semantic_eval::evaluate_topics(
        engine.ontology().clone(),
        &args.classifier.analyzer,
        set,
        &topics,
    )?;
    emit_report(args, &report)
}

/// Reads `--label-map` (when given) for `set` over `ontology`.
fn apply_map(args: &EvalArgs, set: &mut LabelledSet, ontology: &Ontology) -> Result<()> {
    if let Some(path) = &args.label_map {
        clout::topics::classify::label_map::apply_label_map(path, set, ontology)?;
    }
    Ok(())
}

/// An evaluation's report as `--json` or text, to `--out` or standard output.
fn emit_report(args: &EvalArgs, report: &Report) -> Result<()> {
    let mut out = Output::create(args.out.as_deref())?;
    if args.json {
        serde_json::to_writer(&mut out, report)?;
        writeln!(out)?;
    } else {
        write_report(&mut out, report)?;
    }
    out.finish()
}

/// `eval --student`: the teacher's report, then the student's.
/// What self-training did to the teacher's zero-shot labels.
fn say_self_trained(teacher: &Report, refined: &Report, texts: usize) {
    use clout::topics::classify::semantic_eval::{SELF_TRAIN_FOLDS, SELF_TRAIN_MIN_TEXTS};
    if texts < SELF_TRAIN_MIN_TEXTS {
        eprintln!(
            "clout: note: {texts} texts, under {SELF_TRAIN_MIN_TEXTS}: the embedding model's \
             zero-shot labels as they are, without self-training"
        );
        return;
    }
    eprintln!(
        "clout: zero-shot by the embedding model: micro-F1 {:.3}; refined by self-training (a \
         student on its labels, {SELF_TRAIN_FOLDS} folds, no true label used): {:.3}",
        teacher.micro_f1, refined.micro_f1
    );
}

fn write_student(args: &EvalArgs, teacher: &Report, student: &Report) -> Result<()> {
    let mut out = Output::create(args.out.as_deref())?;
    if args.json {
        let both = serde_json::json!({ "teacher": teacher, "student": student });
        serde_json::to_writer(&mut out, &both)?;
        writeln!(out)?;
    } else {
        writeln!(out, "# teacher: semantic zero-shot")?;
        write_report(&mut out, teacher)?;
        let k = args.student.unwrap_or_default();
        writeln!(out, "# student: trained on the teacher's labels, {k} folds")?;
        write_report(&mut out, student)?;
    }
    out.finish()
}

/// Warns about labels of the input the model does not know, and labels of the model the input
/// lacks.
fn warn_mismatch(model: &TopicModel, set: &LabelledSet) {
    let (unknown, unused) = label_mismatch(model, set);
    if !unknown.is_empty() {
        eprintln!(
            "clout: warning: labels the model does not know (never predicted: each scores 0): {}",
            unknown.join(", ")
        );
    }
    if !unused.is_empty() {
        eprintln!(
            "clout: warning: model labels absent from the input (their predictions are not \
             counted): {}",
            unused.join(", ")
        );
    }
}

fn write_report(out: &mut impl Write, r: &Report) -> Result<()> {
    writeln!(out, "texts\t{}", r.texts)?;
    writeln!(out, "accuracy\t{:.4}", r.accuracy)?;
    writeln!(out, "micro_f1\t{:.4}", r.micro_f1)?;
    writeln!(out, "macro_f1\t{:.4}", r.macro_f1)?;
    writeln!(
        out,
        "labels_per_text\t{:.2} predicted, {:.2} true",
        r.predicted_labels_per_text, r.true_labels_per_text
    )?;
    writeln!(out, "label\tsupport\tprecision\trecall\tf1")?;
    for l in &r.labels {
        writeln!(
            out,
            "{}\t{}\t{:.4}\t{:.4}\t{:.4}",
            l.label, l.support, l.precision, l.recall, l.f1
        )?;
    }
    Ok(())
}
