//! JSON lines of texts to classify (`{"id","text","lang"?}`), parsed in parallel: each line
//! straight into its record, reading only `id`, `text` and `lang` (other fields are parsed as
//! JSON values, so checked as strictly, and dropped), with no map of the whole line. Gives
//! exactly the records and the first error (in line order) of the one-line-at-a-time reader
//! it replaced, kept as [`read_text_lines_sequential`] for the tests. Owns the line format of
//! texts to classify; the file (plain or compressed) is [`Source`]'s, the other layouts are
//! [`super::input`]'s.

use std::fmt;
use std::path::Path;

use rayon::prelude::*;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::input::TextRecord;
use crate::error::{Error, Result};
use crate::ingest::source::{split_lines, Flow, Source};
use crate::text::lang;

/// Lines per parallel task at least.
const PARALLEL_MIN_LINES: usize = 256;
/// Lines parsed before their records join the output (bounds the memory held twice);
/// small in tests, so that they cross windows.
const LINES_PER_WINDOW: usize = if cfg!(test) { 1_000 } else { 1 << 16 };

/// The fields of one line that make a record (`Null` when absent; a line that is not a JSON
/// object has none).
#[derive(Debug, Default)]
struct Fields {
    id: Value,
    text: Value,
    lang: Value,
}

/// Which field a key names.
enum Key {
    Id,
    Text,
    Lang,
    Other,
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Key, E> {
        Ok(match v {
            "id" => Key::Id,
            "text" => Key::Text,
            "lang" => Key::Lang,
            _ => Key::Other,
        })
    }
}

/// Reads a line's [`Fields`]; any other JSON value is read through and gives none.
struct FieldsVisitor;

impl<'de> de::Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Fields, D::Error> {
        d.deserialize_any(FieldsVisitor)
    }
}

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Fields, A::Error> {
        let mut out = Fields::default();
        // A repeated key keeps its last value, as a JSON map does.
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let slot = match key {
                Key::Id => &mut out.id,
                Key::Text => &mut out.text,
                Key::Lang => &mut out.lang,
                Key::Other => {
                    // A whole value (not `IgnoredAny`): a number out of range is an error here too.
                    map.next_value::<Value>()?;
                    continue;
                }
            };
            *slot = map.next_value()?;
        }
        Ok(out)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Fields, A::Error> {
        while seq.next_element::<Value>()?.is_some() {}
        Ok(Fields::default())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<Fields, E> {
        Ok(Fields::default())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<Fields, E> {
        Ok(Fields::default())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<Fields, E> {
        Ok(Fields::default())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<Fields, E> {
        Ok(Fields::default())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<Fields, E> {
        Ok(Fields::default())
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<Fields, E> {
        Ok(Fields::default())
    }
}

/// The record of line `n` (`raw`, without its newline) of `path`; `None` for a blank line.
/// `layouts` says what is accepted when the line is not JSON.
fn text_line(path: &Path, n: u64, raw: &[u8], layouts: &str) -> Result<Option<TextRecord>> {
    let line = raw.trim_ascii();
    if line.is_empty() {
        return Ok(None);
    }
    let err = |reason: String| Error::parse(path, n, reason);
    let fields: Fields = serde_json::from_slice(line).map_err(|e| {
        err(format!(
            "not a JSON line ({e}); the input must be {layouts}"
        ))
    })?;
    let id = match fields.id {
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        _ => return Err(err("missing `id` (string or integer)".into())),
    };
    let Value::String(text) = fields.text else {
        return Err(err("missing `text` string".into()));
    };
    let lang = fields.lang.as_str().and_then(lang::from_code);
    Ok(Some(TextRecord { id, text, lang }))
}

/// Every record of the JSON-lines file `path`, in file order, lines parsed in parallel (the
/// same records and the same first error whatever the thread count); an error when there
/// is none.
pub(super) fn read_text_lines(path: &Path, layouts: &str) -> Result<Vec<TextRecord>> {
    let source = Source::open(path)?;
    let mut out = Vec::new();
    let mut before = 0u64;
    source.blocks(|block| {
        let lines: Vec<&[u8]> = split_lines(block).collect();
        for window in lines.chunks(LINES_PER_WINDOW) {
            let parsed: Vec<Result<Option<TextRecord>>> = window
                .par_iter()
                .enumerate()
                .with_min_len(PARALLEL_MIN_LINES)
                .map(|(i, raw)| text_line(path, before + 1 + i as u64, raw, layouts))
                .collect();
            before += window.len() as u64;
            for record in parsed {
                out.extend(record?);
            }
        }
        Ok(Flow::Continue(()))
    })?;
    non_empty(path, out)
}

/// The sequential twin of [`read_text_lines`]: one line at a time, through a whole JSON value.
#[cfg(test)]
pub(super) fn read_text_lines_sequential(path: &Path, layouts: &str) -> Result<Vec<TextRecord>> {
    let source = Source::open(path)?;
    let mut out = Vec::new();
    source.lines(|n, raw| {
        let line = raw.trim_ascii();
        if line.is_empty() {
            return Ok(Flow::Continue(()));
        }
        let err = |reason: String| Error::parse(path, n, reason);
        let v: Value = serde_json::from_slice(line).map_err(|e| {
            err(format!(
                "not a JSON line ({e}); the input must be {layouts}"
            ))
        })?;
        let id = match &v["id"] {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return Err(err("missing `id` (string or integer)".into())),
        };
        let Some(text) = v["text"].as_str() else {
            return Err(err("missing `text` string".into()));
        };
        let lang = v["lang"].as_str().and_then(lang::from_code);
        out.push(TextRecord {
            id,
            text: text.to_owned(),
            lang,
        });
        Ok(Flow::Continue(()))
    })?;
    non_empty(path, out)
}

/// `records`, or the error of a file without any.
fn non_empty(path: &Path, records: Vec<TextRecord>) -> Result<Vec<TextRecord>> {
    if records.is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
            what: "no texts found".into(),
        });
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines that exercise every branch: ids as strings, integers, floats, big numbers;
    /// repeated keys; escapes in keys and values; extra fields of every type; blank lines.
    const GOOD: &str = concat!(
        "{\"id\":1,\"text\":\"a\"}\n",
        "\n",
        "  {\"text\":\"b\\u00e9\",\"id\":\"x\",\"lang\":\"de\",\"extra\":[1,{\"y\":null}]}  \n",
        "{\"id\":18446744073709551615,\"text\":\"c\",\"lang\":7}\n",
        "{\"id\":-3,\"text\":\"first\",\"text\":\"second\",\"n\":1.5e3}\n",
        "{\"\\u0069d\":2.5,\"te\\u0078t\":\"escaped keys\",\"lang\":\"xx\"}\r\n",
        "{\"id\":\"\",\"text\":\"\",\"sports\":1,\"music\":0,\"f\":true,\"g\":\"s\"}",
    );

    /// Each line is an error, by the same message either way.
    const BAD: &[&str] = &[
        "not json",
        "{\"id\":1,\"text\":\"a\"} trailing",
        "{\"id\":1,\"text\":\"a\",}",
        "[1,2]",
        "\"a string\"",
        "null",
        "{\"text\":\"no id\"}",
        "{\"id\":null,\"text\":\"a\"}",
        "{\"id\":[1],\"text\":\"a\"}",
        "{\"id\":1}",
        "{\"id\":1,\"text\":5}",
        "{\"id\":1,\"text\":\"a\",\"x\":1e400}",
        "{\"id\":1,\"text\":\"\\ud800\"}",
        "{\"id\":1,\"text\":\"a\",\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
    ];

    fn both(content: &str) -> (String, String) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.jsonl");
        std::fs::write(&path, content).expect("write");
        let show = |r: Result<Vec<TextRecord>>| match r {
            Ok(v) => format!("{v:?}"),
            Err(e) => format!("error: {e}"),
        };
        (
            show(read_text_lines(&path, "L")),
            show(read_text_lines_sequential(&path, "L")),
        )
    }

    #[test]
    fn parallel_lines_equal_the_whole_value_reader() {
        let (fast, slow) = both(GOOD);
        assert_eq!(fast, slow);
        assert!(
            fast.contains("\"second\"") && fast.contains("escaped keys"),
            "{fast}"
        );
        // Many lines (several parallel tasks), with one bad line late among them.
        let many: String = (0..5_000)
            .map(|i| format!("{{\"id\":{i},\"text\":\"post {i}\"}}\n"))
            .collect();
        let (fast, slow) = both(&many);
        assert_eq!(fast, slow);
        for bad in BAD {
            let content = format!("{many}{bad}\n{{\"id\":1,\"text\":\"after\"}}\nalso bad\n");
            let (fast, slow) = both(&content);
            assert!(fast.starts_with("error: "), "{bad}: {fast}");
            assert_eq!(fast, slow, "{bad}");
        }
        let (fast, slow) = both("\n  \n");
        assert!(fast.starts_with("error: "), "{fast}");
        assert_eq!(fast, slow);
    }

    #[test]
    fn thread_count_does_not_change_the_records() {
        let many: String = (0..3_000)
            .map(|i| format!("{{\"id\":\"p{i}\",\"text\":\"text {i}\",\"lang\":\"en\"}}\n"))
            .collect();
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.jsonl");
        std::fs::write(&path, many).expect("write");
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("pool")
            .install(|| read_text_lines(&path, "L").expect("read"));
        assert_eq!(one, read_text_lines(&path, "L").expect("read"));
        assert_eq!(one.len(), 3_000);
    }
}
