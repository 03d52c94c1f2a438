//! Reads a graph file through the binary cache: a matching cache is memory-mapped; otherwise
//! the file is parsed and built, and the cache written for next time (unless disabled, or the
//! input had skipped records, whose report would be lost). [`load_pull`] loads only what
//! PageRank reads (see [`PullGraph`]).

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::builder::{BuildReport, GraphBuilder};
use super::cache::{self, CacheKey};
use super::csr::Graph;
use super::pull::PullGraph;
use crate::error::Result;
use crate::ingest::{read_edge_list, EdgeListOptions, Skips};

/// How to load a graph file.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub weighted: bool,
    pub keep_self_loops: bool,
    pub lenient: bool,
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
}

/// Loads the graph at `path`.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Loaded> {
    let t0 = Instant::now();
    let mut cache_warning = None;
    let cache = match &opts.cache_dir {
        Some(dir) => {
            let key = CacheKey::of(path, opts.weighted, opts.keep_self_loops)?;
            Some((key.path_in(dir, path), key))
        }
        None => None,
    };
    if let Some((file, key)) = &cache {
        match cache::load(file, key) {
            Ok(Some((graph, report))) => {
                return Ok(Loaded {
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
    let t1 = Instant::now();
    let (graph, report) = builder(opts).build(list);
    let build_seconds = t1.elapsed().as_secs_f64();
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
    let t1 = Instant::now();
    let (graph, report) = builder(opts).build_pull(list);
    Ok(Loaded {
        graph,
        report,
        skips,
        from_cache: false,
        cache_warning: None,
        read_seconds,
        build_seconds: t1.elapsed().as_secs_f64(),
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
    GraphBuilder::new().keep_self_loops(opts.keep_self_loops)
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
