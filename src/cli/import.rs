//! `clout import FILES… --out DIR`: platform files (recognised by content) into clout's own
//! files, through the same library path `clout run` takes; prints what was read and written.
//! A failed import leaves `--out` as it was (a directory it created is removed again).

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use crate::ingest::platform::import;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Platform files (Bluesky Jetstream, …), plain, .gz or .zst, any names; read in order,
    /// so a later file may delete what an earlier one made.
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,
    /// The directory to write interactions.txt, posts.jsonl and follows.txt into (created if
    /// missing; files there of those names are replaced, and only when the whole import
    /// succeeds).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Skip malformed records (reported by kind) instead of failing.
    #[arg(long)]
    pub lenient: bool,
}

pub fn run(args: ImportArgs, quiet: bool) -> Result<()> {
    let created = !args.out.exists();
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let imported = match import(&args.files, &args.out, args.lenient) {
        Ok(imported) => imported,
        Err(e) => {
            if created {
                // Empty, as the import staged its files there and dropped them.
                let _ = std::fs::remove_dir(&args.out);
            }
            return Err(e.into());
        }
    };
    for (path, platform, skips) in &imported.files {
        if skips.total() > 0 {
            eprintln!("clout: {}: {skips}", path.display());
        }
        if !quiet {
            eprintln!("clout: read {} as {}", path.display(), platform.describe());
        }
    }
    let c = imported.written.counts;
    if c.unresolved > 0 {
        eprintln!(
            "clout: {}",
            crate::pipeline::run::unresolved_note(c.unresolved)
        );
    }
    if !quiet {
        eprintln!(
            "clout: wrote {} interactions, {} posts, {} follows into {}",
            c.interactions,
            c.posts,
            c.follows,
            args.out.display()
        );
    }
    Ok(())
}
