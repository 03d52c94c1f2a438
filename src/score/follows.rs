//! The follow graph mapped onto the scored accounts: follower and following counts (for the
//! follow-ratio penalty), "is this engager a follower" look-ups (for True Reach), and the
//! follow edges between scored accounts (for Network Impact over the follow graph). Accounts
//! that appear only in the follow file are counted in degrees but are not scored.

use crate::graph::Graph;
use crate::ingest::{EdgeList, IdMap, Node};

/// Follow edges over the scored accounts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Follows {
    /// `(followee, follower)` pairs between scored accounts, sorted, no duplicates or self-loops.
    pub edges: Vec<(Node, Node)>,
    /// Followers of each account (all follow records, deduplicated).
    pub followers: Vec<u32>,
    /// Accounts each account follows.
    pub following: Vec<u32>,
    /// Follow records with an end that is not a scored account.
    pub outside: u64,
}

impl Follows {
    /// Maps a follow edge list (`follower followee`) onto `accounts`.
    pub fn new(list: &EdgeList, accounts: &IdMap) -> Follows {
        let mut raw: Vec<(Node, Node)> = list
            .src
            .iter()
            .zip(&list.dst)
            .filter(|(s, d)| s != d)
            .map(|(&s, &d)| (d, s))
            .collect();
        raw.sort_unstable();
        raw.dedup();
        Self::from_pairs(raw, &list.ids, accounts)
    }

    /// Maps a follow graph (edges follower → followee, duplicates merged, self-loops dropped:
    /// what `graph::load` returns, from its binary cache on a second run) onto `accounts`.
    /// The same as [`Follows::new`] on the edge list the graph was built from.
    pub fn from_graph(g: &Graph, accounts: &IdMap) -> Follows {
        let out = g.out_edges();
        let mut raw: Vec<(Node, Node)> = (0..g.num_nodes() as Node)
            .flat_map(|v| out.neighbors(v).iter().map(move |&w| (w, v)))
            .filter(|(w, v)| w != v)
            .collect();
        raw.sort_unstable();
        raw.dedup();
        Self::from_pairs(raw, g.ids(), accounts)
    }

    /// From distinct `(followee, follower)` pairs, sorted, numbered by `ids`.
    fn from_pairs(raw: Vec<(Node, Node)>, ids: &IdMap, accounts: &IdMap) -> Follows {
        let index = accounts.index();
        let map: Vec<Option<Node>> = (0..ids.len() as Node)
            .map(|v| index.get(&ids.name(v).to_string()))
            .collect();
        let n = accounts.len();
        let mut f = Follows {
            followers: vec![0; n],
            following: vec![0; n],
            ..Follows::default()
        };
        for (followee, follower) in raw {
            let (a, b) = (map[followee as usize], map[follower as usize]);
            if let Some(a) = a {
                f.followers[a as usize] += 1;
            }
            if let Some(b) = b {
                f.following[b as usize] += 1;
            }
            match (a, b) {
                (Some(a), Some(b)) => f.edges.push((a, b)),
                _ => f.outside += 1,
            }
        }
        f.edges.sort_unstable();
        f
    }

    /// Whether `follower` follows `followee`.
    pub fn follows(&self, follower: Node, followee: Node) -> bool {
        self.edges.binary_search(&(followee, follower)).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::GraphBuilder;
    use crate::ingest::edges::parse_edge_list;
    use crate::ingest::{EdgeListOptions, Source};

    /// The graph path (what a cached run reads) maps exactly as the edge-list path: duplicate
    /// follows, a self-loop, numeric and textual ids, and accounts outside the interactions.
    #[test]
    fn from_graph_equals_from_the_edge_list() {
        let text = "a b\na b\nb a\nc a\nc c\nd a\nx a\na y\nb c\n";
        let list = parse_edge_list(
            &Source::from_bytes("f.txt", text.as_bytes().to_vec()),
            EdgeListOptions::default(),
        )
        .unwrap();
        let accounts = IdMap::Text(["a", "b", "c", "d", "e"].map(Box::from).to_vec());
        let want = Follows::new(&list, &accounts);
        let (g, _) = GraphBuilder::new().build(list);
        assert_eq!(Follows::from_graph(&g, &accounts), want);
        // By hand: a is followed by b, c, d (x is outside), follows b (and y, outside).
        assert_eq!((want.followers[0], want.following[0]), (4, 2));
        assert_eq!(want.outside, 2);
        assert!(want.follows(2, 0) && !want.follows(0, 2));
    }
}
