//! Reddit: Pushshift-style dumps (`RC_*` comments, `RS_*` submissions; NDJSON, usually zstd
//! at a 2^31 window), mapped onto clout's records: submissions and comments as posts (ids as
//! fullnames `t3_…` / `t1_…`, the subreddit kept as the post's community), a comment as a
//! `reply` to the author of its parent (comment or submission, found by a join on ids after
//! every file is read), a crosspost as a `share` of the original's author, and `u/name`
//! in a text as a mention. `[deleted]` authors are dropped, as actors and as targets; a
//! `[deleted]` or `[removed]` text is not kept, but its author still receives replies.

use serde_json::Value;

use super::canonical::{record_key, reported_counts, Act, Event, Made, Note, Pending};
use crate::ingest::skips::SkipKind;
use crate::ingest::Kind;

/// The network name of Reddit accounts and posts.
pub const NETWORK: &str = "reddit";

/// A malformed line: the skip kind and the reason, naming the platform field.
pub type Bad = (SkipKind, String);

/// Whether `line` looks like a Pushshift comment or submission.
pub fn recognises(line: &[u8]) -> bool {
    let Ok(Value::Object(o)) = serde_json::from_slice(line) else {
        return false;
    };
    let post = o.contains_key("body") && o.contains_key("parent_id")
        || o.contains_key("title") && o.contains_key("selftext");
    post && o.contains_key("subreddit") && o.contains_key("created_utc")
}

/// Reads one line (blank lines are [`Event::Nothing`]).
pub fn parse_line(line: &[u8]) -> Result<Event, Bad> {
    let Some(v) = super::json_line(line, "Reddit")? else {
        return Ok(Event::Nothing);
    };
    if v.get("parent_id").is_some() {
        comment(&v)
    } else if v.get("title").is_some() {
        submission(&v)
    } else {
        Ok(Event::Unknown)
    }
}

fn missing(field: &str) -> Bad {
    (
        SkipKind::TooFewFields,
        format!("Reddit field `{field}` is missing"),
    )
}

fn str_field<'v>(v: &'v Value, name: &str) -> Result<&'v str, Bad> {
    v[name]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| missing(name))
}

/// `created_utc`: seconds as an integer, a float or a string of either (dumps use all three).
fn time_of(v: &Value) -> Result<i64, Bad> {
    let t = &v["created_utc"];
    let secs = match t {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s
            .parse::<i64>()
            .ok()
            .or_else(|| s.parse::<f64>().ok().map(|f| f as i64)),
        Value::Null => return Err(missing("created_utc")),
        _ => None,
    };
    secs.filter(|s| *s >= 0).ok_or_else(|| {
        (
            SkipKind::BadTime,
            format!("Reddit field `created_utc` is {t}, not Unix seconds"),
        )
    })
}

/// The author, or `None` for `[deleted]` (and the like).
fn author_of(v: &Value) -> Result<Option<&str>, Bad> {
    let a = str_field(v, "author")?;
    Ok((!is_gone(a)).then_some(a))
}

/// A placeholder left where an author or a text was removed.
fn is_gone(s: &str) -> bool {
    matches!(s, "[deleted]" | "[removed]")
}

/// The record's fullname: `name` when given, else `prefix` and `id`.
fn fullname(v: &Value, prefix: &str) -> Result<String, Bad> {
    if let Some(n) = v["name"].as_str().filter(|n| n.starts_with(prefix)) {
        return Ok(n.to_string());
    }
    Ok(format!("{prefix}{}", str_field(v, "id")?))
}

fn comment(v: &Value) -> Result<Event, Bad> {
    let id = fullname(v, "t1_")?;
    let parent = str_field(v, "parent_id")?;
    if !(parent.starts_with("t1_") || parent.starts_with("t3_")) {
        return Err((
            SkipKind::BadId,
            format!("Reddit field `parent_id` {parent:?} is not a t1_/t3_ fullname"),
        ));
    }
    let time = time_of(v)?;
    let text = v["body"].as_str().unwrap_or_default();
    record(v, &id, time, text, Some((parent, Kind::Reply)))
}

fn submission(v: &Value) -> Result<Event, Bad> {
    let id = fullname(v, "t3_")?;
    let time = time_of(v)?;
    let title = v["title"].as_str().unwrap_or_default();
    let body = v["selftext"].as_str().unwrap_or_default();
    let text = match (title, body) {
        (t, b) if b.is_empty() || is_gone(b) => t.to_string(),
        (t, b) => format!("{t}\n{b}"),
    };
    let original = v["crosspost_parent"].as_str();
    record(v, &id, time, &text, original.map(|o| (o, Kind::Share)))
}

/// The record `id` (nothing when its author is deleted): its post, and its engagement of
/// `engaged` (a parent's or an original's fullname) when it has one.
fn record(
    v: &Value,
    id: &str,
    time: i64,
    text: &str,
    engaged: Option<(&str, Kind)>,
) -> Result<Event, Bad> {
    let made = match author_of(v)? {
        None => Made::default(),
        Some(author) => {
            let mut made = post(v, id, author, time, text)?;
            if let Some((parent, kind)) = engaged {
                made.pending.push(Pending {
                    actor: author.to_string(),
                    parent: parent.to_string(),
                    kind,
                    time,
                    network: NETWORK,
                    guess: None,
                });
            }
            made
        }
    };
    Ok(Event::Create {
        key: record_key(&[NETWORK, id]),
        made,
    })
}

/// The post `id` by `author` (its text unless removed; its authorship always, for replies),
/// with a mention of every `u/name` in the text.
fn post(v: &Value, id: &str, author: &str, time: i64, text: &str) -> Result<Made, Bad> {
    let mut made = Made::default();
    made.authored
        .push((NETWORK, id.to_string(), author.to_string()));
    if text.trim().is_empty() || is_gone(text.trim()) {
        return Ok(made);
    }
    let community = str_field(v, "subreddit")?;
    for who in mentions(text) {
        if who != author {
            made.acts
                .push(Act::new(author, who, Kind::Mention, time, None, NETWORK));
        }
    }
    made.notes.push(Note {
        id: id.to_string(),
        author: author.to_string(),
        time,
        text: text.to_string(),
        network: NETWORK,
        lang: v["lang"].as_str().map(str::to_string),
        community: Some(community.to_string()),
        reported: reported_counts(v, [&["score"], &[], &["num_comments"]]),
    });
    Ok(made)
}

/// The distinct usernames mentioned as `u/name` or `/u/name` (3–20 of `[A-Za-z0-9_-]`, not
/// inside a word or a link path), in order.
pub fn mentions(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out: Vec<&str> = Vec::new();
    let mut i = 0;
    while let Some(at) = text[i..].find("u/").map(|k| k + i) {
        i = at + 2;
        let before = at.checked_sub(1).map(|b| bytes[b]);
        let starts = match before {
            None => true,
            Some(b'/') => at < 2 || !bytes[at - 2].is_ascii_alphanumeric(),
            Some(b) => !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
        };
        let len = bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'-')
            .count();
        let name = &text[i..i + len];
        if starts && (3..=20).contains(&len) && !out.contains(&name) {
            out.push(name);
        }
        i += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn mentions_are_usernames_after_u_slash() {
        assert_eq!(
            mentions("thanks u/green_thumb and /u/Ana-Lee, cc u/green_thumb"),
            ["green_thumb", "Ana-Lee"]
        );
        assert!(mentions("menu/settings, https://x.com/u/abc/ and u/ab").is_empty());
        assert_eq!(mentions("u/tomato_grower said"), ["tomato_grower"]);
    }
}
