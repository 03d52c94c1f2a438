//! A header line in a whitespace edge list that does not start with `#` (`source target`
//! over numeric ids): recognised, so that it is left out and said instead of read as an edge
//! between two nodes named after the columns; and the same line again further down (two files
//! concatenated) refused, naming its line.

use std::path::Path;

use super::{is_skippable, lines, trim, DST_NAMES, SRC_NAMES};
use crate::error::{Error, Result};
use crate::ingest::ids::{parse_canonical_u64, IdMap};
use crate::ingest::source::{Flow, Source};

/// Column names seen in headers besides those of CSV headers.
const MORE_NAMES: &[&str] = &[
    "node1",
    "node2",
    "id1",
    "id2",
    "source_id",
    "target_id",
    "weight",
];

/// The header line found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Its 1-based line number.
    pub line: u64,
    /// The byte just past its line end: where the edges start.
    pub end: usize,
    /// The line, trimmed.
    pub text: String,
}

/// A header at the first data line of `head` (the start of a file): two or three distinct
/// fields that look like column names (a letter, then letters, digits, `_`, `-` or `.`), and
/// either the next data line's ids are numbers or the first two fields name columns
/// (`source target`, `from to`, …). A line such as `@ana @bob` or `ana ana` is an edge.
pub fn detect(head: &[u8]) -> Option<Header> {
    let mut offset = 0usize;
    let mut data = lines(head).enumerate().filter_map(|(i, raw)| {
        let start = offset;
        offset += raw.len() + 1;
        let line = trim(raw);
        (!is_skippable(line)).then_some((i, start + raw.len() + 1, line))
    });
    let (i, end, first) = data.next()?;
    let text = std::str::from_utf8(first).ok()?;
    let fields: Vec<&str> = text.split_whitespace().collect();
    let name = |f: &&str| {
        f.starts_with(|c: char| c.is_ascii_alphabetic())
            && f.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
    };
    let distinct = fields
        .iter()
        .enumerate()
        .all(|(i, f)| !fields[..i].contains(f));
    if !(2..=3).contains(&fields.len()) || !fields.iter().all(name) || !distinct {
        return None;
    }
    let named = |f: &str, names: &[&str]| {
        names
            .iter()
            .chain(MORE_NAMES)
            .any(|n| n.eq_ignore_ascii_case(f))
    };
    let numeric_next = data.next().is_some_and(|(_, _, next)| {
        let mut ids = next
            .split(|&c| c == b' ' || c == b'\t')
            .filter(|f| !f.is_empty());
        ids.by_ref()
            .take(2)
            .filter(|id| parse_canonical_u64(id).is_some())
            .count()
            == 2
    });
    let columns = named(fields[0], SRC_NAMES) && named(fields[1], DST_NAMES);
    (numeric_next || columns).then(|| Header {
        line: i as u64 + 1,
        end: end.min(head.len()),
        text: text.to_string(),
    })
}

impl Header {
    /// An error when the header line appears again in `source` (then its fields were read as
    /// node ids, so only textual ids need the look).
    pub fn check_not_repeated(&self, source: &Source, ids: &IdMap) -> Result<()> {
        let IdMap::Text(_) = ids else {
            return Ok(());
        };
        let mut again = None;
        source.lines(|n, raw| {
            if n > self.line && trim(raw) == self.text.as_bytes() {
                again = Some(n);
                return Ok(Flow::Break(()));
            }
            Ok(Flow::Continue(()))
        })?;
        match again {
            Some(n) => Err(repeated(source.path(), n, &self.text, self.line)),
            None => Ok(()),
        }
    }
}

/// The error for a header row met again at `line` (first at `first`).
pub fn repeated(path: &Path, line: u64, text: &str, first: u64) -> Error {
    Error::parse(
        path,
        line,
        format!(
            "the header row `{text}` (line {first}) appears again: two files concatenated? \
             Remove the repeated header"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn header_lines_over_numeric_ids_or_named_columns() {
        let h = detect(b"# a comment\nsource target\n1 2\n").unwrap();
        assert_eq!((h.line, h.end, h.text.as_str()), (2, 26, "source target"));
        assert_eq!(detect(b"FromNodeId\tToNodeId\r\n0 1\r\n").unwrap().end, 21);
        assert!(detect(b"from to\nalice bob\n").is_some());
        assert!(detect(b"alice bob\ncarol dave\n").is_none());
        assert!(detect(b"1 2\n3 4\n").is_none());
        assert!(detect(b"alice 2\n3 4\n").is_none());
        assert!(detect(b"a b c d\n1 2\n").is_none());
        assert!(detect(b"@ana @bob\n1 2\n").is_none());
        assert!(detect(b"ana ana\n1 2\n").is_none());
    }
}
