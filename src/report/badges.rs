//! Achievements (Klout's badges) with levels, derived only from an account's ledger in a run
//! and its score history: what each badge counts, its thresholds, and which level an account
//! has reached with the numbers that earned it. Selection only; the CLI, the API, the pages
//! and the reports render it.
//!
//! | badge | what is counted | levels |
//! |---|---|---|
//! | `heard` Heard | distinct accounts that engaged with it in the run's window (True Reach, raw) | 10 · 100 · 1,000 · 10,000 |
//! | `amplified` Amplified | shares (retweets, reposts, boosts) received in the window | 10 · 100 · 1,000 · 10,000 |
//! | `conversation` Conversation starter | replies, comments and mentions received in the window | 10 · 100 · 1,000 · 10,000 |
//! | `networks` Everywhere | networks on which the person's accounts were engaged in the run | 2 · 3 · 4 |
//! | `expert` Expert | weeks running that one topic has been among its 3 best topics | 2 · 4 · 8 |
//! | `rising` Rising | score gained over a week (the run's week change) | 5 · 10 · 20 |
//!
//! A "week running" of `expert`: the runs of the same window and calibration up to this one,
//! latest first, as long as each has the topic among its 3 best and follows the previous one
//! within 8 days; weeks = ⌊(last − first as-of) / 7 days⌋ + 1.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::ingest::time::format_time;
use crate::store::{comparable, AccountRecord, HistoryPoint, RunMeta, Store};

/// One badge's definition.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Definition {
    pub id: &'static str,
    pub name: &'static str,
    /// What is counted, as a phrase.
    pub counts: &'static str,
    /// The value reaching each level, ascending.
    pub levels: &'static [f64],
}

/// Every badge, in display order.
pub const DEFINITIONS: [Definition; 6] = [
    Definition {
        id: "heard",
        name: "Heard",
        counts: "distinct accounts engaged with it",
        levels: &[10.0, 100.0, 1_000.0, 10_000.0],
    },
    Definition {
        id: "amplified",
        name: "Amplified",
        counts: "shares received",
        levels: &[10.0, 100.0, 1_000.0, 10_000.0],
    },
    Definition {
        id: "conversation",
        name: "Conversation starter",
        counts: "replies, comments and mentions received",
        levels: &[10.0, 100.0, 1_000.0, 10_000.0],
    },
    Definition {
        id: "networks",
        name: "Everywhere",
        counts: "networks on which the person was engaged",
        levels: &[2.0, 3.0, 4.0],
    },
    Definition {
        id: "expert",
        name: "Expert",
        counts: "weeks running among its 3 best topics",
        levels: &[2.0, 4.0, 8.0],
    },
    Definition {
        id: "rising",
        name: "Rising",
        counts: "score points gained over a week",
        levels: &[5.0, 10.0, 20.0],
    },
];

/// Topics that count as an account's own for `expert`: its best this many (what the history
/// keeps of each run).
pub const TOP_TOPICS: usize = crate::store::HISTORY_TOPICS;
/// The longest gap between two runs of an `expert` streak.
pub const MAX_GAP: i64 = 8 * 86_400;
const WEEK: i64 = 7 * 86_400;

/// A badge an account has earned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Badge {
    pub id: &'static str,
    pub name: &'static str,
    /// 1-based level reached.
    pub level: usize,
    /// Levels there are.
    pub levels: usize,
    /// The counted value.
    pub value: f64,
    /// The value of the level reached.
    pub threshold: f64,
    /// The value of the next level (`None`: the top level).
    pub next: Option<f64>,
    /// For `expert`: the topic (slug).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// The numbers that earned it, one sentence.
    pub why: String,
}

/// An account's badges in one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Achievements {
    pub account: String,
    pub as_of: i64,
    /// Earned badges in [`DEFINITIONS`] order.
    pub badges: Vec<Badge>,
}

/// What the badges are derived from.
pub struct Evidence<'a> {
    /// The account's record in the run.
    pub record: &'a AccountRecord,
    /// Networks on which the account's person (all its linked accounts) was engaged in the
    /// run (any order, repeats allowed).
    pub engaged_networks: Vec<&'a str>,
    /// The account's history up to and including the run, over runs of the run's window and
    /// calibration, ascending as-of, each with the account's best topics then.
    pub history: &'a [HistoryPoint],
    /// Whether the first topic (slug) is an ancestor of the second in the run's ontology.
    pub is_ancestor: &'a dyn Fn(&str, &str) -> bool,
}

/// The account's badges.
pub fn achievements(e: &Evidence, as_of: i64) -> Achievements {
    let badges = DEFINITIONS
        .iter()
        .filter_map(|d| {
            let (value, topic) = value(d.id, e, as_of);
            earn(d, value, topic)
        })
        .collect();
    Achievements {
        account: e.record.account.id.clone(),
        as_of,
        badges,
    }
}

/// The counted value of badge `id` (and the topic, for `expert`).
fn value(id: &str, e: &Evidence, as_of: i64) -> (f64, Option<String>) {
    let l = &e.record.ledger;
    let received = |kinds: &[&str]| -> f64 {
        l.actions_by_kind
            .iter()
            .filter(|(k, _)| kinds.contains(&k.as_str()))
            .map(|(_, n)| f64::from(*n))
            .sum()
    };
    match id {
        "heard" => (f64::from(l.engaged_accounts), None),
        "amplified" => (received(&["share"]), None),
        "conversation" => (received(&["reply", "comment", "mention"]), None),
        "networks" => {
            let mut n = e.engaged_networks.clone();
            n.sort_unstable();
            n.dedup();
            (n.len() as f64, None)
        }
        "expert" => expert_streak(e.history, as_of, e.is_ancestor)
            .map_or((0.0, None), |(weeks, t)| (weeks as f64, Some(t))),
        "rising" => (e.record.delta.week.unwrap_or(0.0), None),
        _ => (0.0, None),
    }
}

/// The level `value` reaches under `d`, as a badge; `None` below the first level.
fn earn(d: &Definition, value: f64, topic: Option<String>) -> Option<Badge> {
    let level = d.levels.iter().take_while(|&&t| value >= t).count();
    (level > 0).then(|| {
        let threshold = d.levels[level - 1];
        let next = d.levels.get(level).copied();
        let about = topic
            .as_deref()
            .map_or(String::new(), |t| format!(" ({t})"));
        let next_txt = next.map_or("the top level".to_string(), |n| {
            format!("next level at {}", number(n))
        });
        Badge {
            id: d.id,
            name: d.name,
            level,
            levels: d.levels.len(),
            value,
            threshold,
            next,
            why: format!(
                "{} {}{about}: level {level} of {} (from {}; {next_txt})",
                number(value),
                d.counts,
                d.levels.len(),
                number(threshold)
            ),
            topic,
        }
    })
}

/// A count as written for people: whole numbers with thousands separators, else one decimal.
fn number(x: f64) -> String {
    if x.fract() != 0.0 {
        return format!("{x:.1}");
    }
    let digits = format!("{}", x.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// The longest `expert` streak ending at the run `as_of`: (weeks, topic), the topic with the
/// most weeks; on a tie the better-placed topic now, unless it is an ancestor of the other
/// (expertise rolls up the ontology, so a parent is at least as expert as its child: the child
/// says more). `None` when the run is not in `history`.
fn expert_streak(
    history: &[HistoryPoint],
    as_of: i64,
    is_ancestor: &dyn Fn(&str, &str) -> bool,
) -> Option<(i64, String)> {
    let end = history.iter().rposition(|p| p.as_of == as_of)?;
    let now = &history[end];
    let mut best: Option<(i64, String)> = None;
    for topic in now.topics.iter().take(TOP_TOPICS) {
        let mut first = now.as_of;
        for p in history[..end].iter().rev() {
            if first - p.as_of > MAX_GAP || !p.topics.iter().take(TOP_TOPICS).any(|t| t == topic) {
                break;
            }
            first = p.as_of;
        }
        let weeks = (now.as_of - first) / WEEK + 1;
        let better = best
            .as_ref()
            .is_none_or(|(w, b)| weeks > *w || (weeks == *w && is_ancestor(b, topic)));
        if better {
            best = Some((weeks, topic.clone()));
        }
    }
    best
}

/// The badges of `record` in `run`: `history` is the account's (points of another window or
/// calibration, or after the run, are left out), `networks` the networks on which the
/// account's person was engaged in the run and `is_ancestor` the run's ontology (see
/// [`Evidence`]).
pub fn of_record(
    run: &RunMeta,
    record: &AccountRecord,
    networks: &[&str],
    history: Vec<HistoryPoint>,
    is_ancestor: &dyn Fn(&str, &str) -> bool,
) -> Achievements {
    let history: Vec<HistoryPoint> = comparable(history, run.window, &run.calibration)
        .into_iter()
        .filter(|p| p.as_of <= run.as_of)
        .collect();
    achievements(
        &Evidence {
            record,
            engaged_networks: networks.to_vec(),
            history: &history,
            is_ancestor,
        },
        run.as_of,
    )
}

/// [`Evidence::is_ancestor`] over topics given as `(slug, path from the root to it)`.
pub fn ancestry<'a>(
    topics: impl IntoIterator<Item = (&'a str, &'a [String])>,
) -> impl Fn(&str, &str) -> bool + 'a {
    let paths: std::collections::HashMap<&str, &[String]> = topics.into_iter().collect();
    move |a: &str, b: &str| a != b && paths.get(b).is_some_and(|p| p.iter().any(|x| x == a))
}

/// The networks on which `person` was engaged among `accounts` (a run's records), sorted.
pub fn engaged_networks<'a>(
    accounts: impl IntoIterator<Item = &'a AccountRecord>,
    person: &str,
) -> Vec<&'a str> {
    let mut n: Vec<&str> = accounts
        .into_iter()
        .filter(|a| a.account.person == person && a.ledger.engaged_accounts > 0)
        .map(|a| a.account.network.as_str())
        .collect();
    n.sort_unstable();
    n.dedup();
    n
}

/// The badges of account `name` (matched as ids are everywhere: exact, then ignoring case
/// when unambiguous) in the run at `as_of` (default: the latest) of `store`, read in one
/// transaction; its history is that of runs with the run's window and calibration.
pub fn from_store(store: &Store, name: &str, as_of: Option<i64>) -> Result<Achievements> {
    store.read_consistent(|store| {
        let run = match as_of {
            Some(t) => store.run(t)?,
            None => store.latest()?,
        }
        .ok_or_else(|| match as_of {
            Some(t) => Error::param(
                "as_of",
                format!("the store holds no run as of {}", format_time(t)),
            ),
            None => Error::param("as_of", "the store holds no run yet"),
        })?;
        let found = store.resolve_id(name)?;
        if let Some(why) = found.failure(name, "account") {
            return Err(Error::param("account", why));
        }
        let id = found.found().expect("a match");
        let record = store.account(run.as_of, &id)?.ok_or_else(|| {
            Error::param(
                "account",
                format!("{id:?} is not in the run as of {}", format_time(run.as_of)),
            )
        })?;
        let networks = store.engaged_networks(run.as_of, &record.account.person)?;
        let networks: Vec<&str> = networks.iter().map(String::as_str).collect();
        let topics = store.topics(run.as_of)?;
        let is_ancestor = ancestry(topics.iter().map(|t| (t.topic.as_str(), t.path.as_slice())));
        let history = store.history_with_topics(&id)?;
        Ok(of_record(&run, &record, &networks, history, &is_ancestor))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(day: i64, topics: &[&str]) -> HistoryPoint {
        HistoryPoint {
            as_of: day * 86_400,
            score: 50.0,
            window: None,
            calibration: "v5".into(),
            topics: topics.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn levels_by_hand() {
        let d = &DEFINITIONS[0];
        assert!(earn(d, 9.0, None).is_none());
        let b = earn(d, 134.0, None).unwrap();
        assert_eq!(
            (b.level, b.levels, b.threshold, b.next),
            (2, 4, 100.0, Some(1000.0))
        );
        assert_eq!(
            b.why,
            "134 distinct accounts engaged with it: level 2 of 4 (from 100; next level at 1,000)"
        );
        let top = earn(d, 12_345.0, None).unwrap();
        assert_eq!((top.level, top.next), (4, None));
        assert!(top.why.contains("12,345") && top.why.contains("the top level"));
    }

    #[test]
    fn expert_weeks_by_hand() {
        // Weekly runs with gardening in the top 3 for days 0..=28 (5 runs, 5 weeks), cooking
        // only in the last two runs; a run 10 days earlier is too far to join the streak.
        let h = vec![
            point(-10, &["gardening"]),
            point(0, &["gardening", "music"]),
            point(7, &["music", "art", "gardening"]),
            point(14, &["gardening"]),
            point(21, &["gardening", "cooking"]),
            point(28, &["cooking", "gardening"]),
        ];
        let none = |_: &str, _: &str| false;
        let at = |h: &[HistoryPoint], day: i64| expert_streak(h, day * 86_400, &none);
        assert_eq!(at(&h, 28), Some((5, "gardening".into())));
        // Broken by a run without it: day 7 lists it fourth.
        let mut h2 = h.clone();
        h2[2].topics = vec![
            "music".into(),
            "art".into(),
            "film".into(),
            "gardening".into(),
        ];
        assert_eq!(at(&h2, 28), Some((3, "gardening".into())));
        // Broken by a gap of more than 8 days between two runs.
        // (no run on day 21: days 14 and 28 are 14 days apart; a tie of one week each goes to
        // the better-placed cooking).
        let mut h3 = h.clone();
        h3.remove(4);
        assert_eq!(at(&h3, 28), Some((1, "cooking".into())));
        // A run not in the history has no streak; a single run is one week; a tie goes to the
        // better-placed topic, unless it is an ancestor of the other.
        assert_eq!(expert_streak(&h, 99, &none), None);
        assert_eq!(at(&h[..2], 0), Some((1, "gardening".into())));
        let hobbies = vec!["hobbies".to_string(), "gardening".to_string()];
        let paths = [("gardening", hobbies.as_slice())];
        let tree = ancestry(paths);
        let h4 = vec![point(0, &["hobbies", "gardening"])];
        assert_eq!(expert_streak(&h4, 0, &tree), Some((1, "gardening".into())));
    }

    #[test]
    fn numbers_for_people() {
        assert_eq!(number(1_000.0), "1,000");
        assert_eq!(number(999.0), "999");
        assert_eq!(number(1_234_567.0), "1,234,567");
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(-5.0), "-5");
    }
}
