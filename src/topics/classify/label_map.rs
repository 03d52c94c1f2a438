//! A label map file: which ontology topics each label of a labelled set stands for, written by
//! a person instead of found from the label names (`label_link::map_label`), for labels whose
//! names say little to an ontology (`family`, `youth_&_student_life`, …).
//!
//! Format: one label per line, `label<TAB>topic[,topic…]`, a topic by slug, id or name (as
//! `Ontology::lookup` finds it); blank lines and lines starting with `#` are skipped. A label
//! of the set that the file leaves out keeps its map by name; a label the set does not have,
//! a topic the ontology does not have, or a label given twice is an error naming the line.

use std::path::Path;

use super::input::LabelledSet;
use super::label_link::map_label;
use crate::error::{Error, Result};
use crate::topics::ontology::Ontology;

/// One line of a label map: the label and its topics' slugs, and the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    line: u64,
    label: String,
    topics: Vec<String>,
}

/// Reads the label map at `path` for `set` over `ontology`, and stores it in the set: every
/// label's topics as slugs (from the file, or by name for a label it leaves out).
pub fn apply_label_map(path: &Path, set: &mut LabelledSet, ontology: &Ontology) -> Result<()> {
    let text = std::fs::read_to_string(path).map_err(|error| Error::Io {
        path: path.to_owned(),
        error,
    })?;
    let entries = parse(path, &text)?;
    set.label_map = Some(resolve(path, &entries, &set.labels, ontology)?);
    Ok(())
}

fn parse(path: &Path, text: &str) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let raw = raw.trim_start_matches('\u{feff}').trim_end();
        if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        let Some((label, topics)) = raw.split_once('\t') else {
            return Err(Error::parse(
                path,
                line,
                "expected `label<TAB>topic[,topic…]` (no tab on this line)",
            ));
        };
        let topics: Vec<String> = topics
            .split(',')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        if label.trim().is_empty() || topics.is_empty() {
            return Err(Error::parse(
                path,
                line,
                "a label and at least one topic are needed",
            ));
        }
        out.push(Entry {
            line,
            label: label.trim().to_owned(),
            topics,
        });
    }
    Ok(out)
}

fn resolve(
    path: &Path,
    entries: &[Entry],
    labels: &[String],
    ontology: &Ontology,
) -> Result<Vec<Vec<String>>> {
    let mut map: Vec<Option<Vec<String>>> = vec![None; labels.len()];
    for e in entries {
        let Some(l) = labels.iter().position(|x| *x == e.label) else {
            return Err(Error::parse(
                path,
                e.line,
                format!(
                    "label `{}` is not a label of the input ({})",
                    e.label,
                    labels.join(", ")
                ),
            ));
        };
        if map[l].is_some() {
            return Err(Error::parse(
                path,
                e.line,
                format!("label `{}` given twice", e.label),
            ));
        }
        let mut slugs = Vec::with_capacity(e.topics.len());
        for t in &e.topics {
            let Some(&idx) = ontology.lookup(t).first() else {
                let closest = ontology.closest_names(t, 3);
                let hint = if closest.is_empty() {
                    String::new()
                } else {
                    format!("; closest: {}", closest.join(", "))
                };
                return Err(Error::parse(path, e.line, format!("no topic `{t}`{hint}")));
            };
            slugs.push(ontology.topic(idx).slug.clone());
        }
        map[l] = Some(slugs);
    }
    Ok(map
        .into_iter()
        .zip(labels)
        .map(|(m, label)| {
            m.unwrap_or_else(|| {
                map_label(ontology, label)
                    .into_iter()
                    .map(|t| ontology.topic(t).slug.clone())
                    .collect()
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> LabelledSet {
        LabelledSet {
            labels: vec!["family".into(), "sports".into()],
            records: Vec::new(),
            label_map: None,
        }
    }

    fn write(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), text).unwrap();
        f
    }

    #[test]
    fn mapped_labels_take_the_files_topics_and_the_rest_keep_their_names() {
        let o = crate::topics::builtin();
        let f = write("# comment\n\nfamily\tparenting, Relationships\n");
        let mut s = set();
        apply_label_map(f.path(), &mut s, &o).unwrap();
        let map = s.label_map.unwrap();
        assert_eq!(map[0], vec!["parenting", "relationships"]);
        assert_eq!(map[1], vec!["sports-and-recreation"]);
    }

    #[test]
    fn bad_lines_are_errors_naming_the_line() {
        let o = crate::topics::builtin();
        for (text, want) in [
            ("family parenting\n", ":1: expected `label<TAB>"),
            (
                "#\nfamilies\tparenting\n",
                ":2: label `families` is not a label",
            ),
            (
                "family\tparentingg\n",
                ":1: no topic `parentingg`; closest: Parenting (parenting)",
            ),
            (
                "family\tparenting\nfamily\tpets\n",
                ":2: label `family` given twice",
            ),
            ("family\t , \n", ":1: a label and at least one topic"),
        ] {
            let f = write(text);
            let err = apply_label_map(f.path(), &mut set(), &o)
                .unwrap_err()
                .to_string();
            assert!(err.contains(want), "{text:?}: {err}");
        }
    }
}
