//! `clout generate`: synthetic inputs (the Graph500 Kronecker graph, a synthetic social network).

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use clap::Subcommand;

use super::{Output, Progress};
use crate::generate::social::{write_dataset_as, DatasetFormat};
use crate::generate::{Kronecker, KroneckerParams, SocialParams};

#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Graph500 R-MAT graph (a=0.57, b=0.19, c=0.19, ids permuted), directed, `src dst` lines.
    Kronecker {
        /// 2^SCALE vertices.
        #[arg(long)]
        scale: u32,
        /// Edges per vertex.
        #[arg(long, default_value_t = 16)]
        edge_factor: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (written atomically); standard output if absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// A synthetic social network with a planted truth (the demo dataset directory:
    /// follows.txt, interactions.txt, posts.jsonl, identities.txt, truth.json, README.md).
    Social(SocialArgs),
}

/// `clout generate social` (defaults and ranges: `clout::generate::SocialParams`).
#[derive(Debug, clap::Args)]
pub struct SocialArgs {
    /// Accounts on all networks, bots included (200..=50,000,000).
    #[arg(long, default_value_t = 3000)]
    accounts: u32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Mean posts per account.
    #[arg(long, default_value_t = 2.0)]
    posts_per_account: f64,
    /// Mean interactions per account (approximate).
    #[arg(long, default_value_t = 6.0)]
    interactions_per_account: f64,
    /// Mean follows per account.
    #[arg(long, default_value_t = 8.0)]
    follows_per_account: f64,
    /// Days of activity, ending 2026-01-01T00:00:00Z.
    #[arg(long, default_value_t = 120)]
    days: u32,
    /// Output directory (created atomically; must not exist or be empty unless --force).
    #[arg(long)]
    out: PathBuf,
    /// Replace a non-empty output directory.
    #[arg(long)]
    force: bool,
    /// The shape of the files: clout's own, or a platform's: one Bluesky Jetstream file
    /// (`jetstream.jsonl`; handles `tw-name.bsky.social` for id `tw:name`), Pushshift Reddit
    /// dumps (`RS_demo.jsonl`, `RC_demo.jsonl`; user `tw-name`), Mastodon statuses
    /// (`statuses.jsonl` and `following.jsonl`; acct `tw_name`) or X API v2 pages
    /// (`tweets.jsonl`; user `tw_name`).
    #[arg(long, value_enum, default_value = "clout")]
    format: SocialFormat,
    /// Print a `clout-timings {…}` JSON line (seconds per stage) on standard error.
    #[arg(long)]
    timings: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum SocialFormat {
    Clout,
    Bluesky,
    Reddit,
    Mastodon,
    #[value(name = "twitter", alias = "x")]
    X,
}

fn social(args: SocialArgs, progress: Progress, quiet: bool) -> Result<()> {
    let spec = SocialParams {
        accounts: args.accounts,
        seed: args.seed,
        posts_per_account: args.posts_per_account,
        interactions_per_account: args.interactions_per_account,
        follows_per_account: args.follows_per_account,
        days: args.days,
    }
    .check()?;
    let bar = progress.spinner("generating");
    let mut marks: Vec<(String, Instant)> = Vec::new();
    let format = match args.format {
        SocialFormat::Clout => DatasetFormat::Clout,
        SocialFormat::Bluesky => DatasetFormat::Bluesky,
        SocialFormat::Reddit => DatasetFormat::Reddit,
        SocialFormat::Mastodon => DatasetFormat::Mastodon,
        SocialFormat::X => DatasetFormat::X,
    };
    let summary = write_dataset_as(&spec, &args.out, args.force, format, &mut |stage| {
        bar.set_message(stage.to_string());
        marks.push((stage.to_string(), Instant::now()));
    })?;
    bar.finish_and_clear();
    if args.timings {
        let end = Instant::now();
        let mut t = serde_json::Map::new();
        for (i, (stage, at)) in marks.iter().enumerate() {
            let next = marks.get(i + 1).map_or(end, |m| m.1);
            t.insert(stage.clone(), (next - *at).as_secs_f64().into());
        }
        let total = marks.first().map_or(0.0, |m| (end - m.1).as_secs_f64());
        t.insert("total".into(), total.into());
        eprintln!("clout-timings {}", serde_json::Value::Object(t));
    }
    if quiet {
        return Ok(());
    }
    eprintln!(
        "wrote {}: {} accounts ({} people), {} follows, {} posts, {} interactions; {} topics with >= 20 planted experts",
        args.out.display(),
        summary.accounts,
        summary.people,
        summary.follows,
        summary.posts,
        summary.interactions,
        summary.topics_with_20_experts
    );
    Ok(())
}

/// Writes every edge of `k` as text: each batch is formatted on the worker threads while the
/// batch before it is written, so the disk and the cores work at once. `done` is told how
/// many edges are written.
fn write_kronecker(k: &Kronecker, sink: &mut impl Write, done: impl Fn(u64)) -> Result<()> {
    const BATCH: u64 = 1 << 22;
    let m = k.num_edges();
    let (tx, rx) = std::sync::mpsc::sync_channel::<(u64, Vec<Vec<u8>>)>(1);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut start = 0;
            while start < m {
                let end = (start + BATCH).min(m);
                if tx.send((end, k.text_pieces(start..end))).is_err() {
                    return; // the writer stopped on an error
                }
                start = end;
            }
        });
        for (end, pieces) in rx {
            for piece in &pieces {
                sink.write_all(piece)?;
            }
            done(end);
        }
        Ok(())
    })
}

pub fn run(cmd: GenerateCommand, progress: Progress, quiet: bool) -> Result<()> {
    match cmd {
        GenerateCommand::Kronecker {
            scale,
            edge_factor,
            seed,
            out,
        } => {
            let k = KroneckerParams {
                scale,
                edge_factor,
                seed,
            }
            .check()?;
            let mut sink = Output::create(out.as_deref())?;
            let bar = progress.steps("generating edges", k.num_edges());
            write_kronecker(&k, &mut sink, |done| bar.set_position(done))?;
            bar.finish_and_clear();
            sink.finish()
        }
        GenerateCommand::Social(args) => social(args, progress, quiet),
    }
}
