//! X / Twitter: API v1.1 tweet objects (as the streaming and search APIs and research
//! collections store them, one per line; `{"delete":{"status":…}}` notices too) and API v2
//! response pages (`{"data": tweet or [tweets], "includes": {"users", "tweets"}}`, one per
//! line), mapped onto clout's records: tweets as posts (`full_text` / `extended_tweet`, `lang`),
//! retweets and quotes as shares of the original, replies to the replied-to author, mentions
//! (not those a reply or retweet carries anyway); and, on v2 tweets where a collector joined
//! them in, the users of `GET /2/tweets/:id/liking_users` and `…/retweeted_by` as
//! `liking_users` and `retweeted_by` lists: likes and shares of the tweet, timed at the tweet
//! (the API gives no time for them). Accounts are user ids, shown by screen name.

use serde_json::Value;

use super::canonical::{record_key, reported_counts, Act, Event, Made, Note};
use crate::ingest::posts::Reported;
use crate::ingest::skips::SkipKind;
use crate::ingest::time::parse_time;
use crate::ingest::Kind;

/// The network name of X accounts and posts.
pub const NETWORK: &str = "x";

/// A malformed line: the skip kind and the reason, naming the platform field.
pub type Bad = (SkipKind, String);

/// Whether `line` looks like X data: a v1.1 tweet (`id_str`, `user`), a v1.1 delete notice,
/// or a v2 page (`data` with tweets).
pub fn recognises(line: &[u8]) -> bool {
    let Ok(Value::Object(o)) = serde_json::from_slice(line) else {
        return false;
    };
    let v1 = o.contains_key("id_str") && o.contains_key("user");
    let delete = o.get("delete").is_some_and(|d| d.get("status").is_some());
    let v2 = match o.get("data") {
        Some(Value::Array(a)) => a.first().is_some_and(|t| t.get("author_id").is_some()),
        Some(t) => t.get("author_id").is_some(),
        None => false,
    };
    v1 || delete || v2
}

/// Reads one line (blank lines are [`Event::Nothing`]).
pub fn parse_line(line: &[u8]) -> Result<Event, Bad> {
    let Some(v) = super::json_line(line, "X")? else {
        return Ok(Event::Nothing);
    };
    if let Some(d) = v.get("delete") {
        let id = id_of(&d["status"], "id_str", "delete.status.id_str")?;
        return Ok(Event::Delete { key: key(&id) });
    }
    if v.get("data").is_some() {
        return v2_page(&v);
    }
    v1_tweet(&v, "")
}

fn key(id: &str) -> u64 {
    record_key(&[NETWORK, id])
}

fn missing(field: &str) -> Bad {
    (
        SkipKind::TooFewFields,
        format!("X field `{field}` is missing"),
    )
}

/// An id field: a string, or an integer.
fn id_of(v: &Value, name: &str, field: &str) -> Result<String, Bad> {
    match &v[name] {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        Value::Number(n) if n.is_u64() => Ok(n.to_string()),
        Value::Null => Err(missing(field)),
        other => Err((
            SkipKind::BadId,
            format!("X field `{field}` is {other}, not an id"),
        )),
    }
}

/// `Wed Oct 10 20:19:24 +0000 2018` (v1.1) or ISO 8601 (v2) → Unix seconds.
fn time_of(v: &Value, field: &str) -> Result<i64, Bad> {
    let s = v["created_at"].as_str().ok_or_else(|| missing(field))?;
    parse_time(s).or_else(|| v1_time(s)).ok_or_else(|| {
        (
            SkipKind::BadTime,
            format!("X field `{field}` `{s}` is not a tweet time"),
        )
    })
}

fn v1_time(s: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let f: Vec<&str> = s.split_whitespace().collect();
    let [_, mon, day, hms, off, year] = f[..] else {
        return None;
    };
    let m = MONTHS.iter().position(|&x| x == mon)? + 1;
    let (sign, hh, mm) = (off.get(..1)?, off.get(1..3)?, off.get(3..5)?);
    parse_time(&format!("{year}-{m:02}-{day:0>2}T{hms}{sign}{hh}:{mm}"))
}

fn act(actor: &str, target: &str, kind: Kind, time: i64, post: Option<&str>) -> Act {
    Act::new(actor, target, kind, time, post, NETWORK)
}

/// A tweet's post (`lang: und` is no language).
fn note(t: &Value, id: &str, author: String, time: i64, text: &str) -> Note {
    Note {
        id: id.to_string(),
        author,
        time,
        text: text.to_string(),
        network: NETWORK,
        lang: t["lang"]
            .as_str()
            .filter(|l| *l != "und")
            .map(str::to_string),
        community: None,
        reported: reported(t),
    }
}

/// The counts X reports on a tweet: v1.1 top-level `favorite_count`, `retweet_count`,
/// `quote_count`, `reply_count`, or v2 `public_metrics`.
fn reported(t: &Value) -> Option<Reported> {
    let fields: [&[&str]; 3] = [
        &["favorite_count", "like_count"],
        &["retweet_count", "quote_count"],
        &["reply_count"],
    ];
    match t.get("public_metrics") {
        Some(m) => reported_counts(m, fields),
        None => reported_counts(t, fields),
    }
}

/// A mention of `who`, unless the tweet already engages them (a reply, a share) or it is the
/// author.
fn mention(made: &mut Made, already: &mut Vec<String>, author: &str, who: &str, time: i64) {
    if !already.iter().any(|a| a == who) && who != author {
        made.acts.push(act(author, who, Kind::Mention, time, None));
        already.push(who.to_string());
    }
}

/// A v1.1 tweet; `at` prefixes field names in messages.
fn v1_tweet(t: &Value, at: &str) -> Result<Event, Bad> {
    let f = |name: &str| format!("{at}{name}");
    let id = id_of(t, "id_str", &f("id_str")).or_else(|_| id_of(t, "id", &f("id")))?;
    let user = &t["user"];
    let author = id_of(user, "id_str", &f("user.id_str"))?;
    let time = time_of(t, &f("created_at"))?;
    let mut made = Made::default();
    let mut events = Vec::new();
    if let Some(name) = user["screen_name"].as_str() {
        events.push(Event::Handle {
            did: author.clone(),
            handle: name.to_string(),
        });
    }
    let mut already = Vec::new();
    if let Some(rt) = t.get("retweeted_status").filter(|r| r.is_object()) {
        let (rt_id, rt_author) = (
            id_of(rt, "id_str", &f("retweeted_status.id_str"))?,
            id_of(&rt["user"], "id_str", &f("retweeted_status.user.id_str"))?,
        );
        made.acts
            .push(act(&author, &rt_author, Kind::Share, time, Some(&rt_id)));
        events.push(Event::Create {
            key: key(&id),
            made,
        });
        return Ok(Event::Batch(events));
    }
    if let Some(q) = t.get("quoted_status").filter(|q| q.is_object()) {
        let (q_id, q_author) = (
            id_of(q, "id_str", &f("quoted_status.id_str"))?,
            id_of(&q["user"], "id_str", &f("quoted_status.user.id_str"))?,
        );
        made.acts
            .push(act(&author, &q_author, Kind::Share, time, Some(&q_id)));
    }
    if let Some(to) = t["in_reply_to_user_id_str"].as_str() {
        let post = t["in_reply_to_status_id_str"].as_str();
        made.acts.push(act(&author, to, Kind::Reply, time, post));
        already.push(to.to_string());
        if let Some(name) = t["in_reply_to_screen_name"].as_str() {
            events.push(Event::Handle {
                did: to.to_string(),
                handle: name.to_string(),
            });
        }
    }
    let mentions = t["entities"]["user_mentions"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for m in mentions {
        let Some(who) = m["id_str"].as_str() else {
            continue;
        };
        mention(&mut made, &mut already, &author, who, time);
        if let Some(name) = m["screen_name"].as_str() {
            events.push(Event::Handle {
                did: who.to_string(),
                handle: name.to_string(),
            });
        }
    }
    let text = t["extended_tweet"]["full_text"]
        .as_str()
        .or(t["full_text"].as_str())
        .or(t["text"].as_str());
    let text = text.ok_or_else(|| missing(&f("text")))?;
    made.notes.push(note(t, &id, author, time, text));
    events.push(Event::Create {
        key: key(&id),
        made,
    });
    Ok(Event::Batch(events))
}

/// A v2 page: every tweet of `data`, with retweeted and quoted authors from `includes.tweets`.
fn v2_page(page: &Value) -> Result<Event, Bad> {
    let data = match &page["data"] {
        Value::Array(a) => a.iter().collect::<Vec<_>>(),
        t => vec![t],
    };
    let included = page["includes"]["tweets"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let author_of = |id: &str| {
        included
            .iter()
            .chain(data.iter().copied())
            .find(|t| t["id"].as_str() == Some(id))
            .and_then(|t| t["author_id"].as_str())
    };
    let mut events = Vec::new();
    for u in page["includes"]["users"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        if let (Some(id), Some(name)) = (u["id"].as_str(), u["username"].as_str()) {
            events.push(Event::Handle {
                did: id.to_string(),
                handle: name.to_string(),
            });
        }
    }
    for (i, t) in data.iter().enumerate() {
        let f = |name: &str| format!("data[{i}].{name}");
        let id = id_of(t, "id", &f("id"))?;
        let author = id_of(t, "author_id", &f("author_id"))?;
        let time = time_of(t, &f("created_at"))?;
        let mut made = Made::default();
        let mut retweet = false;
        let mut already = Vec::new();
        for r in t["referenced_tweets"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let rid = id_of(r, "id", &f("referenced_tweets.id"))?;
            match r["type"].as_str() {
                Some("replied_to") => {
                    let to = t["in_reply_to_user_id"].as_str().or(author_of(&rid));
                    if let Some(to) = to {
                        made.acts
                            .push(act(&author, to, Kind::Reply, time, Some(&rid)));
                        already.push(to.to_string());
                    }
                }
                Some(kind @ ("retweeted" | "quoted")) => {
                    retweet |= kind == "retweeted";
                    if let Some(to) = author_of(&rid) {
                        made.acts
                            .push(act(&author, to, Kind::Share, time, Some(&rid)));
                        already.push(to.to_string());
                    }
                }
                _ => {}
            }
        }
        for (list, kind) in [("liking_users", Kind::Like), ("retweeted_by", Kind::Share)] {
            for (j, u) in t[list]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let fan = id_of(u, "id", &f(&format!("{list}[{j}].id")))?;
                if let Some(name) = u["username"].as_str() {
                    events.push(Event::Handle {
                        did: fan.clone(),
                        handle: name.to_string(),
                    });
                }
                if fan != author {
                    made.acts.push(act(&fan, &author, kind, time, Some(&id)));
                }
            }
        }
        if !retweet {
            for m in t["entities"]["mentions"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                let Some(who) = m["id"].as_str() else {
                    continue;
                };
                mention(&mut made, &mut already, &author, who, time);
            }
            let text = t["text"].as_str().ok_or_else(|| missing(&f("text")))?;
            made.notes.push(note(t, &id, author, time, text));
        }
        events.push(Event::Create {
            key: key(&id),
            made,
        });
    }
    Ok(Event::Batch(events))
}

#[cfg(test)]
mod tests {
    use super::parse_line;
    use crate::ingest::platform::canonical::Event;
    use crate::ingest::Kind;

    /// Users a collector joined in as `liking_users` / `retweeted_by` like and share the
    /// tweet, at its time, and are shown by username.
    #[test]
    fn liking_users_and_retweeted_by_are_engagement() {
        let line = br#"{"data":{"id":"7","text":"hi","author_id":"1","created_at":"2024-03-01T10:00:00.000Z","liking_users":[{"id":"2","username":"bo"}],"retweeted_by":[{"id":"3","username":"cy"},{"id":"1"}]}}"#;
        let Ok(Event::Batch(events)) = parse_line(line) else {
            panic!("not read");
        };
        let mut acts = Vec::new();
        let mut handles = Vec::new();
        for e in &events {
            match e {
                Event::Create { made, .. } => acts.extend(
                    made.acts
                        .iter()
                        .map(|a| (a.actor.as_str(), a.target.as_str(), a.kind, a.time)),
                ),
                Event::Handle { did, handle } => handles.push((did.as_str(), handle.as_str())),
                _ => {}
            }
        }
        let t = 1_709_287_200;
        assert_eq!(
            acts,
            [("2", "1", Kind::Like, t), ("3", "1", Kind::Share, t)]
        );
        assert_eq!(handles, [("2", "bo"), ("3", "cy")]);
    }
}
