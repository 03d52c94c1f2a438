//! GML files, as networkx's `write_gml` and igraph write them: `graph [ directed 1 node [ id 1
//! label "a" ] edge [ source 1 target 2 weight 3 ] ]`; lists nested in brackets (those not read
//! are passed over), `"strings"` with XML character references (`&#34;`, `&amp;`) and spanning
//! lines, `#` comments. A graph without `directed 1` is undirected, as in GML.

use super::declared::Declared;
use super::{bad_weight, lines, parse_weight, trim, EdgeList, EdgeListOptions};
use crate::error::{Error, Result};
use crate::ingest::skips::SkipKind;
use crate::ingest::source::{Flow, Source};

/// Whether `head` starts (after comments) with `key value` pairs, then `graph [`.
pub(super) fn detect(head: &[u8]) -> bool {
    let mut lexer = Lexer::default();
    let mut toks = Vec::new();
    for line in lines(head).take(64) {
        if lexer.line(line, &mut |t| toks.push(t)).is_err() || toks.len() > 32 {
            break;
        }
    }
    let mut it = toks.iter();
    while let Some(Tok::Word(key)) = it.next() {
        match it.next() {
            Some(Tok::Open) => return key == "graph",
            Some(Tok::Word(_) | Tok::Str(_)) if is_key(key) => {}
            _ => return false,
        }
    }
    false
}

/// Reads a GML file.
pub(super) fn parse(source: &Source, opts: EdgeListOptions) -> Result<EdgeList> {
    let mut p = Parser {
        graph: Declared::new(source.path(), opts),
        stack: vec![Frame::Top],
        key: None,
        directed: false,
        graphs: 0,
    };
    let mut lexer = Lexer::default();
    let mut last = 0;
    source.lines(|no, raw| {
        last = no;
        let mut result = Ok(());
        lexer
            .line(raw, &mut |t| {
                if result.is_ok() {
                    result = p.token(no, t);
                }
            })
            .map_err(|reason| Error::parse(source.path(), no, reason))?;
        result.map(|()| Flow::Continue(()))
    })?;
    p.end(last, &lexer)
}

/// A GML token: a key or a number (told apart by where it stands), a string, `[` or `]`.
#[derive(Debug, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Open,
    Close,
}

fn is_key(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// Cuts lines into tokens; a string still open at a line's end goes on in the next line
/// (joined by a space, as networkx does).
#[derive(Default)]
struct Lexer {
    /// The open string so far, and the line it opened on.
    open: Option<(String, u64)>,
    lines: u64,
}

impl Lexer {
    fn line(&mut self, raw: &[u8], emit: &mut impl FnMut(Tok)) -> std::result::Result<(), String> {
        self.lines += 1;
        let text = String::from_utf8_lossy(trim(raw));
        let mut rest: &str = &text;
        if let Some((mut s, at)) = self.open.take() {
            match rest.find('"') {
                Some(end) => {
                    s.push(' ');
                    s.push_str(&rest[..end]);
                    emit(Tok::Str(unescape(&s)));
                    rest = &rest[end + 1..];
                }
                None => {
                    s.push(' ');
                    s.push_str(rest);
                    self.open = Some((s, at));
                    return Ok(());
                }
            }
        }
        loop {
            rest = rest.trim_start();
            let Some(c) = rest.chars().next() else {
                return Ok(());
            };
            match c {
                '#' => return Ok(()),
                '[' | ']' => {
                    emit(if c == '[' { Tok::Open } else { Tok::Close });
                    rest = &rest[1..];
                }
                '"' => match rest[1..].find('"') {
                    Some(end) => {
                        emit(Tok::Str(unescape(&rest[1..end + 1])));
                        rest = &rest[end + 2..];
                    }
                    None => {
                        self.open = Some((rest[1..].to_string(), self.lines));
                        return Ok(());
                    }
                },
                _ => {
                    let end = rest
                        .find(|c: char| c.is_whitespace() || "[]\"#".contains(c))
                        .unwrap_or(rest.len());
                    emit(Tok::Word(rest[..end].to_string()));
                    rest = &rest[end..];
                }
            }
        }
    }
}

/// Resolves XML character references (`&#34;`, `&#x22;`) and the predefined entities
/// (`&amp;` …); anything else is left as written.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let resolved = rest.find(';').and_then(|semi| {
            let name = &rest[1..semi];
            let c = match name.strip_prefix('#') {
                Some(num) => match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                    None => num.parse().ok().and_then(char::from_u32),
                },
                None => quick_xml::escape::resolve_predefined_entity(name)
                    .and_then(|r| r.chars().next()),
            };
            c.map(|c| (c, semi))
        });
        match resolved {
            Some((c, semi)) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// An open list: the graph, a node or an edge being read, or one passed over.
enum Frame {
    Top,
    Graph,
    Node(Record),
    Edge(Record),
    Skip(u64),
}

/// The keys of a node or edge read so far, and the line it opened on.
#[derive(Default)]
struct Record {
    line: u64,
    id: Option<String>,
    label: Option<String>,
    source: Option<String>,
    target: Option<String>,
    weight: Option<Tok>,
}

struct Parser {
    graph: Declared,
    stack: Vec<Frame>,
    /// A key waiting for its value, and its line.
    key: Option<(String, u64)>,
    directed: bool,
    graphs: u32,
}

impl Parser {
    fn token(&mut self, no: u64, tok: Tok) -> Result<()> {
        match (self.key.take(), tok) {
            (None, Tok::Word(w)) if is_key(&w) => {
                self.key = Some((w, no));
                Ok(())
            }
            (None, Tok::Close) => self.close(no),
            (None, t) => self.syntax(no, format!("expected a key, found {}", show(&t))),
            (Some((key, _)), Tok::Open) => self.open(no, key),
            (Some((key, at)), Tok::Close) => {
                self.syntax(at, format!("key `{key}` without a value before `]`"))
            }
            (Some((key, _)), value) => {
                self.value(&key, value);
                Ok(())
            }
        }
    }

    fn syntax(&self, line: u64, reason: String) -> Result<()> {
        Err(Error::parse(
            self.graph.path(),
            line,
            format!("GML: {reason}"),
        ))
    }

    /// `key [`: the graph, a node or an edge, else a list passed over.
    fn open(&mut self, no: u64, key: String) -> Result<()> {
        let frame = match (self.stack.last(), key.as_str()) {
            (Some(Frame::Top), "graph") => {
                self.graphs += 1;
                if self.graphs > 1 {
                    return self.syntax(no, "a second `graph [`: one graph per file".into());
                }
                Frame::Graph
            }
            (Some(Frame::Graph), "node" | "edge") => {
                let rec = Record {
                    line: no,
                    ..Record::default()
                };
                if key == "node" {
                    Frame::Node(rec)
                } else {
                    Frame::Edge(rec)
                }
            }
            _ => Frame::Skip(no),
        };
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, no: u64) -> Result<()> {
        match self.stack.pop() {
            Some(Frame::Node(rec)) => self.node(rec),
            Some(Frame::Edge(rec)) => self.edge(rec),
            Some(Frame::Top) | None => self.syntax(no, "`]` without its `[`".into()),
            Some(Frame::Graph | Frame::Skip(_)) => Ok(()),
        }
    }

    /// `key value` in the open list.
    fn value(&mut self, key: &str, value: Tok) {
        let text = match &value {
            Tok::Word(w) | Tok::Str(w) => w.clone(),
            Tok::Open | Tok::Close => return,
        };
        match (self.stack.last_mut(), key) {
            (Some(Frame::Graph), "directed") => self.directed = text == "1",
            (Some(Frame::Node(rec)), "id") => rec.id = Some(text),
            (Some(Frame::Node(rec)), "label") => rec.label = Some(text),
            (Some(Frame::Edge(rec)), "source") => rec.source = Some(text),
            (Some(Frame::Edge(rec)), "target") => rec.target = Some(text),
            (Some(Frame::Edge(rec)), "weight") => rec.weight = Some(value),
            _ => {}
        }
    }

    fn node(&mut self, rec: Record) -> Result<()> {
        let Some(id) = rec.id else {
            return self
                .graph
                .bad(rec.line, SkipKind::BadElement, "GML node without an `id`");
        };
        let n = self.graph.node(&id)?;
        if let Some(label) = rec.label {
            self.graph.label(n, &label);
        }
        Ok(())
    }

    fn edge(&mut self, rec: Record) -> Result<()> {
        let (Some(a), Some(b)) = (&rec.source, &rec.target) else {
            let missing = if rec.source.is_none() {
                "source"
            } else {
                "target"
            };
            let reason = format!("GML edge without a `{missing}`");
            return self.graph.bad(rec.line, SkipKind::BadElement, reason);
        };
        let w = match (&rec.weight, self.graph.weighted()) {
            (Some(Tok::Word(w)), true) => parse_weight(w.as_bytes()),
            (Some(_), true) => None,
            _ => Some(1.0),
        };
        let Some(w) = w else {
            let text = match &rec.weight {
                Some(Tok::Word(t) | Tok::Str(t)) => t.as_str(),
                _ => "",
            };
            let reason = format!("GML edge {}", bad_weight(text.as_bytes()));
            return self.graph.bad(rec.line, SkipKind::BadWeight, reason);
        };
        let (a, b) = (self.graph.node(a)?, self.graph.node(b)?);
        self.graph.edge(a, b, w, None);
        Ok(())
    }

    /// The end of the file: every list closed, a graph read.
    fn end(mut self, last: u64, lexer: &Lexer) -> Result<EdgeList> {
        if let Some((_, at)) = &lexer.open {
            self.syntax(*at, "a string without its closing `\"`".into())?;
        }
        if let Some((key, at)) = &self.key {
            self.syntax(
                *at,
                format!("key `{key}` without a value at the end of the file"),
            )?;
        }
        let opened = |f: &Frame| match f {
            Frame::Node(r) | Frame::Edge(r) => Some(r.line),
            Frame::Skip(line) => Some(*line),
            Frame::Top | Frame::Graph => None,
        };
        if self.stack.len() > 1 {
            let at = self.stack.iter().rev().find_map(opened);
            let what = at.map_or(String::new(), |l| format!(" (the list opened at line {l})"));
            self.syntax(last, format!("the file ends inside a `[ … ]`{what}"))?;
        }
        if self.graphs == 0 {
            self.syntax(last, "no `graph [ … ]` in the file".into())?;
        }
        self.graph.undirected = !self.directed;
        self.graph.finish()
    }
}

fn show(t: &Tok) -> String {
    match t {
        Tok::Word(w) => format!("`{w}`"),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Open => "`[`".into(),
        Tok::Close => "`]`".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, weighted: bool, lenient: bool) -> Result<EdgeList> {
        let source = Source::from_bytes("g.gml", text.as_bytes().to_vec());
        parse(&source, EdgeListOptions { weighted, lenient })
    }

    fn edges(l: &EdgeList) -> Vec<String> {
        l.src
            .iter()
            .zip(&l.dst)
            .map(|(&a, &b)| format!("{}>{}", l.ids.name(a), l.ids.name(b)))
            .collect()
    }

    #[test]
    fn detects_graph_lists() {
        assert!(detect(b"graph [\n  directed 1\n"));
        assert!(detect(b"# c\nCreator \"igraph\"\nVersion 1\ngraph\n[\n"));
        assert!(!detect(b"1 2\n2 3\n"));
        assert!(!detect(b"graph 1\n"));
        assert!(!detect(b"node [ id 1 ]\n"));
    }

    #[test]
    fn nodes_labels_weights_and_nested_lists() {
        let text = "graph [\n  directed 1\n  node [ id 0 label \"a &#34;x&#34; &amp; b\" \
                    graphics [ x 1.0 w [ z 2 ] ] ]\n  node [ id 1 label \"two\nlines\" ]\n  \
                    node [ id 2 ] # isolated\n  edge [ source 0 target 1 weight 2.5 ]\n  \
                    edge [ source 1 target 0 ]\n]\n";
        let l = read(text, true, false).unwrap();
        assert_eq!(
            edges(&l),
            ["a \"x\" & b>two lines", "two lines>a \"x\" & b"]
        );
        assert_eq!(l.weights.as_deref(), Some(&[2.5, 1.0][..]));
        assert_eq!(l.ids.len(), 3);
        assert!(!l.undirected);
        let l = read(
            "graph [ node [ id 1 ] node [ id 2 ] edge [ source 1 target 2 ] ]",
            false,
            false,
        )
        .unwrap();
        assert!(l.undirected);
    }

    #[test]
    fn bad_records_name_their_line() {
        let cases = [
            (
                "graph [\n edge [ source 1 ]\n]\n",
                "g.gml:2: GML edge without a `target`",
            ),
            (
                "graph [\n edge [ source 1 target 2 weight \"x\" ]\n]",
                "g.gml:2: GML edge weight",
            ),
            (
                "graph [\n node [ id 1 ]\n",
                "g.gml:2: GML: the file ends inside",
            ),
            (
                "graph [\n node [ id ]\n]\n",
                "g.gml:2: GML: key `id` without a value",
            ),
            (
                "graph [\n node [ label \"a\n",
                "g.gml:2: GML: a string without",
            ),
            ("graph [ ]\n]\n", "g.gml:2: GML: `]` without"),
            ("graph [ 7 ]", "g.gml:1: GML: expected a key, found `7`"),
        ];
        for (text, want) in cases {
            let err = read(text, true, false).unwrap_err().to_string();
            assert!(err.contains(want), "{text:?}: {err}");
        }
        let l = read(
            "graph [ edge [ source 1 ] edge [ source 1 target 2 ] ]",
            false,
            true,
        )
        .unwrap();
        assert_eq!((l.len(), l.skips.count(SkipKind::BadElement)), (1, 1));
    }
}
