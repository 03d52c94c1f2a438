//! Texts to classify: JSON lines with an `id` (string or integer) and a `text`, and optionally
//! `lang` (ISO code). That covers the engine's posts format and TweetTopicXL's layout (its
//! label fields are ignored here). Plain, gzip or zstd.

use std::path::Path;

use crate::error::{Error, Result};
use crate::ingest::source::Source;
use crate::text::{lang, Lang};

/// One text to classify.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRecord {
    pub id: String,
    pub text: String,
    pub lang: Option<Lang>,
}

/// Reads `{"id", "text", "lang"?}` JSON lines; a malformed line is an error naming it.
pub fn read_texts(path: &Path) -> Result<Vec<TextRecord>> {
    let source = Source::open(path)?;
    let mut out = Vec::new();
    for (i, raw) in source.bytes().split(|&c| c == b'\n').enumerate() {
        let line = raw.trim_ascii();
        if line.is_empty() {
            continue;
        }
        let err = |reason: String| Error::parse(path, i as u64 + 1, reason);
        let v: serde_json::Value =
            serde_json::from_slice(line).map_err(|e| err(format!("invalid JSON: {e}")))?;
        let id = match &v["id"] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
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
    }
    if out.is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
            what: "no texts found".into(),
        });
    }
    Ok(out)
}
