//! A disk cache of topic vectors: an ontology's topic texts embedded once per model and per
//! exact list of texts (Klout's 8,033 topics take a minute or more to embed on 2 cores), kept
//! under the user cache beside the model. A file is named by the SHA-256 of the model's
//! weights digest, the embedding parameters and the texts, so any change recomputes; a file
//! that is missing, unreadable or malformed is recomputed and rewritten (atomically), and a
//! cache that cannot be written is only skipped.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::embed::{EmbedError, Embedder, Embeddings, ModelDir, SAFETENSORS_SHA256};

/// The first bytes of a cache file.
const MAGIC: &[u8; 8] = b"CLTVEC01";

/// A directory of cached topic vectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VectorCache {
    dir: PathBuf,
}

impl VectorCache {
    /// A cache in `dir` (created when first written).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        VectorCache { dir: dir.into() }
    }

    /// The default cache: `topic-vectors` beside the model directory (see
    /// [`ModelDir::from_env`]); `None` when there is no cache directory.
    pub fn from_env() -> Option<Self> {
        let model = ModelDir::from_env()?;
        let parent = model.path().parent()?.to_path_buf();
        Some(VectorCache::new(parent.join("topic-vectors")))
    }

    /// Where the vectors of `texts` by `embedder` are kept.
    pub fn path(&self, embedder: &Embedder, texts: &[String]) -> PathBuf {
        let mut h = Sha256::new();
        h.update(SAFETENSORS_SHA256.as_bytes());
        h.update((embedder.params().max_tokens() as u64).to_le_bytes());
        for t in texts {
            h.update((t.len() as u64).to_le_bytes());
            h.update(t.as_bytes());
        }
        let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{hex}.vec"))
    }

    /// The vectors of `texts`: from the cache when it holds them, else embedded by `embedder`
    /// and written to the cache.
    pub fn embed(&self, embedder: &Embedder, texts: &[String]) -> Result<Embeddings, EmbedError> {
        let path = self.path(embedder, texts);
        if let Some(e) = read(&path, texts.len(), embedder.dim()) {
            return Ok(e);
        }
        let e = embedder.embed(texts)?;
        // A cache that cannot be written costs only time.
        let _ = write(&self.dir, &path, &e);
        Ok(e)
    }
}

/// The cached vectors at `path` if the file is whole and has `rows` × `dim` of them.
fn read(path: &Path, rows: usize, dim: usize) -> Option<Embeddings> {
    let bytes = std::fs::read(path).ok()?;
    let body = bytes.strip_prefix(MAGIC.as_slice())?;
    let (head, data) = body.split_at_checked(16)?;
    let r = u64::from_le_bytes(head[..8].try_into().ok()?) as usize;
    let d = u64::from_le_bytes(head[8..].try_into().ok()?) as usize;
    if r != rows || d != dim || data.len() != rows.checked_mul(dim)?.checked_mul(4)? {
        return None;
    }
    let values: Vec<f32> = data
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    if values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    Some(Embeddings::from_rows(dim, values))
}

/// Writes `e` to `path` atomically (a temporary file in `dir`, renamed).
fn write(dir: &Path, path: &Path, e: &Embeddings) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut tmp = crate::fs::temp_file_in(dir, ".topic-vectors")?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        w.write_all(MAGIC)?;
        w.write_all(&(e.len() as u64).to_le_bytes())?;
        w.write_all(&(e.dim() as u64).to_le_bytes())?;
        for v in e.as_slice() {
            w.write_all(&v.to_le_bytes())?;
        }
        w.flush()?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_file_reads_back_and_a_damaged_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.vec");
        let e = Embeddings::from_rows(2, vec![0.6, 0.8, 1.0, 0.0, 0.0, 1.0]);
        write(dir.path(), &path, &e).unwrap();
        assert_eq!(read(&path, 3, 2), Some(e));
        assert_eq!(read(&path, 2, 2), None, "other rows");
        assert_eq!(read(&path, 3, 3), None, "other dimensions");
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.truncate(bytes.len() - 1);
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(read(&path, 3, 2), None, "truncated");
        std::fs::write(&path, b"nonsense").unwrap();
        assert_eq!(read(&path, 3, 2), None, "not a cache file");
    }
}
