//! Criterion bench of the text pipeline: the `social` analyzer (social tokenizer, lower case,
//! elongations, stop words, English Snowball stems) over a generated corpus of 100,000 short
//! posts (12 tokens on average: words, contractions, elongations, #CamelCase hashtags,
//! @mentions, URLs, numbers, emoji), on one thread and on all cores. Asserts its token count so
//! that a broken pipeline cannot post a good time.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rayon::prelude::*;

use clout::text::{AnalyzerRegistry, TextAnalyzer, Tokens};

const POSTS: usize = 100_000;
/// Tokens the `social` analyzer keeps from the corpus below.
const EXPECTED_TOKENS: usize = 1_064_657;

const WORDS: &[&str] = &[
    "the",
    "Running",
    "game",
    "tonight",
    "was",
    "amazing",
    "I",
    "love",
    "gardening",
    "tips",
    "from",
    "my",
    "neighbours",
    "don't",
    "miss",
    "it's",
    "Curry's",
    "three",
    "pointers",
    "election",
    "results",
    "are",
    "coming",
    "in",
    "new",
    "phone",
    "camera",
    "recipes",
    "for",
    "dinner",
    "soooo",
    "goooal",
    "what",
    "a",
    "match",
    "stocks",
    "rallied",
    "after",
    "earnings",
    "music",
    "festival",
    "lineup",
    "announced",
    "today",
    "climate",
    "policy",
    "debate",
    "café",
    "naïve",
    "über",
    "movies",
    "season",
    "finale",
    "coffee",
    "morning",
    "vibes",
    "with",
];
const EXTRAS: &[&str] = &[
    "#GardeningTips",
    "#NBAFinals2024",
    "#black_friday",
    "@BBCSport",
    "@jack",
    "https://t.co/AbCdEf123",
    "www.example.com/path",
    "1,000",
    "10:30",
    "😀",
    "👍🏽",
    "🇫🇷",
    "🔥🔥",
];

/// A deterministic corpus of short posts (a 64-bit LCG picks the tokens).
fn corpus() -> Vec<String> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    (0..POSTS)
        .map(|_| {
            let len = 6 + next(12);
            let mut post = String::new();
            for i in 0..len {
                if i > 0 {
                    post.push(' ');
                }
                if next(5) == 0 {
                    post.push_str(EXTRAS[next(EXTRAS.len())]);
                } else {
                    post.push_str(WORDS[next(WORDS.len())]);
                }
            }
            post.push_str(if next(2) == 0 { "!" } else { "." });
            post
        })
        .collect()
}

fn count_sequential(analyzer: &TextAnalyzer, posts: &[String]) -> usize {
    let mut tokens = Tokens::new();
    posts
        .iter()
        .map(|p| {
            analyzer.analyze(p, &mut tokens);
            tokens.len()
        })
        .sum()
}

fn count_parallel(analyzer: &TextAnalyzer, posts: &[String]) -> usize {
    posts
        .par_iter()
        .map_init(Tokens::new, |tokens, p| {
            analyzer.analyze(p, tokens);
            tokens.len()
        })
        .sum()
}

fn bench(c: &mut Criterion) {
    let posts = corpus();
    let analyzer = AnalyzerRegistry::default().get("social").unwrap();
    let mut g = c.benchmark_group("text");
    g.sample_size(10);
    g.throughput(Throughput::Elements(POSTS as u64));
    g.bench_function("social_analyze_sequential", |b| {
        b.iter(|| assert_eq!(count_sequential(&analyzer, &posts), EXPECTED_TOKENS))
    });
    g.bench_function("social_analyze_parallel", |b| {
        b.iter(|| assert_eq!(count_parallel(&analyzer, &posts), EXPECTED_TOKENS))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
