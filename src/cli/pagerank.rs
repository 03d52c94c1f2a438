//! `clout pagerank`: Network Impact of every node, ranked, as text, CSV or JSON.

use std::io::Write;
use std::time::Instant;

use anyhow::Result;
use clap::Args;

use super::output::{id_column, Format, ListingArgs};
use super::{GraphInput, Output, Progress};
use crate::export::{Table, Values};
use crate::graph::PullGraph as Graph;
use crate::metrics::{
    pagerank::pagerank_with_progress, ranked, BlockedPropagator, CsrPropagator, PageRank,
    PageRankParams, Propagate,
};
use crate::report::safe::{csv_cell, terminal};

#[derive(Debug, Args)]
pub struct PageRankArgs {
    #[command(flatten)]
    pub input: GraphInput,
    /// Use the third column as edge weight.
    #[arg(long)]
    pub weighted: bool,
    /// Damping factor, in [0, 1).
    #[arg(long, default_value_t = 0.85)]
    pub damping: f64,
    /// Stop when the L1 change between iterations is below N·TOL (networkx's rule).
    #[arg(long, default_value_t = 1e-6)]
    pub tol: f64,
    /// Give up after this many iterations (reported as not converged).
    #[arg(long, default_value_t = 100)]
    pub max_iter: usize,
    /// Run exactly N iterations.
    #[arg(long, value_name = "N", conflicts_with = "max_iter")]
    pub iterations: Option<usize>,
    /// Teleport (personalization) vector: `id value` lines; unlisted nodes get 0. Dangling
    /// nodes' mass follows it too (networkx's rule).
    #[arg(long, value_name = "FILE")]
    pub personalization: Option<std::path::PathBuf>,
    /// `--json`: one object `{"nodes","edges","iterations","converged","ranks":[{"id","rank"}…]}`;
    /// `--csv`: `id,rank`.
    #[command(flatten)]
    pub listing: ListingArgs,
    /// Print a `clout-timings {…}` JSON line on standard error.
    #[arg(long)]
    pub timings: bool,
    /// The propagation kernel; both give the same ranks bit for bit. `pull`: gather along the
    /// in-edges. `blocked`: propagation blocking (contributions binned by destination block,
    /// then added in cache): 4 more bytes per edge, and 8 per edge from outside the 2^18 nodes
    /// of highest out-degree (8 more per edge when weighted).
    #[arg(long, value_enum, default_value_t = Kernel::Pull)]
    pub kernel: Kernel,
    #[command(flatten)]
    pub cluster: super::pagerank_cluster::ClusterArgs,
}

/// How a PageRank step moves the contributions along the edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kernel {
    /// Gather every node's sum along its in-edges.
    Pull,
    /// Propagation blocking: bin by destination block, then add each bin in cache.
    Blocked,
}

impl PageRankArgs {
    /// The PageRank parameters the flags give, with `personalization`.
    pub(super) fn params(&self, personalization: Option<Vec<f64>>) -> PageRankParams {
        PageRankParams {
            damping: self.damping,
            tol: self.tol,
            max_iter: self.max_iter,
            iterations: self.iterations,
            weighted: self.weighted,
            personalization,
        }
    }
}

pub fn run(args: PageRankArgs, progress: Progress) -> Result<()> {
    if args.cluster.cluster.is_some() {
        return super::pagerank_cluster::run(&args);
    }
    let t0 = Instant::now();
    let loaded = args.input.load_pull(args.weighted, progress)?;
    let load_s = t0.elapsed().as_secs_f64();
    let graph = &loaded.graph;
    let params = args
        .params(match &args.personalization {
            Some(path) => {
                let (values, skips) = crate::ingest::weights::read_node_values(
                    path,
                    graph.ids(),
                    args.input.lenient,
                )?;
                if skips.total() > 0 {
                    eprintln!("clout: {}: {skips}", path.display());
                }
                Some(values)
            }
            None => None,
        })
        .check(graph.num_nodes())?;
    let t1 = Instant::now();
    let csr = CsrPropagator::pull_only(graph);
    let mut layout_s = None;
    let (pr, iteration_s) = match args.kernel {
        Kernel::Pull => iterate(&csr, &params, &args, progress),
        Kernel::Blocked => {
            let blocked = BlockedPropagator::new(csr);
            layout_s = Some(t1.elapsed().as_secs_f64());
            iterate(&blocked, &params, &args, progress)
        }
    };
    let pagerank_s = t1.elapsed().as_secs_f64();
    if !pr.converged {
        eprintln!(
            "clout: warning: PageRank did not converge in {} iterations (L1 change {:.3e}, needed < {:.3e})",
            pr.iterations,
            pr.last_change,
            graph.num_nodes() as f64 * args.tol
        );
    }
    let top = args.listing.top();
    let order = ranked(&pr.ranks, graph.ids(), top);
    let summary = Summary {
        nodes: graph.num_nodes() as u64,
        edges: graph.num_edges_as_read() as u64,
        iterations: pr.iterations,
        converged: pr.converged,
    };
    let rows = || {
        order
            .iter()
            .map(|&v| (graph.ids().name(v).to_string(), pr.ranks[v as usize]))
    };
    args.listing.emit(
        || ranks_table(graph, &pr, &order),
        |out, format| write_rows(out, format, &summary, rows()),
    )?;
    if args.timings {
        let t = serde_json::json!({
            "load_s": load_s, "read_s": loaded.read_seconds, "build_s": loaded.build_seconds,
            "from_cache": loaded.from_cache, "pagerank_s": pagerank_s, "iterations": pr.iterations,
            "kernel": format!("{:?}", args.kernel).to_lowercase(), "layout_s": layout_s,
            "iteration_s": iteration_s, "median_iteration_s": median(&iteration_s),
            "nodes": graph.num_nodes(), "edges": graph.num_edges_as_read(),
            "peak_rss_bytes": proc_status_bytes("VmHWM:"), "rss_bytes": proc_status_bytes("VmRSS:"),
        });
        eprintln!("clout-timings {t}");
    }
    Ok(())
}

/// PageRank on `prop` with a progress bar; also the seconds each iteration took.
fn iterate<P: Propagate>(
    prop: &P,
    params: &crate::metrics::ValidPageRankParams,
    args: &PageRankArgs,
    progress: Progress,
) -> (PageRank, Vec<f64>) {
    let bar = progress.steps("pagerank", args.iterations.unwrap_or(args.max_iter) as u64);
    let mut iteration_s = Vec::new();
    let mut last = Instant::now();
    let pr = pagerank_with_progress(prop, params, &mut |i| {
        iteration_s.push(last.elapsed().as_secs_f64());
        last = Instant::now();
        bar.set_position(i as u64)
    });
    bar.finish_and_clear();
    (pr, iteration_s)
}

/// What the first line (text) or the envelope (JSON) of a listing says.
pub(super) struct Summary {
    pub nodes: u64,
    pub edges: u64,
    pub iterations: usize,
    pub converged: bool,
}

/// Writes ranked `(id, rank)` rows in `format` (text, JSON or CSV).
pub(super) fn write_rows(
    out: &mut Output,
    format: Format,
    summary: &Summary,
    rows: impl ExactSizeIterator<Item = (String, f64)>,
) -> Result<()> {
    match format {
        Format::Json => write_json(out, summary, rows),
        Format::Csv => write_csv(out, rows),
        _ => write_text(out, summary, rows),
    }
}

fn write_json(
    out: &mut Output,
    s: &Summary,
    rows: impl Iterator<Item = (String, f64)>,
) -> Result<()> {
    write!(
        out,
        "{{\"nodes\":{},\"edges\":{},\"iterations\":{},\"converged\":{},\"ranks\":[",
        s.nodes, s.edges, s.iterations, s.converged
    )?;
    for (i, (id, rank)) in rows.enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"id\":")?;
        serde_json::to_writer(&mut *out, &id)?;
        write!(
            out,
            ",\"rank\":{}}}",
            serde_json::Number::from_f64(rank).map_or("null".into(), |n| n.to_string())
        )?;
    }
    out.write_all(b"]}\n")?;
    Ok(())
}

/// The rows of `--csv` as a table: `id`, `rank`.
fn ranks_table(g: &Graph, pr: &PageRank, order: &[u32]) -> Table {
    let mut t = Table::default();
    t.push("id", id_column(g.ids(), order)).push(
        "rank",
        Values::Float(order.iter().map(|&v| pr.ranks[v as usize]).collect()),
    );
    t
}

fn write_csv(out: &mut Output, rows: impl Iterator<Item = (String, f64)>) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["id", "rank"])?;
    for (id, rank) in rows {
        w.write_record([csv_cell(&id).as_ref(), format!("{rank:?}").as_str()])?;
    }
    w.flush()?;
    Ok(())
}

fn write_text(
    out: &mut Output,
    s: &Summary,
    rows: impl ExactSizeIterator<Item = (String, f64)>,
) -> Result<()> {
    writeln!(
        out,
        "# {} nodes, {} edges, {} iterations, {}",
        s.nodes,
        s.edges,
        s.iterations,
        if s.converged {
            "converged"
        } else {
            "NOT converged"
        }
    )?;
    writeln!(out, "{:>6}  {:<20}  {:>12}", "#", "id", "rank")?;
    let shown = rows.len();
    for (i, (id, rank)) in rows.enumerate() {
        writeln!(out, "{:>6}  {:<20}  {:>12.6e}", i + 1, terminal(&id), rank)?;
    }
    super::output::showing_footer(out, shown, s.nodes as usize)?;
    Ok(())
}

/// The median of `xs` (the mean of the middle two when even); `None` when empty.
pub(super) fn median(xs: &[f64]) -> Option<f64> {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    match v.len() {
        0 => None,
        n if n % 2 == 1 => Some(v[mid]),
        _ => Some((v[mid - 1] + v[mid]) / 2.0),
    }
}

/// A memory figure of this process from Linux's `/proc/self/status` (`VmHWM:` peak resident
/// set, `VmRSS:` current), for `--timings`; `None` elsewhere.
pub(super) fn proc_status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
