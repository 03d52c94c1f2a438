//! Any bytes into the posts reader.
#![no_main]
use clout::ingest::{posts::parse_posts, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else { return };
    let _ = parse_posts(&Source::from_bytes("fuzz.jsonl", body.to_vec()), flags & 1 != 0);
});
