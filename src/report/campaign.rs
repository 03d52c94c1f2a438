//! Campaigns (Klout's Perks): a topic leaderboard of a stored run filtered into an outreach
//! list — by network, score range, True Reach and evidence of gaming — each target with the
//! reasons it qualifies. Selection only; the CLI and the API render it.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::ingest::lookup::{match_network, networks_hint};
use crate::store::{AccountRecord, LeaderEntry, Leaderboard, RunMeta};

/// Targets listed when no limit is given.
pub const DEFAULT_LIMIT: usize = 20;

/// A campaign's filters, unchecked; [`CampaignParams::check`] makes them a [`Campaign`]'s.
///
/// | name | default | range |
/// |---|---|---|
/// | `network` | any | a network of the run (case-insensitive) or a Klout code (`tw`) |
/// | `min_score`, `max_score` | 1, 100 | each from 1 to 100; `min > max` selects nothing |
/// | `min_reach` | 0 | engaged accounts (True Reach, raw) |
/// | `exclude_suspicious` | false | drop accounts with gaming flags |
/// | `limit` | 20 | `≥ 1` |
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignParams {
    pub network: Option<String>,
    pub min_score: Option<f64>,
    pub max_score: Option<f64>,
    pub min_reach: Option<u32>,
    pub exclude_suspicious: bool,
    pub limit: usize,
}

impl Default for CampaignParams {
    fn default() -> Self {
        CampaignParams {
            network: None,
            min_score: None,
            max_score: None,
            min_reach: None,
            exclude_suspicious: false,
            limit: DEFAULT_LIMIT,
        }
    }
}

/// Checked filters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Filters {
    pub network: Option<String>,
    pub min_score: f64,
    pub max_score: f64,
    pub min_reach: u32,
    pub exclude_suspicious: bool,
    pub limit: usize,
    /// How the caller named the parameters (for errors; not serialised).
    #[serde(skip)]
    pub names: Names,
}

/// How the parameters are named where they were given, for errors: `--min-score` on the
/// command line, `minScore` in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Names {
    pub network: &'static str,
    pub min_score: &'static str,
    pub max_score: &'static str,
    pub limit: &'static str,
}

impl Names {
    /// The command line's flags.
    pub const CLI: Names = Names {
        network: "--network",
        min_score: "--min-score",
        max_score: "--max-score",
        limit: "--top",
    };
    /// The API's query parameters.
    pub const API: Names = Names {
        network: "network",
        min_score: "minScore",
        max_score: "maxScore",
        limit: "limit",
    };
}

impl CampaignParams {
    /// Checks each value's range, naming a bad one as `names` does. An empty score range
    /// (`min_score` above `max_score`) is valid and selects nothing ([`Filters::empty_range`]).
    pub fn check(self, names: &Names) -> Result<Filters> {
        let (lo, hi) = (
            self.min_score.unwrap_or(1.0),
            self.max_score.unwrap_or(100.0),
        );
        for (name, x) in [(names.min_score, lo), (names.max_score, hi)] {
            if !(1.0..=100.0).contains(&x) {
                return Err(Error::param(
                    name,
                    format!("{x} is not a score from 1 to 100"),
                ));
            }
        }
        if self.limit == 0 {
            return Err(Error::param(names.limit, "must be at least 1"));
        }
        Ok(Filters {
            network: self.network.filter(|n| !n.is_empty()),
            min_score: lo,
            max_score: hi,
            min_reach: self.min_reach.unwrap_or(0),
            exclude_suspicious: self.exclude_suspicious,
            limit: self.limit,
            names: *names,
        })
    }
}

impl Filters {
    /// Whether the score range holds no score (`min_score` above `max_score`).
    pub fn empty_range(&self) -> bool {
        self.min_score > self.max_score
    }

    /// The filters with the network named as the run names it (case and Klout codes resolved
    /// by [`match_network`] against `networks`, the run's); an error naming the run's networks
    /// when it names none of them.
    pub fn on_networks<'a>(
        mut self,
        networks: impl IntoIterator<Item = &'a str> + Clone,
    ) -> Result<Filters> {
        if let Some(raw) = &self.network {
            let found = match_network(raw, networks.clone()).ok_or_else(|| {
                Error::param(
                    self.names.network,
                    format!("unknown network {raw:?}; {}", networks_hint(networks)),
                )
            })?;
            self.network = Some(found.to_string());
        }
        Ok(self)
    }
}

/// One account to reach out to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// 1-based place in the campaign list.
    pub rank: u32,
    /// Its rank on the topic's leaderboard.
    pub board_rank: u32,
    pub account: String,
    pub network: String,
    pub handle: String,
    pub score: f64,
    /// Distinct engaged accounts in the run's window.
    pub true_reach: u32,
    pub topic_influence: f64,
    pub expertise: f64,
    /// Gaming flags of the account (kept only without `exclude_suspicious`).
    pub flags: Vec<String>,
    /// Why it qualifies, one clause per filter and the topic evidence.
    pub why: Vec<String>,
}

impl Target {
    /// Why it qualifies, then its gaming flags: what a reader is shown.
    pub fn reasons(&self) -> Vec<&str> {
        self.why
            .iter()
            .chain(&self.flags)
            .map(String::as_str)
            .collect()
    }
}

/// Accounts of the leaderboard that a filter left out, by the first filter they failed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Excluded {
    pub network: usize,
    pub score: usize,
    pub reach: usize,
    pub suspicious: usize,
    /// Qualified but beyond the limit.
    pub beyond_limit: usize,
}

/// A campaign's target list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Campaign {
    pub as_of: i64,
    pub topic: String,
    pub topic_name: String,
    pub filters: Filters,
    /// Accounts on the topic's leaderboard.
    pub considered: usize,
    pub excluded: Excluded,
    pub targets: Vec<Target>,
}

impl Campaign {
    /// How many qualify and what each filter left out, one sentence (numbers only).
    pub fn summary(&self) -> String {
        let x = &self.excluded;
        let empty = if self.filters.empty_range() {
            format!(
                " The score range {}–{} is empty: its lowest score is above its highest.",
                self.filters.min_score, self.filters.max_score
            )
        } else {
            String::new()
        };
        format!(
            "{} of {} accounts on the leaderboard qualify; left out: {} by network, {} by score, {} by reach, {} as suspicious, {} beyond the limit.{empty}",
            self.targets.len() + x.beyond_limit,
            self.considered,
            x.network,
            x.score,
            x.reach,
            x.suspicious,
            x.beyond_limit
        )
    }
}

/// Which filter an account fails first, if any.
enum Verdict {
    Network,
    Score,
    Reach,
    Suspicious,
    Qualifies,
}

fn verdict(rec: &AccountRecord, f: &Filters) -> Verdict {
    if f.network
        .as_ref()
        .is_some_and(|n| !rec.account.network.eq_ignore_ascii_case(n))
    {
        Verdict::Network
    } else if rec.score < f.min_score || rec.score > f.max_score {
        Verdict::Score
    } else if rec.ledger.engaged_accounts < f.min_reach {
        Verdict::Reach
    } else if f.exclude_suspicious && !rec.ledger.flags.is_empty() {
        Verdict::Suspicious
    } else {
        Verdict::Qualifies
    }
}

/// The campaign over `board` of the run `run`: its entries in leaderboard order, each looked
/// up with `record` (an entry without a record is an error: the run is inconsistent).
pub fn select<'a>(
    run: &RunMeta,
    board: &Leaderboard,
    record: impl Fn(&str) -> Option<&'a AccountRecord>,
    f: &Filters,
) -> Result<Campaign> {
    let mut excluded = Excluded::default();
    let mut targets = Vec::new();
    for e in &board.entries {
        let rec = record(&e.account).ok_or_else(|| {
            Error::param(
                "topic",
                format!(
                    "leaderboard entry {:?} has no account record in the run",
                    e.account
                ),
            )
        })?;
        match verdict(rec, f) {
            Verdict::Network => excluded.network += 1,
            Verdict::Score => excluded.score += 1,
            Verdict::Reach => excluded.reach += 1,
            Verdict::Suspicious => excluded.suspicious += 1,
            Verdict::Qualifies if targets.len() == f.limit => excluded.beyond_limit += 1,
            Verdict::Qualifies => targets.push(Target {
                rank: targets.len() as u32 + 1,
                board_rank: e.rank,
                account: rec.account.id.clone(),
                network: rec.account.network.clone(),
                handle: rec.account.handle.clone(),
                score: rec.score,
                true_reach: rec.ledger.engaged_accounts,
                topic_influence: e.value,
                expertise: e.expertise,
                flags: rec.ledger.flags.clone(),
                why: why(rec, e, board, f),
            }),
        }
    }
    Ok(Campaign {
        as_of: run.as_of,
        topic: board.topic.clone(),
        topic_name: board.name.clone(),
        filters: f.clone(),
        considered: board.entries.len(),
        excluded,
        targets,
    })
}

/// The campaign over `topic` (slug or display name) in the run at `as_of` (default: the
/// latest) of `store`, read in one transaction; the network filter must name one of the
/// run's networks ([`Filters::on_networks`]).
pub fn from_store(
    store: &crate::store::Store,
    topic: &str,
    as_of: Option<i64>,
    f: &Filters,
) -> Result<Campaign> {
    store.read_consistent(|store| {
        let b = super::stored_board(store, topic, as_of)?;
        let records = store.accounts(b.run.as_of)?;
        let by_id: std::collections::HashMap<&str, &AccountRecord> =
            records.iter().map(|r| (r.account.id.as_str(), r)).collect();
        let networks: std::collections::BTreeSet<&str> =
            records.iter().map(|r| r.account.network.as_str()).collect();
        let f = f.clone().on_networks(networks.iter().copied())?;
        select(&b.run, &b.board, |id| by_id.get(id).copied(), &f)
    })
}

/// The reasons an account qualifies: its place on the topic, then each filter it passed.
fn why(rec: &AccountRecord, e: &LeaderEntry, board: &Leaderboard, f: &Filters) -> Vec<String> {
    let evidence = rec
        .topics
        .iter()
        .find(|t| t.topic == board.topic)
        .map_or(0, |t| t.evidence.len());
    let mut out = vec![format!(
        "#{} on {} (expertise {:.3}, {evidence} topic posts shown as evidence)",
        e.rank, board.name, e.expertise
    )];
    out.push(format!(
        "score {:.1} within {}–{}",
        rec.score, f.min_score, f.max_score
    ));
    out.push(format!(
        "{} engaged accounts (at least {})",
        rec.ledger.engaged_accounts, f.min_reach
    ));
    if let Some(n) = &f.network {
        out.push(format!("on {n}"));
    }
    if rec.ledger.flags.is_empty() {
        out.push("no sign of gaming (coordination, closed clusters)".into());
    }
    out
}

/// The campaign as CSV: one row per target (cells made safe for spreadsheets).
pub fn to_csv(c: &Campaign) -> Result<Vec<u8>> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let cell = |s: &str| super::safe::csv_cell(s).into_owned();
    w.write_record([
        "rank",
        "board_rank",
        "account",
        "network",
        "handle",
        "score",
        "true_reach",
        "topic_influence",
        "expertise",
        "flags",
        "why",
    ])
    .map_err(csv_err)?;
    for t in &c.targets {
        w.write_record([
            t.rank.to_string(),
            t.board_rank.to_string(),
            cell(&t.account),
            cell(&t.network),
            cell(&t.handle),
            format!("{:.2}", t.score),
            t.true_reach.to_string(),
            format!("{}", t.topic_influence),
            format!("{}", t.expertise),
            cell(&t.flags.join("; ")),
            cell(&t.why.join("; ")),
        ])
        .map_err(csv_err)?;
    }
    w.into_inner().map_err(|e| csv_err(e.into_error().into()))
}

fn csv_err(e: ::csv::Error) -> Error {
    Error::param("format", format!("writing CSV: {e}"))
}

/// The campaign as a Markdown document: the filters, what they left out, a table, the reasons.
pub fn to_md(c: &Campaign) -> String {
    let md = super::md::escape;
    let f = &c.filters;
    let mut s = format!(
        "# Campaign: {} ({})\n\nRun as of {}. Filters: score {}–{}, at least {} engaged accounts{}{}; up to {} targets.\n\n",
        md(&c.topic_name),
        md(&c.topic),
        crate::ingest::time::format_time(c.as_of),
        f.min_score,
        f.max_score,
        f.min_reach,
        f.network.as_ref().map_or(String::new(), |n| format!(", network {}", md(n))),
        if f.exclude_suspicious { ", no gaming flags" } else { "" },
        f.limit
    );
    s.push_str(&c.summary());
    s.push_str("\n\n");
    s.push_str("| # | account | network | score | engaged | topic rank | why |\n|---|---|---|---|---|---|---|\n");
    for t in &c.targets {
        s.push_str(&format!(
            "| {} | {} | {} | {:.1} | {} | {} | {} |\n",
            t.rank,
            md(&t.account),
            md(&t.network),
            t.score,
            t.true_reach,
            t.board_rank,
            md(&t.reasons().join("; "))
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_checked_and_named_as_given() {
        let bad = |p: CampaignParams, n: &Names| p.check(n).unwrap_err().to_string();
        let p = CampaignParams {
            max_score: Some(101.0),
            ..Default::default()
        };
        assert!(bad(p.clone(), &Names::CLI).contains("--max-score"));
        assert!(bad(p, &Names::API).contains("maxScore: 101 is not a score from 1 to 100"));
        let p = CampaignParams {
            limit: 0,
            ..Default::default()
        };
        assert!(bad(p, &Names::CLI).contains("--top: must be at least 1"));
        let ok = CampaignParams {
            network: Some(String::new()),
            ..Default::default()
        }
        .check(&Names::API)
        .unwrap();
        assert_eq!((ok.network, ok.min_score, ok.max_score), (None, 1.0, 100.0));
        let empty = CampaignParams {
            min_score: Some(60.0),
            max_score: Some(40.0),
            ..Default::default()
        }
        .check(&Names::API)
        .unwrap();
        assert!(empty.empty_range());
    }

    #[test]
    fn networks_are_resolved_against_the_run() {
        let f = |n: &str| {
            CampaignParams {
                network: Some(n.into()),
                ..Default::default()
            }
            .check(&Names::CLI)
            .unwrap()
        };
        let nets = ["instagram", "twitter"];
        assert_eq!(
            f("TW").on_networks(nets).unwrap().network.as_deref(),
            Some("twitter")
        );
        assert_eq!(
            f("Instagram").on_networks(nets).unwrap().network.as_deref(),
            Some("instagram")
        );
        let e = f("myspace").on_networks(nets).unwrap_err().to_string();
        assert!(
            e.contains("--network") && e.contains("instagram, twitter"),
            "{e}"
        );
    }
}
