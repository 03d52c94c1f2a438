//! `clout report`: a ranked influencer report for one topic of a stored run, as one
//! self-contained HTML page, Markdown, CSV or JSON, on standard output or to a file written
//! atomically.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::run::StoreArg;
use super::Output;
use crate as clout;
use clout::report::{self, Format};
use clout::store::Store;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Topic slug or display name, case-insensitive (`gardening`, `Gardening`).
    #[arg(long)]
    pub topic: String,
    /// html (one self-contained page with SVG charts), md, csv, json or parquet (with --out).
    #[arg(long, default_value = "html")]
    pub format: Format,
    #[command(flatten)]
    pub store: StoreArg,
    /// Entries in the report (the topic's best accounts).
    #[arg(short = 'n', long = "top", default_value_t = 20, value_name = "N")]
    pub n: usize,
    /// The run: Unix seconds or ISO 8601 [default: the latest run].
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// Runs `clout report`.
pub fn run(args: ReportArgs) -> Result<()> {
    anyhow::ensure!(args.n >= 1, "-n must be at least 1");
    let as_of = super::run::stored_as_of(args.as_of.as_deref())?;
    anyhow::ensure!(
        args.format != Format::Parquet || args.out.is_some(),
        "--format parquet writes a file: give it with --out PATH"
    );
    let store = Store::open(&args.store.path())?;
    let data = report::from_store(&store, &args.topic, as_of, args.n)?;
    let bytes = report::render(&data, args.format);
    let mut out = Output::create(args.out.as_deref())?;
    out.write_all(&bytes).context("writing the report")?;
    out.finish()
}
