//! The topic part of `clout run`: every account's topics (expertise, best first, with evidence
//! posts), every topic's leaderboard and the evidence posts, from `crate::leaderboard` over the
//! run's scores. Without a posts file there are no topics.

use super::Scored;
use std::path::Path;

use crate::error::Result;
use crate::ingest::endorsements::RawEndorsement;
use crate::ingest::{Node, Posts};
use crate::leaderboard::{leaderboards, BoardInputs, LeaderboardParams};
use crate::store::build::leaderboard_record;
use crate::store::{AccountTopic, EvidencePost, Leaderboard};
use crate::topics::endorse::Endorsement;
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

/// Computes the topics of a scored run with `model` and the +K `endorsements` (the file they
/// were read from and its records); notes what a person should know (no posts, how posts
/// were labelled, endorsements of unknown accounts).
pub fn topics(
    scored: &Scored,
    posts: Option<&Posts>,
    endorsements: Option<(&Path, &[RawEndorsement])>,
    model: &PostTopicEngine,
    notes: &mut Vec<String>,
) -> Result<Topics> {
    let ids = &scored.inter.accounts;
    let Some(posts) = posts else {
        notes.push("note: no posts.jsonl: no topics or leaderboards".into());
        return Ok(Topics::none(ids.len()));
    };
    let params = LeaderboardParams::default().check(&scored.inter)?;
    let o = model.ontology();
    let plus = match endorsements {
        Some((path, raw)) => resolve(path, raw, ids, o, notes)?,
        None => Vec::new(),
    };
    let input = BoardInputs {
        interactions: &scored.inter,
        follows: scored.follows.as_ref(),
        posts,
        scores: &scored.scores,
        endorsements: &plus,
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

/// The endorsements of `raw` (read from `path`) as accounts and topics: a topic that is not
/// one of `ontology`'s is an error naming the line; an endorser or account with no
/// interactions is skipped and counted in a note (it has no score to weigh, or no place).
pub fn resolve(
    path: &Path,
    raw: &[RawEndorsement],
    ids: &crate::ingest::IdMap,
    ontology: &crate::topics::Ontology,
    notes: &mut Vec<String>,
) -> Result<Vec<Endorsement>> {
    let mut out = Vec::with_capacity(raw.len());
    let mut unknown = 0usize;
    for r in raw {
        let topic = ontology
            .find(&r.topic)
            .map_err(|e| crate::error::Error::parse(path, r.line, e.to_string()))?;
        match (ids.find(&r.endorser), ids.find(&r.account)) {
            (Some(endorser), Some(account)) => out.push(Endorsement {
                endorser,
                account,
                topic,
                time: r.time,
            }),
            _ => unknown += 1,
        }
    }
    if unknown > 0 {
        notes.push(format!(
            "note: {unknown} of {} endorsements in {} name an account with no interactions (skipped)",
            raw.len(),
            path.display()
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
