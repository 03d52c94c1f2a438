//! `clout campaign`: an outreach list for one topic of a stored run (Klout's Perks): the
//! topic's leaderboard filtered by network, score range, reach and gaming flags, each target
//! with why it qualifies, as CSV, JSON or Markdown.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use super::run::StoreArg;
use super::Output;
use crate::report::campaign::{self, CampaignParams, Names};
use crate::store::Store;

/// How the list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CampaignFormat {
    Csv,
    Json,
    Md,
}

#[derive(Debug, Args)]
pub struct CampaignArgs {
    /// Topic slug or display name, case-insensitive.
    #[arg(long)]
    pub topic: String,
    /// Only accounts of this network (case-insensitive, or a Klout code: tw, ig, fb, li, yt, gp);
    /// a network the run does not have is an error listing its networks.
    #[arg(long)]
    pub network: Option<String>,
    /// Lowest 1–100 score.
    #[arg(long, value_name = "A")]
    pub min_score: Option<f64>,
    /// Highest 1–100 score (micro-influencers: e.g. --max-score 60).
    #[arg(long, value_name = "B")]
    pub max_score: Option<f64>,
    /// Fewest distinct engaged accounts (True Reach).
    #[arg(long, value_name = "R")]
    pub min_reach: Option<u32>,
    /// Leave out accounts with gaming flags (a coordinated audience, a suspect engager, a
    /// closed cluster).
    #[arg(long)]
    pub exclude_suspicious: bool,
    /// Targets listed.
    #[arg(short = 'n', long = "top", default_value_t = campaign::DEFAULT_LIMIT, value_name = "N")]
    pub n: usize,
    #[arg(long, value_enum, default_value = "md")]
    pub format: CampaignFormat,
    #[command(flatten)]
    pub store: StoreArg,
    /// The run: Unix seconds or ISO 8601 [default: the latest run].
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// Runs `clout campaign`.
pub fn run(args: CampaignArgs) -> Result<()> {
    let as_of = super::run::stored_as_of(args.as_of.as_deref())?;
    let filters = CampaignParams {
        network: args.network.clone(),
        min_score: args.min_score,
        max_score: args.max_score,
        min_reach: args.min_reach,
        exclude_suspicious: args.exclude_suspicious,
        limit: args.n,
    }
    .check(&Names::CLI)?;
    if filters.empty_range() {
        anyhow::bail!(
            "--min-score {} is above --max-score {}: no score is in that range",
            filters.min_score,
            filters.max_score
        );
    }
    let store = Store::open(&args.store.path())?;
    let c = campaign::from_store(&store, &args.topic, as_of, &filters)?;
    let bytes = match args.format {
        CampaignFormat::Csv => campaign::to_csv(&c)?,
        CampaignFormat::Json => {
            let mut v = serde_json::to_vec(&c)?;
            v.push(b'\n');
            v
        }
        CampaignFormat::Md => campaign::to_md(&c).into_bytes(),
    };
    let mut out = Output::create(args.out.as_deref())?;
    out.write_all(&bytes).context("writing the campaign")?;
    out.finish()
}
