//! `clout export --store FILE --out DIR`: the stored runs as Parquet tables (runs, accounts,
//! leaderboards, history) for pandas, polars and DuckDB. The tables are the library's
//! (`export::store`); this file parses flags and says what was written.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::run::StoreArg;
use crate::report::safe::terminal;
use crate::store::Store;

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub store: StoreArg,
    /// Directory to write `runs.parquet`, `accounts.parquet`, `leaderboards.parquet` and
    /// `history.parquet` into (created if missing; each file written atomically).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(args: ExportArgs, quiet: bool) -> Result<()> {
    let store = Store::open(&args.store.path())?;
    let written = crate::export::store::export(&store, &args.out)?;
    if !quiet {
        for (path, rows) in written {
            eprintln!(
                "clout: wrote {} ({rows} rows)",
                terminal(&path.display().to_string())
            );
        }
    }
    Ok(())
}
