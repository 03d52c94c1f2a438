//! The generated dataset in Reddit's shape: Pushshift-style dumps `RS_demo.jsonl`
//! (submissions) and `RC_demo.jsonl` (comments), time-ordered. Posts are self posts in a
//! subreddit; replies and comments are comments on the post; a share is a crosspost; a mention
//! is a submission naming `u/target`. A post's text is its submission's title (the first 300
//! characters, Reddit's limit, the rest its `selftext`), so reading it back gives the text
//! once, as the other shapes do. Reddit names no likers and no followers: likes become the
//! submission's `score` (a reported count), follows are left out. The generator's truth keeps
//! clout's ids; [`username`] maps them.

use std::path::Path;

use serde_json::json;

use super::shape::{remove_own_files, write_platform_file, Demo};
use crate::error::Result;

const SUBREDDIT: &str = "clout_demo";

/// The Reddit username of a generated account id (`tw:ines_nguyen0` → `tw-ines_nguyen0`).
pub fn username(id: &str) -> String {
    id.replace(':', "-")
}

/// Rewrites the clout files in `dir` as `RS_demo.jsonl` and `RC_demo.jsonl`; returns the
/// number of records written.
pub fn rewrite_as_pushshift(dir: &Path) -> Result<usize> {
    let demo = Demo::read(dir)?;
    let likers = demo.likers();
    let mut submissions = Vec::new();
    let mut comments = Vec::new();
    for p in &demo.posts {
        let (title, selftext) = title_and_body(&p.text);
        let s = json!({"id": p.id, "name": format!("t3_{}", p.id), "author": username(&p.author),
            "title": title, "selftext": selftext, "created_utc": p.time, "lang": p.lang,
            "subreddit": SUBREDDIT, "score": likers.get(p.id.as_str()).map_or(0, Vec::len)});
        submissions.push((p.time, s.to_string()));
    }
    for (k, a) in demo.acts.iter().enumerate() {
        let id = format!("e{}", k + 1);
        let (actor, parent) = (username(&a.actor), format!("t3_{}", a.post));
        match a.kind.as_str() {
            "like" => {}
            "share" => {
                let s = json!({"id": id, "author": actor, "title": "xpost", "selftext": "",
                    "created_utc": a.time, "subreddit": SUBREDDIT, "crosspost_parent": parent});
                submissions.push((a.time, s.to_string()));
            }
            "mention" => {
                let s = json!({"id": id, "author": actor, "selftext": "",
                    "title": format!("u/{} 👋", username(&a.target)),
                    "created_utc": a.time, "subreddit": SUBREDDIT});
                submissions.push((a.time, s.to_string()));
            }
            _ => {
                let c = json!({"id": id, "author": actor, "body": "Good point!",
                    "parent_id": parent, "link_id": parent, "created_utc": a.time,
                    "subreddit": SUBREDDIT});
                comments.push((a.time, c.to_string()));
            }
        }
    }
    let n = write_platform_file(dir, "RS_demo.jsonl", submissions)?
        + write_platform_file(dir, "RC_demo.jsonl", comments)?;
    remove_own_files(dir)?;
    Ok(n)
}

/// Reddit's longest title, in characters.
const TITLE_MAX: usize = 300;

/// A text as a submission's title and `selftext`: all of it the title when it fits, else
/// the title up to the last space within [`TITLE_MAX`] characters and the rest the body
/// (a reader joins them with a line break).
fn title_and_body(text: &str) -> (&str, &str) {
    let Some((cut, _)) = text.char_indices().nth(TITLE_MAX) else {
        return (text, "");
    };
    let cut = text[..cut].rfind(' ').filter(|&i| i > 0).unwrap_or(cut);
    (&text[..cut], text[cut..].trim_start())
}

#[cfg(test)]
mod tests {
    use super::title_and_body;

    /// The text is written once: the title, and a body only past Reddit's 300 characters.
    #[test]
    fn text_is_the_title_and_the_rest_the_body() {
        assert_eq!(
            title_and_body("Compost tips #gardening"),
            ("Compost tips #gardening", "")
        );
        let long = format!("{} tail", "word ".repeat(60));
        let (title, body) = title_and_body(&long);
        assert!(
            title.chars().count() <= 300 && body == "tail",
            "{title:?} {body:?}"
        );
    }
}
