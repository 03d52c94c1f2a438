//! Reads edge lists (follows, or any directed graph) into dense `(src, dst[, weight])` arrays.
//!
//! Accepted: one edge per line, `src dst [weight]`, separated by spaces or tabs, optionally
//! followed by a networkx data dict (`nx_dict`); `#` and `%` comment lines; blank lines; LF,
//! CRLF and `\r\r\n` line ends; CSV separated by `,` `;` or `|` with a header row naming the
//! columns; and the graph formats that declare their nodes, told apart by content: GraphML,
//! GML and Pajek (`declared` and one module each). Compression is handled by [`Source`].
//! Whitespace files are parsed in parallel chunks; ids are interned in file order so the
//! numbering never depends on the thread count.

mod declared;
mod format;
mod gml;
mod graphml;
mod header;
mod nx_dict;
mod pajek;

use std::path::Path;

use super::degrees::DegreeCounts;
use super::ids::{parse_canonical_u64, IdMap, Node, TextInterner, MAX_NODES};
use super::numeric::{intern_sorted, parse_chunks, NumId};
use super::skips::{SkipKind, Skips};
use super::source::{Flow, Source};
use crate::error::{Error, Result};
use format::Format;

/// How to read an edge list.
#[derive(Debug, Clone, Copy, Default)]
pub struct EdgeListOptions {
    /// Read the third column as the edge weight (a missing weight is 1).
    pub weighted: bool,
    /// Skip malformed records (counted by kind) instead of failing on the first.
    pub lenient: bool,
}

/// Edges as read, before any graph logic (duplicates and self-loops are still there).
#[derive(Debug, Clone)]
pub struct EdgeList {
    pub ids: IdMap,
    pub src: Vec<Node>,
    pub dst: Vec<Node>,
    /// One weight per edge when read weighted.
    pub weights: Option<Vec<f64>>,
    /// Records skipped in lenient mode.
    pub skips: Skips,
    /// Nodes are already numbered by descending out-degree (the dense numeric path does this
    /// while interning, so the builder need not renumber).
    pub degree_ordered: bool,
    /// The file says its graph is undirected (GraphML `edgedefault="undirected"`, GML without
    /// `directed 1`, Pajek with `*Edges` only): the builder then reads every edge both ways.
    pub undirected: bool,
}

impl EdgeList {
    /// Number of edges read.
    pub fn len(&self) -> usize {
        self.src.len()
    }

    /// Whether no edge was read.
    pub fn is_empty(&self) -> bool {
        self.src.is_empty()
    }
}

/// Reads the edge list at `path` (plain, gzip or zstd).
pub fn read_edge_list(path: &Path, opts: EdgeListOptions) -> Result<EdgeList> {
    let source = Source::open(path)?;
    parse_edge_list(&source, opts)
}

/// Parses an edge list from an opened source (streamed block by block when compressed).
pub fn parse_edge_list(source: &Source, opts: EdgeListOptions) -> Result<EdgeList> {
    let head = source.head(1 << 16)?;
    let list = match format::detect(&head, source.path()) {
        Format::GraphMl => graphml::parse(source, opts)?,
        Format::Gml => gml::parse(source, opts)?,
        Format::Pajek => pajek::parse(source, opts)?,
        Format::Csv(delimiter) => parse_csv(source, opts, delimiter)?,
        Format::Whitespace => {
            let header = header::detect(&head);
            let mut list = parse_whitespace(source, opts, header.as_ref())?;
            if let Some(h) = &header {
                h.check_not_repeated(source, &list.ids)?;
                list.skips.add(SkipKind::Header, h.line);
            }
            list
        }
    };
    if list.is_empty() {
        return Err(Error::Empty {
            path: source.path().to_path_buf(),
            what: format!("no edges found{}", list.skips.summary_suffix()),
        });
    }
    Ok(list)
}

/// Whether `head` (the start of a file) is a whitespace edge list (`src dst [weight]` lines),
/// and where its edges start: past a header line such as `source target`, if it has one.
pub(crate) fn whitespace_start(head: &[u8], path: &Path) -> Option<(usize, u64)> {
    match format::detect(head, path) {
        Format::Whitespace => Some(header::detect(head).map_or((0, 0), |h| (h.end, h.line))),
        _ => None,
    }
}

fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    body.split(|&c| c == b'\n')
}

#[inline]
pub(crate) fn trim(line: &[u8]) -> &[u8] {
    let mut l = line;
    while let [rest @ .., b'\r' | b' ' | b'\t'] = l {
        l = rest;
    }
    while let [b' ' | b'\t', rest @ ..] = l {
        l = rest;
    }
    l
}

#[inline]
pub(crate) fn is_skippable(line: &[u8]) -> bool {
    matches!(line.first(), None | Some(b'#') | Some(b'%'))
}

/// Parses a weight: finite and non-negative.
pub(crate) fn parse_weight(tok: &[u8]) -> Option<f64> {
    let w: f64 = std::str::from_utf8(tok).ok()?.parse().ok()?;
    (w.is_finite() && w >= 0.0).then_some(w)
}

/// Why a weight field was refused.
pub(super) fn bad_weight(tok: &[u8]) -> String {
    format!(
        "weight `{}` is not a finite number ≥ 0",
        String::from_utf8_lossy(tok)
    )
}

/// One malformed record: the 1-based line inside its chunk and what was wrong.
pub(super) struct Bad {
    pub line: u64,
    pub reason: String,
}

/// What walking one chunk produced besides its edges.
#[derive(Default)]
pub(super) struct Walk {
    pub lines: u64,
    pub skips: Skips,
    pub error: Option<Bad>,
    /// The emitter refused a token (a non-numeric id in the numeric pass).
    pub aborted: bool,
}

/// Walks the records of one chunk, handing `(src, dst, weight)` tokens to `emit`.
fn walk_chunk<'a>(
    chunk: &'a [u8],
    opts: EdgeListOptions,
    mut emit: impl FnMut(&'a [u8], &'a [u8], f64) -> bool,
) -> Walk {
    let mut walk = Walk::default();
    for raw in lines(chunk) {
        walk.lines += 1;
        let line = trim(raw);
        if is_skippable(line) {
            continue;
        }
        match split_record(line, opts.weighted) {
            Ok((a, b, w)) => {
                if !emit(a, b, w) {
                    walk.aborted = true;
                    return walk;
                }
            }
            Err((kind, reason)) => {
                if opts.lenient {
                    walk.skips.add(kind, walk.lines);
                } else {
                    walk.error = Some(Bad {
                        line: walk.lines,
                        reason,
                    });
                    return walk;
                }
            }
        }
    }
    walk
}

pub(crate) type Record<'a> = (&'a [u8], &'a [u8], f64);

#[inline]
pub(crate) fn split_record(
    line: &[u8],
    weighted: bool,
) -> std::result::Result<Record<'_>, (SkipKind, String)> {
    if let Some((a, b, dict)) = nx_dict::split(line) {
        return Ok((a, b, nx_dict::weight(dict, weighted)?));
    }
    let mut fields = line
        .split(|&c| c == b' ' || c == b'\t')
        .filter(|f| !f.is_empty());
    let a = fields.next().unwrap_or_default();
    let Some(b) = fields.next() else {
        return Err((
            SkipKind::TooFewFields,
            "expected `src dst [weight]`, found one field".into(),
        ));
    };
    let third = fields.next();
    if fields.next().is_some() {
        let n = line
            .split(|&c| c == b' ' || c == b'\t')
            .filter(|f| !f.is_empty())
            .count();
        return Err((
            SkipKind::TooManyFields,
            format!("expected `src dst [weight]`, found {n} fields"),
        ));
    }
    let w = match (weighted, third) {
        (true, Some(t)) => parse_weight(t).ok_or_else(|| (SkipKind::BadWeight, bad_weight(t)))?,
        _ => 1.0,
    };
    Ok((a, b, w))
}

/// Splits `bytes` into about `parts` pieces that end just after a newline.
pub(super) fn chunk_bounds(bytes: &[u8], parts: usize) -> Vec<&[u8]> {
    let target = (bytes.len() / parts.max(1)).max(1 << 16);
    let mut out = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let mut end = (start + target).min(bytes.len());
        if end < bytes.len() {
            end = match memchr::memchr(b'\n', &bytes[end..]) {
                Some(i) => end + i + 1,
                None => bytes.len(),
            };
        }
        out.push(&bytes[start..end]);
        start = end;
    }
    out
}

fn parse_whitespace(
    source: &Source,
    opts: EdgeListOptions,
    header: Option<&header::Header>,
) -> Result<EdgeList> {
    let skip = header.map_or(Skip::default(), |h| Skip {
        bytes: h.end,
        lines: h.line,
    });
    match parse_numeric::<u32>(source, opts, skip)? {
        Numeric::Done(list) => Ok(list),
        Numeric::Wide => match parse_numeric::<u64>(source, opts, skip)? {
            Numeric::Done(list) => Ok(list),
            Numeric::Wide | Numeric::Text => parse_whitespace_text(source, opts, skip),
        },
        Numeric::Text => parse_whitespace_text(source, opts, skip),
    }
}

/// The start of a file left out of the edges (a header line): its bytes and lines.
#[derive(Debug, Clone, Copy, Default)]
struct Skip {
    bytes: usize,
    lines: u64,
}

impl Skip {
    /// `f` over the blocks of `source`, the first without the skipped bytes.
    fn blocks(self, source: &Source, mut f: impl FnMut(&[u8]) -> Result<Flow>) -> Result<()> {
        let mut first = true;
        source.blocks(|block| {
            let block = if std::mem::take(&mut first) {
                &block[self.bytes.min(block.len())..]
            } else {
                block
            };
            f(block)
        })
    }
}

/// Small chunks of a block, to parse in parallel: the file pages of the chunks in flight are
/// part of the peak memory.
fn block_chunks(block: &[u8]) -> Vec<&[u8]> {
    chunk_bounds(block, rayon::current_num_threads() * 128)
}

enum Numeric {
    Done(EdgeList),
    /// An id needs a wider integer.
    Wide,
    /// An id is not a canonical decimal.
    Text,
}

fn parse_numeric<T: NumId>(source: &Source, opts: EdgeListOptions, skip: Skip) -> Result<Numeric> {
    // Counted while parsing for ids below a quarter of the file size (so at most the file's
    // size per worker) and 2^26; larger dense ids are counted after parsing instead.
    let cap = (source.stored_len() / 4 + 1025).min(1 << 26);
    let degrees = DegreeCounts::new(cap);
    let (mut parsed, mut src, mut dst) = (Vec::new(), Vec::<T>::new(), Vec::<T>::new());
    skip.blocks(source, |block| {
        let (p, s, d) = parse_chunks::<T>(source, &block_chunks(block), opts, &degrees);
        let stop = p
            .iter()
            .any(|c| c.walk.aborted || c.wide || c.walk.error.is_some());
        parsed.extend(p);
        if src.is_empty() {
            (src, dst) = (s, d);
        } else {
            src.extend_from_slice(&s);
            dst.extend_from_slice(&d);
        }
        Ok(if stop {
            Flow::Break(())
        } else {
            Flow::Continue(())
        })
    })?;
    // The first chunk that stopped decides: an error before a non-numeric id is still an error.
    if let Some(c) = parsed
        .iter()
        .find(|c| c.walk.aborted || c.wide || c.walk.error.is_some())
    {
        if c.walk.aborted {
            return Ok(Numeric::Text);
        }
        if c.wide {
            return Ok(Numeric::Wide);
        }
    }
    let walks: Vec<&Walk> = parsed.iter().map(|c| &c.walk).collect();
    let skips = check_walks(source.path(), &walks, skip.lines)?;
    let weights = opts.weighted.then(|| {
        parsed
            .iter()
            .flat_map(|c| c.weights.iter().copied())
            .collect()
    });
    let max = parsed.iter().map(|c| c.max).max().unwrap_or(0);
    let (ids, src, dst, degree_ordered) =
        intern_sorted(src, dst, max, degrees).ok_or_else(|| too_many_nodes(source.path()))?;
    Ok(Numeric::Done(EdgeList {
        degree_ordered,
        undirected: false,
        ids,
        src,
        dst,
        weights,
        skips,
    }))
}

/// Fails on the first chunk error (with its file-wide line number), else merges skip counts.
fn check_walks(path: &Path, walks: &[&Walk], skipped_lines: u64) -> Result<Skips> {
    let mut before = skipped_lines;
    let mut skips = Skips::default();
    for w in walks {
        if let Some(bad) = &w.error {
            return Err(Error::parse(path, before + bad.line, bad.reason.clone()));
        }
        skips.merge_offset(&w.skips, before);
        before += w.lines;
    }
    Ok(skips)
}

fn too_many_nodes(path: &Path) -> Error {
    Error::TooLarge {
        path: path.to_path_buf(),
        what: "distinct node ids",
        limit: MAX_NODES,
    }
}

/// The textual pass: any id that is not a canonical unsigned decimal. Sequential: such files
/// are handle-based exports, small next to numeric SNAP-style graphs. Ids are interned as they
/// are read, so only the edges stay in memory, not the text.
fn parse_whitespace_text(source: &Source, opts: EdgeListOptions, skip: Skip) -> Result<EdgeList> {
    let mut walks: Vec<Walk> = Vec::new();
    let mut edges = TextEdges::new(opts);
    let mut full = false;
    skip.blocks(source, |block| {
        for chunk in block_chunks(block) {
            let walk = walk_chunk(chunk, opts, |a, b, w| {
                match (std::str::from_utf8(a), std::str::from_utf8(b)) {
                    (Ok(a), Ok(b)) => {
                        full |= !edges.push(a, b, w);
                        !full
                    }
                    _ => false,
                }
            });
            let stop = walk.aborted || walk.error.is_some();
            walks.push(walk);
            if stop {
                return Ok(Flow::Break(()));
            }
        }
        Ok(Flow::Continue(()))
    })?;
    if full {
        return Err(too_many_nodes(source.path()));
    }
    if let Some(last) = walks.last_mut().filter(|w| w.aborted) {
        last.error = Some(Bad {
            line: last.lines,
            reason: "id is not valid UTF-8".into(),
        });
    }
    let walk_refs: Vec<&Walk> = walks.iter().collect();
    let skips = check_walks(source.path(), &walk_refs, skip.lines)?;
    Ok(edges.finish(skips))
}

/// Edges between textual ids, interned as they come.
struct TextEdges {
    interner: TextInterner,
    src: Vec<Node>,
    dst: Vec<Node>,
    weights: Option<Vec<f64>>,
}

impl TextEdges {
    fn new(opts: EdgeListOptions) -> TextEdges {
        TextEdges {
            interner: TextInterner::default(),
            src: Vec::new(),
            dst: Vec::new(),
            weights: opts.weighted.then(Vec::new),
        }
    }

    /// Adds one edge; `false` when there is no room for another node.
    fn push(&mut self, a: &str, b: &str, w: f64) -> bool {
        let (Some(a), Some(b)) = (self.interner.intern(a), self.interner.intern(b)) else {
            return false;
        };
        self.push_nodes(a, b, w);
        true
    }

    /// Adds one edge between nodes already interned.
    fn push_nodes(&mut self, a: Node, b: Node, w: f64) {
        self.src.push(a);
        self.dst.push(b);
        if let Some(ws) = self.weights.as_mut() {
            ws.push(w);
        }
    }

    fn finish(self, skips: Skips) -> EdgeList {
        EdgeList {
            degree_ordered: false,
            undirected: false,
            ids: renumber_if_numeric(self.interner.finish()),
            src: self.src,
            dst: self.dst,
            weights: self.weights,
            skips,
        }
    }
}

/// A textual map whose ids are all canonical decimals is stored as numbers.
pub(super) fn renumber_if_numeric(ids: IdMap) -> IdMap {
    if let IdMap::Text(names) = &ids {
        let nums: Option<Vec<u64>> = names
            .iter()
            .map(|s| parse_canonical_u64(s.as_bytes()))
            .collect();
        if let Some(nums) = nums {
            return IdMap::Numeric(nums);
        }
    }
    ids
}

/// Column names recognised in a CSV header, in order of preference.
pub(super) const SRC_NAMES: &[&str] = &["follower", "source", "src", "from", "actor", "u"];
pub(super) const DST_NAMES: &[&str] = &["followee", "target", "dst", "to", "v"];
const WEIGHT_NAMES: &[&str] = &["weight", "w", "count"];

pub(crate) fn find_column(header: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| header.iter().position(|h| h.trim().eq_ignore_ascii_case(n)))
}

/// A streamed CSV reader of `source`: a header row, `#` comments, fields trimmed, rows of any
/// length.
pub(crate) fn csv_reader(source: &Source) -> Result<csv::Reader<Box<dyn std::io::Read + '_>>> {
    csv_reader_with(source, b',')
}

/// [`csv_reader`] with fields separated by `delimiter`.
fn csv_reader_with(
    source: &Source,
    delimiter: u8,
) -> Result<csv::Reader<Box<dyn std::io::Read + '_>>> {
    Ok(csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .comment(Some(b'#'))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(source.reader()?))
}

/// Reads a CSV edge list whose fields are separated by `delimiter` (`,` `;` or `|`).
fn parse_csv(source: &Source, opts: EdgeListOptions, delimiter: u8) -> Result<EdgeList> {
    let path = source.path();
    let mut reader = csv_reader_with(source, delimiter)?;
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(csv_error(path, 1, "bad CSV header", e)),
    };
    let header_line = header.position().map_or(1, |p| p.line());
    refuse_node_list(path, &header, header_line)?;
    let s = find_column(&header, SRC_NAMES).unwrap_or(0);
    let d = find_column(&header, DST_NAMES).unwrap_or(1);
    let wcol = find_column(&header, WEIGHT_NAMES).or((header.len() > 2).then_some(2));
    let mut skips = Skips::default();
    let mut edges = TextEdges::new(opts);
    // A first row of numbers is an edge, not a header.
    if header.iter().all(|f| f.parse::<f64>().is_ok()) {
        let first = Ok(header.clone());
        match csv_record(first, s, d, wcol, opts) {
            Ok((a, b, w)) => {
                edges.push(&a, &b, w);
            }
            Err((_, _, reason)) => return Err(Error::parse(path, header_line, reason)),
        }
    }
    for rec in reader.records() {
        let rec = match rec {
            Err(e) if e.is_io_error() => return Err(csv_error(path, 0, "", e)),
            Ok(r) if r == header && header.iter().any(|f| f.parse::<f64>().is_err()) => {
                let line = r.position().map_or(0, |p| p.line());
                let sep = char::from(delimiter).to_string();
                let text = header.iter().collect::<Vec<_>>().join(&sep);
                return Err(header::repeated(path, line, &text, header_line));
            }
            rec => rec,
        };
        match csv_record(rec, s, d, wcol, opts) {
            Ok((a, b, w)) => {
                if !edges.push(&a, &b, w) {
                    return Err(too_many_nodes(path));
                }
            }
            Err((line, kind, _)) if opts.lenient => skips.add(kind, line),
            Err((line, _, reason)) => return Err(Error::parse(path, line, reason)),
        }
    }
    Ok(edges.finish(skips))
}

/// Refuses a CSV whose header says it lists nodes (`Id,Label`, as Gephi exports them), not
/// edges: read as edges, every node would become an edge to its label.
fn refuse_node_list(path: &Path, header: &csv::StringRecord, line: u64) -> Result<()> {
    let has = |names: &[&str]| find_column(header, names).is_some();
    let edges = has(SRC_NAMES) || has(DST_NAMES);
    if edges || !has(&["id", "node", "name"]) || !has(&["label", "name", "title"]) {
        return Ok(());
    }
    let columns = header.iter().collect::<Vec<_>>().join(",");
    Err(Error::parse(
        path,
        line,
        format!(
            "the header `{columns}` is a node list (an id and a label per row), not edges: \
             give the edges file (`Source,Target`, or `src dst` per line)"
        ),
    ))
}

/// A CSV error: the decoder's own (a bomb, a corrupt stream), else a parse error at `line`.
pub(crate) fn csv_error(path: &Path, line: u64, what: &str, e: csv::Error) -> Error {
    let msg = format!("{what}: {e}");
    match e.into_kind() {
        csv::ErrorKind::Io(io) => super::decode::unwrap_io(path, io),
        _ => Error::parse(path, line, msg),
    }
}

type CsvBad = (u64, SkipKind, String);

fn csv_record(
    rec: std::result::Result<csv::StringRecord, csv::Error>,
    s: usize,
    d: usize,
    wcol: Option<usize>,
    opts: EdgeListOptions,
) -> std::result::Result<(String, String, f64), CsvBad> {
    let rec = rec.map_err(|e| {
        let line = e.position().map_or(0, |p| p.line());
        (line, SkipKind::BadCsv, format!("bad CSV record: {e}"))
    })?;
    let line = rec.position().map_or(0, |p| p.line());
    let (Some(a), Some(b)) = (rec.get(s), rec.get(d)) else {
        return Err((
            line,
            SkipKind::TooFewFields,
            format!(
                "expected at least {} columns, found {}",
                s.max(d) + 1,
                rec.len()
            ),
        ));
    };
    if a.is_empty() || b.is_empty() {
        return Err((
            line,
            SkipKind::TooFewFields,
            "empty source or target id".into(),
        ));
    }
    let w = match (opts.weighted, wcol.and_then(|c| rec.get(c))) {
        (true, Some(t)) if !t.is_empty() => parse_weight(t.as_bytes())
            .ok_or_else(|| (line, SkipKind::BadWeight, bad_weight(t.as_bytes())))?,
        _ => 1.0,
    };
    Ok((a.to_string(), b.to_string(), w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, opts: EdgeListOptions) -> Result<EdgeList> {
        parse_edge_list(&Source::from_bytes("t.txt", text.as_bytes().to_vec()), opts)
    }

    fn names(l: &EdgeList) -> Vec<(String, String)> {
        l.src
            .iter()
            .zip(&l.dst)
            .map(|(&a, &b)| (l.ids.name(a).to_string(), l.ids.name(b).to_string()))
            .collect()
    }

    #[test]
    fn quirks_of_real_files() {
        let text = "# comment\r\n1\t2\r\r\n\r\n  2 3  \r\n% also a comment\n3 1";
        let l = parse(text, EdgeListOptions::default()).unwrap();
        assert_eq!(
            names(&l),
            vec![
                ("1".into(), "2".into()),
                ("2".into(), "3".into()),
                ("3".into(), "1".into())
            ]
        );
        assert!(matches!(l.ids, IdMap::Numeric(_)));
    }

    #[test]
    fn ids_beyond_i64_negative_and_handles() {
        let text = "18446744073709551615 -3484984757207668258\n@alice 007\n";
        let l = parse(text, EdgeListOptions::default()).unwrap();
        assert_eq!(
            names(&l),
            vec![
                ("18446744073709551615".into(), "-3484984757207668258".into()),
                ("@alice".into(), "007".into())
            ]
        );
        assert!(matches!(l.ids, IdMap::Text(_)));
    }

    #[test]
    fn weights_and_errors_name_the_line() {
        let w = EdgeListOptions {
            weighted: true,
            lenient: false,
        };
        let l = parse("a b 2.5\nb c\n", w).unwrap();
        assert_eq!(l.weights.as_deref(), Some(&[2.5, 1.0][..]));
        let err = parse("1 2\n# c\n2 3 -1\n", w).unwrap_err().to_string();
        assert!(err.contains("t.txt:3") && err.contains("weight"), "{err}");
        let err = parse("1 2\n7\n", w).unwrap_err().to_string();
        assert!(err.contains("t.txt:2"), "{err}");
        let err = parse("1 2 3 4\n", w).unwrap_err().to_string();
        assert!(err.contains("4 fields"), "{err}");
        let err = parse("# only comments\n\n", w).unwrap_err().to_string();
        assert!(err.contains("no edges"), "{err}");
    }

    #[test]
    fn lenient_counts_skips_by_kind() {
        let opts = EdgeListOptions {
            weighted: true,
            lenient: true,
        };
        let l = parse("1 2\n3\n4 5 x\n6 7 8 9\n10 11 NaN\n", opts).unwrap();
        assert_eq!(l.len(), 1);
        assert_eq!(l.skips.count(SkipKind::TooFewFields), 1);
        assert_eq!(l.skips.count(SkipKind::BadWeight), 2);
        assert_eq!(l.skips.count(SkipKind::TooManyFields), 1);
        assert_eq!(l.skips.total(), 4);
    }

    #[test]
    fn line_numbers_survive_chunking() {
        let mut text = String::new();
        for i in 0..100_000 {
            text.push_str(&format!("{i} {}\n", i + 1));
        }
        text.push_str("oops\n");
        let err = parse(&text, EdgeListOptions::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("t.txt:100001"), "{err}");
    }

    #[test]
    fn csv_with_header_picks_columns_by_name() {
        let text = "weight,followee,follower\n3,b,a\n1.5,\"c\",b\n";
        let l = parse(
            text,
            EdgeListOptions {
                weighted: true,
                lenient: false,
            },
        )
        .unwrap();
        assert_eq!(
            names(&l),
            vec![("a".into(), "b".into()), ("b".into(), "c".into())]
        );
        assert_eq!(l.weights.as_deref(), Some(&[3.0, 1.5][..]));
        let err = parse(
            "src,dst,weight\n1,2,abc\n",
            EdgeListOptions {
                weighted: true,
                lenient: false,
            },
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("t.txt:2"), "{err}");
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    /// A header line without `#` over numeric ids is left out and said (counted as a header),
    /// with the later lines' numbers intact; plain and compressed alike.
    #[test]
    fn a_header_line_without_hash_is_left_out_and_said() {
        let text = "source target\n1 2\n2 3\n3 x y z\n";
        let err = parse(text, EdgeListOptions::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("t.txt:4"), "{err}");
        let text = "source target\n1 2\n2 3\n";
        let l = parse(text, EdgeListOptions::default()).unwrap();
        assert_eq!(names(&l), pairs(&[("1", "2"), ("2", "3")]));
        assert_eq!((l.skips.count(SkipKind::Header), l.skips.total()), (1, 1));
        let packed = zstd::encode_all(text.as_bytes(), 3).unwrap();
        let z = parse_edge_list(
            &Source::from_bytes("t.zst", packed),
            EdgeListOptions::default(),
        )
        .unwrap();
        assert_eq!(names(&z), names(&l));
        let l = parse("from to\nalice bob\n", EdgeListOptions::default()).unwrap();
        assert_eq!(names(&l), pairs(&[("alice", "bob")]));
    }

    /// Two files concatenated: the header again is an error naming its line, in whitespace
    /// and CSV files.
    #[test]
    fn a_repeated_header_row_is_an_error_naming_its_line() {
        let err = parse(
            "source target\n1 2\nsource target\n3 4\n",
            EdgeListOptions::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("t.txt:3") && err.contains("appears again"),
            "{err}"
        );
        let err = parse(
            "Source,Target\na,b\nSource,Target\nc,d\n",
            EdgeListOptions::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("t.txt:3") && err.contains("appears again"),
            "{err}"
        );
    }

    /// `;` and `|` separate the fields of a CSV as `,` does: the header names the columns.
    #[test]
    fn csv_with_semicolons_or_pipes() {
        let w = EdgeListOptions {
            weighted: true,
            lenient: false,
        };
        for text in [
            "target;source;weight\nb;a;3\nc;\"b;x\";1.5\n",
            "target|source|weight\nb|a|3\nc|b;x|1.5\n",
        ] {
            let l = parse(text, w).unwrap();
            assert_eq!(names(&l), pairs(&[("a", "b"), ("b;x", "c")]), "{text}");
            assert_eq!(l.weights.as_deref(), Some(&[3.0, 1.5][..]));
        }
        let err = parse("src;dst;weight\n1;2;abc\n", w)
            .unwrap_err()
            .to_string();
        assert!(err.contains("t.txt:2") && err.contains("abc"), "{err}");
        let err = parse("a|b\n1|2\na|b\n", w).unwrap_err().to_string();
        assert!(err.contains("t.txt:3") && err.contains("`a|b`"), "{err}");
        assert_eq!(format::csv_delimiter(b"a;b;1,5\n"), Some(b';'));
        assert_eq!(format::csv_delimiter(b"a,\"x;y;z\"\n"), Some(b','));
        assert_eq!(format::csv_delimiter(b"# c\na|b,c\n"), Some(b','));
        assert_eq!(format::csv_delimiter(b"a b\n"), None);
        let err = parse("src;dst;w\na;b;1,5\n", w).unwrap_err().to_string();
        assert!(err.contains("t.txt:2") && err.contains("`1,5`"), "{err}");
    }

    /// networkx's `write_edgelist` default: a data dict after the ids, whose `weight` is the
    /// weight (1 without one), in numeric and textual files, bad dicts named by line.
    #[test]
    fn networkx_edge_lists_with_data_dicts() {
        let w = EdgeListOptions {
            weighted: true,
            lenient: false,
        };
        let l = parse("1 2 {'weight': 3, 'c': 'x, y'}\n2 3 {}\n", w).unwrap();
        assert_eq!(names(&l), pairs(&[("1", "2"), ("2", "3")]));
        assert_eq!(l.weights.as_deref(), Some(&[3.0, 1.0][..]));
        let l = parse("a b {'weight': 0.5}\nb c {}\n", w).unwrap();
        assert_eq!(names(&l), pairs(&[("a", "b"), ("b", "c")]));
        assert_eq!(l.weights.as_deref(), Some(&[0.5, 1.0][..]));
        let err = parse("1 2 {}\n2 3 {'weight': 3\n", w)
            .unwrap_err()
            .to_string();
        assert!(err.contains("t.txt:2") && err.contains("dict"), "{err}");
        let err = parse("a b {}\nb c {'weight': -1}\n", w)
            .unwrap_err()
            .to_string();
        assert!(err.contains("t.txt:2") && err.contains("weight"), "{err}");
        let lenient = EdgeListOptions {
            weighted: true,
            lenient: true,
        };
        let l = parse("1 2 {}\n2 3 {'weight': 3\n3 4 {'weight': 'x'}\n", lenient).unwrap();
        assert_eq!(l.len(), 1);
        assert_eq!(l.skips.count(SkipKind::BadAttributes), 1);
        assert_eq!(l.skips.count(SkipKind::BadWeight), 1);
    }

    /// A node list (`Id,Label`) is refused, saying what it looks like; a CSV whose first row
    /// is numbers has no header, and that row is an edge.
    #[test]
    fn node_lists_are_refused_and_numeric_first_rows_are_edges() {
        let err = parse("Id,Label\n1,alice\n2,bob\n", EdgeListOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("t.txt:1") && err.contains("node list"),
            "{err}"
        );
        let l = parse("1,2\n2,3\n", EdgeListOptions::default()).unwrap();
        assert_eq!(names(&l), pairs(&[("1", "2"), ("2", "3")]));
    }
}
