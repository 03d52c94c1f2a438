//! Opens an input file and hands out its bytes: plain files are memory-mapped, gzip and zstd
//! streams (recognised by their magic bytes, never by name) are decompressed in full. A truncated
//! or corrupt stream is an error, not a short input.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use memmap2::Mmap;

use crate::error::{Error, Result};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// How the bytes of a file were stored on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

enum Bytes {
    Mapped(Mmap),
    Owned(Vec<u8>),
}

/// The whole (decompressed) content of one input file.
pub struct Source {
    path: PathBuf,
    bytes: Bytes,
    compression: Compression,
}

impl Source {
    /// Opens `path`, detecting gzip and zstd by magic bytes. An empty file is an error.
    pub fn open(path: &Path) -> Result<Source> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
        if len == 0 {
            return Err(Error::Empty {
                path: path.to_path_buf(),
                what: "file is empty".into(),
            });
        }
        // SAFETY: the map is read-only; a file truncated under us by another process can fault,
        // which is the accepted trade-off of every memory-mapped reader (ripgrep does the same).
        let map = unsafe { Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
        let compression = detect(&map);
        let bytes = match compression {
            Compression::None => Bytes::Mapped(map),
            Compression::Gzip => Bytes::Owned(gunzip(path, &map)?),
            Compression::Zstd => Bytes::Owned(unzstd(path, &map)?),
        };
        Ok(Source {
            path: path.to_path_buf(),
            bytes,
            compression,
        })
    }

    /// Wraps bytes already in memory (tests, fuzzing, standard input).
    pub fn from_bytes(path: impl Into<PathBuf>, bytes: Vec<u8>) -> Source {
        Source {
            path: path.into(),
            bytes: Bytes::Owned(bytes),
            compression: Compression::None,
        }
    }

    /// The file this came from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The decompressed bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.bytes {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }

    /// Tells the system that `part` (a sub-slice of [`Source::bytes`]) has been read and its
    /// pages may leave this process's memory; reading it again faults them back in from the page
    /// cache. Lets a parser of a large plain file keep only the part in flight resident.
    pub fn release(&self, part: &[u8]) {
        if let Bytes::Mapped(map) = &self.bytes {
            let offset = (part.as_ptr() as usize).wrapping_sub(map.as_ptr() as usize);
            if offset <= map.len() && part.len() <= map.len() - offset {
                // SAFETY: a read-only, shared file mapping: MADV_DONTNEED only drops our page
                // table entries, and the next read sees the same file contents again.
                let _ = unsafe {
                    map.unchecked_advise_range(
                        memmap2::UncheckedAdvice::DontNeed,
                        offset,
                        part.len(),
                    )
                };
            }
        }
    }

    /// How the file was compressed on disk.
    pub fn compression(&self) -> Compression {
        self.compression
    }
}

/// Recognises a compressed stream by its first bytes.
pub fn detect(bytes: &[u8]) -> Compression {
    if bytes.starts_with(&GZIP_MAGIC) {
        Compression::Gzip
    } else if bytes.starts_with(&ZSTD_MAGIC) {
        Compression::Zstd
    } else {
        Compression::None
    }
}

fn gunzip(path: &Path, data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len().saturating_mul(4));
    flate2::read::MultiGzDecoder::new(data)
        .read_to_end(&mut out)
        .map_err(|e| Error::Compressed {
            path: path.to_path_buf(),
            format: "gzip",
            detail: e.to_string(),
        })?;
    Ok(out)
}

fn unzstd(path: &Path, data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len().saturating_mul(4));
    let compressed = |e: std::io::Error| Error::Compressed {
        path: path.to_path_buf(),
        format: "zstd",
        detail: e.to_string(),
    };
    zstd::stream::read::Decoder::new(data)
        .map_err(compressed)?
        .read_to_end(&mut out)
        .map_err(compressed)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    fn write_tmp(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    #[test]
    fn gzip_and_zstd_are_detected_by_magic_not_name() {
        let text = b"1 2\n2 3\n".repeat(1000);
        let f = write_tmp(&gz(&text));
        let s = Source::open(f.path()).unwrap();
        assert_eq!(s.compression(), Compression::Gzip);
        assert_eq!(s.bytes(), &text[..]);
        let f = write_tmp(&zstd::encode_all(&text[..], 3).unwrap());
        let s = Source::open(f.path()).unwrap();
        assert_eq!(s.compression(), Compression::Zstd);
        assert_eq!(s.bytes(), &text[..]);
    }

    #[test]
    fn truncated_streams_are_errors() {
        let text: Vec<u8> = (0..200_000u32)
            .flat_map(|i| format!("{i} {}\n", i * 7).into_bytes())
            .collect();
        let full = gz(&text);
        let f = write_tmp(&full[..full.len() / 2]);
        let err = Source::open(f.path())
            .err()
            .expect("truncated gzip must fail");
        assert!(
            matches!(err, Error::Compressed { format: "gzip", .. }),
            "{err}"
        );
        // Only the 8-byte trailer (CRC + length) missing: still an error.
        let f = write_tmp(&full[..full.len() - 4]);
        assert!(Source::open(f.path()).is_err());
        let z = zstd::encode_all(&text[..], 3).unwrap();
        let f = write_tmp(&z[..z.len() - 3]);
        let err = Source::open(f.path())
            .err()
            .expect("truncated zstd must fail");
        assert!(
            matches!(err, Error::Compressed { format: "zstd", .. }),
            "{err}"
        );
    }

    #[test]
    fn empty_and_missing_files_are_clear_errors() {
        let f = write_tmp(b"");
        let msg = Source::open(f.path()).err().unwrap().to_string();
        assert!(msg.contains("empty"), "{msg}");
        let msg = Source::open(Path::new("/no/such/file.txt"))
            .err()
            .unwrap()
            .to_string();
        assert!(msg.contains("/no/such/file.txt"), "{msg}");
    }
}
