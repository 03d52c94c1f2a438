//! Choosing an ontology by name (`builtin`, `klout`, `iab` or a file path) and the data
//! directory the shared ones are read from.

use std::path::{Path, PathBuf};

use super::builtin::builtin;
use super::custom::load_taxonomy_file;
use super::iab::load_iab;
use super::klout::load_klout;
use super::Ontology;
use crate::error::{Error, Result};

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

/// The ontologies known by name.
pub const NAMES: [&str; 3] = ["builtin", "klout", "iab"];

impl OntologySource {
    /// `builtin`, `klout`, `iab`, or anything else as a file path (an error naming the valid
    /// names at [`OntologySource::load`] when no such file exists).
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
            OntologySource::File(path) if !path.exists() => Err(Error::Invalid {
                path: path.clone(),
                reason: format!(
                    "unknown ontology: not one of {} nor an existing taxonomy TSV file \
                     (`id, parents, name, keywords`)",
                    NAMES.join(", ")
                ),
            }),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_name_lists_the_valid_ones() {
        let e = OntologySource::parse("kloot")
            .load(Path::new("."))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "kloot: unknown ontology: not one of builtin, klout, iab nor an existing"
            ),
            "{e}"
        );
    }
}
