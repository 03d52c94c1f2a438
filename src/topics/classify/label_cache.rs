//! A disk cache of the embedding model's topics of texts it has labelled before, so that a
//! corpus run again (another `--window`, the next day's run of a growing directory, a student
//! sample that mostly repeats) embeds only the texts it has not seen. The teacher's topics of
//! a text depend on nothing but the text, its language hint and the teacher, so a cached entry
//! is what labelling the text again gives (up to the embedding's batch rounding, < 1e-5).
//!
//! One file per teacher (`<sha256>.labels` under `teacher-labels/` beside the model): the name
//! is the SHA-256 of the model's weights digest, the embedding parameters, every topic of the
//! ontology (id, parents, names, keywords), the semantic parameters, the keyword analyzer, the
//! topics kept per text and [`LABELS_VERSION`], so any change starts a new file. A file that
//! is missing, unreadable or malformed is ignored (and replaced); a cache that cannot be
//! written is only skipped. A file keeps at most [`MAX_ENTRIES`] texts: past that, the next
//! write keeps only the texts of the latest call.

use std::io::Write;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use super::semantic::SemanticParams;
use crate::embed::SAFETENSORS_SHA256;
use crate::text::Lang;
use crate::topics::ontology::{Ontology, TopicIdx};

/// Bumped whenever the teacher's decision (`semantic`, `semantic_classifier`) changes, so that
/// no file of an older rule is read.
pub const LABELS_VERSION: u32 = 1;

/// Texts a cache file keeps at most (≈ 30 bytes each).
pub const MAX_ENTRIES: usize = 2_000_000;

/// The first bytes of a cache file.
const MAGIC: &[u8; 8] = b"CLTLAB01";

/// The topics of one text, best first.
pub type Topics = Vec<(TopicIdx, f64)>;

/// A directory of cached teacher labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelCache {
    dir: PathBuf,
}

impl LabelCache {
    /// A cache in `dir` (created when first written).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        LabelCache { dir: dir.into() }
    }

    /// The default cache: the directory `$CLOUT_LABEL_CACHE` names (`off`: none), else
    /// `teacher-labels` beside the model directory (see [`crate::embed::ModelDir::from_env`]);
    /// `None` when there is no cache directory.
    pub fn from_env() -> Option<Self> {
        if let Some(dir) = std::env::var_os("CLOUT_LABEL_CACHE") {
            return (dir != "off" && !dir.is_empty()).then(|| LabelCache::new(dir));
        }
        let model = crate::embed::ModelDir::from_env()?;
        let parent = model.path().parent()?.to_path_buf();
        Some(LabelCache::new(parent.join("teacher-labels")))
    }

    /// The cache file of one teacher (see the module docs).
    pub fn file(&self, teacher: &TeacherKey<'_>) -> LabelFile {
        let mut h = Sha256::new();
        h.update(SAFETENSORS_SHA256.as_bytes());
        h.update(LABELS_VERSION.to_le_bytes());
        h.update((teacher.max_tokens as u64).to_le_bytes());
        h.update(format!("{:?}", teacher.params).as_bytes());
        field(&mut h, teacher.analyzer);
        h.update((teacher.top as u64).to_le_bytes());
        let o = teacher.ontology;
        h.update((o.len() as u64).to_le_bytes());
        for (i, t) in o.topics().iter().enumerate() {
            field(&mut h, &t.id);
            field(&mut h, &t.slug);
            field(&mut h, &t.name);
            for &p in o.parents(i as TopicIdx) {
                h.update(p.to_le_bytes());
            }
            h.update([0xff]);
            for (lang, name) in &t.names {
                field(&mut h, lang);
                field(&mut h, name);
            }
            h.update([0xfe]);
            for k in &t.keywords {
                field(&mut h, k);
            }
            h.update([0xfd]);
        }
        let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        LabelFile {
            dir: self.dir.clone(),
            path: self.dir.join(format!("{hex}.labels")),
            topics: o.len(),
        }
    }
}

/// A length-prefixed string into the hash (so that fields cannot run into each other).
fn field(h: &mut Sha256, s: &str) {
    h.update((s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

/// Everything the teacher's topics of a text depend on besides the text.
#[derive(Debug, Clone, Copy)]
pub struct TeacherKey<'a> {
    pub ontology: &'a Ontology,
    /// The embedding model's tokens per text.
    pub max_tokens: usize,
    pub params: SemanticParams,
    pub analyzer: &'a str,
    pub top: usize,
}

/// One teacher's cache file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelFile {
    dir: PathBuf,
    path: PathBuf,
    /// Topics of the ontology: a cached topic index must be below it.
    topics: usize,
}

/// The key of a text with its language hint.
pub fn text_key(text: &str, lang: Option<Lang>) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(lang.map_or("", |l| l.code()).as_bytes());
    h.update(&[0]);
    h.update(text.as_bytes());
    h.digest128()
}

impl LabelFile {
    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The cached topics, by text key; empty when the file is missing or malformed.
    pub fn read(&self) -> FxHashMap<u128, Topics> {
        read(&self.path, self.topics).unwrap_or_default()
    }

    /// Writes `entries` (atomically); errors are the caller's to ignore.
    pub fn write(&self, entries: &FxHashMap<u128, Topics>) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let mut tmp = crate::fs::temp_file_in(&self.dir, ".teacher-labels")?;
        {
            let mut w = std::io::BufWriter::new(tmp.as_file_mut());
            w.write_all(MAGIC)?;
            w.write_all(&(entries.len() as u64).to_le_bytes())?;
            let mut keys: Vec<&u128> = entries.keys().collect();
            keys.sort_unstable();
            for k in keys {
                let topics = &entries[k];
                w.write_all(&k.to_le_bytes())?;
                w.write_all(&[topics.len().min(255) as u8])?;
                for &(t, s) in topics.iter().take(255) {
                    w.write_all(&t.to_le_bytes())?;
                    w.write_all(&s.to_le_bytes())?;
                }
            }
            w.flush()?;
        }
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// The entries of the file at `path` if it is whole and every topic is below `topics`.
fn read(path: &Path, topics: usize) -> Option<FxHashMap<u128, Topics>> {
    let bytes = std::fs::read(path).ok()?;
    let mut rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let count = u64::from_le_bytes(take(8)?.try_into().ok()?) as usize;
    if count > MAX_ENTRIES {
        return None;
    }
    let mut out = FxHashMap::default();
    out.reserve(count);
    for _ in 0..count {
        let key = u128::from_le_bytes(take(16)?.try_into().ok()?);
        let n = take(1)?[0] as usize;
        let mut list = Vec::with_capacity(n);
        for _ in 0..n {
            let t = u32::from_le_bytes(take(4)?.try_into().ok()?);
            let s = f64::from_le_bytes(take(8)?.try_into().ok()?);
            if t as usize >= topics || !s.is_finite() {
                return None;
            }
            list.push((t, s));
        }
        out.insert(key, list);
    }
    take(1).is_none().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(o: &Ontology, top: usize) -> TeacherKey<'_> {
        TeacherKey {
            ontology: o,
            max_tokens: 128,
            params: SemanticParams::default(),
            analyzer: "social",
            top,
        }
    }

    #[test]
    fn entries_read_back_and_a_damaged_file_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let o = crate::topics::builtin();
        let f = LabelCache::new(dir.path()).file(&key(&o, 3));
        assert!(f.read().is_empty(), "no file yet");
        let mut e = FxHashMap::default();
        e.insert(text_key("tomatoes", None), vec![(5, 0.5), (7, 0.25)]);
        e.insert(text_key("tomatoes", Some(Lang::Fra)), vec![]);
        f.write(&e).unwrap();
        assert_eq!(f.read(), e);
        let bytes = std::fs::read(f.path()).unwrap();
        std::fs::write(f.path(), &bytes[..bytes.len() - 1]).unwrap();
        assert!(f.read().is_empty(), "truncated");
        let mut long = bytes.clone();
        long.push(0);
        std::fs::write(f.path(), &long).unwrap();
        assert!(f.read().is_empty(), "trailing bytes");
        // A topic index the ontology does not have.
        let mut bad = FxHashMap::default();
        bad.insert(1u128, vec![(o.len() as u32, 0.5)]);
        f.write(&bad).unwrap();
        assert!(f.read().is_empty(), "topic out of range");
    }

    #[test]
    fn another_teacher_has_another_file() {
        let dir = tempfile::tempdir().unwrap();
        let c = LabelCache::new(dir.path());
        let o = crate::topics::builtin();
        let a = c.file(&key(&o, 3));
        assert_eq!(a, c.file(&key(&o, 3)));
        assert_ne!(a, c.file(&key(&o, 2)), "topics kept");
        let mut k = key(&o, 3);
        k.params.abstain = 0.2;
        assert_ne!(a, c.file(&k), "parameters");
        k = key(&o, 3);
        k.analyzer = "plain";
        assert_ne!(a, c.file(&k), "analyzer");
        let tsv = "x\t\tX\tkw\n";
        let small = crate::topics::ontology::custom::parse_taxonomy(tsv, Path::new("t")).unwrap();
        assert_ne!(a, c.file(&key(&small, 3)), "ontology");
        assert_ne!(text_key("a", None), text_key("a", Some(Lang::Eng)));
    }
}
