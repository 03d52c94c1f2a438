//! The topics of many posts, classified in parallel and kept compactly (one flat list with
//! offsets, `f32` scores), for expertise. The classifier is any function of a post's text and
//! language with per-thread scratch, so zero-shot and trained models plug in alike.

use rayon::prelude::*;

use crate::topics::ontology::TopicIdx;

/// Posts per parallel task.
const CHUNK: usize = 4096;

/// Topics of every post, in post order; unclassified posts have none.
#[derive(Debug, Clone, Default)]
pub struct PostTopics {
    /// `topics[offsets[p]..offsets[p + 1]]` are post `p`'s.
    offsets: Vec<usize>,
    topics: Vec<(TopicIdx, f32)>,
}

impl PostTopics {
    /// Classifies the posts `i` of `0..len` for which `select(i)` holds with `classify(i, scratch)`
    /// (scores `> 0`; others are dropped). Deterministic whatever the thread count.
    pub fn classify<S: Default>(
        len: usize,
        select: impl Fn(usize) -> bool + Sync,
        classify: impl Fn(usize, &mut S) -> Vec<(TopicIdx, f64)> + Sync,
    ) -> PostTopics {
        let starts: Vec<usize> = (0..len).step_by(CHUNK).collect();
        let chunks: Vec<(Vec<usize>, Vec<(TopicIdx, f32)>)> = starts
            .par_iter()
            .map(|&start| {
                let mut scratch = S::default();
                let mut lens = Vec::with_capacity(CHUNK);
                let mut topics = Vec::new();
                for i in start..(start + CHUNK).min(len) {
                    let before = topics.len();
                    if select(i) {
                        let found = classify(i, &mut scratch);
                        topics.extend(
                            found
                                .into_iter()
                                .filter(|&(_, s)| s > 0.0 && s.is_finite())
                                .map(|(t, s)| (t, s as f32)),
                        );
                    }
                    lens.push(topics.len() - before);
                }
                (lens, topics)
            })
            .collect();
        let mut out = PostTopics {
            offsets: Vec::with_capacity(len + 1),
            topics: Vec::new(),
        };
        out.offsets.push(0);
        for (lens, topics) in chunks {
            for l in lens {
                out.offsets.push(out.offsets.last().unwrap() + l);
            }
            out.topics.extend(topics);
        }
        out
    }

    /// `len` posts of which `selected[k]` has the topics `lists[k]` (scores `> 0` kept), the
    /// others none.
    pub fn from_lists(len: usize, selected: &[usize], lists: Vec<Vec<(TopicIdx, f64)>>) -> Self {
        let mut out = PostTopics {
            offsets: Vec::with_capacity(len + 1),
            topics: Vec::new(),
        };
        out.offsets.push(0);
        let mut next = selected.iter().zip(lists).peekable();
        for i in 0..len {
            if let Some((_, found)) = next.next_if(|(&s, _)| s == i) {
                out.topics.extend(
                    found
                        .into_iter()
                        .filter(|&(_, s)| s > 0.0 && s.is_finite())
                        .map(|(t, s)| (t, s as f32)),
                );
            }
            out.offsets.push(out.topics.len());
        }
        out
    }

    /// Number of posts.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Whether there are no posts.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The topics of post `p` with their scores.
    pub fn of(&self, p: usize) -> &[(TopicIdx, f32)] {
        &self.topics[self.offsets[p]..self.offsets[p + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selected_posts_only_in_order() {
        let n = 10_000;
        let t = PostTopics::classify(
            n,
            |i| i % 3 != 0,
            |i, calls: &mut usize| {
                *calls += 1;
                vec![(i as u32 % 7, 1.0), (99, 0.0)]
            },
        );
        assert_eq!(t.len(), n);
        assert!(t.of(0).is_empty() && t.of(9_999).is_empty());
        assert_eq!(t.of(9_998), [(9_998 % 7, 1.0)]);
        let lists = (0..n)
            .filter(|i| i % 3 != 0)
            .map(|i| vec![(i as u32 % 7, 1.0), (99, 0.0)])
            .collect();
        let selected: Vec<usize> = (0..n).filter(|i| i % 3 != 0).collect();
        let same = PostTopics::from_lists(n, &selected, lists);
        assert!((0..n).all(|p| same.of(p) == t.of(p)));
    }
}
