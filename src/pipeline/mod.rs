//! The pipeline as a library: the stages joined into what the commands run, so that the CLI,
//! the Python package and the API call the same code. [`inputs`] reads a scoring run's files
//! (interactions, follow graph, posts) with checked parameters and scores them; the CLI only
//! parses flags around it and prints its notes.

pub mod inputs;

pub use inputs::{read_inputs, ReadInputs, ScoreFiles, Scored};
