//! The planted truth: each account's rolled-up topic weights, the planted experts of every
//! topic, and `truth.json`.
//!
//! **Planted experts** of topic T: the accounts of people (not bots, ring members or the boosted
//! account) whose rolled-up interest weight in T is at least [`EXPERT_MIN_WEIGHT`], whose
//! hidden influence is at least [`EXPERT_MIN_INFLUENCE`], and who wrote at least
//! [`EXPERT_MIN_POSTS`] posts about T or a topic under it — the evidence any reader of the posts
//! could find: an interest never posted about makes nobody an expert on it. Best first by
//! influence × weight (ties by id). The rolled-up weight of T is the sum of the account's interest weights in T and in
//! T's descendants (capped at 1), so `sports-and-recreation` gathers `basketball`, `running`, ….

use std::collections::BTreeMap;
use std::io::Write;

use super::accounts::{Account, Role};
use super::posts::PostMeta;
use super::topics::TopicTable;
use crate::topics::TopicIdx;

/// Minimum rolled-up interest weight of a planted expert.
pub const EXPERT_MIN_WEIGHT: f64 = 0.25;
/// Minimum hidden influence of a planted expert (regular people: log-normal around 1;
/// influencers: around e² ≈ 7.4).
pub const EXPERT_MIN_INFLUENCE: f64 = 4.0;

/// Minimum number of the account's posts about the topic (or a topic under it).
pub const EXPERT_MIN_POSTS: u32 = 2;

/// The definition, as written into `truth.json` and the README.
pub const EXPERT_DEFINITION: &str = "experts[T] = accounts with role \"person\" whose rolled-up interest weight in topic T (the sum of their interest weights in T and in T's descendants in the builtin taxonomy, capped at 1) is >= expert_min_weight, whose hidden influence is >= expert_min_influence, and who wrote >= expert_min_posts posts about T or a topic under it (post_topics), best first by influence x weight, ties by id";

/// Rolled-up weights: each interest counts for its topic and every ancestor.
pub fn rolled_up(a: &Account, topics: &TopicTable) -> Vec<(TopicIdx, f64)> {
    let mut w: BTreeMap<TopicIdx, f64> = BTreeMap::new();
    for &(t, x) in &a.interests {
        for &u in std::iter::once(&t).chain(&topics.topics[t as usize].ancestors) {
            *w.entry(u).or_insert(0.0) += x;
        }
    }
    w.into_iter().map(|(t, x)| (t, x.min(1.0))).collect()
}

/// Posts about each topic (rolled up: a post counts for its topic and every ancestor) per
/// author.
fn posts_about(posts: &[PostMeta], topics: &TopicTable) -> BTreeMap<(u32, TopicIdx), u32> {
    let mut n = BTreeMap::new();
    for p in posts {
        if let Some(t) = p.topic {
            let up = std::iter::once(&t).chain(&topics.topics[t as usize].ancestors);
            let mut up: Vec<TopicIdx> = up.copied().collect();
            up.sort_unstable();
            up.dedup();
            for u in up {
                *n.entry((p.author, u)).or_insert(0) += 1;
            }
        }
    }
    n
}

/// The planted experts of every topic that has any, by topic slug.
pub fn experts(
    accounts: &[Account],
    topics: &TopicTable,
    posts: &[PostMeta],
) -> BTreeMap<String, Vec<u32>> {
    let about = posts_about(posts, topics);
    let mut by_topic: BTreeMap<TopicIdx, Vec<(f64, u32)>> = BTreeMap::new();
    for (i, a) in accounts.iter().enumerate() {
        if a.role != Role::Person || a.influence < EXPERT_MIN_INFLUENCE {
            continue;
        }
        for (t, w) in rolled_up(a, topics) {
            let evidence = about.get(&(i as u32, t)).copied().unwrap_or(0);
            if w >= EXPERT_MIN_WEIGHT - 1e-9 && evidence >= EXPERT_MIN_POSTS {
                by_topic
                    .entry(t)
                    .or_default()
                    .push((a.influence * w, i as u32));
            }
        }
    }
    by_topic
        .into_iter()
        .map(|(t, mut v)| {
            v.sort_by(|a, b| {
                b.0.total_cmp(&a.0)
                    .then_with(|| accounts[a.1 as usize].id.cmp(&accounts[b.1 as usize].id))
            });
            let slug = topics.topics[t as usize].slug.clone();
            (slug, v.into_iter().map(|x| x.1).collect())
        })
        .collect()
}

/// Facts of the run recorded in `truth.json`.
pub struct TruthHeader<'a> {
    pub command: &'a str,
    pub seed: u64,
    pub start: i64,
    pub end: i64,
}

fn json<T: serde::Serialize + ?Sized>(x: &T) -> String {
    serde_json::to_string(x).expect("serializable")
}

/// Writes `truth.json`: one account, topic or post per line.
pub fn write_truth(
    w: &mut impl Write,
    h: &TruthHeader,
    accounts: &[Account],
    topics: &TopicTable,
    posts: &[PostMeta],
    post_topics: &[(String, TopicIdx)],
) -> std::io::Result<()> {
    let ids = |v: &[u32]| -> Vec<&str> {
        v.iter()
            .map(|&i| accounts[i as usize].id.as_str())
            .collect()
    };
    writeln!(w, "{{\"synthetic\": true,")?;
    writeln!(w, "\"generator\": {},", json(h.command))?;
    writeln!(w, "\"seed\": {},", h.seed)?;
    writeln!(w, "\"start\": {},", h.start)?;
    writeln!(w, "\"end\": {},", h.end)?;
    writeln!(w, "\"expert_definition\": {},", json(EXPERT_DEFINITION))?;
    writeln!(w, "\"expert_min_weight\": {EXPERT_MIN_WEIGHT},")?;
    writeln!(w, "\"expert_min_influence\": {EXPERT_MIN_INFLUENCE},")?;
    writeln!(w, "\"expert_min_posts\": {EXPERT_MIN_POSTS},")?;
    let of = |r: Role| -> Vec<u32> {
        (0..accounts.len() as u32)
            .filter(|&i| accounts[i as usize].role == r)
            .collect()
    };
    writeln!(
        w,
        "\"bot_farm\": {{\"boosted\": {}, \"bots\": {}}},",
        json(&ids(&of(Role::Boosted))[0]),
        json(&ids(&of(Role::Bot)))
    )?;
    writeln!(w, "\"rings\": [{}],", json(&ids(&of(Role::Ring))))?;
    writeln!(w, "\"experts\": {{")?;
    let experts = experts(accounts, topics, posts);
    for (k, (slug, v)) in experts.iter().enumerate() {
        let sep = if k + 1 < experts.len() { "," } else { "" };
        writeln!(w, "{}: {}{sep}", json(slug), json(&ids(v)))?;
    }
    writeln!(w, "}},\n\"accounts\": [")?;
    for (i, a) in accounts.iter().enumerate() {
        let interests: BTreeMap<&str, f64> = a
            .interests
            .iter()
            .map(|&(t, x)| (topics.topics[t as usize].slug.as_str(), x))
            .collect();
        let sep = if i + 1 < accounts.len() { "," } else { "" };
        writeln!(
            w,
            "{{\"id\": {}, \"network\": \"{}\", \"person\": \"person_{}\", \"role\": \"{}\", \"lang\": \"{}\", \"influence\": {}, \"interests\": {}}}{sep}",
            json(&a.id),
            a.network.name(),
            a.person,
            a.role.name(),
            a.lang.code(),
            a.influence,
            json(&interests)
        )?;
    }
    writeln!(w, "],\n\"post_topics\": {{")?;
    for (i, (post, t)) in post_topics.iter().enumerate() {
        let sep = if i + 1 < post_topics.len() { "," } else { "" };
        writeln!(
            w,
            "{}: {}{sep}",
            json(post),
            json(&topics.topics[*t as usize].slug)
        )?;
    }
    writeln!(w, "}}\n}}")
}
