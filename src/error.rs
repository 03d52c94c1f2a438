//! The library's error type: every failure a caller can act on, with the file, line and reason
//! for bad input. Broken internal invariants panic; bad input never does.

use std::path::PathBuf;

/// Result alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened, read or written. (The I/O error is part of the message,
    /// not a separate `source`, so that error chains do not print it twice.)
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A record in an input file is malformed.
    #[error("{}:{line}: {reason}", path.display())]
    Parse {
        path: PathBuf,
        line: u64,
        reason: String,
    },
    /// The input holds no records at all.
    #[error("{}: {what}", path.display())]
    Empty { path: PathBuf, what: String },
    /// A compressed stream ended early or is corrupt.
    #[error("{}: corrupt or truncated {format} stream: {detail}", path.display())]
    Compressed {
        path: PathBuf,
        format: &'static str,
        detail: String,
    },
    /// A compressed stream expands beyond the documented limit: a decompression bomb, stopped
    /// before it could fill memory or disk.
    #[error("{}: {format} stream expands more than {limit}× ({produced} bytes out of the first {compressed} compressed): refused as a decompression bomb", path.display())]
    Bomb {
        path: PathBuf,
        format: &'static str,
        compressed: u64,
        produced: u64,
        limit: u64,
    },
    /// A line is longer than any record can be (a stream with no line breaks).
    #[error("{}:{line}: line longer than {limit} bytes; not a line-oriented input", path.display())]
    LineTooLong {
        path: PathBuf,
        line: u64,
        limit: u64,
    },
    /// A parameter is outside its documented range.
    #[error("invalid parameter {name}: {reason}")]
    Param { name: &'static str, reason: String },
    /// An input file whose values, valid one by one, are unusable together (weights that add
    /// up past the largest float, say); `Parse` when the line is known.
    #[error("{}: {reason}", path.display())]
    Invalid { path: PathBuf, reason: String },
    /// Records that must agree do not (e.g. a leaderboard names an account its run lacks).
    #[error("inconsistent records: {0}")]
    Inconsistent(String),
    /// A binary cache file is not usable (wrong version, checksum mismatch, truncated).
    #[error("{}: unusable graph cache: {reason}", path.display())]
    Cache { path: PathBuf, reason: String },
    /// A topic model file is not usable (not a model, other version, truncated, corrupt).
    #[error("{}: unusable topic model: {reason}", path.display())]
    Model { path: PathBuf, reason: String },
    /// The graph is too large for the engine's dense u32 node ids.
    #[error("{}: too many {what} (limit {limit})", path.display())]
    TooLarge {
        path: PathBuf,
        what: &'static str,
        limit: u64,
    },
    /// A network address could not be bound or served.
    #[error("{addr}: {error}")]
    Net {
        addr: std::net::SocketAddr,
        error: std::io::Error,
    },
    /// The run store is missing, not a clout store, of another format version, corrupt, or
    /// could not be read or written.
    #[error("{}: {reason}", path.display())]
    Store { path: PathBuf, reason: String },
    /// A cluster run could not start, lost a process, or was stopped by a process's error.
    #[error(transparent)]
    Cluster(#[from] crate::metrics::cluster::ClusterError),
    /// The sentence-embedding model is missing, broken, or failed.
    #[error(transparent)]
    Embed(#[from] crate::embed::EmbedError),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            error,
        }
    }

    /// A parse error at `line` (1-based) of `path`.
    pub fn parse(path: impl Into<PathBuf>, line: u64, reason: impl Into<String>) -> Self {
        Error::Parse {
            path: path.into(),
            line,
            reason: reason.into(),
        }
    }

    /// A store error about the store at `path`.
    pub fn store(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Error::Store {
            path: path.into(),
            reason: reason.into(),
        }
    }

    /// A parameter outside its range.
    pub fn param(name: &'static str, reason: impl Into<String>) -> Self {
        Error::Param {
            name,
            reason: reason.into(),
        }
    }
}
