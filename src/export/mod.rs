//! Tables out: typed columns ([`Table`]) written as Parquet with arrow-rs, for pandas, polars
//! and DuckDB; and a run store's contents as such tables ([`store`]). What a table holds is
//! decided by its producer; this module only carries and writes it.

pub mod scores;
pub mod store;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray, UInt32Array,
};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::error::{Error, Result};

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Text(Vec<String>),
    Float(Vec<f64>),
    /// Floats that may be missing (a change before the data begins, say).
    OptFloat(Vec<Option<f64>>),
    Int(Vec<i64>),
    OptInt(Vec<Option<i64>>),
    Count(Vec<u32>),
    Flag(Vec<bool>),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::Float(v) => v.len(),
            Values::OptFloat(v) => v.len(),
            Values::Int(v) => v.len(),
            Values::OptInt(v) => v.len(),
            Values::Count(v) => v.len(),
            Values::Flag(v) => v.len(),
        }
    }

    fn arrow(&self) -> (DataType, bool, ArrayRef) {
        match self {
            Values::Text(v) => (
                DataType::Utf8,
                false,
                Arc::new(StringArray::from_iter_values(v)),
            ),
            Values::Float(v) => (
                DataType::Float64,
                false,
                Arc::new(Float64Array::from(v.clone())),
            ),
            Values::OptFloat(v) => (
                DataType::Float64,
                true,
                Arc::new(Float64Array::from(v.clone())),
            ),
            Values::Int(v) => (
                DataType::Int64,
                false,
                Arc::new(Int64Array::from(v.clone())),
            ),
            Values::OptInt(v) => (DataType::Int64, true, Arc::new(Int64Array::from(v.clone()))),
            Values::Count(v) => (
                DataType::UInt32,
                false,
                Arc::new(UInt32Array::from(v.clone())),
            ),
            Values::Flag(v) => (
                DataType::Boolean,
                false,
                Arc::new(BooleanArray::from(v.clone())),
            ),
        }
    }
}

/// Named columns of equal length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<(String, Values)>,
}

impl Table {
    /// Adds a column (all columns must end up the same length).
    pub fn push(&mut self, name: impl Into<String>, values: Values) -> &mut Self {
        self.columns.push((name.into(), values));
        self
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, v)| v.len())
    }

    /// Writes the table as one Parquet file (Snappy-compressed) to `out`.
    pub fn write_parquet<W: Write + Send>(&self, out: W) -> Result<()> {
        if let Some((name, v)) = self.columns.iter().find(|(_, v)| v.len() != self.rows()) {
            return Err(Error::Inconsistent(format!(
                "column {name} has {} rows, the table {}",
                v.len(),
                self.rows()
            )));
        }
        let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = self
            .columns
            .iter()
            .map(|(name, v)| {
                let (t, nullable, a) = v.arrow();
                (Field::new(name, t, nullable), a)
            })
            .unzip();
        let schema = Arc::new(Schema::new(fields));
        let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(parquet_error)?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let mut w = ArrowWriter::try_new(out, schema, Some(props)).map_err(parquet_error)?;
        w.write(&batch).map_err(parquet_error)?;
        w.close().map_err(parquet_error)?;
        Ok(())
    }

    /// Writes the table as Parquet to `path` atomically (a temporary file beside it, renamed
    /// when complete).
    pub fn write_parquet_file(&self, path: &Path) -> Result<()> {
        let io = |error| Error::Io {
            path: path.to_path_buf(),
            error,
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = crate::fs::temp_file_in(dir, ".clout-parquet-").map_err(io)?;
        self.write_parquet(std::io::BufWriter::new(tmp.as_file()))
            .map_err(|e| Error::Invalid {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist(path).map_err(|e| io(e.error))?;
        Ok(())
    }
}

fn parquet_error(e: impl std::fmt::Display) -> Error {
    Error::Inconsistent(format!("writing Parquet: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    /// A table written and read back by arrow-rs's own reader: the same types and values.
    #[test]
    fn round_trip_through_the_parquet_reader() {
        let mut t = Table::default();
        t.push(
            "id",
            Values::Text(vec!["a".into(), "=b".into(), "ç".into()]),
        )
        .push("x", Values::Float(vec![0.5, -1.0, 1e-300]))
        .push("d", Values::OptFloat(vec![Some(1.0), None, Some(2.0)]))
        .push("n", Values::Count(vec![1, 2, 3]));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        t.write_parquet_file(&path).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let mut r = ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap();
        let b = r.next().unwrap().unwrap();
        assert_eq!(b.num_rows(), 3);
        let ids = b.column(0).as_any().downcast_ref::<StringArray>().unwrap();
        assert_eq!(
            ids.value(1),
            "=b",
            "text stays as is: Parquet cells are not formulas"
        );
        let d = b.column(2).as_any().downcast_ref::<Float64Array>().unwrap();
        assert!(d.is_null(1) && d.value(2) == 2.0);
        let x = b.column(1).as_any().downcast_ref::<Float64Array>().unwrap();
        assert_eq!(x.value(2), 1e-300);
    }

    #[test]
    fn unequal_columns_are_refused() {
        let mut t = Table::default();
        t.push("a", Values::Int(vec![1, 2]))
            .push("b", Values::Int(vec![1]));
        let err = t.write_parquet(Vec::new()).unwrap_err().to_string();
        assert!(err.contains("column b has 1 rows"), "{err}");
    }
}
