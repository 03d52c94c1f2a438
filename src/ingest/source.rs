//! Opens an input file and hands out its content as a stream: plain files are memory-mapped
//! and handed out whole (the parsers cut them into parallel chunks); gzip and zstd streams
//! (recognised by their magic bytes, never by name) are decompressed as they are read, in
//! blocks of complete lines, so memory holds one block and never the decompressed file.
//! Decoding and the bomb limit are [`super::decode`]'s. A truncated or corrupt stream is an
//! error, not a short input.

use std::fs::File;
use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use memmap2::Mmap;

use super::decode::{unwrap_io, Decoder};
use crate::error::{Error, Result};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// Decompressed bytes handed to a parser at once (then parsed in parallel chunks).
pub const BLOCK: usize = 16 << 20;

/// The longest line a compressed input may hold (a longer one has no business in a
/// line-oriented format, and would otherwise grow the block without bound).
pub const MAX_LINE: usize = 64 << 20;

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

/// One input file, opened: its bytes as stored, read through a decoder when compressed.
pub struct Source {
    path: PathBuf,
    bytes: Bytes,
    compression: Compression,
    block: usize,
}

/// Whether a visitor wants more.
pub type Flow = ControlFlow<()>;

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
        Ok(Source {
            path: path.to_path_buf(),
            compression: detect(&map),
            bytes: Bytes::Mapped(map),
            block: BLOCK,
        })
    }

    /// Wraps bytes already in memory (tests, fuzzing, standard input); compressed bytes are
    /// recognised as in a file.
    pub fn from_bytes(path: impl Into<PathBuf>, bytes: Vec<u8>) -> Source {
        Source {
            path: path.into(),
            compression: detect(&bytes),
            bytes: Bytes::Owned(bytes),
            block: BLOCK,
        }
    }

    /// The same source handing out decompressed blocks of about `block` bytes (tests use small
    /// blocks to exercise the block joins).
    pub fn with_block_size(mut self, block: usize) -> Source {
        self.block = block.max(1);
        self
    }

    /// The file this came from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How the file was compressed on disk.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// The bytes as stored (compressed, if the file is).
    fn stored(&self) -> &[u8] {
        match &self.bytes {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }

    /// The size of the file as stored.
    pub fn stored_len(&self) -> u64 {
        self.stored().len() as u64
    }

    /// A decoder of the stored bytes; `None` when they are not compressed.
    fn decoder(&self) -> Result<Option<Decoder<'_>>> {
        Ok(match self.compression {
            Compression::None => None,
            Compression::Gzip => Some(Decoder::gzip(&self.path, self.stored())),
            Compression::Zstd => Some(Decoder::zstd(&self.path, self.stored())?),
        })
    }

    /// The decompressed content as a reader (errors it raises carry [`Error`]s: turn them back
    /// with [`super::decode::unwrap_io`]).
    pub fn reader(&self) -> Result<Box<dyn Read + '_>> {
        Ok(match self.decoder()? {
            None => Box::new(strip_bom(self.stored())),
            Some(d) => {
                let mut r = std::io::BufReader::new(d);
                let head =
                    std::io::BufRead::fill_buf(&mut r).map_err(|e| unwrap_io(&self.path, e))?;
                if head.starts_with(BOM) {
                    std::io::BufRead::consume(&mut r, BOM.len());
                }
                Box::new(r)
            }
        })
    }

    /// The first `max` decompressed bytes (fewer when the content is shorter), to recognise
    /// a format.
    pub fn head(&self, max: usize) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(max.min(1 << 20));
        self.reader()?
            .take(max as u64)
            .read_to_end(&mut out)
            .map_err(|e| unwrap_io(&self.path, e))?;
        Ok(out)
    }

    /// Hands the decompressed content to `f` in file order, as blocks that end just after a
    /// newline (the last may end without one): a plain file in one block, its pages mapped;
    /// a compressed one in blocks of about the block size, decompressed one at a time. `f`
    /// may stop the walk early.
    pub fn blocks(&self, mut f: impl FnMut(&[u8]) -> Result<Flow>) -> Result<()> {
        match self.decoder()? {
            None => f(strip_bom(self.stored())).map(drop),
            Some(mut d) => self.stream_blocks(&mut d, &mut f),
        }
    }

    fn stream_blocks(
        &self,
        dec: &mut Decoder<'_>,
        f: &mut impl FnMut(&[u8]) -> Result<Flow>,
    ) -> Result<()> {
        let mut buf: Vec<u8> = Vec::with_capacity(self.block.min(BLOCK) + (1 << 16));
        let mut target = self.block;
        let mut lines_before = 0u64;
        let mut first = true;
        // The first block without a byte-order mark.
        let mut start = |buf: &[u8]| -> usize {
            let skip = if first && buf.starts_with(BOM) {
                BOM.len()
            } else {
                0
            };
            first = false;
            skip
        };
        loop {
            let want = target.saturating_sub(buf.len()) as u64;
            let n = dec
                .by_ref()
                .take(want)
                .read_to_end(&mut buf)
                .map_err(|e| unwrap_io(&self.path, e))?;
            if (n as u64) < want {
                let from = start(&buf);
                if buf.len() > from {
                    let _ = f(&buf[from..])?;
                }
                return Ok(());
            }
            match memchr::memrchr(b'\n', &buf) {
                Some(i) => {
                    let from = start(&buf);
                    if f(&buf[from..=i])?.is_break() {
                        return Ok(());
                    }
                    lines_before += memchr::memchr_iter(b'\n', &buf[..=i]).count() as u64;
                    buf.drain(..=i);
                    target = self.block;
                }
                None if buf.len() >= MAX_LINE => {
                    return Err(Error::LineTooLong {
                        path: self.path.clone(),
                        line: lines_before + 1,
                        limit: MAX_LINE as u64,
                    })
                }
                None => target = buf.len() + self.block,
            }
        }
    }

    /// Hands every line to `f` with its 1-based number, without its `\n` (a `\r` before it
    /// stays); a final newline ends the last line rather than starting an empty one.
    pub fn lines(&self, mut f: impl FnMut(u64, &[u8]) -> Result<Flow>) -> Result<()> {
        let mut n = 0u64;
        self.blocks(|block| {
            for line in split_lines(block) {
                n += 1;
                if f(n, line)?.is_break() {
                    return Ok(Flow::Break(()));
                }
            }
            Ok(Flow::Continue(()))
        })
    }

    /// Tells the system that `part` (a sub-slice of a block of a plain file) has been read and
    /// its pages may leave this process's memory; reading it again faults them back in from
    /// the page cache. Lets a parser of a large plain file keep only the part in flight
    /// resident. Does nothing for other blocks.
    pub fn release(&self, part: &[u8]) {
        if let Bytes::Mapped(map) = &self.bytes {
            if self.compression != Compression::None {
                return;
            }
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
}

/// The UTF-8 byte-order mark, which some tools (Excel, PowerShell) put before text; every
/// reader sees the content without it.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `bytes` without a leading byte-order mark.
fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// The lines of a block: split at `\n`, a final `\n` ending the last line.
pub fn split_lines(block: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = block.strip_suffix(b"\n").unwrap_or(block);
    body.split(|&c| c == b'\n')
        .take(if block.is_empty() { 0 } else { usize::MAX })
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

    /// The decompressed content, block by block, checking that each block ends a line.
    fn content(s: &Source) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut ended = true;
        s.blocks(|b| {
            assert!(ended, "a block after one that did not end a line");
            ended = b.ends_with(b"\n");
            out.extend_from_slice(b);
            Ok(Flow::Continue(()))
        })?;
        Ok(out)
    }

    #[test]
    fn gzip_and_zstd_are_detected_by_magic_not_name() {
        let text = b"1 2\n2 3\n".repeat(1000);
        let f = write_tmp(&gz(&text));
        let s = Source::open(f.path()).unwrap();
        assert_eq!(s.compression(), Compression::Gzip);
        assert_eq!(content(&s).unwrap(), text);
        let f = write_tmp(&zstd::encode_all(&text[..], 3).unwrap());
        let s = Source::open(f.path()).unwrap();
        assert_eq!(s.compression(), Compression::Zstd);
        assert_eq!(content(&s).unwrap(), text);
    }

    #[test]
    fn small_blocks_cut_at_line_ends_and_keep_every_byte() {
        let text: Vec<u8> = (0..5_000u32)
            .flat_map(|i| format!("{i} {}\n", "x".repeat(i as usize % 300)).into_bytes())
            .chain(*b"last line without newline")
            .collect();
        for block in [1, 7, 100, 4096] {
            let s = Source::from_bytes("t.gz", gz(&text)).with_block_size(block);
            assert_eq!(content(&s).unwrap(), text, "block {block}");
        }
        let s = Source::from_bytes("t.gz", gz(&text)).with_block_size(100);
        let mut last = (0, Vec::new());
        s.lines(|n, l| {
            last = (n, l.to_vec());
            Ok(Flow::Continue(()))
        })
        .unwrap();
        assert_eq!(last, (5_001, b"last line without newline".to_vec()));
    }

    #[test]
    fn a_byte_order_mark_is_stripped_everywhere() {
        let text = b"src,dst\na,b\n".to_vec();
        let with_bom: Vec<u8> = BOM.iter().chain(&text).copied().collect();
        for block in [1, 4096] {
            for s in [
                Source::from_bytes("t", with_bom.clone()),
                Source::from_bytes("t.gz", gz(&with_bom)).with_block_size(block),
            ] {
                assert_eq!(content(&s).unwrap(), text);
                let mut read = Vec::new();
                s.reader().unwrap().read_to_end(&mut read).unwrap();
                assert_eq!(read, text);
                assert_eq!(s.head(3).unwrap(), b"src");
            }
        }
        // Only at the very start: a BOM inside a line is content.
        let inner = b"a \xEF\xBB\xBFb\n".to_vec();
        assert_eq!(
            content(&Source::from_bytes("t", inner.clone())).unwrap(),
            inner
        );
    }

    #[test]
    fn truncated_streams_are_errors() {
        let text: Vec<u8> = (0..200_000u32)
            .flat_map(|i| format!("{i} {}\n", i * 7).into_bytes())
            .collect();
        let full = gz(&text);
        let s = Source::from_bytes("t.gz", full[..full.len() / 2].to_vec());
        let err = content(&s).expect_err("truncated gzip must fail");
        assert!(
            matches!(err, Error::Compressed { format: "gzip", .. }),
            "{err}"
        );
        // Only the 8-byte trailer (CRC + length) missing: still an error.
        let s = Source::from_bytes("t.gz", full[..full.len() - 4].to_vec());
        assert!(content(&s).is_err());
        let z = zstd::encode_all(&text[..], 3).unwrap();
        let s = Source::from_bytes("t.zst", z[..z.len() - 3].to_vec());
        let err = content(&s).expect_err("truncated zstd must fail");
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

    #[test]
    fn a_line_without_end_is_refused_at_the_limit() {
        // 70 MiB of letters (about 2:1 compressible, no bomb), no newline: too long a line.
        let mut x = 1u32;
        let letters: Vec<u8> = (0..1 << 20)
            .map(|_| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                b'a' + (x >> 28) as u8
            })
            .collect();
        let s = Source::from_bytes("junk.gz", gz(&letters).repeat(70));
        let err = content(&s).unwrap_err();
        assert!(matches!(err, Error::LineTooLong { line: 1, .. }), "{err}");
    }
}
