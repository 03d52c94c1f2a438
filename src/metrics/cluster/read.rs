//! Reading one worker's share of an edge list: worker `w` of `p` parses the lines that start in
//! the byte range `[len·w/p, len·(w+1)/p)` of a plain file (each range moved to the next line
//! start, so that every line is read by exactly one worker, and only its pages are touched). A
//! compressed file cannot be entered in the middle: every worker decompresses the stream and
//! parses the lines `i` with `i mod p = w`. Ids are interned locally ([`Tokens`]); self-loops are
//! dropped here unless kept, like the single-machine builder does.

use std::path::PathBuf;

use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64;

use super::ClusterError;
use crate::error::{Error, Result};
use crate::ingest::edges::{is_skippable, split_record, trim, whitespace_start};
use crate::ingest::ids::parse_canonical_u64;
use crate::ingest::source::{Compression, Flow, Source};

/// How the edge list is read; the graph options of the single-machine command.
#[derive(Debug, Clone)]
pub struct Input {
    pub path: PathBuf,
    pub weighted: bool,
    pub lenient: bool,
    pub keep_self_loops: bool,
    pub undirected: bool,
}

/// The distinct ids one worker read, in first-seen order, with their hashes.
#[derive(Debug, Default)]
pub(super) struct Tokens {
    pub bytes: Vec<u8>,
    pub ends: Vec<u64>,
    pub hashes: Vec<u64>,
    map: FxHashMap<u64, u32>,
    /// Ids whose 64-bit hash another id already has (expected never; handled all the same).
    collided: FxHashMap<Box<[u8]>, u32>,
    /// Ids written as canonical numbers, by value: one look-up and no byte comparison (a
    /// canonical number has one spelling, so equal values are equal ids).
    numbers: FxHashMap<u64, u32>,
}

impl Tokens {
    /// The `i`-th id.
    pub fn name(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    /// Number of distinct ids.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The local number of `tok`, added if new.
    fn intern(&mut self, tok: &[u8]) -> u32 {
        if let Some(x) = parse_canonical_u64(tok) {
            if let Some(&i) = self.numbers.get(&x) {
                return i;
            }
            let i = self.push(tok, xxh3_64(tok));
            self.numbers.insert(x, i);
            return i;
        }
        let h = xxh3_64(tok);
        if let Some(&i) = self.map.get(&h) {
            if self.name(i as usize) == tok {
                return i;
            }
            if let Some(&j) = self.collided.get(tok) {
                return j;
            }
            let j = self.push(tok, h);
            self.collided.insert(tok.into(), j);
            return j;
        }
        let i = self.push(tok, h);
        self.map.insert(h, i);
        i
    }

    fn push(&mut self, tok: &[u8], h: u64) -> u32 {
        self.bytes.extend_from_slice(tok);
        self.ends.push(self.bytes.len() as u64);
        self.hashes.push(h);
        (self.ends.len() - 1) as u32
    }
}

/// One worker's share: its ids, and its edges in local numbers.
#[derive(Debug, Default)]
pub(super) struct Share {
    pub tokens: Tokens,
    pub src: Vec<u32>,
    pub dst: Vec<u32>,
    pub weights: Option<Vec<f64>>,
    /// Edge records read (self-loops included).
    pub records: u64,
    /// Malformed records skipped (lenient).
    pub skipped: u64,
}

impl Share {
    fn push(&mut self, input: &Input, (a, b, w): (&[u8], &[u8], f64)) {
        self.records += 1;
        if a == b && !input.keep_self_loops {
            return;
        }
        let (s, d) = (self.tokens.intern(a), self.tokens.intern(b));
        self.src.push(s);
        self.dst.push(d);
        if let Some(ws) = self.weights.as_mut() {
            ws.push(w);
        }
    }
}

/// Reads worker `part`'s share of `parts`.
pub(super) fn read_share(input: &Input, part: usize, parts: usize) -> Result<Share> {
    let source = Source::open(&input.path)?;
    let head = source.head(1 << 16)?;
    let Some((skip_bytes, skip_lines)) = whitespace_start(&head, &input.path) else {
        return Err(ClusterError::Input {
            path: input.path.clone(),
            reason: "the cluster mode reads `src dst [weight]` edge lists only (not CSV, GraphML, GML or Pajek)".into(),
        }
        .into());
    };
    let mut share = Share {
        weights: input.weighted.then(Vec::new),
        ..Share::default()
    };
    if source.compression() == Compression::None {
        source.blocks(|all| {
            let range = byte_range(all, skip_bytes, part, parts);
            read_range(input, all, range, &mut share)?;
            Ok(Flow::Break(()))
        })?;
    } else {
        source.lines(|n, line| {
            if n > skip_lines && (n - 1) % parts as u64 == part as u64 {
                read_line(input, line, n, &mut share)?;
            }
            Ok(Flow::Continue(()))
        })?;
    }
    Ok(share)
}

/// The lines of `all` that start in this part's slice, moved to line starts.
fn byte_range(all: &[u8], skip: usize, part: usize, parts: usize) -> std::ops::Range<usize> {
    let len = all.len();
    let align = |at: usize| -> usize {
        let at = at.max(skip).min(len);
        if at == skip || at == len || all[at - 1] == b'\n' {
            return at;
        }
        memchr::memchr(b'\n', &all[at..]).map_or(len, |i| at + i + 1)
    };
    let cut = |k: usize| (len as u128 * k as u128 / parts as u128) as usize;
    align(cut(part))..align(cut(part + 1))
}

fn read_range(
    input: &Input,
    all: &[u8],
    range: std::ops::Range<usize>,
    share: &mut Share,
) -> Result<()> {
    let mut at = range.start;
    for raw in all[range.clone()].split_inclusive(|&c| c == b'\n') {
        let start = at;
        at += raw.len();
        let line = raw.strip_suffix(b"\n").unwrap_or(raw);
        // Line numbers are counted only for an error message.
        let number = || memchr::memchr_iter(b'\n', &all[..start]).count() as u64 + 1;
        read_record(input, line, number, share)?;
    }
    Ok(())
}

fn read_line(input: &Input, line: &[u8], n: u64, share: &mut Share) -> Result<()> {
    read_record(input, line, || n, share)
}

fn read_record(
    input: &Input,
    raw: &[u8],
    number: impl Fn() -> u64,
    share: &mut Share,
) -> Result<()> {
    let line = trim(raw);
    if is_skippable(line) {
        return Ok(());
    }
    match split_record(line, input.weighted) {
        Ok(rec) => share.push(input, rec),
        Err(_) if input.lenient => share.skipped += 1,
        Err((_, reason)) => return Err(Error::parse(&input.path, number(), reason)),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_cover_every_line_once() {
        let text = b"# c\na b\ncc dd\ne f\n\ng h";
        for parts in 1..8 {
            let mut covered = Vec::new();
            for p in 0..parts {
                let r = byte_range(text, 4, p, parts);
                covered.extend_from_slice(&text[r]);
            }
            assert_eq!(covered, &text[4..], "{parts} parts");
        }
    }
}
