//! Batching by length: posts' token ids are laid out flat, posts are ordered by token count
//! (ties by input order, so the plan never depends on threads), and the order is cut into
//! batches of at most `batch_size` posts of similar length. A batch is handed to the encoder
//! unpadded: its posts' ids one after another, with their lengths.

use std::ops::Range;

/// Token ids of many posts, flat, with the order in which to run them.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// All posts' ids, one post after another (input order).
    ids: Vec<u32>,
    /// Start of post `i` in `ids` is `starts[i]`, its end `starts[i + 1]`.
    starts: Vec<usize>,
    /// Post indices, shortest first.
    pub(crate) order: Vec<u32>,
}

impl Plan {
    /// Empties the plan, keeping its buffers.
    pub(crate) fn clear(&mut self) {
        self.ids.clear();
        self.starts.clear();
        self.starts.push(0);
        self.order.clear();
    }

    /// Appends one post's token ids.
    pub(crate) fn push(&mut self, ids: &[u32]) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.ids.extend_from_slice(ids);
        self.starts.push(self.ids.len());
    }

    /// Number of posts.
    pub(crate) fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// The token ids of post `i`.
    pub(crate) fn post(&self, i: usize) -> &[u32] {
        &self.ids[self.starts[i]..self.starts[i + 1]]
    }

    /// Orders the posts by length (stable: ties keep input order).
    pub(crate) fn sort(&mut self) {
        self.order.clear();
        self.order.extend(0..self.len() as u32);
        let starts = &self.starts;
        self.order
            .sort_by_key(|&i| starts[i as usize + 1] - starts[i as usize]);
    }

    /// The batches, as ranges of positions in `order`.
    pub(crate) fn batches(&self, batch_size: usize) -> impl Iterator<Item = Range<usize>> + '_ {
        let n = self.order.len();
        (0..n.div_ceil(batch_size)).map(move |b| b * batch_size..((b + 1) * batch_size).min(n))
    }

    /// Fills `ids` with the token ids of the posts at `batch` positions of `order`, one post
    /// after another, and `lens` with their lengths.
    pub(crate) fn gather(&self, batch: Range<usize>, ids: &mut Vec<u32>, lens: &mut Vec<usize>) {
        ids.clear();
        lens.clear();
        for &i in &self.order[batch] {
            let p = self.post(i as usize);
            ids.extend_from_slice(p);
            lens.push(p.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_hold_posts_of_similar_length_unpadded() {
        let mut plan = Plan::default();
        plan.clear();
        for post in [&[1, 2, 3, 4][..], &[5], &[6, 7], &[8, 9]] {
            plan.push(post);
        }
        plan.sort();
        assert_eq!(plan.order, [1, 2, 3, 0]);
        let batches: Vec<_> = plan.batches(3).collect();
        assert_eq!(batches, [0..3, 3..4]);
        let (mut ids, mut lens) = (Vec::new(), Vec::new());
        plan.gather(0..3, &mut ids, &mut lens);
        assert_eq!(
            (&ids[..], &lens[..]),
            (&[5, 6, 7, 8, 9][..], &[1, 2, 2][..])
        );
        plan.gather(3..4, &mut ids, &mut lens);
        assert_eq!((&ids[..], &lens[..]), (&[1, 2, 3, 4][..], &[4][..]));
    }
}
