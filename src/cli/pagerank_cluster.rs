//! `clout pagerank FILE --cluster HOSTFILE --process I`: the same listing computed by a
//! cluster of processes (see `metrics::cluster`); process 0 writes it, the others only run.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use clap::Args;

use super::output::Format;
use super::pagerank::{median, proc_status_bytes, write_rows, PageRankArgs, Summary};
use crate::export::{Table, Values};
use crate::metrics::cluster::{self, Checkpoints, ClusterOptions, Hostfile, Input, Ranked};

/// The flags of a cluster run.
#[derive(Debug, Args)]
pub struct ClusterArgs {
    /// Run on a cluster of processes listed in HOSTFILE (one `host:port` per line, process `i`
    /// on line `i + 1`; timely's format). Start one `clout` per line with the same arguments
    /// and its own --process; each reads only its share of FILE, and process 0 writes the
    /// result. Same ranks as without (to float rounding), same iterations.
    #[arg(
        long,
        value_name = "HOSTFILE",
        requires = "process",
        conflicts_with = "personalization"
    )]
    pub cluster: Option<PathBuf>,
    /// This process's line in the hostfile, from 0.
    #[arg(long, value_name = "I", requires = "cluster")]
    pub process: Option<usize>,
    /// Worker threads in each process (give every process the same).
    #[arg(long, value_name = "W", default_value_t = 1, requires = "cluster")]
    pub workers: usize,
    /// Seconds to wait for the other processes to start and connect.
    #[arg(long, value_name = "S", default_value_t = 60.0, requires = "cluster")]
    pub connect_timeout: f64,
    /// Write checkpoints to DIR, and resume from the latest one found there (a cluster
    /// restarted after a failure reaches the same result).
    #[arg(long, value_name = "DIR", requires = "cluster")]
    pub checkpoint: Option<PathBuf>,
    /// Checkpoint every K iterations.
    #[arg(long, value_name = "K", default_value_t = 10, requires = "checkpoint")]
    pub every: usize,
    /// Test hook: pause this many milliseconds before every iteration.
    #[arg(long, value_name = "MS", hide = true, requires = "cluster")]
    pub round_delay_ms: Option<u64>,
}

pub fn run(args: &PageRankArgs) -> Result<()> {
    let c = &args.cluster;
    let hostfile = c.cluster.as_deref().expect("--cluster given");
    let hosts = Hostfile::read(hostfile)?;
    let process = c.process.expect("--process required by clap");
    hosts.check_process(process)?;
    if c.every == 0 {
        anyhow::bail!("--every must be at least 1");
    }
    if !(c.connect_timeout.is_finite() && c.connect_timeout > 0.0) {
        anyhow::bail!("--connect-timeout must be a positive number of seconds");
    }
    let opts = ClusterOptions {
        hosts,
        process,
        workers: c.workers,
        connect_timeout: Duration::from_secs_f64(c.connect_timeout),
        checkpoints: c.checkpoint.clone().map(|dir| Checkpoints {
            dir,
            every: c.every,
        }),
        round_delay: c.round_delay_ms.map(Duration::from_millis),
    };
    let input = Input {
        path: args.input.file.clone(),
        weighted: args.weighted,
        lenient: args.input.lenient,
        keep_self_loops: args.input.keep_self_loops,
        undirected: args.input.undirected,
    };
    let params = args.params(None).check(1)?;
    let t0 = std::time::Instant::now();
    let top = args.listing.top();
    let Some(r) = cluster::pagerank(&opts, &input, &params, top)? else {
        return Ok(());
    };
    report(args, &r, t0.elapsed().as_secs_f64())
}

/// Process 0: the notes on standard error, then the listing.
fn report(args: &PageRankArgs, r: &Ranked, total_s: f64) -> Result<()> {
    if r.skipped > 0 {
        eprintln!(
            "clout: {}: {} malformed records skipped",
            args.input.file.display(),
            r.skipped
        );
    }
    if let Some(round) = r.resumed_from {
        eprintln!("clout: resumed from the checkpoint of iteration {round}");
    }
    if !r.converged {
        eprintln!(
            "clout: warning: PageRank did not converge in {} iterations (L1 change {:.3e}, needed < {:.3e})",
            r.iterations,
            r.last_change,
            r.nodes as f64 * args.tol
        );
    }
    let summary = Summary {
        nodes: r.nodes,
        edges: r.edges,
        iterations: r.iterations,
        converged: r.converged,
    };
    let rows = || r.rows.iter().map(|(id, rank)| (id.clone(), *rank));
    args.listing.emit(
        || {
            let mut t = Table::default();
            t.push(
                "id",
                Values::Text(r.rows.iter().map(|x| x.0.clone()).collect()),
            )
            .push("rank", Values::Float(r.rows.iter().map(|x| x.1).collect()));
            t
        },
        |out, format: Format| write_rows(out, format, &summary, rows()),
    )?;
    if args.timings {
        timings(r, total_s);
    }
    Ok(())
}

fn timings(r: &Ranked, total_s: f64) {
    let iterations = r.iteration_s.len().max(1) as f64;
    let t = serde_json::json!({
        "cluster": true, "workers": r.workers, "total_s": total_s, "setup_s": r.setup_s,
        "iterations": r.iterations, "iteration_s": r.iteration_s,
        "median_iteration_s": median(&r.iteration_s), "nodes": r.nodes, "edges": r.edges,
        "edges_per_s_per_iteration": median(&r.iteration_s).map(|s| r.edges as f64 / s),
        "bytes_sent_iterating": r.bytes_iterating,
        "bytes_sent_per_iteration": r.bytes_iterating as f64 / iterations,
        "bytes_sent_total": r.bytes_total, "resumed_from": r.resumed_from,
        "contributions_exchanged_per_iteration": r.values_per_iteration,
        "peak_rss_bytes": proc_status_bytes("VmHWM:"),
    });
    eprintln!("clout-timings {t}");
}
