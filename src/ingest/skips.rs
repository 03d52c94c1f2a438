//! What `--lenient` skipped: counts of malformed records by kind, with the first line of each.

use std::collections::BTreeMap;
use std::fmt;

/// Why a record was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipKind {
    TooFewFields,
    TooManyFields,
    BadWeight,
    BadId,
    BadTime,
    BadKind,
    BadCsv,
    BadJson,
    /// A post id given again (same author): merged into the first, always reported.
    DuplicatePost,
    /// A platform record of a kind clout does not read (a profile, a block): always skipped
    /// and reported, never an error.
    UnknownRecord,
    /// A platform delete of a record not read (made before the data begins): always skipped.
    UnknownDelete,
    /// A header line without `#` (`source target` over numeric ids): always skipped and said.
    Header,
    /// Edge data that is not a Python dict (networkx edge lists: `1 2 {'weight': 3}`).
    BadAttributes,
    /// A GraphML, GML or Pajek node or edge that lacks what it needs or holds what it must not.
    BadElement,
}

impl SkipKind {
    /// A short, stable name for reports.
    pub fn name(self) -> &'static str {
        match self {
            SkipKind::TooFewFields => "too few fields",
            SkipKind::TooManyFields => "too many fields",
            SkipKind::BadWeight => "bad weight",
            SkipKind::BadId => "bad id",
            SkipKind::BadTime => "bad time",
            SkipKind::BadKind => "unknown interaction kind",
            SkipKind::BadCsv => "bad CSV record",
            SkipKind::BadJson => "bad JSON record",
            SkipKind::DuplicatePost => "duplicate post id (merged into the first)",
            SkipKind::UnknownRecord => "record of a kind not read",
            SkipKind::UnknownDelete => "delete of a record not read",
            SkipKind::Header => "header line (not an edge)",
            SkipKind::BadAttributes => "bad edge data dict",
            SkipKind::BadElement => "bad node or edge element",
        }
    }
}

/// Skipped records by kind: `(count, first line)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Skips {
    by_kind: BTreeMap<SkipKind, (u64, u64)>,
}

impl Skips {
    /// Records one skipped record at `line`.
    pub fn add(&mut self, kind: SkipKind, line: u64) {
        let e = self.by_kind.entry(kind).or_insert((0, line));
        e.0 += 1;
        e.1 = e.1.min(line);
    }

    /// Adds another report whose line numbers start after `offset` lines.
    pub fn merge_offset(&mut self, other: &Skips, offset: u64) {
        for (&kind, &(count, first)) in &other.by_kind {
            let e = self.by_kind.entry(kind).or_insert((0, first + offset));
            e.0 += count;
            e.1 = e.1.min(first + offset);
        }
    }

    /// How many records of `kind` were skipped.
    pub fn count(&self, kind: SkipKind) -> u64 {
        self.by_kind.get(&kind).map_or(0, |e| e.0)
    }

    /// How many records were skipped in all.
    pub fn total(&self) -> u64 {
        self.by_kind.values().map(|e| e.0).sum()
    }

    /// `(kind, count, first line)` for every kind skipped.
    pub fn iter(&self) -> impl Iterator<Item = (SkipKind, u64, u64)> + '_ {
        self.by_kind.iter().map(|(&k, &(c, l))| (k, c, l))
    }

    /// `" (N records skipped: …)"`, or nothing when none were.
    pub fn summary_suffix(&self) -> String {
        if self.total() == 0 {
            String::new()
        } else {
            format!(" ({self})")
        }
    }
}

impl fmt::Display for Skips {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} records skipped", self.total())?;
        for (i, (kind, count, line)) in self.iter().enumerate() {
            let sep = if i == 0 { ": " } else { ", " };
            write!(f, "{sep}{count} {} (first at line {line})", kind.name())?;
        }
        Ok(())
    }
}
