//! Bluesky: Jetstream event lines (`{did, time_us, kind, commit:{operation, collection, rkey,
//! record, cid}}`, also the older `type: "com"` / `commit.type: "c"` shape) and plain repo
//! records as `com.atproto.repo.listRecords` gives them (`{uri, cid, value}`), mapped onto
//! clout's records: posts (text, first of `langs`, tags), replies to the parent's author,
//! quotes (shares of the quoted post), mentions (from facets), likes, reposts (shares) and
//! follows. A delete withdraws what its record made; `identity` events name accounts by handle.
//! Accounts are DIDs; the author of a subject is the DID in its at-URI.

use std::borrow::Cow;

use serde::Deserialize;

pub use super::canonical::Event;
use super::canonical::{record_key, Act, Made, Note};
use crate::ingest::skips::SkipKind;
use crate::ingest::time::parse_time;
use crate::ingest::Kind;

/// The network name of Bluesky accounts and posts.
pub const NETWORK: &str = "bsky";

const POST: &str = "app.bsky.feed.post";
const LIKE: &str = "app.bsky.feed.like";
const REPOST: &str = "app.bsky.feed.repost";
const FOLLOW: &str = "app.bsky.graph.follow";

/// A malformed line: the skip kind and the reason, naming the platform field.
pub type Bad = (SkipKind, String);

/// One line: a Jetstream event or a listRecords record.
#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow)]
    did: Option<Cow<'a, str>>,
    time_us: Option<i64>,
    #[serde(borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(rename = "type", borrow)]
    old_kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    commit: Option<Commit<'a>>,
    #[serde(borrow)]
    identity: Option<Identity<'a>>,
    #[serde(borrow)]
    uri: Option<Cow<'a, str>>,
    #[serde(borrow)]
    value: Option<Record<'a>>,
}

#[derive(Deserialize)]
struct Commit<'a> {
    #[serde(borrow)]
    operation: Option<Cow<'a, str>>,
    #[serde(rename = "type", borrow)]
    old_operation: Option<Cow<'a, str>>,
    #[serde(borrow)]
    collection: Option<Cow<'a, str>>,
    #[serde(borrow)]
    rkey: Option<Cow<'a, str>>,
    #[serde(borrow)]
    record: Option<Record<'a>>,
}

#[derive(Deserialize)]
struct Identity<'a> {
    #[serde(borrow)]
    handle: Option<Cow<'a, str>>,
}

/// Any record clout reads; each collection uses its own fields.
#[derive(Deserialize)]
struct Record<'a> {
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
    #[serde(rename = "createdAt", borrow)]
    created_at: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    langs: Vec<Cow<'a, str>>,
    #[serde(default, borrow)]
    tags: Vec<Cow<'a, str>>,
    #[serde(borrow)]
    reply: Option<Reply<'a>>,
    #[serde(borrow)]
    embed: Option<Embed<'a>>,
    #[serde(default, borrow)]
    facets: Vec<Facet<'a>>,
    #[serde(borrow)]
    subject: Option<Subject<'a>>,
}

#[derive(Deserialize)]
struct StrongRef<'a> {
    #[serde(borrow)]
    uri: Cow<'a, str>,
}

#[derive(Deserialize)]
struct Reply<'a> {
    #[serde(borrow)]
    parent: Option<StrongRef<'a>>,
}

/// `app.bsky.embed.record` (`record: {uri}`) or `recordWithMedia` (`record: {record: {uri}}`).
#[derive(Deserialize)]
struct Embed<'a> {
    #[serde(borrow)]
    record: Option<EmbedRecord<'a>>,
}

#[derive(Deserialize)]
struct EmbedRecord<'a> {
    #[serde(borrow)]
    uri: Option<Cow<'a, str>>,
    #[serde(borrow)]
    record: Option<StrongRef<'a>>,
}

#[derive(Deserialize)]
struct Facet<'a> {
    #[serde(default, borrow)]
    features: Vec<Feature<'a>>,
}

#[derive(Deserialize)]
struct Feature<'a> {
    #[serde(rename = "$type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    did: Option<Cow<'a, str>>,
}

/// A like's or repost's `{uri, cid}`, or a follow's DID. (Read by hand: serde's untagged
/// enums buffer every value first, which halved the speed of reading likes.)
enum Subject<'a> {
    Ref(StrongRef<'a>),
    Did(Cow<'a, str>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Subject<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SubjectVisitor(std::marker::PhantomData))
    }
}

struct SubjectVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> serde::de::Visitor<'de> for SubjectVisitor<'a> {
    type Value = Subject<'a>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a DID string or a {uri, cid} object")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Subject::Did(Cow::Borrowed(v)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Subject::Did(Cow::Owned(v.to_string())))
    }

    fn visit_map<M: serde::de::MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
        let r = StrongRef::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(Subject::Ref(r))
    }
}

/// Whether `line` looks like Bluesky data: a Jetstream event (`did`, `time_us`, `kind`) or a
/// listRecords record (`uri` at-URI, `value`), whatever its fields hold.
pub fn recognises(line: &[u8]) -> bool {
    let Ok(serde_json::Value::Object(o)) = serde_json::from_slice(line) else {
        return false;
    };
    let event = o.contains_key("did")
        && o.contains_key("time_us")
        && (o.contains_key("kind") || o.contains_key("type"));
    let record = o.contains_key("value")
        && o.get("uri")
            .and_then(|u| u.as_str())
            .is_some_and(|u| u.starts_with("at://"));
    event || record
}

/// Reads one line (blank lines are [`Event::Nothing`]).
pub fn parse_line(line: &[u8]) -> Result<Event, Bad> {
    let line = line.trim_ascii();
    if line.is_empty() {
        return Ok(Event::Nothing);
    }
    let l: Line = serde_json::from_slice(line).map_err(|_| json_error(line))?;
    if let Some(uri) = &l.uri {
        return plain_record(uri, l.value);
    }
    let did = l.did.ok_or_else(|| missing("did"))?;
    let kind = l.kind.or(l.old_kind).ok_or_else(|| missing("kind"))?;
    match kind.as_ref() {
        "commit" | "com" => {
            let time = l
                .time_us
                .ok_or_else(|| missing("time_us"))?
                .div_euclid(1_000_000);
            commit(&did, time, l.commit.ok_or_else(|| missing("commit"))?)
        }
        "identity" | "id" => Ok(match l.identity.and_then(|i| i.handle) {
            Some(h) => Event::Handle {
                did: did.into_owned(),
                handle: h.into_owned(),
            },
            None => Event::Nothing,
        }),
        _ => Ok(Event::Nothing),
    }
}

/// The error of a line that did not deserialize, with the path of the field at fault.
fn json_error(line: &[u8]) -> Bad {
    let mut de = serde_json::Deserializer::from_slice(line);
    let reason = match serde_path_to_error::deserialize::<_, Line>(&mut de) {
        Err(e) if e.path().iter().next().is_some() => {
            format!("bad Bluesky field `{}`: {}", e.path(), e.inner())
        }
        Err(e) => format!("bad Bluesky JSON line: {}", e.inner()),
        Ok(_) => "bad Bluesky JSON line".to_string(),
    };
    (SkipKind::BadJson, reason)
}

fn missing(field: &str) -> Bad {
    (
        SkipKind::TooFewFields,
        format!("Bluesky field `{field}` is missing"),
    )
}

fn commit(did: &str, time: i64, c: Commit) -> Result<Event, Bad> {
    let op = c
        .operation
        .or(c.old_operation)
        .ok_or_else(|| missing("commit.operation"))?;
    let collection = c.collection.ok_or_else(|| missing("commit.collection"))?;
    let rkey = c.rkey.ok_or_else(|| missing("commit.rkey"))?;
    let key = record_key(&[did, &collection, &rkey]);
    match op.as_ref() {
        "delete" | "d" => Ok(Event::Delete { key }),
        "create" | "update" | "c" | "u" => {
            let record = c.record.ok_or_else(|| missing("commit.record"))?;
            let made = make(did, &collection, &rkey, time, record, "commit.record")?;
            Ok(made.map_or(Event::Unknown, |made| Event::Create { key, made }))
        }
        other => Err((
            SkipKind::BadKind,
            format!("Bluesky field `commit.operation` is `{other}`, not create, update or delete"),
        )),
    }
}

/// A listRecords record: the author, collection and key come from its at-URI.
fn plain_record(uri: &str, value: Option<Record>) -> Result<Event, Bad> {
    let (did, collection, rkey) = split_uri(uri).ok_or_else(|| bad_uri("uri", uri))?;
    let value = value.ok_or_else(|| missing("value"))?;
    let created = value
        .created_at
        .as_deref()
        .ok_or_else(|| missing("value.createdAt"))?;
    let time = parse_time(created).ok_or_else(|| {
        (
            SkipKind::BadTime,
            format!("Bluesky field `value.createdAt` `{created}` is not an ISO 8601 time"),
        )
    })?;
    let key = record_key(&[did, collection, rkey]);
    let made = make(did, collection, rkey, time, value, "value")?;
    Ok(made.map_or(Event::Unknown, |made| Event::Create { key, made }))
}

/// `at://did/collection/rkey` → its three parts.
pub fn split_uri(uri: &str) -> Option<(&str, &str, &str)> {
    let mut parts = uri.strip_prefix("at://")?.splitn(3, '/');
    let (did, collection, rkey) = (parts.next()?, parts.next()?, parts.next()?);
    (!did.is_empty() && !collection.is_empty() && !rkey.is_empty())
        .then_some((did, collection, rkey))
}

fn bad_uri(field: &str, uri: &str) -> Bad {
    (
        SkipKind::BadId,
        format!("Bluesky field `{field}` `{uri}` is not an at://did/collection/rkey URI"),
    )
}

/// What a record of `collection` makes; `None` for collections clout does not read.
fn make(
    did: &str,
    collection: &str,
    rkey: &str,
    time: i64,
    r: Record,
    at: &str,
) -> Result<Option<Made>, Bad> {
    let act = |target: &str, kind, post_id: Option<&str>| Act {
        actor: did.to_string(),
        target: target.to_string(),
        kind,
        time,
        post_id: post_id.map(str::to_string),
        network: NETWORK,
    };
    let mut made = Made::default();
    match collection {
        POST => post(did, rkey, time, r, at, &mut made, act)?,
        LIKE | REPOST => {
            let uri = match r.subject {
                Some(Subject::Ref(s)) => s.uri,
                _ => return Err(missing(&format!("{at}.subject.uri"))),
            };
            let (author, ..) =
                split_uri(&uri).ok_or_else(|| bad_uri(&format!("{at}.subject.uri"), &uri))?;
            let kind = if collection == LIKE {
                Kind::Like
            } else {
                Kind::Share
            };
            made.acts.push(act(author, kind, Some(&uri)));
        }
        FOLLOW => match r.subject {
            Some(Subject::Did(d)) if d.starts_with("did:") => {
                made.follows.push((did.to_string(), d.into_owned()))
            }
            _ => {
                return Err((
                    SkipKind::BadId,
                    format!("Bluesky field `{at}.subject` is not a DID"),
                ))
            }
        },
        _ => return Ok(None),
    }
    Ok(Some(made))
}

fn post(
    did: &str,
    rkey: &str,
    time: i64,
    r: Record,
    at: &str,
    made: &mut Made,
    act: impl Fn(&str, Kind, Option<&str>) -> Act,
) -> Result<(), Bad> {
    let mut text = r
        .text
        .ok_or_else(|| missing(&format!("{at}.text")))?
        .into_owned();
    for tag in &r.tags {
        if !text.contains(&format!("#{tag}")) {
            text.push_str(&format!(" #{tag}"));
        }
    }
    if let Some(parent) = r.reply.and_then(|r| r.parent) {
        let field = format!("{at}.reply.parent.uri");
        let (author, ..) = split_uri(&parent.uri).ok_or_else(|| bad_uri(&field, &parent.uri))?;
        made.acts.push(act(author, Kind::Reply, Some(&parent.uri)));
    }
    let quoted = r
        .embed
        .and_then(|e| e.record)
        .and_then(|e| e.uri.or(e.record.map(|r| r.uri)));
    if let Some(q) = quoted {
        let field = format!("{at}.embed.record.uri");
        let (author, collection, _) = split_uri(&q).ok_or_else(|| bad_uri(&field, &q))?;
        if collection == POST {
            made.acts.push(act(author, Kind::Share, Some(&q)));
        }
    }
    let mut mentioned: Vec<Cow<str>> = Vec::new();
    for f in r.facets.into_iter().flat_map(|f| f.features) {
        let is_mention = f.kind.as_deref().is_some_and(|k| k.ends_with("#mention"));
        if let (true, Some(d)) = (is_mention, f.did) {
            if !mentioned.contains(&d) {
                made.acts.push(act(&d, Kind::Mention, None));
                mentioned.push(d);
            }
        }
    }
    made.notes.push(Note {
        id: format!("at://{did}/{POST}/{rkey}"),
        author: did.to_string(),
        time,
        text,
        network: NETWORK,
        lang: r.langs.first().map(|l| l.to_string()),
        community: None,
        reported: None,
    });
    Ok(())
}
