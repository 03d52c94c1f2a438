//! Compressed inputs stream: decompression bombs stop early, with a clear error, inside a small
//! address-space limit; large valid compressed files parse exactly as their plain copies.

use std::io::Write;
use std::time::{Duration, Instant};

use clout::ingest::{read_edge_list, EdgeListOptions};

use crate::common::stderr;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Runs `clout args` with at most 1 GiB of address space (a whole-file decompression of the
/// bombs below needs 2 to 4 GiB), returning its output and how long it took.
fn clout_limited(args: &[&str]) -> (std::process::Output, Duration) {
    let t = Instant::now();
    let out = std::process::Command::new("prlimit")
        .arg("--as=1073741824")
        .arg(env!("CARGO_BIN_EXE_clout"))
        .args(args)
        .arg("--no-cache")
        .output()
        .expect("prlimit runs clout");
    (out, t.elapsed())
}

/// Writes `bytes` as `name` in a fresh directory and checks `clout pagerank` refuses it.
fn assert_refused_as_bomb(name: &str, bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let (out, took) = clout_limited(&["pagerank", file.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("decompression bomb") && err.contains(&*file.to_string_lossy()),
        "{err}"
    );
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

#[test]
fn gzip_bomb_of_zeros_is_refused_early() {
    // 256 gzip members of 8 MiB of zeros: 2 GiB out of about 2 MB.
    let member = gzip(&vec![0u8; 8 << 20]);
    assert_refused_as_bomb("follows.txt.gz", &member.repeat(256));
}

#[test]
fn zstd_bomb_of_comment_lines_is_refused_early() {
    // 64 frames of 64 MiB of a repeated comment line: 4 GiB out of a few kB, no record.
    let frame = zstd::encode_all(&b"# junk\n".repeat((64 << 20) / 7)[..], 19).unwrap();
    assert_refused_as_bomb("anything", &frame.repeat(64));
}

/// About 40 MB of edges (several decompression blocks) read plain, gzip and zstd: the same.
#[test]
fn large_compressed_edge_lists_parse_as_their_plain_copies() {
    let mut text = String::with_capacity(40 << 20);
    let mut x = 7u64;
    while text.len() < 40 << 20 {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let (a, b) = ((x >> 33) % 200_000, (x >> 13) % 200_000);
        text.push_str(&format!("{a}\t{b}\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("g.txt");
    std::fs::write(&plain, &text).unwrap();
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(text.as_bytes()).unwrap();
    let gz = dir.path().join("g.txt.gz");
    std::fs::write(&gz, e.finish().unwrap()).unwrap();
    let zst = dir.path().join("g.txt.zst");
    std::fs::write(&zst, zstd::encode_all(text.as_bytes(), 1).unwrap()).unwrap();
    let opts = EdgeListOptions::default();
    let want = read_edge_list(&plain, opts).unwrap();
    for path in [gz, zst] {
        let got = read_edge_list(&path, opts).unwrap();
        assert_eq!(got.ids, want.ids);
        assert_eq!((&got.src, &got.dst), (&want.src, &want.dst));
    }
    assert_eq!(want.len(), text.lines().count());
}
