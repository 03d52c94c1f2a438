//! The JSON bodies of the v2 endpoints, shaped like Klout's API v2 (camelCase fields, `score`
//! with a `bucket`, `scoreDelta`, `myInfluencers` / `myInfluencees`). Serialisation only: the
//! lookups are the handlers' job.

use serde::Serialize;

use super::snapshot::{Snapshot, TopicLabel};
use crate::store::{AccountRecord, Counterpart, Deltas, EvidencePost, HistoryPoint, Leaderboard};

/// Klout-style score bucket: `"1-9"`, `"10-19"`, …, `"80-89"`, `"90-100"`.
pub fn bucket(score: f64) -> String {
    let s = if score.is_finite() { score } else { 0.0 };
    let lo = ((s / 10.0).floor() as i64 * 10).clamp(0, 90);
    match lo {
        0 => "1-9".to_owned(),
        90 => "90-100".to_owned(),
        _ => format!("{lo}-{}", lo + 9),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScoreDelta {
    day_change: Option<f64>,
    week_change: Option<f64>,
    month_change: Option<f64>,
}

impl From<&Deltas> for ScoreDelta {
    fn from(d: &Deltas) -> Self {
        ScoreDelta {
            day_change: d.day,
            week_change: d.week,
            month_change: d.month,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScoreBody {
    score: f64,
    bucket: String,
    score_delta: ScoreDelta,
}

/// `/v2/user.json/{id}/score`.
pub fn score_body(rec: &AccountRecord) -> Vec<u8> {
    to_vec(&ScoreBody {
        score: rec.score,
        bucket: bucket(rec.score),
        score_delta: (&rec.delta).into(),
    })
}

#[derive(Serialize)]
struct ShortScore {
    score: f64,
    bucket: String,
}

impl ShortScore {
    fn of(score: f64) -> Self {
        ShortScore {
            score,
            bucket: bucket(score),
        }
    }
}

/// `/v2/identity.json/{network}/{handle}`.
pub fn identity_body(rec: &AccountRecord) -> Vec<u8> {
    #[derive(Serialize)]
    struct Body<'a> {
        id: &'a str,
        network: &'a str,
        person: &'a str,
    }
    to_vec(&Body {
        id: &rec.account.id,
        network: &rec.account.network,
        person: &rec.account.person,
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct User<'a> {
    id: &'a str,
    network: &'a str,
    nick: &'a str,
    person: &'a str,
    score: ShortScore,
    percentile: f64,
    score_deltas: ScoreDelta,
}

impl<'a> User<'a> {
    fn of(rec: &'a AccountRecord) -> Self {
        User {
            id: &rec.account.id,
            network: &rec.account.network,
            nick: &rec.account.handle,
            person: &rec.account.person,
            score: ShortScore::of(rec.score),
            percentile: rec.percentile,
            score_deltas: (&rec.delta).into(),
        }
    }
}

/// `/v2/user.json/{id}`.
pub fn user_body(rec: &AccountRecord) -> Vec<u8> {
    to_vec(&User::of(rec))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TopicItem<'a> {
    id: String,
    slug: String,
    name: String,
    display_name: String,
    path: Vec<String>,
    expertise: f64,
    evidence: &'a [String],
    /// What +K endorsements added to the expertise; absent without any.
    #[serde(skip_serializing_if = "Option::is_none")]
    plus_k: Option<crate::topics::expertise::endorse::PlusK>,
}

/// `/v2/user.json/{id}/topics`: the account's topics best first.
pub fn topics_body(snap: &Snapshot, rec: &AccountRecord) -> Vec<u8> {
    let items: Vec<TopicItem> = rec
        .topics
        .iter()
        .map(|t| {
            let label = snap.topic_label(&t.topic);
            TopicItem {
                id: label.slug.clone(),
                slug: label.slug,
                name: label.name.clone(),
                display_name: label.name,
                path: label.path,
                expertise: t.expertise,
                evidence: &t.evidence,
                plus_k: t.plus_k,
            }
        })
        .collect();
    to_vec(&items)
}

#[derive(Serialize)]
struct Entity<'a> {
    id: &'a str,
    /// `None` when the counterpart is not among the run's accounts.
    payload: Option<User<'a>>,
}

#[derive(Serialize)]
struct Relation<'a> {
    entity: Entity<'a>,
    actions: u32,
    weight: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InfluenceBody<'a> {
    my_influencers: Vec<Relation<'a>>,
    my_influencees: Vec<Relation<'a>>,
    my_influencers_count: usize,
    my_influencees_count: usize,
}

fn relations<'a>(snap: &'a Snapshot, list: &'a [Counterpart]) -> Vec<Relation<'a>> {
    list.iter()
        .map(|c| Relation {
            entity: Entity {
                id: &c.id,
                payload: snap.account(&c.id).map(User::of),
            },
            actions: c.actions,
            weight: c.weight,
        })
        .collect()
}

/// `/v2/user.json/{id}/influence`.
pub fn influence_body(snap: &Snapshot, rec: &AccountRecord) -> Vec<u8> {
    to_vec(&InfluenceBody {
        my_influencers: relations(snap, &rec.influencers),
        my_influencees: relations(snap, &rec.influencees),
        my_influencers_count: rec.influencers.len(),
        my_influencees_count: rec.influencees.len(),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TopicRef {
    id: String,
    slug: String,
    display_name: String,
    path: Vec<String>,
}

impl From<TopicLabel> for TopicRef {
    fn from(l: TopicLabel) -> Self {
        TopicRef {
            id: l.slug.clone(),
            slug: l.slug,
            display_name: l.name,
            path: l.path,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Leader<'a> {
    rank: u32,
    id: &'a str,
    network: Option<&'a str>,
    nick: Option<&'a str>,
    value: f64,
    expertise: f64,
    topical_impact: f64,
    score: ShortScore,
}

#[derive(Serialize)]
struct LeadersBody<'a> {
    topic: TopicRef,
    total: usize,
    limit: usize,
    leaders: Vec<Leader<'a>>,
}

/// `/v2/topics/{slug}/leaders`: the first `limit` entries.
pub fn leaders_body(snap: &Snapshot, board: &Leaderboard, limit: usize) -> Vec<u8> {
    let leaders = board
        .entries
        .iter()
        .take(limit)
        .map(|e| {
            let acc = snap.account(&e.account).map(|r| &r.account);
            Leader {
                rank: e.rank,
                id: &e.account,
                network: acc.map(|a| a.network.as_str()),
                nick: acc.map(|a| a.handle.as_str()),
                value: e.value,
                expertise: e.expertise,
                topical_impact: e.topical_impact,
                score: ShortScore::of(e.score),
            }
        })
        .collect();
    to_vec(&LeadersBody {
        topic: snap.topic_label(&board.topic).into(),
        total: board.entries.len(),
        limit,
        leaders,
    })
}

/// `/v2/topics`: every topic with a leaderboard.
pub fn topic_list_body(snap: &Snapshot) -> Vec<u8> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Item {
        #[serde(flatten)]
        topic: TopicRef,
        entries: usize,
    }
    #[derive(Serialize)]
    struct Body {
        topics: Vec<Item>,
    }
    let topics = snap
        .leaderboards()
        .iter()
        .map(|b| Item {
            topic: snap.topic_label(&b.topic).into(),
            entries: b.entries.len(),
        })
        .collect();
    to_vec(&Body { topics })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SubScore {
    raw: f64,
    score: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Ledger<'a> {
    engaged_accounts: u32,
    followers_engaged: Option<u32>,
    posts: u32,
    posts_acted_on: u32,
    actions_by_kind: Vec<(&'a str, u32)>,
    followers: Option<u32>,
    following: Option<u32>,
    formula: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExplainTopic<'a> {
    slug: String,
    display_name: String,
    path: Vec<String>,
    expertise: f64,
    evidence: Vec<&'a EvidencePost>,
    /// What +K endorsements added to the expertise; absent without any.
    #[serde(skip_serializing_if = "Option::is_none")]
    plus_k: Option<crate::topics::expertise::endorse::PlusK>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HistoryItem {
    as_of: i64,
    score: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExplainBody<'a> {
    #[serde(flatten)]
    user: User<'a>,
    as_of: Option<i64>,
    true_reach: SubScore,
    amplification: SubScore,
    network_impact: SubScore,
    ledger: Ledger<'a>,
    topics: Vec<ExplainTopic<'a>>,
    history: Vec<HistoryItem>,
}

/// `/v2/user.json/{id}/explain`: sub-scores, the ledger summary, topics with their evidence
/// posts, and the score history.
pub fn explain_body(snap: &Snapshot, rec: &AccountRecord) -> Vec<u8> {
    let sub = |m: &crate::store::Measure| SubScore {
        raw: m.raw,
        score: m.score,
    };
    let l = &rec.ledger;
    let topics = rec
        .topics
        .iter()
        .map(|t| {
            let label = snap.topic_label(&t.topic);
            ExplainTopic {
                slug: label.slug,
                display_name: label.name,
                path: label.path,
                expertise: t.expertise,
                evidence: t.evidence.iter().filter_map(|id| snap.post(id)).collect(),
                plus_k: t.plus_k,
            }
        })
        .collect();
    let history = snap
        .history(&rec.account.id)
        .into_iter()
        .map(|h: HistoryPoint| HistoryItem {
            as_of: h.as_of,
            score: h.score,
        })
        .collect();
    to_vec(&ExplainBody {
        user: User::of(rec),
        as_of: snap.meta().map(|m| m.as_of),
        true_reach: sub(&rec.true_reach),
        amplification: sub(&rec.amplification),
        network_impact: sub(&rec.network_impact),
        ledger: Ledger {
            engaged_accounts: l.engaged_accounts,
            followers_engaged: l.followers_engaged,
            posts: l.posts,
            posts_acted_on: l.posts_acted_on,
            actions_by_kind: l
                .actions_by_kind
                .iter()
                .map(|(k, n)| (k.as_str(), *n))
                .collect(),
            followers: l.followers,
            following: l.following,
            formula: &l.formula,
        },
        topics,
        history,
    })
}

/// `/v2/user.json/{id}/badges`: the account's achievements.
pub fn badges_body(snap: &Snapshot, rec: &AccountRecord) -> Vec<u8> {
    to_vec(&snap.achievements(rec))
}

fn to_vec<T: Serialize>(body: &T) -> Vec<u8> {
    // Only non-finite floats can fail, and serde_json writes those as null.
    serde_json::to_vec(body).expect("API bodies are plain data")
}

#[cfg(test)]
mod tests {
    use super::bucket;

    #[test]
    fn buckets_follow_klout() {
        assert_eq!(bucket(1.0), "1-9");
        assert_eq!(bucket(9.99), "1-9");
        assert_eq!(bucket(10.0), "10-19");
        assert_eq!(bucket(45.5), "40-49");
        assert_eq!(bucket(89.9), "80-89");
        assert_eq!(bucket(90.0), "90-100");
        assert_eq!(bucket(100.0), "90-100");
        assert_eq!(bucket(f64::NAN), "1-9");
    }
}
