//! Loader for the Klout Topic Ontology (2018-06-01, CC BY 3.0): topics, parent → child edges
//! and display names in six languages, from `topics/klout/klout_topic_ontology/dataset/` of the
//! data directory. Ids stay text (some exceed `i64::MAX`) but must be unsigned decimals. The
//! `_ROOT_` edges only mark the 16 super-topics, which become the ontology's roots.

use std::path::{Path, PathBuf};

use super::{Ontology, OntologyBuilder};
use crate::error::{Error, Result};

/// The dataset folder, relative to the data directory.
pub const KLOUT_DIR: &str = "topics/klout/klout_topic_ontology/dataset";
const TOPICS: &str = "klout_topic_ontology_20180601.csv";
const EDGES: &str = "klout_topic_edge_20180601.csv";
const NAMES: &str = "klout_topic_display_20180601.csv";
const ROOT: &str = "_ROOT_";

/// The Klout ontology with what its files held.
#[derive(Debug, Clone)]
pub struct KloutOntology {
    pub ontology: Ontology,
    /// Edge records read, `_ROOT_` ones included (13,446 in the 2018 release).
    pub edge_records: usize,
    /// Edges from `_ROOT_` to a topic (the super-topics: 16).
    pub root_edges: usize,
    /// Display-name records read (47,930).
    pub name_records: usize,
    /// Topic records in the topics file (8,033).
    pub topic_records: usize,
    /// Slugs of topics that edges and display names use but the topics file lacks (the 2018
    /// release: `economics`), added with their edge slug and, lacking an English name, the
    /// slug capitalised.
    pub implied_topics: Vec<String>,
}

/// Reads the Klout Topic Ontology from `data_dir` (the folder holding `topics/klout/…`).
pub fn load_klout(data_dir: &Path) -> Result<KloutOntology> {
    let dir = data_dir.join(KLOUT_DIR);
    let topics = dir.join(TOPICS);
    let mut b = OntologyBuilder::new(&topics);
    let mut topic_records = 0;
    for_each_record(&topics, 3, |rec, line| {
        topic_records += 1;
        let id = checked_id(&topics, rec[0].trim(), line)?;
        b.add_topic(id, &rec[1], &rec[2], line).map(drop)
    })?;
    let edges = dir.join(EDGES);
    b.set_origin(&edges);
    let (mut edge_records, mut root_edges) = (0, 0);
    let mut implied_topics = Vec::new();
    for_each_record(&edges, 4, |rec, line| {
        edge_records += 1;
        let (parent, child) = (rec[0].trim(), rec[2].trim());
        if rec[1].trim() == ROOT {
            root_edges += usize::from(rec[3].trim() != ROOT);
            return Ok(());
        }
        for (id, slug) in [(parent, rec[1].trim()), (child, rec[3].trim())] {
            checked_id(&edges, id, line)?;
            if !b.contains(id) {
                b.add_topic(id, slug, &capitalise(slug), line)?;
                implied_topics.push(slug.to_owned());
            }
        }
        b.add_edge(parent, child, line);
        Ok(())
    })?;
    let names = dir.join(NAMES);
    b.set_origin(&names);
    let mut name_records = 0;
    for_each_record(&names, 3, |rec, line| {
        name_records += 1;
        b.add_name(rec[0].trim(), rec[1].trim(), &rec[2], line)
    })?;
    Ok(KloutOntology {
        ontology: b.build()?,
        edge_records,
        root_edges,
        name_records,
        topic_records,
        implied_topics,
    })
}

/// `public-finance` → `Public Finance`.
fn capitalise(slug: &str) -> String {
    slug.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn checked_id<'a>(path: &Path, id: &'a str, line: u64) -> Result<&'a str> {
    let canonical = !id.is_empty() && (id == "0" || !id.starts_with('0'));
    if canonical && id.parse::<u64>().is_ok() {
        Ok(id)
    } else {
        Err(Error::parse(
            path,
            line,
            format!("topic id {id:?} is not an unsigned 64-bit integer"),
        ))
    }
}

/// Calls `f(record, line)` for each record after the header, with at least `fields` fields.
pub(super) fn for_each_record(
    path: &PathBuf,
    fields: usize,
    mut f: impl FnMut(&csv::StringRecord, u64) -> Result<()>,
) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
    let mut rec = csv::StringRecord::new();
    loop {
        let line = reader.position().line() + 1;
        match reader.read_record(&mut rec) {
            Ok(false) => return Ok(()),
            Ok(true) if rec.len() < fields => {
                return Err(Error::parse(
                    path,
                    line,
                    format!("expected {fields} fields, found {}", rec.len()),
                ))
            }
            Ok(true) => f(&rec, rec.position().map_or(line, |p| p.line()))?,
            Err(e) => return Err(Error::parse(path, line, e.to_string())),
        }
    }
}
