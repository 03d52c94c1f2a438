//! Where command output goes: standard output, or a file written atomically (a temporary file
//! in the same directory, renamed into place only when everything was written, with the
//! umask's mode: see `crate::fs`).

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;

/// An output sink. Call [`Output::finish`] to commit; dropping it unfinished leaves no file.
pub enum Output {
    Stdout(BufWriter<io::Stdout>),
    File {
        tmp: BufWriter<tempfile::NamedTempFile>,
        path: PathBuf,
    },
}

impl Output {
    /// Standard output, or a temporary file beside `path`.
    pub fn create(path: Option<&Path>) -> Result<Output> {
        let Some(path) = path else {
            return Ok(Output::Stdout(BufWriter::new(io::stdout())));
        };
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let tmp = crate::fs::temp_file_in(dir, ".clout-tmp-")
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        Ok(Output::File {
            tmp: BufWriter::with_capacity(1 << 20, tmp),
            path: path.to_path_buf(),
        })
    }

    /// Flushes and, for a file, renames it into place.
    pub fn finish(self) -> Result<()> {
        match self {
            Output::Stdout(mut w) => flush_stdout(&mut w),
            Output::File { tmp, path } => {
                let tmp = tmp
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("writing {}", path.display()))?;
                tmp.as_file()
                    .sync_all()
                    .with_context(|| format!("writing {}", path.display()))?;
                tmp.persist(&path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Ok(())
            }
        }
    }
}

/// A closed pipe (`clout … | head`) is not an error worth a message.
fn flush_stdout(w: &mut BufWriter<io::Stdout>) -> Result<()> {
    match w.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("writing standard output"),
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::File { tmp, .. } => tmp.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::File { tmp, .. } => tmp.flush(),
        }
    }
}

/// The flags of every command that prints a ranked listing: how many rows, which format, where.
#[derive(Debug, Args)]
pub struct ListingArgs {
    /// Keep only the K best rows [default: all; 20 for text output].
    #[arg(long, value_name = "K")]
    pub top: Option<usize>,
    /// JSON (the command's help says its shape).
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// CSV with a header.
    #[arg(long)]
    pub csv: bool,
    /// Parquet (with --out): the rows of --csv with their types, for pandas, polars, DuckDB.
    #[arg(long, conflicts_with_all = ["json", "csv"], requires = "out")]
    pub parquet: bool,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// The output format a listing asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Csv,
    Parquet,
}

impl ListingArgs {
    /// The requested format.
    pub fn format(&self) -> Format {
        match (self.json, self.csv, self.parquet) {
            (true, _, _) => Format::Json,
            (_, true, _) => Format::Csv,
            (_, _, true) => Format::Parquet,
            _ => Format::Text,
        }
    }

    /// How many rows to keep: `--top`, else all, but 20 for text meant for a person.
    pub fn top(&self) -> Option<usize> {
        self.top.or((self.format() == Format::Text).then_some(20))
    }

    /// The sink: standard output or the `--out` file.
    pub fn output(&self) -> Result<Output> {
        Output::create(self.out.as_deref())
    }

    /// Writes the listing: with `--parquet` the rows of `table()` to the `--out` file,
    /// otherwise what `write` prints in the asked format (text, JSON or CSV) to the sink.
    pub fn emit(
        &self,
        table: impl FnOnce() -> crate::export::Table,
        write: impl FnOnce(&mut Output, Format) -> Result<()>,
    ) -> Result<()> {
        if self.format() == Format::Parquet {
            let path = self
                .out
                .as_deref()
                .context("--parquet writes a file: give it with --out PATH")?;
            return Ok(table().write_parquet_file(path)?);
        }
        let mut out = self.output()?;
        write(&mut out, self.format())?;
        out.finish()
    }
}

/// The last line of a text listing cut short by `--top`: how many rows of how many were shown.
pub fn showing_footer(out: &mut impl Write, shown: usize, total: usize) -> io::Result<()> {
    if shown < total {
        writeln!(
            out,
            "# showing {shown} of {total} (--top K, or --json / --csv for all)"
        )?;
    }
    Ok(())
}

/// The `clout-timings` JSON line a graph command prints on standard error with `--timings`.
pub fn print_timings(g: &crate::graph::Graph, from_cache: bool, load_s: f64, compute_s: f64) {
    let t = serde_json::json!({
        "load_s": load_s, "from_cache": from_cache, "compute_s": compute_s,
        "nodes": g.num_nodes(), "edges": g.num_edges_as_read(),
    });
    eprintln!("clout-timings {t}");
}

/// The ids of `order`'s nodes as a text column.
pub fn id_column(ids: &crate::ingest::IdMap, order: &[u32]) -> crate::export::Values {
    crate::export::Values::Text(order.iter().map(|&v| ids.name(v).to_string()).collect())
}
