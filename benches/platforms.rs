//! Bluesky Jetstream reading speed, in bytes of decompressed JSON per second: parsing lines
//! alone (in parallel) and the whole read into clout's records (parse, then apply in order),
//! on the synthetic demo written as Jetstream (`CLOUT_BENCH_ACCOUNTS`, default 10,000
//! accounts, about 60 MB). Asserts the number of events and records it reads.

use std::time::Duration;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rayon::prelude::*;

use clout::generate::social::{write_dataset_as, DatasetFormat, SocialParams};
use clout::ingest::platform::bluesky::{parse_line, Event};
use clout::ingest::platform::canonical::Canonical;
use clout::ingest::platform::{read, Platform};
use clout::ingest::Source;

/// The demo with `accounts` accounts as Jetstream lines.
fn jetstream(accounts: u32) -> Vec<u8> {
    let spec = SocialParams {
        accounts,
        seed: 1,
        ..Default::default()
    }
    .check()
    .expect("valid parameters");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("bsky");
    write_dataset_as(&spec, &dir, false, DatasetFormat::Bluesky, &mut |_| {}).unwrap();
    std::fs::read(dir.join("jetstream.jsonl")).unwrap()
}

fn bench(c: &mut Criterion) {
    let accounts = std::env::var("CLOUT_BENCH_ACCOUNTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let text = jetstream(accounts);
    let lines: Vec<&[u8]> = text
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let creates = |events: &[Event]| {
        events
            .iter()
            .filter(|e| matches!(e, Event::Create { .. }))
            .count()
    };
    let parsed: Vec<Event> = lines.par_iter().map(|l| parse_line(l).unwrap()).collect();
    let want = creates(&parsed);
    assert!(
        want > lines.len() / 2,
        "{want} creates of {} lines",
        lines.len()
    );

    let mut g = c.benchmark_group("jetstream");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("parse_lines_serde_json", |b| {
        b.iter(|| {
            let events: Vec<Event> = lines.par_iter().map(|l| parse_line(l).unwrap()).collect();
            assert_eq!(creates(&events), want);
        })
    });
    g.bench_function("serde_json_ignored_any_ceiling", |b| {
        b.iter(|| {
            let n = lines
                .par_iter()
                .filter(|l| serde_json::from_slice::<serde::de::IgnoredAny>(l).is_ok())
                .count();
            assert_eq!(n, lines.len());
        })
    });
    let source = Source::from_bytes("jetstream.jsonl", text.clone());
    g.bench_function("read_into_records", |b| {
        b.iter(|| {
            let mut canon = Canonical::default();
            let skips = read(Platform::Bluesky, &source, &mut canon, false).unwrap();
            assert_eq!((canon.standing().count(), skips.total()), (want, 0));
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
