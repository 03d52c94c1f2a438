//! Social platforms' own data, read as the platform gives it (detected by content, streamed,
//! plain or compressed) into clout's canonical records and files: one module per platform
//! reads its format, [`canonical`] holds and writes the records. `clout import` writes the
//! files for a user to see; `clout run` goes through the same [`import`] into a scratch
//! directory.

pub mod activitypub;
pub mod array;
pub mod bluesky;
pub mod canonical;
pub mod collection;
pub mod mastodon;
pub mod mastodon_follows;
pub mod reddit;
pub mod twitter;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::edges::chunk_bounds;
use super::skips::{SkipKind, Skips};
use super::source::{split_lines, Flow, Source};
use crate::error::{Error, Result};
use canonical::{Canonical, Event, Written};

/// A platform whose data clout reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Bluesky,
    X,
    Mastodon,
    Reddit,
    ActivityPub,
}

impl Platform {
    /// Every platform, in the order detection tries them.
    pub const ALL: [Platform; 5] = [
        Platform::Bluesky,
        Platform::X,
        Platform::Mastodon,
        Platform::Reddit,
        Platform::ActivityPub,
    ];

    /// What the platform's files hold, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Platform::Bluesky => "Bluesky (Jetstream events or listRecords records)",
            Platform::X => "X/Twitter (API v1.1 tweets or v2 pages, one per line)",
            Platform::Mastodon => {
                "Mastodon (API Status entities or accounts' follower/following lists, one per line or a page per line)"
            }
            Platform::Reddit => "Reddit (Pushshift comment and submission dumps, one per line)",
            Platform::ActivityPub => {
                "ActivityPub (outbox activities, or collections of them, one per line or one over many lines)"
            }
        }
    }

    /// The network its accounts and posts belong to.
    pub fn network(self) -> &'static str {
        match self {
            Platform::Bluesky => bluesky::NETWORK,
            Platform::X => twitter::NETWORK,
            Platform::Mastodon => mastodon::NETWORK,
            Platform::Reddit => reddit::NETWORK,
            Platform::ActivityPub => mastodon::NETWORK,
        }
    }

    fn recognises(self, line: &[u8]) -> bool {
        match self {
            Platform::Bluesky => bluesky::recognises(line),
            Platform::X => twitter::recognises(line),
            Platform::Mastodon => mastodon::recognises(line),
            Platform::Reddit => reddit::recognises(line),
            Platform::ActivityPub => activitypub::recognises(line),
        }
    }
}

/// The JSON value of one line of a `platform` file; `None` for a blank line.
pub(crate) fn json_line(
    line: &[u8],
    platform: &str,
) -> std::result::Result<Option<serde_json::Value>, (SkipKind, String)> {
    let line = line.trim_ascii();
    if line.is_empty() {
        return Ok(None);
    }
    serde_json::from_slice(line)
        .map(Some)
        .map_err(|e| (SkipKind::BadJson, format!("bad {platform} JSON line: {e}")))
}

/// The sources detection tries, for a message about a file that matches none.
pub fn tried() -> String {
    let names: Vec<&str> = Platform::ALL.iter().map(|p| p.describe()).collect();
    names.join(", ")
}

/// How a platform file holds its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// One record (or a page of them) per line.
    Lines,
    /// One JSON array over many lines ([`array`]).
    Array,
    /// One JSON object over many lines with its records in `orderedItems` ([`collection`]).
    Collection,
}

impl Layout {
    /// The layout of a file that begins with `head`.
    fn of(head: &[u8]) -> Layout {
        if array::is_multiline_array(head) {
            Layout::Array
        } else if collection::is_multiline_object(head) {
            Layout::Collection
        } else {
            Layout::Lines
        }
    }
}

/// The platform whose format one of the first five records of `source` is in, if any.
pub fn detect(source: &Source) -> Result<Option<Platform>> {
    let head = source.head(1 << 20)?;
    let first: Vec<Vec<u8>> = match Layout::of(&head) {
        Layout::Array => array::first_elements(&head, 5),
        Layout::Collection => collection::first_items(&head, 5),
        Layout::Lines => split_lines(&head)
            .map(<[u8]>::trim_ascii)
            .filter(|l| !l.is_empty())
            .take(5)
            .map(<[u8]>::to_vec)
            .collect(),
    };
    Ok(Platform::ALL
        .into_iter()
        .find(|p| first.iter().any(|l| p.recognises(l))))
}

/// Reads one `platform` file into `canon`; returns what was skipped. Lines are parsed in
/// parallel chunks of each block and applied in file order (a delete needs what came before).
pub fn read(
    platform: Platform,
    source: &Source,
    canon: &mut Canonical,
    lenient: bool,
) -> Result<Skips> {
    let parse = match platform {
        Platform::Bluesky => bluesky::parse_line,
        Platform::X => twitter::parse_line,
        Platform::Mastodon => mastodon::parse_line,
        Platform::Reddit => reddit::parse_line,
        Platform::ActivityPub => activitypub::parse_line,
    };
    let mut skips = Skips::default();
    let layout = Layout::of(&source.head(1 << 20)?);
    if layout != Layout::Lines {
        read_elements(layout, parse, source, canon, lenient, &mut skips)?;
        return Ok(skips);
    }
    let mut line = 0u64;
    source.blocks(|block| {
        let chunks = chunk_bounds(block, rayon::current_num_threads() * 4);
        let parsed: Vec<Vec<_>> = chunks
            .par_iter()
            .map(|c| split_lines(c).map(parse).collect())
            .collect();
        for event in parsed.into_iter().flatten() {
            line += 1;
            match event {
                Ok(e) => apply(e, canon, &mut skips, line),
                Err((kind, _)) if lenient => skips.add(kind, line),
                Err((_, reason)) => return Err(Error::parse(source.path(), line, reason)),
            }
        }
        Ok(Flow::Continue(()))
    })?;
    Ok(skips)
}

/// A platform's reader of one line (or array element): the event, or the skip kind and reason.
type ParseLine = fn(&[u8]) -> std::result::Result<Event, (SkipKind, String)>;

/// Reads a file that is one JSON array, or one collection object, over many lines, element by
/// element; errors name the element and the line it starts on.
fn read_elements(
    layout: Layout,
    parse: ParseLine,
    source: &Source,
    canon: &mut Canonical,
    lenient: bool,
    skips: &mut Skips,
) -> Result<()> {
    let one = |e: array::Element| {
        match parse(&e.element) {
            Ok(event) => apply(event, canon, skips, e.line),
            Err((kind, _)) if lenient => skips.add(kind, e.line),
            Err((_, reason)) => {
                let what = match layout {
                    Layout::Collection => format!("`{}` element", collection::ITEMS),
                    _ => "array element".to_string(),
                };
                let reason = format!("{what} {}: {reason}", e.index);
                return Err(Error::parse(source.path(), e.line, reason));
            }
        }
        Ok(Flow::Continue(()))
    };
    match layout {
        Layout::Collection => collection::for_each_item(source, one),
        _ => array::for_each_element(source, one),
    }
}

fn apply(e: Event, canon: &mut Canonical, skips: &mut Skips, line: u64) {
    match e {
        Event::Create { key, made } => canon.add(key, made),
        Event::Delete { key } => {
            if !canon.delete(key) {
                skips.add(SkipKind::UnknownDelete, line);
            }
        }
        Event::Handle { did, handle } => canon.set_handle(&did, &handle),
        Event::Unknown => skips.add(SkipKind::UnknownRecord, line),
        Event::Nothing => {}
        Event::Batch(events) => events
            .into_iter()
            .for_each(|e| apply(e, canon, skips, line)),
    }
}

/// What [`import`] read and wrote.
#[derive(Debug)]
pub struct Imported {
    pub written: Written,
    /// Every file read, with its platform and what was skipped in it.
    pub files: Vec<(PathBuf, Platform, Skips)>,
}

/// Reads `files` (each detected by content; later files may delete what earlier ones made)
/// and writes clout's canonical files into `out`. A file that matches no platform is an error
/// naming the sources tried. Nothing is written into `out` unless the whole import succeeds.
pub fn import(files: &[PathBuf], out: &Path, lenient: bool) -> Result<Imported> {
    let mut canon = Canonical::default();
    let mut read_files = Vec::new();
    for path in files {
        let source = Source::open(path)?;
        let platform = detect(&source)?.ok_or_else(|| Error::Invalid {
            path: path.clone(),
            reason: format!("matches no known source (tried: {})", tried()),
        })?;
        let skips = read(platform, &source, &mut canon, lenient)?;
        read_files.push((path.clone(), platform, skips));
    }
    let staged = canon.stage(out)?;
    if staged.counts.interactions == 0 {
        let path = files.first().cloned().unwrap_or_default();
        return Err(Error::Empty {
            path,
            what: "no interactions found in the platform files (likes, reposts, replies, quotes or mentions)".into(),
        });
    }
    Ok(Imported {
        written: staged.persist()?,
        files: read_files,
    })
}
