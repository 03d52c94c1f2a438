//! Platform files that are one JSON array spread over many lines (a pretty-printed API dump,
//! as research collections save X and Mastodon responses): the array's elements one at a
//! time, streamed (one element in memory, never the file), each with its index and the line
//! it starts on, for the platform readers that otherwise read one record per line. The
//! cutting loop over a file ([`Cut`], [`stream`]) is shared with [`super::collection`].

use std::io::Read;

use crate::error::{Error, Result};
use crate::ingest::decode::unwrap_io;
use crate::ingest::source::{Flow, Source, MAX_LINE};

/// Whether `head` (a file's first bytes) is a JSON array over several lines: it opens with
/// `[`, and its first line ends within `head` and is not a whole JSON value (a one-line page
/// is read as a line).
pub fn is_multiline_array(head: &[u8]) -> bool {
    let Some(end) = memchr::memchr(b'\n', head) else {
        return false;
    };
    head.trim_ascii_start().starts_with(b"[")
        && serde_json::from_slice::<serde::de::IgnoredAny>(head[..end].trim_ascii()).is_err()
}

/// The complete elements at the start of `head` (at most `n`), to recognise the platform.
pub fn first_elements(head: &[u8], n: usize) -> Vec<Vec<u8>> {
    first_cut::<Splitter>(head, n)
}

/// The complete elements `C` cuts from the start of `head` (at most `n`).
pub(super) fn first_cut<C: Cut>(head: &[u8], n: usize) -> Vec<Vec<u8>> {
    let mut cut = C::default();
    let mut out = Vec::new();
    for &b in head {
        match cut.push(b) {
            Some(Some(e)) => out.push(e.element),
            Some(None) => continue,
            None => break,
        }
        if out.len() == n {
            break;
        }
    }
    out
}

/// Cuts a byte stream into the JSON elements a platform reader reads one at a time.
pub(super) trait Cut: Default {
    /// Takes one byte: `Some(Some(element))` when it completes one, `Some(None)` when not,
    /// `None` when the stream is malformed.
    fn push(&mut self, b: u8) -> Option<Option<Element>>;
    /// The line of the byte last pushed (1-based).
    fn line(&self) -> u64;
    /// Why the stream is malformed, after [`Cut::push`] returned `None`.
    fn bad_reason(&self) -> String;
    /// The bytes of the element being cut so far.
    fn pending(&self) -> usize;
    /// Why the stream cannot end here, if it cannot.
    fn unfinished(&self) -> Option<&'static str>;
}

/// One element of the array.
pub struct Element {
    /// 0-based index in the array.
    pub index: u64,
    /// The 1-based line it starts on.
    pub line: u64,
    pub element: Vec<u8>,
}

/// Hands every element of the array in `source` to `f`, in order; an error when the file is
/// not one well-formed array (naming the line) or an element exceeds [`MAX_LINE`] bytes.
pub fn for_each_element(source: &Source, f: impl FnMut(Element) -> Result<Flow>) -> Result<()> {
    stream::<Splitter>(source, f)
}

/// Hands every element `C` cuts from `source` to `f`, in order, reading the file in blocks
/// (one element in memory).
pub(super) fn stream<C: Cut>(
    source: &Source,
    mut f: impl FnMut(Element) -> Result<Flow>,
) -> Result<()> {
    let path = source.path();
    let mut reader = source.reader()?;
    let mut cut = C::default();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf).map_err(|e| unwrap_io(path, e))?;
        if n == 0 {
            break;
        }
        for &b in &buf[..n] {
            match cut.push(b) {
                None => return Err(Error::parse(path, cut.line(), cut.bad_reason())),
                Some(Some(e)) => {
                    if let Flow::Break(()) = f(e)? {
                        return Ok(());
                    }
                }
                Some(None) if cut.pending() > MAX_LINE => {
                    return Err(Error::TooLarge {
                        path: path.to_path_buf(),
                        what: "bytes in one JSON array element",
                        limit: MAX_LINE as u64,
                    });
                }
                Some(None) => {}
            }
        }
    }
    match cut.unfinished() {
        Some(reason) => Err(Error::parse(path, cut.line(), reason)),
        None => Ok(()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum State {
    /// Before the opening `[`.
    #[default]
    Start,
    /// Between elements.
    Between,
    /// Inside an element.
    Inside,
    /// After the closing `]`.
    Closed,
}

/// Cuts a byte stream of one JSON array into its elements by tracking nesting and strings.
#[derive(Default)]
pub(super) struct Splitter {
    pub(super) state: State,
    depth: u32,
    in_string: bool,
    escaped: bool,
    pub(super) current: Vec<u8>,
    /// The line of the byte last pushed (1-based), and of the element's start.
    pub(super) line: u64,
    start_line: u64,
    index: u64,
    /// The byte that was not expected, if any.
    bad: Option<u8>,
}

impl Cut for Splitter {
    fn push(&mut self, b: u8) -> Option<Option<Element>> {
        if self.line == 0 {
            self.line = 1;
        }
        if b == b'\n' {
            self.line += 1;
        }
        match self.state {
            State::Start | State::Between | State::Closed if b.is_ascii_whitespace() => Some(None),
            State::Start if b == b'[' => {
                self.state = State::Between;
                Some(None)
            }
            State::Between if b == b',' => Some(None),
            State::Between if b == b']' => {
                self.state = State::Closed;
                Some(None)
            }
            State::Between if b == b'{' || b == b'[' => {
                self.state = State::Inside;
                self.start_line = self.line;
                self.depth = 1;
                self.current.clear();
                self.current.push(b);
                Some(None)
            }
            State::Inside => Some(self.inside(b)),
            _ => {
                self.bad = Some(b);
                None
            }
        }
    }

    fn line(&self) -> u64 {
        self.line
    }

    fn bad_reason(&self) -> String {
        let what = self.bad.map_or("end".to_string(), |b| {
            format!("`{}`", String::from_utf8_lossy(&[b]))
        });
        match self.state {
            State::Start => format!("expected a JSON array `[`, found {what}"),
            State::Closed => format!("unexpected {what} after the JSON array's closing `]`"),
            _ => format!("expected an object in the JSON array, found {what}"),
        }
    }

    fn pending(&self) -> usize {
        self.current.len()
    }

    fn unfinished(&self) -> Option<&'static str> {
        (self.state != State::Closed).then_some("the JSON array ends before its closing `]`")
    }
}

impl Splitter {
    fn inside(&mut self, b: u8) -> Option<Element> {
        self.current.push(b);
        if self.in_string {
            match (self.escaped, b) {
                (true, _) => self.escaped = false,
                (false, b'\\') => self.escaped = true,
                (false, b'"') => self.in_string = false,
                _ => {}
            }
            return None;
        }
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' => self.depth -= 1,
            _ => {}
        }
        if self.depth > 0 {
            return None;
        }
        self.state = State::Between;
        let e = Element {
            index: self.index,
            line: self.start_line,
            element: std::mem::take(&mut self.current),
        };
        self.index += 1;
        Some(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(text: &str) -> Result<Vec<(u64, u64, String)>> {
        let source = Source::from_bytes("a.json", text.as_bytes().to_vec());
        let mut out = Vec::new();
        for_each_element(&source, |e| {
            out.push((e.index, e.line, String::from_utf8(e.element).unwrap()));
            Ok(Flow::Continue(()))
        })?;
        Ok(out)
    }

    #[test]
    fn elements_of_a_pretty_printed_array_with_their_lines() {
        let text =
            "[\n  {\n    \"a\": \"x]}\\\"{\",\n    \"b\": [1, {\"c\": 2}]\n  },\n  {\"d\": 3}\n]\n";
        let got = elements(text).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].0, got[0].1), (0, 2));
        let v: serde_json::Value = serde_json::from_str(&got[0].2).unwrap();
        assert_eq!(v["a"], "x]}\"{");
        assert_eq!(got[1], (1, 6, "{\"d\": 3}".to_string()));
        assert!(is_multiline_array(text.as_bytes()));
        assert!(!is_multiline_array(b"[{\"d\": 3}]\n[{\"e\": 4}]\n"));
        assert_eq!(first_elements(text.as_bytes(), 5).len(), 2);
    }

    #[test]
    fn broken_arrays_name_the_line() {
        let e = elements("[\n {\"a\": 1},\n 7\n]").unwrap_err().to_string();
        assert!(e.contains("a.json:3") && e.contains("found `7`"), "{e}");
        let e = elements("[\n {\"a\": 1},\n").unwrap_err().to_string();
        assert!(e.contains("before its closing"), "{e}");
        let e = elements("[{\"a\": 1}]\n]").unwrap_err().to_string();
        assert!(e.contains("a.json:2") && e.contains("after"), "{e}");
    }
}
