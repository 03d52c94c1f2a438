//! From a scoring run to store records: every account's [`AccountRecord`] (sub-scores in raw
//! units, deltas, influencers and influencees, ledger summary) from [`Scores`], the identities
//! and the account networks. Topics and leaderboards are attached by the caller.

use super::model::*;
use crate::ingest::{IdMap, Interactions, Node};
use crate::leaderboard::Leader;
use crate::score::coordination::signal_names;
use crate::score::engagement::Pair;
use crate::score::explain;
use crate::score::gaming::contribution;
use crate::score::{Follows, Scores};
use crate::topics::{Ontology, TopicIdx};

/// Counterparts (influencers, influencees) kept per account.
pub const COUNTERPARTS: usize = 10;

/// The network of every account (that of the first interaction it takes part in; `default`
/// when the interactions carry none).
pub fn account_networks(inter: &Interactions) -> Vec<String> {
    let mut net: Vec<Option<u16>> = vec![None; inter.accounts.len()];
    for r in &inter.records {
        if let Some(n) = r.network {
            net[r.target as usize].get_or_insert(n);
            net[r.actor as usize].get_or_insert(n);
        }
    }
    net.into_iter()
        .map(|n| {
            n.map_or_else(
                || "default".to_string(),
                |n| inter.networks[n as usize].clone(),
            )
        })
        .collect()
}

/// The handle of an account id: what follows a `prefix:` (as in `tw:ada`), else the id.
pub fn handle_of(id: &str) -> &str {
    id.split_once(':').map_or(id, |(_, h)| h)
}

/// What the account records are built from, indexed by account (node).
#[derive(Debug, Clone, Copy)]
pub struct RecordInputs<'a> {
    pub scores: &'a Scores,
    pub ids: &'a IdMap,
    pub follows: Option<&'a Follows>,
    /// Network name of every account.
    pub networks: &'a [String],
    /// Person id of every account.
    pub people: &'a [String],
    /// Score changes of every account.
    pub deltas: &'a [Deltas],
}

/// Every account's record, best first (ties by id); `topics(v)` gives account `v`'s topics.
pub fn account_records(
    inp: &RecordInputs,
    topics: impl Fn(Node) -> Vec<AccountTopic>,
) -> Vec<AccountRecord> {
    let s = inp.scores;
    let by_actor = pairs_by_actor(&s.engagement.pairs, s.accounts.len());
    s.ranked(inp.ids, None)
        .into_iter()
        .map(|v| {
            let mut rec = record(inp, &by_actor, v);
            rec.topics = topics(v);
            rec
        })
        .collect()
}

fn record(inp: &RecordInputs, by_actor: &[Vec<usize>], v: Node) -> AccountRecord {
    let s = inp.scores;
    let a = &s.accounts[v as usize];
    let id = inp.ids.name(v).to_string();
    let cal = s.params.calibration;
    let pairs = &s.engagement.pairs;
    let influencers = best(
        s.engagement.of(v).iter().map(|p| {
            let w = contribution(s.weights[p.actor as usize], p, cal);
            (p.actor, p.actions, w)
        }),
        inp.ids,
    );
    let own = s.weights[v as usize];
    let influencees = best(
        by_actor[v as usize].iter().map(|&i| {
            let p = &pairs[i];
            (p.target, p.actions, contribution(own, p, cal))
        }),
        inp.ids,
    );
    AccountRecord {
        account: AccountRef {
            handle: handle_of(&id).to_string(),
            network: inp.networks[v as usize].clone(),
            person: inp.people[v as usize].clone(),
            id,
        },
        score: a.score(),
        percentile: a.percentile,
        true_reach: Measure {
            raw: a.reach.engaged as f64,
            score: a.sub[0],
        },
        amplification: Measure {
            raw: a.amplification.probability,
            score: a.sub[1],
        },
        network_impact: Measure {
            raw: a.impact_rank,
            score: a.sub[2],
        },
        delta: inp.deltas[v as usize],
        topics: Vec::new(),
        influencers,
        influencees,
        ledger: LedgerSummary {
            engaged_accounts: a.reach.engaged,
            followers_engaged: a.reach.followers_engaged,
            posts: a.amplification.posts,
            posts_acted_on: a.amplification.posts_acted_on,
            actions_by_kind: explain::received(s, v)
                .into_iter()
                .map(|(k, c)| (k.to_string(), c))
                .collect(),
            followers: inp.follows.map(|f| f.followers[v as usize]),
            following: inp.follows.map(|f| f.following[v as usize]),
            formula: explain::formula(cal, &a.combined),
            flags: flags(s, v),
        },
    }
}

/// The gaming evidence of account `v`, one sentence each (see [`LedgerSummary::flags`]).
pub fn flags(s: &Scores, v: Node) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(c) = s.coordination.target(v) {
        out.push(format!(
            "coordinated audience: {} of {} engagers flagged ({})",
            c.flagged,
            c.engagers,
            signal_names(c.signals).join(", ")
        ));
    }
    if s.coordination.suspect[v as usize] {
        out.push("suspect: engaged a coordinated target as a flagged engager".into());
    }
    let ring = s.rings[v as usize];
    if ring > 0 {
        out.push(format!(
            "closed cluster of {ring} accounts engaging one another"
        ));
    }
    out
}

/// Pair indices by actor.
fn pairs_by_actor(pairs: &[Pair], n: usize) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); n];
    for (i, p) in pairs.iter().enumerate() {
        out[p.actor as usize].push(i);
    }
    out
}

/// The [`COUNTERPARTS`] best `(account, actions, weight)`: by weight, then actions, descending;
/// ties by id (as the ledger orders them).
fn best(rows: impl Iterator<Item = (Node, u32, f64)>, ids: &IdMap) -> Vec<Counterpart> {
    let mut rows: Vec<(Node, u32, f64)> = rows.collect();
    rows.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then(b.1.cmp(&a.1))
            .then_with(|| ids.cmp_names(a.0, b.0))
    });
    rows.into_iter()
        .take(COUNTERPARTS)
        .map(|(u, actions, weight)| Counterpart {
            id: ids.name(u).to_string(),
            actions,
            weight,
        })
        .collect()
}

/// The leaderboard as the store's record.
pub fn leaderboard_record(
    o: &Ontology,
    topic: TopicIdx,
    rows: &[Leader],
    ids: &IdMap,
) -> Leaderboard {
    let t = o.topic(topic);
    Leaderboard {
        topic: t.slug.clone(),
        name: t.name.clone(),
        path: o
            .path(topic)
            .iter()
            .map(|&i| o.topic(i).slug.clone())
            .collect(),
        entries: rows
            .iter()
            .enumerate()
            .map(|(i, r)| LeaderEntry {
                rank: i as u32 + 1,
                account: ids.name(r.account).to_string(),
                value: r.value,
                expertise: r.expertise,
                topical_impact: r.topical_impact,
                score: r.score,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::interactions::parse_interactions;
    use crate::ingest::Source;
    use crate::score::{score, Inputs, ScoreParams};

    #[test]
    fn handles_drop_the_network_prefix() {
        assert_eq!(handle_of("tw:ada_l"), "ada_l");
        assert_eq!(handle_of("@ada"), "@ada");
    }

    #[test]
    fn records_match_the_ledger() {
        // a is shared by b, c, d; b by a (reciprocal with a); networks from the 6th column.
        let text = "b a share 100 p1 tw\nc a share 110 p1 tw\nd a like 120 p2 tw\na b reply 130 p3 tw\nd d like 140 p4 tw\n";
        let inter = parse_interactions(&Source::from_bytes("i.txt", text.into()), false).unwrap();
        let params = ScoreParams::default().check(&inter).unwrap();
        let s = score(&Inputs::new(&inter), &params).unwrap();
        let n = inter.accounts.len();
        let networks = account_networks(&inter);
        let people: Vec<String> = (0..n as Node).map(|v| format!("p{v}")).collect();
        let deltas = vec![
            Deltas {
                day: None,
                week: None,
                month: None
            };
            n
        ];
        let inp = RecordInputs {
            scores: &s,
            ids: &inter.accounts,
            follows: None,
            networks: &networks,
            people: &people,
            deltas: &deltas,
        };
        let recs = account_records(&inp, |_| Vec::new());
        assert_eq!(recs.len(), n);
        let order: Vec<&str> = recs.iter().map(|r| r.account.id.as_str()).collect();
        let expected: Vec<String> = s
            .ranked(&inter.accounts, None)
            .iter()
            .map(|&v| inter.accounts.name(v).to_string())
            .collect();
        assert_eq!(order, expected);
        let a = inter.accounts.find("a").unwrap();
        let ra = recs.iter().find(|r| r.account.id == "a").unwrap();
        let l = explain::ledger(&s, &inter.accounts, None, a, COUNTERPARTS);
        assert_eq!(ra.account.network, "tw");
        assert_eq!(ra.score, l.score);
        assert_eq!(ra.true_reach.raw, 3.0);
        assert_eq!(ra.ledger.engaged_accounts, 3);
        assert_eq!(ra.ledger.formula, l.formula);
        let got: Vec<(&str, u32)> = ra
            .ledger
            .actions_by_kind
            .iter()
            .map(|(k, c)| (k.as_str(), *c))
            .collect();
        assert_eq!(got, [("share", 2), ("like", 1)]);
        let inf: Vec<(&str, f64)> = ra
            .influencers
            .iter()
            .map(|c| (c.id.as_str(), c.weight))
            .collect();
        let led: Vec<(&str, f64)> = l
            .top_amplifiers
            .iter()
            .map(|c| (c.id.as_str(), c.contribution))
            .collect();
        assert_eq!(inf, led);
        let out: Vec<(&str, f64)> = ra
            .influencees
            .iter()
            .map(|c| (c.id.as_str(), c.weight))
            .collect();
        let led: Vec<(&str, f64)> = l
            .amplifies
            .iter()
            .map(|c| (c.id.as_str(), c.contribution))
            .collect();
        assert_eq!(out, led);
        assert_eq!(out.len(), 1);
    }
}
