//! Texts to classify and labelled texts to train on, in every layout the topic commands take:
//!
//! - JSON lines with an `id` (string or integer), a `text` and optionally `lang` (ISO code):
//!   the engine's posts format. Labels, when wanted, come from a `labels` array of strings, or
//!   else from the TweetTopicXL layout: every other field whose value is 0 or 1 (`0.0` and
//!   `1.0` too) is a label, present when 1 (`{"id":…,"text":…,"sports":1,"music":0,…}`).
//!   Plain, gzip or zstd. A line that is not JSON is an error naming the file, the line and the
//!   layouts accepted; labelled input in which no label is found at all is an error too.
//! - A folder with one sub-folder per label holding one text file per document (the BBC News
//!   layout): the label is the sub-folder's name, the id `label/file`.
//!
//! Records keep file order; in a folder, sub-folders and files are read in byte order of their
//! names, so that "document `i`" means the same thing to every tool (folds are `i mod k`).

use std::path::Path;

use crate::error::{Error, Result};
use crate::ingest::source::{Flow, Source};
use crate::text::{lang, Lang};

/// One text to classify.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRecord {
    pub id: String,
    pub text: String,
    pub lang: Option<Lang>,
}

/// One labelled text.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledRecord {
    pub id: String,
    pub text: String,
    pub lang: Option<Lang>,
    /// Indices into [`LabelledSet::labels`], ascending.
    pub labels: Vec<u32>,
}

/// Labelled texts and the label names they use.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledSet {
    /// Every label name seen (also labels no record carries, in the 0/1 layout), sorted.
    pub labels: Vec<String>,
    pub records: Vec<LabelledRecord>,
    /// Per label, the ontology topics (slugs) it stands for, when a label map file gave them
    /// (see [`super::label_map`]); `None`: found from the label names.
    pub label_map: Option<Vec<Vec<String>>>,
}

/// Fields of the 0/1 layout that are never labels.
const NOT_LABELS: &[&str] = &["id", "text", "lang", "time", "author", "network", "date"];

/// What [`read_texts`] accepts, for error messages.
const TEXT_LAYOUTS: &str = "JSON lines `{\"id\",\"text\",\"lang\"?}`, or a folder with one \
    sub-folder of text files per label";

/// What [`read_labelled`] accepts, for error messages.
const LABELLED_LAYOUTS: &str = "JSON lines `{\"id\",\"text\",\"labels\":[…]}` or \
    `{\"id\",\"text\",\"<label>\":0|1,…}` (TweetTopicXL), or a folder with one sub-folder of \
    text files per label";

/// A 0/1 label field's value: `Some(true)` for 1 (or 1.0), `Some(false)` for 0, else `None`.
fn label_flag(v: &serde_json::Value) -> Option<bool> {
    match v.as_f64() {
        Some(x) if x == 1.0 => Some(true),
        Some(x) if x == 0.0 => Some(false),
        _ => None,
    }
}

/// Reads texts to classify from a JSON-lines file (lines parsed in parallel) or a folder of
/// label sub-folders.
pub fn read_texts(path: &Path) -> Result<Vec<TextRecord>> {
    if path.is_dir() {
        let set = read_folder(path)?;
        return Ok(set
            .records
            .into_iter()
            .map(|r| TextRecord {
                id: r.id,
                text: r.text,
                lang: r.lang,
            })
            .collect());
    }
    super::text_lines::read_text_lines(path, TEXT_LAYOUTS)
}

/// Reads labelled texts: a folder of label sub-folders, or JSON lines with `labels` or 0/1
/// label fields. A record without any label is kept (it is negative for every label).
pub fn read_labelled(path: &Path) -> Result<LabelledSet> {
    if path.is_dir() {
        return read_folder(path);
    }
    let mut names: Vec<String> = Vec::new();
    let mut raw: Vec<(String, String, Option<Lang>, Vec<String>)> = Vec::new();
    for_each_json(path, LABELLED_LAYOUTS, |line, v, id, text, lang| {
        let err = |reason: String| Error::parse(path, line, reason);
        let labels: Vec<String> = match v.get("labels") {
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .map(|l| match l {
                    serde_json::Value::String(s) if !s.is_empty() => Ok(s.clone()),
                    _ => Err(err(format!(
                        "`labels` must hold non-empty strings, got {l}"
                    ))),
                })
                .collect::<Result<_>>()?,
            Some(other) => return Err(err(format!("`labels` must be an array, got {other}"))),
            None => {
                let mut on = Vec::new();
                for (k, val) in v.as_object().into_iter().flatten() {
                    if NOT_LABELS.contains(&k.as_str()) {
                        continue;
                    }
                    match label_flag(val) {
                        Some(false) => names.push(k.clone()),
                        Some(true) => on.push(k.clone()),
                        None => {}
                    }
                }
                on
            }
        };
        names.extend(labels.iter().cloned());
        raw.push((id, text, lang, labels));
        Ok(())
    })?;
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
            what: format!("no labels found; labelled texts are {LABELLED_LAYOUTS}"),
        });
    }
    let records = raw
        .into_iter()
        .map(|(id, text, lang, labels)| {
            let mut idx: Vec<u32> = labels
                .iter()
                .map(|l| names.binary_search(l).expect("every label was collected") as u32)
                .collect();
            idx.sort_unstable();
            idx.dedup();
            LabelledRecord {
                id,
                text,
                lang,
                labels: idx,
            }
        })
        .collect();
    Ok(LabelledSet {
        labels: names,
        records,
        label_map: None,
    })
}

/// Calls `f(line, value, id, text, lang)` for every non-blank JSON line of `path`; `layouts`
/// says what is accepted when a line is not JSON.
fn for_each_json(
    path: &Path,
    layouts: &str,
    mut f: impl FnMut(u64, &serde_json::Value, String, String, Option<Lang>) -> Result<()>,
) -> Result<()> {
    let source = Source::open(path)?;
    let mut any = false;
    source.lines(|n, raw| {
        let line = raw.trim_ascii();
        if line.is_empty() {
            return Ok(Flow::Continue(()));
        }
        let err = |reason: String| Error::parse(path, n, reason);
        let v: serde_json::Value = serde_json::from_slice(line).map_err(|e| {
            err(format!(
                "not a JSON line ({e}); the input must be {layouts}"
            ))
        })?;
        let id = match &v["id"] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => return Err(err("missing `id` (string or integer)".into())),
        };
        let Some(text) = v["text"].as_str() else {
            return Err(err("missing `text` string".into()));
        };
        let lang = v["lang"].as_str().and_then(lang::from_code);
        f(n, &v, id, text.to_owned(), lang)?;
        any = true;
        Ok(Flow::Continue(()))
    })?;
    if !any {
        return Err(Error::Empty {
            path: path.to_path_buf(),
            what: "no texts found".into(),
        });
    }
    Ok(())
}

/// Sorted entries of `dir` (names in byte order) that satisfy `keep`.
fn sorted_entries(dir: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<std::path::PathBuf>> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let p = e.map_err(|e| Error::io(dir, e))?.path();
        let hidden = p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if !hidden && keep(&p) {
            v.push(p);
        }
    }
    v.sort_unstable();
    Ok(v)
}

/// The folder layout: one sub-folder per label, one text per file.
fn read_folder(dir: &Path) -> Result<LabelledSet> {
    let subdirs = sorted_entries(dir, Path::is_dir)?;
    let mut labels = Vec::new();
    let mut records = Vec::new();
    for sub in &subdirs {
        let label = sub
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let l = labels.len() as u32;
        labels.push(label.clone());
        for file in sorted_entries(sub, Path::is_file)? {
            let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            records.push(LabelledRecord {
                id: format!("{label}/{name}"),
                text: String::from_utf8_lossy(&bytes).into_owned(),
                lang: None,
                labels: vec![l],
            });
        }
    }
    if records.is_empty() {
        return Err(Error::Empty {
            path: dir.to_path_buf(),
            what: "no label sub-folders with text files found".into(),
        });
    }
    Ok(LabelledSet {
        labels,
        records,
        label_map: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_layouts() {
        let dir = tempfile::tempdir().unwrap();
        let jl = dir.path().join("l.jsonl");
        std::fs::write(
            &jl,
            "{\"id\":1,\"text\":\"a\",\"labels\":[\"sports\",\"music\"]}\n\n{\"id\":\"x\",\"text\":\"b\",\"labels\":[]}\n",
        )
        .unwrap();
        let s = read_labelled(&jl).unwrap();
        assert_eq!(s.labels, ["music", "sports"]);
        assert_eq!(s.records[0].labels, [0, 1]);
        assert_eq!(s.records[1].id, "x");
        assert!(s.records[1].labels.is_empty());

        let tt = dir.path().join("tt.jsonl");
        std::fs::write(
            &tt,
            "{\"id\":1539669293213687808,\"text\":\"a\",\"music\":0,\"sports\":1,\"topics\":[\"Sports\"]}\n{\"id\":2,\"text\":\"b\",\"music\":0,\"sports\":0,\"family\":0}\n",
        )
        .unwrap();
        let s = read_labelled(&tt).unwrap();
        assert_eq!(s.labels, ["family", "music", "sports"]);
        assert_eq!(s.records[0].id, "1539669293213687808");
        assert_eq!(s.records[0].labels, [2]);

        let bbc = dir.path().join("bbc");
        for (label, file, text) in [
            ("tech", "002.txt", "t2"),
            ("sport", "001.txt", "s1"),
            ("tech", "001.txt", "t1"),
        ] {
            std::fs::create_dir_all(bbc.join(label)).unwrap();
            std::fs::write(bbc.join(label).join(file), text).unwrap();
        }
        std::fs::write(bbc.join("README.TXT"), "not a label").unwrap();
        let s = read_labelled(&bbc).unwrap();
        assert_eq!(s.labels, ["sport", "tech"]);
        let ids: Vec<&str> = s.records.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["sport/001.txt", "tech/001.txt", "tech/002.txt"]);
        assert_eq!(read_texts(&bbc).unwrap()[2].text, "t2");

        std::fs::write(&jl, "{\"id\":1,\"text\":\"a\",\"labels\":\"sports\"}\n").unwrap();
        let e = read_labelled(&jl).unwrap_err().to_string();
        assert!(e.contains("l.jsonl:1: `labels` must be an array"), "{e}");
    }

    /// Spanish TweetTopicXL writes its flags as `0.0`/`1.0` (and ids as floats): they are
    /// labels, not ignored fields leaving a set with no labels at all.
    #[test]
    fn float_flags_are_labels() {
        let dir = tempfile::tempdir().unwrap();
        let tt = dir.path().join("es.jsonl");
        std::fs::write(
            &tt,
            "{\"id\":1.432976516e+18,\"text\":\"a\",\"family\":0.0,\"sports\":1.0,\"topics\":[\"Sports\"]}\n",
        )
        .unwrap();
        let s = read_labelled(&tt).unwrap();
        assert_eq!(s.labels, ["family", "sports"]);
        assert_eq!(s.records[0].labels, [1]);
        // No label in any layout: an error, not a set every prediction matches.
        std::fs::write(&tt, "{\"id\":1,\"text\":\"a\",\"sports\":\"yes\"}\n").unwrap();
        let e = read_labelled(&tt).unwrap_err().to_string();
        assert!(
            e.contains("es.jsonl: no labels found; labelled texts are JSON lines"),
            "{e}"
        );
    }

    #[test]
    fn not_json_names_the_line_and_the_layouts() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("posts.csv");
        std::fs::write(
            &csv,
            "{\"id\":1,\"text\":\"a\",\"labels\":[\"x\"]}\nid,text\n",
        )
        .unwrap();
        let e = read_labelled(&csv).unwrap_err().to_string();
        assert!(e.contains("posts.csv:2: not a JSON line ("), "{e}");
        assert!(
            e.contains("TweetTopicXL), or a folder with one sub-folder"),
            "{e}"
        );
        let e = read_texts(&csv).unwrap_err().to_string();
        assert!(e.contains("posts.csv:2: not a JSON line ("), "{e}");
        assert!(
            e.contains("must be JSON lines `{\"id\",\"text\",\"lang\"?}`"),
            "{e}"
        );
    }
}
