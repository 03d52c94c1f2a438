//! Our own taxonomy format, used by the built-in taxonomy and by `--ontology FILE`: UTF-8 TSV,
//! `#` comments and blank lines skipped, one topic a line:
//!
//! ```text
//! id<TAB>parents<TAB>name<TAB>keywords
//! basketball	sports	Basketball	nba, dunk, three pointer
//! ```
//!
//! `parents` is empty for a root, or ids separated by `|`; `keywords` (optional) are phrases
//! separated by commas. Parents may be defined later in the file.

// The format's example above holds real tabs.
#![allow(clippy::tabs_in_doc_comments)]

use std::path::Path;

use super::{Ontology, OntologyBuilder};
use crate::error::{Error, Result};

/// Reads a taxonomy TSV file.
pub fn load_taxonomy_file(path: &Path) -> Result<Ontology> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_taxonomy(&text, path)
}

/// Parses a taxonomy TSV held in `text` (read from `origin`).
pub fn parse_taxonomy(text: &str, origin: &Path) -> Result<Ontology> {
    let mut b = OntologyBuilder::new(origin);
    let mut rows = 0;
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = raw.split('\t').map(str::trim).collect();
        if f.len() < 3 || f.len() > 4 || f[0].is_empty() || f[2].is_empty() {
            return Err(Error::parse(
                origin,
                line,
                format!(
                    "expected `id<TAB>parents<TAB>name[<TAB>keywords]`, found {} fields",
                    f.len()
                ),
            ));
        }
        b.add_topic(f[0], f[0], f[2], line)?;
        for parent in f[1].split('|').map(str::trim).filter(|p| !p.is_empty()) {
            b.add_edge(parent, f[0], line);
        }
        for kw in f
            .get(3)
            .into_iter()
            .flat_map(|k| k.split(','))
            .map(str::trim)
        {
            if !kw.is_empty() {
                b.add_keyword(f[0], kw, line)?;
            }
        }
        rows += 1;
    }
    if rows == 0 {
        return Err(Error::Empty {
            path: origin.to_path_buf(),
            what: "no topics found".into(),
        });
    }
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reports_lines() {
        let text = "# comment\nsports\t\tSports\tsport, athletics\nbasketball\tsports\tBasketball\tnba\n\ncurry\tbasketball|celebs\tStephen Curry\ncelebs\t\tCelebrities\n";
        let o = parse_taxonomy(text, Path::new("x.tsv")).unwrap();
        assert_eq!(o.len(), 4);
        let curry = o.find("stephen curry").unwrap();
        let names: Vec<&str> = o
            .path(curry)
            .iter()
            .map(|&i| o.topic(i).id.as_str())
            .collect();
        assert_eq!(names, ["celebs", "curry"]);
        assert_eq!(o.lookup("NBA"), [1]);
        let err = parse_taxonomy("a\t\tA\nb\tzz\tB\n", Path::new("x.tsv")).unwrap_err();
        assert_eq!(err.to_string(), "x.tsv:2: unknown parent topic zz");
        let err = parse_taxonomy("a\tA\n", Path::new("x.tsv")).unwrap_err();
        assert!(err.to_string().starts_with("x.tsv:1: expected"), "{err}");
        assert!(parse_taxonomy("# only\n", Path::new("x.tsv")).is_err());
    }
}
