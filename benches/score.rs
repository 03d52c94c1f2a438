//! Criterion bench of the explained score on generated interactions: a Graph500 Kronecker edge
//! list read as `actor → target` interactions (kinds and times spread deterministically over a
//! week), scored in full (engagement, PageRank, reach, amplification, combination). Scale from
//! `CLOUT_BENCH_SCALE` (default 16: 65k ids, 1M interactions). The bench checks its own output.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use clout::ingest::interactions::InteractionFormat;
use clout::ingest::{edges::parse_edge_list, EdgeListOptions, IdMap, Source};
use clout::ingest::{Interaction, Interactions, Kind, Skips};
use clout::score::{score, Inputs, ScoreParams};

/// Kronecker edges as interactions: every 7th a mention, every 11th a reply, else a share.
fn interactions() -> Interactions {
    let (_, text) = common::kronecker(common::scale(16));
    let source = Source::from_bytes("kron.txt", text);
    let list = parse_edge_list(&source, EdgeListOptions::default()).unwrap();
    let records = (0..list.len())
        .map(|i| Interaction {
            actor: list.src[i],
            target: list.dst[i],
            kind: match (i % 7, i % 11) {
                (0, _) => Kind::Mention,
                (_, 0) => Kind::Reply,
                _ => Kind::Share,
            },
            time: 1_341_000_000 + (i as i64 * 7_919) % 604_800,
            post: None,
            network: None,
        })
        .collect();
    Interactions {
        format: InteractionFormat::Generic,
        accounts: list.ids,
        posts: IdMap::Text(Vec::new()),
        networks: Vec::new(),
        records,
        skips: Skips::default(),
    }
}

fn bench(c: &mut Criterion) {
    let inter = interactions();
    let params = ScoreParams::default().check(&inter).unwrap();
    let input = Inputs::new(&inter);
    let mut g = c.benchmark_group("score");
    g.sample_size(10);
    g.throughput(Throughput::Elements(inter.records.len() as u64));
    g.bench_function("all_accounts", |b| {
        b.iter(|| {
            let s = score(&input, &params).unwrap();
            assert_eq!(s.accounts.len(), inter.accounts.len());
            assert!(s.impact.converged);
            assert!(s.accounts.iter().all(|a| (1.0..100.0).contains(&a.score())));
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
