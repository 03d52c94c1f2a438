//! Several networks: each network's interactions are scored on their own (the same window and
//! calibration), and a person — one account, or the accounts an identity file links — gets a
//! combined score in which more networks add with diminishing returns and a neglected network
//! does not zero the rest:
//!
//! ```text
//! L_person = Σ_i γ^i · L_(i)      L_(0) ≥ L_(1) ≥ …: the person's best log-strength per network
//! score    = 1 + 99 · L_person / (L_person + C)
//! ```
//!
//! with `γ = network_decay` (0.5): a second equally strong network adds half, a third a
//! quarter; an empty network adds 0. Reading the identity file is [`Identities::parse`].

use super::history::{changes, first_seen, past_instants, rescore_at, Delta};
use rayon::prelude::*;

use super::{score_records, Inputs, Scores, ValidScoreParams};
use crate::error::{Error, Result};
use crate::ingest::source::Flow;
use crate::ingest::{IdMap, Interaction, Node, Source};

/// The scores of each network.
#[derive(Debug)]
pub struct NetworkScores {
    pub names: Vec<String>,
    pub scores: Vec<Scores>,
}

/// Scores each network separately (records without a network form `default`), the networks
/// in parallel; each scoring is deterministic, so the result does not depend on the threads.
pub fn score_networks(input: &Inputs, params: &ValidScoreParams) -> Result<NetworkScores> {
    let inter = input.interactions;
    let mut names = inter.networks.clone();
    let untagged = inter.records.iter().any(|r| r.network.is_none());
    if untagged {
        names.push("default".into());
    }
    let scores = (0..names.len())
        .into_par_iter()
        .map(|i| {
            let tag = (i < inter.networks.len()).then_some(i as u16);
            let part: Vec<Interaction> = inter
                .records
                .iter()
                .filter(|r| r.network == tag)
                .copied()
                .collect();
            score_records(input, &part, params)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(NetworkScores { names, scores })
}

/// Accounts grouped into people.
#[derive(Debug, Clone)]
pub struct Identities {
    pub people: Vec<String>,
    /// The person of every account.
    pub person_of: Vec<u32>,
}

impl Identities {
    /// Every account its own person.
    pub fn singletons(accounts: &IdMap) -> Identities {
        Identities {
            people: (0..accounts.len() as Node)
                .map(|v| accounts.name(v).to_string())
                .collect(),
            person_of: (0..accounts.len() as u32).collect(),
        }
    }

    /// The person `name` means, by the rule of [`crate::ingest::lookup`]: exact first, then
    /// case-insensitive when unambiguous.
    pub fn resolve(&self, name: &str) -> crate::ingest::lookup::IdMatch<u32> {
        let exact = self.people.iter().position(|x| x == name).map(|i| i as u32);
        let names = self.people.iter().enumerate();
        crate::ingest::lookup::match_name(name, exact, names.map(|(i, x)| (x.as_str(), i as u32)))
    }

    /// `person account` lines (blank and `#` lines skipped); unlisted accounts stay their own
    /// person, accounts not in the interactions are ignored.
    pub fn parse(source: &Source, accounts: &IdMap) -> Result<Identities> {
        let index = accounts.index();
        let mut links: Vec<(String, Node)> = Vec::new();
        // Each account belongs to one person: the line that first linked it.
        let mut linked: rustc_hash::FxHashMap<Node, (usize, u64)> = Default::default();
        source.lines(|line_no, line| {
            let line = std::str::from_utf8(line)
                .map_err(|_| Error::parse(source.path(), line_no, "not valid UTF-8"))?
                .trim();
            if line.is_empty() || line.starts_with('#') {
                return Ok(Flow::Continue(()));
            }
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() != 2 {
                let reason = format!("expected `person account`, found {} fields", f.len());
                return Err(Error::parse(source.path(), line_no, reason));
            }
            if let Some(v) = index.get(f[1]) {
                match linked.get(&v) {
                    Some(&(k, _)) if links[k].0 == f[0] => return Ok(Flow::Continue(())),
                    Some(&(k, first)) => {
                        let reason = format!(
                            "account {} is already linked to person {} at line {first}; an account belongs to one person",
                            f[1], links[k].0
                        );
                        return Err(Error::parse(source.path(), line_no, reason));
                    }
                    None => {
                        linked.insert(v, (links.len(), line_no));
                    }
                }
                links.push((f[0].to_string(), v));
            }
            Ok(Flow::Continue(()))
        })?;
        Ok(Self::link(accounts, links))
    }

    fn link(accounts: &IdMap, links: Vec<(String, Node)>) -> Identities {
        let mut id = Self::singletons(accounts);
        let mut named: std::collections::BTreeMap<String, u32> = Default::default();
        for (person, v) in links {
            let next = id.people.len() as u32;
            let p = *named.entry(person.clone()).or_insert_with(|| {
                id.people.push(person);
                next
            });
            id.person_of[v as usize] = p;
        }
        id
    }
}

/// Every person's combined score at `params`' window (best first, ties by id).
pub fn people_at(
    input: &Inputs,
    params: &ValidScoreParams,
    id: &Identities,
) -> Result<(NetworkScores, Vec<PersonScore>)> {
    let ns = score_networks(input, params)?;
    let mut people = combine_people(&ns, id);
    people.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    Ok((ns, people))
}

/// Every person's changes, in the order of `now`, by the one definition of
/// [`history`](super::history): a person existed at a past instant when one of their accounts
/// did.
pub fn person_deltas(
    input: &Inputs,
    params: &ValidScoreParams,
    id: &Identities,
    now: &[PersonScore],
) -> Result<Vec<Delta>> {
    let inter = input.interactions;
    let earliest = inter.records.iter().map(|r| r.time).min();
    let at = past_instants(params.window.as_of, earliest);
    // A person with no account in the earlier window scored the minimum, 1 (as its L is 0).
    let cal = params.calibration;
    let past = rescore_at(&at, |then| {
        let earlier = ValidScoreParams {
            window: params.window.ending_at(then),
            calibration: params.calibration,
        };
        let ns = score_networks(input, &earlier)?;
        let strength = person_strengths(&ns, id).strength;
        Ok(now
            .iter()
            .map(|p| cal.points(strength[p.person as usize]))
            .collect())
    })?;
    let mut person_first = vec![i64::MAX; id.people.len()];
    for (v, t) in first_seen(inter).into_iter().enumerate() {
        let f = &mut person_first[id.person_of[v] as usize];
        *f = (*f).min(t);
    }
    let first: Vec<i64> = now
        .iter()
        .map(|p| person_first[p.person as usize])
        .collect();
    let scores: Vec<f64> = now.iter().map(|p| p.score).collect();
    Ok(changes(&scores, &first, &at, &past))
}

/// One of a person's accounts on one network, with its log-strength there.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PersonAccount {
    pub account: String,
    pub network: String,
    /// The account's `L` on that network (its score's log-strength).
    pub strength: f64,
    pub score: f64,
}

/// A person's combination explained: each network's best log-strength, its weight `γ^i`, and
/// the total, from which the score can be recomputed by hand.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PersonLedger {
    pub id: String,
    /// Every linked account on each network where it acted or was acted on in the window.
    pub accounts: Vec<PersonAccount>,
    /// `(network, L, γ^i)` best first.
    pub terms: Vec<(String, f64, f64)>,
    pub strength: f64,
    pub score: f64,
    pub formula: String,
}

/// The ledger of person `name` (matched exactly, else case-insensitively when unambiguous),
/// or `None` if no account belongs to it.
pub fn person_ledger(
    ns: &NetworkScores,
    id: &Identities,
    ids: &IdMap,
    name: &str,
) -> Option<PersonLedger> {
    let p = id.resolve(name).found()?;
    let members: Vec<usize> = (0..id.person_of.len())
        .filter(|&v| id.person_of[v] == p)
        .collect();
    if members.is_empty() {
        return None;
    }
    let cal = ns.scores.first()?.params.calibration;
    let mut accounts = Vec::new();
    let mut best = vec![0.0f64; ns.names.len()];
    for &v in &members {
        for (n, s) in ns.scores.iter().enumerate() {
            let c = &s.accounts[v].combined;
            best[n] = best[n].max(c.l_total);
            let active =
                s.engagement.made[v] > 0 || s.engagement.received[v].iter().any(|&k| k > 0);
            if active {
                accounts.push(PersonAccount {
                    account: ids.name(v as Node).to_string(),
                    network: ns.names[n].clone(),
                    strength: c.l_total,
                    score: c.score,
                });
            }
        }
    }
    let mut terms: Vec<(String, f64, f64)> = ns
        .names
        .iter()
        .cloned()
        .zip(best)
        .map(|(n, l)| (n, l, 0.0))
        .collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (i, t) in terms.iter_mut().enumerate() {
        t.2 = cal.network_decay.powi(i as i32);
    }
    let strength: f64 = terms.iter().map(|t| t.1 * t.2).sum();
    let sum: Vec<String> = terms
        .iter()
        .map(|t| format!("{}·{:.4}", t.2, t.1))
        .collect();
    let formula = format!(
        "score = 1 + 99·L/(L + {}), L = {} = {:.4}",
        cal.curve_c,
        sum.join(" + "),
        strength
    );
    Some(PersonLedger {
        id: id.people[p as usize].clone(),
        accounts,
        terms,
        strength,
        score: cal.points(strength),
        formula,
    })
}

/// One person's combined score.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PersonScore {
    pub id: String,
    /// The person's index in [`Identities::people`].
    #[serde(skip)]
    pub person: u32,
    /// Best log-strength per network (0 where the person has no account or no activity).
    pub network_strengths: Vec<f64>,
    pub strength: f64,
    pub score: f64,
}

/// Combines the per-network strengths of every person that has at least one account.
pub fn combine_people(ns: &NetworkScores, id: &Identities) -> Vec<PersonScore> {
    let cal = calibration(ns);
    let s = person_strengths(ns, id);
    (0..id.people.len())
        .filter(|&p| s.used[p])
        .map(|p| PersonScore {
            id: id.people[p].clone(),
            person: p as u32,
            network_strengths: s.best.iter().map(|b| b[p]).collect(),
            strength: s.strength[p],
            score: cal.points(s.strength[p]),
        })
        .collect()
}

/// The calibration the networks were scored with.
fn calibration(ns: &NetworkScores) -> &'static super::Calibration {
    ns.scores
        .first()
        .map_or(&super::CALIBRATION_V1, |s| s.params.calibration)
}

/// Every person's strengths, by person index.
struct Strengths {
    /// Whether the person has an account.
    used: Vec<bool>,
    /// The best `L` of each person, per network (`best[network][person]`).
    best: Vec<Vec<f64>>,
    /// `Σ γ^i · L_(i)` over the person's networks, best first.
    strength: Vec<f64>,
}

fn person_strengths(ns: &NetworkScores, id: &Identities) -> Strengths {
    let cal = calibration(ns);
    let people = id.people.len();
    let mut best = vec![vec![0.0f64; people]; ns.scores.len()];
    let mut used = vec![false; people];
    // A person exists once one of their accounts does.
    let present = |v: usize| ns.scores.first().is_none_or(|s| s.present[v]);
    for (v, &p) in id.person_of.iter().enumerate() {
        used[p as usize] |= present(v);
        for (b, s) in best.iter_mut().zip(&ns.scores) {
            let l = s.accounts[v].combined.l_total;
            b[p as usize] = b[p as usize].max(l);
        }
    }
    let mut ls = Vec::with_capacity(best.len());
    let strength = (0..people)
        .map(|p| {
            ls.clear();
            ls.extend(best.iter().map(|b| b[p]));
            ls.sort_by(|a, b| b.total_cmp(a));
            ls.iter()
                .enumerate()
                .map(|(i, l)| cal.network_decay.powi(i as i32) * l)
                .sum()
        })
        .collect();
    Strengths {
        used,
        best,
        strength,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_link_accounts_and_name_bad_lines() {
        let accounts = IdMap::Text(vec!["a_tw".into(), "a_fb".into(), "b".into()]);
        let src = Source::from_bytes(
            "ids.txt",
            b"# person account\nalice a_tw\nalice a_fb\nzed nobody\n".to_vec(),
        );
        let id = Identities::parse(&src, &accounts).unwrap();
        assert_eq!(id.person_of[0], id.person_of[1]);
        assert_eq!(id.people[id.person_of[0] as usize], "alice");
        assert_eq!(id.people[id.person_of[2] as usize], "b");
        let bad = Source::from_bytes("ids.txt", b"alice a_tw\nalice\n".to_vec());
        let err = Identities::parse(&bad, &accounts).unwrap_err().to_string();
        assert!(err.contains("ids.txt:2"), "{err}");
    }

    /// Issue 13: a bad byte is reported at its own line; an account under two persons is an
    /// error (it silently took the last), the same link twice is not.
    #[test]
    fn identities_bad_utf8_line_and_one_person_per_account() {
        let accounts = IdMap::Text(vec!["a_tw".into(), "a_fb".into()]);
        let bad = Source::from_bytes("ids.txt", b"alice a_tw\nalice a_fb\nbob \xff\n".to_vec());
        let err = Identities::parse(&bad, &accounts).unwrap_err().to_string();
        assert!(err.contains("ids.txt:3") && err.contains("UTF-8"), "{err}");
        let two = Source::from_bytes("ids.txt", b"alice a_tw\nalice a_tw\nbob a_tw\n".to_vec());
        let err = Identities::parse(&two, &accounts).unwrap_err().to_string();
        assert!(
            err.contains("ids.txt:3") && err.contains("alice at line 1"),
            "{err}"
        );
    }
}
