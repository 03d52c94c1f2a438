//! `clout badges ACCOUNT`: an account's achievements in a stored run (the latest, or the one
//! at `--as-of`), each with its level and the numbers that earned it, as text or JSON.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::run::StoreArg;
use super::Output;
use crate::ingest::time::format_time;
use crate::report::badges::{self, Achievements, DEFINITIONS};
use crate::report::safe::terminal;
use crate::store::Store;

#[derive(Debug, Args)]
pub struct BadgesArgs {
    /// The account id, as in the inputs of `clout run` (exact, else ignoring case when
    /// unambiguous).
    pub account: String,
    #[command(flatten)]
    pub store: StoreArg,
    /// The run: Unix seconds or ISO 8601 [default: the latest run].
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// One JSON object: `{"account":…,"as_of":…,"badges":[{"id":…,"name":…,"level":L,
    /// "levels":N,"value":V,"threshold":T,"next":T|null,"why":…}]}`.
    #[arg(long)]
    pub json: bool,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// Runs `clout badges`.
pub fn run(args: BadgesArgs) -> Result<()> {
    let as_of = super::run::stored_as_of(args.as_of.as_deref())?;
    let store = Store::open(&args.store.path())?;
    let a = badges::from_store(&store, &args.account, as_of)?;
    let bytes = if args.json {
        let mut v = serde_json::to_vec(&a)?;
        v.push(b'\n');
        v
    } else {
        text(&a).into_bytes()
    };
    let mut out = Output::create(args.out.as_deref())?;
    out.write_all(&bytes).context("writing the badges")?;
    out.finish()
}

/// One line per earned badge, then the badges not earned with their first level.
fn text(a: &Achievements) -> String {
    let mut s = format!(
        "Achievements of {} as of {}:\n",
        terminal(&a.account),
        format_time(a.as_of)
    );
    if a.badges.is_empty() {
        s.push_str("  none yet\n");
    }
    for b in &a.badges {
        s.push_str(&format!(
            "  {:<22} level {}/{}  {}\n",
            b.name,
            b.level,
            b.levels,
            terminal(&b.why)
        ));
    }
    let missing: Vec<String> = DEFINITIONS
        .iter()
        .filter(|d| a.badges.iter().all(|b| b.id != d.id))
        .map(|d| format!("{} ({} ≥ {})", d.name, d.counts, d.levels[0]))
        .collect();
    if !missing.is_empty() {
        s.push_str(&format!("Not yet: {}\n", missing.join("; ")));
    }
    s
}
