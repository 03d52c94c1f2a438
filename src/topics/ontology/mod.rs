//! A topic ontology: topics with string ids (Klout's exceed `i64::MAX`), multilingual display
//! names and keywords, parent edges forming a DAG, and the queries the classifiers and
//! leaderboards need: ancestors, the roll-up path to a root, lookup by id, slug or name
//! (case-insensitive), and the closest names for an unknown topic. Built once by
//! [`OntologyBuilder`], then immutable. Reading files is left to the loaders.

pub(crate) mod builtin;
pub(crate) mod closest;
pub mod custom;
pub mod iab;
pub mod klout;
pub(crate) mod source;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use self::closest::{closest_items, suggestion};
use crate::error::{Error, Result};

/// Dense index of a topic inside one [`Ontology`].
pub type TopicIdx = u32;

/// One topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// The source's id, as text (`"10000000000000000000"`, `"150"`, `"basketball"`).
    pub id: String,
    /// URL-style name (`"stephen-curry"`).
    pub slug: String,
    /// Display name (English where the source has it).
    pub name: String,
    /// Display names by language: `(ISO 639-1 code, name)`.
    pub names: Vec<(String, String)>,
    /// Extra phrases that signal the topic (for zero-shot matching).
    pub keywords: Vec<String>,
}

/// An immutable topic DAG.
#[derive(Debug, Clone)]
pub struct Ontology {
    topics: Vec<Topic>,
    parents: Vec<Vec<TopicIdx>>,
    children: Vec<Vec<TopicIdx>>,
    roots: Vec<TopicIdx>,
    depth: Vec<u32>,
    primary_parent: Vec<Option<TopicIdx>>,
    by_id: FxHashMap<String, TopicIdx>,
    by_key: FxHashMap<String, Vec<TopicIdx>>,
    edges: usize,
}

/// Lower case, every run of non-alphanumerics one space: `Talk-Show`, `talk show` and
/// `talk_show` are the same key.
pub fn normalize_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

impl Ontology {
    /// Number of topics.
    pub fn len(&self) -> usize {
        self.topics.len()
    }

    /// True when there are no topics.
    pub fn is_empty(&self) -> bool {
        self.topics.is_empty()
    }

    /// Number of parent → child edges.
    pub fn edge_count(&self) -> usize {
        self.edges
    }

    /// All topics, indexed by [`TopicIdx`].
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    /// The topic at `idx`.
    pub fn topic(&self, idx: TopicIdx) -> &Topic {
        &self.topics[idx as usize]
    }

    /// Topics without a parent (Klout's 16 super-topics), in id order of the source.
    pub fn roots(&self) -> &[TopicIdx] {
        &self.roots
    }

    /// Direct parents of `idx`.
    pub fn parents(&self, idx: TopicIdx) -> &[TopicIdx] {
        &self.parents[idx as usize]
    }

    /// Direct children of `idx`.
    pub fn children(&self, idx: TopicIdx) -> &[TopicIdx] {
        &self.children[idx as usize]
    }

    /// Edges from `idx` up to its nearest root (0 for a root).
    pub fn depth(&self, idx: TopicIdx) -> u32 {
        self.depth[idx as usize]
    }

    /// Every ancestor of `idx` (not itself), nearest first, each once.
    pub fn ancestors(&self, idx: TopicIdx) -> Vec<TopicIdx> {
        self.reach(idx, |t| self.parents(t))
    }

    /// Every topic under `idx` (not itself), nearest first, each once.
    pub fn descendants(&self, idx: TopicIdx) -> Vec<TopicIdx> {
        self.reach(idx, |t| self.children(t))
    }

    /// The topics reached from `idx` by `next` steps (not itself), breadth first, each once.
    fn reach<'a>(
        &'a self,
        idx: TopicIdx,
        next: impl Fn(TopicIdx) -> &'a [TopicIdx],
    ) -> Vec<TopicIdx> {
        let mut seen = vec![idx];
        let mut i = 0;
        while i < seen.len() {
            for &p in next(seen[i]) {
                if !seen.contains(&p) {
                    seen.push(p);
                }
            }
            i += 1;
        }
        seen.remove(0);
        seen
    }

    /// The roll-up path from a root down to `idx` (`[sports, basketball, stephen-curry]`),
    /// following at each step the parent nearest a root (ties: the parent listed first).
    pub fn path(&self, idx: TopicIdx) -> Vec<TopicIdx> {
        let mut path = vec![idx];
        let mut cur = idx;
        while let Some(p) = self.primary_parent[cur as usize] {
            path.push(p);
            cur = p;
        }
        path.reverse();
        path
    }

    /// The topic with source id `id`.
    pub fn by_id(&self, id: &str) -> Option<TopicIdx> {
        self.by_id.get(id).copied()
    }

    /// Topics whose id, slug, display name (any language) or keyword-free name matches
    /// `query` case-insensitively, ids first. Several topics can share a name.
    pub fn lookup(&self, query: &str) -> Vec<TopicIdx> {
        if let Some(i) = self.by_id(query.trim()) {
            return vec![i];
        }
        self.by_key
            .get(&normalize_key(query))
            .cloned()
            .unwrap_or_default()
    }

    /// The single topic named `query` (see [`Ontology::lookup`]), or an error listing the
    /// closest names.
    pub fn find(&self, query: &str) -> Result<TopicIdx> {
        match self.lookup(query).first() {
            Some(&i) => Ok(i),
            None => Err(Error::param(
                "topic",
                format!(
                    "unknown topic {query:?}{}",
                    suggestion(&self.closest_names(query, 5))
                ),
            )),
        }
    }

    /// Up to `k` topics whose names (slug, display names, keywords) are closest to `query`,
    /// ties by index, for "did you mean" messages: an exact name first, then names starting
    /// with the query, names holding its words, then by edit distance (see
    /// [`closest_items`]).
    pub fn closest(&self, query: &str, k: usize) -> Vec<TopicIdx> {
        let names = self
            .by_key
            .iter()
            .flat_map(|(key, idxs)| idxs.iter().map(move |&i| (i, key.as_str())));
        closest_items(query, names, k)
    }

    /// The closest topics to `query` as `Name (slug)` (see [`Ontology::closest`]).
    pub fn closest_names(&self, query: &str, k: usize) -> Vec<String> {
        self.closest(query, k)
            .into_iter()
            .map(|i| format!("{} ({})", self.topic(i).name, self.topic(i).slug))
            .collect()
    }

    /// Every name a topic is known by, with the topic: slug, display names, keywords
    /// (normalised keys, for phrase matching).
    pub fn keys(&self) -> impl Iterator<Item = (&str, &[TopicIdx])> {
        self.by_key.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }
}

/// Builds an [`Ontology`], checking that every edge names known topics and that there is no
/// cycle. Errors name the source and the line of the offending record.
#[derive(Debug)]
pub struct OntologyBuilder {
    origin: Arc<Path>,
    topics: Vec<Topic>,
    by_id: FxHashMap<String, TopicIdx>,
    edges: Vec<(String, String, u64, Arc<Path>)>,
}

impl OntologyBuilder {
    /// A builder for topics read from `origin` (a path, or a name such as `builtin`).
    pub fn new(origin: impl Into<PathBuf>) -> Self {
        OntologyBuilder {
            origin: Arc::from(origin.into()),
            topics: Vec::new(),
            by_id: FxHashMap::default(),
            edges: Vec::new(),
        }
    }

    /// The file that the records added from now on come from (for error messages).
    pub fn set_origin(&mut self, origin: impl Into<PathBuf>) {
        self.origin = Arc::from(origin.into());
    }

    /// Whether a topic with this id was added.
    pub fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    fn err(&self, line: u64, reason: impl Into<String>) -> Error {
        Error::parse(&*self.origin, line, reason)
    }

    /// Adds a topic read at `line`; a repeated id is an error.
    pub fn add_topic(&mut self, id: &str, slug: &str, name: &str, line: u64) -> Result<TopicIdx> {
        if id.is_empty() {
            return Err(self.err(line, "empty topic id"));
        }
        if self.by_id.contains_key(id) {
            return Err(self.err(line, format!("topic id {id} appears twice")));
        }
        let idx = TopicIdx::try_from(self.topics.len()).expect("fewer than 2^32 topics");
        self.by_id.insert(id.to_owned(), idx);
        self.topics.push(Topic {
            id: id.to_owned(),
            slug: slug.to_owned(),
            name: name.to_owned(),
            names: Vec::new(),
            keywords: Vec::new(),
        });
        Ok(idx)
    }

    fn topic_mut(&mut self, id: &str, line: u64) -> Result<&mut Topic> {
        match self.by_id.get(id) {
            Some(&i) => Ok(&mut self.topics[i as usize]),
            None => Err(self.err(line, format!("unknown topic id {id}"))),
        }
    }

    /// Adds a display name in language `lang` to topic `id`.
    pub fn add_name(&mut self, id: &str, lang: &str, name: &str, line: u64) -> Result<()> {
        let t = self.topic_mut(id, line)?;
        t.names.push((lang.to_owned(), name.to_owned()));
        Ok(())
    }

    /// Adds a keyword to topic `id`.
    pub fn add_keyword(&mut self, id: &str, keyword: &str, line: u64) -> Result<()> {
        let t = self.topic_mut(id, line)?;
        t.keywords.push(keyword.to_owned());
        Ok(())
    }

    /// Adds the edge `parent → child`, checked at [`OntologyBuilder::build`].
    pub fn add_edge(&mut self, parent: &str, child: &str, line: u64) {
        self.edges.push((
            parent.to_owned(),
            child.to_owned(),
            line,
            Arc::clone(&self.origin),
        ));
    }

    /// The finished ontology.
    pub fn build(self) -> Result<Ontology> {
        let n = self.topics.len();
        let mut parents = vec![Vec::new(); n];
        let mut children = vec![Vec::new(); n];
        let mut edge_lines = FxHashMap::default();
        let mut edges = 0;
        for (p, c, line, origin) in &self.edges {
            let err = |reason: String| Error::parse(&**origin, *line, reason);
            let pi = *self
                .by_id
                .get(p)
                .ok_or_else(|| err(format!("unknown parent topic {p}")))?;
            let ci = *self
                .by_id
                .get(c)
                .ok_or_else(|| err(format!("unknown child topic {c}")))?;
            if pi == ci {
                return Err(err(format!("topic {p} is its own parent")));
            }
            if parents[ci as usize].contains(&pi) {
                continue;
            }
            parents[ci as usize].push(pi);
            children[pi as usize].push(ci);
            edge_lines.insert((pi, ci), (*line, origin));
            edges += 1;
        }
        let depth = depths(&parents, &children).map_err(|stuck| {
            let c = stuck;
            let p = parents[c as usize][0];
            let (line, origin) = edge_lines[&(p, c)];
            Error::parse(
                &**origin,
                line,
                format!(
                    "cycle through topic {} (parent {})",
                    self.topics[c as usize].id, self.topics[p as usize].id
                ),
            )
        })?;
        let primary_parent = parents
            .iter()
            .map(|ps| ps.iter().copied().min_by_key(|&p| depth[p as usize]))
            .collect();
        let roots = (0..n as TopicIdx)
            .filter(|&i| parents[i as usize].is_empty())
            .collect();
        let mut by_key: FxHashMap<String, Vec<TopicIdx>> = FxHashMap::default();
        for (i, t) in self.topics.iter().enumerate() {
            let names = t.names.iter().map(|(_, s)| s.as_str());
            let all = [t.slug.as_str(), t.name.as_str()]
                .into_iter()
                .chain(names)
                .chain(t.keywords.iter().map(String::as_str));
            for name in all {
                let key = normalize_key(name);
                if key.is_empty() {
                    continue;
                }
                let v = by_key.entry(key).or_default();
                if !v.contains(&(i as TopicIdx)) {
                    v.push(i as TopicIdx);
                }
            }
        }
        Ok(Ontology {
            topics: self.topics,
            parents,
            children,
            roots,
            depth,
            primary_parent,
            by_id: self.by_id,
            by_key,
            edges,
        })
    }
}

/// Shortest distance of every topic to a root (Kahn's order from the roots), or a topic on a
/// cycle.
fn depths(
    parents: &[Vec<TopicIdx>],
    children: &[Vec<TopicIdx>],
) -> std::result::Result<Vec<u32>, TopicIdx> {
    let n = parents.len();
    let mut waiting: Vec<usize> = parents.iter().map(Vec::len).collect();
    let mut depth = vec![u32::MAX; n];
    let mut queue: Vec<TopicIdx> = (0..n as TopicIdx)
        .filter(|&i| waiting[i as usize] == 0)
        .collect();
    for &r in &queue {
        depth[r as usize] = 0;
    }
    let mut head = 0;
    while head < queue.len() {
        let u = queue[head];
        head += 1;
        for &c in &children[u as usize] {
            let c = c as usize;
            depth[c] = depth[c].min(depth[u as usize] + 1);
            waiting[c] -= 1;
            if waiting[c] == 0 {
                queue.push(c as TopicIdx);
            }
        }
    }
    match (0..n).find(|&i| waiting[i] > 0) {
        Some(i) => Err(i as TopicIdx),
        None => Ok(depth),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Ontology {
        let mut b = OntologyBuilder::new("t.tsv");
        b.add_topic("1", "sports", "Sports", 1).unwrap();
        b.add_topic("2", "basketball", "Basketball", 2).unwrap();
        b.add_topic("3", "stephen-curry", "Stephen Curry", 3)
            .unwrap();
        b.add_topic("4", "celebrities", "Celebrities", 4).unwrap();
        b.add_name("2", "fr", "Basket-ball", 5).unwrap();
        b.add_edge("1", "2", 6);
        b.add_edge("2", "3", 7);
        b.add_edge("4", "3", 8);
        b.build().unwrap()
    }

    #[test]
    fn paths_ancestors_lookup() {
        let o = small();
        assert_eq!(o.len(), 4);
        assert_eq!(o.edge_count(), 3);
        assert_eq!(o.roots(), [0, 3]);
        let curry = o.find("STEPHEN curry").unwrap();
        assert_eq!(o.path(curry), [3, 2]);
        assert_eq!(o.depth(curry), 1);
        assert_eq!(o.ancestors(curry), [1, 3, 0]);
        assert_eq!(o.lookup("basket ball"), [1]);
        assert_eq!(o.lookup("2"), [1]);
        assert_eq!(o.closest("basketbal", 1), [1]);
        let err = o.find("baskteball").unwrap_err().to_string();
        assert!(err.contains("Basketball"), "{err}");
    }

    #[test]
    fn bad_input_names_the_line() {
        let mut b = OntologyBuilder::new("t.tsv");
        b.add_topic("a", "a", "A", 1).unwrap();
        b.add_topic("b", "b", "B", 2).unwrap();
        assert!(b
            .add_topic("a", "a", "A", 3)
            .unwrap_err()
            .to_string()
            .contains("t.tsv:3"));
        b.add_edge("a", "b", 4);
        b.add_edge("b", "a", 5);
        let err = b.build().unwrap_err().to_string();
        assert!(err.contains("cycle"), "{err}");
        let mut b = OntologyBuilder::new("t.tsv");
        b.add_topic("a", "a", "A", 1).unwrap();
        b.add_edge("zz", "a", 9);
        assert!(b
            .build()
            .unwrap_err()
            .to_string()
            .starts_with("t.tsv:9: unknown parent"));
    }
}
