//! A dataset directory: clout's own files by name (`interactions.txt`, `follows.txt`,
//! `posts.jsonl`, `identities.txt`, `endorsements.txt` or `.jsonl` (+K), each maybe `.gz` /
//! `.zst`; `interactions.csv` and
//! `follows.csv` for tables with a header) and platform files under any
//! name, recognised by content. [`Dataset::prepare`] hands out canonical files to read: the
//! directory's own, or those the platform files are imported into (in a scratch directory
//! that lives as long as the [`Prepared`]). Reading and scoring the files are others' work.

use std::path::{Path, PathBuf};

use super::platform::{self, Imported, Platform};
use super::source::Source;
use crate::error::{Error, Result};

/// clout's own input files.
pub const INTERACTIONS: &str = "interactions.txt";
pub const FOLLOWS: &str = "follows.txt";
pub const POSTS: &str = "posts.jsonl";
pub const IDENTITIES: &str = "identities.txt";
/// +K endorsements: `endorser account topic time` lines, or the same as JSON lines.
pub const ENDORSEMENTS: [&str; 2] = ["endorsements.txt", "endorsements.jsonl"];
/// Files of a generated dataset that are not inputs.
const NOT_INPUTS: [&str; 2] = ["truth.json", "README.md"];
const EXTENSIONS: [&str; 3] = ["", ".gz", ".zst"];

/// The +K endorsements file of `dir`, if any (`endorsements.txt`, else `endorsements.jsonl`,
/// each plain, `.gz` or `.zst`).
pub fn endorsements_in(dir: &Path) -> Option<PathBuf> {
    ENDORSEMENTS
        .iter()
        .flat_map(|b| EXTENSIONS.iter().map(move |e| dir.join(format!("{b}{e}"))))
        .find(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()))
}

/// The files found in a dataset directory.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub dir: PathBuf,
    pub interactions: Option<PathBuf>,
    pub follows: Option<PathBuf>,
    pub posts: Option<PathBuf>,
    pub identities: Option<PathBuf>,
    pub endorsements: Option<PathBuf>,
    /// Platform files, by name, with the platform their content is in.
    pub platform: Vec<(PathBuf, Platform)>,
    /// Files that are no input (matching no known source), by name.
    pub ignored: Vec<PathBuf>,
}

/// The canonical files of a dataset, ready to read.
#[derive(Debug)]
pub struct Prepared {
    pub interactions: PathBuf,
    pub follows: Option<PathBuf>,
    pub posts: Option<PathBuf>,
    pub identities: Option<PathBuf>,
    pub endorsements: Option<PathBuf>,
    /// What was imported from platform files, if any.
    pub imported: Option<Imported>,
    _scratch: Option<tempfile::TempDir>,
}

impl Dataset {
    /// Lists `dir`: clout's files by name, every other file (not hidden, not a generated
    /// dataset's `truth.json` or `README.md`) by its content.
    pub fn discover(dir: &Path) -> Result<Dataset> {
        let mut names: Vec<String> = Vec::new();
        for e in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
            let e = e.map_err(|e| Error::io(dir, e))?;
            // A symbolic link to a file counts as the file (datasets are often linked in).
            if std::fs::metadata(e.path()).is_ok_and(|m| m.is_file()) {
                names.push(e.file_name().to_string_lossy().into_owned());
            }
        }
        names.sort();
        let find = |base: &str| {
            let table = [INTERACTIONS, FOLLOWS].contains(&base);
            let csv = table.then(|| base.replace(".txt", ".csv"));
            std::iter::once(base)
                .chain(csv.as_deref())
                .flat_map(|b| EXTENSIONS.iter().map(move |ext| format!("{b}{ext}")))
                .find(|n| names.contains(n))
                .map(|n| dir.join(n))
        };
        let mut ds = Dataset {
            dir: dir.to_path_buf(),
            interactions: find(INTERACTIONS),
            follows: find(FOLLOWS),
            posts: find(POSTS),
            identities: find(IDENTITIES),
            endorsements: ENDORSEMENTS.iter().find_map(|b| find(b)),
            ..Dataset::default()
        };
        let own = |n: &str| {
            let tables = ["interactions.csv", "follows.csv"];
            [INTERACTIONS, FOLLOWS, POSTS, IDENTITIES]
                .iter()
                .chain(&ENDORSEMENTS)
                .chain(&tables)
                .any(|b| n.strip_prefix(b).is_some_and(|e| EXTENSIONS.contains(&e)))
        };
        for n in names {
            if own(&n) || NOT_INPUTS.contains(&n.as_str()) || n.starts_with('.') {
                continue;
            }
            let path = dir.join(&n);
            let source = Source::open(&path)?;
            match platform::detect(&source)? {
                Some(p) => ds.platform.push((path, p)),
                None => ds.ignored.push(path),
            }
        }
        Ok(ds)
    }

    /// Every input file (clout's and the platforms'), in a fixed order.
    pub fn files(&self) -> Vec<&Path> {
        self.inputs().into_iter().map(|(_, p)| p).collect()
    }

    /// Every input file with what it holds: `interactions`, `follows`, `posts`,
    /// `identities`, `endorsements`, or a platform's name; in the order of [`Dataset::files`].
    pub fn inputs(&self) -> Vec<(&'static str, &Path)> {
        let own = [
            ("interactions", &self.interactions),
            ("follows", &self.follows),
            ("posts", &self.posts),
            ("identities", &self.identities),
            ("endorsements", &self.endorsements),
        ];
        let own = own
            .into_iter()
            .filter_map(|(role, p)| p.as_deref().map(|p| (role, p)));
        own.chain(
            self.platform
                .iter()
                .map(|(p, pl)| (pl.describe(), p.as_path())),
        )
        .collect()
    }

    /// The canonical files to read: the directory's own, or the platform files imported into
    /// a scratch directory. A directory with both, or with neither, is an error.
    pub fn prepare(&self, lenient: bool) -> Result<Prepared> {
        if self.platform.is_empty() {
            let interactions = self.interactions.clone().ok_or_else(|| self.no_inputs())?;
            return Ok(Prepared {
                interactions,
                follows: self.follows.clone(),
                posts: self.posts.clone(),
                identities: self.identities.clone(),
                endorsements: self.endorsements.clone(),
                imported: None,
                _scratch: None,
            });
        }
        if let Some(own) = [&self.interactions, &self.follows, &self.posts]
            .into_iter()
            .flatten()
            .next()
        {
            return Err(Error::Invalid {
                path: self.dir.clone(),
                reason: format!(
                    "holds both clout's own {} and platform files ({}): import the platform files with `clout import FILES --out DIR` and keep one kind per directory",
                    own.display(),
                    self.platform[0].0.display()
                ),
            });
        }
        let scratch = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
        let files: Vec<PathBuf> = self.platform.iter().map(|(p, _)| p.clone()).collect();
        let imported = platform::import(&files, scratch.path(), lenient)?;
        Ok(Prepared {
            interactions: imported.written.interactions.clone(),
            follows: imported.written.follows.clone(),
            posts: imported.written.posts.clone(),
            identities: self.identities.clone(),
            endorsements: self.endorsements.clone(),
            imported: Some(imported),
            _scratch: Some(scratch),
        })
    }

    fn no_inputs(&self) -> Error {
        Error::Empty {
            path: self.dir.clone(),
            what: format!(
                "has no {INTERACTIONS} and no platform file (a dataset directory holds {INTERACTIONS} and optionally {FOLLOWS}, {POSTS}, {IDENTITIES}, see `clout generate social`; or files of a known source, any name, plain, .gz or .zst; tried: {})",
                platform::tried()
            ),
        }
    }
}
