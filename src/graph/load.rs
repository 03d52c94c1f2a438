//! Reads a graph file through the binary cache: a matching cache is memory-mapped; otherwise
//! the file is parsed and built, and the cache written for next time (unless disabled, or the
//! input had skipped records, whose report would be lost). [`load_pull`] loads only what
//! PageRank reads (see [`PullGraph`]).

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::builder::{BuildReport, GraphBuilder};
use super::cache::{self, CacheKey};
use super::csr::{Adjacency, Graph};
use super::pull::PullGraph;
use crate::error::Result;
use crate::ingest::{read_edge_list, EdgeListOptions, IdMap, Node, Skips, Source};

/// How to load a graph file.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub weighted: bool,
    pub keep_self_loops: bool,
    pub lenient: bool,
    /// Read every edge both ways, duplicates merged (see [`GraphBuilder::undirected`]).
    pub undirected: bool,
    /// Directory for cache files; `None` disables the cache.
    pub cache_dir: Option<PathBuf>,
}

/// A loaded graph and how it was obtained.
#[derive(Debug)]
pub struct Loaded<G = Graph> {
    pub graph: G,
    pub report: BuildReport,
    pub skips: Skips,
    /// Whether the graph came from the cache.
    pub from_cache: bool,
    /// A cache that could not be written or read (the run goes on without it).
    pub cache_warning: Option<String>,
    /// Seconds spent reading/parsing and building (or mapping the cache).
    pub read_seconds: f64,
    pub build_seconds: f64,
    /// The file says its graph is undirected and it was read so, without being asked
    /// (see [`crate::ingest::EdgeList::undirected`]).
    pub declared_undirected: bool,
}

/// Loads the graph at `path`.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Loaded> {
    let t0 = Instant::now();
    let mut cache_warning = None;
    let cache = match &opts.cache_dir {
        Some(dir) => {
            let key = CacheKey::of(path, opts.weighted, opts.keep_self_loops)?
                .undirected(opts.undirected);
            Some((key.path_in(dir, path), key))
        }
        None => None,
    };
    if let Some((file, key)) = &cache {
        match cache::load(file, key) {
            Ok(Some((graph, report))) => {
                return Ok(Loaded {
                    declared_undirected: graph.is_undirected() && !opts.undirected,
                    graph,
                    report,
                    skips: Skips::default(),
                    from_cache: true,
                    cache_warning: None,
                    read_seconds: t0.elapsed().as_secs_f64(),
                    build_seconds: 0.0,
                })
            }
            Ok(None) => {}
            Err(e) => cache_warning = Some(format!("{e}; rebuilding it")),
        }
    }
    let (list, read_seconds) = read(path, opts, t0)?;
    let skips = list.skips.clone();
    let declared_undirected = list.undirected && !opts.undirected;
    let t1 = Instant::now();
    let (graph, report) = builder(opts).build(list);
    let build_seconds = t1.elapsed().as_secs_f64();
    check_weights(path, graph.ids(), graph.in_edges())?;
    if let (Some((file, key)), 0) = (&cache, skips.total()) {
        if let Err(e) = cache::save(file, &graph, key, &report) {
            cache_warning = Some(format!("could not write the graph cache: {e}"));
        }
    }
    Ok(Loaded {
        graph,
        report,
        skips,
        from_cache: false,
        cache_warning,
        read_seconds,
        build_seconds,
        declared_undirected,
    })
}

/// Loads the part of the graph at `path` that PageRank reads. With a cache directory this is
/// [`load`] cut down by [`PullGraph::from_graph`] (the cache holds both directions); without
/// one, only the in-edges are built, in about two thirds of the peak memory.
pub fn load_pull(path: &Path, opts: &LoadOptions) -> Result<Loaded<PullGraph>> {
    if opts.cache_dir.is_some() {
        return load(path, opts).map(|l| l.map(PullGraph::from_graph));
    }
    let t0 = Instant::now();
    let (list, read_seconds) = read(path, opts, t0)?;
    let skips = list.skips.clone();
    let declared_undirected = list.undirected && !opts.undirected;
    let t1 = Instant::now();
    let (graph, report) = builder(opts).build_pull(list);
    check_weights(path, graph.ids(), graph.in_edges())?;
    Ok(Loaded {
        graph,
        report,
        skips,
        from_cache: false,
        cache_warning: None,
        read_seconds,
        build_seconds: t1.elapsed().as_secs_f64(),
        declared_undirected,
    })
}

impl<G> Loaded<G> {
    /// The same load with the graph turned into another form.
    pub fn map<H>(self, f: impl FnOnce(G) -> H) -> Loaded<H> {
        Loaded {
            graph: f(self.graph),
            report: self.report,
            skips: self.skips,
            from_cache: self.from_cache,
            cache_warning: self.cache_warning,
            read_seconds: self.read_seconds,
            build_seconds: self.build_seconds,
            declared_undirected: self.declared_undirected,
        }
    }
}

/// Parses the edge list; returns it with the seconds since `t0`.
fn read(path: &Path, opts: &LoadOptions, t0: Instant) -> Result<(crate::ingest::EdgeList, f64)> {
    let list = read_edge_list(
        path,
        EdgeListOptions {
            weighted: opts.weighted,
            lenient: opts.lenient,
        },
    )?;
    Ok((list, t0.elapsed().as_secs_f64()))
}

fn builder(opts: &LoadOptions) -> GraphBuilder {
    GraphBuilder::new()
        .keep_self_loops(opts.keep_self_loops)
        .undirected(opts.undirected)
}

/// The default cache directory: `$CLOUT_CACHE_DIR`, else `$XDG_CACHE_HOME/clout`, else
/// `$HOME/.cache/clout`.
pub fn default_cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("CLOUT_CACHE_DIR") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(PathBuf::from(d).join("clout"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("clout"))
}

/// Weighted graphs: the merged weight of every edge and the out-weight of every node (what
/// PageRank divides by) must be finite; duplicate lines whose weights add up past `f64::MAX`
/// would otherwise give NaN ranks. The error names the file and, found by a second look at the
/// file, the line at which the sum overflowed.
pub fn check_weights(path: &Path, ids: &IdMap, in_edges: &Adjacency) -> Result<()> {
    let Some(w) = in_edges.weights() else {
        return Ok(());
    };
    let (offsets, sources) = (in_edges.offsets(), in_edges.targets());
    let mut out = vec![0.0f64; in_edges.num_rows()];
    for v in 0..in_edges.num_rows() {
        for i in offsets[v] as usize..offsets[v + 1] as usize {
            let u = sources[i] as usize;
            out[u] += w[i];
            if !w[i].is_finite() {
                let (a, b) = (
                    ids.name(u as Node).to_string(),
                    ids.name(v as Node).to_string(),
                );
                let what = format!("the weights of edge {a} → {b} add up to {} (duplicate lines are merged by adding their weights)", w[i]);
                return Err(overflow_error(path, &[(&a, &b)], what));
            }
            if !out[u].is_finite() {
                let a = ids.name(u as Node).to_string();
                let what = format!(
                    "the out-weights of node {a} add up to {}, past the largest 64-bit float",
                    out[u]
                );
                return Err(overflow_error(path, &[(&a, "")], what));
            }
        }
    }
    Ok(())
}

/// The error, at the first line where the weights of the given edges (`""`: any target) sum to
/// a non-finite value, if the file can be read again.
fn overflow_error(path: &Path, edges: &[(&str, &str)], what: String) -> crate::error::Error {
    let line = Source::open(path).ok().and_then(|src| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut src.reader().ok()?, &mut text).ok()?;
        let mut sum = 0.0f64;
        for (k, l) in text.lines().enumerate() {
            let mut f = l.split([' ', '\t', ',']).filter(|s| !s.is_empty());
            let (Some(a), Some(b), Some(x)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            if edges
                .iter()
                .any(|(ea, eb)| *ea == a && (eb.is_empty() || *eb == b))
            {
                sum += x.parse::<f64>().unwrap_or(0.0);
                if !sum.is_finite() {
                    return Some(k as u64 + 1);
                }
            }
        }
        None
    });
    match line {
        Some(line) => crate::error::Error::parse(path, line, what),
        None => crate::error::Error::Invalid {
            path: path.to_path_buf(),
            reason: what,
        },
    }
}
