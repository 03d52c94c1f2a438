//! Loading a [`Snapshot`] from the run store: the latest run's accounts, its leaderboards and
//! evidence posts, and every account's score history, read once at start-up through the
//! store's public API, in one read transaction (a run being replaced is never half-read).

use rustc_hash::FxHashMap;

use super::snapshot::Snapshot;
use crate::error::Result;
use crate::store::{comparable, RunData, Store};

impl Snapshot {
    /// The latest run of `store`, or `None` when the store holds no run yet.
    pub fn load(store: &Store) -> Result<Option<Snapshot>> {
        store.read_consistent(Self::load_from)
    }

    /// [`Snapshot::load`] inside its read transaction.
    fn load_from(store: &Store) -> Result<Option<Snapshot>> {
        let Some(meta) = store.latest()? else {
            return Ok(None);
        };
        let as_of = meta.as_of;
        let accounts = store.accounts(as_of)?;
        let mut leaderboards = Vec::new();
        for t in store.topics(as_of)? {
            leaderboards.extend(store.leaderboard(as_of, &t.topic)?);
        }
        let mut post_ids: Vec<String> = accounts
            .iter()
            .flat_map(|a| a.topics.iter().flat_map(|t| t.evidence.iter().cloned()))
            .collect();
        post_ids.sort_unstable();
        post_ids.dedup();
        let posts = store.posts(as_of, &post_ids)?;
        // With one run, each history is that run's score: no need to ask per account.
        let mut history = FxHashMap::default();
        if store.runs()?.len() > 1 {
            for a in &accounts {
                let points = store.history_with_topics(&a.account.id)?;
                let points = comparable(points, meta.window, &meta.calibration);
                history.insert(a.account.id.clone(), points);
            }
        }
        let run = RunData {
            meta: Some(meta),
            accounts,
            leaderboards,
            posts,
        };
        Ok(Some(Snapshot::from_run(run).with_history(history)))
    }
}
