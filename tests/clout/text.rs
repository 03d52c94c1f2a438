//! The text pipeline on real posts: TweetTopicXL tweets analyse without panics, keep their
//! hashtags' words, and detection finds English.

use clout::text::{lang, AnalyzerRegistry, Lang, TokenKind, Tokens};

use crate::common::shared_data;

#[test]
fn tweet_topic_xl_tweets_analyse() {
    let Some(file) = shared_data("text/tweet-topic-xl/en_test.jsonl") else {
        return;
    };
    let text = std::fs::read_to_string(file).unwrap();
    let analyzers = AnalyzerRegistry::default();
    let social = analyzers.get("social").unwrap();
    let mut tokens = Tokens::new();
    let (mut posts, mut total, mut english) = (0, 0, 0);
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let tweet = v["text"].as_str().unwrap();
        social.analyze(tweet, &mut tokens);
        total += tokens.len();
        posts += 1;
        english += usize::from(lang::detect(tweet) == Some(Lang::Eng));
        for (kind, t) in tokens.iter() {
            assert!(!t.is_empty());
            if kind == TokenKind::Word {
                assert_eq!(t, t.to_lowercase(), "{tweet}");
            }
        }
    }
    assert_eq!(posts, 800);
    assert!(total > 800 * 5, "{total}");
    assert!(english > 500, "{english} of 800 detected as English");
}
