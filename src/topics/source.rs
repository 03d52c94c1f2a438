//! Choosing an ontology by name (`builtin`, `klout`, `iab` or a file path) and the data
//! directory the shared ones are read from.

use std::path::{Path, PathBuf};

use super::builtin::builtin;
use super::custom::load_taxonomy_file;
use super::iab::load_iab;
use super::klout::load_klout;
use super::ontology::Ontology;
use crate::error::Result;

/// Where an ontology comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OntologySource {
    /// The embedded taxonomy (the default).
    Builtin,
    /// The Klout Topic Ontology from the data directory.
    Klout,
    /// IAB Content Taxonomy 3.1 from the data directory.
    Iab,
    /// A taxonomy TSV in our format.
    File(PathBuf),
}

impl OntologySource {
    /// `builtin`, `klout`, `iab`, or anything else as a file path.
    pub fn parse(s: &str) -> Self {
        match s {
            "builtin" => OntologySource::Builtin,
            "klout" => OntologySource::Klout,
            "iab" => OntologySource::Iab,
            path => OntologySource::File(PathBuf::from(path)),
        }
    }

    /// Loads the ontology, reading shared datasets from `data_dir`.
    pub fn load(&self, data_dir: &Path) -> Result<Ontology> {
        match self {
            OntologySource::Builtin => Ok(builtin()),
            OntologySource::Klout => Ok(load_klout(data_dir)?.ontology),
            OntologySource::Iab => load_iab(data_dir),
            OntologySource::File(path) => load_taxonomy_file(path),
        }
    }
}

/// The data directory: `$CLOUT_DATA_DIR`, else `../shared/data`.
pub fn default_data_dir() -> PathBuf {
    std::env::var_os("CLOUT_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data"))
}
