//! ActivityPub: outbox activities (as `GET /users/:name/outbox` pages and Mastodon's account
//! export `outbox.json` hold them: an `OrderedCollection` or `OrderedCollectionPage` with
//! `orderedItems`, or one activity per line), mapped onto clout's records in the `mastodon`
//! network: `Create{Note}` a post (HTML reduced to text; `inReplyTo` a reply to that note's
//! author, each `Mention` tag a mention), `Announce` a share and `Like` a like of the object
//! note's author, `Follow` a follow, `Undo` and `Delete` withdraw what they name. The author of
//! a note not in the files is read from its URL when it names one
//! (`https://host/users/bob/statuses/1` → `https://host/users/bob`). Accounts are actor URLs,
//! shown as `name@host`.

use serde_json::Value;

use super::canonical::{record_key, Act, Event, Made, Note, Pending};
use super::mastodon::{html_text, NETWORK};
use crate::ingest::skips::SkipKind;
use crate::ingest::time::parse_time;
use crate::ingest::Kind;

/// A malformed line: the skip kind and the reason, naming the platform field.
pub type Bad = (SkipKind, String);

const ACTIVITIES: [&str; 6] = ["Create", "Announce", "Like", "Follow", "Undo", "Delete"];

fn is_activity(v: &Value) -> bool {
    v["type"].as_str().is_some_and(|t| ACTIVITIES.contains(&t)) && v.get("actor").is_some()
}

fn is_collection(v: &Value) -> bool {
    matches!(
        v["type"].as_str(),
        Some("OrderedCollection" | "OrderedCollectionPage")
    ) && v.get("orderedItems").is_some()
}

/// Whether `line` looks like ActivityPub: an activity, or a collection page of them.
pub fn recognises(line: &[u8]) -> bool {
    match serde_json::from_slice::<Value>(line) {
        Ok(v) => is_activity(&v) || is_collection(&v),
        Err(_) => false,
    }
}

/// Reads one line: an activity or a collection of them (blank lines are [`Event::Nothing`]).
pub fn parse_line(line: &[u8]) -> Result<Event, Bad> {
    let Some(v) = super::json_line(line, "ActivityPub")? else {
        return Ok(Event::Nothing);
    };
    if is_collection(&v) {
        let items = v["orderedItems"].as_array().map(Vec::as_slice);
        let events = items
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, a)| activity(a, &format!("orderedItems[{i}].")))
            .collect::<Result<Vec<_>, Bad>>()?;
        return Ok(Event::Batch(events));
    }
    activity(&v, "")
}

fn missing(field: &str) -> Bad {
    (
        SkipKind::TooFewFields,
        format!("ActivityPub field `{field}` is missing"),
    )
}

/// An id: the string, or the `id` of an embedded object.
fn id_of<'v>(v: &'v Value, field: &str) -> Result<&'v str, Bad> {
    v.as_str()
        .or_else(|| v["id"].as_str())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| missing(field))
}

fn time_of(v: &Value, field: &str) -> Result<i64, Bad> {
    let s = v["published"].as_str().ok_or_else(|| missing(field))?;
    parse_time(s).ok_or_else(|| {
        let reason = format!("ActivityPub field `{field}` `{s}` is not an ISO 8601 time");
        (SkipKind::BadTime, reason)
    })
}

/// The actor of a status URL (`…/users/bob/statuses/1` → `…/users/bob`), if it names one.
pub fn actor_of_status(url: &str) -> Option<String> {
    let i = url.find("/statuses/")?;
    url[..i].contains("/users/").then(|| url[..i].to_string())
}

/// How an actor URL is shown: `bob@host` for `https://host/users/bob` or `https://host/@bob`.
fn handle(actor: &str) -> Option<String> {
    let rest = actor
        .strip_prefix("https://")
        .or(actor.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    let name = path
        .strip_prefix("users/")
        .or(path.strip_prefix('@'))
        .filter(|n| !n.is_empty() && !n.contains('/'))?;
    Some(format!("{name}@{host}"))
}

fn pending(actor: &str, parent: &str, kind: Kind, time: i64) -> Pending {
    Pending {
        actor: actor.to_string(),
        parent: parent.to_string(),
        kind,
        time,
        network: NETWORK,
        guess: actor_of_status(parent),
    }
}

/// One activity; `at` prefixes field names in messages.
fn activity(a: &Value, at: &str) -> Result<Event, Bad> {
    let f = |name: &str| format!("{at}{name}");
    let Some(kind) = a["type"].as_str().filter(|t| ACTIVITIES.contains(t)) else {
        return Ok(Event::Unknown);
    };
    let id = id_of(&a["id"], &f("id"))?;
    let actor = id_of(&a["actor"], &f("actor"))?;
    let mut events: Vec<Event> = handle(actor)
        .map(|h| Event::Handle {
            did: actor.to_string(),
            handle: h,
        })
        .into_iter()
        .collect();
    let object = &a["object"];
    let mut made = Made::default();
    let key = match kind {
        "Create" => return create(a, object, actor, at, events),
        "Undo" | "Delete" => {
            let undone = id_of(object, &f("object"))?;
            events.push(Event::Delete {
                key: record_key(&[NETWORK, undone]),
            });
            return Ok(Event::Batch(events));
        }
        "Follow" => {
            let followee = id_of(object, &f("object"))?;
            made.follows.push((actor.to_string(), followee.to_string()));
            id
        }
        _ => {
            let note = id_of(object, &f("object"))?;
            let time = time_of(a, &f("published"))?;
            let kind = if kind == "Like" {
                Kind::Like
            } else {
                Kind::Share
            };
            match object["attributedTo"].as_str() {
                Some(author) if author != actor => {
                    made.acts
                        .push(Act::new(actor, author, kind, time, Some(note), NETWORK))
                }
                Some(_) => {}
                None => made.pending.push(pending(actor, note, kind, time)),
            }
            id
        }
    };
    events.push(Event::Create {
        key: record_key(&[NETWORK, key]),
        made,
    });
    Ok(Event::Batch(events))
}

/// `Create{Note}`: keyed by the note's id, so that a `Delete` of the note withdraws it.
fn create(
    a: &Value,
    note: &Value,
    actor: &str,
    at: &str,
    mut events: Vec<Event>,
) -> Result<Event, Bad> {
    let f = |name: &str| format!("{at}object.{name}");
    if !note.is_object() {
        return Err(missing(&format!("{at}object")));
    }
    if !matches!(note["type"].as_str(), Some("Note" | "Article" | "Question")) {
        return Ok(Event::Unknown);
    }
    let id = id_of(&note["id"], &f("id"))?;
    let author = note["attributedTo"].as_str().unwrap_or(actor);
    let time = time_of(note, &f("published")).or_else(|_| time_of(a, &format!("{at}published")))?;
    let mut made = Made::default();
    made.authored
        .push((NETWORK, id.to_string(), author.to_string()));
    let mut replied = None;
    if let Some(parent) = note["inReplyTo"].as_str() {
        made.pending
            .push(pending(author, parent, Kind::Reply, time));
        replied = actor_of_status(parent);
    }
    for tag in note["tag"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let Some(who) = tag["href"].as_str().filter(|_| tag["type"] == "Mention") else {
            continue;
        };
        if who != author && replied.as_deref() != Some(who) {
            made.acts
                .push(Act::new(author, who, Kind::Mention, time, None, NETWORK));
        }
    }
    let lang = note["contentMap"]
        .as_object()
        .and_then(|m| m.keys().next().cloned());
    made.notes.push(Note {
        id: id.to_string(),
        author: author.to_string(),
        time,
        text: html_text(note["content"].as_str().unwrap_or_default()),
        network: NETWORK,
        lang,
        community: None,
        reported: None,
    });
    events.push(Event::Create {
        key: record_key(&[NETWORK, id]),
        made,
    });
    Ok(Event::Batch(events))
}

#[cfg(test)]
mod tests {
    use super::{actor_of_status, handle, parse_line};

    /// A malformed activity names the ActivityPub field, inside a collection by its index.
    #[test]
    fn bad_activities_name_the_field() {
        let like = br#"{"id":"x","type":"Like","actor":"https://a.b/users/c","object":"https://a.b/users/d/statuses/1"}"#;
        let err = parse_line(like).unwrap_err().1;
        assert!(err.contains("`published`"), "{err}");
        let page = br#"{"type":"OrderedCollectionPage","orderedItems":[{"id":"y","type":"Create","actor":"https://a.b/users/c","object":{"type":"Note","content":"hi"}}]}"#;
        let err = parse_line(page).unwrap_err().1;
        assert!(err.contains("`orderedItems[0].object.id`"), "{err}");
    }

    #[test]
    fn actors_and_handles_from_urls() {
        assert_eq!(
            actor_of_status("https://a.b/users/bob/statuses/12").as_deref(),
            Some("https://a.b/users/bob")
        );
        assert_eq!(actor_of_status("https://a.b/notes/12"), None);
        assert_eq!(handle("https://a.b/users/bob").as_deref(), Some("bob@a.b"));
        assert_eq!(handle("https://a.b/@ana").as_deref(), Some("ana@a.b"));
        assert_eq!(handle("https://a.b/users/bob/x"), None);
    }
}
