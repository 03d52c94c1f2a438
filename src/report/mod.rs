//! Reports: a ranked influencer report for one topic of a stored run, as one self-contained HTML
//! page with SVG charts, Markdown, CSV or JSON. Computes nothing: [`ReportData`] gathers the
//! run's records (see [`ReportData::assemble`], or [`from_store`]), the renderers only format them, and the same
//! records always give the same bytes.

pub mod badges;
pub mod campaign;
mod csv;
mod data;
mod html;
mod json;
mod load;
pub(crate) mod md;
mod parquet;
pub mod safe;
mod svg;
mod topic;
mod why;

use std::fmt;
use std::str::FromStr;

pub use data::{histogram, Bin, ReportData, ReportEntry, ReportParts, MAX_EVIDENCE};
pub use html::escape as escape_html;
pub use load::{from_store, stored_board, StoredBoard};
pub use topic::find_topic;

use crate::error::{Error, Result};

/// A report's output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Md,
    Csv,
    Json,
    /// Binary: needs `--out`.
    Parquet,
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Format> {
        match s.to_ascii_lowercase().as_str() {
            "html" => Ok(Format::Html),
            "md" | "markdown" => Ok(Format::Md),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            "parquet" => Ok(Format::Parquet),
            _ => Err(Error::param(
                "format",
                format!("unknown report format {s:?}; expected html, md, csv, json or parquet"),
            )),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Html => "html",
            Format::Md => "md",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Parquet => "parquet",
        })
    }
}

/// Renders `data` in `format`.
pub fn render(data: &ReportData, format: Format) -> Vec<u8> {
    match format {
        Format::Html => html::render(data).into_bytes(),
        Format::Md => md::render(data).into_bytes(),
        Format::Csv => csv::render(data),
        Format::Json => json::render(data),
        Format::Parquet => parquet::render(data),
    }
}
