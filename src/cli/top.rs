//! `clout top --topic TOPIC`: the topic's leaderboard — read from the run store (instant; the
//! default), or computed from the inputs (a demo-layout directory, or the files one by one).
//! The ranking lives in `crate::leaderboard`; this module reads, wires and renders (JSON in the
//! store's `Leaderboard` record shape).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::experts::{read_inputs, TopicModelArgs, WindowArgs};
use super::{Output, Progress};
use crate as clout;
use crate::report::safe::terminal;
use clout::leaderboard::{leaderboards, BoardInputs, LeaderboardParams};
use clout::score::{score, AuthoredPosts, Inputs, ScoreParams};
use clout::store::model::Leaderboard;
use clout::store::Store;
use clout::topics::ExpertiseParams;

#[derive(Debug, Args)]
pub struct TopArgs {
    /// The topic: a slug or display name, case-insensitive (`gardening`, `Stock Market`).
    #[arg(long)]
    pub topic: String,
    /// Rows to show.
    #[arg(short = 'n', long = "limit", default_value_t = 20)]
    pub n: usize,
    /// Compute from a directory in the demo layout: interactions.txt, posts.jsonl, follows.txt
    /// (optional). Without --dir or --interactions, the board is read from the store.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["interactions", "posts", "follows", "store"])]
    pub dir: Option<PathBuf>,
    /// Read the board from this run store (the run at --as-of, else the latest) [default:
    /// $CLOUT_STORE, else clout.store].
    #[arg(long, value_name = "FILE", conflicts_with_all = ["interactions", "posts", "follows"])]
    pub store: Option<PathBuf>,
    /// Interactions `actor target kind time post_id [network]`.
    #[arg(long, value_name = "FILE", requires = "posts")]
    pub interactions: Option<PathBuf>,
    /// Posts: JSON lines `{"id","author","time","text"}`.
    #[arg(long, value_name = "FILE", requires = "interactions")]
    pub posts: Option<PathBuf>,
    /// Follow graph (`follower followee`): topical impact runs on it.
    #[arg(long, value_name = "FILE")]
    pub follows: Option<PathBuf>,
    /// The follow graph goes through the binary graph cache.
    #[command(flatten)]
    pub cache: super::CacheArgs,
    #[command(flatten)]
    pub window: WindowArgs,
    /// Only accounts on this network.
    #[arg(long)]
    pub network: Option<String>,
    /// Only accounts with at least this True Reach (distinct engaged accounts in the window).
    #[arg(long, default_value_t = 0)]
    pub min_reach: u32,
    /// Distinct engaged posts on the topic needed to be ranked.
    #[arg(long, default_value_t = 2)]
    pub min_posts: u32,
    #[command(flatten)]
    pub model: TopicModelArgs,
    /// One JSON object: `{"topic","name","path","entries":[{"rank","account","value",
    /// "expertise","topical_impact","score"}]}`.
    #[arg(long)]
    pub json: bool,
    /// Skip malformed records instead of failing.
    #[arg(long)]
    pub lenient: bool,
    /// Write here (atomically) instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// The input files of a run.
struct Files {
    interactions: PathBuf,
    posts: PathBuf,
    follows: Option<PathBuf>,
    /// +K endorsements (`--dir` only: `endorsements.txt` or `.jsonl`).
    endorsements: Option<PathBuf>,
}

impl TopArgs {
    fn files(&self) -> Result<Files> {
        if let Some(dir) = &self.dir {
            let follows = dir.join("follows.txt");
            let endorsements = clout::ingest::dataset::endorsements_in(dir);
            return Ok(Files {
                interactions: dir.join("interactions.txt"),
                posts: dir.join("posts.jsonl"),
                follows: follows.exists().then_some(follows),
                endorsements,
            });
        }
        match (&self.interactions, &self.posts) {
            (Some(i), Some(p)) => Ok(Files {
                interactions: i.clone(),
                posts: p.clone(),
                follows: self.follows.clone(),
                endorsements: None,
            }),
            _ => anyhow::bail!("give --dir DIR, or --interactions FILE and --posts FILE"),
        }
    }
}

pub fn run(args: TopArgs, progress: Progress) -> Result<()> {
    anyhow::ensure!(args.n >= 1, "-n must be at least 1");
    if args.dir.is_none() && args.interactions.is_none() {
        return from_store(&args);
    }
    let model = args.model.load(progress)?;
    let topic = model.ontology().find(&args.topic)?;
    let files = args.files()?;
    let spinner = progress.spinner("reading the inputs");
    let read = read_inputs(&files.interactions, &files.posts, args.lenient);
    spinner.finish_and_clear();
    let (inter, posts) = read?;
    let follows = files
        .follows
        .as_deref()
        .map(|f| super::score::read_follows(f, &inter, args.lenient, &args.cache, progress))
        .transpose()?;
    let w = args.window.window(&inter)?;
    let spinner = progress.spinner("scoring");
    let authored = AuthoredPosts::new(&posts, &inter.accounts, &inter.posts);
    let params = ScoreParams {
        as_of: Some(w.as_of),
        window: w.length,
        ..Default::default()
    }
    .check(&inter)?;
    let input = Inputs {
        interactions: &inter,
        follows: follows.as_ref(),
        posts: Some(&authored),
    };
    let scores = score(&input, &params)?;
    spinner.set_message("leaderboard");
    let params = LeaderboardParams {
        top: Some(args.n),
        network: args.network.clone(),
        min_reach: args.min_reach,
        expertise: ExpertiseParams {
            min_posts: args.min_posts,
            ..Default::default()
        },
        ..Default::default()
    }
    .check(&inter)?;
    let mut notes = Vec::new();
    let plus = match &files.endorsements {
        Some(p) => {
            let read =
                clout::ingest::endorsements::parse(&clout::ingest::Source::open(p)?, args.lenient)?;
            clout::pipeline::topics::resolve(
                p,
                &read,
                &inter.accounts,
                model.ontology(),
                args.lenient,
                &mut notes,
            )?
        }
        None => Vec::new(),
    };
    for n in &notes {
        eprintln!("clout: {n}");
    }
    let board_input = BoardInputs {
        interactions: &inter,
        follows: follows.as_ref(),
        posts: &posts,
        scores: &scores,
        endorsements: clout::leaderboard::Endorsers {
            records: &plus,
            person_of: &[],
        },
    };
    let boards = leaderboards(
        &board_input,
        model.ontology(),
        &model,
        Some(&[topic]),
        &params,
    )
    .context("computing the leaderboard")?;
    spinner.finish_and_clear();
    super::experts::say_labelling(&boards.posts.labelling);
    let rows = &boards.boards[0].1;
    let board =
        clout::store::build::leaderboard_record(model.ontology(), topic, rows, &inter.accounts);
    write_board(&args, &board, None)
}

/// `clout top` over a stored run: its leaderboard as `clout run` stored it (the run's window).
fn from_store(args: &TopArgs) -> Result<()> {
    let path = args
        .store
        .clone()
        .unwrap_or_else(clout::store::default_path);
    let as_of = super::run::stored_as_of(args.window.as_of.as_deref())?;
    // The hint is for a missing store only: a damaged one says what is wrong with it.
    if !path.exists() {
        anyhow::bail!(
            "no leaderboard to show: {} does not exist; give --dir DIR (or --interactions and \
             --posts), or run `clout run DIR --store {}` first",
            path.display(),
            path.display()
        );
    }
    let store = Store::open(&path)?;
    let mut found =
        store.read_consistent(|s| clout::report::stored_board(s, &args.topic, as_of))?;
    found.board.entries.truncate(args.n);
    let note = format!(
        "stored run as of {}, window {}",
        clout::ingest::time::format_time(found.run.as_of),
        found
            .run
            .window
            .map_or("all".to_string(), |w| if w % 86_400 == 0 {
                format!("{}d", w / 86_400)
            } else {
                format!("{w}s")
            })
    );
    write_board(args, &found.board, Some(&note))
}

fn write_board(args: &TopArgs, board: &Leaderboard, note: Option<&str>) -> Result<()> {
    let mut out = Output::create(args.out.as_deref())?;
    if args.json {
        serde_json::to_writer(&mut out, board)?;
        writeln!(out)?;
    } else {
        render_text(&mut out, board, note)?;
    }
    out.finish()
}

fn render_text(out: &mut Output, b: &Leaderboard, note: Option<&str>) -> Result<()> {
    write!(
        out,
        "Top influencers for {} ({})",
        b.name,
        b.path.join(" > ")
    )?;
    match note {
        Some(n) => writeln!(out, " [{n}]")?,
        None => writeln!(out)?,
    }
    if b.entries.is_empty() {
        writeln!(out, "(no account has enough engaged posts on this topic)")?;
    }
    writeln!(
        out,
        "rank\taccount\tinfluence\texpertise\ttopical_impact\tscore"
    )?;
    for e in &b.entries {
        writeln!(
            out,
            "{}\t{}\t{:.1}\t{:.3}\t{:.3e}\t{:.0}",
            e.rank,
            terminal(&e.account),
            e.value,
            e.expertise,
            e.topical_impact,
            e.score
        )?;
    }
    Ok(())
}
