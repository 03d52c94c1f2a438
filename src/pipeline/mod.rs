//! The pipeline as a library: the stages joined into what the commands run, so that the CLI,
//! the Python package and the API call the same code. [`inputs`] reads a scoring run's files
//! (interactions, follow graph, posts) with checked parameters and scores them; [`run`] is
//! `clout run` (dataset discovery, scoring, changes, [`topics`] and leaderboards, the store
//! write), with [`manifest`] (what a run read, kept in the store), [`reuse`] (changes from
//! stored runs that saw the start of today's inputs) and [`every`] (a service's cadence). The
//! CLI only parses flags around them, shows progress and prints their notes.

pub mod every;
pub mod inputs;
pub mod manifest;
pub mod reuse;
pub mod run;
pub mod topics;

pub use inputs::{read_inputs, ReadInputs, ScoreFiles, Scored};
pub use run::{run_dataset, run_due, run_found, RunOutcome, RunRequest, Stage};
