//! The embedding model's error type: a missing, corrupt or mismatched model file (named), a
//! failed install, or a failure inside the network. Converted into the crate's [`crate::Error`].

use std::path::PathBuf;

/// Everything that can go wrong loading, installing or running the embedding model.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// A file the model needs is not there (the model is not installed).
    #[error("{}: embedding model file missing (run `clout model install`)", path.display())]
    Missing { path: PathBuf },
    /// A model file could not be read or written.
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A model file is there but unusable: corrupt, wrong format, wrong shapes.
    #[error("{}: unusable embedding model file: {reason}", path.display())]
    BadFile { path: PathBuf, reason: String },
    /// A file's SHA-256 is not the one this version of clout knows.
    #[error("{}: SHA-256 {found}, expected {expected}", path.display())]
    Digest {
        path: PathBuf,
        expected: String,
        found: String,
    },
    /// `clout model install` could not get or unpack the package.
    #[error("model install failed: {0}")]
    Install(String),
    /// The tokenizer failed on valid input.
    #[error("embedding inference failed: {0}")]
    Inference(String),
}

impl EmbedError {
    /// An I/O error about `path`; a missing file becomes [`EmbedError::Missing`].
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        let path = path.into();
        if error.kind() == std::io::ErrorKind::NotFound {
            EmbedError::Missing { path }
        } else {
            EmbedError::Io { path, error }
        }
    }

    /// A bad-file error about `path`.
    pub fn bad(path: impl Into<PathBuf>, reason: impl std::fmt::Display) -> Self {
        EmbedError::BadFile {
            path: path.into(),
            reason: reason.to_string(),
        }
    }

    /// Whether this error means the model is not installed (as opposed to broken).
    pub fn is_missing(&self) -> bool {
        matches!(self, EmbedError::Missing { .. })
    }
}
