//! The cluster backend's errors: a bad hostfile or process index, a peer that cannot be reached
//! or is lost mid-run, another process's failure, an input or checkpoint it cannot use.

use std::path::PathBuf;

/// Everything that can stop a cluster run besides the input's own errors.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// A line of the hostfile is not `host:port`, or repeats another.
    #[error("{}:{line}: {reason}", path.display())]
    Hostfile {
        path: PathBuf,
        line: u64,
        reason: String,
    },
    /// `--process` names no line of the hostfile.
    #[error("--process {index} is out of range: {} lists {count} processes (0 to {})", path.display(), count - 1)]
    ProcessOutOfRange {
        index: usize,
        count: usize,
        path: PathBuf,
    },
    /// A peer could not be reached, or answered as something else.
    #[error("process {process} ({addr}): {reason}")]
    Connect {
        process: usize,
        addr: String,
        reason: String,
    },
    /// A peer's connection broke during the run (the process died or its machine went away).
    #[error("lost process {process} ({addr}): {reason}; stopped")]
    PeerLost {
        process: usize,
        addr: String,
        reason: String,
    },
    /// Another process failed, and said why.
    #[error("process {process} failed: {message}")]
    Remote { process: usize, message: String },
    /// The input is not something the cluster backend reads.
    #[error("{}: {reason}", path.display())]
    Input { path: PathBuf, reason: String },
    /// A checkpoint could not be written, or read back.
    #[error("{}: checkpoint: {reason}", path.display())]
    Checkpoint { path: PathBuf, reason: String },
    /// The dataflow engine failed to start.
    #[error("timely dataflow: {0}")]
    Engine(String),
}
