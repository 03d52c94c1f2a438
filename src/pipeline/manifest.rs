//! What a run read, file by file (size, digest, records, latest record time), kept with the
//! run in the store; and, hashed in the same pass, the digest of each file's first bytes at
//! the sizes a stored run saw, so that a later run can tell a file that only grew from one
//! that changed.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use xxhash_rust::xxh3::Xxh3;

use crate::error::{Error, Result};
use crate::ingest::dataset::Dataset;
use crate::store::InputFile;

/// A file's first `size` bytes as a stored run saw them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefix {
    pub digest: String,
    /// Whether those bytes end a line (or are empty): only then are the records read from
    /// them the first records read from the whole file.
    pub whole_lines: bool,
}

/// The input files of a run, hashed.
#[derive(Debug, Clone)]
pub struct Hashed {
    /// Every input file, in the dataset's order.
    pub files: Vec<InputFile>,
    /// xxh3-128 over every file's name and bytes, in that order (the run's `input_digest`).
    pub digest: String,
    /// `(file name, size)` → the file's first `size` bytes, for each size asked for.
    pub prefixes: BTreeMap<(String, u64), Prefix>,
    /// Files that can be compared only whole, not by their first bytes: compressed ones (by
    /// content, as they are read), and those the caller adds (CSV tables, whose quoted fields
    /// may span lines).
    pub whole_only: BTreeSet<String>,
}

impl Hashed {
    /// The file named `name`, if it is an input.
    pub fn file(&self, name: &str) -> Option<&InputFile> {
        self.files.iter().find(|f| f.name == name)
    }

    /// Marks the file of `role` as comparable only whole.
    pub fn whole_only(&mut self, role: &str) {
        if let Some(f) = self.files.iter().find(|f| f.role == role) {
            self.whole_only.insert(f.name.clone());
        }
    }

    /// Records the records read from the file of `role`, and the latest record time.
    pub fn set_records(&mut self, role: &str, records: u64, last_time: Option<i64>) {
        if let Some(f) = self.files.iter_mut().find(|f| f.role == role) {
            f.records = Some(records);
            f.last_time = last_time;
        }
    }
}

/// Which file a path is, and how long, before it is read: a file replaced (a new inode) or
/// cut shorter while a run reads it leaves the run's record of it unreliable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStat {
    inode: u64,
    len: u64,
}

/// The [`FileStat`] of every input file of `ds`, in the dataset's order.
pub fn stat(ds: &Dataset) -> Result<Vec<FileStat>> {
    ds.inputs()
        .into_iter()
        .map(|(_, p)| {
            let m = std::fs::metadata(p).map_err(|error| Error::Io {
                path: p.to_path_buf(),
                error,
            })?;
            Ok(FileStat {
                inode: inode(&m),
                len: m.len(),
            })
        })
        .collect()
}

#[cfg(unix)]
fn inode(m: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(m)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

impl Hashed {
    /// Whether every file hashed is the one `before` saw, at least as long (a file that grew
    /// while it was read is fine: the records after those read are checked by time).
    pub fn same_files(&self, ds: &Dataset, before: &[FileStat]) -> Result<bool> {
        let now = stat(ds)?;
        Ok(now.len() == before.len()
            && now
                .iter()
                .zip(before)
                .all(|(n, b)| n.inode == b.inode && n.len >= b.len)
            && self.files.iter().zip(before).all(|(f, b)| f.size >= b.len))
    }
}

/// Hashes every input file of `ds`, and the first bytes of a file at each `(name, size)` of
/// `cuts` within it.
pub fn hash_inputs(ds: &Dataset, cuts: &[(String, u64)]) -> Result<Hashed> {
    let mut all = Xxh3::new();
    let mut files = Vec::new();
    let mut prefixes = BTreeMap::new();
    let mut whole_only = BTreeSet::new();
    for (role, path) in ds.inputs() {
        let name = file_name(path);
        all.update(name.as_bytes());
        let mut at: Vec<u64> = cuts
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|c| c.1)
            .collect();
        at.sort_unstable();
        at.dedup();
        let h = hash_file(path, &at, &mut all, BUFFER)?;
        for (k, p) in at.into_iter().zip(h.cuts) {
            prefixes.insert((name.clone(), k), p);
        }
        if h.compressed {
            whole_only.insert(name.clone());
        }
        files.push(InputFile {
            role: role.to_string(),
            name,
            size: h.size,
            digest: h.digest,
            records: None,
            last_time: None,
        });
    }
    Ok(Hashed {
        files,
        digest: format!("{:032x}", all.digest128()),
        prefixes,
        whole_only,
    })
}

/// Bytes read at a time.
const BUFFER: usize = 1 << 20;

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// One file, hashed.
struct FileHash {
    size: u64,
    digest: String,
    /// The first bytes at each offset asked for that the file reaches.
    cuts: Vec<Prefix>,
    /// gzip or zstd by its first bytes (as `ingest::Source` tells).
    compressed: bool,
}

/// Streams the file at `path` into its own hasher and `all`, `buffer` bytes at a time: its
/// size, its digest, and its first bytes at each of the sorted offsets `at` that it reaches.
fn hash_file(path: &Path, at: &[u64], all: &mut Xxh3, buffer: usize) -> Result<FileHash> {
    let io = |error| Error::Io {
        path: path.to_path_buf(),
        error,
    };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let mut own = Xxh3::new();
    let mut buf = vec![0u8; buffer];
    let mut head: Vec<u8> = Vec::with_capacity(4);
    let (mut pos, mut last) = (0u64, b'\n');
    let mut cuts = Vec::new();
    let mut next = at.iter().peekable();
    loop {
        let n = f.read(&mut buf).map_err(io)?;
        let mut chunk = &buf[..n];
        let want = 4usize.saturating_sub(head.len()).min(n);
        head.extend_from_slice(&chunk[..want]);
        // Cut the chunk at each offset inside it (an offset at the very end of the file is
        // taken after the loop).
        while let Some(&&k) = next.peek() {
            if k < pos || k >= pos + chunk.len() as u64 {
                break;
            }
            let (head, tail) = chunk.split_at((k - pos) as usize);
            own.update(head);
            all.update(head);
            if let Some(&b) = head.last() {
                last = b;
            }
            pos = k;
            cuts.push(prefix(&own, last));
            chunk = tail;
            next.next();
        }
        if n == 0 {
            break;
        }
        own.update(chunk);
        all.update(chunk);
        if let Some(&b) = chunk.last() {
            last = b;
        }
        pos += chunk.len() as u64;
    }
    if next.peek().is_some_and(|&&k| k == pos) {
        cuts.push(prefix(&own, last));
    }
    Ok(FileHash {
        size: pos,
        digest: hex(&own),
        cuts,
        compressed: head.starts_with(&[0x1f, 0x8b]) || head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]),
    })
}

fn prefix(h: &Xxh3, last: u8) -> Prefix {
    Prefix {
        digest: hex(h),
        whole_lines: last == b'\n',
    }
}

fn hex(h: &Xxh3) -> String {
    format!("{:032x}", h.digest128())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest_of(bytes: &[u8]) -> String {
        let mut h = Xxh3::new();
        h.update(bytes);
        hex(&h)
    }

    #[test]
    fn prefixes_are_the_digests_of_the_first_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let text = "a b RT 1\nc d RT 2\ne f RT 3\n";
        std::fs::write(dir.path().join("interactions.txt"), text).unwrap();
        let ds = Dataset::discover(dir.path()).unwrap();
        let name = "interactions.txt".to_string();
        let cuts = vec![
            (name.clone(), 0),
            (name.clone(), 9),
            (name.clone(), 12),
            (name.clone(), text.len() as u64),
            (name.clone(), 1000),
            ("other.txt".into(), 3),
        ];
        let h = hash_inputs(&ds, &cuts).unwrap();
        let f = h.file("interactions.txt").unwrap();
        assert_eq!(f.size, text.len() as u64);
        assert_eq!(f.digest, digest_of(text.as_bytes()));
        for k in [0usize, 9, 12, text.len()] {
            let p = &h.prefixes[&(name.clone(), k as u64)];
            assert_eq!(p.digest, digest_of(&text.as_bytes()[..k]), "at {k}");
            assert_eq!(p.whole_lines, k != 12, "at {k}");
        }
        assert!(!h.prefixes.contains_key(&(name, 1000)), "beyond the end");
        assert_eq!(h.prefixes.len(), 4);
    }

    #[test]
    fn every_offset_is_cut_right_whatever_the_buffer() {
        let dir = tempfile::tempdir().unwrap();
        let text = b"ab\ncd\nef";
        let path = dir.path().join("f.txt");
        std::fs::write(&path, text).unwrap();
        let at: Vec<u64> = (0..=text.len() as u64 + 2).collect();
        for buffer in 1..=5 {
            let h = hash_file(&path, &at, &mut Xxh3::new(), buffer).unwrap();
            assert_eq!(h.size, text.len() as u64);
            assert_eq!(h.digest, digest_of(text));
            assert_eq!(
                h.cuts.len(),
                text.len() + 1,
                "offsets past the end are not cut"
            );
            for (k, c) in h.cuts.iter().enumerate() {
                assert_eq!(
                    c.digest,
                    digest_of(&text[..k]),
                    "offset {k}, buffer {buffer}"
                );
                assert_eq!(c.whole_lines, k == 0 || text[k - 1] == b'\n');
            }
            assert!(!h.compressed);
        }
        std::fs::write(&path, [0x1f, 0x8b, 8, 0]).unwrap();
        assert!(
            hash_file(&path, &[], &mut Xxh3::new(), 1)
                .unwrap()
                .compressed
        );
    }

    #[test]
    fn the_run_digest_covers_names_and_bytes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("interactions.txt"), "a b RT 1\n").unwrap();
        let one = hash_inputs(&Dataset::discover(dir.path()).unwrap(), &[]).unwrap();
        std::fs::write(dir.path().join("interactions.txt"), "a b RT 2\n").unwrap();
        let two = hash_inputs(&Dataset::discover(dir.path()).unwrap(), &[]).unwrap();
        assert_ne!(one.digest, two.digest);
        assert_eq!(one.files[0].role, "interactions");
    }
}
