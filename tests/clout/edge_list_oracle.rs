//! The edge-list reader against a naive line-by-line oracle: random files of canonical and
//! non-canonical ids, comments, blank lines, weights, CRLF and `\r\r\n` ends and malformed
//! records, repeated until they span many parallel chunks. Either the same edges in the same
//! order, or an error at the same line.

use clout::ingest::{edges::parse_edge_list, EdgeListOptions, Source};
use proptest::prelude::*;

/// What the oracle expects: every edge as `(src, dst)` text, or the first bad line.
fn oracle(text: &str) -> Result<Vec<(String, String)>, usize> {
    let mut edges = Vec::new();
    for (i, raw) in text
        .strip_suffix('\n')
        .unwrap_or(text)
        .split('\n')
        .enumerate()
    {
        let line = raw
            .trim_end_matches(['\r', ' ', '\t'])
            .trim_start_matches([' ', '\t']);
        if line.is_empty() || line.starts_with('#') || line.starts_with('%') {
            continue;
        }
        let fields: Vec<&str> = line.split([' ', '\t']).filter(|f| !f.is_empty()).collect();
        match fields.len() {
            2 | 3 => edges.push((fields[0].to_string(), fields[1].to_string())),
            _ => return Err(i + 1),
        }
    }
    Ok(edges)
}

fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (0u64..60).prop_map(|x| x.to_string()),
        2 => (0u64..100_000_000).prop_map(|x| x.to_string()),
        1 => Just("4294967296".to_string()),
        1 => Just("18446744073709551615".to_string()),
        1 => (0u64..9).prop_map(|x| format!("0{x}")),
        1 => Just("@ana".to_string()),
    ]
}

fn line() -> impl Strategy<Value = String> {
    let sep = prop_oneof![Just(" "), Just("\t"), Just("  "), Just(" \t")];
    let end =
        prop_oneof![4 => Just("\n"), 1 => Just("\r\n"), 1 => Just("\r\r\n"), 1 => Just(" \n")];
    prop_oneof![
        12 => (id(), sep.clone(), id(), end.clone()).prop_map(|(a, s, b, e)| format!("{a}{s}{b}{e}")),
        2 => (id(), sep.clone(), id(), end.clone()).prop_map(|(a, s, b, e)| format!("{a}{s}{b}{s}2.5{e}")),
        1 => (id(), sep, id(), end).prop_map(|(a, s, b, e)| format!(" {a}{s}{b}{e}")),
        1 => Just("# comment 1 2\n".to_string()),
        1 => Just("% matrix market\n".to_string()),
        1 => Just("\n".to_string()),
        1 => Just("   \r\n".to_string()),
    ]
}

fn bad_line() -> impl Strategy<Value = String> {
    prop_oneof![Just("7\n".to_string()), Just("1 2 3 4\n".to_string())]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn reader_agrees_with_the_oracle(
        lines in proptest::collection::vec(line(), 1..40),
        bad in proptest::option::weighted(0.2, (bad_line(), 0usize..4000)),
        repeat in prop_oneof![Just(1usize), Just(6000)],
    ) {
        let unit: String = lines.concat();
        let mut text = unit.repeat(repeat);
        if let Some((bad, at)) = &bad {
            // Spliced in at a line start somewhere in the file.
            let starts: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .filter(|&i| i < text.len())
                .collect();
            text.insert_str(starts[at % starts.len()], bad);
        }
        let want = oracle(&text);
        let got = parse_edge_list(
            &Source::from_bytes("t.txt", text.clone().into_bytes()),
            EdgeListOptions::default(),
        );
        match (want, got) {
            (Ok(want), Ok(list)) => {
                let got: Vec<(String, String)> = list
                    .src
                    .iter()
                    .zip(&list.dst)
                    .map(|(&a, &b)| (list.ids.name(a).to_string(), list.ids.name(b).to_string()))
                    .collect();
                prop_assert_eq!(got, want);
            }
            (Ok(want), Err(e)) => prop_assert!(want.is_empty(), "unexpected error {e}"),
            (Err(line), Err(e)) => {
                let e = e.to_string();
                prop_assert!(e.contains(&format!("t.txt:{line}:")), "want line {line}: {e}");
            }
            (Err(line), Ok(_)) => prop_assert!(false, "line {line} should have failed"),
        }
    }
}
