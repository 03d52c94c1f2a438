//! The binary graph cache: a versioned, checksummed file holding the built CSR, its transpose
//! and the id map, memory-mapped on load so that a second run on the same input skips parsing.
//! A cache is used only when it was built from the same file (size and modification time) with
//! the same options; anything else (old version, checksum mismatch, truncation) is rebuilt.
//!
//! Layout (little-endian): a 128-byte header, then 8-byte-aligned sections in a fixed order:
//! out offsets `u64[n+1]`, out targets `u32[m]`, out weights `f64[m]` (weighted only), the same
//! three for in-edges, then the ids: `u64[n]`, or text offsets `u64[n+1]` and UTF-8 bytes.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use memmap2::Mmap;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use super::buf::Buf;
use super::builder::BuildReport;
use super::csr::{Adjacency, Graph};
use crate::error::{Error, Result};
use crate::ingest::IdMap;

const MAGIC: &[u8; 8] = b"CLOUTGR\0";
/// Bumped whenever the layout or the build semantics change.
pub const VERSION: u32 = 3;
const HEADER: usize = 128;

const F_WEIGHTED: u32 = 1;
const F_SELF_LOOPS: u32 = 2;
const F_TEXT_IDS: u32 = 4;
const F_UNDIRECTED: u32 = 8;

/// What a cache must match: the source file's identity and the build options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheKey {
    pub source_len: u64,
    pub source_mtime_ns: u128,
    pub weighted: bool,
    pub keep_self_loops: bool,
    /// Read as undirected (each edge both ways); set with [`CacheKey::undirected`].
    pub undirected: bool,
}

impl CacheKey {
    /// The key of `source` built with the given options.
    pub fn of(source: &Path, weighted: bool, keep_self_loops: bool) -> Result<CacheKey> {
        let meta = std::fs::metadata(source).map_err(|e| Error::io(source, e))?;
        let mtime = meta.modified().map_err(|e| Error::io(source, e))?;
        Ok(CacheKey {
            source_len: meta.len(),
            source_mtime_ns: mtime.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos()),
            weighted,
            keep_self_loops,
            undirected: false,
        })
    }

    /// The same key for an undirected (`yes`) or directed read.
    pub fn undirected(mut self, yes: bool) -> CacheKey {
        self.undirected = yes;
        self
    }

    /// The cache file for `source` under `dir`: named by a hash of the canonical path and options.
    pub fn path_in(&self, dir: &Path, source: &Path) -> PathBuf {
        let canon = std::fs::canonicalize(source).unwrap_or_else(|_| source.to_path_buf());
        let mut tag = format!(
            "{}|{}|{}",
            canon.display(),
            self.weighted,
            self.keep_self_loops
        );
        if self.undirected {
            tag.push_str("|undirected");
        }
        dir.join(format!("{:016x}.graph", xxh3_64(tag.as_bytes())))
    }
}

fn section_len(bytes: usize) -> usize {
    bytes.div_ceil(8) * 8
}

/// Writes `graph` to `path` atomically (temporary file, then rename).
pub fn save(path: &Path, graph: &Graph, key: &CacheKey, report: &BuildReport) -> Result<()> {
    let io = |e| Error::io(path, e);
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let text = text_ids(&graph.ids);
    let sections = sections(graph, text.as_ref());
    let mut hasher = Xxh3::new();
    for s in &sections {
        hasher.update(s);
        hasher.update(&[0u8; 8][..section_len(s.len()) - s.len()]);
    }
    let header = header(graph, key, report, hasher.digest());
    let tmp = crate::fs::temp_file_in(dir, ".clout-cache-").map_err(io)?;
    let mut w = BufWriter::with_capacity(1 << 20, tmp);
    w.write_all(&header).map_err(io)?;
    for s in &sections {
        w.write_all(s).map_err(io)?;
        w.write_all(&[0u8; 8][..section_len(s.len()) - s.len()])
            .map_err(io)?;
    }
    let tmp = w.into_inner().map_err(|e| io(e.into_error()))?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Text ids as an offsets section and a bytes section.
fn text_ids(ids: &IdMap) -> Option<(Vec<u64>, Vec<u8>)> {
    let IdMap::Text(names) = ids else {
        return None;
    };
    let mut offs = Vec::with_capacity(names.len() + 1);
    let mut bytes = Vec::new();
    offs.push(0u64);
    for s in names {
        bytes.extend_from_slice(s.as_bytes());
        offs.push(bytes.len() as u64);
    }
    Some((offs, bytes))
}

fn sections<'a>(g: &'a Graph, text: Option<&'a (Vec<u64>, Vec<u8>)>) -> Vec<&'a [u8]> {
    let mut out: Vec<&[u8]> = Vec::new();
    for adj in [&g.out, &g.inc] {
        out.push(bytemuck::cast_slice(adj.offsets()));
        out.push(bytemuck::cast_slice(adj.targets()));
        if let Some(w) = adj.weights() {
            out.push(bytemuck::cast_slice(w));
        }
    }
    match (&g.ids, text) {
        (IdMap::Numeric(v), _) => out.push(bytemuck::cast_slice(v)),
        (IdMap::Text(_), Some((offs, bytes))) => {
            out.push(bytemuck::cast_slice(offs));
            out.push(bytes);
        }
        (IdMap::Text(_), None) => unreachable!("text ids always come with their sections"),
    }
    out
}

fn header(g: &Graph, key: &CacheKey, report: &BuildReport, checksum: u64) -> [u8; HEADER] {
    let mut h = [0u8; HEADER];
    let mut flags = 0;
    if g.is_weighted() {
        flags |= F_WEIGHTED;
    }
    if key.keep_self_loops {
        flags |= F_SELF_LOOPS;
    }
    if matches!(g.ids, IdMap::Text(_)) {
        flags |= F_TEXT_IDS;
    }
    if g.is_undirected() {
        flags |= F_UNDIRECTED;
    }
    h[0..8].copy_from_slice(MAGIC);
    h[8..12].copy_from_slice(&VERSION.to_le_bytes());
    h[12..16].copy_from_slice(&flags.to_le_bytes());
    h[16..24].copy_from_slice(&(g.num_nodes() as u64).to_le_bytes());
    h[24..32].copy_from_slice(&(g.num_edges() as u64).to_le_bytes());
    h[32..40].copy_from_slice(&key.source_len.to_le_bytes());
    h[40..56].copy_from_slice(&key.source_mtime_ns.to_le_bytes());
    h[56..64].copy_from_slice(&checksum.to_le_bytes());
    h[64..72].copy_from_slice(&report.records.to_le_bytes());
    h[72..80].copy_from_slice(&report.self_loops_dropped.to_le_bytes());
    h[80..88].copy_from_slice(&report.duplicates_merged.to_le_bytes());
    h
}

fn u64_at(h: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(h[at..at + 8].try_into().expect("8 bytes"))
}

/// Loads the cache at `path` if it matches `key`. `Ok(None)` when there is no usable cache
/// (missing, stale, other options); `Err` only when it exists, matches, and is damaged.
pub fn load(path: &Path, key: &CacheKey) -> Result<Option<(Graph, BuildReport)>> {
    let bad = |reason: &str| Error::Cache {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    let Ok(mut file) = File::open(path) else {
        return Ok(None);
    };
    let mut h = [0u8; HEADER];
    if file.read_exact(&mut h).is_err() || &h[0..8] != MAGIC {
        return Err(bad("not a clout graph cache (bad magic or too short)"));
    }
    let version = u32::from_le_bytes(h[8..12].try_into().expect("4 bytes"));
    let flags = u32::from_le_bytes(h[12..16].try_into().expect("4 bytes"));
    let stored = CacheKey {
        source_len: u64_at(&h, 32),
        source_mtime_ns: u128::from_le_bytes(h[40..56].try_into().expect("16 bytes")),
        weighted: flags & F_WEIGHTED != 0,
        keep_self_loops: flags & F_SELF_LOOPS != 0,
        undirected: flags & F_UNDIRECTED != 0,
    };
    if version != VERSION || &stored != key {
        return Ok(None);
    }
    let (n, m) = (u64_at(&h, 16) as usize, u64_at(&h, 24) as usize);
    let report = BuildReport {
        records: u64_at(&h, 64),
        self_loops_dropped: u64_at(&h, 72),
        duplicates_merged: u64_at(&h, 80),
    };
    verify_checksum(&mut file, u64_at(&h, 56)).map_err(|r| bad(&r))?;
    // SAFETY: read-only map of a file we own in the cache directory; see `Source::open`.
    let map = Arc::new(unsafe { Mmap::map(&file) }.map_err(|e| Error::io(path, e))?);
    let graph = layout(map, n, m, flags).ok_or_else(|| bad("sections do not fit the file size"))?;
    Ok(Some((graph, report)))
}

fn verify_checksum(file: &mut File, expected: u64) -> std::result::Result<(), String> {
    // Streamed through read(), not the map, so that sections PageRank never touches are not
    // faulted into the process's memory.
    let mut hasher = Xxh3::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let k = file.read(&mut buf).map_err(|e| e.to_string())?;
        if k == 0 {
            break;
        }
        hasher.update(&buf[..k]);
    }
    if hasher.digest() != expected {
        return Err("checksum mismatch (the file is damaged)".into());
    }
    Ok(())
}

/// Cuts the mapped file into the graph's arrays; `None` if the sizes disagree.
fn layout(map: Arc<Mmap>, n: usize, m: usize, flags: u32) -> Option<Graph> {
    let weighted = flags & F_WEIGHTED != 0;
    let mut at = HEADER;
    let mut take = |bytes: usize| -> Option<usize> {
        let start = at;
        at = at.checked_add(bytes.checked_next_multiple_of(8)?)?;
        (at <= map.len()).then_some(start)
    };
    let adjacency = |take: &mut dyn FnMut(usize) -> Option<usize>| -> Option<Adjacency> {
        let o = take(n.checked_add(1)?.checked_mul(8)?)?;
        let t = take(m.checked_mul(4)?)?;
        let w = if weighted {
            Some(take(m.checked_mul(8)?)?)
        } else {
            None
        };
        Some(Adjacency {
            offsets: Buf::mapped(map.clone(), o, n + 1),
            targets: Buf::mapped(map.clone(), t, m),
            weights: w.map(|w| Buf::mapped(map.clone(), w, m)),
        })
    };
    let out = adjacency(&mut take)?;
    let inc = adjacency(&mut take)?;
    let ids = if flags & F_TEXT_IDS == 0 {
        let s = take(n.checked_mul(8)?)?;
        IdMap::Numeric(bytemuck::cast_slice(&map[s..s + n * 8]).to_vec())
    } else {
        let s = take(n.checked_add(1)?.checked_mul(8)?)?;
        let offs: &[u64] = bytemuck::cast_slice(&map[s..s + (n + 1) * 8]);
        let total = *offs.last()? as usize;
        let b = take(total)?;
        let bytes = &map[b..b + total];
        let mut names = Vec::with_capacity(n);
        for w in offs.windows(2) {
            let s = std::str::from_utf8(bytes.get(w[0] as usize..w[1] as usize)?).ok()?;
            names.push(s.into());
        }
        IdMap::Text(names)
    };
    if at != map.len() || !offsets_valid(out.offsets(), m) || !offsets_valid(inc.offsets(), m) {
        return None;
    }
    // The PageRank kernel reads in-edge targets without bounds checks: every one must be a node.
    if !targets_valid(inc.targets(), n) {
        return None;
    }
    Some(Graph {
        ids,
        out,
        inc,
        undirected: flags & F_UNDIRECTED != 0,
    })
}

fn targets_valid(t: &[u32], n: usize) -> bool {
    use rayon::prelude::*;
    t.par_chunks(1 << 16)
        .all(|c| c.iter().all(|&v| (v as usize) < n))
}

fn offsets_valid(o: &[u64], m: usize) -> bool {
    o.first() == Some(&0) && o.last() == Some(&(m as u64)) && o.windows(2).all(|w| w[0] <= w[1])
}
