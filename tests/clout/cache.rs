//! The binary graph cache: used on the second run, invalidated when the source changes,
//! damaged files detected and rebuilt, identical graphs either way.

use std::io::Write;

use clout::graph::cache::{self, CacheKey};
use clout::graph::{load, LoadOptions};

use crate::common::{clout, stderr};

fn timings(o: &std::process::Output) -> serde_json::Value {
    let line = stderr(o)
        .lines()
        .find(|l| l.starts_with("clout-timings "))
        .expect("timings line")
        .to_string();
    serde_json::from_str(&line["clout-timings ".len()..]).unwrap()
}

#[test]
fn second_run_uses_the_cache_and_a_changed_file_rebuilds_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("g.txt");
    std::fs::write(&input, "a b\nb c\nc a\na c\n").unwrap();
    let cache_dir = dir.path().join("cache");
    let args = ["pagerank", input.to_str().unwrap(), "--json", "--timings"];
    let first = clout(&args, Some(&cache_dir));
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(timings(&first)["from_cache"], false);
    let second = clout(&args, Some(&cache_dir));
    assert_eq!(timings(&second)["from_cache"], true);
    assert_eq!(
        first.stdout, second.stdout,
        "cached graph gives the same ranks"
    );
    let mut no_cache = args.to_vec();
    no_cache.push("--no-cache");
    let built = clout(&no_cache, Some(&cache_dir));
    assert!(built.status.success(), "{}", stderr(&built));
    assert_eq!(
        first.stdout, built.stdout,
        "the PageRank-only build gives the same ranks"
    );
    // Append an edge: size and mtime change, so the cache is stale.
    std::fs::OpenOptions::new()
        .append(true)
        .open(&input)
        .unwrap()
        .write_all(b"c d\n")
        .unwrap();
    let third = clout(&args, Some(&cache_dir));
    assert_eq!(timings(&third)["from_cache"], false);
    assert_eq!(timings(&third)["nodes"], 4);
}

#[test]
fn text_ids_weights_and_damage() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("g.txt");
    std::fs::write(&input, "@a -5 2\n-5 @c 0.5\n@c @a 1\n@a @c 3\n").unwrap();
    let opts = LoadOptions {
        weighted: true,
        cache_dir: Some(dir.path().join("c")),
        ..Default::default()
    };
    let built = load(&input, &opts).unwrap();
    assert!(!built.from_cache);
    let cached = load(&input, &opts).unwrap();
    assert!(cached.from_cache);
    let (a, b) = (&built.graph, &cached.graph);
    assert_eq!(a.ids(), b.ids());
    assert_eq!(a.in_edges().targets(), b.in_edges().targets());
    assert_eq!(a.out_edges().weights(), b.out_edges().weights());
    assert_eq!(built.report, cached.report);
    // Unweighted is another cache entry.
    assert!(
        !load(
            &input,
            &LoadOptions {
                weighted: false,
                ..opts.clone()
            }
        )
        .unwrap()
        .from_cache
    );
    // Flip one byte in the payload: the checksum catches it, the load rebuilds and warns.
    let key = CacheKey::of(&input, true, false).unwrap();
    let file = key.path_in(opts.cache_dir.as_ref().unwrap(), &input);
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0xff;
    std::fs::write(&file, &bytes).unwrap();
    assert!(matches!(
        cache::load(&file, &key),
        Err(clout::Error::Cache { .. })
    ));
    let again = load(&input, &opts).unwrap();
    assert!(!again.from_cache);
    assert!(again.cache_warning.unwrap().contains("checksum"));
    assert!(
        load(&input, &opts).unwrap().from_cache,
        "rewritten after the damage"
    );
}

#[test]
fn undirected_reads_are_cached_apart_and_keep_their_kind() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("g.txt");
    std::fs::write(&input, "1 2\n2 1\n2 3\n").unwrap();
    let directed = LoadOptions {
        cache_dir: Some(dir.path().join("c")),
        ..Default::default()
    };
    let undirected = LoadOptions {
        undirected: true,
        ..directed.clone()
    };
    assert!(!load(&input, &directed).unwrap().from_cache);
    let built = load(&input, &undirected).unwrap();
    assert!(!built.from_cache, "another cache entry");
    let cached = load(&input, &undirected).unwrap();
    assert!(cached.from_cache);
    for g in [&built.graph, &cached.graph] {
        assert!(g.is_undirected());
        assert_eq!((g.num_edges(), g.num_edges_as_read()), (4, 2));
    }
    assert_eq!(built.report, cached.report);
    assert_eq!(built.report.duplicates_merged, 1);
    assert!(!load(&input, &directed).unwrap().graph.is_undirected());
}
