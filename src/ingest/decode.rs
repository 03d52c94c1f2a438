//! Streaming decompression of gzip (also multi-member) and zstd (windows up to 2^31, as
//! Reddit's Pushshift dumps use) with a guard against decompression bombs. Owns the decoders and
//! the expansion limit; cutting the stream into lines is [`super::source`]'s.

use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The largest expansion accepted: decompressed bytes per compressed byte. Real text
/// compresses 3–20× (highly repetitive logs rarely beyond 100×); deflate cannot exceed ~1032×,
/// so only bombs of zeros or repeated junk come past it.
pub const MAX_EXPANSION: u64 = 1000;

/// The expansion is checked once this many bytes have come out, so that small, very
/// compressible files are never refused.
pub const MIN_CHECKED_OUTPUT: u64 = 32 << 20;

/// The zstd window limit: 2^31 bytes, the `--long=31` of Pushshift's Reddit dumps.
const ZSTD_WINDOW_LOG_MAX: u32 = 31;

enum Inner<'a> {
    Gzip(Box<flate2::bufread::MultiGzDecoder<Cursor<&'a [u8]>>>),
    Zstd(Box<zstd::stream::read::Decoder<'a, Cursor<&'a [u8]>>>),
}

/// A decompressing reader over a compressed file's bytes that stops with
/// [`Error::Bomb`] when the output outgrows [`MAX_EXPANSION`] times the input consumed.
pub struct Decoder<'a> {
    inner: Inner<'a>,
    path: PathBuf,
    out: u64,
}

impl<'a> Decoder<'a> {
    /// A gzip decoder over `data`.
    pub fn gzip(path: &Path, data: &'a [u8]) -> Decoder<'a> {
        let inner = Inner::Gzip(Box::new(flate2::bufread::MultiGzDecoder::new(Cursor::new(
            data,
        ))));
        Decoder::new(path, inner)
    }

    /// A zstd decoder over `data`, accepting windows up to 2^31 bytes.
    pub fn zstd(path: &Path, data: &'a [u8]) -> crate::error::Result<Decoder<'a>> {
        let mut d = zstd::stream::read::Decoder::with_buffer(Cursor::new(data))
            .map_err(|e| corrupt(path, "zstd", e))?;
        d.window_log_max(ZSTD_WINDOW_LOG_MAX)
            .map_err(|e| corrupt(path, "zstd", e))?;
        Ok(Decoder::new(path, Inner::Zstd(Box::new(d))))
    }

    fn new(path: &Path, inner: Inner<'a>) -> Decoder<'a> {
        Decoder {
            inner,
            path: path.to_path_buf(),
            out: 0,
        }
    }

    /// The name of the compression format.
    pub fn format(&self) -> &'static str {
        match self.inner {
            Inner::Gzip(_) => "gzip",
            Inner::Zstd(_) => "zstd",
        }
    }

    /// Compressed bytes consumed so far.
    fn consumed(&self) -> u64 {
        match &self.inner {
            Inner::Gzip(d) => d.get_ref().position(),
            Inner::Zstd(d) => d.get_ref().position(),
        }
    }

    /// Decompressed bytes produced so far.
    pub fn produced(&self) -> u64 {
        self.out
    }

    /// Reads into `buf`, as [`Read::read`], with this library's errors.
    pub fn read_some(&mut self, buf: &mut [u8]) -> crate::error::Result<usize> {
        let n = match &mut self.inner {
            Inner::Gzip(d) => d.read(buf),
            Inner::Zstd(d) => d.read(buf),
        }
        .map_err(|e| corrupt(&self.path, self.format(), e))?;
        self.out += n as u64;
        let consumed = self.consumed().max(1);
        if self.out > MIN_CHECKED_OUTPUT && self.out / consumed > MAX_EXPANSION {
            return Err(Error::Bomb {
                path: self.path.clone(),
                format: self.format(),
                compressed: consumed,
                produced: self.out,
                limit: MAX_EXPANSION,
            });
        }
        Ok(n)
    }
}

impl Read for Decoder<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.read_some(buf).map_err(io::Error::other)
    }
}

/// The library error inside an I/O error raised by a [`Decoder`], if it is one.
pub fn unwrap_io(path: &Path, e: io::Error) -> Error {
    if !e.get_ref().is_some_and(|inner| inner.is::<Error>()) {
        return Error::io(path, e);
    }
    let inner = e.into_inner().expect("checked to hold an error");
    *inner
        .downcast::<Error>()
        .expect("checked to be a library error")
}

fn corrupt(path: &Path, format: &'static str, e: io::Error) -> Error {
    Error::Compressed {
        path: path.to_path_buf(),
        format,
        detail: e.to_string(),
    }
}
