//! Criterion bench of classifying posts with a trained topic model: analysis (social
//! tokenizer, lower case, elongations, stop words, Snowball stems), ontology phrase matching,
//! TF-IDF and the linear scorer with its decision rule, per post, on one thread and on all
//! cores (`Classifier::classify_all`, the path of `clout topics classify`). The model is
//! trained on TweetTopicXL English (train + validation, with the built-in taxonomy) and
//! classifies real tweets (the 1,000 English ones, cycled to 100,000 posts), so it needs the
//! shared data (`$CLOUT_DATA_DIR`, default `../shared/data`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use clout::topics::input::read_labelled;
use clout::topics::{builtin, Classifier, ClassifierScratch, TopicModel, TrainParams};

const POSTS: usize = 100_000;

fn data() -> std::path::PathBuf {
    std::env::var_os("CLOUT_DATA_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data")
        })
        .join("text/tweet-topic-xl")
}

fn setup() -> (Classifier, Vec<String>) {
    let dir = data();
    let read = |f: &str| {
        read_labelled(&dir.join(f)).unwrap_or_else(|e| {
            panic!("the topics bench needs TweetTopicXL (set CLOUT_DATA_DIR): {e}")
        })
    };
    let mut train = read("en_train.jsonl");
    train.records.extend(read("en_validation.jsonl").records);
    let test = read("en_test.jsonl");
    let model = TopicModel::train(
        &train,
        TrainParams::default(),
        Some(("builtin".into(), builtin())),
    )
    .unwrap();
    let tweets: Vec<String> = train
        .records
        .iter()
        .chain(&test.records)
        .map(|r| r.text.clone())
        .collect();
    let posts = (0..POSTS)
        .map(|i| tweets[i % tweets.len()].clone())
        .collect();
    (Classifier::from_model(model), posts)
}

fn labels_sequential(c: &Classifier, posts: &[String]) -> usize {
    let mut s = ClassifierScratch::default();
    posts
        .iter()
        .map(|p| c.classify(p, None, 3, &mut s).len())
        .sum()
}

fn labels_parallel(c: &Classifier, posts: &[String]) -> usize {
    c.classify_all(posts, |p| (p.as_str(), None), 3)
        .iter()
        .map(Vec::len)
        .sum()
}

fn bench(c: &mut Criterion) {
    let (classifier, posts) = setup();
    let expected = labels_sequential(&classifier, &posts);
    assert!(expected >= POSTS, "every post gets at least its best label");
    let mut g = c.benchmark_group("topics");
    g.sample_size(10);
    g.throughput(Throughput::Elements(POSTS as u64));
    g.bench_function("classify_model_sequential", |b| {
        b.iter(|| assert_eq!(labels_sequential(&classifier, &posts), expected))
    });
    g.bench_function("classify_model_parallel", |b| {
        b.iter(|| assert_eq!(labels_parallel(&classifier, &posts), expected))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
