//! What the graph formats that declare their nodes (GraphML, GML, Pajek) have in common: node
//! ids interned as met (a declared node without edges stays a node), node labels, edges that
//! are directed or undirected one by one, malformed records failed or counted, and the
//! finished [`EdgeList`] that names every node by its label (its file id without one).

use std::ops::Range;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use super::{renumber_if_numeric, too_many_nodes, EdgeList, EdgeListOptions, TextEdges};
use crate::error::{Error, Result};
use crate::ingest::ids::{IdMap, Node};
use crate::ingest::skips::{SkipKind, Skips};

/// A graph file's nodes and edges as they are read.
pub(super) struct Declared {
    path: PathBuf,
    lenient: bool,
    edges: TextEdges,
    labels: Vec<Option<Box<str>>>,
    skips: Skips,
    /// Runs of edges whose direction the file gave one by one (`Some(true)`: undirected);
    /// the other edges take the graph's default.
    runs: Vec<(Range<usize>, Option<bool>)>,
    /// The graph's default: edges are undirected unless they say otherwise.
    pub undirected: bool,
}

impl Declared {
    pub fn new(path: &Path, opts: EdgeListOptions) -> Declared {
        Declared {
            path: path.to_path_buf(),
            lenient: opts.lenient,
            edges: TextEdges::new(opts),
            labels: Vec::new(),
            skips: Skips::default(),
            runs: Vec::new(),
            undirected: false,
        }
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the weights are read.
    pub fn weighted(&self) -> bool {
        self.edges.weights.is_some()
    }

    /// The node of file id `id`, made on first sight.
    pub fn node(&mut self, id: &str) -> Result<Node> {
        self.edges
            .interner
            .intern(id)
            .ok_or_else(|| too_many_nodes(&self.path))
    }

    /// Number of nodes so far.
    pub fn nodes(&self) -> usize {
        self.edges.interner.len()
    }

    /// Names node `n` by `label` (an empty label names nothing).
    pub fn label(&mut self, n: Node, label: &str) {
        if label.is_empty() {
            return;
        }
        let n = n as usize;
        if self.labels.len() <= n {
            self.labels.resize(n + 1, None);
        }
        self.labels[n] = Some(label.into());
    }

    /// An edge `a → b`; `undirected` when the edge says which it is, `None` for the graph's
    /// default.
    pub fn edge(&mut self, a: Node, b: Node, w: f64, undirected: Option<bool>) {
        let i = self.edges.src.len();
        self.edges.push_nodes(a, b, w);
        match self.runs.last_mut() {
            Some((run, u)) if *u == undirected && run.end == i => run.end = i + 1,
            _ => self.runs.push((i..i + 1, undirected)),
        }
    }

    /// A malformed record at `line`: an error, or counted and skipped when lenient.
    pub fn bad(&mut self, line: u64, kind: SkipKind, reason: impl Into<String>) -> Result<()> {
        if self.lenient {
            self.skips.add(kind, line);
            Ok(())
        } else {
            Err(Error::parse(&self.path, line, reason))
        }
    }

    /// The edge list. All edges undirected: the list says the graph is; some directed and some
    /// not: a directed graph with each undirected edge both ways (a self-loop once, as the
    /// builder stores it in an undirected graph).
    pub fn finish(mut self) -> Result<EdgeList> {
        let default = self.undirected;
        let is_undirected = |u: &Option<bool>| u.unwrap_or(default);
        let all = !self.runs.is_empty() && self.runs.iter().all(|(_, u)| is_undirected(u));
        if !all {
            for (run, _) in self.runs.iter().filter(|(_, u)| is_undirected(u)) {
                for i in run.clone() {
                    let (a, b) = (self.edges.src[i], self.edges.dst[i]);
                    let w = self.edges.weights.as_ref().map_or(1.0, |ws| ws[i]);
                    if a != b {
                        self.edges.push_nodes(b, a, w);
                    }
                }
            }
        }
        let ids = std::mem::take(&mut self.edges.interner).finish();
        let IdMap::Text(ids) = ids else {
            unreachable!("an interner gives text ids")
        };
        let names = display_names(ids, self.labels).map_err(|reason| Error::Invalid {
            path: self.path.clone(),
            reason,
        })?;
        Ok(EdgeList {
            ids: renumber_if_numeric(IdMap::Text(names)),
            src: self.edges.src,
            dst: self.edges.dst,
            weights: self.edges.weights,
            skips: self.skips,
            degree_ordered: false,
            undirected: all,
        })
    }
}

/// Every node's label, else its file id. A name given to more than one node is followed by
/// each such node's file id in brackets (`alice [n3]`), so that output names one node.
fn display_names(
    ids: Vec<Box<str>>,
    mut labels: Vec<Option<Box<str>>>,
) -> std::result::Result<Vec<Box<str>>, String> {
    labels.resize(ids.len(), None);
    let named = |i: usize| labels[i].as_deref().unwrap_or(&ids[i]);
    let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
    for i in 0..ids.len() {
        *seen.entry(named(i)).or_default() += 1;
    }
    let names: Vec<Box<str>> = (0..ids.len())
        .map(|i| match &labels[i] {
            Some(l) if seen[&**l] > 1 => format!("{l} [{}]", ids[i]).into(),
            Some(l) => l.clone(),
            None => ids[i].clone(),
        })
        .collect();
    let mut unique: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, n) in names.iter().enumerate() {
        if let Some(j) = unique.insert(n, i) {
            return Err(format!(
                "nodes `{}` and `{}` would both be shown as `{n}`: give them distinct labels",
                ids[j], ids[i]
            ));
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(ids: &[&str], labels: &[Option<&str>]) -> std::result::Result<Vec<String>, String> {
        let ids = ids.iter().map(|&s| s.into()).collect();
        let labels = labels.iter().map(|l| l.map(Into::into)).collect();
        display_names(ids, labels).map(|v| v.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn labels_name_nodes_and_shared_labels_keep_their_ids() {
        assert_eq!(
            names(&["n0", "n1", "n2"], &[Some("a"), None]).unwrap(),
            ["a", "n1", "n2"]
        );
        assert_eq!(
            names(&["n0", "n1", "a"], &[Some("a"), Some("a")]).unwrap(),
            ["a [n0]", "a [n1]", "a"]
        );
        let err = names(&["x", "y", "a [x]"], &[Some("a"), Some("a")]).unwrap_err();
        assert!(err.contains("`x` and `a [x]`"), "{err}");
    }

    #[test]
    fn undirected_edges_in_a_directed_graph_go_both_ways() {
        let mut d = Declared::new(Path::new("g"), EdgeListOptions::default());
        let (a, b, c) = (
            d.node("a").unwrap(),
            d.node("b").unwrap(),
            d.node("c").unwrap(),
        );
        d.edge(a, b, 1.0, None);
        d.edge(b, c, 1.0, Some(true));
        d.edge(c, c, 1.0, Some(true));
        let l = d.finish().unwrap();
        assert!(!l.undirected);
        assert_eq!((l.src, l.dst), (vec![0, 1, 2, 2], vec![1, 2, 2, 1]));
        let mut d = Declared::new(Path::new("g"), EdgeListOptions::default());
        d.undirected = true;
        let (a, b) = (d.node("a").unwrap(), d.node("b").unwrap());
        d.node("isolated").unwrap();
        d.edge(a, b, 1.0, None);
        let l = d.finish().unwrap();
        assert!(l.undirected);
        assert_eq!((l.len(), l.ids.len()), (1, 3));
    }
}
