//! Reading input files into validated records: follows and other edge lists, interactions,
//! posts. No graph logic lives here; ids are interned into dense `u32` once, at this stage.

pub mod dataset;
pub mod decode;
mod degrees;
pub mod edges;
pub mod endorsements;
mod fast_line;
pub mod ids;
pub mod interactions;
pub mod lookup;
mod numeric;
pub mod platform;
pub mod posts;
pub mod skips;
pub mod source;
pub mod time;
pub mod weights;

pub use edges::{read_edge_list, EdgeList, EdgeListOptions};
pub use ids::{ExternalId, IdMap, Node};
pub use interactions::{read_interactions, Interaction, Interactions, Kind};
pub use posts::{read_posts, Post, Posts};
pub use skips::{SkipKind, Skips};
pub use source::Source;
