//! The records a run persists in the store: plain serde types shared by `clout run` (writer),
//! `clout serve`, `clout report`, `clout history` and `clout top --store` (readers).
//!
//! A run is identified by its as-of instant; a second run with the same data and as-of replaces
//! the first. Every account record of a run is self-contained (sub-scores, raw units, deltas,
//! topics, influence, ledger summary), so that readers never recompute.

use serde::{Deserialize, Serialize};

/// Format version of the records; bumped on any incompatible change.
pub const MODEL_VERSION: u32 = 1;

/// One run of `clout run`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunMeta {
    /// Unix seconds: the end of the scoring window.
    pub as_of: i64,
    /// Window length in seconds (`None`: all time).
    pub window: Option<i64>,
    /// Unix seconds when the run finished (informational; not part of the identity).
    pub created: i64,
    /// Digest (hex) of the input files, so a rerun on the same data is recognised.
    pub input_digest: String,
    /// The input directory as given.
    pub source: String,
    /// Score calibration version, e.g. `v1`.
    pub calibration: String,
    /// Ontology the topics come from, e.g. `builtin`.
    pub ontology: String,
    /// Accounts that existed at `as_of` (acted or were acted on at or before it): those stored.
    pub accounts: u64,
    /// The people of those accounts.
    pub people: u64,
    /// Interactions in the window.
    pub interactions: u64,
    /// Posts in the window.
    pub posts: u64,
    /// What the run read, file by file (empty for runs stored before clout kept it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputFile>,
    /// The version of the scoring code (`score::SCORING_VERSION`; 0: not recorded).
    #[serde(default)]
    pub scoring: u32,
}

/// One input file of a run as it was read: enough to tell later whether the file is unchanged,
/// has only grown, or changed, and which of its records the run saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// What the file holds: `interactions`, `follows`, `posts`, `identities`,
    /// `endorsements`, or a platform's name.
    pub role: String,
    /// The file's name in the dataset directory.
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// xxh3-128 of its bytes, hex.
    pub digest: String,
    /// Records read from it (interactions and posts files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<u64>,
    /// The latest record time in it (interactions and posts files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_time: Option<i64>,
}

/// An account on one network, and the person it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRef {
    /// The account id as in the inputs.
    pub id: String,
    /// Network name (`default` when the inputs carry none).
    pub network: String,
    /// The handle on that network (the id without any network prefix).
    pub handle: String,
    /// The person (identity) id; the account id itself for unlinked accounts.
    pub person: String,
}

/// A measure in its raw unit and as a 1–100 sub-score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub raw: f64,
    pub score: f64,
}

/// Score changes over a day, a week and a month: the one definition of
/// [`history`](crate::score::history) (`None`: not defined).
pub use crate::score::history::Delta as Deltas;

/// A counterpart in an influence relation (an influencer or an influencee).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counterpart {
    pub id: String,
    /// Actions between the two accounts in the window.
    pub actions: u32,
    /// Contribution to (or received from) the score, in the ledger's unit.
    pub weight: f64,
}

/// One topic of an account, with its expertise and the posts that show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountTopic {
    /// Topic slug in the run's ontology.
    pub topic: String,
    /// Expertise score (≥ 0; larger is more expert), as computed by `topics::expertise`.
    pub expertise: f64,
    /// Ids of the evidence posts, most engaging first (at most a handful).
    pub evidence: Vec<String>,
    /// What +K endorsements added ([`crate::topics::expertise::endorse`]): absent without any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plus_k: Option<crate::topics::expertise::endorse::PlusK>,
}

/// The main signals of the ledger, from which the score can be recomputed by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerSummary {
    pub engaged_accounts: u32,
    pub followers_engaged: Option<u32>,
    pub posts: u32,
    pub posts_acted_on: u32,
    /// Actions received by kind (`share`, `mention`, …).
    pub actions_by_kind: Vec<(String, u32)>,
    pub followers: Option<u32>,
    pub following: Option<u32>,
    /// The formula with this account's numbers substituted, one line.
    pub formula: String,
    /// Evidence of gaming around the account (a coordinated audience, being a suspect
    /// engager, a closed cluster), one sentence each; empty for none. Stores written before
    /// flags existed read as none.
    #[serde(default)]
    pub flags: Vec<String>,
}

/// Everything a run knows about one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRecord {
    pub account: AccountRef,
    /// The 1–100 score.
    pub score: f64,
    /// Percentile of the score among the run's accounts (0–100).
    pub percentile: f64,
    /// True Reach: raw = distinct engaged accounts (reactor-weighted count in the ledger).
    pub true_reach: Measure,
    /// Amplification: raw = probability a post is acted on (shrunk).
    pub amplification: Measure,
    /// Network Impact: raw = PageRank probability.
    pub network_impact: Measure,
    pub delta: Deltas,
    /// Topics best first.
    pub topics: Vec<AccountTopic>,
    /// Accounts contributing most to this one's score, best first.
    pub influencers: Vec<Counterpart>,
    /// Accounts this one amplifies most, best first.
    pub influencees: Vec<Counterpart>,
    pub ledger: LedgerSummary,
}

/// One entry of a topic leaderboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaderEntry {
    /// 1-based rank.
    pub rank: u32,
    pub account: String,
    /// The leaderboard value (topic influence); larger is better.
    pub value: f64,
    /// The account's expertise in the topic (rolled up).
    pub expertise: f64,
    /// Topic-sensitive Network Impact (PageRank probability under the topic's teleport).
    pub topical_impact: f64,
    /// The account's overall 1–100 score.
    pub score: f64,
}

/// A topic's leaderboard in one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Leaderboard {
    /// Topic slug.
    pub topic: String,
    /// Display name.
    pub name: String,
    /// Slugs from the root to the topic.
    pub path: Vec<String>,
    /// Best first, ties by account id.
    pub entries: Vec<LeaderEntry>,
}

/// A post kept as evidence (text shortened for display).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidencePost {
    pub id: String,
    pub author: String,
    pub time: i64,
    pub text: String,
    /// Unique accounts that acted on it.
    pub reactors: u32,
}

/// One point of an account's score history (one per run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryPoint {
    pub as_of: i64,
    pub score: f64,
    /// The run's window length in seconds (`None`: all time). Scores of runs with different
    /// windows or calibrations are not comparable: see [`comparable`].
    #[serde(default)]
    pub window: Option<i64>,
    /// The run's calibration version.
    #[serde(default)]
    pub calibration: String,
    /// The account's best topics in the run (slugs, best first, at most
    /// [`HISTORY_TOPICS`]), for achievements; not part of the serialised history.
    #[serde(skip)]
    pub topics: Vec<String>,
}

/// Topics a history point keeps.
pub const HISTORY_TOPICS: usize = 3;

/// The points of `points` whose run has the window `window` and the calibration
/// `calibration` (history compares only those).
pub fn comparable(
    points: Vec<HistoryPoint>,
    window: Option<i64>,
    calibration: &str,
) -> Vec<HistoryPoint> {
    points
        .into_iter()
        .filter(|p| p.window == window && p.calibration == calibration)
        .collect()
}

/// A topic that has a leaderboard in a run (for pickers and lookups).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicInfo {
    pub topic: String,
    pub name: String,
    /// Slugs from the root to the topic.
    pub path: Vec<String>,
    /// Entries in its leaderboard.
    pub entries: u32,
}

/// Everything one run writes, in one transaction.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RunData {
    pub meta: Option<RunMeta>,
    /// Best first (ties by id).
    pub accounts: Vec<AccountRecord>,
    pub leaderboards: Vec<Leaderboard>,
    /// Evidence posts referenced by the accounts' topics.
    pub posts: Vec<EvidencePost>,
}

impl RunData {
    /// The leaderboard of topic `slug`, if the run has one.
    pub fn leaderboard(&self, slug: &str) -> Option<&Leaderboard> {
        self.leaderboards.iter().find(|b| b.topic == slug)
    }
}
