//! Interaction records (who acted on whose content, how, when): the generic whitespace format
//! `actor target kind time [post_id] [network]`, SNAP Higgs `activity_time` lines
//! (`A B unix_ts RT|MT|RE`), Klout's when-to-post TSV, and JSON lines. The format is detected
//! from the first record; every later record must follow it.

use std::path::Path;

use serde::Deserialize;

use super::ids::{IdMap, Node, TextInterner};
use super::skips::{SkipKind, Skips};
use super::source::Source;
use super::time::{parse_millis, parse_time};
use crate::error::{Error, Result};

/// What an actor did to a target's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Share / retweet.
    Share,
    Mention,
    Reply,
    Comment,
    Like,
    /// Added to a list.
    List,
    /// An engagement of unspecified kind (Klout's reaction sample).
    Reaction,
}

impl Kind {
    /// Parses a kind name or its Twitter abbreviation, case-insensitively.
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s.to_ascii_lowercase().as_str() {
            "share" | "retweet" | "rt" | "repost" => Kind::Share,
            "mention" | "mt" => Kind::Mention,
            "reply" | "re" => Kind::Reply,
            "comment" => Kind::Comment,
            "like" | "favorite" | "fav" => Kind::Like,
            "list" => Kind::List,
            "reaction" => Kind::Reaction,
            _ => return None,
        })
    }
}

/// The input layouts understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InteractionFormat {
    Generic,
    Higgs,
    KloutTsv,
    JsonLines,
}

/// One interaction. Times are Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interaction {
    pub actor: Node,
    pub target: Node,
    pub kind: Kind,
    pub time: i64,
    /// Index into [`Interactions::posts`].
    pub post: Option<u32>,
    /// Index into [`Interactions::networks`].
    pub network: Option<u16>,
}

/// Interactions as read.
#[derive(Debug, Clone)]
pub struct Interactions {
    pub format: InteractionFormat,
    /// Accounts (actors and targets), numbered in order of first appearance.
    pub accounts: IdMap,
    pub posts: IdMap,
    pub networks: Vec<String>,
    pub records: Vec<Interaction>,
    pub skips: Skips,
}

/// Reads interactions from `path` (plain, gzip or zstd).
pub fn read_interactions(path: &Path, lenient: bool) -> Result<Interactions> {
    parse_interactions(&Source::open(path)?, lenient)
}

type Bad = (SkipKind, String);

/// Parses interactions already in memory.
pub fn parse_interactions(source: &Source, lenient: bool) -> Result<Interactions> {
    let path = source.path();
    let text = std::str::from_utf8(source.bytes()).map_err(|e| {
        let line = source.bytes()[..e.valid_up_to()]
            .iter()
            .filter(|&&c| c == b'\n')
            .count() as u64
            + 1;
        Error::parse(path, line, "not valid UTF-8")
    })?;
    let format = detect(text).ok_or_else(|| Error::Empty {
        path: path.to_path_buf(),
        what: "no interactions found".into(),
    })?;
    let mut b = Builder::default();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        let line = raw.trim_end_matches('\r').trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('%') {
            continue;
        }
        let parsed = match format {
            InteractionFormat::Generic => b.generic(line),
            InteractionFormat::Higgs => b.higgs(line),
            InteractionFormat::KloutTsv => b.klout(line),
            InteractionFormat::JsonLines => b.json(line),
        };
        match parsed {
            Ok(()) => {}
            Err((kind, _)) if lenient => b.skips.add(kind, line_no),
            Err((_, reason)) => return Err(Error::parse(path, line_no, reason)),
        }
    }
    if b.records.is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
            what: format!("no interactions found{}", b.skips.summary_suffix()),
        });
    }
    Ok(Interactions {
        format,
        accounts: super::edges::renumber_if_numeric(b.accounts.finish()),
        posts: b.posts.finish(),
        networks: b.networks,
        records: b.records,
        skips: b.skips,
    })
}

/// The layout of the first record (Klout's TSV by its header).
fn detect(text: &str) -> Option<InteractionFormat> {
    if text.starts_with("#user_id_fingerprint") {
        return Some(InteractionFormat::KloutTsv);
    }
    let first = text
        .lines()
        .map(|l| l.trim_end_matches('\r').trim())
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('%'))?;
    if first.starts_with('{') {
        return Some(InteractionFormat::JsonLines);
    }
    let f: Vec<&str> = first.split_whitespace().collect();
    let higgs = f.len() == 4 && f[2].parse::<i64>().is_ok() && matches!(f[3], "RT" | "MT" | "RE");
    Some(if higgs {
        InteractionFormat::Higgs
    } else {
        InteractionFormat::Generic
    })
}

#[derive(Default)]
struct Builder {
    accounts: TextInterner,
    posts: TextInterner,
    networks: Vec<String>,
    records: Vec<Interaction>,
    skips: Skips,
}

#[derive(Deserialize)]
struct JsonInteraction {
    actor: serde_json::Value,
    target: serde_json::Value,
    kind: String,
    time: serde_json::Value,
    #[serde(default)]
    post_id: Option<serde_json::Value>,
    #[serde(default)]
    network: Option<String>,
}

/// A JSON id: a string, or an integer written as a number.
pub(crate) fn json_id(v: &serde_json::Value, what: &str) -> std::result::Result<String, Bad> {
    match v {
        serde_json::Value::String(s) if !s.is_empty() => Ok(s.clone()),
        serde_json::Value::Number(n) if n.is_u64() || n.is_i64() => Ok(n.to_string()),
        _ => Err((
            SkipKind::BadId,
            format!("{what} must be a non-empty string or an integer, found {v}"),
        )),
    }
}

/// A JSON time: Unix seconds as a number, or a string `parse_time` accepts.
pub(crate) fn json_time(v: &serde_json::Value) -> std::result::Result<i64, Bad> {
    let t = match v {
        serde_json::Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|x| x.abs() < 1e15)
                .map(|x| x.floor() as i64)
        }),
        serde_json::Value::String(s) => parse_time(s),
        _ => None,
    };
    t.ok_or_else(|| {
        (
            SkipKind::BadTime,
            format!("time {v} is not Unix seconds or an ISO 8601 date"),
        )
    })
}

impl Builder {
    fn push(
        &mut self,
        actor: &str,
        target: &str,
        kind: Kind,
        time: i64,
        post: Option<&str>,
        network: Option<&str>,
    ) -> std::result::Result<(), Bad> {
        let too_many = || (SkipKind::BadId, "too many distinct ids".to_string());
        let actor = self.accounts.intern(actor).ok_or_else(too_many)?;
        let target = self.accounts.intern(target).ok_or_else(too_many)?;
        let post = post
            .map(|p| self.posts.intern(p).ok_or_else(too_many))
            .transpose()?;
        let network = network.map(|n| self.network(n)).transpose()?;
        self.records.push(Interaction {
            actor,
            target,
            kind,
            time,
            post,
            network,
        });
        Ok(())
    }

    fn network(&mut self, name: &str) -> std::result::Result<u16, Bad> {
        if let Some(i) = self.networks.iter().position(|n| n == name) {
            return Ok(i as u16);
        }
        if self.networks.len() >= u16::MAX as usize {
            return Err((SkipKind::BadId, "too many distinct networks".into()));
        }
        self.networks.push(name.to_string());
        Ok(self.networks.len() as u16 - 1)
    }

    fn generic(&mut self, line: &str) -> std::result::Result<(), Bad> {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 4 {
            return Err((
                SkipKind::TooFewFields,
                format!(
                    "expected `actor target kind time [post_id] [network]`, found {} fields",
                    f.len()
                ),
            ));
        }
        if f.len() > 6 {
            return Err((
                SkipKind::TooManyFields,
                format!("expected at most 6 fields, found {}", f.len()),
            ));
        }
        let kind = parse_kind(f[2])?;
        let time = parse_time(f[3]).ok_or_else(|| bad_time(f[3]))?;
        self.push(f[0], f[1], kind, time, f.get(4).copied(), f.get(5).copied())
    }

    fn higgs(&mut self, line: &str) -> std::result::Result<(), Bad> {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() != 4 {
            let kind = if f.len() < 4 {
                SkipKind::TooFewFields
            } else {
                SkipKind::TooManyFields
            };
            return Err((
                kind,
                format!("expected `A B unix_ts RT|MT|RE`, found {} fields", f.len()),
            ));
        }
        let time = f[2].parse::<i64>().map_err(|_| bad_time(f[2]))?;
        let kind = match f[3] {
            "RT" => Kind::Share,
            "MT" => Kind::Mention,
            "RE" => Kind::Reply,
            other => {
                return Err((
                    SkipKind::BadKind,
                    format!("interaction `{other}` is not RT, MT or RE"),
                ))
            }
        };
        self.push(f[0], f[1], kind, time, None, Some("twitter"))
    }

    /// `poster actor post post_time action_time timezone`: the actor reacted to the poster's post.
    fn klout(&mut self, line: &str) -> std::result::Result<(), Bad> {
        let f: Vec<&str> = line.split('\t').map(str::trim).collect();
        if f.len() < 5 {
            return Err((
                SkipKind::TooFewFields,
                format!("expected 6 tab-separated Klout fields, found {}", f.len()),
            ));
        }
        let time = parse_millis(f[4]).ok_or_else(|| bad_time(f[4]))?;
        if f[0].is_empty() || f[1].is_empty() {
            return Err((SkipKind::BadId, "empty user or actor id".into()));
        }
        self.push(
            f[1],
            f[0],
            Kind::Reaction,
            time,
            Some(f[2]).filter(|p| !p.is_empty()),
            Some("twitter"),
        )
    }

    fn json(&mut self, line: &str) -> std::result::Result<(), Bad> {
        let r: JsonInteraction = serde_json::from_str(line)
            .map_err(|e| (SkipKind::BadJson, format!("bad JSON interaction: {e}")))?;
        let (actor, target) = (json_id(&r.actor, "actor")?, json_id(&r.target, "target")?);
        let kind = parse_kind(&r.kind)?;
        let time = json_time(&r.time)?;
        let post = r
            .post_id
            .as_ref()
            .map(|p| json_id(p, "post_id"))
            .transpose()?;
        self.push(
            &actor,
            &target,
            kind,
            time,
            post.as_deref(),
            r.network.as_deref(),
        )
    }
}

fn parse_kind(s: &str) -> std::result::Result<Kind, Bad> {
    Kind::parse(s).ok_or_else(|| {
        (
            SkipKind::BadKind,
            format!("unknown interaction kind `{s}` (share, mention, reply, comment, like, list)"),
        )
    })
}

fn bad_time(s: &str) -> Bad {
    (
        SkipKind::BadTime,
        format!("time `{s}` is not Unix seconds or an ISO 8601 date"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, lenient: bool) -> Result<Interactions> {
        parse_interactions(
            &Source::from_bytes("i.txt", text.as_bytes().to_vec()),
            lenient,
        )
    }

    #[test]
    fn generic_with_optional_post_and_network() {
        let i = parse("# actor target kind time\n@a @b retweet 2012-07-01T00:02:52Z p1 twitter\n@b @a like 1341100972\r\n", false).unwrap();
        assert_eq!(i.format, InteractionFormat::Generic);
        assert_eq!(i.records.len(), 2);
        assert_eq!(i.records[0].kind, Kind::Share);
        assert_eq!(i.records[0].time, 1_341_100_972);
        assert_eq!(i.records[0].post, Some(0));
        assert_eq!(i.networks, vec!["twitter".to_string()]);
        assert_eq!(i.records[1].network, None);
        assert_eq!(i.accounts.name(i.records[1].actor).to_string(), "@b");
    }

    #[test]
    fn higgs_and_klout_layouts() {
        let h = parse(
            "223789 213163 1341100972 MT\n376989 50329 1341101181 RT\n",
            false,
        )
        .unwrap();
        assert_eq!(h.format, InteractionFormat::Higgs);
        assert_eq!(
            (h.records[0].kind, h.records[1].kind),
            (Kind::Mention, Kind::Share)
        );
        assert!(matches!(h.accounts, IdMap::Numeric(_)));
        let k = parse(
            "#user_id_fingerprint\t#actor_id_fingerprint\t#post_id_fingerprint\t#post_timestamp\t#action_timestamp\t#user_timezone\n-3484984757207668258\t1075967004643675493\t-4552912208051205608\t1413331199002\t1413331280999\tVenezuela Time\n",
            false,
        )
        .unwrap();
        assert_eq!(k.format, InteractionFormat::KloutTsv);
        let r = k.records[0];
        assert_eq!(
            k.accounts.name(r.target).to_string(),
            "-3484984757207668258"
        );
        assert_eq!(k.accounts.name(r.actor).to_string(), "1075967004643675493");
        assert_eq!((r.kind, r.time), (Kind::Reaction, 1_413_331_280));
    }

    #[test]
    fn json_lines_and_errors() {
        let i = parse("{\"actor\":18446744073709551615,\"target\":\"b\",\"kind\":\"reply\",\"time\":5,\"post_id\":7}\n", false).unwrap();
        assert_eq!(i.accounts.name(0).to_string(), "18446744073709551615");
        assert_eq!(i.posts.name(0).to_string(), "7");
        let err = parse("a b like 1\na b poke 2\n", false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("i.txt:2") && err.contains("poke"), "{err}");
        let err = parse(
            "{\"actor\":\"a\",\"target\":\"b\",\"kind\":\"like\",\"time\":\"soon\"}\n",
            false,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("i.txt:1") && err.contains("time"), "{err}");
        let l = parse("a b like 1\na b poke 2\na b like\n{oops\n", true).unwrap();
        assert_eq!(l.records.len(), 1);
        assert_eq!(
            (
                l.skips.count(SkipKind::BadKind),
                l.skips.count(SkipKind::TooFewFields),
                l.skips.count(SkipKind::BadTime)
            ),
            (1, 2, 0)
        );
    }
}
