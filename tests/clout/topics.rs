//! Topic ontologies on the shared data: the Klout Topic Ontology's published counts and
//! roll-up paths, IAB Content Taxonomy 3.1, and the built-in taxonomy's consistency.

use clout::topics::ontology::{iab::load_iab, klout::load_klout};
use clout::topics::{self, Ontology, OntologySource};

use crate::common::shared_data;

fn slugs(o: &Ontology, path: &[u32]) -> Vec<String> {
    path.iter().map(|&i| o.topic(i).slug.clone()).collect()
}

#[test]
fn klout_ontology_counts_and_roll_up() {
    let Some(dir) = shared_data("topics/klout/klout_topic_ontology/dataset") else {
        return;
    };
    let data_dir = dir.ancestors().nth(4).unwrap();
    let k = load_klout(data_dir).unwrap();
    let o = &k.ontology;
    assert_eq!(k.topic_records, 8_033);
    // The edges and names use one topic the topics file lacks.
    assert_eq!(k.implied_topics, ["economics"]);
    assert_eq!(o.len(), 8_034);
    assert_eq!(o.topic(o.find("economics").unwrap()).name, "Economics");
    assert_eq!(k.edge_records, 13_446);
    assert_eq!(k.root_edges, 16);
    assert_eq!(k.name_records, 47_930);
    // 13,446 records less the 16 `_ROOT_` edges and `_ROOT_`'s self-loop.
    assert_eq!(o.edge_count(), 13_429);
    assert_eq!(o.roots().len(), 16);
    assert!(o
        .roots()
        .iter()
        .all(|&r| o.topic(r).slug.ends_with("-super")));

    let curry = o.find("Stephen Curry").unwrap();
    assert_eq!(o.topic(curry).id, "10000000000000010703"); // beyond i64::MAX
    assert_eq!(
        slugs(o, &o.path(curry)),
        ["sports-and-recreation-super", "basketball", "stephen-curry"]
    );
    assert!(o.ancestors(curry).contains(&o.find("basketball").unwrap()));
    // Every topic rolls up to one of the 16 super-topics.
    for i in 0..o.len() as u32 {
        assert!(o.roots().contains(&o.path(i)[0]));
    }
    // Display names in other languages find the topic too.
    let fr = &o.topic(curry).names;
    assert!(fr.iter().any(|(lang, _)| lang == "fr"));
    let basket = o.lookup("Baloncesto");
    assert!(
        basket.contains(&o.find("basketball").unwrap()),
        "{basket:?}"
    );
    assert!(o
        .closest("basketbal", 3)
        .contains(&o.find("basketball").unwrap()));
    let err = o.find("basketbal").unwrap_err().to_string();
    assert!(err.contains("Basketball"), "{err}");
}

#[test]
fn iab_taxonomy_loads() {
    let Some(file) = shared_data("topics/iab/Content_Taxonomy_3.1.tsv") else {
        return;
    };
    let data_dir = file.ancestors().nth(3).unwrap();
    let o = load_iab(data_dir).unwrap();
    assert_eq!(o.len(), 704);
    assert_eq!(o.roots().len(), 37);
    let parks = o.find("Amusement and Theme Parks").unwrap();
    assert_eq!(
        slugs(&o, &o.path(parks)),
        ["attractions", "amusement-and-theme-parks"]
    );
    assert_eq!(o.topic(parks).id, "151");
    let via_source = OntologySource::parse("iab").load(data_dir).unwrap();
    assert_eq!(via_source.len(), 704);
}

#[test]
fn builtin_taxonomy_is_consistent() {
    let o = topics::builtin();
    assert_eq!(o.roots().len(), 16);
    for i in 0..o.len() as u32 {
        let path = o.path(i);
        assert!(o.roots().contains(&path[0]), "{}", o.topic(i).id);
        for &p in o.parents(i) {
            assert!(o.depth(p) < o.depth(i) || o.parents(i).len() > 1);
        }
    }
    assert_eq!(OntologySource::parse("builtin"), OntologySource::Builtin);
    let missing = OntologySource::parse("/nonexistent/taxonomy.tsv")
        .load(std::path::Path::new("."))
        .unwrap_err();
    assert!(
        missing.to_string().starts_with("/nonexistent/taxonomy.tsv"),
        "{missing}"
    );
}

#[test]
fn classify_cli_zero_shot_with_paths() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts.jsonl");
    std::fs::write(
        &posts,
        concat!(
            r#"{"id":"1","author":"a","time":0,"text":"What a dunk! The NBA finals tonight #Basketball"}"#,
            "\n",
            r#"{"id":2,"text":"nothing to see"}"#,
            "\n"
        ),
    )
    .unwrap();
    let p = posts.to_str().unwrap();
    let o = crate::common::clout(
        &[
            "topics",
            "classify",
            "--input",
            p,
            "--json",
            "--top",
            "1",
            "--keywords",
        ],
        None,
    );
    assert!(o.status.success(), "{}", crate::common::stderr(&o));
    let out = crate::common::stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        r#"{"id":"1","topics":[{"topic":"basketball","score":3.0,"path":["sports-and-recreation","basketball"]}]}"#
    );
    assert_eq!(lines[1], r#"{"id":"2","topics":[]}"#);

    std::fs::write(&posts, "{\"id\":\"1\",\"text\":\"ok\"}\n{\"id\":\"2\"}\n").unwrap();
    let o = crate::common::clout(&["topics", "classify", "--input", p], None);
    assert!(!o.status.success());
    assert!(crate::common::stderr(&o).contains("posts.jsonl:2: missing `text`"));
    let o = crate::common::clout(
        &[
            "topics",
            "classify",
            "--input",
            p,
            "--ontology",
            "/no/such.tsv",
        ],
        None,
    );
    assert!(crate::common::stderr(&o).contains("/no/such.tsv"));
}
