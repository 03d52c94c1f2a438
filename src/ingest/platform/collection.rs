//! Platform files that are one JSON object spread over many lines whose `orderedItems` member
//! is the array of records: an ActivityStreams `OrderedCollection` pretty-printed, as
//! Mastodon's account export writes `outbox.json`. The items are cut one at a time from the
//! stream (one item in memory, never the file; the object's other members are skipped
//! unread), each with its index and the line it starts on. Cutting the array itself is
//! [`super::array`]'s; reading an item is the platform reader's.

use super::array::{first_cut, stream, Cut, Element, Splitter, State};
use crate::error::Result;
use crate::ingest::source::{Flow, Source};

/// The member whose array holds the records.
pub const ITEMS: &str = "orderedItems";

/// Whether `head` (a file's first bytes) is a JSON object over several lines: it opens with
/// `{`, and its first line ends within `head` and is not a whole JSON value (a one-line
/// collection is read as a line).
pub fn is_multiline_object(head: &[u8]) -> bool {
    let Some(end) = memchr::memchr(b'\n', head) else {
        return false;
    };
    head.trim_ascii_start().starts_with(b"{")
        && serde_json::from_slice::<serde::de::IgnoredAny>(head[..end].trim_ascii()).is_err()
}

/// The complete items at the start of `head` (at most `n`), to recognise the platform.
pub fn first_items(head: &[u8], n: usize) -> Vec<Vec<u8>> {
    first_cut::<Items>(head, n)
}

/// Hands every item of the collection in `source` to `f`, in order; an error naming the line
/// when the file is not one well-formed object with an `orderedItems` array of objects.
pub fn for_each_item(source: &Source, f: impl FnMut(Element) -> Result<Flow>) -> Result<()> {
    stream::<Items>(source, f)
}

/// Where the cut is in the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Place {
    /// Before the opening `{`.
    #[default]
    Start,
    /// Where a member's name (or the closing `}`) comes.
    Name,
    /// Inside a member's name.
    InName,
    /// Before the `:` after a name.
    Colon,
    /// Before a member's value.
    Value,
    /// Inside a value other than the items, skipped.
    Skip,
    /// Inside the items array.
    Items,
    /// After a value, before `,` or `}`.
    After,
    /// After the closing `}`.
    Closed,
}

/// Cuts one JSON object's `orderedItems` array into its items, skipping every other member.
#[derive(Default)]
struct Items {
    place: Place,
    /// The name of the member being read (its first bytes: only [`ITEMS`] matters).
    name: Vec<u8>,
    /// Nesting, string and escape state of a skipped value.
    depth: u32,
    in_string: bool,
    escaped: bool,
    items: Splitter,
    found: bool,
    line: u64,
    bad: Option<u8>,
}

impl Cut for Items {
    fn push(&mut self, b: u8) -> Option<Option<Element>> {
        if self.place == Place::Items {
            self.items.line = self.line;
            let got = self.items.push(b);
            self.line = self.items.line;
            if self.items.state == State::Closed {
                self.place = Place::After;
            }
            return got;
        }
        self.line = self.line.max(1) + u64::from(b == b'\n');
        let skip_space = !matches!(self.place, Place::InName | Place::Skip);
        if skip_space && b.is_ascii_whitespace() {
            return Some(None);
        }
        let next = match (self.place, b) {
            (Place::Start, b'{') => Place::Name,
            (Place::Name | Place::After, b'}') => Place::Closed,
            (Place::Name, b'"') => {
                self.name.clear();
                Place::InName
            }
            (Place::InName, b) => self.in_name(b),
            (Place::Colon, b':') => Place::Value,
            (Place::Value, b'[') if self.name == ITEMS.as_bytes() && !self.found => {
                self.found = true;
                self.place = Place::Items;
                self.items = Splitter::default();
                self.items.line = self.line;
                return self.items.push(b);
            }
            (Place::Value, b) => {
                self.depth = 0;
                return self.skip(b);
            }
            (Place::Skip, b) => return self.skip(b),
            (Place::After, b',') => Place::Name,
            _ => {
                self.bad = Some(b);
                return None;
            }
        };
        self.place = next;
        Some(None)
    }

    fn line(&self) -> u64 {
        self.line
    }

    fn bad_reason(&self) -> String {
        if self.place == Place::Items {
            return format!("in `{ITEMS}`: {}", self.items.bad_reason());
        }
        let what = self.bad.map_or("end".to_string(), |b| {
            format!("`{}`", String::from_utf8_lossy(&[b]))
        });
        match self.place {
            Place::Start => format!("expected a JSON object `{{`, found {what}"),
            Place::Closed => format!("unexpected {what} after the JSON object's closing `}}`"),
            _ => format!("unexpected {what} in the JSON object"),
        }
    }

    fn pending(&self) -> usize {
        self.items.current.len().max(self.name.len())
    }

    fn unfinished(&self) -> Option<&'static str> {
        match (self.place, self.found) {
            (Place::Closed, true) => None,
            (Place::Closed, false) => Some("the JSON object has no `orderedItems` array"),
            _ => Some("the JSON object ends before its closing `}`"),
        }
    }
}

impl Items {
    /// A byte of a member's name (kept up to a few bytes more than [`ITEMS`]).
    fn in_name(&mut self, b: u8) -> Place {
        match (self.escaped, b) {
            (true, _) => self.escaped = false,
            (false, b'\\') => self.escaped = true,
            (false, b'"') => return Place::Colon,
            _ => {}
        }
        if self.name.len() <= ITEMS.len() {
            self.name.push(b);
        }
        Place::InName
    }

    /// A byte of a skipped value: a string, a number, a literal, or nested objects and arrays,
    /// ended by a `,` or `}` outside them.
    fn skip(&mut self, b: u8) -> Option<Option<Element>> {
        self.place = Place::Skip;
        if self.in_string {
            match (self.escaped, b) {
                (true, _) => self.escaped = false,
                (false, b'\\') => self.escaped = true,
                (false, b'"') => self.in_string = false,
                _ => {}
            }
            return Some(None);
        }
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' if self.depth > 0 => self.depth -= 1,
            b',' if self.depth == 0 => self.place = Place::Name,
            b'}' => self.place = Place::Closed,
            b']' => {
                self.bad = Some(b);
                return None;
            }
            _ => {}
        }
        Some(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Result<Vec<(u64, u64, String)>> {
        let source = Source::from_bytes("outbox.json", text.as_bytes().to_vec());
        let mut out = Vec::new();
        for_each_item(&source, |e| {
            out.push((e.index, e.line, String::from_utf8(e.element).unwrap()));
            Ok(Flow::Continue(()))
        })?;
        Ok(out)
    }

    /// Members before and after the items are skipped, whatever they hold (strings with
    /// brackets and escaped quotes, nested objects, a member named like the items inside
    /// them); items keep their index and the line they start on.
    #[test]
    fn items_of_a_pretty_printed_collection_with_their_lines() {
        let text = "{\n  \"@context\": [\"https://w3.org\", {\"orderedItems\": [7], \"x\": \"]}\\\",{\"}],\n  \"totalItems\": 2,\n  \"orderedItems\": [\n    {\n      \"a\": \"x]}\\\"{\"\n    },\n    {\"b\": [1, {\"c\": 2}]}\n  ],\n  \"first\": null\n}\n";
        let got = items(text).unwrap();
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].0, got[0].1), (0, 5));
        let v: serde_json::Value = serde_json::from_str(&got[0].2).unwrap();
        assert_eq!(v["a"], "x]}\"{");
        assert_eq!(got[1], (1, 8, "{\"b\": [1, {\"c\": 2}]}".to_string()));
        assert!(is_multiline_object(text.as_bytes()));
        assert!(!is_multiline_object(b"{\"orderedItems\": []}\n{}\n"));
        assert_eq!(first_items(text.as_bytes(), 5).len(), 2);
        assert_eq!(first_items(&text.as_bytes()[..70], 5).len(), 0);
    }

    #[test]
    fn broken_collections_name_the_line() {
        let e = items("{\n \"orderedItems\": [\n {\"a\": 1},\n 7\n]}").unwrap_err();
        let e = e.to_string();
        assert!(
            e.contains("outbox.json:4") && e.contains("found `7`"),
            "{e}"
        );
        let e = items("{\n \"orderedItems\": [\n {\"a\": 1}\n ]\n").unwrap_err();
        assert!(e.to_string().contains("before its closing `}`"), "{e}");
        let e = items("{\n \"type\": \"OrderedCollection\"\n}\n").unwrap_err();
        assert!(e.to_string().contains("no `orderedItems`"), "{e}");
        let e = items("{\n \"orderedItems\": []\n}\n}")
            .unwrap_err()
            .to_string();
        assert!(e.contains("outbox.json:4") && e.contains("after"), "{e}");
    }
}
