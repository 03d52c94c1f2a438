//! GraphML files, read as a stream of XML events (quick-xml), so that memory holds the graph
//! read and not the file: the `<key>`s naming the node label (`attr.name` `label`, else `name`)
//! and the edge weight (`weight`, with its `<default>`), `<graph edgedefault>` (undirected
//! unless `directed`, as networkx reads it), `<node id>`, `<edge source target [directed]>`
//! and their `<data key>`. Other keys and elements are passed over; hyperedges are refused.

use std::io::BufReader;
use std::sync::Arc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::XmlVersion;

use super::declared::Declared;
use super::{bad_weight, parse_weight, EdgeList, EdgeListOptions};
use crate::error::{Error, Result};
use crate::ingest::decode::unwrap_io;
use crate::ingest::ids::Node;
use crate::ingest::skips::SkipKind;
use crate::ingest::source::Source;

/// Whether `head` is XML, to be read as GraphML or refused: it starts (after blanks) with an
/// XML declaration, comment or doctype, or holds `<graphml`. (An edge list whose first id
/// starts with `<` is none of these.)
pub(super) fn detect(head: &[u8]) -> bool {
    let start = head
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(head.len());
    let text = &head[start..];
    text.starts_with(b"<?xml")
        || text.starts_with(b"<!")
        || (text.starts_with(b"<") && memchr::memmem::find(head, b"<graphml").is_some())
}

/// Reads a GraphML file.
pub(super) fn parse(source: &Source, opts: EdgeListOptions) -> Result<EdgeList> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(source.reader()?));
    let mut r = Reader {
        graph: Declared::new(source.path(), opts),
        line: 1,
        keys: Keys::default(),
        open: Open::None,
        text: None,
        root: false,
    };
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let event = match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) => break,
            Ok(e) => e,
            Err(e) => return Err(r.xml_error(e)),
        };
        let at = r.line;
        r.line += memchr::memchr_iter(b'\n', event.as_bytes()).count() as u64;
        r.event(at, event)?;
    }
    if !r.root {
        return Err(Error::parse(r.graph.path(), r.line, "no <graphml> element"));
    }
    r.graph.finish()
}

/// The keys read: which `<data>` hold a node's label and an edge's weight.
#[derive(Default)]
struct Keys {
    /// The label key's id, and whether its `attr.name` is `label` (preferred to `name`).
    label: Option<(String, bool)>,
    weight: Option<String>,
    /// The weight key's `<default>`, as written.
    weight_default: Option<String>,
    /// The `<key>` being read (its id), for its `<default>`.
    current: Option<String>,
}

/// The element whose `<data>` are read.
enum Open {
    None,
    Node(Node),
    Edge(Edge),
    /// A node or edge skipped as malformed: its data are passed over.
    Skipped,
}

struct Edge {
    line: u64,
    a: Node,
    b: Node,
    undirected: Option<bool>,
    weight: Option<String>,
}

/// Text being gathered: a label, a weight or a key's default.
enum Gather {
    Label(String),
    Weight(String),
    Default(String),
}

struct Reader {
    graph: Declared,
    line: u64,
    keys: Keys,
    open: Open,
    text: Option<Gather>,
    root: bool,
}

impl Reader {
    fn event(&mut self, at: u64, event: Event<'_>) -> Result<()> {
        match event {
            Event::Start(e) => self.start(at, &e, false),
            Event::Empty(e) => self.start(at, &e, true),
            Event::End(e) => self.end(e.local_name().as_ref()),
            Event::Text(t) => {
                self.gather(&t.xml10_content());
                Ok(())
            }
            Event::CData(t) => {
                self.gather(&t.xml10_content());
                Ok(())
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => quick_xml::escape::resolve_predefined_entity(&r).map(str::to_string),
                };
                match resolved {
                    Some(s) => self.gather(&s),
                    None => self.gather(&format!("&{};", &*r)),
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn start(&mut self, at: u64, e: &BytesStart<'_>, empty: bool) -> Result<()> {
        let name = e.local_name();
        if !self.root && name.as_ref() != "graphml" {
            let reason = format!(
                "an XML file whose root is <{}>, not <graphml>",
                name.as_ref()
            );
            return Err(Error::parse(self.graph.path(), at, reason));
        }
        match name.as_ref() {
            "graphml" => self.root = true,
            "key" => self.key(at, e, empty)?,
            "default" if self.keys.current.is_some() => {
                self.text = Some(Gather::Default(String::new()))
            }
            "graph" => {
                let default = self.attr(at, e, "edgedefault")?;
                self.graph.undirected = default.as_deref() != Some("directed");
            }
            "node" => self.node(at, e, empty)?,
            "edge" => self.edge(at, e, empty)?,
            "data" if !empty => self.data(at, e)?,
            "hyperedge" => {
                self.open = Open::Skipped;
                let reason = "GraphML hyperedges are not read";
                self.graph.bad(at, SkipKind::BadElement, reason)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str) -> Result<()> {
        match name {
            "key" => self.keys.current = None,
            "default" => {
                if let Some(Gather::Default(text)) = self.text.take() {
                    if self.keys.current.is_some() && self.keys.current == self.keys.weight {
                        self.keys.weight_default = Some(text);
                    }
                }
            }
            "data" => match (self.text.take(), &mut self.open) {
                (Some(Gather::Label(label)), Open::Node(n)) => self.graph.label(*n, label.trim()),
                (Some(Gather::Weight(w)), Open::Edge(edge)) => edge.weight = Some(w),
                _ => {}
            },
            "node" | "hyperedge" => self.open = Open::None,
            "edge" => {
                if let Open::Edge(edge) = std::mem::replace(&mut self.open, Open::None) {
                    self.finish_edge(edge)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn gather(&mut self, s: &str) {
        if let Some(Gather::Label(t) | Gather::Weight(t) | Gather::Default(t)) = &mut self.text {
            t.push_str(s);
        }
    }

    /// An attribute's value, unescaped; `None` when absent.
    fn attr(&self, at: u64, e: &BytesStart<'_>, name: &str) -> Result<Option<String>> {
        let bad = |what: String| Error::parse(self.graph.path(), at, what);
        let Some(a) = e
            .try_get_attribute(name)
            .map_err(|err| bad(format!("bad attribute in <{}>: {err}", &**e)))?
        else {
            return Ok(None);
        };
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| bad(format!("bad value of `{name}`: {err}")))?;
        Ok(Some(value.into_owned()))
    }

    /// `<key id for attr.name>`: the label and weight keys.
    fn key(&mut self, at: u64, e: &BytesStart<'_>, empty: bool) -> Result<()> {
        let id = self.attr(at, e, "id")?.unwrap_or_default();
        let domain = self.attr(at, e, "for")?.unwrap_or_else(|| "all".into());
        let name = self.attr(at, e, "attr.name")?.unwrap_or_default();
        let on = |what: &str| domain == what || domain == "all";
        match name.as_str() {
            "weight" if on("edge") => self.keys.weight = Some(id.clone()),
            "label" | "name" if on("node") => {
                let better = name == "label";
                if self.keys.label.as_ref().is_none_or(|(_, l)| better && !l) {
                    self.keys.label = Some((id.clone(), better));
                }
            }
            _ => {}
        }
        if !empty {
            self.keys.current = Some(id);
        }
        Ok(())
    }

    fn node(&mut self, at: u64, e: &BytesStart<'_>, empty: bool) -> Result<()> {
        let Some(id) = self.attr(at, e, "id")? else {
            self.open = Open::Skipped;
            return self
                .graph
                .bad(at, SkipKind::BadElement, "GraphML <node> without an `id`");
        };
        let n = self.graph.node(&id)?;
        if !empty {
            self.open = Open::Node(n);
        }
        Ok(())
    }

    fn edge(&mut self, at: u64, e: &BytesStart<'_>, empty: bool) -> Result<()> {
        let (source, target) = (self.attr(at, e, "source")?, self.attr(at, e, "target")?);
        let (Some(a), Some(b)) = (&source, &target) else {
            self.open = Open::Skipped;
            let missing = if source.is_none() { "source" } else { "target" };
            let reason = format!("GraphML <edge> without a `{missing}`");
            return self.graph.bad(at, SkipKind::BadElement, reason);
        };
        let undirected = match self.attr(at, e, "directed")?.as_deref() {
            None => None,
            Some("true") => Some(false),
            Some("false") => Some(true),
            Some(other) => {
                self.open = Open::Skipped;
                let reason = format!("GraphML <edge directed=\"{other}\">: true or false");
                return self.graph.bad(at, SkipKind::BadElement, reason);
            }
        };
        let edge = Edge {
            line: at,
            a: self.graph.node(a)?,
            b: self.graph.node(b)?,
            undirected,
            weight: None,
        };
        if empty {
            self.finish_edge(edge)
        } else {
            self.open = Open::Edge(edge);
            Ok(())
        }
    }

    /// `<data key>` of the open node or edge: gathered when it is the label or the weight.
    fn data(&mut self, at: u64, e: &BytesStart<'_>) -> Result<()> {
        let key = self.attr(at, e, "key")?;
        let is = |k: Option<&String>| key.is_some() && key.as_ref() == k;
        self.text = match &self.open {
            Open::Node(_) if is(self.keys.label.as_ref().map(|(id, _)| id)) => {
                Some(Gather::Label(String::new()))
            }
            Open::Edge(_) if self.graph.weighted() && is(self.keys.weight.as_ref()) => {
                Some(Gather::Weight(String::new()))
            }
            _ => None,
        };
        Ok(())
    }

    fn finish_edge(&mut self, edge: Edge) -> Result<()> {
        let written = edge.weight.as_ref().or(self.keys.weight_default.as_ref());
        let w = match written {
            Some(w) if self.graph.weighted() => match parse_weight(w.trim().as_bytes()) {
                Some(w) => w,
                None => {
                    let reason = format!("GraphML edge {}", bad_weight(w.as_bytes()));
                    return self.graph.bad(edge.line, SkipKind::BadWeight, reason);
                }
            },
            _ => 1.0,
        };
        self.graph.edge(edge.a, edge.b, w, edge.undirected);
        Ok(())
    }

    /// A quick-xml error: the decoder's own (a corrupt or bombing stream), else malformed XML.
    fn xml_error(&self, e: quick_xml::Error) -> Error {
        let path = self.graph.path();
        match e {
            quick_xml::Error::Io(io) => match Arc::try_unwrap(io) {
                Ok(io) => unwrap_io(path, io),
                Err(io) => Error::io(path, std::io::Error::new(io.kind(), io.to_string())),
            },
            e => Error::parse(path, self.line, format!("not well-formed XML: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, weighted: bool, lenient: bool) -> Result<EdgeList> {
        let source = Source::from_bytes("g.graphml", text.as_bytes().to_vec());
        parse(&source, EdgeListOptions { weighted, lenient })
    }

    fn edges(l: &EdgeList) -> Vec<String> {
        l.src
            .iter()
            .zip(&l.dst)
            .map(|(&a, &b)| format!("{}>{}", l.ids.name(a), l.ids.name(b)))
            .collect()
    }

    const HEAD: &str = "<?xml version='1.0' encoding='utf-8'?>\n\
        <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n\
        <key id=\"d0\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n\
        <key id=\"d1\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n\
        <key id=\"d2\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\">\
        <default>2</default></key>\n";

    #[test]
    fn labels_weights_defaults_and_isolated_nodes() {
        let text = format!(
            "{HEAD}<graph edgedefault=\"directed\">\n<node id=\"n0\"><data key=\"d0\">x</data>\
             <data key=\"d1\">a &amp; b</data></node>\n<node id=\"n1\"/>\n<node id=\"n2\"/>\n\
             <edge source=\"n0\" target=\"n1\"><data key=\"d2\">0.5</data></edge>\n\
             <edge source=\"n1\" target=\"n0\"/>\n</graph></graphml>\n"
        );
        let l = read(&text, true, false).unwrap();
        assert_eq!(edges(&l), ["a & b>n1", "n1>a & b"]);
        assert_eq!(l.weights.as_deref(), Some(&[0.5, 2.0][..]));
        assert_eq!(l.ids.len(), 3);
        assert!(!l.undirected);
        let undirected = text.replace("\"directed\"", "\"undirected\"");
        assert!(read(&undirected, false, false).unwrap().undirected);
    }

    #[test]
    fn detects_xml_not_ids_starting_with_a_bracket() {
        assert!(detect(b"\n<?xml version='1.0'?>\n<graphml>"));
        assert!(detect(b"<graphml xmlns=\"x\">"));
        assert!(detect(b"<!-- made by hand -->\n<graphml>"));
        assert!(!detect(b"<a> <b>\n"));
        assert!(!detect(b"1 2\n"));
    }

    #[test]
    fn bad_input_names_its_line() {
        let cases = [
            (
                "<edge source=\"a\"/>",
                "g.graphml:7: GraphML <edge> without a `target`",
            ),
            ("<node/>", "g.graphml:7: GraphML <node> without"),
            (
                "<edge source=\"a\" target=\"b\"><data key=\"d2\">x</data></edge>",
                "g.graphml:7: GraphML edge weight `x`",
            ),
            ("<node id=\"a\"></edge>", "g.graphml:7: not well-formed XML"),
            ("<hyperedge/>", "g.graphml:7: GraphML hyperedges"),
        ];
        for (body, want) in cases {
            let text =
                format!("{HEAD}<graph edgedefault=\"directed\">\n{body}\n</graph></graphml>");
            let err = read(&text, true, false).unwrap_err().to_string();
            assert!(err.contains(want), "{body}: {err}");
        }
        let err = read("<gexf>\n</gexf>", false, false)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("g.graphml:1: an XML file whose root is <gexf>"),
            "{err}"
        );
        let text = format!(
            "{HEAD}<graph edgedefault=\"directed\">\n<edge source=\"a\"/>\n\
             <edge source=\"a\" target=\"b\"/></graph></graphml>"
        );
        let l = read(&text, false, true).unwrap();
        assert_eq!((l.len(), l.skips.count(SkipKind::BadElement)), (1, 1));
    }
}
