//! The per-post inputs of expertise gathered from the engine's files: each post's author mapped
//! onto the interactions' accounts, the engagement it earned (matched by post id), and the
//! topics of the engaged ones (only those are classified: an unengaged post is no evidence).

use super::post_engagement::{post_engagement, PostEngagement, ReactorShare};
use super::post_topics::PostTopics;
use super::PostEvidence;
use crate::error::Result;
use crate::ingest::{Interaction, Interactions, Node, Post, Posts};
use crate::topics::classify::engine::{Labelling, PostLabeler};

/// Authors, engagement and topics of every post of a posts file.
#[derive(Debug, Clone)]
pub struct PostInputs {
    /// The author as an interactions account (`None`: no interactions, or filtered out).
    pub authors: Vec<Option<Node>>,
    /// What each post earned (zero when its id is not in the interactions).
    pub earned: Vec<PostEngagement>,
    /// `earned[p].weight`, for [`PostEvidence`].
    pub engagement: Vec<f64>,
    pub topics: PostTopics,
    /// How the topics were found.
    pub labelling: Labelling,
}

impl PostInputs {
    /// Gathers the inputs: interactions that pass `keep_interaction` count, posts that fail
    /// `keep_post` are left out, `share` weighs each reactor's action on the author,
    /// and `labeler` gives the topics of the engaged posts.
    pub fn gather(
        inter: &Interactions,
        posts: &Posts,
        share: Option<ReactorShare>,
        keep_interaction: impl Fn(&Interaction) -> bool + Sync,
        keep_post: impl Fn(&Post) -> bool + Sync,
        labeler: &impl PostLabeler,
    ) -> Result<PostInputs> {
        let by_post = post_engagement(inter, share, keep_interaction);
        let accounts = inter.accounts.index();
        let author_of: Vec<Option<Node>> = (0..posts.authors.len() as Node)
            .map(|a| accounts.get(&posts.authors.name(a).to_string()))
            .collect();
        let post_ids = inter.posts.index();
        let (mut authors, mut earned) = (Vec::new(), Vec::new());
        for p in &posts.posts {
            let keep = keep_post(p);
            authors.push(author_of[p.author as usize].filter(|_| keep));
            earned.push(match post_ids.get(&p.id) {
                Some(i) if keep => by_post[i as usize],
                _ => PostEngagement::default(),
            });
        }
        let engagement: Vec<f64> = earned.iter().map(|e| e.weight).collect();
        let selected: Vec<usize> = (0..posts.posts.len())
            .filter(|&i| engagement[i] > 0.0 && authors[i].is_some())
            .collect();
        let (lists, labelling) = labeler.label(&posts.posts, &selected)?;
        let topics = PostTopics::from_lists(posts.posts.len(), &selected, lists);
        Ok(PostInputs {
            authors,
            earned,
            engagement,
            topics,
            labelling,
        })
    }

    /// The evidence view that [`super::Expertise::compute`] reads.
    pub fn evidence(&self) -> PostEvidence<'_> {
        PostEvidence {
            authors: &self.authors,
            engagement: &self.engagement,
            topics: &self.topics,
        }
    }
}
