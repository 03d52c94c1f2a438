//! `clout analyze correlations`: Spearman rank correlations between in-degree, shares received,
//! mentions received, PageRank and the score — all accounts, top 10%, top 1% — after Cha et al.
//! (ICWSM 2010), printed as a table or JSON; `clout analyze predictive` is in `predictive`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};

use super::score::ScoreInput;
use super::{Output, Progress};
use crate::ingest::Kind;
use crate::score::correlations::{correlations, Correlation};
use crate::score::engagement::kind_index;

#[derive(Debug, Subcommand)]
pub enum AnalyzeCommand {
    /// Spearman correlations between influence measures (Cha et al. 2010).
    Correlations(CorrelationArgs),
    /// How well scores at a split instant predict the engagement received after it.
    Predictive(super::predictive::PredictiveArgs),
}

#[derive(Debug, Args)]
pub struct CorrelationArgs {
    #[command(flatten)]
    pub input: ScoreInput,
    /// One JSON object.
    #[arg(long)]
    pub json: bool,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

pub fn run(command: AnalyzeCommand, progress: Progress) -> Result<()> {
    let args = match command {
        AnalyzeCommand::Correlations(args) => args,
        AnalyzeCommand::Predictive(args) => return super::predictive::run(args, progress),
    };
    let run = args.input.run(progress)?;
    let s = &run.scores;
    let received = |k: Kind| -> Vec<f64> {
        let i = kind_index(k);
        s.engagement.received.iter().map(|r| r[i] as f64).collect()
    };
    let indegree: Vec<f64> = match &run.follows {
        Some(f) => f.followers.iter().map(|&x| x as f64).collect(),
        None => s.accounts.iter().map(|a| a.reach.engaged as f64).collect(),
    };
    let indegree_kind = if run.follows.is_some() {
        "followers"
    } else {
        "distinct accounts interacting"
    };
    let measures = [
        ("indegree", indegree),
        ("shares", received(Kind::Share)),
        ("mentions", received(Kind::Mention)),
        (
            "pagerank",
            s.accounts.iter().map(|a| a.impact_rank).collect(),
        ),
        ("score", s.values()),
    ];
    let rows = correlations(&measures);
    let mut out = Output::create(args.out.as_deref())?;
    if args.json {
        let v = serde_json::json!({
            "accounts": s.accounts.len(), "indegree": indegree_kind, "correlations": rows,
        });
        serde_json::to_writer(&mut out, &v)?;
        writeln!(out)?;
    } else {
        write_table(&mut out, &rows, s.accounts.len(), indegree_kind)?;
    }
    out.finish()
}

fn write_table(out: &mut Output, rows: &[Correlation], n: usize, indegree: &str) -> Result<()> {
    writeln!(
        out,
        "# Spearman rank correlation, {n} accounts; indegree = {indegree}"
    )?;
    writeln!(
        out,
        "# top x% = union of the top x% by each measure of the pair"
    )?;
    writeln!(
        out,
        "{:<22} {:>8} {:>8} {:>8}",
        "measures", "all", "top 10%", "top 1%"
    )?;
    for r in rows {
        writeln!(
            out,
            "{:<22} {:>8.3} {:>8.3} {:>8.3}",
            format!("{} – {}", r.a, r.b),
            r.all,
            r.top10,
            r.top1
        )?;
    }
    Ok(())
}
