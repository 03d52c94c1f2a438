//! `clout generate`: synthetic inputs (the Graph500 Kronecker graph).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;

use super::{Output, Progress};
use crate::generate::KroneckerParams;

#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Graph500 R-MAT graph (a=0.57, b=0.19, c=0.19, ids permuted), directed, `src dst` lines.
    Kronecker {
        /// 2^SCALE vertices.
        #[arg(long)]
        scale: u32,
        /// Edges per vertex.
        #[arg(long, default_value_t = 16)]
        edge_factor: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (written atomically); standard output if absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

pub fn run(cmd: GenerateCommand, progress: Progress) -> Result<()> {
    match cmd {
        GenerateCommand::Kronecker {
            scale,
            edge_factor,
            seed,
            out,
        } => {
            let k = KroneckerParams {
                scale,
                edge_factor,
                seed,
            }
            .check()?;
            let mut sink = Output::create(out.as_deref())?;
            let m = k.num_edges();
            let bar = progress.steps("generating edges", m);
            const BATCH: u64 = 1 << 22;
            let mut start = 0;
            while start < m {
                let end = (start + BATCH).min(m);
                sink.write_all(&k.write_text(start..end))?;
                bar.set_position(end);
                start = end;
            }
            bar.finish_and_clear();
            sink.finish()
        }
    }
}
