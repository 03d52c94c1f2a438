//! `clout serve`: load the latest run of a store into memory and answer the HTTP API (see
//! `clout::api`) until the process is stopped.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;

use super::run::StoreArg;
use super::Progress;
use crate as clout;
use clout::api::{ServeConfig, Snapshot};
use clout::store::Store;

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArg,
    /// Address to listen on: loopback unless told otherwise; port 0 picks a free port.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Worker threads answering requests.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub workers: usize,
}

pub fn run(args: ServeArgs, progress: Progress) -> Result<()> {
    anyhow::ensure!(args.workers >= 1, "--workers must be at least 1");
    let path = args.store.path();
    let store = Store::open(&path)?;
    let spinner = progress.spinner(&format!("loading {}", path.display()));
    let snapshot = Snapshot::load(&store);
    spinner.finish_and_clear();
    let snapshot = snapshot?.with_context(|| {
        format!(
            "{}: the store holds no run yet (run `clout run DIR --store {}` first)",
            path.display(),
            path.display()
        )
    })?;
    let summary = format!(
        "{} accounts, {} topic leaderboards",
        snapshot.accounts().len(),
        snapshot.leaderboards().len()
    );
    let config = ServeConfig {
        addr: args.addr,
        workers: args.workers,
        ..ServeConfig::default()
    };
    let server = clout::api::start(Arc::new(snapshot), &config)?;
    let mut out = std::io::stdout();
    writeln!(out, "clout serve: http://{} ({summary})", server.addr())?;
    out.flush()?;
    server.wait();
    Ok(())
}
