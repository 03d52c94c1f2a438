//! Trained topic classifiers on the shared data: TweetTopicXL (few-shot, where the ontology's
//! help is what lifts macro-F1 over 0.30; scikit-learn's TF-IDF + LR reaches 0.13), BBC News
//! 5-fold cross-validation (≥ 98.0% accuracy; scikit-learn 97.5–98.0%), zero-shot BBC from
//! the built-in taxonomy alone, and the train / classify / eval commands end to end.

use std::path::{Path, PathBuf};

use clout::topics::classify::eval::{cross_validate, evaluate_model, evaluate_zero_shot};
use clout::topics::classify::input::{read_labelled, LabelledSet};
use clout::topics::{
    builtin, Algorithm, Classifier, ClassifierScratch, TopicIdx, TopicModel, TrainParams,
};

use clout::text::Lang;

use crate::common::{clout, shared_data, stderr, stdout};

/// TweetTopicXL English train + validation (200 tweets) as one set, and the test set.
fn tweet_topic() -> Option<(LabelledSet, LabelledSet)> {
    let dir = shared_data("text/tweet-topic-xl")?;
    let mut train = read_labelled(&dir.join("en_train.jsonl")).unwrap();
    let validation = read_labelled(&dir.join("en_validation.jsonl")).unwrap();
    assert_eq!(train.labels, validation.labels);
    train.records.extend(validation.records);
    let test = read_labelled(&dir.join("en_test.jsonl")).unwrap();
    assert_eq!((train.records.len(), test.records.len()), (200, 800));
    assert_eq!(train.labels.len(), 19);
    Some((train, test))
}

#[test]
fn tweet_topic_few_shot_needs_the_ontology() {
    let Some((train, test)) = tweet_topic() else {
        return;
    };
    for algorithm in [Algorithm::Lr, Algorithm::Nb] {
        let params = TrainParams {
            algorithm,
            ..TrainParams::default()
        };
        let with =
            TopicModel::train(&train, params.clone(), Some(("builtin".into(), builtin()))).unwrap();
        let words_only = TopicModel::train(&train, params, None).unwrap();
        let r = evaluate_model(&with, &test).unwrap();
        let r0 = evaluate_model(&words_only, &test).unwrap();
        eprintln!(
            "{algorithm:?}: macro-F1 {:.4} (words only {:.4}), micro-F1 {:.4}",
            r.macro_f1, r0.macro_f1, r.micro_f1
        );
        assert!(r.macro_f1 >= 0.30, "{algorithm:?} macro-F1 {}", r.macro_f1);
        assert!(
            r.macro_f1 > r0.macro_f1 + 0.05,
            "{} vs {}",
            r.macro_f1,
            r0.macro_f1
        );
        assert!(!with.rule().single);
    }
}

/// Texts whose raw chunks differ from their analysed tokens in every way the fast path's
/// memo must get right: case, accents (composed and combining), Turkish dotted and dotless I,
/// German ß, emoji sequences and flags, CJK, full-width letters, ligatures, URL prefixes.
const NON_ASCII: &[&str] = &[
    "İstanbul'da FUTBOL maçı bugün, ıstanbul ISTANBUL #GalatasarayFenerbahçe",
    "Die Straße STRASSE straße: Fußball heute im Stadion ⚽ #Bundesliga",
    "Élections à Paris: le président déçu, e\u{301}le\u{301}ve 🇫🇷 café CAFÉ",
    "中文新闻 日本のアニメ 한국 음악 K-pop 🎶 ｍｕｓｉｃ ﬁlm ﬁnal",
    "👨\u{200D}👩\u{200D}👧 family dinner 👍🏽 recipes 🍕🍕 sooooo good!!! http:// www.",
    "ΣΟΦΙΑ σοφία Москва футбол, don’t stop Curry's 3-pointers 1,000.5 10:30",
];

/// The fast path (per-thread raw-chunk memo, phrase matching over token ids) gives exactly
/// the labels and scores of the reference pipeline, one post at a time with a fresh scratch,
/// on TweetTopicXL and on non-ASCII text; so do the parallel batch (per-thread scratch kept
/// across calls) and its sequential twin, for a model and for zero-shot matching.
#[test]
fn batch_classification_equals_one_post_at_a_time() {
    let Some((train, test)) = tweet_topic() else {
        return;
    };
    let model = TopicModel::train(
        &train,
        TrainParams::default(),
        Some(("builtin".into(), builtin())),
    )
    .unwrap();
    let zero_shot = Classifier::zero_shot(builtin(), "social").unwrap();
    for c in [Classifier::from_model(model), zero_shot] {
        let texts: Vec<&str> = (0..3)
            .flat_map(|_| {
                train
                    .records
                    .iter()
                    .chain(&test.records)
                    .map(|r| r.text.as_str())
                    .chain(NON_ASCII.iter().copied())
            })
            .collect();
        let alone: Vec<Vec<(TopicIdx, f64)>> = texts
            .iter()
            .map(|t| c.classify_reference(t, None, 3, &mut ClassifierScratch::default()))
            .collect();
        assert!(alone.iter().filter(|v| !v.is_empty()).count() > texts.len() / 2);
        let mut warm = ClassifierScratch::default();
        for (t, want) in texts.iter().zip(&alone) {
            assert_eq!(&c.classify(t, None, 3, &mut warm), want, "{t}");
        }
        assert_eq!(c.classify_all_sequential(&texts, |t| (t, None), 3), alone);
        for _ in 0..2 {
            assert_eq!(c.classify_all(&texts, |t| (t, None), 3), alone);
        }
        // With language hints: Turkish and German stop words and stems.
        for lang in [Lang::Tur, Lang::Deu] {
            for t in NON_ASCII.iter().chain(texts.iter().take(200)) {
                let want =
                    c.classify_reference(t, Some(lang), 3, &mut ClassifierScratch::default());
                assert_eq!(
                    c.classify(t, Some(lang), 3, &mut warm),
                    want,
                    "{t} {lang:?}"
                );
            }
        }
    }
}

#[test]
fn bbc_five_fold_cross_validation() {
    let Some(dir) = shared_data("text/bbc") else {
        return;
    };
    let set = read_labelled(&dir).unwrap();
    assert_eq!(
        set.labels,
        ["business", "entertainment", "politics", "sport", "tech"]
    );
    assert_eq!(set.records.len(), 2_223);
    let r = cross_validate(&set, &TrainParams::default(), Some(builtin()), 5).unwrap();
    eprintln!("BBC 5-fold LR accuracy {:.4}", r.accuracy);
    assert!(r.accuracy >= 0.980, "accuracy {}", r.accuracy);
    assert_eq!(r.texts, 2_223);
    // Single-label data: one label per text, so accuracy and micro-F1 agree.
    assert!((r.accuracy - r.micro_f1).abs() < 1e-12);

    let zs = evaluate_zero_shot(builtin(), "social", &set).unwrap();
    eprintln!("BBC zero-shot (builtin) accuracy {:.4}", zs.accuracy);
    assert!(zs.accuracy >= 0.80, "zero-shot accuracy {}", zs.accuracy);
}

#[test]
fn train_classify_eval_commands() {
    let Some(dir) = shared_data("text/tweet-topic-xl") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let model = tmp.path().join("tt.model");
    let (train, test) = (dir.join("en_train.jsonl"), dir.join("en_test.jsonl"));
    let (m, t, e) = (
        model.to_str().unwrap(),
        train.to_str().unwrap(),
        test.to_str().unwrap(),
    );
    let o = clout(
        &[
            "topics",
            "train",
            "--input",
            t,
            "--out",
            m,
            "--algorithm",
            "nb",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("sports → sports-and-recreation"),
        "{}",
        stderr(&o)
    );

    let o = clout(
        &["topics", "classify", "--model", m, "--input", e, "--json"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 800);
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let topics = first["topics"].as_array().unwrap();
    assert!(!topics.is_empty());
    let scores: Vec<f64> = topics
        .iter()
        .map(|t| t["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert_eq!(topics[0]["path"][0], topics[0]["topic"]);

    let o = clout(
        &["topics", "eval", "--model", m, "--input", e, "--json"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["texts"], 800);
    assert_eq!(r["labels"].as_array().unwrap().len(), 19);
    assert!(r["macro_f1"].as_f64().unwrap() > 0.2);

    let o = clout(&["topics", "eval", "--input", t, "--folds", "4"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("texts\t180\naccuracy\t"),
        "{}",
        stdout(&o)
    );

    // A damaged model is a clear error, not a panic.
    let mut bytes = std::fs::read(&model).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&model, &bytes).unwrap();
    let o = clout(&["topics", "classify", "--model", m, "--input", e], None);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("unusable topic model: truncated"),
        "{}",
        stderr(&o)
    );
}

/// Issue 12: on few-shot multi-label data the decision rule predicts about as many labels per
/// text as the data has. Its F1-only thresholds predicted 3.4 labels per tweet here (2.0
/// true; 4.9 against 1.8 on 1,000 Spanish tweets, with no text exactly right); capped, it
/// predicts 2.0–2.2, gets more label sets exactly right, and beats always guessing the two
/// commonest labels of the training data.
#[test]
fn issue12_multi_label_rule_keeps_labels_per_text_near_the_data() {
    let Some((train, test)) = tweet_topic() else {
        return;
    };
    let commonest_two = {
        let mut count = vec![0usize; train.labels.len()];
        train
            .records
            .iter()
            .flat_map(|r| &r.labels)
            .for_each(|&l| count[l as usize] += 1);
        let mut by_count: Vec<u32> = (0..count.len() as u32).collect();
        by_count.sort_by_key(|&l| std::cmp::Reverse(count[l as usize]));
        let guess = vec![by_count[..2].to_vec(); test.records.len()];
        let gold: Vec<Vec<u32>> = test.records.iter().map(|r| r.labels.clone()).collect();
        clout::topics::classify::eval::Report::new(test.labels.len(), &gold, &guess)
    };
    for algorithm in [Algorithm::Lr, Algorithm::Nb] {
        let params = TrainParams {
            algorithm,
            ..TrainParams::default()
        };
        let model = TopicModel::train(&train, params, Some(("builtin".into(), builtin()))).unwrap();
        let r = evaluate_model(&model, &test).unwrap();
        eprintln!(
            "{algorithm:?}: {:.2} labels per text ({:.2} true), exact {:.4}, micro-F1 {:.4} \
             (two commonest labels: {:.4})",
            r.predicted_labels_per_text,
            r.true_labels_per_text,
            r.accuracy,
            r.micro_f1,
            commonest_two.micro_f1
        );
        assert!((r.true_labels_per_text - 1.98).abs() < 0.01);
        assert!(
            r.predicted_labels_per_text < 1.2 * r.true_labels_per_text,
            "{algorithm:?}: {} labels per text",
            r.predicted_labels_per_text
        );
        assert!(
            r.accuracy > 0.05,
            "{algorithm:?}: exact match {}",
            r.accuracy
        );
        assert!(r.micro_f1 > commonest_two.micro_f1 + 0.05);
        // The rule records what the internal cross-validation saw.
        let (predicted, truth) = model.rule().labels_per_text.unwrap();
        assert!(
            (truth - 2.0).abs() < 0.1 && predicted < 1.2 * truth,
            "{predicted} {truth}"
        );
    }
}

/// Writes a labelled set where every text carries four labels: six texts about a band
/// (`a1`–`a4`), six about football (`b1`–`b4`); returns it and a post to classify.
fn four_label_set(dir: &Path) -> (PathBuf, PathBuf) {
    let band = [
        "guitar band concert tonight",
        "the band played guitar live",
        "concert tickets for the band",
        "live guitar solo at the concert",
        "new album from the band",
        "band tour concert dates",
    ];
    let football = [
        "football match goal tonight",
        "the striker scored a goal",
        "football league match result",
        "goal in the final match",
        "the team won the football match",
        "match day football fans",
    ];
    let mut lines = String::new();
    for (group, texts) in [("a", band), ("b", football)] {
        for (i, t) in texts.iter().enumerate() {
            let labels: Vec<String> = (1..=4).map(|k| format!("\"{group}{k}\"")).collect();
            lines.push_str(&format!(
                "{{\"id\":\"{group}{i}\",\"text\":\"{t}\",\"labels\":[{}]}}\n",
                labels.join(",")
            ));
        }
    }
    let (set, post) = (dir.join("four.jsonl"), dir.join("post.jsonl"));
    std::fs::write(&set, lines).unwrap();
    std::fs::write(
        &post,
        "{\"id\":\"p\",\"text\":\"guitar concert with the band\"}\n",
    )
    .unwrap();
    (set, post)
}

/// Runs `train` on `set` without an ontology into `model`, `global` flags first.
fn train_four(global: &[&str], set: &Path, model: &Path) -> std::process::Output {
    let (set, model) = (set.to_str().unwrap(), model.to_str().unwrap());
    let train = [
        "topics",
        "train",
        "--with-ontology",
        "none",
        "--input",
        set,
        "--out",
        model,
    ];
    clout(&[global, &train[..]].concat(), None)
}

/// Issue 12: `-q` silences `train`; `classify --model` keeps every label the model's rule
/// keeps (it cut them at `--top 3`), and cuts them only at an explicit `--top`.
#[test]
fn issue12_quiet_train_and_classify_keeps_a_models_labels() {
    let dir = tempfile::tempdir().unwrap();
    let (set, post) = four_label_set(dir.path());
    let model = dir.path().join("four.model");
    let o = train_four(&["-q"], &set, &model);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let o = train_four(&[], &set, &model);
    assert!(
        stderr(&o).contains("4.00 labels per text in cross-validation (4.00 true)"),
        "{}",
        stderr(&o)
    );

    let (post, m) = (post.to_str().unwrap(), model.to_str().unwrap());
    let labels = |extra: &[&str]| -> Vec<String> {
        let o = clout(
            &[
                &["topics", "classify", "--model", m, "--input", post],
                extra,
            ]
            .concat(),
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let out = stdout(&o);
        let (_, topics) = out.trim_end().split_once('\t').unwrap();
        topics
            .split(' ')
            .map(|t| t.split(':').next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(labels(&[]), ["a1", "a2", "a3", "a4"]);
    assert_eq!(labels(&["--top", "2"]), ["a1", "a2"]);
}

/// Issue 12: labels that cannot score are named instead of silently scoring zero: labels a
/// model does not know (and model labels the input lacks), labels mapped to no topic of the
/// ontology in zero-shot evaluation.
#[test]
fn issue12_labels_that_cannot_score_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let (set, _) = four_label_set(dir.path());
    let model = dir.path().join("four.model");
    let o = train_four(&["-q"], &set, &model);
    assert!(o.status.success(), "{}", stderr(&o));
    let m = model.to_str().unwrap();
    let other = dir.path().join("other.jsonl");
    std::fs::write(
        &other,
        "{\"id\":1,\"text\":\"guitar band\",\"labels\":[\"a1\",\"music\"]}\n\
         {\"id\":2,\"text\":\"hillary speech on the economy\",\"labels\":[\"hillary\"]}\n",
    )
    .unwrap();
    let other = other.to_str().unwrap();
    let o = clout(&["topics", "eval", "--model", m, "--input", other], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning: labels the model does not know (never predicted: each scores 0): hillary, music"),
        "{err}"
    );
    assert!(
        err.contains("absent from the input (their predictions are not counted): a2, a3, a4, b1"),
        "{err}"
    );

    // Keyword zero-shot: the semantic one also scores a label by its name's embedding.
    let o = clout(
        &[
            "topics",
            "eval",
            "--keywords",
            "--ontology",
            "builtin",
            "--input",
            other,
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("labels mapped to no topic of builtin (zero-shot never predicts them"),
        "{err}"
    );
    assert!(
        err.contains("a1 (closest: ") && err.contains("; hillary (no topic has a similar name)"),
        "{err}"
    );
    assert!(!err.contains("music"), "{err}");
}

/// Issue 12: `train` printed `hillary → -` although the Klout ontology has `hillary-clinton`;
/// now a warning names the label and suggests the closest topics, a prefix match first.
#[test]
fn issue12_train_suggests_topics_for_unmapped_labels() {
    let Some(klout) = shared_data("topics/klout") else {
        return;
    };
    let data_dir = klout.parent().and_then(|p| p.parent()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("h.jsonl");
    std::fs::write(
        &set,
        "{\"id\":1,\"text\":\"hillary speech today\",\"labels\":[\"hillary\"]}\n\
         {\"id\":2,\"text\":\"the game tonight\",\"labels\":[\"sports\"]}\n\
         {\"id\":3,\"text\":\"vote hillary\",\"labels\":[\"hillary\",\"sports\"]}\n",
    )
    .unwrap();
    let model = dir.path().join("h.model");
    let o = clout(
        &[
            "-q",
            "topics",
            "train",
            "--with-ontology",
            "klout",
            "--input",
            set.to_str().unwrap(),
            "--out",
            model.to_str().unwrap(),
            "--data-dir",
            data_dir.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "labels mapped to no topic of klout (the ontology adds nothing to them; \
                      rename a label to a topic's name or slug to link it): hillary (closest: \
                      Hillary Clinton (hillary-clinton)"
        ),
        "{err}"
    );
    assert!(!err.contains("sports (closest"), "{err}");
}

/// Micro-F1 of predicted label sets against the gold ones.
fn micro_f1(gold: &[Vec<String>], predicted: &[Vec<String>]) -> f64 {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (g, p) in gold.iter().zip(predicted) {
        let hit = p.iter().filter(|l| g.contains(l)).count();
        tp += hit;
        fp += p.len() - hit;
        fn_ += g.len() - hit;
    }
    2.0 * tp as f64 / (2 * tp + fp + fn_) as f64
}

#[test]
fn issue12_embedding_features_lift_a_supervised_model_on_real_tweets() {
    let Some(_) = crate::embed::model_dir() else {
        return;
    };
    let Some(dir) = shared_data("text/tweet-topic-xl") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let (train, test) = (dir.join("en_train.jsonl"), dir.join("en_test.jsonl"));
    let micro = |features: &str| -> (f64, PathBuf) {
        let model = tmp.path().join(format!("{features}.model"));
        let out = clout(
            &[
                "topics",
                "train",
                "-q",
                "--input",
                train.to_str().unwrap(),
                "--out",
                model.to_str().unwrap(),
                "--features",
                features,
            ],
            None,
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let out = clout(
            &[
                "topics",
                "eval",
                "--json",
                "--model",
                model.to_str().unwrap(),
                "--input",
                test.to_str().unwrap(),
            ],
            None,
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (r["micro_f1"].as_f64().unwrap(), model)
    };
    let (words, _) = micro("tfidf");
    let (both, model) = micro("tfidf,embedding");
    // Measured (180 training tweets, 800 test): 0.457 → 0.581.
    assert!(both >= 0.53, "tfidf,embedding micro-F1 {both}");
    assert!(both > words + 0.08, "{both} vs tfidf alone {words}");
    // `classify --model` reads the embeddings too, in batches: its labels score the same.
    let out = clout(
        &[
            "topics",
            "classify",
            "--json",
            "--model",
            model.to_str().unwrap(),
            "--input",
            test.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let predicted: Vec<Vec<String>> = stdout(&out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["topics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["topic"].as_str().unwrap().to_owned())
                .collect()
        })
        .collect();
    let set = read_labelled(&test).unwrap();
    let gold: Vec<Vec<String>> = set
        .records
        .iter()
        .map(|r| {
            r.labels
                .iter()
                .map(|&l| set.labels[l as usize].clone())
                .collect()
        })
        .collect();
    assert!((micro_f1(&gold, &predicted) - both).abs() < 1e-9);
    // Asked of a model without the features, the flag is refused with what it takes.
    let out = clout(
        &[
            "topics",
            "train",
            "--input",
            "x",
            "--out",
            "y",
            "--features",
            "embedding",
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("tfidf,embedding"), "{}", stderr(&out));
}
