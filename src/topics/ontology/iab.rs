//! Loader for the IAB Tech Lab Content Taxonomy 3.1 TSV (`topics/iab/Content_Taxonomy_3.1.tsv`
//! of the data directory): two header lines, then `id, parent, name, tier 1–4, extension`; a
//! blank parent makes a tier-1 root. Slugs are made from the names.

use std::path::Path;

use super::{Ontology, OntologyBuilder};
use crate::error::{Error, Result};

/// The taxonomy file, relative to the data directory.
pub const IAB_FILE: &str = "topics/iab/Content_Taxonomy_3.1.tsv";

/// Reads the IAB Content Taxonomy from `data_dir`.
pub fn load_iab(data_dir: &Path) -> Result<Ontology> {
    let path = data_dir.join(IAB_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    parse_iab(&text, &path)
}

/// Parses the IAB TSV held in `text` (read from `origin`).
pub fn parse_iab(text: &str, origin: &Path) -> Result<Ontology> {
    let mut b = OntologyBuilder::new(origin);
    let mut rows = 0;
    for (i, raw) in text.lines().enumerate().skip(2) {
        let line = i as u64 + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = raw.split('\t').map(str::trim).collect();
        if f.len() < 3 || f[0].is_empty() || f[2].is_empty() {
            return Err(Error::parse(
                origin,
                line,
                "expected `id<TAB>parent<TAB>name…`",
            ));
        }
        b.add_topic(f[0], &slugify(f[2]), f[2], line)?;
        if !f[1].is_empty() {
            b.add_edge(f[1], f[0], line);
        }
        rows += 1;
    }
    if rows == 0 {
        return Err(Error::Empty {
            path: origin.to_path_buf(),
            what: "no IAB categories found".into(),
        });
    }
    b.build()
}

/// `Bars & Restaurants` → `bars-restaurants`.
pub fn slugify(name: &str) -> String {
    super::normalize_key(name).replace(' ', "-")
}
