//! The topic model file: a 32-byte header, then a zstd-compressed body.
//!
//! | bytes | content |
//! |---|---|
//! | 0..8 | magic `CLOUTTPM` |
//! | 8..12 | format version, little-endian u32 (now 2; 1 is still read) |
//! | 12..16 | zero |
//! | 16..24 | body length in bytes, little-endian u64 |
//! | 24..32 | xxh3-64 of the body, little-endian |
//! | 32.. | the body, zstd-compressed |
//!
//! The decompressed body of version 2: the JSON length (little-endian u64), the JSON of
//! [`ModelData`] without its weights, then the weights as little-endian `f32`s (parsing
//! millions of decimal floats was most of a model's load time: 0.11 s for a 190-label
//! student). Version 1: the JSON of [`ModelData`] with its weights.
//!
//! A file that is not a model, of another version, truncated or corrupt is a clear
//! [`Error::Model`], never a panic. Files are written atomically (temporary file, then rename).

use std::io::Write;
use std::path::Path;

use ndarray::{Array1, Array2};
use xxhash_rust::xxh3::xxh3_64;

use super::features::Vocabulary;
use super::label_link::LabelLink;
use super::linear::{Linear, Link};
use super::model::{label_ontology, DecisionRule, TopicModel, TrainParams};
use crate::error::{Error, Result};
use crate::topics::ontology::source::OntologySource;

/// The file's first eight bytes.
pub const MAGIC: &[u8; 8] = b"CLOUTTPM";
/// The format version this build writes (it reads 1 too).
pub const VERSION: u32 = 2;
const HEADER: usize = 32;
/// Bytes reserved for the decompressed body per byte of the compressed one.
const RAW_PER_BODY_BYTE: usize = 4;

/// A model file's body decompressed: in one call into room reserved at once (weights barely
/// compress; capacity never written costs no memory), or, when that is too little room or
/// fails, by the stream decoder (which then gives the error of a corrupt body).
fn decompress(body: &[u8]) -> std::io::Result<Vec<u8>> {
    zstd::bulk::decompress(body, body.len().saturating_mul(RAW_PER_BODY_BYTE))
        .or_else(|_| zstd::decode_all(body))
}

/// A model file's bytes: mapped when it has any (a 7 MB student is then not copied nor its
/// pages zeroed first), else empty.
enum FileBytes {
    Mapped(memmap2::Mmap),
    Empty,
}

impl FileBytes {
    fn open(path: &Path) -> Result<Self> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
        if len == 0 {
            return Ok(FileBytes::Empty);
        }
        // SAFETY: a read-only map; a file truncated under us by another process can fault,
        // the accepted trade-off of every memory-mapped reader (as `ingest::source`).
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
        Ok(FileBytes::Mapped(map))
    }

    fn bytes(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(m) => m,
            FileBytes::Empty => &[],
        }
    }
}

/// Everything a model file holds.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct ModelData {
    pub labels: Vec<String>,
    pub params: TrainParams,
    /// `--ontology` name of the ontology the model matches, and each label's topics (slugs).
    pub ontology: Option<String>,
    pub label_map: Option<Vec<Vec<String>>>,
    pub terms: Vec<String>,
    pub idf: Vec<f32>,
    /// Features × labels, row-major (in the JSON of version 1 only).
    #[serde(default, skip_serializing)]
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
    pub link: Link,
    pub rule: DecisionRule,
    /// A student of the embedding model (see `TopicModel::is_student`).
    #[serde(default)]
    pub student: bool,
    /// Dimensions of the sentence embedding appended to the features (weights has a row per
    /// term, then one per dimension).
    #[serde(default)]
    pub embedding_dim: usize,
}

fn bad(path: &Path, reason: impl Into<String>) -> Error {
    Error::Model {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

impl TopicModel {
    /// Writes the model to `path` atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        let data = self.data();
        let json = serde_json::to_vec(&data).expect("model data serialises");
        let mut raw = Vec::with_capacity(8 + json.len() + 4 * data.weights.len());
        raw.extend_from_slice(&(json.len() as u64).to_le_bytes());
        raw.extend_from_slice(&json);
        raw.extend(data.weights.iter().flat_map(|w| w.to_le_bytes()));
        let body = zstd::encode_all(raw.as_slice(), 3).map_err(|e| Error::io(path, e))?;
        let mut bytes = Vec::with_capacity(HEADER + body.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&VERSION.to_le_bytes());
        bytes.extend_from_slice(&[0; 4]);
        bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&xxh3_64(&body).to_le_bytes());
        bytes.extend_from_slice(&body);
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut tmp = crate::fs::temp_file_in(dir, ".clout-tmp-").map_err(|e| Error::io(dir, e))?;
        tmp.write_all(&bytes).map_err(|e| Error::io(path, e))?;
        tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
        tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
        Ok(())
    }

    /// Everything the model file holds of `self`.
    fn data(&self) -> ModelData {
        ModelData {
            labels: self.labels.clone(),
            params: self.params.clone(),
            ontology: self.ontology_name().map(str::to_owned),
            label_map: self.label_map(),
            terms: self.vocab.terms.clone(),
            idf: self.vocab.idf.clone(),
            weights: self.linear.weights.iter().copied().collect(),
            bias: self.linear.bias.to_vec(),
            link: self.linear.link,
            rule: self.rule.clone(),
            student: self.student,
            embedding_dim: self.emb_dim,
        }
    }

    /// Reads the data of a model file (mapped, not copied), checking header, version, length
    /// and checksum.
    pub fn read_data(path: &Path) -> Result<ModelData> {
        let file = FileBytes::open(path)?;
        let bytes = file.bytes();
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(bad(path, "not a clout topic model (wrong magic bytes)"));
        }
        if bytes.len() < HEADER {
            return Err(bad(path, "truncated header"));
        }
        let word = |r: std::ops::Range<usize>| -> u64 {
            let mut b = [0u8; 8];
            b[..r.len()].copy_from_slice(&bytes[r]);
            u64::from_le_bytes(b)
        };
        let version = word(8..12) as u32;
        if version != VERSION && version != 1 {
            return Err(bad(
                path,
                format!("format version {version}; this build reads versions 1 and {VERSION}"),
            ));
        }
        let len = word(16..24);
        let body = &bytes[HEADER..];
        if (body.len() as u64) < len {
            return Err(bad(
                path,
                format!("truncated: body of {} bytes, header says {len}", body.len()),
            ));
        }
        if (body.len() as u64) > len {
            return Err(bad(path, "trailing bytes after the body"));
        }
        if xxh3_64(body) != word(24..32) {
            return Err(bad(path, "checksum mismatch (corrupt file)"));
        }
        let raw = decompress(body).map_err(|e| bad(path, format!("corrupt body: {e}")))?;
        if version == 1 {
            return serde_json::from_slice(&raw)
                .map_err(|e| bad(path, format!("corrupt body: {e}")));
        }
        let split = raw
            .get(..8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
            .and_then(|n| usize::try_from(n).ok())
            .and_then(|n| n.checked_add(8))
            .filter(|&end| end <= raw.len() && (raw.len() - end) % 4 == 0)
            .ok_or_else(|| bad(path, "corrupt body: bad JSON length"))?;
        let mut data: ModelData = serde_json::from_slice(&raw[8..split])
            .map_err(|e| bad(path, format!("corrupt body: {e}")))?;
        data.weights = raw[split..]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
            .collect();
        Ok(data)
    }

    /// Loads a model; its ontology (if any) is read from `data_dir` as `--ontology` would.
    pub fn load(path: &Path, data_dir: &Path) -> Result<Self> {
        let d = Self::read_data(path)?;
        let labels = d.labels.len();
        let features = d.terms.len() + d.embedding_dim;
        if d.params.embedding != (d.embedding_dim > 0) {
            return Err(bad(path, "embedding features and their dimension disagree"));
        }
        if d.weights.len() != features * labels
            || d.bias.len() != labels
            || d.rule.thresholds.len() != labels
            || labels == 0
        {
            return Err(bad(
                path,
                "inconsistent sizes of labels, features and weights",
            ));
        }
        d.params
            .validate()
            .map_err(|e| bad(path, format!("bad parameters: {e}")))?;
        let vocab = Vocabulary::from_parts(d.terms, d.idf)
            .ok_or_else(|| bad(path, "malformed feature terms"))?;
        let analyzer = super::classifier::analyzer_named(&d.params.analyzer)?;
        let link = match (&d.ontology, &d.label_map) {
            (Some(name), Some(map)) if map.len() == labels => {
                let o = OntologySource::parse(name).load(data_dir)?;
                Some((
                    name.clone(),
                    LabelLink::new(o, &analyzer, &d.labels, Some(map)),
                ))
            }
            (None, _) => None,
            _ => return Err(bad(path, "ontology label map does not match the labels")),
        };
        let weights = Array2::from_shape_vec((features, labels), d.weights)
            .map_err(|e| bad(path, format!("weights: {e}")))?;
        let mut labels_seen = d.labels.clone();
        labels_seen.sort_unstable();
        labels_seen.dedup();
        if labels_seen.len() != labels {
            return Err(bad(path, "repeated label names"));
        }
        Ok(TopicModel {
            fast: super::fast_model::FastFeatures::new(
                &vocab,
                link.as_ref().map(|l| &l.1),
                &d.rule,
                d.link,
            ),
            label_ontology: label_ontology(&d.labels),
            labels: d.labels,
            params: d.params,
            analyzer,
            link,
            vocab,
            linear: Linear {
                weights,
                bias: Array1::from(d.bias),
                link: d.link,
            },
            rule: d.rule,
            emb_dim: d.embedding_dim,
            student: d.student,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topics::classify::input::{LabelledRecord, LabelledSet};
    use crate::topics::ClassifierScratch;

    fn tiny() -> LabelledSet {
        let texts = [
            ("the nba finals tonight, what a dunk", 0),
            ("basketball playoffs and a great game", 0),
            ("new phone with a faster chip and camera", 1),
            ("software update for the laptop and the app", 1),
            ("great dunk in the basketball game", 0),
            ("the app crashed after the software update", 1),
        ];
        LabelledSet {
            labels: vec!["sports".into(), "tech".into()],
            records: texts
                .iter()
                .enumerate()
                .map(|(i, (t, l))| LabelledRecord {
                    id: i.to_string(),
                    text: t.to_string(),
                    lang: None,
                    labels: vec![*l],
                })
                .collect(),
            label_map: None,
        }
    }

    #[test]
    fn round_trip_and_typed_errors() {
        for algorithm in [crate::topics::Algorithm::Nb, crate::topics::Algorithm::Lr] {
            let params = TrainParams {
                algorithm,
                ..TrainParams::default()
            };
            let m = TopicModel::train(
                &tiny(),
                params,
                Some(("builtin".into(), crate::topics::builtin())),
            )
            .unwrap();
            assert!(m.rule().single);
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("m.model");
            m.save(&path).unwrap();
            let back = TopicModel::load(&path, dir.path()).unwrap();
            let mut s = ClassifierScratch::default();
            for text in [
                "a dunk at the nba game",
                "my laptop needs a software update",
            ] {
                assert_eq!(
                    m.predict(text, None, &mut s),
                    back.predict(text, None, &mut s)
                );
            }
            assert_eq!(m.predict("a dunk at the nba game", None, &mut s)[0].0, 0);
            assert_eq!(back.predict("laptop software", None, &mut s)[0].0, 1);

            let bytes = std::fs::read(&path).unwrap();
            let check = |b: &[u8], want: &str| {
                std::fs::write(&path, b).unwrap();
                let e = TopicModel::load(&path, dir.path()).unwrap_err();
                assert!(matches!(e, Error::Model { .. }), "{e}");
                assert!(e.to_string().contains(want), "{e}");
            };
            check(b"hello world, not a model at all", "wrong magic");
            let mut v = bytes.clone();
            v[8] = 9;
            check(&v, "format version 9");
            check(&bytes[..bytes.len() - 10], "truncated");
            check(&bytes[..20], "truncated header");
            let mut v = bytes.clone();
            let last = v.len() - 1;
            v[last] ^= 0xff;
            check(&v, "checksum");
            // A version-1 file (weights in the JSON) still loads, to the same model.
            let mut data = serde_json::to_value(m.data()).unwrap();
            data["weights"] =
                serde_json::to_value(m.linear.weights.iter().collect::<Vec<_>>()).unwrap();
            let body = zstd::encode_all(data.to_string().as_bytes(), 3).unwrap();
            let mut v1 = MAGIC.to_vec();
            v1.extend_from_slice(&1u32.to_le_bytes());
            v1.extend_from_slice(&[0; 4]);
            v1.extend_from_slice(&(body.len() as u64).to_le_bytes());
            v1.extend_from_slice(&xxh3_64(&body).to_le_bytes());
            v1.extend_from_slice(&body);
            std::fs::write(&path, &v1).unwrap();
            let old = TopicModel::load(&path, dir.path()).unwrap();
            assert_eq!(old.linear.weights, m.linear.weights);
            assert_eq!(
                old.predict("a dunk at the nba game", None, &mut s),
                m.predict("a dunk at the nba game", None, &mut s)
            );
        }
    }

    #[test]
    fn same_model_on_any_thread_count() {
        let mut set = tiny();
        // Multi-label, so that the internal cross-validation runs too.
        set.records[0].labels = vec![0, 1];
        let train = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    let m = TopicModel::train(
                        &set,
                        TrainParams::default(),
                        Some(("builtin".into(), crate::topics::builtin())),
                    )
                    .unwrap();
                    let dir = tempfile::tempdir().unwrap();
                    let path = dir.path().join("m");
                    m.save(&path).unwrap();
                    std::fs::read(path).unwrap()
                })
        };
        assert_eq!(train(1), train(3));
    }

    /// Hand-made 2-dimensional "embeddings": sports texts point one way, tech the other.
    fn tiny_embeddings(set: &LabelledSet) -> crate::embed::Embeddings {
        let rows: Vec<f32> = set
            .records
            .iter()
            .flat_map(|r| {
                if r.labels[0] == 0 {
                    [1.0, 0.0]
                } else {
                    [0.0, 1.0]
                }
            })
            .collect();
        crate::embed::Embeddings::from_rows(2, rows)
    }

    #[test]
    fn embedding_features_are_read_saved_and_required() {
        let set = tiny();
        let params = TrainParams {
            embedding: true,
            ..TrainParams::default()
        };
        let e = tiny_embeddings(&set);
        let m = TopicModel::train_embedded(&set, params.clone(), None, &e).unwrap();
        assert_eq!(m.embedding_dim(), 2);
        assert_eq!(m.features(), m.vocab.len() + 2);
        // Words known to neither label: the embedding alone decides.
        let mut s = ClassifierScratch::default();
        let by_embedding = |emb: [f32; 2], s: &mut ClassifierScratch| {
            s.embedding = emb.to_vec();
            m.predict("zzz qqq", None, s)[0].0
        };
        assert_eq!(by_embedding([1.0, 0.0], &mut s), 0);
        assert_eq!(by_embedding([0.0, 1.0], &mut s), 1);
        // Saved and loaded, the same probabilities.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.model");
        m.save(&path).unwrap();
        let back = TopicModel::load(&path, dir.path()).unwrap();
        assert_eq!(back.embedding_dim(), 2);
        for emb in [[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]] {
            s.embedding = emb.to_vec();
            let a = m.predict("a dunk and an app", None, &mut s);
            assert_eq!(a, back.predict("a dunk and an app", None, &mut s));
        }
        // Evaluation needs the embeddings; with them, every tiny text is right.
        let err = crate::topics::classify::eval::evaluate_model(&m, &set).unwrap_err();
        assert!(
            err.to_string()
                .contains("2-dimensional sentence embeddings"),
            "{err}"
        );
        let r = crate::topics::classify::eval::evaluate_model_embedded(&m, &set, Some(&e)).unwrap();
        assert_eq!(r.accuracy, 1.0);
        // Training without them, or with the wrong number, is an error.
        assert!(TopicModel::train(&set, params.clone(), None).is_err());
        let short = crate::embed::Embeddings::from_rows(2, vec![1.0, 0.0]);
        assert!(TopicModel::train_embedded(&set, params, None, &short).is_err());
        // A classifier with no embedding model says so instead of guessing.
        let c = crate::topics::Classifier::from_model(back);
        assert!(c.needs_embedder());
        let texts = ["a dunk"];
        let err = c.try_classify_all(&texts, |t| (*t, None), 3).unwrap_err();
        assert!(err.to_string().contains("embedding model"), "{err}");
    }
}
