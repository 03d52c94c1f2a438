//! Criterion bench of classifying posts with a trained topic model: analysis (social
//! tokenizer, lower case, elongations, stop words, Snowball stems), ontology phrase matching,
//! TF-IDF and the linear scorer with its decision rule, per post, on one thread and on all
//! cores (`Classifier::classify_all`, the path of `clout topics classify`). The model is
//! trained on TweetTopicXL English (train + validation, with the built-in taxonomy), so it
//! needs the shared data (`$CLOUT_DATA_DIR`, default `../shared/data`). Two corpora:
//!
//! - `tweets`: the 1,000 English tweets cycled to 100,000 posts (every post seen before);
//! - `distinct`: every distinct sentence of BBC News (38,000 short news snippets, 22 words
//!   on average) and the 1,000 tweets, each once per iteration, so that per-thread memos see
//!   a real vocabulary with its long tail; `distinct_cold` starts each iteration with a fresh
//!   scratch (empty memos), as when a process classifies text it has never seen.
//!
//! `topics_student` classifies the distinct posts with a saved student of the embedding model
//! (about 190 labels of the built-in ontology; `clout topics classify --ontology builtin
//! --input distinct.jsonl --save-student student.model`, the corpus written by
//! `scripts/distinct_posts.py`), when `$CLOUT_STUDENT_MODEL` names one (skipped otherwise:
//! making one needs the embedding model and a minute of its time).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use clout::topics::classify::input::read_labelled;
use clout::topics::{builtin, Classifier, ClassifierScratch, TopicModel, TrainParams};

const POSTS: usize = 100_000;

fn data(dir: &str) -> std::path::PathBuf {
    std::env::var_os("CLOUT_DATA_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data")
        })
        .join(dir)
}

fn read(path: std::path::PathBuf) -> clout::topics::classify::input::LabelledSet {
    read_labelled(&path).unwrap_or_else(|e| {
        panic!("the topics bench needs TweetTopicXL and BBC (set CLOUT_DATA_DIR): {e}")
    })
}

/// The sentences of a text: its lines cut after `.`, `!` or `?` followed by a space.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.lines().flat_map(|line| {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, _) in line.match_indices(['.', '!', '?']) {
            if line[i + 1..].starts_with(' ') {
                out.push(line[start..=i].trim());
                start = i + 1;
            }
        }
        out.push(line[start..].trim());
        out.into_iter().filter(|s| !s.is_empty())
    })
}

fn setup() -> (Classifier, Vec<String>, Vec<String>) {
    let dir = data("text/tweet-topic-xl");
    let mut train = read(dir.join("en_train.jsonl"));
    train
        .records
        .extend(read(dir.join("en_validation.jsonl")).records);
    let test = read(dir.join("en_test.jsonl"));
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
    let cycled = (0..POSTS)
        .map(|i| tweets[i % tweets.len()].clone())
        .collect();
    let bbc = read(data("text/bbc"));
    let mut seen = std::collections::HashSet::new();
    let distinct: Vec<String> = tweets
        .iter()
        .map(String::as_str)
        .chain(bbc.records.iter().flat_map(|r| sentences(&r.text)))
        .filter(|s| seen.insert(s.to_string()))
        .map(str::to_owned)
        .collect();
    assert!(distinct.len() > 35_000, "{} distinct posts", distinct.len());
    (Classifier::from_model(model), cycled, distinct)
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
    let (classifier, cycled, distinct) = setup();
    for (name, posts) in [("tweets", &cycled), ("distinct", &distinct)] {
        let expected = labels_sequential(&classifier, posts);
        assert!(expected >= posts.len(), "every post gets its best label");
        let mut g = c.benchmark_group(format!("topics_{name}"));
        g.sample_size(10);
        g.throughput(Throughput::Elements(posts.len() as u64));
        if name == "distinct" {
            g.bench_function("classify_model_cold_sequential", |b| {
                b.iter(|| assert_eq!(labels_sequential(&classifier, posts), expected))
            });
        }
        // Warm: one scratch per thread, kept across iterations.
        let mut s = ClassifierScratch::default();
        g.bench_function("classify_model_sequential", |b| {
            b.iter(|| {
                let n: usize = posts
                    .iter()
                    .map(|p| classifier.classify(p, None, 3, &mut s).len())
                    .sum();
                assert_eq!(n, expected)
            })
        });
        g.bench_function("classify_model_parallel", |b| {
            b.iter(|| assert_eq!(labels_parallel(&classifier, posts), expected))
        });
        g.finish();
    }
}

/// The student named by `$CLOUT_STUDENT_MODEL`, if any.
fn student() -> Option<Classifier> {
    let path = std::env::var_os("CLOUT_STUDENT_MODEL")?;
    let model = TopicModel::load(std::path::Path::new(&path), &data(""))
        .unwrap_or_else(|e| panic!("$CLOUT_STUDENT_MODEL: {e}"));
    let c = Classifier::from_model(model);
    assert!(
        c.is_student(),
        "$CLOUT_STUDENT_MODEL is not a student model"
    );
    Some(c)
}

fn bench_student(c: &mut Criterion) {
    let Some(student) = student() else {
        eprintln!("topics_student skipped: set CLOUT_STUDENT_MODEL to a saved student model");
        return;
    };
    let (_, _, distinct) = setup();
    let expected = labels_sequential(&student, &distinct);
    assert!(expected > distinct.len() / 2, "{expected} topics");
    let mut g = c.benchmark_group("topics_student");
    g.sample_size(10);
    g.throughput(Throughput::Elements(distinct.len() as u64));
    g.bench_function("classify_distinct_cold_sequential", |b| {
        b.iter(|| assert_eq!(labels_sequential(&student, &distinct), expected))
    });
    g.bench_function("classify_distinct_parallel", |b| {
        b.iter(|| assert_eq!(labels_parallel(&student, &distinct), expected))
    });
    g.finish();
}

criterion_group!(benches, bench, bench_student);
criterion_main!(benches);
