//! Which reader a graph file needs, told by its content: GraphML, GML, Pajek, CSV (and its
//! delimiter) or whitespace-separated lines. The file's name only breaks a tie: a `.graphml`
//! or `.gml` file whose start fits no format is read as what its name says, so that its error
//! names what is wrong there (a `.net` name is left to the content: plain edge lists are often
//! named so).

use std::path::Path;

use super::{gml, graphml, is_skippable, lines, nx_dict, pajek, trim};

/// A graph file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    GraphMl,
    Gml,
    Pajek,
    /// CSV with a header, fields separated by this byte.
    Csv(u8),
    /// `src dst [weight | data dict]` lines.
    Whitespace,
}

/// The format of a file starting with `head` (decompressed), named `path`.
pub(super) fn detect(head: &[u8], path: &Path) -> Format {
    if graphml::detect(head) {
        return Format::GraphMl;
    }
    if gml::detect(head) {
        return Format::Gml;
    }
    if pajek::detect(head) {
        return Format::Pajek;
    }
    match named(path) {
        Some(f) => f,
        None => csv_delimiter(head).map_or(Format::Whitespace, Format::Csv),
    }
}

/// The format a file's name says (`g.graphml`, `g.gml.gz`), where the name is trusted.
fn named(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let name = [".gz", ".zst", ".zstd"]
        .iter()
        .find_map(|z| name.strip_suffix(z))
        .unwrap_or(&name);
    match Path::new(name).extension()?.to_str()? {
        "graphml" => Some(Format::GraphMl),
        "gml" => Some(Format::Gml),
        _ => None,
    }
}

/// The CSV delimiter of the first data line (not blank, not a comment): whichever of `,`, `;`
/// and `|` it holds most often outside double quotes (`,` on a tie, so `a;b;1,5` is read
/// with `;`); `None` for a whitespace record (one ending in a networkx data dict may hold
/// commas).
pub(super) fn csv_delimiter(bytes: &[u8]) -> Option<u8> {
    const DELIMITERS: [u8; 3] = [b',', b';', b'|'];
    let line = lines(bytes).map(trim).find(|l| !is_skippable(l))?;
    if nx_dict::split(line).is_some() {
        return None;
    }
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &c in line {
        quoted ^= c == b'"';
        if let Some(i) = DELIMITERS.iter().position(|&d| d == c).filter(|_| !quoted) {
            counts[i] += 1;
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))?;
    (counts[best] > 0).then_some(DELIMITERS[best])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_and_names_break_ties() {
        let f = |head: &[u8], name: &str| detect(head, Path::new(name));
        assert_eq!(f(b"<?xml version='1.0'?>", "g.txt"), Format::GraphMl);
        assert_eq!(f(b"graph [\n", "g.graphml"), Format::Gml);
        assert_eq!(f(b"*Vertices 2\n", "g.csv"), Format::Pajek);
        assert_eq!(f(b"a;b\n", "g.txt"), Format::Csv(b';'));
        assert_eq!(f(b"1 2\n", "g.net"), Format::Whitespace);
        assert_eq!(f(b"1 2\n", "g.GML.gz"), Format::Gml);
        assert_eq!(f(b"x\n", "dir.graphml/g.txt"), Format::Whitespace);
        assert_eq!(f(b"<graph>", "g.graphml.zst"), Format::GraphMl);
    }
}
