//! `clout topics classify`: zero-shot topics of each post from an ontology, with roll-up paths.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use rayon::prelude::*;

use super::Output;
use crate as clout;
use clout::topics::{input::read_texts, ClassifierScratch, ClassifierSource, OntologySource};

#[derive(Debug, Subcommand)]
pub enum TopicsCommand {
    /// Topics of each post by phrase matching over an ontology (zero-shot), best first.
    Classify(ClassifyArgs),
    /// Per-account topic expertise from the engagement posts earned on each topic.
    Experts(super::experts::ExpertsArgs),
}

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// `builtin`, `klout`, `iab`, or a taxonomy TSV file (`id, parents, name, keywords`).
    #[arg(long, default_value = "builtin")]
    pub ontology: String,
    /// JSON lines `{"id","text","lang"?}` (the posts format; TweetTopicXL works as is).
    #[arg(long)]
    pub input: PathBuf,
    /// Topics per post.
    #[arg(long, default_value_t = 3)]
    pub top: usize,
    /// One JSON object per post: `{"id","topics":[{"topic","score","path"}]}`.
    #[arg(long)]
    pub json: bool,
    /// Analyzer name (see `clout::text::AnalyzerRegistry`).
    #[arg(long, default_value = "social")]
    pub analyzer: String,
    /// Data directory for `klout` and `iab` [default: $CLOUT_DATA_DIR or ../shared/data].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
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

pub fn run(command: TopicsCommand) -> Result<()> {
    match command {
        TopicsCommand::Classify(args) => classify(args),
        TopicsCommand::Experts(args) => super::experts::run(args),
    }
}

fn classify(args: ClassifyArgs) -> Result<()> {
    anyhow::ensure!(args.top >= 1, "--top must be at least 1");
    let data_dir = args
        .data_dir
        .clone()
        .unwrap_or_else(clout::topics::default_data_dir);
    let classifier = ClassifierSource::Ontology(OntologySource::parse(&args.ontology))
        .load(&data_dir, &args.analyzer)
        .with_context(|| format!("loading ontology {}", args.ontology))?;
    let texts = read_texts(&args.input)?;
    let results: Vec<_> = texts
        .par_iter()
        .map_init(ClassifierScratch::default, |s, t| {
            classifier.classify(&t.text, t.lang, args.top, s)
        })
        .collect();
    let ontology = classifier.ontology();
    let mut out = Output::create(args.out.as_deref())?;
    for (t, topics) in texts.iter().zip(&results) {
        if args.json {
            let topics = topics
                .iter()
                .map(|&(i, score)| TopicOut {
                    topic: &ontology.topic(i).slug,
                    score,
                    path: classifier.path_slugs(i),
                })
                .collect();
            serde_json::to_writer(&mut out, &PostOut { id: &t.id, topics })?;
            writeln!(out)?;
        } else {
            let list: Vec<String> = topics
                .iter()
                .map(|&(i, score)| format!("{}:{score}", ontology.topic(i).slug))
                .collect();
            writeln!(out, "{}\t{}", t.id, list.join(" "))?;
        }
    }
    out.finish()
}
