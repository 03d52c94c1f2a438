//! A small, fully specified run for tests of the store's readers (API, reports, history):
//! six accounts on two networks (two of them one person), two topics with leaderboards
//! (`gardening`, `cooking`, from the built-in taxonomy), evidence posts and deltas. Scores move
//! with the as-of day, so runs at different dates make a history.
//!
//! | rank | id | network | person | base score | topics |
//! |---|---|---|---|---|---|
//! | 1 | `tw:ada` | twitter | `ada` | 80 | gardening, cooking |
//! | 2 | `fb:ada` | facebook | `ada` | 70 | gardening |
//! | 3 | `tw:bob` | twitter | `tw:bob` | 60 | cooking |
//! | 4 | `tw:cy` | twitter | `tw:cy` | 50 | gardening |
//! | 5 | `fb:dee` | facebook | `fb:dee` | 40 | cooking |
//! | 6 | `tw:eve` | twitter | `tw:eve` | 30 | none |
//!
//! Each score is `base + d` with `d = (as_of / 86 400) mod 7` (whole days since the epoch),
//! so the order never changes.

use super::model::*;

/// `(id, network, handle, person, base score, [(topic, expertise)])`.
type Spec = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    &'static [(&'static str, f64)],
);

/// The accounts of [`sample_run`], best first.
pub const ACCOUNTS: [Spec; 6] = [
    (
        "tw:ada",
        "twitter",
        "ada",
        "ada",
        80.0,
        &[("gardening", 0.9), ("cooking", 0.4)],
    ),
    (
        "fb:ada",
        "facebook",
        "Ada",
        "ada",
        70.0,
        &[("gardening", 0.7)],
    ),
    (
        "tw:bob",
        "twitter",
        "bob",
        "tw:bob",
        60.0,
        &[("cooking", 0.8)],
    ),
    (
        "tw:cy",
        "twitter",
        "cy",
        "tw:cy",
        50.0,
        &[("gardening", 0.5)],
    ),
    (
        "fb:dee",
        "facebook",
        "dee",
        "fb:dee",
        40.0,
        &[("cooking", 0.6)],
    ),
    ("tw:eve", "twitter", "eve", "tw:eve", 30.0, &[]),
];

/// The score shift of a run at `as_of`: whole days since the epoch, mod 7.
pub fn shift(as_of: i64) -> f64 {
    as_of.div_euclid(86_400).rem_euclid(7) as f64
}

/// A complete run at `as_of` (see the module doc for its contents).
pub fn sample_run(as_of: i64) -> RunData {
    let d = shift(as_of);
    let accounts: Vec<AccountRecord> = ACCOUNTS
        .iter()
        .enumerate()
        .map(|(i, s)| account(i, s, d))
        .collect();
    let leaderboards = ["gardening", "cooking"]
        .iter()
        .map(|t| board(t, &accounts))
        .collect();
    let posts = accounts
        .iter()
        .flat_map(|a| {
            a.topics
                .iter()
                .map(move |t| post(&a.account.id, &t.topic, as_of))
        })
        .collect();
    RunData {
        meta: Some(RunMeta {
            as_of,
            window: Some(90 * 86_400),
            created: as_of + 60,
            input_digest: "fixture".into(),
            source: "fixture".into(),
            calibration: "v1".into(),
            ontology: "builtin".into(),
            accounts: accounts.len() as u64,
            people: 5,
            interactions: 42,
            posts: 7,
            inputs: Vec::new(),
            scoring: 0,
        }),
        accounts,
        leaderboards,
        posts,
    }
}

/// The evidence post id of `account` on `topic`.
pub fn post_id(account: &str, topic: &str) -> String {
    format!("{account}/{topic}")
}

fn account(i: usize, s: &Spec, d: f64) -> AccountRecord {
    let (id, network, handle, person, base, topics) = *s;
    let score = base + d;
    let others: Vec<&str> = ACCOUNTS.iter().map(|a| a.0).filter(|o| *o != id).collect();
    let counterpart = |k: usize, w: f64| Counterpart {
        id: others[k % others.len()].to_string(),
        actions: (3 - k as u32).max(1),
        weight: w,
    };
    let engaged = (60 - 10 * i) as u32;
    AccountRecord {
        account: AccountRef {
            id: id.into(),
            network: network.into(),
            handle: handle.into(),
            person: person.into(),
        },
        score,
        percentile: 100.0 * (ACCOUNTS.len() - 1 - i) as f64 / (ACCOUNTS.len() - 1) as f64,
        true_reach: Measure {
            raw: engaged as f64,
            score: score - 5.0,
        },
        amplification: Measure {
            raw: 0.5 - 0.05 * i as f64,
            score: score - 2.0,
        },
        network_impact: Measure {
            raw: 0.3 / (i + 1) as f64,
            score: score + 1.0,
        },
        delta: Deltas {
            day: Some(0.5),
            week: Some(-1.25),
            month: (i % 2 == 0).then_some(3.0),
        },
        topics: topics
            .iter()
            .map(|&(t, e)| AccountTopic {
                topic: t.into(),
                expertise: e,
                evidence: vec![post_id(id, t)],
                plus_k: None,
            })
            .collect(),
        influencers: vec![counterpart(0, 2.0), counterpart(1, 1.0)],
        influencees: vec![counterpart(2, 0.5)],
        ledger: LedgerSummary {
            engaged_accounts: engaged,
            followers_engaged: Some(engaged / 2),
            posts: 10,
            posts_acted_on: 8 - i as u32,
            actions_by_kind: vec![("share".into(), 2 * engaged), ("like".into(), engaged)],
            followers: Some(10 * engaged),
            following: Some(20),
            formula: format!("score = {score:.2} (fixture)"),
            flags: Vec::new(),
        },
    }
}

fn board(topic: &str, accounts: &[AccountRecord]) -> Leaderboard {
    let (name, parent) = match topic {
        "gardening" => ("Gardening", "hobbies"),
        _ => ("Cooking", "food-and-drink"),
    };
    let mut rows: Vec<(&AccountRecord, f64)> = accounts
        .iter()
        .filter_map(|a| {
            let t = a.topics.iter().find(|t| t.topic == topic)?;
            Some((a, t.expertise))
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.1 * b.0.score)
            .total_cmp(&(a.1 * a.0.score))
            .then_with(|| a.0.account.id.cmp(&b.0.account.id))
    });
    Leaderboard {
        topic: topic.into(),
        name: name.into(),
        path: vec![parent.into(), topic.into()],
        entries: rows
            .iter()
            .enumerate()
            .map(|(i, (a, e))| LeaderEntry {
                rank: i as u32 + 1,
                account: a.account.id.clone(),
                value: e * a.score,
                expertise: *e,
                topical_impact: a.network_impact.raw * e,
                score: a.score,
            })
            .collect(),
    }
}

fn post(account: &str, topic: &str, as_of: i64) -> EvidencePost {
    EvidencePost {
        id: post_id(account, topic),
        author: account.into(),
        time: as_of - 3_600,
        text: format!("{account} on {topic}: notes from this week"),
        reactors: 5,
    }
}
