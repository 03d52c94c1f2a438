//! Pajek `.net` files: `*Vertices N` and its `k "label"` lines, then `*Arcs` (directed) or
//! `*Edges` (undirected) lines `u v [weight]`, or `*Arcslist` / `*Edgeslist` lines `u v1 v2 …`;
//! section names in any case, `%` comments, vertices referred to by number. Other sections
//! (`*Partition`, `*Vector`) are passed over; `*Matrix` is refused.

use super::declared::Declared;
use super::{bad_weight, is_skippable, lines, parse_weight, trim, EdgeList, EdgeListOptions};
use crate::error::{Error, Result};
use crate::ingest::ids::{Node, MAX_NODES};
use crate::ingest::skips::SkipKind;
use crate::ingest::source::{Flow, Source};

/// Whether `head` starts (after comments) with a Pajek section line.
pub(super) fn detect(head: &[u8]) -> bool {
    lines(head)
        .map(trim)
        .find(|l| !is_skippable(l))
        .and_then(section_name)
        .is_some_and(|name| {
            [
                "network",
                "vertices",
                "arcs",
                "edges",
                "arcslist",
                "edgeslist",
                "matrix",
            ]
            .contains(&name.as_str())
        })
}

/// Reads a Pajek file.
pub(super) fn parse(source: &Source, opts: EdgeListOptions) -> Result<EdgeList> {
    let mut reader = Reader {
        graph: Declared::new(source.path(), opts),
        vertices: None,
        section: Section::Start,
        stored: source.stored_len(),
    };
    source.lines(|no, raw| {
        reader.line(no, trim(raw))?;
        Ok(Flow::Continue(()))
    })?;
    reader.graph.finish()
}

/// The lower-cased name of a section line (`*Arcs :1 "x"` → `arcs`).
fn section_name(line: &[u8]) -> Option<String> {
    let rest = line.strip_prefix(b"*")?;
    let end = rest
        .iter()
        .position(|c| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    Some(String::from_utf8_lossy(&rest[..end]).to_ascii_lowercase())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Before the first section line.
    Start,
    Vertices,
    /// Edge lines: `undirected` for `*Edges`, `list` for `*Arcslist` / `*Edgeslist`.
    Edges {
        undirected: bool,
        list: bool,
    },
    /// A section not read.
    Other,
}

struct Reader {
    graph: Declared,
    /// `N` of `*Vertices N`: vertex `k` is node `k - 1`.
    vertices: Option<u64>,
    section: Section,
    /// The file's size on disk, bounding how many vertices it may declare.
    stored: u64,
}

impl Reader {
    fn line(&mut self, no: u64, line: &[u8]) -> Result<()> {
        if is_skippable(line) {
            return Ok(());
        }
        if let Some(name) = section_name(line) {
            return self.section(no, &name, line);
        }
        let fields = match fields(line) {
            Ok(f) => f,
            Err(reason) => return self.graph.bad(no, SkipKind::BadElement, reason),
        };
        match self.section {
            Section::Start => Err(Error::parse(
                self.graph.path(),
                no,
                "expected a Pajek section line (`*Vertices N`, `*Arcs`, `*Edges`) first",
            )),
            Section::Vertices => self.vertex(no, &fields),
            Section::Edges { undirected, list } => self.edges(no, &fields, undirected, list),
            Section::Other => Ok(()),
        }
    }

    fn section(&mut self, no: u64, name: &str, line: &[u8]) -> Result<()> {
        self.section = match name {
            "vertices" => {
                self.declare(no, line)?;
                Section::Vertices
            }
            "arcs" | "edges" | "arcslist" | "edgeslist" => Section::Edges {
                undirected: name.starts_with("edges"),
                list: name.ends_with("list"),
            },
            "matrix" => {
                return Err(Error::parse(
                    self.graph.path(),
                    no,
                    "Pajek *Matrix sections are not read: write the graph with *Arcs or *Edges",
                ))
            }
            _ => Section::Other,
        };
        Ok(())
    }

    /// `*Vertices N`: nodes `1..=N`, numbered in order.
    fn declare(&mut self, no: u64, line: &[u8]) -> Result<()> {
        let path = self.graph.path();
        let count = fields(line).ok().and_then(|f| {
            f.get(1)
                .and_then(|n| std::str::from_utf8(n).ok()?.parse().ok())
        });
        let Some(n) = count else {
            return Err(Error::parse(path, no, "expected `*Vertices N`, N a count"));
        };
        if self.vertices.is_some() || self.graph.nodes() > 0 {
            return Err(Error::parse(
                path,
                no,
                "a second *Vertices section, or one after the edges: one network per file",
            ));
        }
        // Declared vertices are held in memory: at most a few per byte of the file.
        if n > MAX_NODES || n > 64 * self.stored + 4096 {
            return Err(Error::parse(
                path,
                no,
                format!("*Vertices {n}: more vertices than a file this size can describe"),
            ));
        }
        for k in 1..=n {
            self.graph.node(&k.to_string())?;
        }
        self.vertices = Some(n);
        Ok(())
    }

    /// `k "label" [x y …]`.
    fn vertex(&mut self, no: u64, fields: &[&[u8]]) -> Result<()> {
        let node = match self.vertex_ref(fields[0]) {
            Ok(v) => v,
            Err(reason) => return self.graph.bad(no, SkipKind::BadId, reason),
        };
        if let Some(label) = fields.get(1) {
            self.graph.label(node, &String::from_utf8_lossy(label));
        }
        Ok(())
    }

    /// `u v [weight] [attributes]`, or `u v1 v2 …` in a list section.
    fn edges(&mut self, no: u64, fields: &[&[u8]], undirected: bool, list: bool) -> Result<()> {
        if fields.len() < 2 {
            return self.graph.bad(
                no,
                SkipKind::TooFewFields,
                "expected `u v [weight]`, found one field",
            );
        }
        let targets = if list { &fields[1..] } else { &fields[1..2] };
        let weight = match (list, fields.get(2)) {
            (false, Some(w)) if self.graph.weighted() => weight(w),
            _ => Ok(1.0),
        };
        let w = match weight {
            Ok(w) => w,
            Err(reason) => return self.graph.bad(no, SkipKind::BadWeight, reason),
        };
        let ends: std::result::Result<Vec<Node>, String> = std::iter::once(&fields[0])
            .chain(targets)
            .map(|f| self.vertex_ref(f))
            .collect();
        let ends = match ends {
            Ok(e) => e,
            Err(reason) => return self.graph.bad(no, SkipKind::BadId, reason),
        };
        for &v in &ends[1..] {
            self.graph.edge(ends[0], v, w, Some(undirected));
        }
        Ok(())
    }

    /// The node of a vertex number (any token when the file declares no vertices).
    fn vertex_ref(&mut self, tok: &[u8]) -> std::result::Result<Node, String> {
        let text = String::from_utf8_lossy(tok);
        match self.vertices {
            Some(n) => match text.parse::<u64>() {
                Ok(k) if (1..=n).contains(&k) => Ok(k as Node - 1),
                _ => Err(format!("vertex `{text}` is not a number from 1 to {n}")),
            },
            None => self.graph.node(&text).map_err(|e| e.to_string()),
        }
    }
}

/// A weight column: a finite number ≥ 0; a field starting with a letter begins the edge's
/// attributes (`c Blue`), and the weight is 1.
fn weight(tok: &[u8]) -> std::result::Result<f64, String> {
    if tok.first().is_some_and(|c| c.is_ascii_alphabetic()) {
        return Ok(1.0);
    }
    parse_weight(tok).ok_or_else(|| bad_weight(tok))
}

/// The fields of a line: blank-separated, a `"quoted field"` being one (without its quotes).
fn fields(line: &[u8]) -> std::result::Result<Vec<&[u8]>, String> {
    let mut out = Vec::new();
    let mut rest = line;
    loop {
        let start = rest.iter().position(|&c| c != b' ' && c != b'\t');
        let Some(start) = start else {
            return Ok(out);
        };
        rest = &rest[start..];
        if let Some(quoted) = rest.strip_prefix(b"\"") {
            let Some(end) = memchr::memchr(b'"', quoted) else {
                return Err("a quoted field without its closing `\"`".into());
            };
            out.push(&quoted[..end]);
            rest = &quoted[end + 1..];
        } else {
            let end = rest
                .iter()
                .position(|&c| c == b' ' || c == b'\t')
                .unwrap_or(rest.len());
            out.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, weighted: bool, lenient: bool) -> Result<EdgeList> {
        let source = Source::from_bytes("g.net", text.as_bytes().to_vec());
        parse(&source, EdgeListOptions { weighted, lenient })
    }

    fn edges(l: &EdgeList) -> Vec<(String, String)> {
        l.src
            .iter()
            .zip(&l.dst)
            .map(|(&a, &b)| (l.ids.name(a).to_string(), l.ids.name(b).to_string()))
            .collect()
    }

    #[test]
    fn detects_section_lines() {
        assert!(detect(b"% made by hand\n*Vertices 3\n1 \"a\"\n"));
        assert!(detect(b"*network x\n"));
        assert!(detect(b"*ARCS\n1 2\n"));
        assert!(!detect(b"1 2\n"));
        assert!(!detect(b"*foo\n"));
    }

    #[test]
    fn labels_weights_lists_and_isolated_vertices() {
        let text = "*Vertices 4\n1 \"a b\" 0.1 0.2\n2 c\n3 \"d\"\n*Arcs\n1 2 2.5\n2 3 c Blue\n\
                    *arcslist\n3 1 2\n";
        let l = read(text, true, false).unwrap();
        assert_eq!(l.ids.len(), 4);
        assert_eq!(l.ids.name(3).to_string(), "4");
        let want = [("a b", "c"), ("c", "d"), ("d", "a b"), ("d", "c")];
        let want: Vec<_> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(edges(&l), want);
        assert_eq!(l.weights.as_deref(), Some(&[2.5, 1.0, 1.0, 1.0][..]));
        assert!(!l.undirected);
    }

    #[test]
    fn edges_alone_are_undirected_and_mixed_go_both_ways() {
        let l = read("*Vertices 2\n*Edges\n1 2\n", false, false).unwrap();
        assert!(l.undirected);
        let l = read("*Vertices 3\n*Arcs\n1 2\n*Edges\n2 3\n", false, false).unwrap();
        assert!(!l.undirected);
        assert_eq!(l.len(), 3);
    }

    #[test]
    fn bad_records_name_their_line() {
        let err = read("*Vertices 2\n*Arcs\n1 2\n1 5\n", false, false).unwrap_err();
        assert!(err.to_string().contains("g.net:4: vertex `5`"), "{err}");
        let err = read("*Vertices 2\n*Arcs\n1 2 -3\n", true, false).unwrap_err();
        assert!(err.to_string().contains("g.net:3: weight"), "{err}");
        let err = read("*Vertices 2\n1 \"a\n", false, false).unwrap_err();
        assert!(err.to_string().contains("g.net:2: a quoted field"), "{err}");
        let err = read("*Vertices 2\n*Matrix\n0 1\n", false, false).unwrap_err();
        assert!(err.to_string().contains("g.net:2: Pajek *Matrix"), "{err}");
        let err = read("*Vertices 99999999999\n", false, false).unwrap_err();
        assert!(err.to_string().contains("g.net:1"), "{err}");
        let l = read("*Vertices 2\n*Arcs\n1 2\n1 9\n2\n", false, true).unwrap();
        assert_eq!(l.len(), 1);
        assert_eq!(l.skips.count(SkipKind::BadId), 1);
        assert_eq!(l.skips.count(SkipKind::TooFewFields), 1);
    }
}
