//! `clout graph communities`: Leiden, Louvain or label propagation on the undirected graph, as
//! a summary table, or each node's community as CSV or JSON. The methods are the library's
//! (`metrics::communities`); this file parses flags and prints.

use std::io::Write;
use std::time::Instant;

use anyhow::Result;
use clap::Args;

use super::output::{id_column, Format, ListingArgs};
use super::{GraphInput, Output, Progress};
use crate::export::{Table, Values};
use crate::graph::Graph;
use crate::metrics::communities::{communities, Communities, CommunityParams, Method};
use crate::report::safe::{csv_cell, terminal};

#[derive(Debug, Args)]
pub struct CommunitiesArgs {
    /// The graph; always read as undirected (`a b` and `b a` one edge), as networkx's and
    /// igraph's community methods take it.
    #[command(flatten)]
    pub input: GraphInput,
    /// leiden, louvain or label-propagation.
    #[arg(long, default_value = "leiden")]
    pub method: String,
    /// Modularity's γ: above 1 finds smaller communities, below 1 larger ones (not used by
    /// label propagation).
    #[arg(long, default_value_t = 1.0)]
    pub resolution: f64,
    /// Seed of the random orders and choices: the same seed gives the same communities.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Leiden's refinement randomness θ.
    #[arg(long, default_value_t = 0.01)]
    pub randomness: f64,
    /// Leiden's passes, each from the previous one's communities (igraph's `n_iterations`);
    /// 0: until a pass changes nothing.
    #[arg(long, default_value_t = crate::metrics::communities::DEFAULT_ITERATIONS)]
    pub iterations: usize,
    /// Use the third column as edge weight.
    #[arg(long)]
    pub weighted: bool,
    /// `--top K`: the K largest communities (text: 20). `--json`: `{"nodes","edges","method",
    /// "resolution","seed","modularity","communities","sizes","rounds","converged",
    /// "membership":[{"id","community"}]}`; `--csv`: `id,community`. Community 0 is the largest.
    #[command(flatten)]
    pub listing: ListingArgs,
    /// Print a `clout-timings {"load_s","compute_s",…}` JSON line on standard error.
    #[arg(long)]
    pub timings: bool,
}

pub fn run(mut args: CommunitiesArgs, progress: Progress) -> Result<()> {
    let params = CommunityParams {
        method: args.method.parse::<Method>()?,
        resolution: args.resolution,
        seed: args.seed,
        randomness: args.randomness,
        iterations: (args.iterations > 0).then_some(args.iterations),
    }
    .check()?;
    args.input.undirected = true;
    let t0 = Instant::now();
    let loaded = args.input.load(args.weighted, progress)?;
    let load_s = t0.elapsed().as_secs_f64();
    let g = &loaded.graph;
    let spinner = progress.spinner(&format!("finding communities ({})", params.method().name()));
    let t1 = Instant::now();
    let c = communities(g, &params)?;
    let compute_s = t1.elapsed().as_secs_f64();
    spinner.finish_and_clear();
    if !c.converged && (params.method() != Method::Leiden || args.iterations == 0) {
        eprintln!(
            "clout: warning: {} stopped at its bound of {} rounds before settling",
            params.method().name(),
            c.rounds
        );
    }
    let shown = args
        .listing
        .top()
        .unwrap_or(c.sizes.len())
        .min(c.sizes.len());
    let run = Run {
        g,
        c: &c,
        method: params.method(),
        resolution: params.resolution(),
        seed: params.seed(),
        shown,
    };
    args.listing.emit(
        || run.table(),
        |out, format| match format {
            Format::Json => run.json(out),
            Format::Csv => run.csv(out),
            _ => run.text(out),
        },
    )?;
    if args.timings {
        super::output::print_timings(g, loaded.from_cache, load_s, compute_s);
    }
    Ok(())
}

/// One result and what is needed to print it.
struct Run<'a> {
    g: &'a Graph,
    c: &'a Communities,
    method: Method,
    resolution: f64,
    seed: u64,
    /// How many communities to show, largest first.
    shown: usize,
}

impl Run<'_> {
    /// The nodes of the shown communities: by community, then in node order.
    fn rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = (0..self.g.num_nodes() as u32)
            .filter(|&v| (self.c.membership[v as usize] as usize) < self.shown)
            .collect();
        rows.sort_by_key(|&v| self.c.membership[v as usize]);
        rows
    }

    /// The rows of `--csv` as a table: `id`, `community`.
    fn table(&self) -> Table {
        let rows = self.rows();
        let community = rows
            .iter()
            .map(|&v| self.c.membership[v as usize])
            .collect();
        let mut t = Table::default();
        t.push("id", id_column(self.g.ids(), &rows))
            .push("community", Values::Count(community));
        t
    }

    fn csv(&self, out: &mut Output) -> Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["id", "community"])?;
        for v in self.rows() {
            let id = self.g.ids().name(v).to_string();
            let c = self.c.membership[v as usize].to_string();
            w.write_record([csv_cell(&id).as_ref(), c.as_str()])?;
        }
        w.flush()?;
        Ok(())
    }

    fn json(&self, out: &mut Output) -> Result<()> {
        let membership: Vec<serde_json::Value> = self
            .rows()
            .into_iter()
            .map(|v| {
                serde_json::json!({
                    "id": self.g.ids().name(v).to_string(),
                    "community": self.c.membership[v as usize],
                })
            })
            .collect();
        let doc = serde_json::json!({
            "nodes": self.g.num_nodes(),
            "edges": self.g.num_edges_as_read(),
            "method": self.method.name(),
            "resolution": self.method.uses_resolution().then_some(self.resolution),
            "seed": self.seed,
            "modularity": self.c.modularity,
            "communities": self.c.sizes.len(),
            "sizes": self.c.sizes,
            "rounds": self.c.rounds,
            "converged": self.c.converged,
            "membership": membership,
        });
        serde_json::to_writer(&mut *out, &doc)?;
        writeln!(out)?;
        Ok(())
    }

    fn text(&self, out: &mut Output) -> Result<()> {
        let (g, c) = (self.g, self.c);
        writeln!(
            out,
            "# {} nodes, {} undirected edges",
            g.num_nodes(),
            g.num_edges_as_read()
        )?;
        let resolution = if self.method.uses_resolution() {
            format!("resolution {}, ", self.resolution)
        } else {
            String::new()
        };
        writeln!(
            out,
            "# {} ({resolution}seed {}, {} {}): {} communities, modularity {:.4}",
            self.method.name(),
            self.seed,
            c.rounds,
            self.method.rounds_name(),
            c.sizes.len(),
            c.modularity
        )?;
        writeln!(
            out,
            "{:>9}  {:>8}  {:>7}  members (highest degree first)",
            "community", "size", "nodes%"
        )?;
        let examples = self.examples(5);
        for (k, size) in c.sizes.iter().take(self.shown).enumerate() {
            let names: Vec<String> = examples[k]
                .iter()
                .map(|&v| terminal(&g.ids().name(v).to_string()).into_owned())
                .collect();
            let more = if *size > names.len() { ", …" } else { "" };
            writeln!(
                out,
                "{k:>9}  {size:>8}  {:>6.2}%  {}{more}",
                100.0 * *size as f64 / g.num_nodes() as f64,
                names.join(", ")
            )?;
        }
        if self.shown < c.sizes.len() {
            writeln!(
                out,
                "# showing {} of {} communities (--top K, or --json / --csv for every node)",
                self.shown,
                c.sizes.len()
            )?;
        }
        Ok(())
    }

    /// Up to `k` members of each shown community, highest degree first (ties: node order).
    fn examples(&self, k: usize) -> Vec<Vec<u32>> {
        let mut by_community: Vec<Vec<u32>> = vec![Vec::new(); self.shown];
        for v in 0..self.g.num_nodes() as u32 {
            let c = self.c.membership[v as usize] as usize;
            if c < self.shown {
                by_community[c].push(v);
            }
        }
        let degree = |v: u32| std::cmp::Reverse(self.g.out_edges().degree(v));
        for members in &mut by_community {
            members.sort_by_key(|&v| (degree(v), v));
            members.truncate(k);
        }
        by_community
    }
}
