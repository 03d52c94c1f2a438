//! Mastodon: API `Status` entities, one per line or a page of them as a JSON array on one line
//! (as `GET /api/v1/timelines/…` and `…/accounts/:id/statuses` return them), mapped onto
//! clout's records: statuses as posts (HTML `content` reduced to text, `language`, `tags`),
//! boosts (`reblog`) as shares of the boosted status, replies (`in_reply_to_account_id`) and
//! mentions; and, where a collector joined them in, the accounts of
//! `GET /api/v1/statuses/:id/favourited_by` and `…/reblogged_by` as `favourited_by` and
//! `reblogged_by` lists on the status: likes and shares of it, timed at the status (the API
//! gives no time for them). Accounts are the instance's account ids, shown by `acct`.
//! Follower and following lists are [`super::mastodon_follows`]'s, read from the same files.

use serde_json::Value;

use super::canonical::{record_key, reported_counts, Act, Event, Made, Note};
use super::mastodon_follows::{follow_list, is_follow_list};
use crate::ingest::skips::SkipKind;
use crate::ingest::time::parse_time;
use crate::ingest::Kind;

/// The network name of Mastodon accounts and posts.
pub const NETWORK: &str = "mastodon";

/// A malformed line: the skip kind and the reason, naming the platform field.
pub type Bad = (SkipKind, String);

fn is_status(v: &Value) -> bool {
    v.get("account").is_some_and(Value::is_object)
        && v.get("content").is_some()
        && v.get("created_at").is_some()
}

/// Whether `v` is a record the Mastodon reader reads: a Status, or an account's follower or
/// following list.
fn is_record(v: &Value) -> bool {
    is_status(v) || is_follow_list(v)
}

/// Whether `line` looks like Mastodon data: a Status or a follow list, or an array of them.
pub fn recognises(line: &[u8]) -> bool {
    match serde_json::from_slice(line) {
        Ok(Value::Array(a)) => a.first().is_some_and(is_record),
        Ok(v) => is_record(&v),
        Err(_) => false,
    }
}

/// Reads one line (blank lines are [`Event::Nothing`]).
pub fn parse_line(line: &[u8]) -> Result<Event, Bad> {
    let Some(v) = super::json_line(line, "Mastodon")? else {
        return Ok(Event::Nothing);
    };
    match &v {
        Value::Array(page) => {
            let events = page
                .iter()
                .enumerate()
                .map(|(i, s)| record(s, &format!("[{i}].")))
                .collect::<Result<Vec<_>, Bad>>()?;
            Ok(Event::Batch(events))
        }
        s => record(s, ""),
    }
}

/// A Status or a follow list; `at` prefixes field names in messages.
fn record(v: &Value, at: &str) -> Result<Event, Bad> {
    if is_follow_list(v) {
        follow_list(v, at)
    } else {
        status(v, at)
    }
}

fn missing(field: &str) -> Bad {
    (
        SkipKind::TooFewFields,
        format!("Mastodon field `{field}` is missing"),
    )
}

fn str_field<'v>(v: &'v Value, name: &str, field: &str) -> Result<&'v str, Bad> {
    v[name]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| missing(field))
}

fn act(actor: &str, target: &str, kind: Kind, time: i64, post: Option<&str>) -> Act {
    Act::new(actor, target, kind, time, post, NETWORK)
}

/// One Status; `at` prefixes field names in messages.
fn status(s: &Value, at: &str) -> Result<Event, Bad> {
    let f = |name: &str| format!("{at}{name}");
    let id = str_field(s, "id", &f("id"))?;
    let author = str_field(&s["account"], "id", &f("account.id"))?;
    let created = str_field(s, "created_at", &f("created_at"))?;
    let time = parse_time(created).ok_or_else(|| {
        let reason = format!(
            "Mastodon field `{}` `{created}` is not an ISO 8601 time",
            f("created_at")
        );
        (SkipKind::BadTime, reason)
    })?;
    let mut events = Vec::new();
    let mut name = |account: &Value| {
        if let (Some(id), Some(acct)) = (account["id"].as_str(), account["acct"].as_str()) {
            events.push(Event::Handle {
                did: id.to_string(),
                handle: acct.to_string(),
            });
        }
    };
    name(&s["account"]);
    let mut made = Made::default();
    if let Some(boosted) = s.get("reblog").filter(|r| r.is_object()) {
        let b_id = str_field(boosted, "id", &f("reblog.id"))?;
        let b_author = str_field(&boosted["account"], "id", &f("reblog.account.id"))?;
        name(&boosted["account"]);
        made.acts
            .push(act(author, b_author, Kind::Share, time, Some(b_id)));
    } else {
        let mut engaged = Vec::new();
        if let Some(to) = s["in_reply_to_account_id"].as_str() {
            made.acts.push(act(
                author,
                to,
                Kind::Reply,
                time,
                s["in_reply_to_id"].as_str(),
            ));
            engaged.push(to);
        }
        for m in s["mentions"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            name(m);
            let Some(who) = m["id"].as_str() else {
                continue;
            };
            if !engaged.contains(&who) && who != author {
                made.acts.push(act(author, who, Kind::Mention, time, None));
                engaged.push(who);
            }
        }
        for (list, kind) in [("favourited_by", Kind::Like), ("reblogged_by", Kind::Share)] {
            for who in s[list].as_array().map(Vec::as_slice).unwrap_or_default() {
                name(who);
                let fan = str_field(who, "id", &f(&format!("{list}[].id")))?;
                if fan != author {
                    made.acts.push(act(fan, author, kind, time, Some(id)));
                }
            }
        }
        let mut text = html_text(s["content"].as_str().unwrap_or_default());
        for t in s["tags"].as_array().map(Vec::as_slice).unwrap_or_default() {
            if let Some(tag) = t["name"].as_str() {
                if !text
                    .to_lowercase()
                    .contains(&format!("#{}", tag.to_lowercase()))
                {
                    text.push_str(&format!(" #{tag}"));
                }
            }
        }
        made.notes.push(Note {
            id: id.to_string(),
            author: author.to_string(),
            time,
            text,
            network: NETWORK,
            lang: s["language"].as_str().map(str::to_string),
            community: None,
            reported: reported_counts(
                s,
                [
                    &["favourites_count"],
                    &["reblogs_count"],
                    &["replies_count"],
                ],
            ),
        });
    }
    events.push(Event::Create {
        key: record_key(&[NETWORK, id]),
        made,
    });
    Ok(Event::Batch(events))
}

/// HTML reduced to text: tags dropped (a paragraph or line break becomes a space), the common
/// entities decoded.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('>') else {
            rest = &rest[i..];
            break;
        };
        let tag = rest[i + 1..i + j]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        if (tag.starts_with('p') || tag.starts_with("br")) && !out.ends_with(' ') && !out.is_empty()
        {
            out.push(' ');
        }
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::{html_text, parse_line};
    use crate::ingest::platform::canonical::Event;
    use crate::ingest::Kind;

    /// Accounts a collector joined in as `favourited_by` / `reblogged_by` like and share the
    /// status, at its time; the author's own favourite is not counted.
    #[test]
    fn favourited_and_reblogged_by_lists_are_engagement() {
        let line = br#"{"id":"9","created_at":"2024-01-01T00:00:00Z","content":"<p>hi</p>","account":{"id":"1","acct":"ana"},"favourited_by":[{"id":"2","acct":"bo"},{"id":"1","acct":"ana"}],"reblogged_by":[{"id":"3","acct":"cy@x.y"}]}"#;
        let Ok(Event::Batch(events)) = parse_line(line) else {
            panic!("not read");
        };
        let acts: Vec<(String, String, Kind)> = events
            .iter()
            .filter_map(|e| match e {
                Event::Create { made, .. } => Some(made),
                _ => None,
            })
            .flat_map(|m| &m.acts)
            .map(|a| (a.actor.clone(), a.target.clone(), a.kind))
            .collect();
        let want = [("2", "1", Kind::Like), ("3", "1", Kind::Share)]
            .map(|(a, b, k)| (a.to_string(), b.to_string(), k));
        assert_eq!(acts, want);
        let bad = br#"{"id":"9","created_at":"2024-01-01T00:00:00Z","content":"","account":{"id":"1"},"favourited_by":[{"acct":"bo"}]}"#;
        let err = parse_line(bad).unwrap_err().1;
        assert!(err.contains("favourited_by[].id"), "{err}");
    }

    #[test]
    fn html_is_reduced_to_text() {
        let html = "<p>Tomatoes &amp; <span class=\"h-card\"><a href=\"https://x.y/@ana\">@<span>ana</span></a></span> say &quot;hi&quot;</p><p>second<br/>line &lt;3</p>";
        assert_eq!(html_text(html), "Tomatoes & @ana say \"hi\" second line <3");
    }
}
