//! Criterion bench of the sentence-embedding model (all-MiniLM-L6-v2 on the CPU): the 1,000
//! real English tweets of TweetTopicXL (train + validation + test; 38.6 tokens on average with
//! `[CLS]`/`[SEP]`), embedded per iteration on all cores, throughput in posts. Needs the
//! installed model (`clout model install`) and the shared data (`$CLOUT_DATA_DIR`, default
//! `../shared/data`); without either it says so and measures nothing.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use clout::embed::{EmbedParams, Embedder, ModelDir, ModelStatus};
use clout::topics::classify::input::read_labelled;

fn tweets() -> Option<Vec<String>> {
    let dir = std::env::var_os("CLOUT_DATA_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data")
        })
        .join("text/tweet-topic-xl");
    let mut texts = Vec::new();
    for split in ["train", "validation", "test"] {
        match read_labelled(&dir.join(format!("en_{split}.jsonl"))) {
            Ok(set) => texts.extend(set.records.into_iter().map(|r| r.text)),
            Err(e) => {
                eprintln!(
                    "skipping the embed bench: TweetTopicXL not found (set CLOUT_DATA_DIR): {e}"
                );
                return None;
            }
        }
    }
    Some(texts)
}

fn embedder() -> Option<Embedder> {
    let dir = ModelDir::from_env()?;
    if dir.status() != ModelStatus::Installed {
        eprintln!(
            "skipping the embed bench: model not installed at {} (run `clout model install`)",
            dir.path().display()
        );
        return None;
    }
    Some(Embedder::load(&dir, EmbedParams::default().check().unwrap()).expect("model loads"))
}

fn bench(c: &mut Criterion) {
    let (Some(texts), Some(model)) = (tweets(), embedder()) else {
        return;
    };
    assert_eq!(texts.len(), 1000);
    let mut g = c.benchmark_group("embed");
    g.sample_size(10);
    g.throughput(Throughput::Elements(texts.len() as u64));
    g.bench_function("tweets_1000", |b| {
        b.iter(|| {
            let e = model.embed(&texts).unwrap();
            assert_eq!((e.len(), e.dim()), (1000, 384));
            e
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
