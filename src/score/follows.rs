//! The follow graph mapped onto the scored accounts: follower and following counts (for the
//! follow-ratio penalty), "is this engager a follower" look-ups (for True Reach), and the
//! follow edges between scored accounts (for Network Impact over the follow graph). Accounts
//! that appear only in the follow file are counted in degrees but are not scored.

use crate::ingest::{EdgeList, IdMap, Node};

/// Follow edges over the scored accounts.
#[derive(Debug, Clone, Default)]
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
        let index = accounts.index();
        let map: Vec<Option<Node>> = (0..list.ids.len() as Node)
            .map(|v| index.get(&list.ids.name(v).to_string()))
            .collect();
        let mut raw: Vec<(Node, Node)> = list
            .src
            .iter()
            .zip(&list.dst)
            .filter(|(s, d)| s != d)
            .map(|(&s, &d)| (d, s))
            .collect();
        raw.sort_unstable();
        raw.dedup();
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
