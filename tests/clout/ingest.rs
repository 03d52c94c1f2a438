//! Readers on the real shared files: every quirk of the published datasets, with their
//! published record counts.

use clout::ingest::{read_edge_list, read_interactions, EdgeListOptions, IdMap, Kind};

use crate::common::shared_data;

#[test]
fn higgs_activity_counts_match_the_published_ones() {
    let Some(path) = shared_data("higgs/higgs-activity_time.txt.gz") else {
        return;
    };
    let i = read_interactions(&path, false).unwrap();
    assert_eq!(
        i.format,
        clout::ingest::interactions::InteractionFormat::Higgs
    );
    assert_eq!(i.records.len(), 563_069);
    let count = |k| i.records.iter().filter(|r| r.kind == k).count();
    assert_eq!(
        (count(Kind::Share), count(Kind::Mention), count(Kind::Reply)),
        (354_930, 171_237, 36_902)
    );
    assert!(i
        .records
        .iter()
        .all(|r| (1_341_000_000..1_342_000_000).contains(&r.time)));
}

#[test]
fn klout_reactions_keep_negative_fingerprints() {
    let Some(path) =
        shared_data("interactions/klout-when-to-post/sample/user_timestamp_open_set_tw.tsv")
    else {
        return;
    };
    let i = read_interactions(&path, false).unwrap();
    assert_eq!(i.records.len(), 1000);
    assert!(
        matches!(i.accounts, IdMap::Text(_)),
        "negative ids are kept as text"
    );
    let first = i.records[0];
    assert_eq!(
        i.accounts.name(first.target).to_string(),
        "-3484984757207668258"
    );
    assert_eq!(first.time, 1_413_331_280);
}

#[test]
fn snap_edge_lists_with_their_quirks() {
    // (file, records, distinct ids): CRLF, `\r\r\n`, tabs, `#` headers, gzip, third column.
    let cases = [
        ("graphs/wiki-vote/Wiki-Vote.txt", 103_689, 7_115),
        ("graphs/slashdot/soc-Slashdot0902.txt.gz", 948_464, 82_168),
        ("graphs/email-eu-core/email-Eu-core.txt", 25_571, 1_005),
        (
            "graphs/ego-facebook/facebook_combined.txt.gz",
            88_234,
            4_039,
        ),
        ("graphs/college-msg/CollegeMsg.txt", 59_835, 1_899),
        // `node dept`, `\r\r\n` ends: department ids 0..41 are also node ids, so 1,005 distinct.
        (
            "graphs/email-eu-core/email-Eu-core-department-labels.txt",
            1_005,
            1_005,
        ),
    ];
    for (rel, records, nodes) in cases {
        let Some(path) = shared_data(rel) else { return };
        let l = read_edge_list(&path, EdgeListOptions::default()).unwrap();
        assert_eq!((l.len(), l.ids.len()), (records, nodes), "{rel}");
    }
    let Some(path) = shared_data("higgs/higgs-retweet_network.edgelist.gz") else {
        return;
    };
    let l = read_edge_list(
        &path,
        EdgeListOptions {
            weighted: true,
            lenient: false,
        },
    )
    .unwrap();
    assert_eq!(l.weights.unwrap().iter().sum::<f64>(), 354_930.0);
}
