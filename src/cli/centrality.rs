//! `clout graph centrality`: many per-node measures in one run, as a table, CSV or JSON. The
//! measures are the library's (`metrics::centrality`); this file parses flags and prints.

use std::io::Write;
use std::time::Instant;

use anyhow::Result;
use clap::Args;

use super::output::{id_column, Format, ListingArgs};
use super::{GraphInput, Output, Progress};
use crate::export::{Table, Values as Column};
use crate::graph::Graph;
use crate::metrics::centrality::{centrality, Centrality, CentralityParams, Measure, Values};
use crate::metrics::ranked;
use crate::report::safe::{csv_cell, terminal};

#[derive(Debug, Args)]
pub struct CentralityArgs {
    #[command(flatten)]
    pub input: GraphInput,
    /// Measures, comma-separated: degree, pagerank, hits, eigenvector, katz, core, clustering,
    /// triangles, harmonic, betweenness. Rows are ranked by the first.
    #[arg(
        long,
        short,
        value_name = "M[,M…]",
        value_delimiter = ',',
        required = true
    )]
    pub measure: Vec<String>,
    /// Use the third column as edge weight (degree, pagerank, hits, eigenvector, katz; harmonic
    /// and betweenness read it as a distance, by Dijkstra).
    #[arg(long)]
    pub weighted: bool,
    /// Katz attenuation factor (converges only below 1/λ_max).
    #[arg(long, default_value_t = 0.1)]
    pub alpha: f64,
    /// Tolerance of the iterative measures [default: networkx's: 1e-6; HITS 1e-8].
    #[arg(long)]
    pub tol: Option<f64>,
    /// Iteration limit of the iterative measures [default: networkx's: 100; Katz 1000].
    #[arg(long)]
    pub max_iter: Option<usize>,
    /// Estimate betweenness from K sampled sources (with its error bound) instead of all.
    #[arg(long, value_name = "K")]
    pub samples: Option<usize>,
    /// Which sources `--samples` draws.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// `--json`: `{"nodes","edges","undirected","columns","convergence","sampling","rows":[{"id",…}]}`;
    /// `--csv`: `id` and one column per value.
    #[command(flatten)]
    pub listing: ListingArgs,
    /// Print a `clout-timings {"load_s","compute_s",…}` JSON line on standard error.
    #[arg(long)]
    pub timings: bool,
}

pub fn run(args: CentralityArgs, progress: Progress) -> Result<()> {
    let measures = args
        .measure
        .iter()
        .map(|m| m.parse::<Measure>())
        .collect::<Result<Vec<_>, _>>()?;
    let t0 = Instant::now();
    let loaded = args.input.load(args.weighted, progress)?;
    let load_s = t0.elapsed().as_secs_f64();
    let g = &loaded.graph;
    let params = CentralityParams {
        measures,
        weighted: args.weighted,
        katz_alpha: args.alpha,
        tol: args.tol,
        max_iter: args.max_iter,
        samples: args.samples,
        seed: args.seed,
        ..Default::default()
    }
    .check(g)?;
    let spinner = progress.spinner("computing centralities");
    let t1 = Instant::now();
    let c = centrality(g, &params)?;
    let compute_s = t1.elapsed().as_secs_f64();
    spinner.finish_and_clear();
    warn(&c);
    let order = ranked(&c.columns[0].values.to_f64(), g.ids(), args.listing.top());
    args.listing.emit(
        || measures_table(g, &c, &order),
        |out, format| match format {
            Format::Json => write_json(out, g, &c, &order),
            Format::Csv => write_csv(out, g, &c, &order),
            _ => write_text(out, g, &c, &order),
        },
    )?;
    if args.timings {
        super::output::print_timings(g, loaded.from_cache, load_s, compute_s);
    }
    Ok(())
}

fn warn(c: &Centrality) {
    for it in c.convergence.iter().filter(|it| !it.converged) {
        eprintln!(
            "clout: warning: {} did not converge in {} iterations (raise --max-iter or --tol{})",
            it.measure.name(),
            it.iterations,
            if it.measure == Measure::Katz {
                ", or lower --alpha"
            } else {
                ""
            }
        );
    }
    if let Some(s) = &c.sampling {
        eprintln!(
            "clout: betweenness estimated from {} sampled sources (seed {}): max standard error {:.3e}, ±{:.3e} (3 SE)",
            s.samples, s.seed, s.max_standard_error, s.error_bound
        );
    }
}

fn cell(v: &Values, node: usize) -> String {
    match v {
        Values::Count(x) => x[node].to_string(),
        Values::Real(x) => format!("{:?}", x[node]),
    }
}

/// The rows of `--csv` as a table: `id` and one column per value (counts as integers).
fn measures_table(g: &Graph, c: &Centrality, order: &[u32]) -> Table {
    let mut t = Table::default();
    t.push("id", id_column(g.ids(), order));
    for col in &c.columns {
        let values = match &col.values {
            Values::Count(x) => Column::Int(order.iter().map(|&v| x[v as usize] as i64).collect()),
            Values::Real(x) => Column::Float(order.iter().map(|&v| x[v as usize]).collect()),
        };
        t.push(col.name, values);
    }
    t
}

fn write_csv(out: &mut Output, g: &Graph, c: &Centrality, order: &[u32]) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let header = std::iter::once("id").chain(c.columns.iter().map(|col| col.name));
    w.write_record(header)?;
    for &v in order {
        let id = g.ids().name(v).to_string();
        let mut row = vec![csv_cell(&id).into_owned()];
        row.extend(c.columns.iter().map(|col| cell(&col.values, v as usize)));
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

fn json_value(v: &Values, node: usize) -> serde_json::Value {
    match v {
        Values::Count(x) => x[node].into(),
        Values::Real(x) => {
            serde_json::Number::from_f64(x[node]).map_or(serde_json::Value::Null, Into::into)
        }
    }
}

fn write_json(out: &mut Output, g: &Graph, c: &Centrality, order: &[u32]) -> Result<()> {
    let rows: Vec<serde_json::Value> = order
        .iter()
        .map(|&v| {
            let mut row = serde_json::Map::new();
            row.insert("id".into(), g.ids().name(v).to_string().into());
            for col in &c.columns {
                row.insert(col.name.into(), json_value(&col.values, v as usize));
            }
            row.into()
        })
        .collect();
    let doc = serde_json::json!({
        "nodes": g.num_nodes(),
        "edges": g.num_edges_as_read(),
        "undirected": g.is_undirected(),
        "columns": c.columns.iter().map(|col| col.name).collect::<Vec<_>>(),
        "convergence": c.convergence,
        "sampling": c.sampling,
        "rows": rows,
    });
    serde_json::to_writer(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(())
}

fn write_text(out: &mut Output, g: &Graph, c: &Centrality, order: &[u32]) -> Result<()> {
    writeln!(
        out,
        "# {} nodes, {} {}edges",
        g.num_nodes(),
        g.num_edges_as_read(),
        if g.is_undirected() { "undirected " } else { "" }
    )?;
    for it in &c.convergence {
        let state = if it.converged {
            "converged"
        } else {
            "NOT converged"
        };
        writeln!(
            out,
            "# {}: {} iterations, {state}",
            it.measure.name(),
            it.iterations
        )?;
    }
    if let Some(s) = &c.sampling {
        writeln!(
            out,
            "# betweenness: {} sampled sources (seed {}), max standard error {:.3e}, bound ±{:.3e} (3 SE)",
            s.samples, s.seed, s.max_standard_error, s.error_bound
        )?;
    }
    write!(out, "{:>6}  {:<20}", "#", "id")?;
    for col in &c.columns {
        write!(out, "  {:>12}", col.name)?;
    }
    writeln!(out)?;
    for (i, &v) in order.iter().enumerate() {
        write!(
            out,
            "{:>6}  {:<20}",
            i + 1,
            terminal(&g.ids().name(v).to_string())
        )?;
        for col in &c.columns {
            match &col.values {
                Values::Count(x) => write!(out, "  {:>12}", x[v as usize])?,
                Values::Real(x) => write!(out, "  {:>12.6e}", x[v as usize])?,
            }
        }
        writeln!(out)?;
    }
    super::output::showing_footer(out, order.len(), g.num_nodes())?;
    Ok(())
}
