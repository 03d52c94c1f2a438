//! The API's in-memory view of one run: the records of the latest run indexed by account id, by
//! (network, handle) and by topic slug, with the hot score bodies serialised up front. Built
//! once at start-up; read-only afterwards, so requests share it without locks.

use std::collections::BTreeSet;

use bytes::Bytes;
use rustc_hash::FxHashMap;

use super::json;
use crate::ingest::lookup::{fold, match_name, IdMatch};
use crate::report::badges::{self, Achievements};
use crate::store::{
    AccountRecord, EvidencePost, HistoryPoint, Leaderboard, RunData, RunMeta, HISTORY_TOPICS,
};

/// One run, ready to serve.
#[derive(Debug, Default)]
pub struct Snapshot {
    meta: Option<RunMeta>,
    /// Best first, as in the run.
    accounts: Vec<AccountRecord>,
    by_id: FxHashMap<String, u32>,
    /// Key: lower-case id; [`SEVERAL`] when ids differ only in case.
    by_fold: FxHashMap<String, u32>,
    /// Key: `network` NUL lower-case handle; [`SEVERAL`] when handles differ only in case.
    by_handle: FxHashMap<String, u32>,
    networks: BTreeSet<String>,
    /// `/v2/user.json/{id}/score` bodies, parallel to `accounts`.
    score_bodies: Vec<Bytes>,
    boards: Vec<Leaderboard>,
    /// Key: lower-case slug.
    by_slug: FxHashMap<String, u32>,
    posts: FxHashMap<String, EvidencePost>,
    history: FxHashMap<String, Vec<HistoryPoint>>,
    ontology: Option<crate::topics::Ontology>,
    /// Key: person; the networks on which its accounts were engaged, sorted (for badges).
    engaged: FxHashMap<String, Vec<String>>,
}

/// An index slot shared by several records.
const SEVERAL: u32 = u32::MAX;

/// Records `i` under `key`, or marks the key as shared.
fn index(map: &mut FxHashMap<String, u32>, key: String, i: u32) {
    map.entry(key)
        .and_modify(|slot| *slot = SEVERAL)
        .or_insert(i);
}

/// A topic's display name and path (slugs from the root).
#[derive(Debug, Clone, PartialEq)]
pub struct TopicLabel {
    pub slug: String,
    pub name: String,
    pub path: Vec<String>,
}

impl Snapshot {
    /// Indexes a run. Records with an id seen before are ignored (a run has unique ids).
    pub fn from_run(run: RunData) -> Snapshot {
        let mut s = Snapshot {
            ontology: match run.meta.as_ref().map(|m| m.ontology.as_str()) {
                None | Some("builtin") => Some(crate::topics::builtin()),
                Some(_) => None,
            },
            meta: run.meta,
            ..Snapshot::default()
        };
        for rec in run.accounts {
            if s.by_id.contains_key(&rec.account.id) {
                continue;
            }
            let i = s.accounts.len() as u32;
            s.by_id.insert(rec.account.id.clone(), i);
            index(&mut s.by_fold, fold(&rec.account.id), i);
            let key = handle_key(&rec.account.network, &rec.account.handle);
            index(&mut s.by_handle, key, i);
            s.networks.insert(rec.account.network.clone());
            if rec.ledger.engaged_accounts > 0 {
                let nets = s.engaged.entry(rec.account.person.clone()).or_default();
                if let Err(k) = nets.binary_search(&rec.account.network) {
                    nets.insert(k, rec.account.network.clone());
                }
            }
            s.score_bodies.push(Bytes::from(json::score_body(&rec)));
            s.accounts.push(rec);
        }
        for board in run.leaderboards {
            let key = board.topic.to_lowercase();
            if s.by_slug.contains_key(&key) {
                continue;
            }
            s.by_slug.insert(key, s.boards.len() as u32);
            s.boards.push(board);
        }
        s.posts = run.posts.into_iter().map(|p| (p.id.clone(), p)).collect();
        s
    }

    /// Adds score histories (one list per account id, oldest first).
    pub fn with_history(mut self, history: FxHashMap<String, Vec<HistoryPoint>>) -> Snapshot {
        self.history = history;
        self
    }

    pub fn meta(&self) -> Option<&RunMeta> {
        self.meta.as_ref()
    }

    /// Accounts best first.
    pub fn accounts(&self) -> &[AccountRecord] {
        &self.accounts
    }

    /// The account of exactly this id (records link to one another by exact ids).
    pub fn account(&self, id: &str) -> Option<&AccountRecord> {
        self.by_id.get(id).map(|&i| &self.accounts[i as usize])
    }

    /// The account a person means by `name`, by the rule of [`crate::ingest::lookup`]: the
    /// id as written, else the only id equal to it ignoring case.
    pub fn resolve(&self, name: &str) -> IdMatch<&AccountRecord> {
        self.resolve_index(name).map(|i| &self.accounts[i as usize])
    }

    fn resolve_index(&self, name: &str) -> IdMatch<u32> {
        let exact = self.by_id.get(name).copied();
        let hit = match self.by_fold.get(&fold(name)) {
            None => return match_name(name, exact, std::iter::empty()),
            Some(&i) if i != SEVERAL => vec![i],
            Some(_) => self.ids_folding_to(name),
        };
        let ids = hit
            .iter()
            .map(|&i| (self.accounts[i as usize].account.id.as_str(), i));
        match_name(name, exact, ids)
    }

    /// Every account whose id equals `name` ignoring case (a scan: only for shared keys).
    fn ids_folding_to(&self, name: &str) -> Vec<u32> {
        let key = fold(name);
        (0..self.accounts.len() as u32)
            .filter(|&i| fold(&self.accounts[i as usize].account.id) == key)
            .collect()
    }

    /// The pre-serialised score body of the account `name` means (see [`Snapshot::resolve`]).
    pub fn score_body(&self, name: &str) -> IdMatch<Bytes> {
        self.resolve_index(name)
            .map(|i| self.score_bodies[i as usize].clone())
    }

    /// The account with `handle` (a leading `@` ignored) on `network` (exact network name):
    /// the handle as written, else the only one equal to it ignoring case.
    pub fn by_handle(&self, network: &str, handle: &str) -> IdMatch<&AccountRecord> {
        let handle = bare(handle);
        let on = |i: &u32| {
            let a = &self.accounts[*i as usize].account;
            (a.network == network && fold(bare(&a.handle)) == fold(handle)).then_some(*i)
        };
        let hits: Vec<u32> = match self.by_handle.get(&handle_key(network, handle)) {
            None => Vec::new(),
            Some(&i) if i != SEVERAL => vec![i],
            Some(_) => (0..self.accounts.len() as u32)
                .filter_map(|i| on(&i))
                .collect(),
        };
        let exact = hits
            .iter()
            .copied()
            .find(|&i| bare(&self.accounts[i as usize].account.handle) == handle);
        let names = hits
            .iter()
            .map(|&i| (bare(&self.accounts[i as usize].account.handle), i));
        match_name(handle, exact, names).map(|i| &self.accounts[i as usize])
    }

    /// The networks of the run's accounts, sorted.
    pub fn networks(&self) -> impl Iterator<Item = &str> + Clone {
        self.networks.iter().map(String::as_str)
    }

    pub fn has_network(&self, network: &str) -> bool {
        self.networks.contains(network)
    }

    /// Leaderboards in run order.
    pub fn leaderboards(&self) -> &[Leaderboard] {
        &self.boards
    }

    /// The leaderboard of `slug` (case-insensitive).
    pub fn leaderboard(&self, slug: &str) -> Option<&Leaderboard> {
        self.by_slug
            .get(&slug.to_lowercase())
            .map(|&i| &self.boards[i as usize])
    }

    /// Up to `k` leaderboard slugs closest to `query` (exact, prefix and word matches of
    /// their slugs or names, then edit distance; see `topics::closest_items`), for error
    /// messages.
    pub fn closest_topics(&self, query: &str, k: usize) -> Vec<&str> {
        let names = self.boards.iter().flat_map(|b| {
            [
                (b.topic.as_str(), b.topic.as_str()),
                (b.topic.as_str(), b.name.as_str()),
            ]
        });
        crate::topics::closest_items(query, names, k)
    }

    /// Display name and path of `slug`: from its leaderboard, else from the built-in taxonomy
    /// when the run used it, else the slug itself.
    pub fn topic_label(&self, slug: &str) -> TopicLabel {
        if let Some(b) = self.leaderboard(slug) {
            return TopicLabel {
                slug: b.topic.clone(),
                name: b.name.clone(),
                path: b.path.clone(),
            };
        }
        if let Some(o) = &self.ontology {
            if let Some(idx) = o.by_id(slug) {
                return TopicLabel {
                    slug: slug.to_owned(),
                    name: o.topic(idx).name.clone(),
                    path: o
                        .path(idx)
                        .iter()
                        .map(|&i| o.topic(i).slug.clone())
                        .collect(),
                };
            }
        }
        TopicLabel {
            slug: slug.to_owned(),
            name: slug.to_owned(),
            path: vec![slug.to_owned()],
        }
    }

    pub fn post(&self, id: &str) -> Option<&EvidencePost> {
        self.posts.get(id)
    }

    /// The achievements of `rec` in this run, from its ledger, its history and its person's
    /// other accounts.
    pub fn achievements(&self, rec: &AccountRecord) -> Achievements {
        let networks: Vec<&str> = self
            .engaged
            .get(&rec.account.person)
            .map_or(Vec::new(), |n| n.iter().map(String::as_str).collect());
        let history = self.history(&rec.account.id);
        match self.meta() {
            Some(m) => {
                let is_ancestor =
                    |a: &str, b: &str| a != b && self.topic_label(b).path.iter().any(|x| x == a);
                badges::of_record(m, rec, &networks, history, &is_ancestor)
            }
            None => Achievements {
                account: rec.account.id.clone(),
                as_of: 0,
                badges: Vec::new(),
            },
        }
    }

    /// Score history of `id`, oldest first: as loaded, else this run's score alone.
    pub fn history(&self, id: &str) -> Vec<HistoryPoint> {
        if let Some(h) = self.history.get(id) {
            return h.clone();
        }
        match (self.meta(), self.account(id)) {
            (Some(m), Some(a)) => vec![HistoryPoint {
                as_of: m.as_of,
                score: a.score,
                window: m.window,
                calibration: m.calibration.clone(),
                topics: a
                    .topics
                    .iter()
                    .take(HISTORY_TOPICS)
                    .map(|t| t.topic.clone())
                    .collect(),
            }],
            _ => Vec::new(),
        }
    }
}

fn handle_key(network: &str, handle: &str) -> String {
    format!("{network}\0{}", fold(bare(handle)))
}

/// A handle without its leading `@`s.
fn bare(handle: &str) -> &str {
    handle.trim_start_matches('@')
}
