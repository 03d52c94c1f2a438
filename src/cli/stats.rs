//! `clout graph stats`: structure statistics of a graph file, as text or JSON.

use std::io::Write;

use anyhow::Result;
use clap::Args;

use super::{GraphInput, Output, Progress};
use crate::metrics::stats::{graph_stats, DegreeSummary};

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub input: GraphInput,
    /// Read the third column as edge weight.
    #[arg(long)]
    pub weighted: bool,
    /// One JSON object.
    #[arg(long)]
    pub json: bool,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<std::path::PathBuf>,
}

pub fn run(args: StatsArgs, progress: Progress) -> Result<()> {
    let loaded = args.input.load(args.weighted, progress)?;
    let s = graph_stats(&loaded.graph);
    if s.looks_undirected {
        eprintln!(
            "clout: warning: {} looks undirected (reciprocity {}, {}); read it with --undirected if it is",
            args.input.file.display(),
            s.reciprocity,
            if s.reciprocity > 0.0 {
                "every edge stored both ways"
            } else {
                "every edge stored once, all in one id order"
            }
        );
    }
    let mut out = Output::create(args.out.as_deref())?;
    if args.json {
        let mut v = serde_json::to_value(&s)?;
        v["build"] = serde_json::to_value(loaded.report)?;
        serde_json::to_writer(&mut out, &v)?;
        writeln!(out)?;
    } else {
        writeln!(out, "file                 {}", args.input.file.display())?;
        writeln!(out, "nodes                {}", s.nodes)?;
        writeln!(
            out,
            "edges                {}{}{}",
            s.edges,
            if s.undirected { " undirected" } else { "" },
            if s.weighted { " (weighted)" } else { "" }
        )?;
        writeln!(
            out,
            "records              {} ({} self-loops dropped, {} duplicates merged)",
            loaded.report.records,
            loaded.report.self_loops_dropped,
            loaded.report.duplicates_merged
        )?;
        if s.undirected {
            writeln!(out, "isolated nodes       {}", s.dangling)?;
            writeln!(out, "self-loops kept      {}", s.self_loops)?;
            degree_line(&mut out, "degree", &s.out_degree)?;
        } else {
            writeln!(out, "dangling nodes       {}", s.dangling)?;
            writeln!(out, "self-loops kept      {}", s.self_loops)?;
            writeln!(out, "reciprocity          {:.6}", s.reciprocity)?;
            degree_line(&mut out, "out-degree", &s.out_degree)?;
            degree_line(&mut out, "in-degree", &s.in_degree)?;
        }
        writeln!(
            out,
            "weak components      {} (largest {} nodes)",
            s.weak_components, s.largest_weak_component
        )?;
    }
    out.finish()
}

fn degree_line(out: &mut Output, name: &str, d: &DegreeSummary) -> Result<()> {
    writeln!(
        out,
        "{name:<20} min {} median {} mean {:.3} p90 {} p99 {} max {} (zero: {})",
        d.min, d.median, d.mean, d.p90, d.p99, d.max, d.zeros
    )?;
    Ok(())
}
