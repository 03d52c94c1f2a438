//! Elongations: runs of three or more of the same letter, as people stretch words online
//! (`soooo`, `gooooal`), are cut to at most `max_run` letters: 2 by default (`soo`, `gooal`,
//! and `cooool` → `cool`, right for the many English words with doubled letters), or 1 (`so`,
//! `goal`, but `col`). Only words and hashtag parts are touched.

use super::filter::TokenFilter;
use super::tokens::Tokens;
use crate::error::{Error, Result};

/// Cuts repeated letters.
///
/// | parameter | default | range |
/// |---|---|---|
/// | `max_run` | 2 | 1 or 2 |
#[derive(Debug, Clone, Copy)]
pub struct Elongation {
    max_run: usize,
}

impl Default for Elongation {
    fn default() -> Self {
        Elongation { max_run: 2 }
    }
}

impl Elongation {
    /// An elongation filter keeping at most `max_run` equal letters in a row (1 or 2).
    pub fn new(max_run: usize) -> Result<Self> {
        if !(1..=2).contains(&max_run) {
            return Err(Error::param(
                "max_run",
                format!("must be 1 or 2, got {max_run}"),
            ));
        }
        Ok(Elongation { max_run })
    }
}

impl TokenFilter for Elongation {
    fn apply(&self, tokens: &mut Tokens) {
        // Most texts have no elongation: skip the rewrite (a copy of every token) then. An
        // ASCII arena without three equal bytes in a row has none (one pass over the bytes).
        let arena = tokens.arena();
        if arena.is_ascii() && !has_run_of_three(arena) {
            return;
        }
        if !tokens
            .iter()
            .any(|(kind, text)| kind.is_wordlike() && has_run_of_three(text))
        {
            return;
        }
        tokens.rewrite(|kind, text, out| {
            if !kind.is_wordlike() || !has_run_of_three(text) {
                out.push_str(text);
                return true;
            }
            let mut prev = None;
            let mut run = 0;
            for c in text.chars() {
                run = if Some(c) == prev { run + 1 } else { 1 };
                prev = Some(c);
                if run <= self.max_run || !c.is_alphabetic() {
                    out.push(c);
                }
            }
            true
        });
    }

    fn token_local(&self) -> bool {
        true
    }
}

/// Pre-check: a byte loop for ASCII, a char loop otherwise.
fn has_run_of_three(text: &str) -> bool {
    if text.is_ascii() {
        return text
            .as_bytes()
            .windows(3)
            .any(|w| w[0] == w[1] && w[1] == w[2]);
    }
    let (mut prev, mut run) = (None, 0);
    text.chars().any(|c| {
        run = if Some(c) == prev { run + 1 } else { 1 };
        prev = Some(c);
        run >= 3
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::TokenKind;

    fn run(filter: Elongation, words: &[&str]) -> Vec<String> {
        let mut t = Tokens::new();
        for (i, w) in words.iter().enumerate() {
            t.push(TokenKind::Word, w, i as u32);
        }
        filter.apply(&mut t);
        t.to_strings()
    }

    #[test]
    fn cuts_runs() {
        let words = ["soooo", "cooool", "good", "2000", "ééééh"];
        assert_eq!(
            run(Elongation::default(), &words),
            ["soo", "cool", "good", "2000", "ééh"]
        );
        assert_eq!(
            run(Elongation::new(1).unwrap(), &words),
            ["so", "col", "good", "2000", "éh"]
        );
        assert!(Elongation::new(0).is_err() && Elongation::new(3).is_err());
    }

    proptest::proptest! {
        /// The arena pre-check skips only texts that a token-by-token cut leaves unchanged.
        #[test]
        fn precheck_matches_cutting_every_token(
            words in proptest::collection::vec(("[aoé.w1]{1,6}", proptest::bool::ANY), 0..8)
        ) {
            let mut t = Tokens::new();
            for (i, (w, url)) in words.iter().enumerate() {
                let kind = if *url { TokenKind::Url } else { TokenKind::Word };
                t.push(kind, w, i as u32);
            }
            Elongation::default().apply(&mut t);
            let expected: Vec<String> = words
                .iter()
                .map(|(w, url)| {
                    if *url {
                        return w.clone();
                    }
                    let (mut out, mut prev, mut run) = (String::new(), None, 0);
                    for c in w.chars() {
                        run = if Some(c) == prev { run + 1 } else { 1 };
                        prev = Some(c);
                        if run <= 2 || !c.is_alphabetic() {
                            out.push(c);
                        }
                    }
                    out
                })
                .collect();
            proptest::prop_assert_eq!(t.to_strings(), expected);
        }
    }
}
