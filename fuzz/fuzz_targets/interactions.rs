//! Any bytes into the interaction reader (all four layouts are reachable by their first line).
#![no_main]
use clout::ingest::{interactions::parse_interactions, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else { return };
    let _ = parse_interactions(&Source::from_bytes("fuzz.txt", body.to_vec()), flags & 1 != 0);
});
