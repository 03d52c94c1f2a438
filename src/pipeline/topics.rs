//! The topic part of `clout run`: every account's topics (expertise, best first, with evidence
//! posts), every topic's leaderboard and the evidence posts, from `crate::leaderboard` over the
//! run's scores. Without a posts file there are no topics.

use super::Scored;
use std::path::Path;

use crate::error::Result;
use crate::ingest::endorsements::Read;
use crate::ingest::{Node, Posts};
use crate::leaderboard::Endorsers;
use crate::leaderboard::{leaderboards, BoardInputs, LeaderboardParams};
use crate::store::build::leaderboard_record;
use crate::store::{AccountTopic, EvidencePost, Leaderboard};
use crate::topics::expertise::endorse::Endorsement;
use crate::topics::PostTopicEngine;

/// Topics kept per account.
pub const ACCOUNT_TOPICS: usize = 10;
/// Characters of an evidence post's text kept.
pub const TEXT_CHARS: usize = 280;

/// Topics per account, leaderboards and their evidence posts.
pub struct Topics {
    pub accounts: Vec<Vec<AccountTopic>>,
    pub boards: Vec<Leaderboard>,
    pub posts: Vec<EvidencePost>,
}

impl Topics {
    fn none(accounts: usize) -> Topics {
        Topics {
            accounts: vec![Vec::new(); accounts],
            boards: Vec::new(),
            posts: Vec::new(),
        }
    }
}

/// A run's +K endorsements as read, and what they are matched with.
#[derive(Debug, Clone, Copy)]
pub struct PlusKInput<'a> {
    /// The file they were read from.
    pub path: &'a Path,
    pub read: &'a Read,
    /// The person of every account (endorsers count as people).
    pub people: &'a [String],
    /// Skip endorsements naming unknown topics instead of failing.
    pub lenient: bool,
}

/// Computes the topics of a scored run with `model` and the +K `endorsements`; notes what a
/// person should know (no posts, how posts were labelled, endorsements skipped or outside the
/// window).
pub fn topics(
    scored: &Scored,
    posts: Option<&Posts>,
    endorsements: Option<PlusKInput>,
    model: &PostTopicEngine,
    notes: &mut Vec<String>,
) -> Result<Topics> {
    let ids = &scored.inter.accounts;
    let Some(posts) = posts else {
        notes.push("note: no posts.jsonl: no topics or leaderboards".into());
        if let Some(e) = endorsements {
            notes.push(format!(
                "note: {} is not used: +K adds to topic expertise, which needs posts",
                e.path.display()
            ));
        }
        return Ok(Topics::none(ids.len()));
    };
    let params = LeaderboardParams::default().check(&scored.inter)?;
    let o = model.ontology();
    let (plus, person_of) = match endorsements {
        Some(e) => {
            let plus = resolve(e.path, e.read, ids, o, e.lenient, notes)?;
            let w = scored.scores.params.window;
            let outside = plus.iter().filter(|x| !w.contains(x.time)).count();
            if outside > 0 {
                notes.push(format!(
                    "note: {outside} of {} endorsements in {} are outside the scoring window (not counted)",
                    plus.len(),
                    e.path.display()
                ));
            }
            (plus, person_indices(e.people))
        }
        None => (Vec::new(), Vec::new()),
    };
    let input = BoardInputs {
        interactions: &scored.inter,
        follows: scored.follows.as_ref(),
        posts,
        scores: &scored.scores,
        endorsements: Endorsers {
            records: &plus,
            person_of: &person_of,
        },
    };
    let b = leaderboards(&input, o, model, None, &params)?;
    if !matches!(b.posts.labelling, crate::topics::Labelling::Words) {
        notes.push(b.posts.labelling.to_string());
    }
    let boards = b
        .boards
        .iter()
        .filter(|(_, rows)| !rows.is_empty())
        .map(|(t, rows)| leaderboard_record(o, *t, rows, ids))
        .collect();
    let mut used: Vec<u32> = Vec::new();
    let accounts = (0..ids.len() as Node)
        .map(|a| {
            let mut mine: Vec<_> = b.expertise.of(a).iter().collect();
            mine.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.topic.cmp(&y.topic)));
            mine.into_iter()
                .take(ACCOUNT_TOPICS)
                .map(|e| {
                    let ev: Vec<u32> = e.evidence().collect();
                    used.extend(&ev);
                    AccountTopic {
                        topic: o.topic(e.topic).slug.clone(),
                        expertise: e.score,
                        plus_k: b.plus_k.get(&(a, e.topic)).copied(),
                        evidence: ev
                            .iter()
                            .map(|&p| posts.posts[p as usize].id.clone())
                            .collect(),
                    }
                })
                .collect()
        })
        .collect();
    used.sort_unstable();
    used.dedup();
    let mut evidence: Vec<EvidencePost> = used
        .iter()
        .map(|&p| {
            let post = &posts.posts[p as usize];
            EvidencePost {
                id: post.id.clone(),
                author: posts.authors.name(post.author).to_string(),
                time: post.time,
                text: shorten(&post.text, TEXT_CHARS),
                reactors: b.posts.earned[p as usize].reactors,
            }
        })
        .collect();
    // A posts file may repeat an id: keep its first post.
    evidence.sort_by(|x, y| x.id.cmp(&y.id));
    evidence.dedup_by(|x, y| x.id == y.id);
    Ok(Topics {
        accounts,
        boards,
        posts: evidence,
    })
}

/// Every account's person as an index (equal names, equal indices).
fn person_indices(people: &[String]) -> Vec<u32> {
    let mut seen: rustc_hash::FxHashMap<&str, u32> = Default::default();
    people
        .iter()
        .map(|p| {
            let next = seen.len() as u32;
            *seen.entry(p.as_str()).or_insert(next)
        })
        .collect()
}

/// The endorsements `read` from `path` as accounts and topics. Accounts are matched as ids are
/// everywhere (exact, then ignoring case when unambiguous); an endorser or account with no
/// interactions is skipped and counted in a note (it has no score to weigh, or no place). A
/// topic that is not one of `ontology`'s is an error naming the line, or with `lenient`
/// skipped and counted.
pub fn resolve(
    path: &Path,
    read: &Read,
    ids: &crate::ingest::IdMap,
    ontology: &crate::topics::Ontology,
    lenient: bool,
    notes: &mut Vec<String>,
) -> Result<Vec<Endorsement>> {
    let raw = &read.records;
    let mut out = Vec::with_capacity(raw.len());
    let (mut unknown, mut bad_topic) = (0usize, 0usize);
    for r in raw {
        let topic = match ontology.find(&r.topic) {
            Ok(t) => t,
            Err(_) if lenient => {
                bad_topic += 1;
                continue;
            }
            Err(e) => return Err(crate::error::Error::parse(path, r.line, e.to_string())),
        };
        match (
            ids.resolve(&r.endorser).found(),
            ids.resolve(&r.account).found(),
        ) {
            (Some(endorser), Some(account)) => out.push(Endorsement {
                endorser,
                account,
                topic,
                time: r.time,
            }),
            _ => unknown += 1,
        }
    }
    let total = raw.len() as u64 + read.skipped;
    if unknown > 0 {
        notes.push(format!(
            "note: {unknown} of {total} endorsements in {} name an account with no interactions (skipped)",
            path.display()
        ));
    }
    if read.skipped > 0 || bad_topic > 0 {
        notes.push(format!(
            "note: --lenient skipped {} of {total} endorsements in {}: {} malformed, {bad_topic} naming an unknown topic",
            read.skipped as usize + bad_topic,
            path.display(),
            read.skipped
        ));
    }
    Ok(out)
}

/// At most `n` characters, with `…` when cut.
fn shorten(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shorten_cuts_on_characters() {
        assert_eq!(super::shorten("héllo", 3), "hél…");
        assert_eq!(super::shorten("héllo", 5), "héllo");
    }
}
