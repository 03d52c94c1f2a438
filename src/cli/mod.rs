//! The command line: flags parsed by clap, validated into the library's checked types, and the
//! stages wired together. The only module that uses `anyhow`.

mod analyze;
mod badges;
mod campaign;
mod centrality;
mod communities;
mod every;
mod experts;
mod export;
mod generate;
mod history;
mod import;
mod ledger;
mod model;
mod output;
mod pagerank;
mod pagerank_cluster;
mod people;
mod predictive;
mod progress;
mod report;
mod run;
mod score;
mod serve;
mod stats;
mod top;
mod topics;

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

pub use output::Output;
pub use progress::Progress;

/// clout: an open social influence engine.
#[derive(Debug, Parser)]
#[command(name = "clout", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// No progress output on standard error.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Network Impact: PageRank over a follow (or any directed) graph.
    Pagerank(pagerank::PageRankArgs),
    /// The explained 1–100 score of every account, with True Reach, Amplification, Network Impact.
    Score(score::ScoreArgs),
    /// The ledger behind one account's score.
    Explain(score::ExplainArgs),
    /// Research analyses of the measures.
    Analyze {
        #[command(subcommand)]
        command: analyze::AnalyzeCommand,
    },
    /// Graph inspection.
    Graph {
        #[command(subcommand)]
        command: GraphCommand,
    },
    /// Topic ontologies and classification.
    Topics {
        #[command(subcommand)]
        command: topics::TopicsCommand,
    },
    /// A topic's leaderboard: the accounts most influential about it.
    Top(top::TopArgs),
    /// Ingest a dataset directory, score it and store the run (scores, changes, topics,
    /// leaderboards) for `history`, `serve`, `report` and `top`.
    Run(run::RunArgs),
    /// Read platform files (Bluesky Jetstream, …) into clout's own files.
    Import(import::ImportArgs),
    /// An account's score at every stored run, with changes.
    History(history::HistoryArgs),
    /// A ranked influencer report for a topic of a stored run (html, md, csv or json).
    Report(report::ReportArgs),
    /// An outreach list for a topic of a stored run (Klout Perks): filtered by network, score,
    /// reach and gaming flags, each target with why it qualifies.
    Campaign(campaign::CampaignArgs),
    /// An account's achievements (badges with levels) in a stored run, from its ledger and
    /// score history.
    Badges(badges::BadgesArgs),
    /// The stored runs as Parquet tables (runs, accounts, leaderboards, history) for pandas,
    /// polars and DuckDB.
    Export(export::ExportArgs),
    /// Serve the latest stored run over HTTP (Klout API v2 shaped, read-only).
    Serve(serve::ServeArgs),
    /// The sentence-embedding model: install it, or say where it is.
    Model {
        #[command(subcommand)]
        command: model::ModelCommand,
    },
    /// Generate synthetic inputs.
    Generate {
        #[command(subcommand)]
        command: generate::GenerateCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum GraphCommand {
    /// Nodes, edges, dangling nodes, reciprocity, degree distributions, weak components.
    Stats(stats::StatsArgs),
    /// Per-node centralities (degree, PageRank, HITS, eigenvector, Katz, k-core, clustering,
    /// triangles, harmonic, betweenness) with networkx's definitions.
    Centrality(centrality::CentralityArgs),
    /// Communities (Leiden, Louvain, label propagation) of the undirected graph: each node's
    /// community, the sizes and the modularity.
    Communities(communities::CommunitiesArgs),
}

/// How a graph file is read; shared by every command that takes one.
#[derive(Debug, Args, Clone)]
pub struct GraphInput {
    /// Graph file: `src dst [weight]` lines, CSV with a header (`,` `;` or `|`), GraphML, GML
    /// or Pajek, told apart by content; plain, gzip or zstd.
    pub file: PathBuf,
    /// Skip malformed records (reported by kind) instead of failing.
    #[arg(long)]
    pub lenient: bool,
    /// Keep self-loops (dropped by default).
    #[arg(long)]
    pub keep_self_loops: bool,
    /// Read the graph as undirected: each edge both ways, `a b` and `b a` merged into one edge
    /// (networkx's `Graph`).
    #[arg(long)]
    pub undirected: bool,
    #[command(flatten)]
    pub cache: CacheArgs,
}

/// Where the binary graph cache lives; shared by every command that reads a graph file.
#[derive(Debug, Args, Clone, Default)]
pub struct CacheArgs {
    /// Do not read or write the binary graph cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Directory of the binary graph cache [default: $CLOUT_CACHE_DIR or ~/.cache/clout].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

impl CacheArgs {
    /// The cache directory, `None` when disabled.
    pub fn dir(&self) -> Option<PathBuf> {
        if self.no_cache {
            return None;
        }
        self.cache_dir
            .clone()
            .or_else(clout::graph::load::default_cache_dir)
    }
}

impl GraphInput {
    /// Loads the graph, reporting skipped records and cache trouble on standard error.
    pub fn load(&self, weighted: bool, progress: Progress) -> Result<clout::graph::Loaded> {
        self.load_with(weighted, progress, clout::graph::load)
    }

    /// Loads only what PageRank reads (see `graph::load_pull`), reporting the same way.
    pub fn load_pull(
        &self,
        weighted: bool,
        progress: Progress,
    ) -> Result<clout::graph::Loaded<clout::graph::PullGraph>> {
        self.load_with(weighted, progress, clout::graph::load_pull)
    }

    fn load_with<G>(
        &self,
        weighted: bool,
        progress: Progress,
        load: impl FnOnce(
            &std::path::Path,
            &clout::graph::LoadOptions,
        ) -> clout::Result<clout::graph::Loaded<G>>,
    ) -> Result<clout::graph::Loaded<G>> {
        let opts = clout::graph::LoadOptions {
            weighted,
            keep_self_loops: self.keep_self_loops,
            lenient: self.lenient,
            undirected: self.undirected,
            cache_dir: self.cache.dir(),
        };
        let spinner = progress.spinner(&format!("loading {}", self.file.display()));
        let loaded = load(&self.file, &opts);
        spinner.finish_and_clear();
        let loaded = loaded?;
        if loaded.skips.total() > 0 {
            eprintln!("clout: {}: {}", self.file.display(), loaded.skips);
        }
        if let Some(w) = &loaded.cache_warning {
            eprintln!("clout: warning: {w}");
        }
        if loaded.declared_undirected {
            eprintln!(
                "clout: note: {} says its graph is undirected: read undirected (every edge both ways), as --undirected would",
                self.file.display()
            );
        }
        Ok(loaded)
    }
}

// The library crate, under a short name for the submodules.
use crate as clout;

/// Whether an error comes from writing to a closed pipe (standard output read by `head`, say).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let broken = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>().is_some_and(broken)
            || e.downcast_ref::<csv::Error>()
                .is_some_and(|c| match c.kind() {
                    csv::ErrorKind::Io(io) => broken(io),
                    _ => false,
                })
    })
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    if let Some(n) = cli.global.threads {
        anyhow::ensure!(n >= 1, "--threads must be at least 1");
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("starting the thread pool")?;
    }
    let progress = Progress::new(cli.global.quiet);
    match cli.command {
        Command::Pagerank(args) => pagerank::run(args, progress),
        Command::Score(args) => score::run(args, progress),
        Command::Explain(args) => score::run_explain(args, progress),
        Command::Analyze { command } => analyze::run(command, progress),
        Command::Graph {
            command: GraphCommand::Stats(args),
        } => stats::run(args, progress),
        Command::Graph {
            command: GraphCommand::Centrality(args),
        } => centrality::run(args, progress),
        Command::Graph {
            command: GraphCommand::Communities(args),
        } => communities::run(args, progress),
        Command::Generate { command } => generate::run(command, progress, cli.global.quiet),
        Command::Report(args) => report::run(args),
        Command::Campaign(args) => campaign::run(args),
        Command::Badges(args) => badges::run(args),
        Command::Export(args) => export::run(args, cli.global.quiet),
        Command::Serve(args) => serve::run(args, progress),
        Command::Topics { command } => topics::run(command, progress, cli.global.quiet),
        Command::Top(args) => top::run(args, progress),
        Command::Run(args) => run::run(args, progress),
        Command::Import(args) => import::run(args, cli.global.quiet),
        Command::History(args) => history::run(args),
        Command::Model { command } => model::run(command),
    }
}
