//! Interaction records (who acted on whose content, how, when): the generic whitespace format
//! `actor target kind time [post_id] [network]`, SNAP Higgs `activity_time` lines
//! (`A B unix_ts RT|MT|RE`), Klout's when-to-post TSV, JSON lines, and CSV tables with a
//! header ([`table`]). The format is detected from the first record; every later record must
//! follow it. Wherever a field is optional (post id, network), `-` or an empty value means
//! absent.

mod table;

use std::path::Path;

use rayon::prelude::*;
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
        const NAMES: [(&str, Kind); 14] = [
            ("share", Kind::Share),
            ("retweet", Kind::Share),
            ("rt", Kind::Share),
            ("repost", Kind::Share),
            ("mention", Kind::Mention),
            ("mt", Kind::Mention),
            ("reply", Kind::Reply),
            ("re", Kind::Reply),
            ("comment", Kind::Comment),
            ("like", Kind::Like),
            ("favorite", Kind::Like),
            ("fav", Kind::Like),
            ("list", Kind::List),
            ("reaction", Kind::Reaction),
        ];
        NAMES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(s))
            .map(|&(_, k)| k)
    }
}

/// The input layouts understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InteractionFormat {
    Generic,
    Higgs,
    KloutTsv,
    JsonLines,
    /// A CSV table with a header naming its columns.
    Csv,
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

/// Parses interactions from an opened source (streamed block by block when compressed).
pub fn parse_interactions(source: &Source, lenient: bool) -> Result<Interactions> {
    parse_source(source, lenient, rayon::current_num_threads())
}

/// Parses each block of `source` in about `parts` chunks of lines, in parallel, merging the
/// chunks in file order as they come.
fn parse_source(source: &Source, lenient: bool, parts: usize) -> Result<Interactions> {
    let path = source.path();
    let head = source.head(1 << 20)?;
    let format = detect(&String::from_utf8_lossy(&head)).ok_or_else(|| Error::Empty {
        path: path.to_path_buf(),
        what: "no interactions found".into(),
    })?;
    let mut merge = Merge::new(path, format);
    if format == InteractionFormat::Csv {
        merge.add(table::parse_table(source, lenient)?)?;
        return finish(path, merge);
    }
    source.blocks(|block| {
        let text = utf8(path, block, merge.before)?;
        let chunks = super::edges::chunk_bounds(block, parts);
        // A chunk ends just after a newline, a character boundary: slice the text, no re-check.
        let base = text.as_ptr() as usize;
        let parsed: Vec<Part> = chunks
            .par_iter()
            .map(|c| {
                let start = c.as_ptr() as usize - base;
                parse_part(&text[start..start + c.len()], format, lenient)
            })
            .collect();
        parsed.into_iter().try_for_each(|p| merge.add(p))?;
        Ok(std::ops::ControlFlow::Continue(()))
    })?;
    finish(path, merge)
}

/// The interactions merged; an error when there are none.
fn finish(path: &Path, merge: Merge) -> Result<Interactions> {
    let inter = merge.finish();
    if inter.records.is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
            what: format!("no interactions found{}", inter.skips.summary_suffix()),
        });
    }
    Ok(inter)
}

/// `block` as text; else an error at the line (after `before` lines) that is not UTF-8.
pub(crate) fn utf8<'a>(path: &Path, block: &'a [u8], before: u64) -> Result<&'a str> {
    std::str::from_utf8(block).map_err(|e| {
        let line = memchr::memchr_iter(b'\n', &block[..e.valid_up_to()]).count() as u64;
        Error::parse(path, before + line + 1, "not valid UTF-8")
    })
}

/// One chunk of lines parsed with its own interners (ids numbered within the chunk).
struct Part {
    b: Builder,
    lines: u64,
    /// The first bad line (chunk line number, reason), outside `--lenient`.
    error: Option<(u64, String)>,
}

fn parse_part(text: &str, format: InteractionFormat, lenient: bool) -> Part {
    let mut b = Builder::default();
    let mut lines = 0;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        lines = line_no;
        let line = raw.trim_end_matches('\r').trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('%') {
            continue;
        }
        let parsed = match format {
            InteractionFormat::Generic => b.generic(line),
            InteractionFormat::Higgs => b.higgs(line),
            InteractionFormat::KloutTsv => b.klout(line),
            InteractionFormat::JsonLines => b.json(line),
            InteractionFormat::Csv => Err((SkipKind::BadCsv, "a CSV table is read whole".into())),
        };
        match parsed {
            Ok(()) => {}
            Err((kind, _)) if lenient => b.skips.add(kind, line_no),
            Err((_, reason)) => {
                let error = Some((line_no, reason));
                return Part { b, lines, error };
            }
        }
    }
    Part {
        b,
        lines,
        error: None,
    }
}

/// Joins the chunks in file order: each chunk's ids are interned globally in the order the
/// chunk first saw them, which is the file's order of first appearance, so the numbering does
/// not depend on how the file was cut.
struct Merge<'p> {
    path: &'p Path,
    format: InteractionFormat,
    accounts: TextInterner,
    posts: TextInterner,
    networks: Vec<String>,
    skips: Skips,
    records: Vec<Interaction>,
    /// Lines merged so far.
    before: u64,
}

impl<'p> Merge<'p> {
    fn new(path: &'p Path, format: InteractionFormat) -> Merge<'p> {
        Merge {
            path,
            format,
            accounts: TextInterner::default(),
            posts: TextInterner::default(),
            networks: Vec::new(),
            skips: Skips::default(),
            records: Vec::new(),
            before: 0,
        }
    }

    fn add(&mut self, p: Part) -> Result<()> {
        let path = self.path;
        if let Some((line, reason)) = p.error {
            return Err(Error::parse(path, self.before + line, reason));
        }
        self.skips.merge_offset(&p.b.skips, self.before);
        self.before += p.lines;
        let too_many = || Error::TooLarge {
            path: path.to_path_buf(),
            what: "distinct ids",
            limit: super::ids::MAX_NODES,
        };
        let intern_all = |global: &mut TextInterner, local: &TextInterner| {
            local
                .names()
                .iter()
                .map(|s| global.intern(s))
                .collect::<Option<Vec<Node>>>()
        };
        let acc = intern_all(&mut self.accounts, &p.b.accounts).ok_or_else(too_many)?;
        let pst = intern_all(&mut self.posts, &p.b.posts).ok_or_else(too_many)?;
        let networks = &mut self.networks;
        let net =
            p.b.networks
                .iter()
                .map(|n| network_index(networks, n))
                .collect::<Option<Vec<u16>>>()
                .ok_or_else(|| Error::TooLarge {
                    path: path.to_path_buf(),
                    what: "distinct networks",
                    limit: u16::MAX as u64,
                })?;
        self.records.extend(p.b.records.iter().map(|r| Interaction {
            actor: acc[r.actor as usize],
            target: acc[r.target as usize],
            post: r.post.map(|x| pst[x as usize]),
            network: r.network.map(|x| net[x as usize]),
            ..*r
        }));
        Ok(())
    }

    fn finish(self) -> Interactions {
        Interactions {
            format: self.format,
            accounts: super::edges::renumber_if_numeric(self.accounts.finish()),
            posts: self.posts.finish(),
            networks: self.networks,
            records: self.records,
            skips: self.skips,
        }
    }
}

/// The index of network `name`, added if new; `None` beyond `u16::MAX` names.
fn network_index(networks: &mut Vec<String>, name: &str) -> Option<u16> {
    if let Some(i) = networks.iter().position(|n| n == name) {
        return Some(i as u16);
    }
    if networks.len() >= u16::MAX as usize {
        return None;
    }
    networks.push(name.to_string());
    Some(networks.len() as u16 - 1)
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
    if table::recognises(text) {
        return Some(InteractionFormat::Csv);
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
    /// The last target and post interned: exports list a post's reactions together, so most
    /// lines repeat them and skip a hash look-up.
    last_target: Recent,
    last_post: Recent,
}

/// The last id interned by one field, and its node.
#[derive(Default)]
struct Recent {
    name: String,
    node: Option<Node>,
}

impl Recent {
    /// The node of `s`: the remembered one, or `intern(s)` (then remembered).
    fn get(&mut self, s: &str, intern: impl FnOnce(&str) -> Option<Node>) -> Option<Node> {
        if let Some(n) = self.node.filter(|_| self.name == s) {
            return Some(n);
        }
        let n = intern(s)?;
        self.name.clear();
        self.name.push_str(s);
        self.node = Some(n);
        Some(n)
    }
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
        let accounts = &mut self.accounts;
        let actor = accounts.intern(actor).ok_or_else(too_many)?;
        let target = self
            .last_target
            .get(target, |t| accounts.intern(t))
            .ok_or_else(too_many)?;
        let posts = &mut self.posts;
        let post = post
            .map(|p| {
                self.last_post
                    .get(p, |p| posts.intern(p))
                    .ok_or_else(too_many)
            })
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
        let mut buf = [""; MAX_FIELDS];
        let f = fields(line, &mut buf);
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
                format!(
                    "expected at most 6 fields, found {}",
                    line.split_whitespace().count()
                ),
            ));
        }
        let kind = parse_kind(f[2])?;
        let time = parse_time(f[3]).ok_or_else(|| bad_time(f[3]))?;
        let optional = |i: usize| f.get(i).copied().filter(|v| !absent(v));
        self.push(f[0], f[1], kind, time, optional(4), optional(5))
    }

    fn higgs(&mut self, line: &str) -> std::result::Result<(), Bad> {
        let mut buf = [""; MAX_FIELDS];
        let f = fields(line, &mut buf);
        if f.len() != 4 {
            let kind = if f.len() < 4 {
                SkipKind::TooFewFields
            } else {
                SkipKind::TooManyFields
            };
            return Err((
                kind,
                format!(
                    "expected `A B unix_ts RT|MT|RE`, found {} fields",
                    line.split_whitespace().count()
                ),
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
            .filter(|p| !p.as_str().is_some_and(absent))
            .map(|p| json_id(p, "post_id"))
            .transpose()?;
        let network = r.network.as_deref().filter(|n| !absent(n));
        self.push(&actor, &target, kind, time, post.as_deref(), network)
    }
}

/// Whether an optional field's value means "absent": `-` or empty.
fn absent(v: &str) -> bool {
    v.is_empty() || v == "-"
}

/// Fields kept per line: one more than the widest layout, so that "too many" shows.
const MAX_FIELDS: usize = 7;

/// The whitespace-separated fields of `line` (at most [`MAX_FIELDS`]) in `buf`, without
/// allocating; the same fields as `str::split_whitespace`, with a byte loop for ASCII lines.
fn fields<'a, 'b>(line: &'a str, buf: &'b mut [&'a str; MAX_FIELDS]) -> &'b [&'a str] {
    let mut n = 0;
    if line.is_ascii() {
        // Unicode White_Space within ASCII: tab, LF, VT, FF, CR and space.
        let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() && n < MAX_FIELDS {
            while i < bytes.len() && space(bytes[i]) {
                i += 1;
            }
            let start = i;
            while i < bytes.len() && !space(bytes[i]) {
                i += 1;
            }
            if i > start {
                buf[n] = &line[start..i];
                n += 1;
            }
        }
    } else {
        for (slot, f) in buf.iter_mut().zip(line.split_whitespace()) {
            *slot = f;
            n += 1;
        }
    }
    &buf[..n]
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

    /// `-` (or an empty JSON string) is an absent post id or network, not an id named `-`.
    #[test]
    fn a_dash_is_an_absent_optional_field() {
        let i = parse("a b like 100 - -\nc b like 200 - twitter\n", false).unwrap();
        assert!(i.records.iter().all(|r| r.post.is_none()));
        assert_eq!(i.records[0].network, None);
        assert_eq!(i.networks, ["twitter"]);
        let j = "{\"actor\":\"a\",\"target\":\"b\",\"kind\":\"like\",\"time\":1,\"post_id\":\"-\",\"network\":\"\"}\n";
        let i = parse(j, false).unwrap();
        assert_eq!((i.records[0].post, i.records[0].network), (None, None));
    }

    /// A CSV table: columns by name in any order and case, a count standing for that many
    /// interactions, `-` and empty cells absent, a missing kind an unspecified reaction.
    #[test]
    fn csv_tables_with_a_header() {
        let text = "Timestamp,Source,Target,Type,Post_ID,Count\n\
            2024-01-01T10:00:00Z,alice,bob,like,p1,3\n\
            2024-01-01T11:00:00Z,carol,bob,retweet,-,\n\
            \"2024-01-02T11:00:00Z\",dave,\"alice\",reply,,1\n";
        let i = parse(text, false).unwrap();
        assert_eq!(i.format, InteractionFormat::Csv);
        let got: Vec<(String, String, Kind, i64, bool)> = i
            .records
            .iter()
            .map(|r| {
                let name = |n| i.accounts.name(n).to_string();
                (
                    name(r.actor),
                    name(r.target),
                    r.kind,
                    r.time,
                    r.post.is_some(),
                )
            })
            .collect();
        let t = 1_704_103_200;
        let row = |a: &str, b: &str, k, t, p| (a.to_string(), b.to_string(), k, t, p);
        assert_eq!(
            got,
            [
                row("alice", "bob", Kind::Like, t, true),
                row("alice", "bob", Kind::Like, t, true),
                row("alice", "bob", Kind::Like, t, true),
                row("carol", "bob", Kind::Share, t + 3600, false),
                row("dave", "alice", Kind::Reply, t + 90_000, false),
            ]
        );
        let i = parse("from,to,time\na,b,5\n", false).unwrap();
        assert_eq!(i.records[0].kind, Kind::Reaction);
    }

    /// CSV errors name the line: a bad count, a missing column, a repeated header.
    #[test]
    fn csv_table_errors_name_the_line() {
        let err = |text: &str| parse(text, false).unwrap_err().to_string();
        let e = err("actor,target,time,count\na,b,5,1\na,b,6,999999999\n");
        assert!(
            e.contains("i.txt:3") && e.contains("count `999999999`"),
            "{e}"
        );
        let e = err("actor,target,kind\na,b,like\n");
        assert!(e.contains("i.txt:1") && e.contains("no time column"), "{e}");
        let e = err("actor,target,time\na,b,5\nactor,target,time\nc,d,6\n");
        assert!(e.contains("i.txt:3") && e.contains("appears again"), "{e}");
        let i = parse("actor,target,time\na,b,5\n,b,6\nc,d,x\n", true).unwrap();
        assert_eq!(i.records.len(), 1);
        assert_eq!(
            (
                i.skips.count(SkipKind::BadId),
                i.skips.count(SkipKind::BadTime)
            ),
            (1, 1)
        );
    }
}

#[cfg(test)]
mod chunk_tests {
    use super::*;

    /// About 1 MB of generic lines over a few hundred accounts, networks and posts, with bad
    /// lines at `bad` (0-based line indexes).
    fn text(bad: &[usize]) -> String {
        let mut out = String::new();
        let mut state = 3u64;
        for i in 0..30_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let r = (state >> 33) as usize;
            if bad.contains(&i) {
                out.push_str("a1 a2 poke 100\n");
                continue;
            }
            let net = ["twitter", "mastodon", "bsky"][r % 3];
            out.push_str(&format!(
                "@u{}\t@u{}  like {} p{} {net}\n",
                r % 700,
                (r >> 10) % 700,
                1_000 + i,
                (r >> 20) % 900
            ));
        }
        out
    }

    /// Parses `text` in `parts` chunks per block; above one part, also gzipped and read in
    /// blocks of about 100 kB.
    fn parse_in(text: &str, lenient: bool, parts: usize) -> Result<Interactions> {
        let plain = Source::from_bytes("i.txt", text.as_bytes().to_vec());
        if parts == 1 {
            return parse_source(&plain, lenient, parts);
        }
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut enc, text.as_bytes()).unwrap();
        let gz = Source::from_bytes("i.txt", enc.finish().unwrap()).with_block_size(100_000);
        let streamed = parse_source(&gz, lenient, parts);
        let whole = parse_source(&plain, lenient, parts);
        match (&streamed, &whole) {
            (Ok(a), Ok(b)) => assert_eq!((&a.records, &a.skips), (&b.records, &b.skips)),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            _ => panic!("streamed and whole parses disagree"),
        }
        streamed
    }

    /// Cutting the file into chunks changes nothing: ids, records, networks, skips and the
    /// line of the first error are those of a single sequential pass.
    #[test]
    fn chunked_parse_equals_one_pass() {
        let t = text(&[]);
        let one = parse_in(&t, false, 1).unwrap();
        let many = parse_in(&t, false, 9).unwrap();
        assert!(super::super::edges::chunk_bounds(t.as_bytes(), 9).len() > 4);
        assert_eq!(one.accounts, many.accounts);
        assert_eq!(one.posts, many.posts);
        assert_eq!(one.networks, many.networks);
        assert_eq!(one.records, many.records);
        assert_eq!(
            one.accounts.name(0).to_string(),
            t.split('\t').next().unwrap()
        );

        let t = text(&[5, 20_000, 29_999]);
        let err = parse_in(&t, false, 9).unwrap_err().to_string();
        assert!(err.contains("i.txt:6:"), "{err}");
        let (one, many) = (
            parse_in(&t, true, 1).unwrap(),
            parse_in(&t, true, 9).unwrap(),
        );
        assert_eq!(one.records, many.records);
        assert_eq!(
            many.skips.iter().collect::<Vec<_>>(),
            one.skips.iter().collect::<Vec<_>>()
        );
        assert_eq!(many.skips.count(SkipKind::BadKind), 3);
        let first_bad_late = text(&[20_000]);
        let err = parse_in(&first_bad_late, false, 9).unwrap_err().to_string();
        assert!(err.contains("i.txt:20001:"), "{err}");
    }

    #[test]
    fn fields_match_split_whitespace() {
        for line in [
            "a b  c\td",
            " a\x0Bb\x0Cc\r",
            "a b c d e f g h i",
            "",
            "\u{a0}é\u{2003}b c",
            "x\u{85}y z",
        ] {
            let mut buf = [""; MAX_FIELDS];
            let want: Vec<&str> = line.split_whitespace().take(MAX_FIELDS).collect();
            assert_eq!(fields(line, &mut buf), &want[..], "{line:?}");
        }
    }

    #[test]
    fn kinds_parse_case_insensitively() {
        assert_eq!(Kind::parse("RT"), Some(Kind::Share));
        assert_eq!(Kind::parse("Favorite"), Some(Kind::Like));
        assert_eq!(Kind::parse("REACTION"), Some(Kind::Reaction));
        assert_eq!(Kind::parse("poke"), None);
    }
}
