//! `clout topics experts`: per-account topic expertise from posts and the engagement they
//! earned, as a ranked list for one topic or every account's topics. Also the topic-model flags
//! and the post classifier shared with `clout top`. The measure lives in `crate::topics`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::topics::{ClassifierArgs, SemanticFlags};
use super::Output;
use crate as clout;
use clout::ingest::{read_interactions, read_posts, Interactions, Node, Posts};
use clout::score::window::{self, Window};
use clout::topics::expertise::post_inputs::PostInputs;
use clout::topics::{
    Expertise, ExpertiseParams, Ontology, PostTopicEngine, TopicExpertise, TopicIdx,
};

/// Which topic model classifies the posts, and how many topics a post keeps.
#[derive(Debug, Args, Clone)]
pub struct TopicModelArgs {
    #[command(flatten)]
    pub classifier: ClassifierArgs,
    #[command(flatten)]
    pub semantic: SemanticFlags,
    /// Topics kept per post.
    #[arg(long, default_value_t = 3)]
    pub topics_per_post: usize,
}

impl TopicModelArgs {
    /// Loads the topic engine: the given model, else semantic zero-shot over the ontology
    /// (built-in by default) when the embedding model is installed, else keyword zero-shot.
    pub fn load(&self, progress: super::Progress) -> Result<PostTopicEngine> {
        anyhow::ensure!(
            self.topics_per_post >= 1,
            "--topics-per-post must be at least 1"
        );
        Ok(PostTopicEngine {
            engine: self.classifier.engine(&self.semantic, progress)?,
            top: self.topics_per_post,
        })
    }
}

/// Says how topics were found, unless keyword matching or a given model found them.
pub fn say_labelling(labelling: &clout::topics::Labelling) {
    if !matches!(labelling, clout::topics::Labelling::Words) {
        eprintln!("clout: {labelling}");
    }
}

/// The window flags shared by the topic commands.
#[derive(Debug, Args, Clone)]
pub struct WindowArgs {
    /// End of the window: Unix seconds or ISO 8601 [default: the latest interaction].
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// Window length: 90d, 12h, 2w, 30m, 45s or all (topic evidence accrues over time: all by
    /// default).
    #[arg(long, default_value = "all")]
    pub window: String,
}

impl WindowArgs {
    /// The window over `inter`.
    pub fn window(&self, inter: &Interactions) -> Result<Window> {
        let as_of = match &self.as_of {
            Some(s) => clout::ingest::time::parse_time(s).with_context(|| {
                format!("--as-of `{s}` is not Unix seconds or an ISO 8601 date")
            })?,
            None => window::latest_time(&inter.records).context("no interactions")?,
        };
        Ok(Window {
            as_of,
            length: window::parse_length(&self.window)?,
        })
    }
}

#[derive(Debug, Args)]
pub struct ExpertsArgs {
    /// Posts: JSON lines `{"id","author","time","text"}`.
    #[arg(long, value_name = "FILE")]
    pub posts: PathBuf,
    /// Interactions `actor target kind time post_id [network]` (or any format `score` reads);
    /// a post's engagement is its distinct reactors.
    #[arg(long, value_name = "FILE")]
    pub interactions: PathBuf,
    #[command(flatten)]
    pub model: TopicModelArgs,
    #[command(flatten)]
    pub window: WindowArgs,
    /// Rank the accounts on this topic (slug or name, case-insensitive) instead of listing
    /// every account's topics.
    #[arg(long)]
    pub topic: Option<String>,
    /// Keep the K best accounts [default: 20 for text, all for JSON].
    #[arg(long, value_name = "K")]
    pub top: Option<usize>,
    /// Distinct engaged posts on a topic needed to be an expert.
    #[arg(long, default_value_t = 2)]
    pub min_posts: u32,
    /// JSON lines: with --topic `{"account","topic","score","engagement","posts","share",
    /// "evidence"}`, else `{"account","topics":[…]}` per account.
    #[arg(long)]
    pub json: bool,
    /// Skip malformed records instead of failing.
    #[arg(long)]
    pub lenient: bool,
    /// Write here (atomically) instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Reads interactions and posts, reporting skipped records.
pub fn read_inputs(
    interactions: &std::path::Path,
    posts: &std::path::Path,
    lenient: bool,
) -> Result<(Interactions, Posts)> {
    let inter = read_interactions(interactions, lenient)?;
    if inter.skips.total() > 0 {
        eprintln!("clout: {}: {}", interactions.display(), inter.skips);
    }
    let p = read_posts(posts, lenient)?;
    if p.skips.total() > 0 {
        eprintln!("clout: {}: {}", posts.display(), p.skips);
    }
    Ok((inter, p))
}

pub fn run(args: ExpertsArgs, progress: super::Progress) -> Result<()> {
    let model = args.model.load(progress)?;
    let topic = args
        .topic
        .as_deref()
        .map(|t| model.ontology().find(t))
        .transpose()?;
    let (inter, posts) = read_inputs(&args.interactions, &args.posts, args.lenient)?;
    let w = args.window.window(&inter)?;
    let params = ExpertiseParams {
        min_posts: args.min_posts,
        ..Default::default()
    }
    .check()?;
    let inputs = PostInputs::gather(
        &inter,
        &posts,
        None,
        |r| w.contains(r.time),
        |p| w.contains(p.time),
        &model,
    )?;
    say_labelling(&inputs.labelling);
    let expertise = Expertise::compute(
        model.ontology(),
        inter.accounts.len(),
        &inputs.evidence(),
        &params,
    );
    let top = args.top.or((!args.json).then_some(20));
    let mut out = Output::create(args.out.as_deref())?;
    let ctx = Render {
        inter: &inter,
        posts: &posts,
        ontology: model.ontology(),
    };
    match topic {
        Some(t) => ctx.one_topic(&mut out, &expertise, t, top, args.json)?,
        None => ctx.every_account(&mut out, &expertise, top, args.json)?,
    }
    out.finish()
}

/// What rendering needs to name accounts, posts and topics.
struct Render<'a> {
    inter: &'a Interactions,
    posts: &'a Posts,
    ontology: &'a Ontology,
}

/// One topic of one account in JSON.
#[derive(serde::Serialize)]
struct EntryOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<String>,
    topic: &'a str,
    score: f64,
    engagement: f64,
    posts: u32,
    share: f64,
    evidence: Vec<&'a str>,
}

impl Render<'_> {
    fn entry(&self, account: Option<Node>, e: &TopicExpertise) -> EntryOut<'_> {
        EntryOut {
            account: account.map(|a| self.inter.accounts.name(a).to_string()),
            topic: &self.ontology.topic(e.topic).slug,
            score: e.score,
            engagement: e.engagement,
            posts: e.posts,
            share: e.share,
            evidence: e
                .evidence()
                .map(|p| self.posts.posts[p as usize].id.as_str())
                .collect(),
        }
    }

    fn one_topic(
        &self,
        out: &mut Output,
        expertise: &Expertise,
        topic: TopicIdx,
        top: Option<usize>,
        json: bool,
    ) -> Result<()> {
        let mut experts = expertise.experts(topic);
        let ids = &self.inter.accounts;
        experts.sort_by(|a, b| {
            b.1.score
                .total_cmp(&a.1.score)
                .then(ids.cmp_names(a.0, b.0))
        });
        experts.truncate(top.unwrap_or(usize::MAX));
        for (rank, (a, e)) in experts.into_iter().enumerate() {
            let row = self.entry(Some(a), e);
            if json {
                serde_json::to_writer(&mut *out, &row)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{}\t{}\t{:.3}\t{} posts\tevidence: {}",
                    rank + 1,
                    row.account.as_deref().unwrap_or(""),
                    row.score,
                    row.posts,
                    row.evidence.join(",")
                )?;
            }
        }
        Ok(())
    }

    fn every_account(
        &self,
        out: &mut Output,
        expertise: &Expertise,
        top: Option<usize>,
        json: bool,
    ) -> Result<()> {
        let best = |a: Node| expertise.of(a).iter().map(|e| e.score).fold(0.0, f64::max);
        let mut accounts: Vec<(Node, f64)> = (0..expertise.accounts() as Node)
            .filter(|&a| !expertise.of(a).is_empty())
            .map(|a| (a, best(a)))
            .collect();
        let ids = &self.inter.accounts;
        accounts.sort_by(|a, b| b.1.total_cmp(&a.1).then(ids.cmp_names(a.0, b.0)));
        accounts.truncate(top.unwrap_or(usize::MAX));
        for (a, _) in accounts {
            let mut entries: Vec<&TopicExpertise> = expertise.of(a).iter().collect();
            entries.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.topic.cmp(&y.topic)));
            let name = ids.name(a).to_string();
            if json {
                let topics: Vec<EntryOut> = entries.iter().map(|e| self.entry(None, e)).collect();
                serde_json::to_writer(
                    &mut *out,
                    &serde_json::json!({"account": name, "topics": topics}),
                )?;
                writeln!(out)?;
            } else {
                let list: Vec<String> = entries
                    .iter()
                    .map(|e| format!("{}:{:.3}", self.ontology.topic(e.topic).slug, e.score))
                    .collect();
                writeln!(out, "{name}\t{}", list.join(" "))?;
            }
        }
        Ok(())
    }
}
